//! Feeds, their values per settlement period and what the runtime API returns of them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::ops::RangeInclusive;
use frame_support::{
	pallet_prelude::ConstU32, traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use pallet_registry::MemberId;
use scale_info::TypeInfo;

/// A settlement period: milliseconds since the Unix epoch divided by the period length, the same
/// numbering the meters pallet uses.
pub type PeriodIndex = u32;
/// Milliseconds since the Unix epoch.
pub type Moment = u64;
/// Bytes of a region code (a weather region or market area such as `DE-BE` or `DE-LU`).
pub type MaxRegionLen = ConstU32<16>;

/// What a feed measures, each in its own integer unit.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum FeedKind {
	/// Wholesale (day-ahead or intraday) electricity price in thousandths of the market's
	/// currency per MWh: 85.12 EUR/MWh is 85 120. Negative prices happen and are valid.
	MarketPrice,
	/// Mean outdoor air temperature over the period in tenths of a degree Celsius.
	OutdoorTemperature,
	/// Carbon intensity of grid electricity in grams of CO₂ per kWh.
	CarbonIntensity,
	/// Forecast mean outdoor air temperature over a period that has not begun, in tenths of a
	/// degree Celsius: what bridges forecast demand with. Providers revise it until the period
	/// begins; no contract settles on it.
	TemperatureForecast,
}

/// When a kind's values are known, which decides the periods that take them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Timing {
	/// Observations: known once the period has ended, and final from the quorum on.
	Observed,
	/// Published ahead (day-ahead prices): known for periods to come, final from the quorum on.
	Published,
	/// Forecasts: only for periods yet to begin, and each provider's latest counts.
	Forecast,
}

/// The unit of a feed's values.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo, serde::Serialize,
)]
pub enum FeedUnit {
	/// Thousandths of the market's currency per MWh.
	MilliPerMegawattHour,
	/// Tenths of a degree Celsius.
	DeciCelsius,
	/// Grams of CO₂ per kWh.
	GramPerKilowattHour,
}

impl FeedKind {
	/// The unit values of this kind are given in.
	pub fn unit(self) -> FeedUnit {
		match self {
			FeedKind::MarketPrice => FeedUnit::MilliPerMegawattHour,
			FeedKind::OutdoorTemperature | FeedKind::TemperatureForecast => FeedUnit::DeciCelsius,
			FeedKind::CarbonIntensity => FeedUnit::GramPerKilowattHour,
		}
	}

	/// Values a provider may submit; anything else is a unit or parsing mistake.
	///
	/// Prices: −1 000 to 20 000 per MWh, wider than the harmonised European limits (−500 and
	/// 4 000 EUR/MWh) and the Australian cap. Temperatures: −90 °C to +60 °C. Carbon
	/// intensity: 0 to 2 000 g/kWh (lignite is about 1 100).
	pub fn plausible(self) -> RangeInclusive<i64> {
		match self {
			FeedKind::MarketPrice => -1_000_000..=20_000_000,
			FeedKind::OutdoorTemperature | FeedKind::TemperatureForecast => -900..=600,
			FeedKind::CarbonIntensity => 0..=2_000,
		}
	}

	/// When values of this kind are known: day-ahead prices are published the day before;
	/// temperatures and carbon intensity are observed; forecasts are revised until their period.
	pub fn timing(self) -> Timing {
		match self {
			FeedKind::MarketPrice => Timing::Published,
			FeedKind::OutdoorTemperature | FeedKind::CarbonIntensity => Timing::Observed,
			FeedKind::TemperatureForecast => Timing::Forecast,
		}
	}

	/// The periods that take values of this kind when the chain's clock is in period `current`:
	/// observations for the `window` periods that ended last, prices for those and up to
	/// `lead` periods ahead, forecasts for the periods after the current one up to `lead`
	/// ahead. Empty (`1..=0`) when no period qualifies.
	pub fn open_periods(
		self,
		current: PeriodIndex,
		window: u32,
		lead: u32,
	) -> RangeInclusive<PeriodIndex> {
		let past = current.saturating_sub(window);
		let ahead = current.saturating_add(lead);
		match self.timing() {
			Timing::Observed => match current.checked_sub(1) {
				Some(last_ended) => past..=last_ended,
				None => RangeInclusive::new(1, 0),
			},
			Timing::Published => past..=ahead,
			Timing::Forecast => current.saturating_add(1)..=ahead,
		}
	}

	/// The period a source's single current value (a source without times) belongs to:
	/// observations describe the period that just ended, prices the current one and forecasts
	/// the next.
	pub fn period_of_current_value(self, current: PeriodIndex) -> PeriodIndex {
		match self.timing() {
			Timing::Observed => current.saturating_sub(1),
			Timing::Published => current,
			Timing::Forecast => current.saturating_add(1),
		}
	}

	/// How far a submission may lie from the period's value before it is recorded as an
	/// outlier: 2.0 °C for temperatures and their forecasts; for prices 10 % of the value's
	/// magnitude but at least 5 per MWh; for carbon intensity 15 % but at least 20 g/kWh.
	pub fn tolerance(self, value: i64) -> u64 {
		let magnitude = value.unsigned_abs();
		match self {
			FeedKind::MarketPrice => (magnitude / 10).max(5_000),
			FeedKind::OutdoorTemperature | FeedKind::TemperatureForecast => 20,
			FeedKind::CarbonIntensity => (magnitude.saturating_mul(15) / 100).max(20),
		}
	}
}

/// A feed: one kind of value for one region.
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Feed {
	pub kind: FeedKind,
	/// The region code sites name in their location (1–16 ASCII letters, digits, `-`, `_`).
	pub region: BoundedVec<u8, MaxRegionLen>,
}

/// One value a provider submits for a feed and period.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Submission {
	pub feed: Feed,
	pub period: PeriodIndex,
	pub value: i64,
}

/// A feed's period as stored: every provider's submission and, once a quorum had submitted,
/// their median.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxProviders))]
pub struct FeedPeriod<MaxProviders: Get<u32>> {
	/// Submissions in the order they arrived, one per provider.
	pub submissions: BoundedVec<(MemberId, i64), MaxProviders>,
	/// The period's value: the median of the first submissions that made a quorum. It never
	/// changes once set; later submissions are only compared with it. A forecast's value is
	/// instead the median of every provider's latest submission, from the quorum on.
	pub value: Option<i64>,
}

impl<MaxProviders: Get<u32>> Default for FeedPeriod<MaxProviders> {
	fn default() -> Self {
		FeedPeriod { submissions: BoundedVec::new(), value: None }
	}
}

/// Where the removal of old periods has got to.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PruneCursor {
	/// The oldest period that may still hold values.
	pub period: PeriodIndex,
	/// Whether the cursor has been placed (on the first idle block with a clock).
	pub started: bool,
}

/// A feed's period as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, serde::Serialize)]
pub struct PeriodValue {
	pub period: PeriodIndex,
	/// The final value, if a quorum submitted.
	pub value: Option<i64>,
	/// Providers who submitted.
	pub providers: u32,
	/// Submissions beyond the kind's tolerance from the final value: (member, value).
	pub outliers: alloc::vec::Vec<(MemberId, i64)>,
}

/// A feed's values over a range of periods.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, serde::Serialize)]
pub struct FeedSeries {
	pub kind: FeedKind,
	pub unit: FeedUnit,
	pub first_period: PeriodIndex,
	/// Length of a period in milliseconds.
	pub period_ms: Moment,
	/// One entry per period of the range: `None` where nobody submitted (or it was pruned).
	pub periods: alloc::vec::Vec<Option<PeriodValue>>,
}

/// A feed period as kept in storage.
pub type FeedPeriodOf<T> = FeedPeriod<<T as crate::Config>::MaxProviders>;
