//! Sites, meters and signed readings: device keys sign readings over the chain's genesis hash,
//! batches go in relayed by a member's account or authorized by their own signatures.

use subxt::{
	config::{ClientState, TransactionExtensions},
	ext::codec::Encode,
	transactions::{Payload, TransactionInvalid, ValidationResult},
	utils::H256,
};
use subxt_signer::sr25519::Keypair;

use crate::{chain, BlockHash, Client, ClientError, Config};

use chain::runtime_types::bounded_collections::bounded_vec::BoundedVec;

pub use chain::runtime_types::pallet_meters::types::{
	AcceptedRun, ChainCheck, DaySeries, DayTotal, HashChain, Location, MeterInfo, MeterKind,
	MeterSpec, MeterStatus, PeriodAggregate, PeriodSeries, Reading, RefusalReason, SequenceSkip,
	SignedReading, SignedSkip, SiteInfo, UseType,
};

/// Site details as the meters pallet's calls take them.
pub type SiteDetails = chain::runtime_types::pallet_meters::types::SiteDetails;

/// A site as people describe it: degrees, square metres and text.
#[derive(Debug, Clone)]
pub struct NewSite<'a> {
	pub name: &'a str,
	/// Degrees north (negative south).
	pub latitude: f64,
	/// Degrees east (negative west).
	pub longitude: f64,
	/// The weather and price region, e.g. `DE-BY`.
	pub region: &'a str,
	/// Gross floor area in square metres.
	pub floor_area: u32,
	pub use_type: UseType,
	/// IANA time zone, e.g. `Europe/Berlin`.
	pub time_zone: &'a str,
}

impl NewSite<'_> {
	/// The details as the chain takes them: coordinates in millionths of a degree.
	pub fn details(&self) -> SiteDetails {
		let micro = |degrees: f64| (degrees * 1_000_000.0).round() as i32;
		let bounded = |text: &str| BoundedVec(text.as_bytes().to_vec());
		SiteDetails {
			name: bounded(self.name),
			location: Location {
				latitude: micro(self.latitude),
				longitude: micro(self.longitude),
				region: bounded(self.region),
			},
			floor_area: self.floor_area,
			use_type: self.use_type.clone(),
			time_zone: bounded(self.time_zone),
		}
	}
}

/// The accepted readings of a batch, as runs from one meter each.
pub type ReadingsAccepted = chain::meters::events::ReadingsAccepted;
/// A refused reading with its reason.
pub type ReadingRefused = chain::meters::events::ReadingRefused;
/// Numbers a meter's device declared it will never deliver.
pub type SequencesSkipped = chain::meters::events::SequencesSkipped;

/// A meter's sr25519 device key, which signs its readings.
pub type DeviceKey = Keypair;

/// The `InvalidTransaction::Custom` codes of `pallet_meters::authorize_codes`.
const UNKNOWN_METER: u8 = 10;
const METER_NOT_ACTIVE: u8 = 11;
const EMPTY_BATCH: u8 = 12;
const BATCH_TOO_LARGE: u8 = 13;
const OWNER_NOT_ACTIVE: u8 = 14;
const NOT_CONSECUTIVE: u8 = 15;
const OVER_ALLOWANCE: u8 = 16;
const TIMESTAMP_AHEAD: u8 = 17;
const INVALID_SKIP: u8 = 18;
const METER_RETIRED: u8 = 19;
const TOO_FAR_AHEAD: u8 = 20;
/// `REFUSED + i`: a reading dispatch would refuse for the `i`-th `RefusalReason`.
const REFUSED: u8 = 32;
/// The refusal reasons in the pallet's order, so `REFUSED + i` names `REASONS[i]`.
const REASONS: [RefusalReason; 13] = [
	RefusalReason::UnknownMeter,
	RefusalReason::MeterNotActive,
	RefusalReason::BadSignature,
	RefusalReason::SequenceNotIncreasing,
	RefusalReason::TimestampNotIncreasing,
	RefusalReason::TimestampInFuture,
	RefusalReason::RegisterDecreased,
	RefusalReason::ImplausiblePower,
	RefusalReason::ImplausibleDemand,
	RefusalReason::ImplausibleTemperature,
	RefusalReason::MissingTemperature,
	RefusalReason::EnergyOverflow,
	RefusalReason::TooSoon,
];

/// What the pool's refusal of a batch of readings (or a skip) with no account says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolRefusal {
	/// A reading the chain would refuse for good, for this reason: it can never land, and the
	/// device must skip its number (`sign_skip`) for the meter's later readings to.
	Reading(RefusalReason),
	/// The meter is unknown or suspended, or its owner is not an active member: its readings
	/// wait until that changes.
	Meter,
	/// The meter is retired: its readings will never count.
	Retired,
	/// A reading is timestamped ahead of the chain's clock; it may be taken later.
	Ahead,
	/// Not signed by the meter's device key for this chain (a key the meter no longer has).
	Signature,
	/// Already on chain.
	Stale,
	/// The batch itself breaks the rules: empty, too large, a gap in a meter's numbers, more of
	/// one meter or member than a block takes, too far ahead of the chain.
	Batch,
}

impl PoolRefusal {
	/// The refusal a custom code of the meters pallet means, if it is one.
	fn of_code(code: u8) -> Option<Self> {
		Some(match code {
			UNKNOWN_METER | METER_NOT_ACTIVE | OWNER_NOT_ACTIVE => PoolRefusal::Meter,
			METER_RETIRED => PoolRefusal::Retired,
			EMPTY_BATCH | BATCH_TOO_LARGE | NOT_CONSECUTIVE | OVER_ALLOWANCE | INVALID_SKIP
			| TOO_FAR_AHEAD => PoolRefusal::Batch,
			TIMESTAMP_AHEAD => PoolRefusal::Ahead,
			_ => {
				PoolRefusal::Reading(REASONS.get(usize::from(code.checked_sub(REFUSED)?))?.clone())
			}
		})
	}
}

/// Whether a custom refusal code is one of the meters pallet's.
pub(crate) fn is_pool_refusal(code: u8) -> bool {
	PoolRefusal::of_code(code).is_some()
}

/// What a custom refusal code of the meters pallet means, in words and as a `PoolRefusal`.
pub(crate) fn pool_refusal(code: u8) -> ClientError {
	let reason = match code {
		UNKNOWN_METER => "a reading names a meter the chain does not know (register it first)",
		METER_NOT_ACTIVE => "a reading's meter is suspended; its readings wait",
		METER_RETIRED => "a reading's meter is retired: its readings will never count",
		OWNER_NOT_ACTIVE => "a reading's meter belongs to a suspended or retired member",
		EMPTY_BATCH => "the batch is empty",
		BATCH_TOO_LARGE => "the batch holds more readings than the chain takes",
		NOT_CONSECUTIVE => "a meter's readings in the batch are not numbered one after another",
		OVER_ALLOWANCE => {
			"the batch holds more of one meter's or member's readings than a block takes"
		}
		TIMESTAMP_AHEAD => "a reading is timestamped ahead of the chain's clock",
		INVALID_SKIP => "the skip's numbers are no range the chain takes",
		TOO_FAR_AHEAD => "the batch starts too far ahead of the meter's readings on chain",
		_ => match PoolRefusal::of_code(code) {
			Some(PoolRefusal::Reading(reason)) => refusal_text(&reason),
			_ => "the meters pallet refused it",
		},
	};
	let refusal = PoolRefusal::of_code(code).unwrap_or(PoolRefusal::Batch);
	ClientError::ReadingsRefused { reason, refusal }
}

/// Why the chain refuses a reading, in words for logs and the bridge's audit trail.
pub fn refusal_text(reason: &RefusalReason) -> &'static str {
	match reason {
		RefusalReason::UnknownMeter => "unknown meter",
		RefusalReason::MeterNotActive => "the meter is suspended or retired",
		RefusalReason::BadSignature => "not signed by the meter's device key",
		RefusalReason::SequenceNotIncreasing => "sequence number not above the meter's last",
		RefusalReason::TimestampNotIncreasing => "timestamp not after the meter's last reading",
		RefusalReason::TimestampInFuture => "timestamp ahead of the chain's clock",
		RefusalReason::RegisterDecreased => {
			"register below the last accepted (no exchange declared)"
		}
		RefusalReason::ImplausiblePower => {
			"register advance implies more than the meter's maximum power"
		}
		RefusalReason::ImplausibleDemand => "demand above the meter's maximum power",
		RefusalReason::ImplausibleTemperature => "temperature outside the plausible range",
		RefusalReason::MissingTemperature => "a temperature sensor's reading without temperature",
		RefusalReason::EnergyOverflow => "the energy does not fit the meter's totals",
		RefusalReason::TooSoon => {
			"closer to the meter's last reading than the chain's minimum interval"
		}
	}
}

/// The bytes a device key signs: `SCALE((genesis_hash, reading))`.
pub fn signing_payload(genesis_hash: H256, reading: &Reading) -> Vec<u8> {
	(genesis_hash, reading).encode()
}

/// Signs `reading` with the meter's device key for the chain with `genesis_hash`.
pub fn sign_reading(device: &DeviceKey, genesis_hash: H256, reading: Reading) -> SignedReading {
	let signature = device.sign(&signing_payload(genesis_hash, &reading));
	SignedReading { reading, signature: signature.0 }
}

/// What a skip's signing payload holds between the genesis hash and the skip
/// (`pallet_meters::SKIP_CONTEXT`).
const SKIP_CONTEXT: &[u8; 17] = b"smartblocks::skip";

/// Whether `signed` bears the signature of device key `device_key` for the chain with
/// `genesis_hash`.
pub fn signed_by(signed: &SignedReading, genesis_hash: H256, device_key: [u8; 32]) -> bool {
	use subxt_signer::sr25519::{verify, PublicKey, Signature};
	let payload = signing_payload(genesis_hash, &signed.reading);
	verify(&Signature(signed.signature), payload, &PublicKey(device_key))
}

/// The bytes a device key signs to skip numbers: `SCALE((genesis_hash, SKIP_CONTEXT, skip))`.
pub fn skip_payload(genesis_hash: H256, skip: &SequenceSkip) -> Vec<u8> {
	(genesis_hash, SKIP_CONTEXT, skip).encode()
}

/// Signs, with the meter's device key, that it will never deliver readings `first..=last`.
pub fn sign_skip(device: &DeviceKey, genesis_hash: H256, skip: SequenceSkip) -> SignedSkip {
	let signature = device.sign(&skip_payload(genesis_hash, &skip));
	SignedSkip { skip, signature: signature.0 }
}

/// The device key's public half, as the meters pallet stores it.
pub fn device_public(device: &DeviceKey) -> [u8; 32] {
	device.public_key().0
}

/// A meter's hash chain after `reading`: `blake2_256(head ++ SCALE(reading))`, as the chain
/// computes it, so an archive of raw readings can be checked against the chain.
pub fn chain_next(chain: &HashChain, reading: &Reading) -> HashChain {
	let mut bytes = chain.head.0.to_vec();
	reading.encode_to(&mut bytes);
	HashChain { head: H256(sp_crypto_hashing::blake2_256(&bytes)), length: chain.length + 1 }
}

/// The chain's days, as the pallets count them: a meter's day totals and checkpoints are kept
/// under the day its readings fall in.
pub use smartblocks_rules::time::{day_of, day_start, periods_per_day, DAY_MS};

/// The hash chain over `readings` from `start` (`HashChain { head: 0, length: 0 }` for a meter's
/// first reading).
pub fn chain_over<'a>(
	start: HashChain,
	readings: impl IntoIterator<Item = &'a Reading>,
) -> HashChain {
	readings.into_iter().fold(start, |chain, reading| chain_next(&chain, reading))
}

/// The most readings one batch may hold, in the runtime at `at`.
fn max_batch_at(at: &crate::AtBlock) -> Result<u32, ClientError> {
	at.constants()
		.entry(chain::constants().meters().max_batch())
		.map_err(ClientError::chain("read Meters.MaxBatch"))
}

/// Sends batches of readings as general transactions with no account, without waiting.
pub struct ReadingsSender {
	at: crate::AtBlock,
	rpc: subxt::rpcs::RpcClient,
	extensions: <Config as subxt::Config>::TransactionExtensions,
	max_batch: u32,
	max_per_meter: u32,
}

impl ReadingsSender {
	/// Sends a batch and returns its transaction hash once the node accepted it into its pool.
	/// A refusal of the pool is `ReadingsRefused` with its reason, or `AlreadyInPool`.
	pub async fn send(&self, readings: Vec<SignedReading>) -> Result<H256, ClientError> {
		if readings.len() > self.max_batch as usize {
			return Err(ClientError::BatchTooLarge { len: readings.len(), max: self.max_batch });
		}
		let call = chain::transactions().meters().submit_readings(readings);
		self.submit(self.encode(call)?, "submit the batch").await
	}

	/// Sends a device's signed skip, as `send` sends a batch.
	pub async fn send_skip(&self, skip: SignedSkip) -> Result<H256, ClientError> {
		let call = chain::transactions().meters().skip_sequences(skip);
		self.submit(self.encode(call)?, "submit the skip").await
	}

	async fn submit(&self, encoded: Vec<u8>, context: &'static str) -> Result<H256, ClientError> {
		crate::submit_to_pool(&self.rpc, &encoded).await.map_err(|error| {
			let error: subxt::Error = error.into();
			// The pool's reason is in the RPC error's data, which only the debug form shows.
			pool_answer(&format!("{error} {error:?}"))
				.unwrap_or_else(|| ClientError::Chain { context, source: Box::new(error) })
		})
	}

	/// The most readings one batch may hold.
	pub fn max_batch(&self) -> u32 {
		self.max_batch
	}

	/// The most readings (and skips) of one meter a block takes, so one batch holds no more.
	pub fn max_per_meter(&self) -> u32 {
		self.max_per_meter
	}

	/// A call as a general transaction with no signer: the extensions' explicit data and the
	/// call.
	fn encode<Call: Payload>(&self, call: Call) -> Result<Vec<u8>, ClientError> {
		let metadata = self.at.metadata_ref();
		subxt::ext::frame_decode::extrinsics::encode_v5_general(
			call.pallet_name(),
			call.call_name(),
			call.call_data(),
			metadata.extrinsic().transaction_extension_version_to_use_for_encoding(),
			&self.extensions,
			metadata,
			metadata.types(),
		)
		.map_err(|e| ClientError::Refused { reason: format!("cannot encode the transaction: {e}") })
	}
}

/// What became of a batch of readings in a finalized block.
#[derive(Debug, Clone)]
pub struct BatchOutcome {
	pub block_hash: BlockHash,
	/// The accepted readings, as runs from one meter each in batch order.
	pub accepted: Vec<AcceptedRun>,
	pub refused: Vec<ReadingRefused>,
}

impl BatchOutcome {
	/// Readings accepted in the batch.
	pub fn accepted_count(&self) -> u32 {
		self.accepted.iter().map(|run| run.count).sum()
	}
}

impl Client {
	/// The chain's genesis hash, which device keys sign readings over.
	pub fn genesis_hash(&self) -> H256 {
		self.api.genesis_hash()
	}

	/// Registers a site for the member `owner` acts for; returns its number.
	pub async fn register_site(
		&self,
		owner: &Keypair,
		site: &NewSite<'_>,
	) -> Result<u32, ClientError> {
		let sites = self.register_sites(owner, std::slice::from_ref(site)).await?;
		sites.into_iter().next().ok_or(ClientError::MissingEvent("Meters.SiteRegistered"))
	}

	/// Registers a meter on a site of `owner`'s member; returns its number.
	pub async fn register_meter(
		&self,
		owner: &Keypair,
		site: u32,
		spec: MeterSpec,
	) -> Result<u32, ClientError> {
		let meters = self.register_meters(owner, vec![(site, spec)]).await?;
		meters.into_iter().next().ok_or(ClientError::MissingEvent("Meters.MeterRegistered"))
	}

	/// Declares that the physical meter `meter` was exchanged at `at` (ms since the epoch), as
	/// an account of its site's owner: `final_register` closes the old register, the new one
	/// starts at `baseline` (what it read at `at`), with `device_key` replacing the old key if
	/// given. Returns the exchange's time as the chain recorded it; the new meter's readings
	/// must be later.
	pub async fn declare_exchange(
		&self,
		owner: &Keypair,
		meter: u32,
		final_register: u64,
		baseline: u64,
		at: u64,
		device_key: Option<[u8; 32]>,
	) -> Result<u64, ClientError> {
		let call = chain::transactions().meters().declare_exchange(
			meter,
			final_register,
			baseline,
			at,
			device_key,
		);
		let results = self.submit_all_finalized(&[call], owner).await?;
		let events =
			each_event::<chain::meters::events::MeterExchanged>(&results, "Meters.MeterExchanged")?;
		events
			.first()
			.map(|exchanged| exchanged.at)
			.ok_or(ClientError::MissingEvent("Meters.MeterExchanged"))
	}

	/// Registers sites for `owner`'s member together; returns their numbers in order.
	pub async fn register_sites(
		&self,
		owner: &Keypair,
		sites: &[NewSite<'_>],
	) -> Result<Vec<u32>, ClientError> {
		let calls: Vec<_> = sites
			.iter()
			.map(|site| chain::transactions().meters().register_site(site.details()))
			.collect();
		let results = self.submit_all_finalized(&calls, owner).await?;
		each_event::<chain::meters::events::SiteRegistered>(&results, "Meters.SiteRegistered")
			.map(|events| events.into_iter().map(|registered| registered.site).collect())
	}

	/// Registers meters, each on a site of `owner`'s member, together; returns their numbers
	/// in order.
	pub async fn register_meters(
		&self,
		owner: &Keypair,
		meters: Vec<(u32, MeterSpec)>,
	) -> Result<Vec<u32>, ClientError> {
		let calls: Vec<_> = meters
			.into_iter()
			.map(|(site, spec)| chain::transactions().meters().register_meter(site, spec))
			.collect();
		let results = self.submit_all_finalized(&calls, owner).await?;
		each_event::<chain::meters::events::MeterRegistered>(&results, "Meters.MeterRegistered")
			.map(|events| events.into_iter().map(|registered| registered.meter).collect())
	}

	/// The most readings one batch may hold.
	pub async fn max_batch(&self) -> Result<u32, ClientError> {
		max_batch_at(&self.reading().await?)
	}

	/// Submits signed readings relayed by a member's account (which pays the fee) and waits for
	/// the finalized block.
	pub async fn submit_readings(
		&self,
		relay: &Keypair,
		readings: Vec<SignedReading>,
	) -> Result<BatchOutcome, ClientError> {
		self.check_batch(readings.len()).await?;
		let call = chain::transactions().meters().submit_readings(readings);
		let (block_hash, events) = self.submit_finalized(&call, relay).await?;
		outcome(block_hash, &events)
	}

	/// Submits a device's signed skip relayed by a member's account (which pays the fee) and
	/// waits for the finalized block; returns the numbers skipped.
	pub async fn skip_sequences(
		&self,
		relay: &Keypair,
		skip: SignedSkip,
	) -> Result<SequencesSkipped, ClientError> {
		let call = chain::transactions().meters().skip_sequences(skip);
		let (_, events) = self.submit_finalized(&call, relay).await?;
		events
			.find_first::<SequencesSkipped>()
			.ok_or(ClientError::MissingEvent("Meters.SequencesSkipped"))?
			.map_err(ClientError::chain("decode Meters.SequencesSkipped"))
	}

	/// Submits signed readings with no account: a general transaction the readings' own
	/// signatures authorize, feeless. Waits for the finalized block.
	pub async fn submit_readings_unsigned(
		&self,
		readings: Vec<SignedReading>,
	) -> Result<BatchOutcome, ClientError> {
		let sender = self.readings_sender().await?;
		if readings.len() > sender.max_batch as usize {
			return Err(ClientError::BatchTooLarge { len: readings.len(), max: sender.max_batch });
		}
		let call = chain::transactions().meters().submit_readings(readings);
		let transaction = sender.at.transactions().from_bytes(sender.encode(call)?);
		let validity =
			transaction.validate().await.map_err(ClientError::chain("validate the transaction"))?;
		if let ValidationResult::Invalid(invalid) = validity {
			return Err(unsigned_refusal(invalid));
		}
		let (block_hash, events) = crate::finalized(transaction).await?;
		outcome(block_hash, &events)
	}

	/// A sender of batches with no account that prepares the transaction extensions once, for
	/// bridges and load generators that send many batches and follow finality themselves.
	pub async fn readings_sender(&self) -> Result<ReadingsSender, ClientError> {
		let at = self.latest().await?;
		let max_batch = max_batch_at(&at)?;
		let max_per_meter = at
			.constants()
			.entry(chain::constants().meters().max_ingest_per_block())
			.map_err(ClientError::chain("read Meters.MaxIngestPerBlock"))?;
		let state = ClientState::<Config> {
			genesis_hash: self.api.genesis_hash(),
			spec_version: at.spec_version(),
			transaction_version: at.transaction_version(),
			metadata: at.metadata(),
		};
		// An immortal era, no tip and no metadata hash: nothing in the explicit data depends on
		// the block, so one set serves every batch until the runtime changes.
		let extensions =
			<<Config as subxt::Config>::TransactionExtensions as TransactionExtensions<Config>>::new(
				&state,
				Default::default(),
			)
			.map_err(|e| ClientError::Refused {
				reason: format!("cannot prepare the transaction extensions: {e}"),
			})?;
		Ok(ReadingsSender { at, rpc: self.rpc().clone(), extensions, max_batch, max_per_meter })
	}

	/// The meter a device key signs for, at the latest finalized block.
	pub async fn meter_of_key(
		&self,
		device_key: [u8; 32],
	) -> Result<Option<MeterInfo>, ClientError> {
		let call = chain::runtime_apis().meters_api().meter_of_key(device_key);
		self.runtime_call(call, "query MetersApi.meter_of_key").await
	}

	/// The length of a settlement period in milliseconds.
	pub async fn period_ms(&self) -> Result<u64, ClientError> {
		let at = self.reading().await?;
		at.constants()
			.entry(chain::constants().meters().period_length())
			.map_err(ClientError::chain("read Meters.PeriodLength"))
	}

	/// The least time (ms) between a meter's accepted readings.
	pub async fn min_reading_interval(&self) -> Result<u64, ClientError> {
		let at = self.reading().await?;
		at.constants()
			.entry(chain::constants().meters().min_reading_interval())
			.map_err(ClientError::chain("read Meters.MinReadingInterval"))
	}

	/// The most meters one site may have.
	pub async fn max_meters_per_site(&self) -> Result<u32, ClientError> {
		let at = self.reading().await?;
		at.constants()
			.entry(chain::constants().meters().max_meters_per_site())
			.map_err(ClientError::chain("read Meters.MaxMetersPerSite"))
	}

	async fn check_batch(&self, len: usize) -> Result<(), ClientError> {
		// The runtime the batch will meet: the newest, also for a pinned client.
		let max = max_batch_at(&self.latest().await?)?;
		if len > max as usize {
			return Err(ClientError::BatchTooLarge { len, max });
		}
		Ok(())
	}

	/// How many sites were ever registered: sites are numbered from 0 below this.
	pub async fn site_count(&self) -> Result<u32, ClientError> {
		let at = self.reading().await?;
		let entry = at
			.storage()
			.entry(chain::storage().meters().next_site_id())
			.map_err(ClientError::chain("find Meters.NextSiteId"))?;
		entry
			.fetch(())
			.await
			.map_err(ClientError::chain("read Meters.NextSiteId"))?
			.decode()
			.map_err(ClientError::chain("decode Meters.NextSiteId"))
	}

	/// Every site with its meters, at the latest finalized block, `parallel` queries at a time.
	pub async fn sites(&self, parallel: usize) -> Result<Vec<SiteInfo>, ClientError> {
		crate::numbered(self.site_count().await?, parallel, |id| self.site(id)).await
	}

	/// A site with its meters, at the latest finalized block.
	pub async fn site(&self, id: u32) -> Result<Option<SiteInfo>, ClientError> {
		let call = chain::runtime_apis().meters_api().site(id);
		self.runtime_call(call, "query MetersApi.site").await
	}

	/// A meter with its newest reading and hash chain, at the latest finalized block.
	pub async fn meter(&self, id: u32) -> Result<Option<MeterInfo>, ClientError> {
		let call = chain::runtime_apis().meters_api().meter(id);
		self.runtime_call(call, "query MetersApi.meter").await
	}

	/// A meter's settlement periods from `first`, at most `count`.
	pub async fn periods(
		&self,
		meter: u32,
		first: u32,
		count: u32,
	) -> Result<Option<PeriodSeries>, ClientError> {
		let call = chain::runtime_apis().meters_api().periods(meter, first, count);
		self.runtime_call(call, "query MetersApi.periods").await
	}

	/// A meter's day totals and completeness from `first`, at most `count` days.
	pub async fn days(
		&self,
		meter: u32,
		first: u32,
		count: u32,
	) -> Result<Option<DaySeries>, ClientError> {
		let call = chain::runtime_apis().meters_api().days(meter, first, count);
		self.runtime_call(call, "query MetersApi.days").await
	}

	/// Whether `readings` chained from `start` end at the meter's hash chain head.
	pub async fn verify_chain(
		&self,
		meter: u32,
		start: HashChain,
		readings: Vec<Reading>,
	) -> Result<ChainCheck, ClientError> {
		let call = chain::runtime_apis().meters_api().verify_chain(meter, start, readings);
		self.runtime_call(call, "query MetersApi.verify_chain").await
	}
}

/// The pool's refusal in the text of a submission's RPC error, as `TransactionInvalid` would
/// have said it.
fn pool_answer(message: &str) -> Option<ClientError> {
	let message = message.to_lowercase();
	let in_pool = ["already imported", "priority is too low"];
	if in_pool.iter().any(|text| message.contains(text)) {
		return Some(ClientError::AlreadyInPool);
	}
	if message.contains("temporarily banned") {
		return Some(ClientError::Banned);
	}
	let invalid = if message.contains("outdated") {
		TransactionInvalid::Stale
	} else if message.contains("bad signature") {
		TransactionInvalid::BadProof
	} else {
		let code = message.split("custom error: ").nth(1)?;
		let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
		TransactionInvalid::Custom(digits.parse().ok()?)
	};
	Some(unsigned_refusal(invalid))
}

/// The outcomes of readings in one finalized block.
#[derive(Debug, Clone)]
pub struct BlockReadings {
	pub number: u64,
	pub hash: BlockHash,
	/// Accepted readings, as runs from one meter each: each run is exactly the sequences
	/// `last_sequence - count + 1 ..= last_sequence`.
	pub accepted: Vec<AcceptedRun>,
	pub refused: Vec<ReadingRefused>,
	/// Numbers devices declared they will never deliver.
	pub skipped: Vec<SequencesSkipped>,
}

impl Client {
	/// The number and hash of the latest finalized block.
	pub async fn finalized_head(&self) -> Result<(u64, BlockHash), ClientError> {
		let at = self.latest().await?;
		Ok((at.block_number(), at.block_hash()))
	}

	/// What became of the readings in finalized block `number`. Fails if the node no longer
	/// keeps that block's state (a pruned, non-archive node).
	pub async fn readings_in_block(&self, number: u64) -> Result<BlockReadings, ClientError> {
		let at = self.api.at_block(number).await.map_err(ClientError::chain("read block"))?;
		let events = at.events().fetch().await.map_err(ClientError::chain("read events"))?;
		let mut accepted = Vec::new();
		for event in events.find::<ReadingsAccepted>() {
			accepted
				.extend(event.map_err(ClientError::chain("decode Meters.ReadingsAccepted"))?.runs);
		}
		let refused = events
			.find::<ReadingRefused>()
			.collect::<Result<Vec<_>, _>>()
			.map_err(ClientError::chain("decode Meters.ReadingRefused"))?;
		let skipped = events
			.find::<SequencesSkipped>()
			.collect::<Result<Vec<_>, _>>()
			.map_err(ClientError::chain("decode Meters.SequencesSkipped"))?;
		Ok(BlockReadings { number, hash: at.block_hash(), accepted, refused, skipped })
	}

	/// The signed readings of `meter` that the `submit_readings` transactions in block `hash`
	/// carried, judged or not (forgeries too), in the order they came: what an archive of the
	/// meter's readings is checked against. Fails if the node no longer keeps that block's body.
	pub async fn readings_carried(
		&self,
		hash: BlockHash,
		meter: u32,
	) -> Result<Vec<SignedReading>, ClientError> {
		let at = self.api.at_block(hash).await.map_err(ClientError::chain("read block"))?;
		let extrinsics =
			at.extrinsics().fetch().await.map_err(ClientError::chain("read the block's body"))?;
		let mut readings = Vec::new();
		for call in extrinsics.find::<chain::meters::calls::SubmitReadings>() {
			let call = call.map_err(ClientError::chain("decode Meters.submit_readings"))?;
			readings
				.extend(call.readings.into_iter().filter(|signed| signed.reading.meter == meter));
		}
		Ok(readings)
	}
}

/// The event `E` (named `name`) each finalized transaction of `results` emitted.
fn each_event<E: subxt::events::DecodeAsEvent>(
	results: &[(BlockHash, subxt::extrinsics::ExtrinsicEvents<Config>)],
	name: &'static str,
) -> Result<Vec<E>, ClientError> {
	results
		.iter()
		.map(|(_, events)| {
			events
				.find_first::<E>()
				.ok_or(ClientError::MissingEvent(name))?
				.map_err(ClientError::chain("decode the transaction's event"))
		})
		.collect()
}

fn outcome(
	block_hash: BlockHash,
	events: &subxt::extrinsics::ExtrinsicEvents<Config>,
) -> Result<BatchOutcome, ClientError> {
	let mut accepted = Vec::new();
	for event in events.find::<ReadingsAccepted>() {
		accepted.extend(event.map_err(ClientError::chain("decode Meters.ReadingsAccepted"))?.runs);
	}
	let refused = events
		.find::<ReadingRefused>()
		.collect::<Result<Vec<_>, _>>()
		.map_err(ClientError::chain("decode Meters.ReadingRefused"))?;
	Ok(BatchOutcome { block_hash, accepted, refused })
}

/// The error for a batch with no account that the pool refused.
fn unsigned_refusal(invalid: TransactionInvalid) -> ClientError {
	match invalid {
		TransactionInvalid::Custom(code) if is_pool_refusal(code) => pool_refusal(code),
		TransactionInvalid::BadProof => ClientError::ReadingsRefused {
			reason: "a reading is not signed by its meter's device key for this chain",
			refusal: PoolRefusal::Signature,
		},
		TransactionInvalid::Stale => ClientError::ReadingsRefused {
			reason: "a reading's sequence number is already on chain (a replay or a stale reading)",
			refusal: PoolRefusal::Stale,
		},
		other => ClientError::Refused { reason: format!("{other:?}") },
	}
}

#[cfg(test)]
mod tests {
	// Test code: a panic is a failing test with its message.
	#![allow(clippy::unwrap_used)]
	use super::*;

	/// What a refused submission prints in its debug form: the pool's reason is in `data`.
	fn rpc_error(data: &str) -> String {
		format!(
			"Invalid Transaction (1010) ExtrinsicError(ErrorSubmittingTransaction(Rpc(ClientError(\
			 User(UserError {{ code: 1010, message: \"Invalid Transaction\", data: \
			 Some(RawValue(\"{data}\")) }})))))"
		)
	}

	#[test]
	fn the_pools_reason_is_read_from_the_errors_data() {
		let refusal = |data| match pool_answer(&rpc_error(data)) {
			Some(ClientError::ReadingsRefused { refusal, .. }) => Some(refusal),
			_ => None,
		};
		assert_eq!(
			refusal("Custom error: 39"),
			Some(PoolRefusal::Reading(RefusalReason::ImplausiblePower))
		);
		assert_eq!(refusal("Custom error: 44"), Some(PoolRefusal::Reading(RefusalReason::TooSoon)));
		assert_eq!(refusal("Custom error: 19"), Some(PoolRefusal::Retired));
		assert_eq!(refusal("Custom error: 11"), Some(PoolRefusal::Meter));
		assert_eq!(refusal("Custom error: 17"), Some(PoolRefusal::Ahead));
		assert_eq!(refusal("Custom error: 15"), Some(PoolRefusal::Batch));
		assert_eq!(refusal("Transaction is outdated"), Some(PoolRefusal::Stale));
		assert_eq!(refusal("Transaction has a bad signature"), Some(PoolRefusal::Signature));
		// Not the meters pallet's: no refusal of readings.
		assert_eq!(refusal("Custom error: 1"), None);
		assert!(matches!(
			pool_answer("Transaction Already Imported (1013)"),
			Some(ClientError::AlreadyInPool)
		));
		assert!(matches!(
			pool_answer("Transaction is temporarily banned (1012)"),
			Some(ClientError::Banned)
		));
	}
}
