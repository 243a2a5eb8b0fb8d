use super::*;
use frame_support::{assert_noop, assert_ok};

fn peer(bytes: &[u8]) -> PeerIdOf<Test> {
	bytes.to_vec().try_into().unwrap()
}

#[test]
fn a_member_registers_a_node() {
	run(|| {
		assert_ok!(Registry::add_node(RuntimeOrigin::signed(2), b"node-2".to_vec()));
		assert_eq!(Nodes::<Test>::get(1).to_vec(), vec![peer(b"node-2")]);
		assert_eq!(NodeOwner::<Test>::get(peer(b"node-2")), Some(1));
		System::assert_last_event(Event::NodeAdded { member: 1, peer_id: peer(b"node-2") }.into());
	});
}

#[test]
fn add_node_errors_change_nothing() {
	run(|| {
		let add = |who: u64, peer_id: &[u8]| {
			Registry::add_node(RuntimeOrigin::signed(who), peer_id.to_vec())
		};
		assert_noop!(add(9, b"node-9"), Error::<Test>::NotAMember);
		assert_noop!(add(2, b""), Error::<Test>::EmptyPeerId);
		assert_noop!(add(2, b"too-long-9"), Error::<Test>::PeerIdTooLong);
		assert_noop!(add(2, b"node-1"), Error::<Test>::NodeTaken);
		assert_ok!(add(1, b"node-1b"));
		assert_noop!(add(1, b"node-1c"), Error::<Test>::TooManyNodes);
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), 1));
		assert_noop!(add(2, b"node-2"), Error::<Test>::MemberNotActive);
	});
}

#[test]
fn a_member_removes_its_node() {
	run(|| {
		assert_ok!(Registry::remove_node(RuntimeOrigin::signed(1), b"node-1".to_vec()));
		assert!(Nodes::<Test>::get(0).is_empty());
		assert_eq!(NodeOwner::<Test>::get(peer(b"node-1")), None);
		System::assert_last_event(
			Event::NodeRemoved { member: 0, peer_id: peer(b"node-1") }.into(),
		);
	});
}

#[test]
fn remove_node_errors_change_nothing() {
	run(|| {
		let remove = |who: u64, peer_id: &[u8]| {
			Registry::remove_node(RuntimeOrigin::signed(who), peer_id.to_vec())
		};
		assert_noop!(remove(9, b"node-1"), Error::<Test>::NotAMember);
		assert_noop!(remove(2, b"node-1"), Error::<Test>::NotMemberNode);
		assert_noop!(remove(1, b""), Error::<Test>::EmptyPeerId);
		assert_noop!(remove(1, b"too-long-9"), Error::<Test>::PeerIdTooLong);
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), 0));
		assert_noop!(remove(1, b"node-1"), Error::<Test>::MemberNotActive);
	});
}

#[test]
fn the_council_turns_the_allowlist_on_and_off() {
	run(|| {
		assert_ok!(Registry::enforce_node_allowlist(RuntimeOrigin::root(), true));
		assert!(NodeAllowlistEnforced::<Test>::get());
		System::assert_last_event(Event::NodeAllowlistSet { enforced: true }.into());
		assert_ok!(Registry::enforce_node_allowlist(RuntimeOrigin::root(), false));
		assert!(!NodeAllowlistEnforced::<Test>::get());
		assert_noop!(
			Registry::enforce_node_allowlist(RuntimeOrigin::signed(1), true),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_allowlist_needs_a_registered_node() {
	run(|| {
		assert_ok!(Registry::remove_node(RuntimeOrigin::signed(1), b"node-1".to_vec()));
		assert_noop!(
			Registry::enforce_node_allowlist(RuntimeOrigin::root(), true),
			Error::<Test>::NoNodesRegistered
		);
	});
}

#[test]
fn suspended_members_nodes_leave_the_allowlist_and_retired_ones_are_gone() {
	run(|| {
		assert_ok!(Registry::add_node(RuntimeOrigin::signed(2), b"node-2".to_vec()));
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), 1));
		assert_eq!(Registry::allowed_nodes(), vec![peer(b"node-1")]);
		assert_ok!(Registry::reinstate(RuntimeOrigin::root(), 1));
		assert_eq!(Registry::allowed_nodes().len(), 2);
		// Suspension took member 1's seat; without it, retiring member 0 would leave one.
		assert_ok!(Registry::grant_council_seat(RuntimeOrigin::root(), 2));
		assert_ok!(Registry::retire(RuntimeOrigin::root(), 0));
		assert_eq!(NodeOwner::<Test>::get(peer(b"node-1")), None);
		assert_eq!(Registry::allowed_nodes(), vec![peer(b"node-2")]);
	});
}
