//! Sites, meters, readings and the aggregates kept of them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::ConstU32, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use pallet_registry::MemberId;
use scale_info::TypeInfo;
use sp_core::{sr25519, H256};

/// A site's number, given by the chain in registration order.
pub type SiteId = u32;
/// A meter's number, given by the chain in registration order.
pub type MeterId = u32;
/// A settlement period: milliseconds since the Unix epoch divided by the period length.
pub type PeriodIndex = u32;
/// A UTC day: milliseconds since the Unix epoch divided by 86 400 000.
pub type DayIndex = u32;
/// Milliseconds since the Unix epoch.
pub type Moment = u64;

pub use smartblocks_rules::time::DAY_MS;

/// Bytes of a region code (a weather region or station id such as `DE-BE` or `EDDB`).
pub type MaxRegionLen = ConstU32<16>;
/// Bytes of an IANA time zone name such as `Europe/Berlin`.
pub type MaxTimeZoneLen = ConstU32<40>;

/// What a building is used for, as energy benchmarks group them.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum UseType {
	Office,
	Education,
	Laboratory,
	Residential,
	Retail,
	Healthcare,
	Hotel,
	Sports,
	Industrial,
	Warehouse,
	DataCentre,
	Mixed,
	Other,
}

/// Where a site is: coordinates in millionths of a degree and the region its weather comes from.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Location {
	/// Latitude in millionths of a degree, −90 000 000 to 90 000 000.
	pub latitude: i32,
	/// Longitude in millionths of a degree, −180 000 000 to 180 000 000.
	pub longitude: i32,
	/// The region code the oracle's weather and price feeds use for this site.
	pub region: BoundedVec<u8, MaxRegionLen>,
}

/// What an owner says about a site when registering or updating it.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxNameLen))]
pub struct SiteDetails<MaxNameLen: frame_support::traits::Get<u32>> {
	/// The building's name (UTF-8).
	pub name: BoundedVec<u8, MaxNameLen>,
	pub location: Location,
	/// Gross floor area in square metres, the denominator of energy intensity.
	pub floor_area: u32,
	pub use_type: UseType,
	/// IANA time zone name (ASCII), for showing local days; aggregates are kept in UTC.
	pub time_zone: BoundedVec<u8, MaxTimeZoneLen>,
}

/// A building owned by a member, with the meters registered on it.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxNameLen, MaxMeters))]
pub struct Site<
	MaxNameLen: frame_support::traits::Get<u32>,
	MaxMeters: frame_support::traits::Get<u32>,
> {
	pub owner: MemberId,
	pub details: SiteDetails<MaxNameLen>,
	pub meters: BoundedVec<MeterId, MaxMeters>,
}

/// What a meter measures.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum MeterKind {
	/// Electricity taken from the grid at the site's connection.
	GridImport,
	/// Electricity fed into the grid at the site's connection.
	GridExport,
	/// On-site generation (PV, CHP).
	Generation,
	/// A sub-meter behind the grid connection (a floor, a plant room, a tenant).
	SubMeter,
	/// Heat (district heating or a heat pump's output).
	Heat,
	/// A temperature sensor; its readings carry a temperature, not energy.
	Temperature,
}

impl MeterKind {
	/// Whether the meter has a cumulative energy register.
	pub fn measures_energy(self) -> bool {
		self != MeterKind::Temperature
	}

	/// The unit of the meter's register (after its multiplier) or value.
	pub fn unit(self) -> Unit {
		if self.measures_energy() {
			Unit::WattHour
		} else {
			Unit::DeciCelsius
		}
	}
}

/// The unit a meter's values are kept in.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo, serde::Serialize,
)]
pub enum Unit {
	/// Watt-hours, after the meter's multiplier.
	WattHour,
	/// Tenths of a degree Celsius.
	DeciCelsius,
}

/// Whether a meter's readings count.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
)]
pub enum MeterStatus {
	/// Readings are checked and counted.
	Active,
	/// Readings wait, unjudged, until the owner reinstates the meter.
	Suspended,
	/// Taken out of service for good; its history stays.
	Retired,
	/// Suspended by the council (a disputed or tampered meter): readings wait until the council
	/// lifts it, and the owner cannot.
	SuspendedByCouncil,
}

impl MeterStatus {
	/// Whether only the council may change the status.
	pub fn set_by_council(self) -> bool {
		self == MeterStatus::SuspendedByCouncil
	}
}

/// What an owner says about a meter when registering it.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct MeterSpec {
	pub kind: MeterKind,
	/// Watt-hours per register step (a current transformer's ratio, 1000 for a kWh register).
	/// Ignored for temperature sensors.
	pub multiplier: u32,
	/// The highest power in watts the meter's circuit can carry; readings implying more are
	/// refused. Ignored for temperature sensors.
	pub max_power: u32,
	/// The sr25519 key the meter's readings are signed with.
	pub device_key: sr25519::Public,
}

/// The newest reading a meter's register and clock are judged against.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct LastReading {
	pub timestamp: Moment,
	/// The raw register (before the multiplier); for temperature sensors, zero.
	pub register: u64,
	/// Whether this is an exchange's baseline rather than a reading: the minimum interval
	/// between readings does not run from it.
	pub exchange: bool,
}

/// A per-meter hash chain: `head` after `length` accepted readings. It starts at zero and each
/// accepted reading moves it to `blake2_256(head ++ SCALE(reading))`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct HashChain {
	pub head: H256,
	pub length: u64,
}

/// What a meter delivered in one settlement period.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
)]
pub struct PeriodAggregate {
	/// Watt-hours attributed to the period: the register's advance between readings, spread in
	/// proportion to time over the periods it spans.
	pub energy: u64,
	/// Whether readings span the whole period, so `energy` is all the period's energy.
	pub complete: bool,
	/// Accepted readings timestamped in the period.
	pub readings: u16,
	/// The highest demand (W) a reading in the period reported; 0 if none did.
	pub peak_demand: u32,
	/// Sum and count of the temperatures (0.1 °C) the period's readings carried.
	pub temperature_sum: i32,
	pub temperature_count: u16,
}

impl PeriodAggregate {
	/// Mean temperature in tenths of a degree, if any reading carried one.
	pub fn mean_temperature(&self) -> Option<i32> {
		(self.temperature_count > 0)
			.then(|| self.temperature_sum / i32::from(self.temperature_count))
	}
}

/// What a meter delivered in one UTC day.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
)]
pub struct DayTotal {
	/// Watt-hours attributed to the day's periods.
	pub energy: u64,
	/// Watt-hours of a gap longer than the spread limit that ended this day: known in total,
	/// not per period.
	pub unallocated: u64,
	/// Periods whose energy is complete (for temperature sensors: periods with a reading).
	pub complete_periods: u16,
	/// Accepted readings timestamped in the day.
	pub readings: u32,
	/// The meter's hash chain after the day's last accepted reading, so an archive of one day can
	/// be checked on its own.
	pub chain: HashChain,
}

/// The open day as a meter's record carries it. Its hash chain checkpoint is the meter's chain
/// itself (no reading of a later day has come yet), added when the day closes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct OpenDay {
	pub energy: u64,
	pub unallocated: u64,
	pub complete_periods: u16,
	pub readings: u32,
}

impl OpenDay {
	/// The day's totals with the meter's current hash chain as its checkpoint.
	pub fn total(&self, chain: HashChain) -> DayTotal {
		DayTotal {
			energy: self.energy,
			unallocated: self.unallocated,
			complete_periods: self.complete_periods,
			readings: self.readings,
			chain,
		}
	}
}

/// A meter's record: what it is and, in the same storage item so that a reading costs one read
/// and one write, everything a new reading is judged against and added to.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Meter {
	pub site: SiteId,
	/// The site's owner (sites never change hands), kept here so that judging a reading reads
	/// no site.
	pub owner: MemberId,
	pub spec: MeterSpec,
	pub status: MeterStatus,
	/// The highest sequence number of any reading the device signed that reached the chain,
	/// accepted or refused: a refused reading is final and its number is never used again.
	pub last_sequence: Option<u64>,
	/// The newest accepted reading (or exchange baseline).
	pub last: Option<LastReading>,
	pub chain: HashChain,
	/// The period of the newest reading, still open for more.
	pub open_period: PeriodIndex,
	pub period: PeriodAggregate,
	/// The day of the open period, still open for more.
	pub open_day: DayIndex,
	pub day: OpenDay,
	/// Readings refused after their signature was checked, ever.
	pub refused: u32,
	/// Declared exchanges of the physical meter, ever.
	pub exchanges: u16,
	/// Readings and skips of the meter judged in the latest block that had any.
	pub ingest: BlockIngest,
}

impl Meter {
	/// The sequence number the meter's next reading must carry: one above the last the chain
	/// saw, [`FIRST_SEQUENCE`] for a meter never read.
	pub fn next_sequence(&self) -> Option<u64> {
		match self.last_sequence {
			Some(last) => last.checked_add(1),
			None => Some(FIRST_SEQUENCE),
		}
	}
}

/// The first sequence number of every meter: a device numbers its readings 1, 2, 3, … and a
/// number it never delivers is skipped only by its own signed [`SequenceSkip`].
pub const FIRST_SEQUENCE: u64 = 1;

/// How many readings and skips of a meter (or of a member's meters) one block judged.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct BlockIngest {
	pub block: u32,
	pub count: u32,
}

impl BlockIngest {
	/// Readings and skips already judged in `block`.
	pub fn count_in(&self, block: u32) -> u32 {
		if self.block == block {
			self.count
		} else {
			0
		}
	}

	/// Counts one more reading or skip judged in `block`.
	pub fn count(&mut self, block: u32) {
		*self = BlockIngest { block, count: self.count_in(block).saturating_add(1) };
	}
}

/// The accepted readings among consecutive readings of a batch from one meter.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
)]
pub struct AcceptedRun {
	pub meter: MeterId,
	pub count: u32,
	/// The sequence number of the run's last reading.
	pub last_sequence: u64,
}

/// One reading as a meter's device signs it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Reading {
	pub meter: MeterId,
	/// Strictly increasing per meter.
	pub sequence: u64,
	/// When the register was read, milliseconds since the Unix epoch; strictly increasing.
	pub timestamp: Moment,
	/// The cumulative register (before the multiplier); zero for temperature sensors.
	pub register: u64,
	/// Demand in watts at the time of reading, if the meter reports it.
	pub demand: Option<u32>,
	/// Temperature in tenths of a degree Celsius: the value of a temperature sensor, optional for
	/// other meters.
	pub temperature: Option<i16>,
}

/// A reading with the device's sr25519 signature over `SCALE((genesis_hash, reading))`.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SignedReading {
	pub reading: Reading,
	pub signature: sr25519::Signature,
}

/// Why a reading was refused. A refusal is final: the device signed the reading, it came in its
/// meter's turn, and it will never count; its sequence number is spent. (Readings that are not
/// judged, because their signature does not verify, they are not their meter's next or they are
/// timestamped ahead of the chain's clock, name no sequence: see `Event::ReadingsNotJudged`.)
///
/// Variants are only ever appended, so the events of earlier blocks decode; the first four and
/// `TimestampInFuture` are no longer given since spec version 101, which passes over such
/// readings instead of refusing them.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
)]
pub enum RefusalReason {
	/// No meter has this number (before spec 101).
	UnknownMeter,
	/// The meter is suspended or retired (before spec 101).
	MeterNotActive,
	/// The signature is not the meter's device key's (before spec 101).
	BadSignature,
	/// The sequence number is not above the last one the meter signed (before spec 101).
	SequenceNotIncreasing,
	/// The timestamp is not after the last accepted reading's.
	TimestampNotIncreasing,
	/// The timestamp is later than the chain's time plus the allowed clock drift (before spec
	/// 101).
	TimestampInFuture,
	/// The register is below the last accepted reading's without a declared exchange.
	RegisterDecreased,
	/// The register's advance implies more power than the meter's declared maximum.
	ImplausiblePower,
	/// The reported demand exceeds the meter's declared maximum.
	ImplausibleDemand,
	/// The temperature is outside the plausible range.
	ImplausibleTemperature,
	/// A temperature sensor's reading carries no temperature.
	MissingTemperature,
	/// The energy does not fit the meter's totals.
	EnergyOverflow,
	/// The reading is closer to the meter's last accepted reading than the minimum interval.
	TooSoon,
}

/// A meter device's declaration that it will never deliver the readings numbered `first` to
/// `last`: readings its bridge lost, or that the chain would refuse at the pool, so that its
/// later readings come in turn. Skipping hides no energy: the next accepted reading's register
/// carries it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct SequenceSkip {
	pub meter: MeterId,
	pub first: u64,
	pub last: u64,
}

/// A skip with the device's sr25519 signature over `SCALE((genesis_hash, SKIP_CONTEXT, skip))`.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SignedSkip {
	pub skip: SequenceSkip,
	pub signature: sr25519::Signature,
}

/// What a skip's signing payload holds between the genesis hash and the skip. With it, a skip's
/// payload is 37 bytes after the hash and a reading's at most 36, so no signature of one can
/// pass for the other.
pub const SKIP_CONTEXT: &[u8; 17] = b"smartblocks::skip";

/// One member's meters in data completeness: how many are active now, and the next day whose
/// completeness is to be reported with the meters expected on it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct CompletenessLedger {
	/// The member's meters that are active now.
	pub active_meters: u32,
	/// The oldest day not reported yet.
	pub next_day: DayIndex,
	/// The member's meters active when `next_day` began: each owes that day every period.
	pub expected_meters: u32,
}

/// How many of a member's meters owed a day (active when it began, or reinstated during it)
/// and how many were active when it ended, kept for the days the count changed on.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct MeterCountChange {
	pub owed: u32,
	pub at_end: u32,
}

/// Which days a meter owes and what its leaving active service credited of its open day.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct MeterActivity {
	/// The first day the meter owes (and is credited for) while active: the day after its
	/// registration, or the day it was reinstated.
	pub owes_from: DayIndex,
	/// The day it last left active service.
	pub left_on: Option<DayIndex>,
	/// Complete periods of its open day credited when it left active service.
	pub credited: Option<CreditedDay>,
}

/// Complete periods of a meter's day credited to its owner's day so far.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct CreditedDay {
	pub day: DayIndex,
	pub periods: u16,
}

/// One member's data completeness of one UTC day.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct MemberDay {
	/// Complete periods of the days of the member's meters that owed this day, credited when
	/// the day closed or the meter left active service.
	pub complete_periods: u32,
	/// The member's meters that owed the day and those active at its end, if the count changed
	/// that day.
	pub meter_count: Option<MeterCountChange>,
	/// The completeness reported (‰), once reported with meters expected.
	pub reported: Option<u16>,
}

/// Where the pruning of old aggregates has got to.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PruneCursor {
	/// The oldest period that may still have aggregates.
	pub period: PeriodIndex,
	/// The oldest day that may still have totals.
	pub day: DayIndex,
	/// Whether the cursors have been placed (on the first idle block with a clock).
	pub started: bool,
}

/// A meter with its site's owner, as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, serde::Serialize)]
pub struct MeterInfo {
	pub id: MeterId,
	pub site: SiteId,
	pub owner: MemberId,
	pub kind: MeterKind,
	pub unit: Unit,
	pub multiplier: u32,
	pub max_power: u32,
	/// The device key, hex.
	#[serde(serialize_with = "crate::types::hex_key")]
	pub device_key: [u8; 32],
	pub status: MeterStatus,
	pub last_sequence: Option<u64>,
	pub last_timestamp: Option<Moment>,
	pub last_register: Option<u64>,
	pub chain: HashChain,
	pub refused: u32,
	pub exchanges: u16,
}

/// A site with its meters, as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, serde::Serialize)]
pub struct SiteInfo {
	pub id: SiteId,
	pub owner: MemberId,
	#[serde(serialize_with = "crate::types::utf8_text")]
	pub name: alloc::vec::Vec<u8>,
	pub latitude: i32,
	pub longitude: i32,
	#[serde(serialize_with = "crate::types::utf8_text")]
	pub region: alloc::vec::Vec<u8>,
	pub floor_area: u32,
	pub use_type: UseType,
	#[serde(serialize_with = "crate::types::utf8_text")]
	pub time_zone: alloc::vec::Vec<u8>,
	pub meters: alloc::vec::Vec<MeterInfo>,
}

/// A meter's aggregates over a range of periods, as the runtime API returns them: one entry per
/// period in the range (`None` where the chain holds nothing, pruned or never delivered).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, serde::Serialize)]
pub struct PeriodSeries {
	pub meter: MeterId,
	pub first_period: PeriodIndex,
	/// Length of a period in milliseconds.
	pub period_ms: Moment,
	pub periods: alloc::vec::Vec<Option<PeriodAggregate>>,
	/// Whether the last period is still open (the meter's newest reading lies in it).
	pub last_open: bool,
}

/// A meter's day totals and completeness over a range of days.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, serde::Serialize)]
pub struct DaySeries {
	pub meter: MeterId,
	pub first_day: DayIndex,
	/// Periods in a day, the denominator of completeness.
	pub periods_per_day: u16,
	pub days: alloc::vec::Vec<Option<DayTotal>>,
	/// Completeness per day in per mille: complete periods over periods in the day.
	pub completeness: alloc::vec::Vec<u16>,
}

/// The outcome of checking an archive of raw readings against the chain.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, serde::Serialize)]
pub enum ChainCheck {
	/// The readings, chained from the given start, end at the meter's current head.
	Matches { length: u64 },
	/// They end elsewhere: at `computed` after `length` readings, while the chain's head is
	/// `expected` after `expected_length`.
	Differs { computed: H256, length: u64, expected: H256, expected_length: u64 },
	/// No such meter.
	UnknownMeter,
}

/// Serializes bytes as UTF-8 text (lossy), for names in JSON.
pub(crate) fn utf8_text<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
	s.serialize_str(&alloc::string::String::from_utf8_lossy(bytes))
}

/// Serializes a key as 0x-prefixed hex.
pub(crate) fn hex_key<S: serde::Serializer>(key: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
	let mut text = alloc::string::String::from("0x");
	for byte in key {
		text.push_str(&alloc::format!("{byte:02x}"));
	}
	s.serialize_str(&text)
}

/// A site as kept in storage.
pub type SiteOf<T> = Site<<T as crate::Config>::MaxNameLen, <T as crate::Config>::MaxMetersPerSite>;
/// Site details as a call takes them.
pub type SiteDetailsOf<T> = SiteDetails<<T as crate::Config>::MaxNameLen>;
