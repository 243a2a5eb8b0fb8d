//! Energy into settlement periods and days: the spread rule, and the open period and day a
//! meter's record carries until a later reading closes them.

use crate::{pallet::*, types::*};
use core::marker::PhantomData;
use frame_support::traits::Get;
use smartblocks_rules::time;

/// Splits `energy` that a register advanced between `from` and `to` (ms, `from < to`) over the
/// periods of `period_ms` that the interval `[from, to)` overlaps, in proportion to the overlap.
///
/// Each share is the difference of cumulative floors, `⌊E·a/Δ⌋ − ⌊E·b/Δ⌋`, so the shares add up
/// to `energy` exactly, never differ from the exact proportion by a watt-hour or more, and do not
/// depend on how the interval is cut. Yields nothing when `to <= from` or `period_ms` is zero.
pub fn spread(
	energy: u64,
	from: Moment,
	to: Moment,
	period_ms: Moment,
) -> impl Iterator<Item = (PeriodIndex, u64)> {
	let valid = to > from && period_ms > 0;
	let span = u128::from(to.saturating_sub(from));
	let first = if valid { from / period_ms } else { 1 };
	let last = if valid { (to - 1) / period_ms } else { 0 };
	let mut before = 0u64;
	(first..=last).map(move |period| {
		let end = period.saturating_add(1).saturating_mul(period_ms).min(to);
		let covered = u128::from(end - from);
		// covered <= span, so the quotient is at most `energy` and fits a u64.
		let cumulative = u64::try_from(u128::from(energy) * covered / span).unwrap_or(energy);
		let share = cumulative - before;
		before = cumulative;
		(index_of(period), share)
	})
}

/// A period or day number as stored; timestamps that would overflow it were refused as being in
/// the future long before.
fn index_of(value: u64) -> u32 {
	u32::try_from(value).unwrap_or(u32::MAX)
}

/// Periods and days that readings closed and wrote, for the weight: a day also adds its complete
/// periods to its owner's day.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(crate) struct Closed {
	pub periods: u32,
	pub days: u32,
}

impl Closed {
	pub fn add(self, other: Closed) -> Closed {
		Closed {
			periods: self.periods.saturating_add(other.periods),
			days: self.days.saturating_add(other.days),
		}
	}
}

/// Moves one meter's open period and day forward, writing the ones it closes to storage (unless
/// they are already older than what is kept) and counting the writes for the weight.
pub(crate) struct Ledger<'a, T> {
	meter: MeterId,
	record: &'a mut Meter,
	period_horizon: PeriodIndex,
	day_horizon: DayIndex,
	/// Periods and days written to storage so far.
	pub closed: Closed,
	_config: PhantomData<T>,
}

impl<'a, T: Config> Ledger<'a, T> {
	pub fn new(meter: MeterId, record: &'a mut Meter, now: Moment) -> Self {
		Ledger {
			meter,
			record,
			period_horizon: Pallet::<T>::oldest_kept_period(now),
			day_horizon: Pallet::<T>::oldest_kept_day(now),
			closed: Closed::default(),
			_config: PhantomData,
		}
	}

	/// Opens the period of `at` for a meter that has never had a reading.
	pub fn open_first(&mut self, at: Moment) {
		let period = Pallet::<T>::period_of(at);
		self.record.open_period = period;
		self.record.period =
			PeriodAggregate { complete: Self::starts_period(at), ..Default::default() };
		self.record.open_day = Pallet::<T>::day_of_period(period);
		self.record.day = OpenDay::default();
	}

	/// Adds `energy` delivered between `from` (in the open period) and `to`, spread over the
	/// periods between, and leaves the period of `to` open.
	pub fn advance_energy(&mut self, from: Moment, to: Moment, energy: u64) {
		let target = Pallet::<T>::period_of(to);
		let gap = target.saturating_sub(self.record.open_period);
		if gap > T::MaxSpreadPeriods::get() {
			// Energy over a long gap is known in total only: the periods stay incomplete.
			self.record.period.complete = false;
			self.close_open();
			self.open(target, 0, Self::starts_period(to));
			self.record.day.unallocated = self.record.day.unallocated.saturating_add(energy);
			return;
		}
		for (period, share) in spread(energy, from, to, T::PeriodLength::get()) {
			if period <= self.record.open_period {
				self.add_energy(share);
			} else {
				self.close_open();
				self.open(period, share, true);
			}
		}
		if target > self.record.open_period {
			// `to` lies exactly on a period boundary: the new period starts with its reading.
			self.close_open();
			self.open(target, 0, true);
		}
	}

	/// Moves to the period of `to` for a reading without energy (a temperature sensor's): a
	/// period with a reading is complete.
	pub fn advance_without_energy(&mut self, to: Moment) {
		let target = Pallet::<T>::period_of(to);
		if target > self.record.open_period {
			self.close_open();
			self.open(target, 0, true);
		}
		self.record.period.complete = true;
	}

	/// Extends the hash chain with an accepted reading and counts it in the open period and day.
	pub fn record_reading(&mut self, reading: &Reading) {
		self.record.chain = crate::readings::chain_next(&self.record.chain, reading);
		let period = &mut self.record.period;
		// A period holds at most a few hundred readings a meter can sign per second; saturating
		// is a bound, never reached in practice.
		period.readings = period.readings.saturating_add(1);
		if let Some(demand) = reading.demand {
			period.peak_demand = period.peak_demand.max(demand);
		}
		if let Some(temperature) = reading.temperature {
			period.temperature_sum = period.temperature_sum.saturating_add(temperature.into());
			period.temperature_count = period.temperature_count.saturating_add(1);
		}
		self.record.day.readings = self.record.day.readings.saturating_add(1);
	}

	/// Whether a reading at `at` lies on a period's start, so the period is measured from it.
	fn starts_period(at: Moment) -> bool {
		at.is_multiple_of(T::PeriodLength::get().max(1))
	}

	fn add_energy(&mut self, energy: u64) {
		// u64 watt-hours hold 18 billion GWh: saturating marks a bound, not a case.
		self.record.period.energy = self.record.period.energy.saturating_add(energy);
	}

	/// Writes the open period and adds it to its day.
	fn close_open(&mut self) {
		let period = self.record.period;
		if self.record.open_period >= self.period_horizon {
			PeriodAggregates::<T>::insert(self.record.open_period, self.meter, period);
			self.closed.periods = self.closed.periods.saturating_add(1);
		}
		let day = &mut self.record.day;
		day.energy = day.energy.saturating_add(period.energy);
		day.complete_periods = day.complete_periods.saturating_add(u16::from(period.complete));
	}

	/// Opens `period`, first closing the open day if the period lies in a later one.
	fn open(&mut self, period: PeriodIndex, energy: u64, complete: bool) {
		let day = Pallet::<T>::day_of_period(period);
		if day > self.record.open_day {
			if self.record.open_day >= self.day_horizon {
				// Days close before the reading that opens a later one extends the chain.
				let total = self.record.day.total(self.record.chain);
				DayTotals::<T>::insert(self.record.open_day, self.meter, total);
				let (day, owner) = (self.record.open_day, self.record.owner);
				Pallet::<T>::credit_closed_day(self.meter, owner, day, total.complete_periods);
				self.closed.days = self.closed.days.saturating_add(1);
			}
			self.record.open_day = day;
			self.record.day = OpenDay::default();
		}
		self.record.open_period = period;
		self.record.period = PeriodAggregate { energy, complete, ..Default::default() };
	}
}

impl<T: Config> Pallet<T> {
	/// The settlement period `at` (ms) falls in.
	pub fn period_of(at: Moment) -> PeriodIndex {
		index_of(at / T::PeriodLength::get().max(1))
	}

	/// The UTC day a period falls in.
	pub fn day_of_period(period: PeriodIndex) -> DayIndex {
		index_of(u64::from(period) / Self::periods_per_day())
	}

	/// Settlement periods in a day (96 for 15-minute periods).
	pub fn periods_per_day() -> u64 {
		time::periods_per_day(T::PeriodLength::get())
	}

	/// The oldest period whose aggregates are kept at time `now`.
	pub fn oldest_kept_period(now: Moment) -> PeriodIndex {
		Self::period_of(now).saturating_sub(T::PeriodRetention::get())
	}

	/// The UTC day `at` (ms) falls in.
	pub fn day_of(at: Moment) -> DayIndex {
		time::day_of(at)
	}

	/// The UTC day of the chain's clock.
	pub(crate) fn today() -> DayIndex {
		Self::day_of(Self::now())
	}

	/// The oldest day whose totals are kept at time `now`.
	pub fn oldest_kept_day(now: Moment) -> DayIndex {
		Self::day_of(now).saturating_sub(T::DayRetention::get())
	}
}
