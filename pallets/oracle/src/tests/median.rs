use crate::mock::Test;
use crate::{median, types::FeedKind, Pallet};
use proptest::prelude::*;

#[test]
fn median_of_odd_and_even_counts_is_a_submitted_value() {
	assert_eq!(median(&mut []), None);
	assert_eq!(median(&mut [7]), Some(7));
	assert_eq!(median(&mut [9, 1, 5]), Some(5));
	// The lower of the two middle values, never their mean.
	assert_eq!(median(&mut [4, 1]), Some(1));
	assert_eq!(median(&mut [40, -4, 10, -1]), Some(-1));
	assert_eq!(median(&mut [i64::MIN, i64::MAX]), Some(i64::MIN));
}

#[test]
fn one_dishonest_provider_of_four_cannot_move_the_value_out_of_the_honest_range() {
	// Three honest values 100, 104, 110; the fourth provider submits anything.
	for dishonest in [i64::MIN, -1_000_000, 99, 105, 111, 1_000_000, i64::MAX] {
		let value = median(&mut [104, dishonest, 110, 100]).unwrap();
		assert!((100..=110).contains(&value), "{dishonest} moved the value to {value}");
	}
}

#[test]
fn tolerances_follow_each_kind() {
	let outlier = Pallet::<Test>::is_outlier;
	assert!(!outlier(FeedKind::OutdoorTemperature, 120, 100));
	assert!(outlier(FeedKind::OutdoorTemperature, 121, 100));
	// 10 % of 100 000 is 10 000; small prices get at least 5 000.
	assert!(!outlier(FeedKind::MarketPrice, 110_000, 100_000));
	assert!(outlier(FeedKind::MarketPrice, 110_001, 100_000));
	assert!(!outlier(FeedKind::MarketPrice, 4_000, -1_000));
	// 15 % of 400 g is 60 g; low intensities get at least 20 g.
	assert!(outlier(FeedKind::CarbonIntensity, 461, 400));
	assert!(!outlier(FeedKind::CarbonIntensity, 30, 10));
}

proptest! {
	#[test]
	fn median_lies_between_the_middle_values_whatever_the_order(
		mut values in proptest::collection::vec(any::<i64>(), 1..12),
		rotation in 0usize..12,
	) {
		let mut rotated = values.clone();
		let len = rotated.len();
		rotated.rotate_left(rotation % len);
		let m = median(&mut values).unwrap();
		prop_assert_eq!(median(&mut rotated), Some(m));
		// `values` is sorted now.
		let (low, high) = (values[(len - 1) / 2], values[len / 2]);
		prop_assert!(low <= m && m <= high);
		let below = values.iter().filter(|v| **v < m).count();
		let above = values.iter().filter(|v| **v > m).count();
		prop_assert!(below <= len / 2 && above <= len / 2);
	}

	/// Of three or more submissions with one dishonest, the value lies within the honest ones'
	/// range, whatever the dishonest one submits and wherever it comes.
	#[test]
	fn one_dishonest_provider_cannot_move_the_value_out_of_the_honest_range(
		honest in proptest::collection::vec(-1_000_000i64..1_000_000, 2..10),
		dishonest in any::<i64>(),
		at in 0usize..10,
	) {
		let (low, high) = (*honest.iter().min().unwrap(), *honest.iter().max().unwrap());
		let mut values = honest.clone();
		values.insert(at % (values.len() + 1), dishonest);
		let value = median(&mut values).unwrap();
		prop_assert!(low <= value && value <= high, "{} outside {}..={}", value, low, high);
	}
}
