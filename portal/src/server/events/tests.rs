use serde_json::json;

use super::*;

fn event(block: u64, index: u32, fields: serde_json::Value) -> ChainEvent {
	let meter_sites = HashMap::from([(10, 1), (11, 2)]);
	chain_event(Cursor { block, index }, "Meters", "ReadingsAccepted", fields, &meter_sites)
}

fn cursors(events: &[Arc<ChainEvent>]) -> Vec<String> {
	events.iter().map(|event| event.cursor.to_string()).collect()
}

#[test]
fn events_name_sites_through_meters_members_and_contracts_at_any_depth() {
	let readings = event(
		5,
		0,
		json!({ "runs": [{ "meter": 10, "count": 3 }, { "meter": 11 }, { "meter": 99 }] }),
	);
	assert_eq!((readings.sites.as_slice(), readings.members.len()), ([1, 2].as_slice(), 0));
	let signed = event(5, 1, json!({ "contract": 7, "member": 3 }));
	assert_eq!(
		(signed.contracts.as_slice(), signed.members.as_slice()),
		([7].as_slice(), [3].as_slice())
	);
	let site = event(5, 2, json!({ "site": 4, "owner": 3 }));
	assert_eq!((site.sites.as_slice(), site.members.as_slice()), ([4].as_slice(), [3].as_slice()));
	assert_eq!(Cursor::parse(" 12:3 "), Some(Cursor { block: 12, index: 3 }));
	assert_eq!(Cursor::parse("12"), None);
	assert_eq!(Cursor::parse("a:1"), None);
}

#[test]
fn a_consumer_resumes_after_its_cursor_with_nothing_missed_or_repeated() {
	let log = EventLog::new(100, usize::MAX);
	log.push_block(
		5,
		vec![event(5, 0, json!({ "meter": 10 })), event(5, 1, json!({ "meter": 11 }))],
	);
	log.push_block(6, vec![]);
	log.push_block(7, vec![event(7, 0, json!({ "meter": 10 })), event(7, 3, json!({ "site": 1 }))]);
	let all = EventFilter::default();
	let (first, scanned) = log.after(None, &all, 2).unwrap();
	assert_eq!(
		(cursors(&first), scanned),
		(vec!["5:0".into(), "5:1".into()], Some(Cursor { block: 5, index: 1 }))
	);
	let (rest, scanned) = log.after(scanned, &all, 10).unwrap();
	assert_eq!(cursors(&rest), ["7:0", "7:3"]);
	assert_eq!(log.after(scanned, &all, 10).unwrap().0.len(), 0);

	let site_1 = EventFilter { site: Some(1), ..Default::default() };
	let (mine, scanned) = log.after(None, &site_1, 10).unwrap();
	assert_eq!(
		(cursors(&mine), scanned),
		(vec!["5:0".into(), "7:0".into(), "7:3".into()], Some(Cursor { block: 7, index: 3 }))
	);
	let (from_middle, _) = log.after(Some(Cursor { block: 5, index: 0 }), &site_1, 10).unwrap();
	assert_eq!(cursors(&from_middle), ["7:0", "7:3"]);
	let nobody = EventFilter { contract: Some(1), ..Default::default() };
	assert!(log.after(None, &nobody, 10).unwrap().0.is_empty());
}

#[test]
fn the_log_drops_whole_old_blocks_and_refuses_cursors_before_them() {
	let log = EventLog::new(3, usize::MAX);
	log.push_block(1, vec![event(1, 0, json!({})), event(1, 1, json!({}))]);
	log.push_block(2, vec![event(2, 0, json!({}))]);
	log.push_block(3, vec![event(3, 0, json!({}))]);
	// Block 1 went as a whole.
	let all = EventFilter::default();
	assert_eq!(cursors(&log.after(None, &all, 10).unwrap().0), ["2:0", "3:0"]);
	// A consumer that saw all of block 1 misses nothing; one still inside it would.
	assert!(log.after(Some(Cursor { block: 1, index: 1 }), &all, 10).is_ok());
	let too_old = Some(ResumeError::TooOld { oldest: Some(Cursor { block: 2, index: 0 }) });
	assert_eq!(log.after(Some(Cursor { block: 1, index: 0 }), &all, 10).err(), too_old);
	assert_eq!(log.after(Some(Cursor { block: 0, index: 5 }), &all, 10).err(), too_old);
}

#[test]
fn a_look_into_the_log_goes_through_a_bounded_step_however_rare_the_events_wanted() {
	let log = EventLog::new(3 * SCAN_STEP, usize::MAX);
	let events = (0..2 * SCAN_STEP as u32).map(|index| event(9, index, json!({}))).collect();
	log.push_block(9, events);
	let nobody = EventFilter { contract: Some(1), ..Default::default() };
	let (found, scanned) = log.after(None, &nobody, 10).unwrap();
	assert!(found.is_empty());
	// A step looked at; the next goes on from there.
	assert_eq!(scanned, Some(Cursor { block: 9, index: SCAN_STEP as u32 - 1 }));
	let (_, scanned) = log.after(scanned, &nobody, 10).unwrap();
	assert_eq!(scanned, Some(Cursor { block: 9, index: 2 * SCAN_STEP as u32 - 1 }));
}

#[test]
fn the_log_keeps_to_its_memory_budget_dropping_whole_old_blocks() {
	let hash = [7u8; 32];
	let block = |n| vec![event(n, 0, json!({ "meter": 10, "hash": hash })), event(n, 1, json!({}))];
	let per_block: usize = block(1).iter().map(ChainEvent::footprint).sum();
	let log = EventLog::new(usize::MAX, 2 * per_block + per_block / 2);
	for n in 1..=5 {
		log.push_block(n, block(n));
	}
	let all = EventFilter::default();
	assert_eq!(cursors(&log.after(None, &all, 10).unwrap().0), ["4:0", "4:1", "5:0", "5:1"]);
	assert!(log.after(Some(Cursor { block: 3, index: 0 }), &all, 10).is_err());
	// A block larger than the whole budget stays, alone: consumers keep the chain's head.
	let huge = (0..8).map(|index| event(6, index, json!({ "hash": hash }))).collect();
	log.push_block(6, huge);
	assert_eq!(log.after(None, &all, 10).unwrap().0.len(), 8);
	assert!(log.after(Some(Cursor { block: 5, index: 1 }), &all, 10).is_ok());
}

#[test]
fn an_event_counts_its_text_not_a_parsed_tree() {
	let small = event(1, 0, json!({ "meter": 10 })).footprint();
	let high = [255u8; 32];
	let hash = event(1, 0, json!({ "meter": 10, "hash": high })).footprint();
	// 32 numbers of up to three digits, commas and brackets: the text, not 32 parsed values.
	assert!(hash - small <= 32 * 4 + 16, "{small} then {hash}");
	let note = event(1, 0, json!({ "note": "x".repeat(1_000) })).footprint();
	assert!((1_000..1_000 + 512).contains(&note), "{note}");
}
