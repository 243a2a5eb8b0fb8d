use smartblocks_client::{
	registry::{role_set, Application, OpenMotion, Role},
	subxt::utils::{AccountId32, H256},
};

use super::*;
use crate::server::sample;

fn account(byte: u8) -> AccountId32 {
	AccountId32([byte; 32])
}

fn campus() -> CampusSnapshot {
	let mut campus = sample::campus(2, 4, 1, 20_000);
	campus.sites[1].owner = 1;
	campus.registry.members = vec![
		sample::member(0, "Campus Estates", vec![account(1)], &[(1, 500)]),
		sample::member(
			1,
			"Helio ESCO",
			vec![account(2), account(3)],
			&[(4, 500), (90, 520), (180, 505)],
		),
	];
	campus.registry.applications = vec![(
		account(9),
		Application {
			name: smartblocks_client::chain::runtime_types::bounded_collections::bounded_vec::BoundedVec(
				b"Grid Co".to_vec(),
			),
			roles: role_set(&[Role::Utility, Role::Trader]),
			contact: H256::zero(),
			deposit: 250 * 1_000_000_000_000,
			submitted: 200,
		},
	)];
	campus.registry.council = vec![account(1), account(3), account(7)];
	campus.registry.motions = vec![OpenMotion {
		hash: H256::repeat_byte(0xab),
		index: 4,
		threshold: 2,
		ayes: vec![account(1)],
		nays: vec![account(3)],
		end: 300,
		call: None,
	}];
	campus
}

#[test]
fn the_directory_lists_members_and_applications_with_role_names_and_sbt() {
	let directory = campus().directory(NodeStatus::Live { block: 1000 });
	assert_eq!(directory.members.len(), 2);
	let helio = &directory.members[1];
	assert_eq!(
		(helio.id, helio.name.as_str(), helio.score, helio.admitted),
		(1, "Helio ESCO", 505, 4)
	);
	assert_eq!(helio.roles, ["Esco", "BuildingOwner"]);
	assert_eq!(helio.accounts, [account(2).to_string(), account(3).to_string()]);
	let application = &directory.applications[0];
	assert_eq!(application.name, "Grid Co");
	assert_eq!(application.roles, ["Utility", "Trader"]);
	assert_eq!((application.deposit_sbt, application.submitted), (250.0, 200));
}

#[test]
fn a_member_page_has_its_reputation_history_and_sites() {
	let campus = campus();
	let page = campus.member_page(1, NodeStatus::Connecting).unwrap();
	let history: Vec<(u32, u16)> = page.history.iter().map(|p| (p.block, p.score)).collect();
	assert_eq!(history, [(4, 500), (90, 520), (180, 505)]);
	assert_eq!(page.history[0].cause, "a day of meter data 99.0 % complete");
	assert_eq!(page.sites, [(1, "Building 01".to_string())]);
	assert!(campus.member_page(7, NodeStatus::Connecting).is_none());
}

#[test]
fn the_council_names_the_members_its_voters_act_for() {
	let council = campus().council_view(NodeStatus::Connecting);
	let names: Vec<Option<&str>> = council.members.iter().map(|v| v.member.as_deref()).collect();
	assert_eq!(names, [Some("Campus Estates"), Some("Helio ESCO"), None]);
	let motion = &council.motions[0];
	assert_eq!((motion.index, motion.threshold, motion.end), (4, 2, 300));
	assert_eq!(motion.ayes[0].member.as_deref(), Some("Campus Estates"));
	assert_eq!(motion.nays[0].member.as_deref(), Some("Helio ESCO"));
	assert_eq!(motion.proposal, "(the proposal is no longer stored)");
}
