//! The supermajority's Root, and no one else's.

use crate::{mock::*, Event};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchClass, GetDispatchInfo},
};
use sp_runtime::DispatchError;

/// A call only Root may make: writes `value` under a raw storage key.
fn set_storage(value: &[u8]) -> Box<RuntimeCall> {
	Box::new(RuntimeCall::System(frame_system::Call::set_storage {
		items: vec![(b"key".to_vec(), value.to_vec())],
	}))
}

fn stored() -> Option<Vec<u8>> {
	sp_io::storage::get(b"key").map(|bytes| bytes.to_vec())
}

#[test]
fn the_supermajority_dispatches_a_call_as_root() {
	new_test_ext().execute_with(|| {
		assert_ok!(CouncilRoot::dispatch(RuntimeOrigin::signed(SUPERMAJORITY), set_storage(b"v")));

		assert_eq!(stored(), Some(b"v".to_vec()));
		System::assert_last_event(Event::Dispatched { result: Ok(()) }.into());
	});
}

#[test]
fn no_other_origin_may_dispatch() {
	new_test_ext().execute_with(|| {
		for origin in [RuntimeOrigin::signed(2), RuntimeOrigin::none()] {
			assert_noop!(
				CouncilRoot::dispatch(origin, set_storage(b"v")),
				DispatchError::BadOrigin
			);
		}
		// Root itself needs no council, and this pallet does not stand in for it.
		assert_noop!(
			CouncilRoot::dispatch(RuntimeOrigin::root(), set_storage(b"v")),
			DispatchError::BadOrigin
		);
		assert_eq!(stored(), None);
	});
}

#[test]
fn a_failing_call_is_reported_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		// `remark_with_event` wants a signed origin, so Root's call fails.
		let call = Box::new(RuntimeCall::System(frame_system::Call::remark_with_event {
			remark: b"hello".to_vec(),
		}));

		assert_ok!(CouncilRoot::dispatch(RuntimeOrigin::signed(SUPERMAJORITY), call));

		assert_eq!(
			System::events().into_iter().map(|record| record.event).collect::<Vec<_>>(),
			vec![Event::Dispatched { result: Err(DispatchError::BadOrigin) }.into()]
		);
	});
}

#[test]
fn the_dispatch_weighs_its_call_in_the_normal_class() {
	new_test_ext().execute_with(|| {
		let inner = set_storage(b"v");
		let inner_info = inner.get_dispatch_info();
		let outer = RuntimeCall::CouncilRoot(crate::Call::dispatch { call: inner });

		let info = outer.get_dispatch_info();

		assert_eq!(inner_info.class, DispatchClass::Operational);
		assert_eq!(info.class, DispatchClass::Normal);
		assert_eq!(
			info.call_weight,
			<() as crate::WeightInfo>::dispatch().saturating_add(inner_info.call_weight)
		);
	});
}

#[test]
fn the_dispatch_is_charged_its_own_weight_and_what_its_call_used() {
	new_test_ext().execute_with(|| {
		let call = set_storage(b"v");
		let declared = RuntimeCall::CouncilRoot(crate::Call::dispatch { call: call.clone() })
			.get_dispatch_info()
			.call_weight;

		let post = CouncilRoot::dispatch(RuntimeOrigin::signed(SUPERMAJORITY), call).unwrap();

		// `set_storage` reports no weight of its own, so it used what it declared.
		assert_eq!(post.actual_weight, Some(declared));
	});
}
