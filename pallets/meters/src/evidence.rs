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

	fn periods_per_day() -> u32 {
		u32::try_from(Self::periods_per_day()).unwrap_or(u32::MAX)
	}
}
