//! The runtime API clients read sites, meters, aggregates and hash chains through, and the
//! queries behind it.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::traits::Get;
use pallet_registry::MemberId;

sp_api::decl_runtime_apis! {
	/// Sites, meters, their aggregates and hash chains, one call each.
	pub trait MetersApi {
		/// A site with its meters.
		fn site(id: SiteId) -> Option<SiteInfo>;
		/// Every site a member owns, with its meters.
		fn sites_of(owner: MemberId) -> Vec<SiteInfo>;
		/// A meter with its newest reading and hash chain.
		fn meter(id: MeterId) -> Option<MeterInfo>;
		/// The meter a device key signs for.
		fn meter_of_key(device_key: [u8; 32]) -> Option<MeterInfo>;
		/// A meter's settlement periods from `first`, at most `count` of them (capped at the
		/// periods kept).
		fn periods(meter: MeterId, first: PeriodIndex, count: u32) -> Option<PeriodSeries>;
		/// A meter's day totals and completeness from `first`, at most `count` days (capped at
		/// the days kept).
		fn days(meter: MeterId, first: DayIndex, count: u32) -> Option<DaySeries>;
		/// A meter's hash chain head and length.
		fn chain_head(meter: MeterId) -> Option<HashChain>;
		/// Chains `readings` from `start` (a zero head of length 0 for the meter's first
		/// reading, or a day's checkpoint) and compares the result with the meter's head.
		fn verify_chain(meter: MeterId, start: HashChain, readings: Vec<Reading>) -> ChainCheck;
	}
}

impl<T: Config> Pallet<T> {
	/// A site with its meters, for the runtime API.
	pub fn site_info(id: SiteId) -> Option<SiteInfo> {
		let site = Sites::<T>::get(id)?;
		let meters = site.meters.iter().filter_map(|meter| Self::meter_info(*meter)).collect();
		let details = site.details;
		Some(SiteInfo {
			id,
			owner: site.owner,
			name: details.name.into_inner(),
			latitude: details.location.latitude,
			longitude: details.location.longitude,
			region: details.location.region.into_inner(),
			floor_area: details.floor_area,
			use_type: details.use_type,
			time_zone: details.time_zone.into_inner(),
			meters,
		})
	}

	/// Every site `owner` has, for the runtime API.
	pub fn sites_of(owner: MemberId) -> Vec<SiteInfo> {
		OwnerSites::<T>::iter_key_prefix(owner).filter_map(Self::site_info).collect()
	}

	/// A meter, for the runtime API.
	pub fn meter_info(id: MeterId) -> Option<MeterInfo> {
		let record = Meters::<T>::get(id)?;
		let owner = Sites::<T>::get(record.site)?.owner;
		Some(MeterInfo {
			id,
			site: record.site,
			owner,
			kind: record.spec.kind,
			unit: record.spec.kind.unit(),
			multiplier: record.spec.multiplier,
			max_power: record.spec.max_power,
			device_key: record.spec.device_key.0,
			status: record.status,
			last_sequence: record.last_sequence,
			last_timestamp: record.last.map(|last| last.timestamp),
			last_register: record.last.map(|last| last.register),
			chain: record.chain,
			refused: record.refused,
			exchanges: record.exchanges,
		})
	}

	/// The meter a device key signs for, for the runtime API.
	pub fn meter_of_key(device_key: [u8; 32]) -> Option<MeterInfo> {
		MeterOfKey::<T>::get(sp_core::sr25519::Public::from_raw(device_key))
			.and_then(Self::meter_info)
	}

	/// A meter's periods from `first`, the open one from its record.
	pub fn period_series(meter: MeterId, first: PeriodIndex, count: u32) -> Option<PeriodSeries> {
		let record = Meters::<T>::get(meter)?;
		let count = count.min(T::PeriodRetention::get().saturating_add(1));
		let has_open = record.last.is_some();
		let periods: Vec<_> = (0..count)
			.filter_map(|offset| first.checked_add(offset))
			.map(|period| match has_open && period == record.open_period {
				true => Some(record.period),
				false => PeriodAggregates::<T>::get(period, meter),
			})
			.collect();
		let last_open = has_open
			&& first.checked_add(count.saturating_sub(1)) == Some(record.open_period)
			&& count > 0;
		Some(PeriodSeries {
			meter,
			first_period: first,
			period_ms: <T as Config>::PeriodLength::get(),
			periods,
			last_open,
		})
	}

	/// A meter's days from `first`, the open one with its open period's energy added.
	pub fn day_series(meter: MeterId, first: DayIndex, count: u32) -> Option<DaySeries> {
		let record = Meters::<T>::get(meter)?;
		let count = count.min(T::DayRetention::get().saturating_add(1));
		let has_open = record.last.is_some();
		let days: Vec<_> = (0..count)
			.filter_map(|offset| first.checked_add(offset))
			.map(|day| match has_open && day == record.open_day {
				true => Some(DayTotal {
					energy: record.day.energy.saturating_add(record.period.energy),
					..record.day.total(record.chain)
				}),
				false => DayTotals::<T>::get(day, meter),
			})
			.collect();
		let per_day = Self::periods_per_day();
		let completeness = days
			.iter()
			.map(|day| {
				let complete = u64::from(day.map_or(0, |day| day.complete_periods));
				// At most per_day complete periods, so at most 1000.
				u16::try_from(complete.saturating_mul(1000) / per_day).unwrap_or(1000)
			})
			.collect();
		Some(DaySeries {
			meter,
			first_day: first,
			periods_per_day: u16::try_from(per_day).unwrap_or(u16::MAX),
			days,
			completeness,
		})
	}

	/// Chains `readings` from `start` and compares with the meter's head.
	pub fn verify_chain(meter: MeterId, start: HashChain, readings: Vec<Reading>) -> ChainCheck {
		let Some(record) = Meters::<T>::get(meter) else { return ChainCheck::UnknownMeter };
		let computed =
			readings.iter().fold(start, |chain, reading| crate::chain_next(&chain, reading));
		if computed == record.chain {
			ChainCheck::Matches { length: computed.length }
		} else {
			ChainCheck::Differs {
				computed: computed.head,
				length: computed.length,
				expected: record.chain.head,
				expected_length: record.chain.length,
			}
		}
	}
}
