use smartblocks_client::subxt::utils::AccountId32;

use super::*;

const NOW: u64 = 1_764_000_000_000;

fn account(byte: u8) -> AccountId32 {
	AccountId32([byte; 32])
}

#[test]
fn an_item_is_taken_once_by_its_account() {
	let pending = Pending::<u32>::new(60_000);
	let id = pending.hold(account(1), 7, NOW).unwrap();
	assert_eq!(pending.take(&id, &account(2), NOW), Err(PendingError::OtherAccount));
	assert_eq!(pending.take(&id, &account(1), NOW + 1), Ok(7));
	assert_eq!(pending.take(&id, &account(1), NOW + 2), Err(PendingError::Unknown));
	assert_eq!(pending.take("made-up", &account(1), NOW), Err(PendingError::Unknown));
}

#[test]
fn an_item_expires() {
	let pending = Pending::<u32>::new(60_000);
	let id = pending.hold(account(1), 7, NOW).unwrap();
	assert_eq!(pending.take(&id, &account(1), NOW + 60_000), Err(PendingError::Expired));
	assert_eq!(pending.take(&id, &account(1), NOW), Err(PendingError::Unknown));
}

#[test]
fn held_items_are_bounded_until_they_expire() {
	let pending = Pending::<u32>::new(60_000);
	for item in 0..HELD {
		pending.hold(account(1), u32::try_from(item).unwrap(), NOW).unwrap();
	}
	assert_eq!(pending.hold(account(1), 0, NOW), Err(PendingError::Busy));
	assert!(pending.hold(account(1), 0, NOW + 60_000).is_ok());
}
