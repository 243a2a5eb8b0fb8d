use super::*;
use crate::extension::{CheckMember, MEMBER_SUSPENDED, NOT_A_MEMBER};
use frame_support::{assert_ok, dispatch::DispatchInfo};
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension, TxBaseImplication},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
};

fn validate(who: u64, call: &RuntimeCall) -> Result<(), TransactionValidityError> {
	CheckMember::<Test>::new()
		.validate_only(
			RuntimeOrigin::signed(who),
			call,
			&DispatchInfo::default(),
			0,
			TransactionSource::External,
			0,
		)
		.map(|_| ())
}

fn transfer() -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: 2, value: 1 })
}

fn custom(code: u8) -> Result<(), TransactionValidityError> {
	Err(InvalidTransaction::Custom(code).into())
}

#[test]
fn member_accounts_pass() {
	run(|| {
		assert_ok!(validate(1, &transfer()));
	});
}

#[test]
fn non_members_are_refused_unless_applying() {
	run(|| {
		assert_eq!(validate(5, &transfer()), custom(NOT_A_MEMBER));
		let apply = RuntimeCall::Registry(crate::Call::apply {
			name: b"Delta".to_vec(),
			roles: esco(),
			contact: CONTACT,
		});
		assert_ok!(validate(5, &apply));
		let withdraw = RuntimeCall::Registry(crate::Call::withdraw_application {});
		assert_ok!(validate(5, &withdraw));
		let admit = RuntimeCall::Registry(crate::Call::admit { applicant: 5, roles: esco() });
		assert_eq!(validate(5, &admit), custom(NOT_A_MEMBER));
	});
}

#[test]
fn suspended_members_are_refused() {
	run(|| {
		let member = admit(5, esco());
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), member));
		assert_eq!(validate(5, &transfer()), custom(MEMBER_SUSPENDED));
	});
}

#[test]
fn retired_members_accounts_are_refused() {
	run(|| {
		let member = admit(5, esco());
		assert_ok!(Registry::retire(RuntimeOrigin::root(), member));
		assert_eq!(validate(5, &transfer()), custom(NOT_A_MEMBER));
	});
}

#[test]
fn unsigned_transactions_pass_to_their_own_checks() {
	run(|| {
		let validated = CheckMember::<Test>::new().validate(
			RuntimeOrigin::none(),
			&transfer(),
			&DispatchInfo::default(),
			0,
			(),
			&TxBaseImplication(()),
			TransactionSource::External,
		);
		assert!(validated.is_ok());
	});
}
