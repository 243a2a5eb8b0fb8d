//! A draft's terms read from its values, in the chain's units.

use std::collections::BTreeMap;

use super::{
	parameters::{fit_permill, fit_u16, fit_u64, scaled_text, Reader},
	rules::{model_problem, parse_baseline},
};
use crate::{
	chain::runtime_types::bounded_collections::bounded_vec::BoundedVec,
	contracts::{
		DailyWindow, DemandResponseTerms, EnergyPerformanceTerms, EventBaseline, PeerTradeTerms,
		Pricing, RenewableShareTerms, SavingsConfidence, SupplyTariffTerms, TemplateBounds, Terms,
	},
};

/// The terms of a template with `bounds` from `values` (read from the template's specs), or
/// `None` with the problems noted.
pub(super) fn read_terms(
	bounds: &TemplateBounds,
	values: &BTreeMap<&'static str, i128>,
	reader: &mut Reader,
	periods_per_day: i128,
) -> Option<Terms> {
	let share = |key: &str| values.get(key).copied().map(fit_permill);
	let amount = |key: &str| values.get(key).copied().map(fit_u64);
	let coverage = share("min_coverage");
	match bounds {
		TemplateBounds::EnergyPerformance(_) => {
			let baseline = match parse_baseline(reader.text("baseline")) {
				Ok(baseline) => model_problem(&baseline).map_or(Some(baseline), |problem| {
					reader.problem(format!("Baseline: {problem}"));
					None
				}),
				Err(problem) => {
					reader.problem(format!("Baseline: {problem}"));
					None
				}
			};
			let terms = EnergyPerformanceTerms {
				baseline: baseline?,
				max_cv_rmse: share("max_cv_rmse")?,
				max_nmbe: share("max_nmbe")?,
				guaranteed_share: share("guaranteed_share")?,
				provider_share: share("provider_share")?,
				price: amount("price")?,
				min_coverage: coverage?,
				confidence: Some(match values.get("confidence").copied()? {
					680_000 => SavingsConfidence::Percent68,
					800_000 => SavingsConfidence::Percent80,
					900_000 => SavingsConfidence::Percent90,
					950_000 => SavingsConfidence::Percent95,
					_ => {
						reader.problem(
							"Confidence: Guideline 14 states savings uncertainty at 68, 80, 90 or \
							 95 %",
						);
						return None;
					}
				}),
			};
			let fits = terms.baseline.cv_rmse.0 <= terms.max_cv_rmse.0
				&& terms.baseline.nmbe.unsigned_abs() <= terms.max_nmbe.0;
			if !fits {
				reader.problem(format!(
					"Baseline: its CV(RMSE) {} % or |NMBE| {} % is above the limits agreed",
					scaled_text(terms.baseline.cv_rmse.0.into(), 4),
					scaled_text(terms.baseline.nmbe.unsigned_abs().into(), 4)
				));
			}
			Some(Terms::EnergyPerformance(terms))
		}
		TemplateBounds::RenewableShare(_) => Some(Terms::RenewableShare(RenewableShareTerms {
			target: share("target")?,
			penalty: amount("penalty")?,
			bonus: amount("bonus")?,
			min_coverage: coverage?,
		})),
		TemplateBounds::SupplyTariff(_) => {
			let pricing = match reader.text("pricing") {
				"fixed" => Pricing::Fixed { price: amount("fixed_price")? },
				"indexed" => {
					let market = reader.text("market").to_string();
					let region = market.as_bytes();
					let valid = region.len() <= 16
						&& !region.is_empty()
						&& region
							.iter()
							.all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_');
					if !valid {
						reader.problem(format!(
							"Market: `{market}` is not a region code such as DE-LU"
						));
						return None;
					}
					Pricing::Indexed {
						market: BoundedVec(region.to_vec()),
						adder: i64::try_from(*values.get("adder")?).ok()?,
						cap: amount("cap")?,
					}
				}
				other => {
					reader.problem(format!("Pricing: `{other}` is neither fixed nor indexed"));
					return None;
				}
			};
			Some(Terms::SupplyTariff(SupplyTariffTerms { pricing, min_coverage: coverage? }))
		}
		TemplateBounds::PeerTrade(_) => {
			let first = values.get("first_period").copied();
			let periods = values.get("window_periods").copied();
			let (first, periods) = (first?, periods?);
			if first + periods > periods_per_day {
				reader.problem(format!(
					"the daily window ends after the day's last settlement period ({})",
					periods_per_day - 1
				));
				return None;
			}
			Some(Terms::PeerTrade(PeerTradeTerms {
				window: DailyWindow { first_period: fit_u16(first), periods: fit_u16(periods) },
				quantity: amount("quantity")?,
				price: amount("price")?,
				min_coverage: coverage?,
			}))
		}
		TemplateBounds::DemandResponse(_) => Some(Terms::DemandResponse(DemandResponseTerms {
			baseline: EventBaseline::PreviousDays {
				days: u8::try_from(*values.get("baseline_days")?).ok()?,
			},
			reward: amount("reward")?,
			min_coverage: coverage?,
		})),
	}
}
