use crate::mock::Test;
use crate::{median, types::FeedKind, Pallet};
use proptest::prelude::*;

#[test]
fn median_of_odd_and_even_counts() {
	assert_eq!(median(&mut []), None);
	assert_eq!(median(&mut [7]), Some(7));
	assert_eq!(median(&mut [9, 1, 5]), Some(5));
	assert_eq!(median(&mut [4, 1]), Some(2));
	// Rounded down, also below zero.
	assert_eq!(median(&mut [-4, -1]), Some(-3));
	assert_eq!(median(&mut [i64::MAX, i64::MAX]), Some(i64::MAX));
	assert_eq!(median(&mut [i64::MIN, i64::MAX]), Some(-1));
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
}
