//! Storage migrations of the meters pallet.

use crate::{pallet::*, types::*};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

/// Version 1 to 2: each meter's record gains its owner (read from its site), the count of
/// readings it had judged in the latest block, and whether its newest reading is an exchange's
/// baseline (version 1 did not say: all are taken for readings, which at worst holds a new
/// meter's first reading to the minimum interval). It rewrites every meter in one block: about
/// 150 µs each on this chain's reference machine, so a chain of up to several thousand meters.
pub type V1ToV2<T> =
	VersionedMigration<1, 2, v1::Upgrade<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

/// Version 2 to 3: each member that owns meters gains its completeness ledger, counting its
/// active meters, and each meter owes from the day of the upgrade. Reports start with that day,
/// which every meter active at the upgrade owes (those registered earlier that day too). It
/// reads every meter once and writes it a small record, in one block: a chain of up to tens of
/// thousands of meters.
pub type V2ToV3<T> =
	VersionedMigration<2, 3, v2::Upgrade<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

/// The layout of version 2 lacked completeness ledgers.
pub mod v2 {
	use super::*;
	use alloc::collections::BTreeMap;
	use pallet_registry::MemberId;

	/// Writes each member's completeness ledger; the runtime's migration runs it once, at
	/// version 2.
	pub struct Upgrade<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for Upgrade<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut active = BTreeMap::<MemberId, u32>::new();
			let mut reads = 1u64;
			let today = Pallet::<T>::today();
			for (meter, record) in Meters::<T>::iter() {
				reads = reads.saturating_add(1);
				let count = active.entry(record.owner).or_default();
				if record.status == MeterStatus::Active {
					*count = count.saturating_add(1);
				}
				let activity = MeterActivity { owes_from: today, left_on: None, credited: None };
				MeterActivities::<T>::insert(meter, activity);
			}
			let writes = reads.saturating_sub(1).saturating_add(active.len() as u64);
			for (member, meters) in active {
				let ledger = CompletenessLedger {
					active_meters: meters,
					next_day: today,
					expected_meters: meters,
				};
				Completeness::<T>::insert(member, ledger);
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}
	}
}

/// The layout of version 1.
pub mod v1 {
	use super::*;
	use codec::{Decode, Encode};
	use pallet_registry::MemberId;

	/// The newest reading as version 1 kept it.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct LastReading {
		pub timestamp: Moment,
		pub register: u64,
	}

	/// A meter's record as version 1 kept it.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct Meter {
		pub site: SiteId,
		pub spec: MeterSpec,
		pub status: MeterStatus,
		pub last_sequence: Option<u64>,
		pub last: Option<LastReading>,
		pub chain: HashChain,
		pub open_period: PeriodIndex,
		pub period: PeriodAggregate,
		pub open_day: DayIndex,
		pub day: OpenDay,
		pub refused: u32,
		pub exchanges: u16,
	}

	impl Meter {
		/// The record in version 2's layout, owned by `owner`.
		pub fn upgrade(self, owner: MemberId) -> crate::types::Meter {
			crate::types::Meter {
				site: self.site,
				owner,
				spec: self.spec,
				status: self.status,
				last_sequence: self.last_sequence,
				last: self.last.map(|last| crate::types::LastReading {
					timestamp: last.timestamp,
					register: last.register,
					exchange: false,
				}),
				chain: self.chain,
				open_period: self.open_period,
				period: self.period,
				open_day: self.open_day,
				day: self.day,
				refused: self.refused,
				exchanges: self.exchanges,
				ingest: BlockIngest::default(),
			}
		}
	}

	/// Rewrites every meter's record; the runtime's migration runs it once, at version 1.
	pub struct Upgrade<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for Upgrade<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			Meters::<T>::translate::<Meter, _>(|_, old| {
				reads = reads.saturating_add(2);
				// A meter of a vanished site would break an invariant already; no member owns it.
				let owner = Sites::<T>::get(old.site).map_or(MemberId::MAX, |site| site.owner);
				Some(old.upgrade(owner))
			});
			let writes = reads / 2;
			T::DbWeight::get().reads_writes(reads, writes)
		}
	}
}
