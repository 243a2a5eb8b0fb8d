//! Degree-days of a day from its mean outdoor temperature, as energy performance baselines take
//! them (the bridge fits with them, the chain settles with them, the portal shows them).
//!
//! A day's temperatures spread around its mean: a day whose mean is 1 K below a heating
//! balance point has hours above it and hours well below it, and a building heats in the
//! latter. With a spread `σ` > 0 the degree-days are those the day's temperatures give when
//! they are normally distributed around the mean with standard deviation `σ` (Erbs, Klein and
//! Beckman 1983; Schoenau and Kehrig 1990), `σ · g(d / σ)` where `d` is the mean's distance past
//! the balance point and `g(z) = φ(z) + z Φ(z)` the expected positive part of a standard normal
//! shifted by `z`: a smooth hinge that tends to `max(0, d)` away from the balance point. With
//! `σ` = 0 they are `max(0, d)`, CalTRACK's straight hinge.
//!
//! `g` is tabulated at `z` = 0, 0.1, …, 4 in millionths and interpolated linearly (within
//! 5 · 10⁻⁴ of `g`); below 0 it is `g(−z) = g(z) − z`, beyond 4 it is `z` (within 10⁻⁵). The
//! chain computes the same table in integers ([`micro_degree_days`]) that the bridge's fit
//! computes in floating point ([`degree_days`]), so a fitted baseline predicts on chain what it
//! predicted in the fit.

/// `g(z)` in millionths at `z = i / 10`, `i` = 0..=40.
const EXPECTED_EXCESS: [i64; 41] = [
	398_942, 450_935, 506_895, 566_761, 630_439, 697_797, 768_673, 842_879, 920_207, 1_000_431,
	1_083_315, 1_168_620, 1_256_102, 1_345_528, 1_436_668, 1_529_307, 1_623_242, 1_718_288,
	1_814_276, 1_911_054, 2_008_491, 2_106_468, 2_204_887, 2_303_662, 2_402_720, 2_502_004,
	2_601_464, 2_701_060, 2_800_761, 2_900_542, 3_000_382, 3_100_267, 3_200_185, 3_300_127,
	3_400_087, 3_500_058, 3_600_039, 3_700_026, 3_800_017, 3_900_011, 4_000_007,
];
/// Table steps per unit of `z`.
const STEPS: i64 = 10;
/// The table's last `z`: beyond it the degree-days are the straight hinge's.
const TABLE_END: i64 = 4;
/// The largest spread a baseline may state, tenths of a kelvin: 10 K, wider than any day's
/// temperatures spread.
pub const MAX_SPREAD: u16 = 100;

/// Degree-days (K·day) of a day whose mean temperature lies `difference` kelvin past the
/// balance point (positive: on the side that counts), with the day's temperatures spread by
/// `spread` kelvin (0: the straight hinge).
pub fn degree_days(difference: f64, spread: f64) -> f64 {
	if spread <= 0.0 {
		return difference.max(0.0);
	}
	let z = difference.abs() / spread;
	let position = z * STEPS as f64;
	// z ≥ 0: truncation is the floor (and saturates for a huge z, which is past the table).
	let index = position as usize;
	let excess = match EXPECTED_EXCESS.get(index..index.saturating_add(2)) {
		Some(&[low, high]) => {
			let fraction = position - index as f64;
			(low as f64 + (high - low) as f64 * fraction) / 1e6
		}
		_ => z,
	};
	let excess = if difference < 0.0 { (excess - z).max(0.0) } else { excess };
	spread * excess
}

/// [`degree_days`] in integers as the chain computes it: `difference` and `spread` in tenths
/// of a kelvin, the degree-days in millionths of a K·day, rounded down. `None` for a spread
/// beyond [`MAX_SPREAD`].
pub fn micro_degree_days(difference: i64, spread: u16) -> Option<i64> {
	if spread > MAX_SPREAD {
		return None;
	}
	// Tenths of a kelvin to millionths of a K·day: × 10⁵.
	let positive = |tenths: i64| tenths.max(0).checked_mul(100_000);
	let spread = i64::from(spread);
	let distance = difference.checked_abs()?;
	// Past the table (z = distance / spread ≥ 4), and the straight hinge: max(0, d).
	if spread == 0 || distance >= TABLE_END * spread {
		return positive(difference);
	}
	// Within the table: distance < 4 σ ≤ 400 tenths, so nothing below can overflow.
	let scaled = distance * STEPS;
	let (index, remainder) = (scaled / spread, scaled % spread);
	let (low, high) = match EXPECTED_EXCESS.get(usize::try_from(index).ok()?..)? {
		[low, high, ..] => (*low, *high),
		_ => return positive(difference),
	};
	// σ · g(z) in millionths of a K·day: (low + (high − low) · remainder / σ) · σ / 10.
	let excess_times_spread = (low * spread + (high - low) * remainder) / 10;
	Some(if difference < 0 {
		(excess_times_spread - distance * 100_000).max(0)
	} else {
		excess_times_spread
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	extern crate std;

	/// `g(z) = φ(z) + z Φ(z)` by Simpson's rule on φ from −10 (no table involved).
	fn expected_excess(z: f64) -> f64 {
		let phi = |x: f64| (-x * x / 2.0).exp() / (2.0 * core::f64::consts::PI).sqrt();
		let steps = 20_000;
		let (from, width) = (-10.0, (z + 10.0) / steps as f64);
		let mut sum = phi(from) + phi(z);
		for step in 1..steps {
			let weight = if step % 2 == 1 { 4.0 } else { 2.0 };
			sum += weight * phi(from + width * step as f64);
		}
		phi(z) + z * sum * width / 3.0
	}

	#[test]
	fn the_table_is_the_expected_excess_of_a_normal_variable() {
		for (index, value) in EXPECTED_EXCESS.iter().enumerate() {
			let exact = expected_excess(index as f64 / STEPS as f64) * 1e6;
			assert!((*value as f64 - exact).abs() <= 1.0, "z = {index}/10: {value} vs {exact}");
		}
	}

	#[test]
	fn degree_days_are_a_smooth_hinge_within_its_tolerance() {
		for spread in [0.5, 1.0, 2.5, 4.0] {
			let mut difference = -20.0;
			while difference <= 20.0 {
				let exact = spread * expected_excess(difference / spread);
				let ours = degree_days(difference, spread);
				assert!((ours - exact).abs() <= 5e-4 * spread + 1e-9, "{difference} {spread}");
				difference += 0.37;
			}
		}
		// No spread: the straight hinge.
		assert_eq!(degree_days(3.5, 0.0), 3.5);
		assert_eq!(degree_days(-3.5, 0.0), 0.0);
		// At the balance point, σ · φ(0).
		assert!((degree_days(0.0, 2.0) - 2.0 * 0.398_942).abs() < 1e-9);
	}

	#[test]
	fn the_chains_integers_agree_with_the_fits_floats() {
		for spread in [0u16, 1, 7, 20, 35, MAX_SPREAD] {
			for difference in -400i64..=400 {
				let micro = micro_degree_days(difference, spread).unwrap();
				let float = degree_days(difference as f64 / 10.0, f64::from(spread) / 10.0);
				assert!((micro as f64 / 1e6 - float).abs() < 2e-6, "{difference} {spread}");
				assert!(micro >= 0);
			}
		}
		assert_eq!(micro_degree_days(25, 0), Some(2_500_000));
		assert_eq!(micro_degree_days(-25, 0), Some(0));
		assert_eq!(micro_degree_days(0, MAX_SPREAD + 1), None);
		// Far past the table either way: the straight hinge, never an overflow.
		assert_eq!(micro_degree_days(i64::MIN, 20), None);
		assert_eq!(micro_degree_days(i64::MIN / 2, 20), Some(0));
		assert_eq!(micro_degree_days(-4_294_967_295, 10), Some(0));
		assert_eq!(micro_degree_days(4_294_967_295, 10), Some(429_496_729_500_000));
		assert_eq!(micro_degree_days(i64::MAX / 10, 20), None);
	}
}
