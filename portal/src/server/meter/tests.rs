use smartblocks_client::{meters::HashChain, subxt::utils::H256};

use super::*;
use crate::server::sample;

const TODAY: u32 = 20_000;

#[test]
fn a_meter_page_charts_what_the_meter_measured() {
	let mut campus = sample::campus(1, 5, 3, TODAY);
	campus.sites[0].meters[1].last_register = Some(1_234);
	campus.sites[0].meters[1].multiplier = 10;
	// The export meter measures 100 Wh a period: its own chart counts it, not against use.
	let export = campus.meter_detail(1, NodeStatus::Connecting).unwrap();
	assert_eq!((export.site, export.site_name.as_str()), (0, "Building 00"));
	assert_eq!(export.health.kind, "GridExport");
	assert_eq!(export.last_register_wh, Some(12_340));
	assert_eq!(export.periods.len(), 96);
	assert_eq!(export.periods[94].actual_kwh, Some(0.1));
	assert_eq!(export.days.len(), 30);
	assert_eq!((export.days[28].actual_kwh, export.days[28].complete), (Some(9.6), true));
	// A sub-meter, outside the building's use, has its periods too.
	let sub = campus.meter_detail(4, NodeStatus::Connecting).unwrap();
	assert_eq!(sub.periods[94].actual_kwh, Some(0.4));
	// A temperature sensor measures no energy.
	let sensor = campus.meter_detail(3, NodeStatus::Connecting).unwrap();
	assert!(sensor.periods.is_empty() && sensor.days.is_empty());
	assert!(campus.meter_detail(5, NodeStatus::Connecting).is_none());
}

#[test]
fn each_checkpoint_is_checked_against_the_day_before() {
	let mut campus = sample::campus(1, 4, 3, TODAY);
	let chain = |length: u64| HashChain { head: H256::repeat_byte(length as u8), length };
	campus.sites[0].meters[0].chain = chain(12);
	let days = campus.days.get_mut(&0).unwrap();
	for (offset, (readings, length)) in [(3, 3), (4, 7), (5, 12)].into_iter().enumerate() {
		let day = days.get_mut(&(TODAY - 2 + offset as u32)).unwrap();
		day.readings = readings;
		day.chain = chain(length);
	}
	let detail = campus.meter_detail(0, NodeStatus::Connecting).unwrap();
	let checked: Vec<_> = detail
		.checkpoints
		.iter()
		.map(|c| (c.day.as_str(), c.readings, c.length, c.expected_length, c.continues()))
		.collect();
	assert_eq!(
		checked,
		[
			("2024-10-02", 3, 3, None, true),
			("2024-10-03", 4, 7, Some(7), true),
			("2024-10-04", 5, 12, Some(12), true),
		]
	);
	assert_eq!(detail.checkpoints[2].head, format!("0x{}…", "0c".repeat(8)));
	assert!(matches!(detail.health.chain, ChainStatus::Continuous { days: 3, length: 12, .. }));

	// A day that claims a reading it does not hold breaks the chain there.
	campus.days.get_mut(&0).unwrap().get_mut(&(TODAY - 1)).unwrap().readings = 3;
	let detail = campus.meter_detail(0, NodeStatus::Connecting).unwrap();
	assert!(!detail.checkpoints[1].continues());
	assert_eq!(
		detail.health.chain,
		ChainStatus::Broken { day: "2024-10-03".into(), expected_length: 6, found_length: 7 }
	);
}
