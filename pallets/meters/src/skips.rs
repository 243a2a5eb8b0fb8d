//! Skipped sequence numbers: a device's own signed declaration that it will never deliver some
//! readings, relayed by a member or authorized by its signature alone.

use crate::{
	authorize::{authorize_codes, reading_tag},
	pallet::*,
	readings::{OutOfTurn, Owner},
	types::*,
	Event,
};
use alloc::vec::Vec;
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	ensure,
	pallet_prelude::*,
	traits::Get,
};
use sp_runtime::traits::Verify;

/// The most numbers one skip covers: four billion, more than a meter read every second signs
/// in a century, so no skip can use up a meter's numbers.
pub const MAX_SKIP: u64 = 1 << 32;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_skip_sequences(
		relay: Option<T::AccountId>,
		signed: SignedSkip,
	) -> DispatchResultWithPostInfo {
		if let Some(relay) = &relay {
			Self::acting_member(relay)?;
		}
		let SequenceSkip { meter, first, last } = signed.skip;
		ensure!(first <= last, Error::<T>::EmptySkip);
		ensure!(last - first < MAX_SKIP, Error::<T>::SkipTooLong);
		let block = Self::block_index();
		let mut owner = None;
		Meters::<T>::try_mutate(meter, |slot| {
			let record = slot.as_mut().ok_or(Error::<T>::UnknownMeter)?;
			// An authorized skip had its signature checked in this transaction's validation.
			if relay.is_some() {
				ensure!(Self::skip_signed(record, &signed), Error::<T>::InvalidSkipSignature);
			}
			let mut member = Owner::of::<T>(record);
			Self::turn(record, first, block, &member).map_err(|why| match why {
				OutOfTurn::Stale | OutOfTurn::NotNext => Error::<T>::SkipNotInTurn,
				OutOfTurn::Inactive => Error::<T>::MeterNotActive,
				OutOfTurn::OverAllowance => Error::<T>::IngestLimitReached,
			})?;
			record.ingest.count(block);
			member.ingest.count(block);
			owner = Some(member);
			record.last_sequence = Some(last);
			Ok::<_, DispatchError>(())
		})?;
		if let Some(owner) = owner {
			OwnerIngest::<T>::insert(owner.id, owner.ingest);
		}
		Self::deposit_event(Event::SequencesSkipped { meter, first, last });
		Ok(PostDispatchInfo {
			actual_weight: None,
			pays_fee: if relay.is_some() { Pays::Yes } else { Pays::No },
		})
	}

	/// Validity in the pool of a skip no account signed: a valid range, the meter and its
	/// owner active, the meter's next number first (or the tag of the reading before it
	/// required, as for readings), allowance left in a block, and the device's signature. It
	/// provides the tag of its last number, so the meter's next readings can require it.
	pub(crate) fn authorize_skip(
		source: TransactionSource,
		signed: &SignedSkip,
	) -> TransactionValidityWithRefund {
		let invalid = |code| TransactionValidityError::Invalid(InvalidTransaction::Custom(code));
		let SequenceSkip { meter, first, last } = signed.skip;
		if last < first || last - first >= MAX_SKIP {
			return Err(invalid(authorize_codes::INVALID_SKIP));
		}
		let record = Meters::<T>::get(meter).ok_or(invalid(authorize_codes::UNKNOWN_METER))?;
		let owner = Owner::of::<T>(&record);
		Self::authorize_meter(&record, &owner)?;
		let exact = Self::authorize_turn(&record, first, &owner, source)?;
		if !Self::skip_signed(&record, signed) {
			return Err(InvalidTransaction::BadProof.into());
		}
		let requires = match exact {
			true => Vec::new(),
			false => Vec::from([reading_tag(meter, first.saturating_sub(1))]),
		};
		let validity = ValidTransaction {
			priority: T::AuthorizedPriority::get(),
			requires,
			provides: Vec::from([reading_tag(meter, last)]),
			longevity: T::AuthorizedLongevity::get(),
			propagate: true,
		};
		Ok((validity, Weight::zero()))
	}

	/// Whether the meter's device key signed the skip for this chain.
	fn skip_signed(record: &Meter, signed: &SignedSkip) -> bool {
		let payload = crate::skip_payload(&Self::genesis(), &signed.skip);
		signed.signature.verify(&payload[..], &record.spec.device_key)
	}
}
