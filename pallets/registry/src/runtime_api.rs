//! The runtime API clients query members through.

use crate::types::{MemberDetails, MemberId};
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// Members with their roles, accounts, validators and reputation history, one call each.
	pub trait RegistryApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The member with this number, retired ones included.
		fn member(id: MemberId) -> Option<MemberDetails<AccountId, Balance, BlockNumber>>;
		/// The member an account acts for.
		fn member_of(account: AccountId) -> Option<MemberDetails<AccountId, Balance, BlockNumber>>;
	}
}
