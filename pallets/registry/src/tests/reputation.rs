use super::*;
use crate::{
	reputation::{moved_by, points, InvalidCause},
	ReputationReporter,
};
use frame_support::{assert_noop, assert_ok};
use proptest::prelude::*;

/// The score after `cause` by the rule alone, before any cap on gains.
fn next_score(score: Score, cause: ReputationCause) -> Result<Score, InvalidCause> {
	Ok(moved_by(score, points(cause)?))
}

fn report(member: MemberId, cause: ReputationCause) -> Score {
	<Registry as ReputationReporter>::report(member, cause).unwrap()
}

#[test]
fn the_worked_example_of_the_pallet_docs_holds() {
	run(|| {
		use ReputationCause::*;
		let steps = [
			(SettlementHonoured, 510),
			(DataCompleteness { per_mille: 970 }, 510),
			(DataCompleteness { per_mille: 900 }, 505),
			(SettlementBreached, 455),
			(DisputeLost, 415),
			(PeerRating { stars: 5 }, 425),
		];
		for (cause, score) in steps {
			assert_eq!(report(0, cause), score, "after {cause:?}");
		}
		System::assert_last_event(
			Event::ReputationChanged { member: 0, score: 425, cause: PeerRating { stars: 5 } }
				.into(),
		);
		let history = ReputationHistory::<Test>::get(0);
		// MaxHistory is five: the first of six changes gave way.
		assert_eq!(history.len(), 5);
		assert_eq!(
			history[0],
			ReputationEntry { block: 1, score: 510, cause: DataCompleteness { per_mille: 970 } }
		);
		assert_eq!(Members::<Test>::get(0).unwrap().score, 425);
	});
}

#[test]
fn scores_saturate_at_the_bounds() {
	assert_eq!(next_score(995, ReputationCause::SettlementHonoured), Ok(MAX_SCORE));
	assert_eq!(next_score(30, ReputationCause::SettlementBreached), Ok(0));
	assert_eq!(next_score(500, ReputationCause::DataCompleteness { per_mille: 1000 }), Ok(502));
	assert_eq!(next_score(500, ReputationCause::DataCompleteness { per_mille: 799 }), Ok(485));
	assert_eq!(next_score(500, ReputationCause::PeerRating { stars: 1 }), Ok(490));
	assert_eq!(next_score(500, ReputationCause::DisputeWon), Ok(505));
}

#[test]
fn reports_out_of_range_change_nothing() {
	run(|| {
		assert_noop!(
			Registry::do_report(0, ReputationCause::DataCompleteness { per_mille: 1001 }),
			Error::<Test>::InvalidCompleteness
		);
		assert_noop!(
			Registry::do_report(0, ReputationCause::PeerRating { stars: 0 }),
			Error::<Test>::InvalidRating
		);
		assert_noop!(
			Registry::do_report(0, ReputationCause::PeerRating { stars: 6 }),
			Error::<Test>::InvalidRating
		);
		assert_noop!(
			Registry::do_report(42, ReputationCause::DisputeWon),
			Error::<Test>::UnknownMember
		);
		let member = admit(5, esco());
		assert_ok!(Registry::retire(RuntimeOrigin::root(), member));
		assert_noop!(
			Registry::do_report(member, ReputationCause::DisputeWon),
			Error::<Test>::MemberRetired
		);
	});
}

#[test]
fn gains_stop_at_the_cap_of_a_window_and_losses_do_not() {
	run(|| {
		use ReputationCause::*;
		// Window 0: two honoured settlements use its 20 points; more gains move nothing.
		assert_eq!(report(0, SettlementHonoured), 510);
		assert_eq!(report(0, SettlementHonoured), 520);
		assert_eq!(report(0, SettlementHonoured), 520);
		System::assert_last_event(
			Event::ReputationChanged { member: 0, score: 520, cause: SettlementHonoured }.into(),
		);
		assert_eq!(report(0, PeerRating { stars: 5 }), 520);
		assert_eq!(report(0, DataCompleteness { per_mille: 1000 }), 520);
		// Losses are never capped.
		assert_eq!(report(0, SettlementBreached), 470);
		// Each member has its own room.
		assert_eq!(report(1, SettlementHonoured), 510);
		// The next window has room again.
		System::set_block_number(GAIN_WINDOW + 1);
		assert_eq!(report(0, DisputeWon), 475);
		assert_eq!(Gains::<Test>::get(0), Gain { window: 1, points: 5 });
	});
}

#[test]
fn windows_are_fixed_runs_of_blocks() {
	run(|| {
		use ReputationCause::*;
		// The last block of window 0 and the first of window 1 each have room for 20.
		System::set_block_number(GAIN_WINDOW - 1);
		assert_eq!(report(0, SettlementHonoured), 510);
		assert_eq!(report(0, SettlementHonoured), 520);
		assert_eq!(report(0, DisputeWon), 520);
		System::set_block_number(GAIN_WINDOW);
		assert_eq!(report(0, SettlementHonoured), 530);
		assert_eq!(Gains::<Test>::get(0), Gain { window: 1, points: 10 });
	});
}

fn any_cause() -> impl Strategy<Value = ReputationCause> {
	prop_oneof![
		Just(ReputationCause::SettlementHonoured),
		Just(ReputationCause::SettlementBreached),
		(0u16..=1100).prop_map(|per_mille| ReputationCause::DataCompleteness { per_mille }),
		Just(ReputationCause::DisputeWon),
		Just(ReputationCause::DisputeLost),
		(0u8..=7).prop_map(|stars| ReputationCause::PeerRating { stars }),
	]
}

proptest! {
	#[test]
	fn any_sequence_of_reports_keeps_scores_and_history_in_bounds(
		causes in proptest::collection::vec(any_cause(), 0..60)
	) {
		run(|| {
			for (block, cause) in causes.iter().enumerate() {
				System::set_block_number(block as u64 + 1);
				let before = Members::<Test>::get(0).unwrap().score;
				match Registry::do_report(0, *cause) {
					Ok(score) => assert!(score <= MAX_SCORE),
					Err(_) => assert_eq!(Members::<Test>::get(0).unwrap().score, before),
				}
				assert!(ReputationHistory::<Test>::get(0).len() <= 5);
				assert!(Gains::<Test>::get(0).points <= 20);
			}
		});
	}
}
