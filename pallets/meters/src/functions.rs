//! Sites and meters: registration, updates, keys, exchanges and status.

use crate::{aggregation::Ledger, pallet::*, readings::implies_more_than, types::*, Event};
use frame_support::{ensure, pallet_prelude::*, traits::UnixTime};
use pallet_registry::{MemberId, MemberRegistry, Role};
use sp_core::sr25519;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_site(who: T::AccountId, details: SiteDetailsOf<T>) -> DispatchResult {
		let owner = Self::acting_member(&who)?;
		ensure!(T::Members::has_role(owner, Role::BuildingOwner), Error::<T>::NotABuildingOwner);
		Self::check_site_details(&details)?;
		let site = NextSiteId::<T>::get();
		let next = site.checked_add(1).ok_or(Error::<T>::NumbersExhausted)?;
		Sites::<T>::insert(site, Site { owner, details, meters: BoundedVec::new() });
		OwnerSites::<T>::insert(owner, site, ());
		NextSiteId::<T>::put(next);
		Self::deposit_event(Event::SiteRegistered { site, owner });
		Ok(())
	}

	pub(crate) fn do_update_site(
		who: T::AccountId,
		site: SiteId,
		details: SiteDetailsOf<T>,
	) -> DispatchResult {
		let owner = Self::acting_member(&who)?;
		Self::check_site_details(&details)?;
		Sites::<T>::try_mutate(site, |stored| {
			let stored = stored.as_mut().ok_or(Error::<T>::UnknownSite)?;
			ensure!(stored.owner == owner, Error::<T>::NotSiteOwner);
			stored.details = details;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::SiteUpdated { site });
		Ok(())
	}

	pub(crate) fn do_register_meter(
		who: T::AccountId,
		site: SiteId,
		spec: MeterSpec,
	) -> DispatchResult {
		let owner = Self::acting_member(&who)?;
		if spec.kind.measures_energy() {
			ensure!(spec.multiplier > 0, Error::<T>::ZeroMultiplier);
			ensure!(spec.max_power > 0, Error::<T>::ZeroMaxPower);
		}
		ensure!(!MeterOfKey::<T>::contains_key(spec.device_key), Error::<T>::DeviceKeyInUse);
		let meter = NextMeterId::<T>::get();
		let next = meter.checked_add(1).ok_or(Error::<T>::NumbersExhausted)?;
		Sites::<T>::try_mutate(site, |stored| {
			let stored = stored.as_mut().ok_or(Error::<T>::UnknownSite)?;
			ensure!(stored.owner == owner, Error::<T>::NotSiteOwner);
			stored.meters.try_push(meter).map_err(|_| Error::<T>::TooManyMeters)?;
			Ok::<_, DispatchError>(())
		})?;
		MeterOfKey::<T>::insert(spec.device_key, meter);
		Meters::<T>::insert(meter, Meter::new(site, owner, spec.clone()));
		NextMeterId::<T>::put(next);
		Self::count_registered(meter, owner);
		Self::deposit_event(Event::MeterRegistered {
			meter,
			site,
			kind: spec.kind,
			device_key: spec.device_key,
		});
		Ok(())
	}

	pub(crate) fn do_rotate_device_key(
		who: T::AccountId,
		meter: MeterId,
		device_key: sr25519::Public,
	) -> DispatchResult {
		let mut record = Self::owned_meter(&who, meter)?;
		ensure!(record.status != MeterStatus::Retired, Error::<T>::MeterRetired);
		Self::replace_key(meter, &mut record, device_key)?;
		Meters::<T>::insert(meter, record);
		Ok(())
	}

	pub(crate) fn do_declare_exchange(
		who: T::AccountId,
		meter: MeterId,
		final_register: u64,
		baseline: u64,
		at: Moment,
		device_key: Option<sr25519::Public>,
	) -> DispatchResult {
		let mut record = Self::owned_meter(&who, meter)?;
		ensure!(record.status != MeterStatus::Retired, Error::<T>::MeterRetired);
		// The owner books no energy on a meter the council has stopped.
		ensure!(!record.status.set_by_council(), Error::<T>::SuspendedByCouncil);
		ensure!(record.spec.kind.measures_energy(), Error::<T>::NotAnEnergyMeter);
		let now = Self::now();
		ensure!(at <= now, Error::<T>::ExchangeInFuture);
		// An exchange's registers are the owner's word, not a device's: dated no further back
		// than one reading's energy is spread over periods, they cannot fill a meter's past.
		let lag = T::PeriodLength::get().saturating_mul(T::MaxSpreadPeriods::get().into());
		ensure!(at >= now.saturating_sub(lag), Error::<T>::ExchangeTooLongAgo);
		match record.last {
			Some(last) => {
				ensure!(at > last.timestamp, Error::<T>::ExchangeNotAfterLastReading);
				ensure!(final_register >= last.register, Error::<T>::FinalRegisterBelowLast);
				let energy = Self::energy_between(&record, last.register, final_register)
					.map_err(|_| Error::<T>::FinalRegisterOverflow)?;
				// No device signed `final_register`: it gets the same plausibility bound as a
				// reading, so an owner cannot book more than the meter can measure into periods
				// that contracts settle on.
				ensure!(
					!implies_more_than(record.spec.max_power, energy, at - last.timestamp),
					Error::<T>::ImplausibleExchange
				);
				Ledger::<T>::new(meter, &mut record, now).advance_energy(
					last.timestamp,
					at,
					energy,
				);
			}
			None => Ledger::<T>::new(meter, &mut record, now).open_first(at),
		}
		record.last = Some(LastReading { timestamp: at, register: baseline, exchange: true });
		record.exchanges = record.exchanges.saturating_add(1);
		if let Some(key) = device_key {
			Self::replace_key(meter, &mut record, key)?;
		}
		Meters::<T>::insert(meter, record);
		Self::deposit_event(Event::MeterExchanged { meter, final_register, baseline, at });
		Ok(())
	}

	pub(crate) fn do_set_meter_status(
		who: T::AccountId,
		meter: MeterId,
		status: MeterStatus,
	) -> DispatchResult {
		let mut record = Self::owned_meter(&who, meter)?;
		ensure!(record.status != MeterStatus::Retired, Error::<T>::MeterRetired);
		ensure!(!record.status.set_by_council(), Error::<T>::SuspendedByCouncil);
		ensure!(
			record.status != status && !status.set_by_council(),
			Error::<T>::InvalidStatusChange
		);
		Self::count_status_change(meter, &record, status);
		record.status = status;
		Meters::<T>::insert(meter, record);
		Self::deposit_event(Event::MeterStatusChanged { meter, status });
		Ok(())
	}

	pub(crate) fn do_force_meter_status(meter: MeterId, status: MeterStatus) -> DispatchResult {
		Meters::<T>::try_mutate(meter, |record| {
			let record = record.as_mut().ok_or(Error::<T>::UnknownMeter)?;
			ensure!(record.status != MeterStatus::Retired, Error::<T>::MeterRetired);
			ensure!(record.status != status, Error::<T>::InvalidStatusChange);
			Self::count_status_change(meter, record, status);
			record.status = status;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::MeterStatusChanged { meter, status });
		Ok(())
	}

	/// The active member `who` acts for, or `NotAMember`.
	pub(crate) fn acting_member(who: &T::AccountId) -> Result<MemberId, Error<T>> {
		T::Members::active_member_of(who).ok_or(Error::<T>::NotAMember)
	}

	/// A meter whose site `who`'s member owns.
	fn owned_meter(who: &T::AccountId, meter: MeterId) -> Result<Meter, DispatchError> {
		let owner = Self::acting_member(who)?;
		let record = Meters::<T>::get(meter).ok_or(Error::<T>::UnknownMeter)?;
		let site = Sites::<T>::get(record.site).ok_or(Error::<T>::UnknownSite)?;
		ensure!(site.owner == owner, Error::<T>::NotSiteOwner);
		Ok(record)
	}

	fn replace_key(meter: MeterId, record: &mut Meter, key: sr25519::Public) -> DispatchResult {
		ensure!(!MeterOfKey::<T>::contains_key(key), Error::<T>::DeviceKeyInUse);
		MeterOfKey::<T>::remove(record.spec.device_key);
		MeterOfKey::<T>::insert(key, meter);
		record.spec.device_key = key;
		Self::deposit_event(Event::DeviceKeyRotated { meter, device_key: key });
		Ok(())
	}

	fn check_site_details(details: &SiteDetailsOf<T>) -> DispatchResult {
		ensure!(!details.name.is_empty(), Error::<T>::EmptyName);
		let location = &details.location;
		ensure!(
			(-90_000_000..=90_000_000).contains(&location.latitude)
				&& (-180_000_000..=180_000_000).contains(&location.longitude),
			Error::<T>::InvalidLocation
		);
		ensure!(
			smartblocks_primitives::is_region_code(&location.region),
			Error::<T>::InvalidRegion
		);
		let zone_char = |c: &u8| c.is_ascii_alphanumeric() || b"/_+-".contains(c);
		ensure!(
			!details.time_zone.is_empty() && details.time_zone.iter().all(zone_char),
			Error::<T>::InvalidTimeZone
		);
		ensure!(details.floor_area > 0, Error::<T>::ZeroFloorArea);
		Ok(())
	}

	/// The chain's time in milliseconds since the Unix epoch.
	pub(crate) fn now() -> Moment {
		// Milliseconds since 1970 fit a u64 for another 584 million years.
		u64::try_from(T::UnixTime::now().as_millis()).unwrap_or(u64::MAX)
	}
}

impl Meter {
	/// A freshly registered meter: active, no readings, an empty hash chain.
	pub fn new(site: SiteId, owner: MemberId, spec: MeterSpec) -> Self {
		Meter {
			site,
			owner,
			spec,
			status: MeterStatus::Active,
			last_sequence: None,
			last: None,
			chain: HashChain::default(),
			open_period: 0,
			period: PeriodAggregate::default(),
			open_day: 0,
			day: OpenDay::default(),
			refused: 0,
			exchanges: 0,
			ingest: BlockIngest::default(),
		}
	}
}
