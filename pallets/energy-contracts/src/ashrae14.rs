//! ASHRAE Guideline 14 for whole-building regression baselines: the acceptance criteria that
//! are energy performance contracts' default thresholds, and the savings uncertainty each
//! statement states.
//!
//! Guideline 14's whole-building (option C) path asks the baseline model for a net
//! determination bias of at most 0.005 (0.5 %) and a CV(RMSE) of at most 20 % when savings are
//! reported for under 12 months, 25 % for 12 to 60 months and 30 % beyond, both computed with
//! `n − p` degrees of freedom (see [`crate::DailyBaseline`]). A least-squares fit with an
//! intercept has a net bias of zero on its own data, so the NMBE limit mostly catches models
//! that were adjusted after fitting.

use crate::types::{DailyBaseline, SavingsConfidence};
use sp_arithmetic::{
	traits::{CheckedAdd, CheckedDiv, CheckedMul, One},
	FixedPointNumber, FixedU128, Permill,
};

/// The largest |NMBE|: 0.5 %.
pub const MAX_NMBE: Permill = Permill::from_parts(5_000);

/// The largest CV(RMSE) for a contract reporting savings over `reporting_days`.
pub fn max_cv_rmse(reporting_days: u32) -> Permill {
	match reporting_days {
		days if days < 365 => Permill::from_percent(20),
		days if days <= 5 * 365 => Permill::from_percent(25),
		_ => Permill::from_percent(30),
	}
}

/// The loosest CV(RMSE) any contract may accept: the criterion for the longest terms.
pub const LOOSEST_CV_RMSE: Permill = Permill::from_percent(30);

/// The degrees of freedom of the rows of Student's t below: 1 to 30, then wider steps. Between
/// two rows the lower one is taken, whose t is larger, so a band is never narrowed.
const FREEDOM: [u16; 45] = [
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
	27, 28, 29, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 150, 200, 300, 500, 1000,
];

/// Student's t for a two-sided interval, in thousandths rounded up, by the rows of `FREEDOM`.
const T_68: [u16; 45] = [
	1819, 1312, 1189, 1135, 1104, 1084, 1071, 1061, 1053, 1047, 1042, 1038, 1034, 1032, 1029, 1027,
	1025, 1023, 1022, 1020, 1019, 1018, 1017, 1016, 1015, 1014, 1014, 1013, 1012, 1012, 1009, 1007,
	1006, 1005, 1003, 1002, 1001, 1000, 1000, 999, 998, 997, 997, 996, 995,
];
const T_80: [u16; 45] = [
	3078, 1886, 1638, 1534, 1476, 1440, 1415, 1397, 1384, 1373, 1364, 1357, 1351, 1346, 1341, 1337,
	1334, 1331, 1328, 1326, 1324, 1322, 1320, 1318, 1317, 1315, 1314, 1313, 1312, 1311, 1307, 1304,
	1301, 1299, 1296, 1294, 1293, 1292, 1291, 1289, 1288, 1286, 1285, 1284, 1283,
];
const T_90: [u16; 45] = [
	6314, 2920, 2354, 2132, 2016, 1944, 1895, 1860, 1834, 1813, 1796, 1783, 1771, 1762, 1754, 1746,
	1740, 1735, 1730, 1725, 1721, 1718, 1714, 1711, 1709, 1706, 1704, 1702, 1700, 1698, 1690, 1684,
	1680, 1676, 1671, 1667, 1665, 1662, 1661, 1658, 1656, 1653, 1650, 1648, 1647,
];
const T_95: [u16; 45] = [
	12707, 4303, 3183, 2777, 2571, 2447, 2365, 2307, 2263, 2229, 2201, 2179, 2161, 2145, 2132,
	2120, 2110, 2101, 2094, 2086, 2080, 2074, 2069, 2064, 2060, 2056, 2052, 2049, 2046, 2043, 2031,
	2022, 2015, 2009, 2001, 1995, 1991, 1987, 1984, 1980, 1976, 1972, 1968, 1965, 1963,
];

/// Guideline 14's empirical factor of its savings uncertainty approximation, 1.26, in
/// hundredths.
const GUIDELINE_FACTOR: u32 = 126;

/// Student's t, in thousandths, for a two-sided interval at `confidence` with `freedom`
/// degrees of freedom (the row at or below it); `None` without freedom.
pub fn student_t(confidence: SavingsConfidence, freedom: u16) -> Option<u16> {
	let row = FREEDOM.iter().rposition(|f| *f <= freedom)?;
	let table = match confidence {
		SavingsConfidence::Percent68 => &T_68,
		SavingsConfidence::Percent80 => &T_80,
		SavingsConfidence::Percent90 => &T_90,
		SavingsConfidence::Percent95 => &T_95,
	};
	table.get(row).copied()
}

/// Guideline 14's uncertainty (± Wh, rounded up) of the savings over `days` reporting days
/// whose baseline prediction is `baseline_use` Wh, at `confidence`:
///
/// `1.26 · t · CV(RMSE) · √((n / n′) · (1 + 2 / n′) / m) · |E|`, with `n′ = n (1 − ρ) / (1 + ρ)`
/// the baseline's days that count as independent given its residuals' autocorrelation ρ, `t`
/// Student's at `n − p` degrees of freedom and `m` the days. Divided by the savings it is the
/// Guideline's fractional savings uncertainty. `None` without a reporting day or degrees of
/// freedom, with ρ of 100 % (no independent day), or on overflow.
pub fn savings_uncertainty(
	baseline: &DailyBaseline,
	confidence: SavingsConfidence,
	days: u16,
	baseline_use: i64,
) -> Option<u64> {
	let observations = baseline.observations;
	let freedom = observations.checked_sub(u16::from(baseline.parameters))?;
	if days == 0 || observations == 0 {
		return None;
	}
	let t = FixedU128::checked_from_rational(student_t(confidence, freedom)?, 1_000u32)?;
	let million = Permill::one().deconstruct();
	let rho = baseline.autocorrelation.deconstruct();
	let independent_share = million.checked_sub(rho).filter(|share| *share > 0)?;
	// n / n′ = (1 + ρ) / (1 − ρ), and 2 / n′ = 2 (n / n′) / n.
	let ratio = FixedU128::checked_from_rational(million.checked_add(rho)?, independent_share)?;
	let two_over_effective = ratio
		.checked_mul(&FixedU128::from_u32(2))?
		.checked_div(&FixedU128::from_u32(observations.into()))?;
	let spread = ratio
		.checked_mul(&FixedU128::one().checked_add(&two_over_effective)?)?
		.checked_div(&FixedU128::from_u32(days.into()))?;
	let cv_rmse = FixedU128::checked_from_rational(baseline.cv_rmse.deconstruct(), million)?;
	let energy = FixedU128::checked_from_integer(u128::from(baseline_use.unsigned_abs()))?;
	let band = FixedU128::checked_from_rational(GUIDELINE_FACTOR, 100u32)?
		.checked_mul(&t)?
		.checked_mul(&cv_rmse)?
		.checked_mul(&spread.checked_sqrt()?)?
		.checked_mul(&energy)?;
	let unit = FixedU128::DIV;
	u64::try_from(band.into_inner().checked_add(unit - 1)? / unit).ok()
}
