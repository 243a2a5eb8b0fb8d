//! Member nodes and the node allowlist that the off-chain worker applies to the network.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Decode;
use frame_support::{ensure, pallet_prelude::*};
use sp_core::OpaquePeerId;
use sp_runtime::offchain::StorageKind;

/// Offchain-storage flag: this node's network is in allowlist mode because of us.
const ALLOWLIST_APPLIED: &[u8] = b"smartblocks::registry::allowlist-applied";

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_node(who: T::AccountId, peer_id: Vec<u8>) -> DispatchResult {
		let member = Self::acting_member(&who)?;
		let peer_id = Self::checked_peer_id(peer_id)?;
		ensure!(!NodeOwner::<T>::contains_key(&peer_id), Error::<T>::NodeTaken);
		Nodes::<T>::try_mutate(member, |nodes| nodes.try_push(peer_id.clone()))
			.map_err(|_| Error::<T>::TooManyNodes)?;
		NodeOwner::<T>::insert(&peer_id, member);
		Self::deposit_event(Event::NodeAdded { member, peer_id });
		Ok(())
	}

	pub(crate) fn do_remove_node(who: T::AccountId, peer_id: Vec<u8>) -> DispatchResult {
		let member = Self::acting_member(&who)?;
		let peer_id = Self::checked_peer_id(peer_id)?;
		ensure!(NodeOwner::<T>::get(&peer_id) == Some(member), Error::<T>::NotMemberNode);
		Nodes::<T>::mutate(member, |nodes| nodes.retain(|node| *node != peer_id));
		NodeOwner::<T>::remove(&peer_id);
		Self::deposit_event(Event::NodeRemoved { member, peer_id });
		Ok(())
	}

	pub(crate) fn do_enforce_node_allowlist(enforced: bool) -> DispatchResult {
		if enforced {
			ensure!(NodeOwner::<T>::iter_keys().next().is_some(), Error::<T>::NoNodesRegistered);
		}
		NodeAllowlistEnforced::<T>::put(enforced);
		Self::deposit_event(Event::NodeAllowlistSet { enforced });
		Ok(())
	}

	/// Drops every node of a retiring member.
	pub(crate) fn remove_nodes_of(member: MemberId) {
		for peer_id in Nodes::<T>::take(member) {
			NodeOwner::<T>::remove(peer_id);
		}
	}

	pub(crate) fn checked_peer_id(peer_id: Vec<u8>) -> Result<PeerIdOf<T>, Error<T>> {
		ensure!(!peer_id.is_empty(), Error::<T>::EmptyPeerId);
		peer_id.try_into().map_err(|_| Error::<T>::PeerIdTooLong)
	}

	/// The registered nodes of active members.
	pub fn allowed_nodes() -> Vec<PeerIdOf<T>> {
		NodeOwner::<T>::iter()
			.filter(|(_, member)| {
				Members::<T>::get(member).is_some_and(|info| info.status == MemberStatus::Active)
			})
			.map(|(peer_id, _)| peer_id)
			.collect()
	}

	/// Off-chain worker: with the allowlist on, this node keeps to the allowed nodes
	/// (reserved-only); once it is turned off again, the node accepts any peer.
	pub(crate) fn apply_node_allowlist() {
		let applied =
			sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, ALLOWLIST_APPLIED)
				.is_some();
		let enforced = NodeAllowlistEnforced::<T>::get();
		if !enforced && !applied {
			// An open network: leave the operator's own peer settings alone.
			return;
		}
		// The node's own identity, SCALE-encoded bytes in the network state.
		let own = sp_io::offchain::network_state()
			.ok()
			.and_then(|state| Vec::<u8>::decode(&mut &state.peer_id.0[..]).ok());
		let peers = Self::allowed_nodes()
			.into_iter()
			.map(|peer_id| peer_id.into_inner())
			.filter(|peer_id| Some(peer_id) != own.as_ref())
			.map(OpaquePeerId)
			.collect();
		sp_io::offchain::set_authorized_nodes(peers, enforced);
		if enforced {
			sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, ALLOWLIST_APPLIED, &[1]);
		} else {
			sp_io::offchain::local_storage_clear(StorageKind::PERSISTENT, ALLOWLIST_APPLIED);
		}
	}
}
