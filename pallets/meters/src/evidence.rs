//! What other pallets read of sites, meters and closed days: the evidence energy contracts
//! settle on.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use pallet_registry::MemberId;

/// A site as a contract sees it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SiteFacts {
	pub owner: MemberId,
	/// The region code of the site's weather and prices.
	pub region: Vec<u8>,
}

/// A meter as a contract sees it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MeterFacts {
	pub site: SiteId,
	pub kind: MeterKind,
	pub status: MeterStatus,
}

/// Sites, meters and closed days' totals for other pallets.
pub trait MeterData {
	fn site(site: SiteId) -> Option<SiteFacts>;
	fn meter(meter: MeterId) -> Option<MeterFacts>;
	/// The meter's totals for a UTC day that has closed (a later reading arrived).
	fn day_total(meter: MeterId, day: DayIndex) -> Option<DayTotal>;
	/// The meter's aggregate for a settlement period that has closed (kept for the runtime's
	/// period retention).
	fn period_aggregate(meter: MeterId, period: PeriodIndex) -> Option<PeriodAggregate>;
	/// Settlement periods in a day: a day whose `complete_periods` equals this is complete.
	fn periods_per_day() -> u32;
}

impl<T: Config> MeterData for Pallet<T> {
	fn site(site: SiteId) -> Option<SiteFacts> {
		Sites::<T>::get(site).map(|site| SiteFacts {
			owner: site.owner,
			region: site.details.location.region.into_inner(),
		})
	}

	fn meter(meter: MeterId) -> Option<MeterFacts> {
		Meters::<T>::get(meter).map(|meter| MeterFacts {
			site: meter.site,
			kind: meter.spec.kind,
			status: meter.status,
		})
	}

	fn day_total(meter: MeterId, day: DayIndex) -> Option<DayTotal> {
		DayTotals::<T>::get(day, meter)
	}

	fn period_aggregate(meter: MeterId, period: PeriodIndex) -> Option<PeriodAggregate> {
		PeriodAggregates::<T>::get(period, meter)
	}

	fn periods_per_day() -> u32 {
		u32::try_from(Self::periods_per_day()).unwrap_or(u32::MAX)
	}
}

/// Set-up for other pallets' benchmarks, through the pallet's own calls where there are any.
#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// A site of the member `owner` acts for (a building owner) in `region`, with a meter of
	/// each of `kinds`.
	pub fn site_for_benchmark(
		owner: &T::AccountId,
		region: &[u8],
		kinds: &[MeterKind],
	) -> Result<(SiteId, Vec<MeterId>), sp_runtime::DispatchError> {
		use frame_support::BoundedVec;
		let site = NextSiteId::<T>::get();
		let details = SiteDetails {
			name: BoundedVec::truncate_from(b"benchmark".to_vec()),
			location: Location {
				latitude: 52_520_000,
				longitude: 13_405_000,
				region: BoundedVec::truncate_from(region.to_vec()),
			},
			floor_area: 10_000,
			use_type: UseType::Office,
			time_zone: BoundedVec::truncate_from(b"Europe/Berlin".to_vec()),
		};
		Self::do_register_site(owner.clone(), details)?;
		let mut ids = Vec::new();
		for (index, kind) in (0u32..).zip(kinds) {
			let mut key = [0xBE; 32];
			key[..4].copy_from_slice(&NextMeterId::<T>::get().to_le_bytes());
			key[4..8].copy_from_slice(&index.to_le_bytes());
			let spec = MeterSpec {
				kind: *kind,
				multiplier: 1,
				max_power: 1_000_000,
				device_key: sp_core::sr25519::Public::from_raw(key),
			};
			ids.push(NextMeterId::<T>::get());
			Self::do_register_meter(owner.clone(), site, spec)?;
		}
		Ok((site, ids))
	}

	/// A closed period of `energy` Wh for `meter`.
	pub fn period_for_benchmark(meter: MeterId, period: PeriodIndex, energy: u64, complete: bool) {
		let aggregate = PeriodAggregate { energy, complete, readings: 1, ..Default::default() };
		PeriodAggregates::<T>::insert(period, meter, aggregate);
	}

	/// A closed day of `energy` Wh for `meter`, every period complete.
	pub fn day_for_benchmark(meter: MeterId, day: DayIndex, energy: u64) {
		let complete_periods = u16::try_from(Self::periods_per_day()).unwrap_or(u16::MAX);
		let total = DayTotal { energy, complete_periods, readings: 96, ..Default::default() };
		DayTotals::<T>::insert(day, meter, total);
	}
}
