//! The parameters a template bounds, in the chain's units, and decimal text read exactly into
//! them.

use std::collections::BTreeMap;

use crate::contracts::{Bounds, CommonBounds, Permill, TemplateBounds};

/// What a draft's coverage field starts with, within the template's bounds.
const USUAL_COVERAGE: i128 = 900_000;

/// How a parameter's text becomes the chain's integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
	/// Percent typed, millionths on chain.
	Percent,
	/// Currency per MWh typed, thousandths on chain.
	Price,
	Days,
	Count,
	/// kWh a day typed, Wh on chain.
	KwhPerDay,
}

impl Unit {
	/// The decimals text of this unit may have: the chain's integer is the text × 10^decimals.
	pub fn decimals(self) -> u32 {
		match self {
			Unit::Percent => 4,
			Unit::Price | Unit::KwhPerDay => 3,
			Unit::Days | Unit::Count => 0,
		}
	}

	pub fn suffix(self) -> &'static str {
		match self {
			Unit::Percent => " %",
			Unit::Price => " per MWh",
			Unit::Days => " days",
			Unit::Count => "",
			Unit::KwhPerDay => " kWh a day",
		}
	}
}

/// A parameter a template bounds, in the chain's units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
	/// Its key in [`super::Draft::values`].
	pub key: &'static str,
	pub label: &'static str,
	pub unit: Unit,
	pub min: i128,
	pub max: i128,
	/// What a form starts with.
	pub default: i128,
	/// A supply tariff's price applies to one kind of pricing.
	pub when: Option<&'static str>,
}

impl Spec {
	fn new(key: &'static str, label: &'static str, unit: Unit, min: i128, max: i128) -> Self {
		Spec { key, label, unit, min, max, default: min, when: None }
	}

	fn starting(self, default: i128) -> Self {
		Spec { default: default.clamp(self.min, self.max), ..self }
	}

	fn with_pricing(self, pricing: &'static str) -> Self {
		Spec { when: Some(pricing), ..self }
	}

	/// The allowed values in words, e.g. "0 to 50 %".
	pub fn allowed(&self) -> String {
		let decimals = self.unit.decimals();
		format!(
			"{} to {}{}",
			scaled_text(self.min, decimals),
			scaled_text(self.max, decimals),
			self.unit.suffix()
		)
	}

	/// What a form starts with, as text.
	pub fn default_text(&self) -> String {
		scaled_text(self.default, self.unit.decimals())
	}
}

fn permill(bounds: &Bounds<Permill>) -> (i128, i128) {
	(i128::from(bounds.min.0), i128::from(bounds.max.0))
}

fn range<T: Copy + Into<i128>>(bounds: &Bounds<T>) -> (i128, i128) {
	(bounds.min.into(), bounds.max.into())
}

fn spec(key: &'static str, label: &'static str, unit: Unit, (min, max): (i128, i128)) -> Spec {
	Spec::new(key, label, unit, min, max)
}

/// The schedule's and payment's parameters every template bounds.
pub fn common_specs(common: &CommonBounds) -> Vec<Spec> {
	vec![
		spec("period_days", "Days in a settlement period", Unit::Days, range(&common.period_days))
			.starting(30),
		spec("periods", "Settlement periods", Unit::Count, range(&common.periods)).starting(12),
		spec("payment_days", "Days to pay a statement", Unit::Days, range(&common.payment_days))
			.starting(30),
		spec(
			"data_grace_days",
			"Days settlement waits for late data",
			Unit::Days,
			range(&common.data_grace_days),
		)
		.starting(3),
	]
}

fn coverage(bounds: &Bounds<Permill>) -> Spec {
	spec("min_coverage", "Days with complete data a period needs", Unit::Percent, permill(bounds))
		.starting(USUAL_COVERAGE)
}

/// The parameters of `bounds`' terms, in the chain's units.
pub fn term_specs(bounds: &TemplateBounds, periods_per_day: i128) -> Vec<Spec> {
	match bounds {
		TemplateBounds::EnergyPerformance(b) => vec![
			spec(
				"guaranteed_share",
				"Guaranteed saving",
				Unit::Percent,
				permill(&b.guaranteed_share),
			),
			spec(
				"provider_share",
				"Provider's share of savings beyond it",
				Unit::Percent,
				permill(&b.provider_share),
			),
			spec("price", "Savings valued at", Unit::Price, range(&b.price)),
			spec(
				"max_cv_rmse",
				"Baseline CV(RMSE) at most",
				Unit::Percent,
				(0, b.max_cv_rmse.0.into()),
			)
			.starting(b.max_cv_rmse.0.into()),
			spec("max_nmbe", "Baseline |NMBE| at most", Unit::Percent, (0, b.max_nmbe.0.into()))
				.starting(b.max_nmbe.0.into()),
			coverage(&b.min_coverage),
			spec(
				"confidence",
				"Confidence of the savings uncertainty statements state (68, 80, 90 or 95)",
				Unit::Percent,
				(680_000, 950_000),
			)
			.starting(900_000),
		],
		TemplateBounds::RenewableShare(b) => vec![
			spec("target", "Renewable share target", Unit::Percent, permill(&b.target)),
			spec("penalty", "Provider pays short of the target", Unit::Price, range(&b.penalty)),
			spec("bonus", "Client pays beyond the target", Unit::Price, range(&b.bonus)),
			coverage(&b.min_coverage),
		],
		TemplateBounds::SupplyTariff(b) => vec![
			spec("fixed_price", "Fixed price", Unit::Price, range(&b.fixed_price))
				.with_pricing("fixed"),
			spec("adder", "Margin on the market price", Unit::Price, range(&b.adder))
				.starting(0)
				.with_pricing("indexed"),
			spec("cap", "Price cap", Unit::Price, range(&b.cap)).with_pricing("indexed"),
			coverage(&b.min_coverage),
		],
		TemplateBounds::PeerTrade(b) => vec![
			spec(
				"first_period",
				"Daily window's first settlement period (UTC, from 0)",
				Unit::Count,
				(0, periods_per_day - 1),
			),
			spec(
				"window_periods",
				"Settlement periods in the window",
				Unit::Count,
				(1, periods_per_day),
			)
			.starting(periods_per_day),
			spec("quantity", "Energy traded a day at most", Unit::KwhPerDay, range(&b.quantity)),
			spec("price", "Price", Unit::Price, range(&b.price)),
			coverage(&b.min_coverage),
		],
		TemplateBounds::DemandResponse(b) => vec![
			spec("reward", "Reward for reduced use", Unit::Price, range(&b.reward)),
			spec(
				"baseline_days",
				"Previous days the baseline averages",
				Unit::Days,
				range(&b.baseline_days),
			)
			.starting(5),
			coverage(&b.min_coverage),
		],
	}
}

/// `value` with `decimals` implied decimals as text, trailing zeros dropped.
pub fn scaled_text(value: i128, decimals: u32) -> String {
	let unit = 10i128.pow(decimals);
	let sign = if value < 0 { "-" } else { "" };
	let (whole, fraction) = (value.abs() / unit, value.abs() % unit);
	if fraction == 0 {
		return format!("{sign}{whole}");
	}
	let fraction = format!("{fraction:0width$}", width = decimals as usize);
	format!("{sign}{whole}.{}", fraction.trim_end_matches('0'))
}

/// Decimal text as an integer with `decimals` implied decimals, exactly.
pub fn parse_scaled(text: &str, decimals: u32) -> Result<i128, String> {
	let text = text.trim();
	let (negative, digits) = match text.strip_prefix('-') {
		Some(rest) => (true, rest),
		None => (false, text.strip_prefix('+').unwrap_or(text)),
	};
	let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
	let is_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
	if whole.is_empty() && fraction.is_empty() || !is_digits(whole) || !is_digits(fraction) {
		return Err(if text.is_empty() {
			"is empty".into()
		} else {
			format!("`{text}` is not a number")
		});
	}
	if fraction.len() > decimals as usize {
		return Err(match decimals {
			0 => format!("`{text}` is not a whole number"),
			_ => format!("`{text}` has more than {decimals} decimals"),
		});
	}
	let too_large = || format!("`{text}` is too large");
	let mut value: i128 = 0;
	for byte in whole.bytes().chain(fraction.bytes()) {
		value = value
			.checked_mul(10)
			.and_then(|value| value.checked_add(i128::from(byte - b'0')))
			.ok_or_else(too_large)?;
	}
	value =
		value.checked_mul(10i128.pow(decimals - fraction.len() as u32)).ok_or_else(too_large)?;
	Ok(if negative { -value } else { value })
}

/// Problems found so far, and the values read.
pub(super) struct Reader<'a> {
	pub values: &'a BTreeMap<String, String>,
	pub problems: Vec<String>,
}

impl Reader<'_> {
	pub fn text(&self, key: &str) -> &str {
		self.values.get(key).map_or("", |text| text.trim())
	}

	/// The value of `spec` in the chain's units, if it is a number within its bounds.
	fn number(&mut self, spec: &Spec) -> Option<i128> {
		let decimals = spec.unit.decimals();
		match parse_scaled(self.text(spec.key), decimals) {
			Ok(value) if (spec.min..=spec.max).contains(&value) => Some(value),
			Ok(value) => {
				self.problems.push(format!(
					"{}: {}{} is outside the template's {}",
					spec.label,
					scaled_text(value, decimals),
					spec.unit.suffix(),
					spec.allowed()
				));
				None
			}
			Err(problem) => {
				self.problems.push(format!("{}: {problem}", spec.label));
				None
			}
		}
	}

	pub fn problem(&mut self, problem: impl Into<String>) {
		self.problems.push(problem.into());
	}

	/// The values of specs by key; a spec whose value is wrong is left out.
	pub fn specs(&mut self, specs: &[Spec], pricing: &str) -> BTreeMap<&'static str, i128> {
		specs
			.iter()
			.filter(|spec| spec.when.is_none_or(|when| when == pricing))
			.filter_map(|spec| Some((spec.key, self.number(spec)?)))
			.collect()
	}
}

pub(super) fn fit_permill(value: i128) -> Permill {
	Permill(u32::try_from(value).unwrap_or(u32::MAX))
}

pub(super) fn fit_u64(value: i128) -> u64 {
	u64::try_from(value).unwrap_or(u64::MAX)
}

pub(super) fn fit_u16(value: i128) -> u16 {
	u16::try_from(value).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn decimal_text_becomes_the_chains_integers_exactly() {
		assert_eq!(parse_scaled("12.5", 4), Ok(125_000));
		assert_eq!(parse_scaled(" -2.5 ", 3), Ok(-2_500));
		assert_eq!(parse_scaled("+.5", 1), Ok(5));
		assert_eq!(parse_scaled("7.", 2), Ok(700));
		assert_eq!(parse_scaled("0.1", 3), Ok(100));
		assert!(parse_scaled("1.2345", 3).unwrap_err().contains("more than 3 decimals"));
		assert!(parse_scaled("1.5", 0).unwrap_err().contains("not a whole number"));
		assert!(parse_scaled("1e3", 0).unwrap_err().contains("is not a number"));
		assert!(parse_scaled(".", 2).unwrap_err().contains("is not a number"));
		assert!(parse_scaled(&"9".repeat(40), 3).unwrap_err().contains("too large"));
		assert_eq!(scaled_text(-2_500, 3), "-2.5");
		assert_eq!(scaled_text(1_000_000, 4), "100");
		assert_eq!(scaled_text(5_000, 4), "0.5");
	}
}
