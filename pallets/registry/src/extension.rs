//! Members-only transactions: the `CheckMember` transaction extension.

use crate::{pallet::*, types::MemberStatus, weights::WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::{TransactionSource, Weight},
	traits::{IsSubType, OriginTrait},
	DefaultNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{
	impl_tx_ext_default,
	traits::{DispatchInfoOf, TransactionExtension, ValidateResult},
	transaction_validity::InvalidTransaction,
};

/// `InvalidTransaction::Custom` code: the signer acts for no member and is not applying.
pub const NOT_A_MEMBER: u8 = 1;
/// `InvalidTransaction::Custom` code: the signer acts for a suspended member.
pub const MEMBER_SUSPENDED: u8 = 2;

/// Refuses, at pool validation, every signed transaction whose signer does not act for an
/// active member, except the registry's `apply` and `withdraw_application`. Unsigned and
/// general (non-signed) transactions pass: their own authorization decides.
///
/// It carries no data and adds nothing to what is signed, so any wallet signs for it.
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckMember<T>(PhantomData<T>);

impl<T> CheckMember<T> {
	/// The extension (it has no parameters).
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckMember<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckMember")
	}
}

impl<T: Config + Send + Sync> CheckMember<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	/// Whether `who` may have `call` in a block; the refusal code if not.
	pub fn check(who: &T::AccountId, call: &T::RuntimeCall) -> Result<(), InvalidTransaction> {
		match AccountOf::<T>::get(who).and_then(Members::<T>::get).map(|info| info.status) {
			Some(MemberStatus::Active) => Ok(()),
			Some(_) => Err(InvalidTransaction::Custom(MEMBER_SUSPENDED)),
			None => match call.is_sub_type() {
				Some(Call::apply { .. } | Call::withdraw_application {}) => Ok(()),
				_ => Err(InvalidTransaction::Custom(NOT_A_MEMBER)),
			},
		}
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckMember<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	const IDENTIFIER: &'static str = "CheckMember";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, _: &T::RuntimeCall) -> Weight {
		T::WeightInfo::check_member()
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl codec::Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		if let Some(who) = origin.as_signer() {
			Self::check(who, call)?;
		}
		Ok((Default::default(), (), origin))
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}
