use smartblocks_client::meters::HashChain;
use smartblocks_client::subxt::utils::H256;

use super::*;
use crate::{building::ChainStatus, server::sample};

const TODAY: u32 = 20_000;

fn chain(length: u64) -> HashChain {
	HashChain { head: H256::repeat_byte(length as u8), length }
}

#[test]
fn periods_and_days_add_import_and_generation_and_take_off_export() {
	let campus = sample::campus(1, 4, 3, TODAY);
	let detail = campus.building_detail(0, Window::Today, NodeStatus::Live { block: 1 }).unwrap();
	assert_eq!(detail.periods.len(), 96);
	// Up to noon: 2000 Wh imported + 300 generated − 100 exported a period; the current period has
	// no closed data yet.
	let last = detail.periods.last().unwrap();
	assert_eq!((last.label.as_str(), last.actual_kwh), ("12:00", None));
	let before = &detail.periods[94];
	assert_eq!(
		(before.label.as_str(), before.actual_kwh, before.complete),
		("11:45", Some(2.2), true)
	);
	assert_eq!(detail.days.len(), 30);
	let today = detail.days.last().unwrap();
	assert_eq!((today.actual_kwh, today.complete), (Some(105.6), false));
	let yesterday = &detail.days[28];
	assert_eq!(
		(yesterday.label.as_str(), yesterday.actual_kwh, yesterday.complete),
		("10-03", Some(211.2), true)
	);
	assert_eq!(detail.days[26].actual_kwh, None);
	assert_eq!(detail.meters.len(), 4);
	assert_eq!(detail.meters[0].completeness_today_percent, Some(100.0));
	assert_eq!(detail.meters[3].completeness_today_percent, None, "a temperature sensor");
	assert!(campus.building_detail(1, Window::Today, NodeStatus::Connecting).is_none());
}

#[test]
fn day_checkpoints_that_continue_to_the_head_are_continuous_and_a_gap_is_named() {
	let mut campus = sample::campus(1, 4, 3, TODAY);
	let import = campus.sites[0].meters[0].id;
	campus.sites[0].meters[0].chain = chain(10);
	let days = campus.days.get_mut(&import).unwrap();
	days.clear();
	days.insert(TODAY - 2, sample::day(100, 96));
	days.insert(TODAY, sample::day(100, 48));
	days.get_mut(&(TODAY - 2)).unwrap().readings = 4;
	days.get_mut(&(TODAY - 2)).unwrap().chain = chain(4);
	days.get_mut(&TODAY).unwrap().readings = 6;
	days.get_mut(&TODAY).unwrap().chain = chain(10);
	let status = |campus: &CampusSnapshot| {
		campus.building_detail(0, Window::Today, NodeStatus::Connecting).unwrap().meters[0]
			.chain
			.clone()
	};
	assert_eq!(
		status(&campus),
		ChainStatus::Continuous { days: 2, length: 10, head: format!("0x{}…", "0a".repeat(8)) }
	);

	// Today's checkpoint claims more readings than the day holds.
	campus.days.get_mut(&import).unwrap().get_mut(&TODAY).unwrap().readings = 5;
	assert_eq!(
		status(&campus),
		ChainStatus::Broken { day: "2024-10-04".into(), expected_length: 9, found_length: 10 }
	);
	// A meter without readings has no chain to check.
	campus.sites[0].meters[0].chain = chain(0);
	assert_eq!(status(&campus), ChainStatus::Empty);
}
