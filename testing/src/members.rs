//! A member table and a reputation recorder for other pallets' test runtimes: `u64` accounts
//! acting for members with roles, changed by the tests, so those pallets test against the
//! registry's traits without the registry itself.

use pallet_registry::{MemberId, MemberRegistry, ReputationCause, ReputationReporter, Role, Score};
use std::{cell::RefCell, collections::BTreeMap};

/// An account's member, its roles and whether the member is active.
type Entry = (MemberId, Vec<Role>, bool);

std::thread_local! {
	static MEMBERS: RefCell<BTreeMap<u64, Entry>> = const { RefCell::new(BTreeMap::new()) };
	static REPORTS: RefCell<Vec<(MemberId, ReputationCause)>> = const { RefCell::new(Vec::new()) };
}

/// The test member table, per test thread.
pub struct TestMembers;

impl TestMembers {
	/// Replaces the table with `(account, member, roles)` entries, every member active.
	pub fn set(entries: &[(u64, MemberId, &[Role])]) {
		MEMBERS.with(|members| {
			*members.borrow_mut() = entries
				.iter()
				.map(|(account, member, roles)| (*account, (*member, roles.to_vec(), true)))
				.collect();
		});
	}

	/// Suspends `member`: none of its accounts acts for it any more.
	pub fn suspend(member: MemberId) {
		MEMBERS.with(|members| {
			for entry in members.borrow_mut().values_mut() {
				if entry.0 == member {
					entry.2 = false;
				}
			}
		});
	}
}

impl MemberRegistry<u64> for TestMembers {
	fn active_member_of(who: &u64) -> Option<MemberId> {
		MEMBERS.with(|members| {
			members.borrow().get(who).filter(|(_, _, active)| *active).map(|(id, _, _)| *id)
		})
	}

	fn has_role(member: MemberId, role: Role) -> bool {
		MEMBERS.with(|members| {
			members.borrow().values().any(|(id, roles, _)| *id == member && roles.contains(&role))
		})
	}

	fn is_known(member: MemberId) -> bool {
		MEMBERS.with(|members| members.borrow().values().any(|(id, _, _)| *id == member))
	}

	fn is_active(member: MemberId) -> bool {
		MEMBERS.with(|members| {
			members.borrow().values().any(|(id, _, active)| *id == member && *active)
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn enrol_for_benchmark(who: &u64, role: Role) -> MemberId {
		// Like the registry: a known account gains the role besides those it has.
		MEMBERS.with(|members| {
			let mut members = members.borrow_mut();
			let entry = members.entry(*who).or_insert((100 + *who as MemberId, Vec::new(), true));
			if !entry.1.contains(&role) {
				entry.1.push(role);
			}
			entry.0
		})
	}
}

/// Records reputation reports for the tests to read, per test thread.
pub struct TestReputation;

impl TestReputation {
	/// The reports since the last [`TestReputation::clear`], oldest first.
	pub fn reports() -> Vec<(MemberId, ReputationCause)> {
		REPORTS.with(|reports| reports.borrow().clone())
	}

	/// Forgets the reports: a new test's chain starts with none.
	pub fn clear() {
		REPORTS.with(|reports| reports.borrow_mut().clear());
	}
}

impl ReputationReporter for TestReputation {
	fn report(
		member: MemberId,
		cause: ReputationCause,
	) -> Result<Score, sp_runtime::DispatchError> {
		REPORTS.with(|reports| reports.borrow_mut().push((member, cause)));
		Ok(Default::default())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn fill_history_for_benchmark(_member: MemberId) {}
}
