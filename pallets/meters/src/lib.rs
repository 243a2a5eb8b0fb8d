//! # Sites, meters and signed readings
//!
//! The metered evidence every SmartBlocks contract settles on. A reading counts only when the
//! meter's own device key signed it, whoever relays it, and every accepted raw reading stays
//! verifiable against the chain through a per-meter hash chain.
//!
//! - **Sites** are buildings owned by members with the `BuildingOwner` role: name, location
//!   (coordinates and the weather region), gross floor area, use type and time zone.
//! - **Meters** belong to a site: kind (grid import, grid export, generation, sub-meter, heat,
//!   temperature), unit, multiplier, the highest power their circuit carries, the sr25519 device
//!   key that signs their readings, and status. The site's owner registers them, rotates keys,
//!   declares exchanges of the physical meter (a new register baseline) and suspends, reinstates
//!   or retires them.
//! - **Readings** arrive in batches through [`Pallet::submit_readings`]: relayed by any member
//!   account, or, with no account at all, as a general transaction authorized by the readings'
//!   own signatures (`#[pallet::authorize]`; the runtime puts `frame_system::AuthorizeCall` in
//!   its transaction extensions). A member's node can also pull the pending readings of its
//!   buildings' bridges with this pallet's off-chain worker and submit them so ([`offchain`]).
//!   Each reading is judged on its own: a refused one is reported with its [`RefusalReason`]
//!   and its sequence number is spent, the others still count.
//! - **Council**: it can suspend a single meter ([`Pallet::force_meter_status`]) so that its
//!   owner cannot reinstate it.
//!
//! ## What a reading must satisfy
//!
//! To be judged at all, a reading must be its meter's **turn**: the device's signature over
//! `SCALE((genesis_hash, reading))` verifies with the meter's key, its sequence is exactly one
//! above the last the meter's device delivered (the first is [`FIRST_SEQUENCE`]), the meter is
//! active, its owner is an active member, and the meter has not used its
//! [`Config::MaxIngestPerBlock`] in this block. A reading out of turn is passed over with its
//! sequence left open and no event naming it, so neither a relay nor a block author can make a
//! genuine reading stale by bringing a later one first, and a forged reading cannot pass for the
//! device's own refusal. A device that will never deliver some numbers (its bridge lost them, or
//! the pool refuses them) says so itself with a signed [`SequenceSkip`]
//! ([`Pallet::skip_sequences`]); skipping hides no energy, the next register carries it.
//!
//! Judged in turn, a reading counts if its timestamp is after the last accepted reading's by at
//! least [`Config::MinReadingInterval`] and at most [`Config::MaxClockDrift`] ahead of the
//! chain's clock; for energy meters the register does not fall (a declared exchange sets a new
//! baseline), its advance implies at most the meter's declared maximum power, and a reported
//! demand is within it; temperatures lie within
//! [`Config::MinTemperature`]..=[`Config::MaxTemperature`] and are present on temperature
//! sensors. Otherwise it is refused for good with the reason.
//!
//! ## Free readings and block space
//!
//! Batches no account signs pay no fee, so the pool admits one only when dispatch would judge
//! and accept every reading in it ([`Pallet::authorize_readings`] runs the same checks against
//! the same state): in turn, consecutive per meter, signed, not ahead of the clock, plausible,
//! within the allowances per block. A block judges at most [`Config::MaxIngestPerBlock`]
//! readings and skips of one meter and [`Config::MaxIngestPerOwnerPerBlock`] of one member's
//! meters, on both paths; a block that holds a free batch over either makes itself invalid,
//! and relayed readings over them wait. A batch waits in the pool for earlier readings of its
//! meter for at most [`WAITING_BLOCKS`] blocks' allowance. Free batches take the pool priority
//! [`Config::AuthorizedPriority`], which the runtime sets below any signed transaction's (0
//! against at least 1 for an untipped call): block authors include every member's call and
//! council motion first, and readings fill the space left, no member more than its share.
//!
//! ## What is kept
//!
//! - In the meter's own record (one storage item, so a reading costs one read and one write):
//!   the newest reading, the hash chain head, and the open period and day.
//! - Per settlement period of [`Config::PeriodLength`] (15 minutes in the runtime), for the last
//!   [`Config::PeriodRetention`] periods: energy, completeness, readings, peak demand,
//!   temperature. The register's advance between two readings is spread over the periods they
//!   span in proportion to time, with cumulative rounding so the shares add up to the advance
//!   exactly. A gap of more than [`Config::MaxSpreadPeriods`] periods is not guessed at: its
//!   energy is kept as the day's `unallocated` energy and the periods it spans stay incomplete.
//! - Per UTC day, for the last [`Config::DayRetention`] days: energy, unallocated energy, complete
//!   periods (data completeness), readings and the hash chain after the day's last reading.
//! - Per member and UTC day: the complete periods of its meters' days that owed it, and how many
//!   of its meters owed the day and were active at its end, for the days that count changed;
//!   per meter, the first day it owes and what leaving service credited of its open day.
//! - Old periods and days are removed in bounded `on_idle` work.
//!
//! ## Data completeness
//!
//! Every meter active when a UTC day begins owes that day every settlement period, and so does
//! one reinstated during the day; one registered during a day owes from the next. Once the day
//! has been over for a full day (time for a bridge to catch up after an outage), the member's
//! completeness of it, the complete periods of the meters that owed it over the periods they
//! owed (at most 1000 ‰), is reported to the registry as `ReputationCause::DataCompleteness`,
//! whose points the registry's rule sets.
//!
//! - **Silent meters count.** What is owed comes from the count of meters that owed the day, not
//!   from the days that closed, so a meter that sends nothing owes its periods all the same.
//! - **Nothing masks a gap.** A meter's day is credited only if the meter owed it: a new meter's
//!   readings dated before it was registered, or a meter suspended over midnight, add nothing.
//!   A meter that leaves active service still owes that day and is credited with the periods it
//!   completed so far; if its day closes later, only the rest is added.
//! - **One report per member and day, in order.** Idle blocks report, going round the members;
//!   anyone may also call [`Pallet::report_completeness`]. The days of a member are reported
//!   strictly one after the other, so none can be skipped or chosen. A day that owed nothing, or
//!   of a member not active when the day is reported (the registry's status, which only the
//!   council changes), is passed without a report. Days older than [`Config::DayRetention`] are
//!   passed over without reports (their counts are removed).
//! - A report is kept with the member's day: periods that arrive later are added to the day but
//!   leave what was reported as it was.
//! - Completeness is what the member's own devices signed: the chain cannot tell a meter from a
//!   device key its owner holds. What bounds farming is one report per member and day (+2 at
//!   most, in the registry's rule).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod aggregation;
mod authorize;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod completeness;
mod evidence;
mod functions;
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod offchain;
mod pruning;
mod readings;
pub mod runtime_api;
mod skips;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use aggregation::spread;
pub use authorize::{authorize_codes, WAITING_BLOCKS};
pub use evidence::{MeterData, MeterFacts, SiteFacts};
pub use readings::{chain_next, signing_payload, skip_payload};
pub use skips::MAX_SKIP;
pub use types::*;
pub use weights::WeightInfo;

/// What benchmarks need from the runtime beyond the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Makes the chain's clock read `now` (ms since the Unix epoch).
	fn set_time(now: Moment);
}

// The pallet macros expand to `expect` on metadata lookups that cannot fail.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{Get, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use pallet_registry::{MemberId, MemberRegistry, ReputationReporter};
	use sp_core::sr25519;

	/// The storage layout version; migrations bump it.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config + frame_system::offchain::CreateAuthorizedTransaction<Call<Self>>
	{
		/// Who acts for which member, and in which roles.
		type Members: MemberRegistry<Self::AccountId>;
		/// Where members' data completeness moves their reputation (the registry).
		type Reputation: ReputationReporter;
		/// The chain's clock (the timestamp pallet).
		type UnixTime: UnixTime;
		/// Length of a settlement period in milliseconds; a day must hold a whole number of them.
		#[pallet::constant]
		type PeriodLength: Get<u64>;
		/// Settlement periods whose aggregates are kept.
		#[pallet::constant]
		type PeriodRetention: Get<u32>;
		/// Days whose totals are kept.
		#[pallet::constant]
		type DayRetention: Get<u32>;
		/// The most periods the energy between two readings is spread over; longer gaps leave
		/// their energy unallocated.
		#[pallet::constant]
		type MaxSpreadPeriods: Get<u32>;
		/// How far (ms) a reading's timestamp may run ahead of the chain's clock.
		#[pallet::constant]
		type MaxClockDrift: Get<u64>;
		/// The least time (ms) between a meter's accepted readings. It bounds the readings a
		/// period can hold, which the aggregates' counters are sized for.
		#[pallet::constant]
		type MinReadingInterval: Get<u64>;
		/// Readings and skips of one meter that one block may judge.
		#[pallet::constant]
		type MaxIngestPerBlock: Get<u32>;
		/// Readings and skips of all of one member's meters that one block may judge, so no
		/// member's meters take more than a share of a block whatever their number.
		#[pallet::constant]
		type MaxIngestPerOwnerPerBlock: Get<u32>;
		/// Lowest plausible temperature, in tenths of a degree Celsius.
		#[pallet::constant]
		type MinTemperature: Get<i16>;
		/// Highest plausible temperature, in tenths of a degree Celsius.
		#[pallet::constant]
		type MaxTemperature: Get<i16>;
		/// Readings in one batch.
		#[pallet::constant]
		type MaxBatch: Get<u32>;
		/// Meters on one site.
		#[pallet::constant]
		type MaxMetersPerSite: Get<u32>;
		/// Bytes of a site's name.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;
		/// Pool priority of batches authorized by their readings' signatures; the runtime keeps
		/// it below every signed transaction's, so readings never crowd out members' calls.
		#[pallet::constant]
		type AuthorizedPriority: Get<TransactionPriority>;
		/// Who suspends a meter over its owner's head and lifts that suspension (the council).
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks an authorized batch stays valid in the pool.
		#[pallet::constant]
		type AuthorizedLongevity: Get<TransactionLongevity>;
		type WeightInfo: WeightInfo;
		/// Sets the clock for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// The next site's number.
	#[pallet::storage]
	pub type NextSiteId<T> = StorageValue<_, SiteId, ValueQuery>;

	/// Sites by number.
	#[pallet::storage]
	pub type Sites<T: Config> = StorageMap<_, Twox64Concat, SiteId, SiteOf<T>>;

	/// The sites each member owns.
	#[pallet::storage]
	pub type OwnerSites<T> =
		StorageDoubleMap<_, Twox64Concat, MemberId, Twox64Concat, SiteId, (), OptionQuery>;

	/// The next meter's number.
	#[pallet::storage]
	pub type NextMeterId<T> = StorageValue<_, MeterId, ValueQuery>;

	/// Meters by number, with their hot state.
	#[pallet::storage]
	pub type Meters<T> = StorageMap<_, Twox64Concat, MeterId, Meter>;

	/// Which meter a device key signs for (a key serves one meter).
	#[pallet::storage]
	pub type MeterOfKey<T> = StorageMap<_, Blake2_128Concat, sr25519::Public, MeterId>;

	/// Closed settlement periods' aggregates, by period then meter so old periods are removed by
	/// prefix. Periods come from signed, clock-checked timestamps and meters from the chain.
	#[pallet::storage]
	pub type PeriodAggregates<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		PeriodIndex,
		Twox64Concat,
		MeterId,
		PeriodAggregate,
		OptionQuery,
	>;

	/// Closed days' totals, by day then meter.
	#[pallet::storage]
	pub type DayTotals<T> =
		StorageDoubleMap<_, Twox64Concat, DayIndex, Twox64Concat, MeterId, DayTotal, OptionQuery>;

	/// Each member's meters in data completeness; a member gains a ledger with its first meter.
	#[pallet::storage]
	pub type Completeness<T> = StorageMap<_, Twox64Concat, MemberId, CompletenessLedger>;

	/// Which days each meter owes, for data completeness.
	#[pallet::storage]
	pub type MeterActivities<T> = StorageMap<_, Twox64Concat, MeterId, MeterActivity>;

	/// Each member's data completeness per day, by day then member so old days are removed by
	/// prefix.
	#[pallet::storage]
	pub type MemberDays<T> =
		StorageDoubleMap<_, Twox64Concat, DayIndex, Twox64Concat, MemberId, MemberDay, ValueQuery>;

	/// The member whose completeness an idle block looked at last; the next goes on after it.
	#[pallet::storage]
	pub type CompletenessCursor<T> = StorageValue<_, MemberId>;

	/// How far the removal of old periods and days has got.
	#[pallet::storage]
	pub type Pruning<T> = StorageValue<_, PruneCursor, ValueQuery>;

	/// Readings and skips of each member's meters judged in the latest block that had any.
	/// Members are numbered by the registry.
	#[pallet::storage]
	pub type OwnerIngest<T> = StorageMap<_, Twox64Concat, MemberId, BlockIngest, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A member registered a site.
		SiteRegistered { site: SiteId, owner: MemberId },
		/// A site's owner changed its details.
		SiteUpdated { site: SiteId },
		/// A site's owner registered a meter.
		MeterRegistered {
			meter: MeterId,
			site: SiteId,
			kind: MeterKind,
			device_key: sr25519::Public,
		},
		/// A meter's device key was replaced.
		DeviceKeyRotated { meter: MeterId, device_key: sr25519::Public },
		/// The physical meter was exchanged at `at` (ms): `final_register` closed the old
		/// register and `baseline` starts the new one.
		MeterExchanged { meter: MeterId, final_register: u64, baseline: u64, at: Moment },
		/// A meter's status changed.
		MeterStatusChanged { meter: MeterId, status: MeterStatus },
		/// Readings of a batch were accepted: each run of consecutive readings from one meter,
		/// in batch order. One event per batch keeps a block of many meters' readings cheap; the
		/// hash chain heads are in the runtime API.
		ReadingsAccepted { runs: Vec<AcceptedRun> },
		/// A reading, signed by its device and in its meter's turn, was refused for good.
		ReadingRefused { meter: MeterId, sequence: u64, reason: RefusalReason },
		/// Readings of a relayed batch were not judged, and their sequences stay open:
		/// `unverified` did not carry their meter's signature (forgeries, or readings of no
		/// meter), `stale` were at or below their meter's last sequence, `waiting` were not
		/// their meter's next, came over its allowance in this block, or their meter or its
		/// owner is suspended.
		ReadingsNotJudged { unverified: u32, stale: u32, waiting: u32 },
		/// A meter's device declared that it will never deliver readings `first..=last`.
		SequencesSkipped { meter: MeterId, first: u64, last: u64 },
		/// A member's data completeness of `day` was reported to the registry, in per mille of
		/// the periods its meters owed; `None` when it owed none (no meter active at the day's
		/// start) or was not an active member, which moves nothing.
		CompletenessReported { member: MemberId, day: DayIndex, per_mille: Option<u16> },
		/// Days `from..to` of a member were not reported while their counts were kept; reports
		/// go on from `to`.
		CompletenessLapsed { member: MemberId, from: DayIndex, to: DayIndex },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signer does not act for an active member.
		NotAMember,
		/// Registering sites takes the `BuildingOwner` role.
		NotABuildingOwner,
		/// No site has this number.
		UnknownSite,
		/// The site belongs to another member.
		NotSiteOwner,
		/// A site needs a name.
		EmptyName,
		/// Latitude must lie within ±90° and longitude within ±180°.
		InvalidLocation,
		/// The region code must be 1–16 ASCII letters, digits, `-` or `_`.
		InvalidRegion,
		/// The time zone must be an IANA name: 1–40 ASCII letters, digits, `/`, `_`, `+` or `-`.
		InvalidTimeZone,
		/// A site's floor area must be positive.
		ZeroFloorArea,
		/// The site already has `MaxMetersPerSite` meters.
		TooManyMeters,
		/// No meter has this number.
		UnknownMeter,
		/// An energy meter needs a multiplier of at least 1.
		ZeroMultiplier,
		/// An energy meter needs a positive maximum power.
		ZeroMaxPower,
		/// Another meter already signs with this device key.
		DeviceKeyInUse,
		/// The meter is retired and cannot change.
		MeterRetired,
		/// That status change is not allowed (retired is final; the status must change).
		InvalidStatusChange,
		/// Temperature sensors have no register to exchange.
		NotAnEnergyMeter,
		/// The old register's final value is below its last accepted reading.
		FinalRegisterBelowLast,
		/// A batch needs at least one reading.
		EmptyBatch,
		/// A batch holds at most `MaxBatch` readings.
		BatchTooLarge,
		/// The next site or meter number would overflow.
		NumbersExhausted,
		/// The old register's advance times the multiplier does not fit the meter's watt-hours.
		FinalRegisterOverflow,
		/// The old register's advance since the last reading implies more power than the meter's
		/// declared maximum: it cannot have measured that energy.
		ImplausibleExchange,
		/// The council suspended the meter; only the council lifts that.
		SuspendedByCouncil,
		/// The skip's signature is not the meter's device key over this chain and the skip.
		InvalidSkipSignature,
		/// The skip does not start at the meter's next sequence number.
		SkipNotInTurn,
		/// The meter is suspended or retired, or its owner is not an active member.
		MeterNotActive,
		/// The skip's last number is below its first.
		EmptySkip,
		/// A skip covers at most `MAX_SKIP` numbers.
		SkipTooLong,
		/// The meter has used its readings and skips for this block; try in the next.
		IngestLimitReached,
		/// An exchange's time is later than the chain's.
		ExchangeInFuture,
		/// An exchange's time is not after the meter's last reading.
		ExchangeNotAfterLastReading,
		/// An exchange's time lies further back than one reading's energy is spread
		/// (`MaxSpreadPeriods` periods).
		ExchangeTooLongAgo,
		/// The member never had a meter: it has no completeness to report.
		NoMeters,
		/// The member's next day to report has not been over for a full day yet.
		CompletenessNotDue,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let period = T::PeriodLength::get();
			assert!(period > 0 && DAY_MS.is_multiple_of(period), "a day must hold whole periods");
			assert!(DAY_MS / period <= u64::from(u16::MAX), "periods per day must fit a u16");
			assert!(T::PeriodRetention::get() > 0, "PeriodRetention must keep a period");
			assert!(T::DayRetention::get() > 0, "DayRetention must keep a day");
			assert!(T::MaxSpreadPeriods::get() > 0, "MaxSpreadPeriods must allow one period");
			assert!(T::MaxBatch::get() > 0, "MaxBatch must allow a reading");
			assert!(T::MaxIngestPerBlock::get() > 0, "MaxIngestPerBlock must allow a reading");
			assert!(
				T::MaxIngestPerOwnerPerBlock::get() >= T::MaxIngestPerBlock::get(),
				"a member's allowance must hold a meter's"
			);
			let interval = T::MinReadingInterval::get();
			assert!(interval > 0, "MinReadingInterval must be positive");
			// A period's counters (u16 readings and temperatures, an i32 temperature sum) hold
			// every reading the interval lets into a period.
			let per_period = period.div_ceil(interval).saturating_add(1);
			assert!(per_period <= u64::from(u16::MAX), "a period's readings must fit a u16");
			let extreme = i64::from(T::MinTemperature::get().unsigned_abs())
				.max(i64::from(T::MaxTemperature::get().unsigned_abs()));
			assert!(
				extreme.saturating_mul(per_period as i64) <= i64::from(i32::MAX),
				"a period's temperature sum must fit an i32"
			);
			assert!(T::MaxNameLen::get() > 0, "MaxNameLen must allow a name");
			assert!(
				T::MinTemperature::get() < T::MaxTemperature::get(),
				"the temperature range must not be empty"
			);
		}

		fn on_idle(_: BlockNumberFor<T>, remaining: Weight) -> Weight {
			let pruned = Self::prune(remaining);
			pruned.saturating_add(Self::report_due(remaining.saturating_sub(pruned)))
		}

		fn offchain_worker(block: BlockNumberFor<T>) {
			Self::pull_bridges(block)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a site (a building).
		///
		/// Origin: an account of an active member with the `BuildingOwner` role, which becomes
		/// the owner.
		///
		/// Emits `SiteRegistered`. Errors: `NotAMember`, `NotABuildingOwner`, `EmptyName`,
		/// `InvalidLocation`, `InvalidRegion`, `InvalidTimeZone`, `ZeroFloorArea`,
		/// `NumbersExhausted`. (A name over `MaxNameLen` bytes does not decode.)
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_site())]
		pub fn register_site(origin: OriginFor<T>, details: SiteDetailsOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_site(who, details)
		}

		/// Replace a site's details.
		///
		/// Origin: an account of the site's owner.
		///
		/// Emits `SiteUpdated`. Errors: `NotAMember`, `UnknownSite`, `NotSiteOwner`, and those
		/// of `register_site` for the details.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_site())]
		pub fn update_site(
			origin: OriginFor<T>,
			site: SiteId,
			details: SiteDetailsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_site(who, site, details)
		}

		/// Register a meter on a site; it starts active with no readings.
		///
		/// Origin: an account of the site's owner.
		///
		/// Emits `MeterRegistered`. Errors: `NotAMember`, `UnknownSite`, `NotSiteOwner`,
		/// `TooManyMeters`, `ZeroMultiplier`, `ZeroMaxPower`, `DeviceKeyInUse`,
		/// `NumbersExhausted`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register_meter())]
		pub fn register_meter(
			origin: OriginFor<T>,
			site: SiteId,
			spec: MeterSpec,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_meter(who, site, spec)
		}

		/// Replace a meter's device key; readings signed by the old key are refused from now on.
		///
		/// Origin: an account of the owner of the meter's site.
		///
		/// Emits `DeviceKeyRotated`. Errors: `NotAMember`, `UnknownMeter`, `NotSiteOwner`,
		/// `MeterRetired`, `DeviceKeyInUse`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::rotate_device_key())]
		pub fn rotate_device_key(
			origin: OriginFor<T>,
			meter: MeterId,
			device_key: sr25519::Public,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rotate_device_key(who, meter, device_key)
		}

		/// Declare that the physical meter was exchanged at `at` (ms since the epoch).
		///
		/// At `at` the old register read `final_register`, which closes it: its advance since
		/// the last reading counts up to `at` like a reading's. The new register read `baseline`
		/// at `at` and counts from there; its readings must be timestamped after `at`. `at` is
		/// when the baseline was read, not when the declaration lands: a baseline read a while
		/// before the block would otherwise have the new meter's energy since then judged over
		/// too short an interval. `at` lies after the meter's last reading, not after the
		/// chain's time and at most `MaxSpreadPeriods` periods before it (an hour): the owner's
		/// registers, which no device signed, cannot fill a meter's past. A meter whose last
		/// reading ran ahead of the chain's clock takes an exchange once the clock passed it.
		/// A new device key, if given, replaces the old one.
		///
		/// No device signed either register, so both get a reading's power bound: the old
		/// register's advance over the time up to `at` here, the new one's over the time after
		/// `at` when its first reading is judged. An owner cannot book more than the meter can
		/// measure, wherever it puts `at`.
		///
		/// Origin: an account of the owner of the meter's site.
		///
		/// Emits `MeterExchanged` (and `DeviceKeyRotated` with a new key). Errors: `NotAMember`,
		/// `UnknownMeter`, `NotSiteOwner`, `MeterRetired`, `SuspendedByCouncil`,
		/// `NotAnEnergyMeter`, `ExchangeInFuture`, `ExchangeTooLongAgo`,
		/// `ExchangeNotAfterLastReading`, `FinalRegisterBelowLast`, `FinalRegisterOverflow`, `ImplausibleExchange`,
		/// `DeviceKeyInUse`.
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::exchange_weight())]
		pub fn declare_exchange(
			origin: OriginFor<T>,
			meter: MeterId,
			final_register: u64,
			baseline: u64,
			at: Moment,
			device_key: Option<sr25519::Public>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_declare_exchange(who, meter, final_register, baseline, at, device_key)
		}

		/// Suspend, reinstate or retire a meter. Retiring is final; history stays. While a meter
		/// is suspended its readings wait, unjudged.
		///
		/// Origin: an account of the owner of the meter's site.
		///
		/// Emits `MeterStatusChanged`. Errors: `NotAMember`, `UnknownMeter`, `NotSiteOwner`,
		/// `MeterRetired`, `SuspendedByCouncil`, `InvalidStatusChange` (the same status, or
		/// `SuspendedByCouncil`, which only the council sets).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_meter_status())]
		pub fn set_meter_status(
			origin: OriginFor<T>,
			meter: MeterId,
			status: MeterStatus,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_meter_status(who, meter, status)
		}

		/// Submit a batch of signed readings; each in its meter's turn is accepted or refused on
		/// its own.
		///
		/// Origin: an account of an active member (a relay; it pays the fee), or none: a general
		/// transaction authorized by the readings themselves, feeless, valid in the pool only
		/// when dispatch would accept every reading ([`Pallet::authorize_readings`]); it
		/// provides one tag per (meter, sequence), so the pool keeps one copy of each reading.
		///
		/// Emits `ReadingRefused` for each refused reading, `ReadingsNotJudged` if any were out
		/// of turn or unverified, and, if any were accepted, one `ReadingsAccepted` listing them
		/// by meter. Errors (the whole batch): `NotAMember`, `EmptyBatch`, `BatchTooLarge`. The
		/// weight charged is for the readings judged and the periods and days they closed.
		// The batch arrives unbounded so an oversized one gets `BatchTooLarge` rather than a
		// decoding failure; the weight is charged for at most `MaxBatch` readings, and the block
		// length (and for relays the length fee) bounds the bytes.
		#[pallet::call_index(6)]
		#[pallet::weight(Pallet::<T>::submit_weight_limit(readings.len()))]
		#[pallet::authorize(Pallet::<T>::authorize_readings)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_readings(
			Pallet::<T>::batch_len(readings.len())
		).saturating_add(Pallet::<T>::owners_weight(Pallet::<T>::batch_len(readings.len()))))]
		pub fn submit_readings(
			origin: OriginFor<T>,
			readings: Vec<SignedReading>,
		) -> DispatchResultWithPostInfo {
			let relay = match ensure_authorized(origin.clone()) {
				Ok(()) => None,
				Err(_) => Some(ensure_signed(origin)?),
			};
			Self::do_submit_readings(relay, readings)
		}

		/// Suspend a meter over its owner's head, lift that suspension, or set any status but
		/// a retired meter's.
		///
		/// Origin: [`Config::ForceOrigin`] (the council).
		///
		/// Emits `MeterStatusChanged`. Errors: `UnknownMeter`, `MeterRetired`,
		/// `InvalidStatusChange` (the status must change).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::force_meter_status())]
		pub fn force_meter_status(
			origin: OriginFor<T>,
			meter: MeterId,
			status: MeterStatus,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_force_meter_status(meter, status)
		}

		/// Declare, with the device's signature, that the meter will never deliver readings
		/// `first..=last`, so its later readings come in turn.
		///
		/// Origin: an account of an active member (a relay; it pays the fee), or none: a general
		/// transaction authorized by the skip's signature, feeless, valid in the pool when it
		/// starts at the meter's next number (or requires the reading before it) and the
		/// meter has allowance left in the block.
		///
		/// Emits `SequencesSkipped`. Errors: `NotAMember`, `UnknownMeter`,
		/// `InvalidSkipSignature`, `EmptySkip`, `SkipTooLong`, `SkipNotInTurn`,
		/// `MeterNotActive`, `IngestLimitReached`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::skip_sequences())]
		#[pallet::authorize(Pallet::<T>::authorize_skip)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_skip_sequences())]
		pub fn skip_sequences(
			origin: OriginFor<T>,
			skip: SignedSkip,
		) -> DispatchResultWithPostInfo {
			let relay = match ensure_authorized(origin.clone()) {
				Ok(()) => None,
				Err(_) => Some(ensure_signed(origin)?),
			};
			Self::do_skip_sequences(relay, skip)
		}

		/// Report a member's data completeness of its oldest unreported day to the registry,
		/// which moves its reputation (see "Data completeness" in the pallet docs). Idle blocks
		/// make the same reports on their own; this call is for when blocks have no room.
		///
		/// Origin: any signed account (it pays the fee).
		///
		/// Emits `CompletenessReported`, or `CompletenessLapsed` when the day is older than
		/// what is kept. Errors: `NoMeters`, `CompletenessNotDue`, and the registry's if it
		/// refuses the report.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::report_completeness())]
		pub fn report_completeness(origin: OriginFor<T>, member: MemberId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_report_completeness(member)
		}
	}
}
