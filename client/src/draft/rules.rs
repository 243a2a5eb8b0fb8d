//! Who may agree which template over which meters, and which baselines settlement can use: the
//! energy contracts pallet's checks of a proposal, stated so a draft is refused with reasons
//! before it reaches a wallet.

use crate::{
	contracts::{ChainBaseline, DailyBaseline, TemplateKind},
	meters::MeterKind,
	registry::Role,
};

/// A template's kind in words, e.g. "Supply tariff".
pub fn kind_name(kind: &TemplateKind) -> &'static str {
	match kind {
		TemplateKind::EnergyPerformance => "Energy performance",
		TemplateKind::RenewableShare => "Renewable share",
		TemplateKind::SupplyTariff => "Supply tariff",
		TemplateKind::PeerTrade => "Peer trade",
		TemplateKind::DemandResponse => "Demand response",
	}
}

/// The meter kinds contracts of `kind` read.
pub fn readable_kinds(kind: &TemplateKind) -> &'static [MeterKind] {
	match kind {
		TemplateKind::EnergyPerformance
		| TemplateKind::SupplyTariff
		| TemplateKind::DemandResponse => &[MeterKind::GridImport, MeterKind::SubMeter, MeterKind::Heat],
		TemplateKind::RenewableShare => {
			&[MeterKind::GridImport, MeterKind::GridExport, MeterKind::Generation]
		}
		TemplateKind::PeerTrade => {
			&[MeterKind::GridImport, MeterKind::GridExport, MeterKind::Generation]
		}
	}
}

/// Whether a provider and a client with these roles may agree a contract of `kind`.
pub fn roles_fit(kind: &TemplateKind, provider: &[Role], client: &[Role]) -> bool {
	let owner = client.contains(&Role::BuildingOwner);
	match kind {
		TemplateKind::EnergyPerformance => provider.contains(&Role::Esco) && owner,
		TemplateKind::RenewableShare => {
			(provider.contains(&Role::Esco) || provider.contains(&Role::Utility)) && owner
		}
		TemplateKind::SupplyTariff | TemplateKind::DemandResponse => {
			provider.contains(&Role::Utility) && owner
		}
		TemplateKind::PeerTrade => {
			provider.contains(&Role::Trader) && (owner || client.contains(&Role::Trader))
		}
	}
}

/// Who may provide and who may be the client of a contract of `kind`, in words.
pub fn parties_in_words(kind: &TemplateKind) -> &'static str {
	match kind {
		TemplateKind::EnergyPerformance => "An ESCO provides; a building owner is the client.",
		TemplateKind::RenewableShare => {
			"An ESCO or a utility provides; a building owner is the client."
		}
		TemplateKind::SupplyTariff | TemplateKind::DemandResponse => {
			"A utility provides; a building owner is the client."
		}
		TemplateKind::PeerTrade => "A trader sells; a building owner or another trader buys.",
	}
}

/// A baseline from the JSON of `meter-bridge baseline fit --model daily --json`, or from its
/// `chain_baseline` object alone.
pub fn parse_baseline(text: &str) -> Result<DailyBaseline, String> {
	let value: serde_json::Value = serde_json::from_str(text.trim())
		.map_err(|error| format!("the baseline is not the JSON of a fit ({error})"))?;
	let baseline = match value.get("model").and_then(|model| model.as_str()) {
		Some("daily") => match value.get("chain_baseline") {
			Some(serde_json::Value::Null) | None => {
				let why = value.get("not_for_contracts").and_then(|why| why.as_str());
				return Err(format!(
					"the fit cannot be a contract's baseline: {}",
					why.unwrap_or("it has no chain baseline")
				));
			}
			Some(baseline) => baseline.clone(),
		},
		Some(other) => {
			return Err(format!("the fit is an {other} model; contracts take the daily one"))
		}
		None => value,
	};
	let baseline: ChainBaseline = serde_json::from_value(baseline)
		.map_err(|error| format!("the baseline is incomplete ({error})"))?;
	Ok(baseline.into())
}

/// `n (1 − ρ) / (1 + ρ) > p`: the baseline's days that are independent given its residuals'
/// autocorrelation are more than its parameters (the pallet's `check_model`).
fn independent_days_exceed_parameters(baseline: &DailyBaseline) -> bool {
	let rho = u64::from(baseline.autocorrelation.0);
	u64::from(baseline.observations) * 1_000_000u64.saturating_sub(rho)
		> u64::from(baseline.parameters) * (1_000_000 + rho)
}

/// Whether settlement can use `baseline` (the pallet's `check_model`).
pub fn model_problem(baseline: &DailyBaseline) -> Option<String> {
	let both_slopes = baseline.heating_slope > 0 && baseline.cooling_slope > 0;
	if baseline.intercept < 0 {
		Some("the baseline's intercept is negative".into())
	} else if baseline.parameters < 1 || baseline.observations <= u16::from(baseline.parameters) {
		Some("the baseline was fitted on too few days for its parameters".into())
	} else if baseline.temperature_spread > smartblocks_rules::degree_days::MAX_SPREAD {
		Some(format!(
			"the baseline's temperature spread is above {} K",
			smartblocks_rules::degree_days::MAX_SPREAD / 10
		))
	} else if both_slopes && baseline.heating_balance > baseline.cooling_balance {
		Some("the baseline's heating balance point is above its cooling one".into())
	} else if !independent_days_exceed_parameters(baseline) {
		Some(
			"the baseline's residuals are so autocorrelated that its independent days are no \
			 more than its parameters"
				.into(),
		)
	} else {
		None
	}
}
