//! Baselines and forecasts of a site's use from its outdoor temperature, in the CalTRACK
//! family: the daily model ([`daily`]), whose coefficients energy performance contracts take
//! ([`ChainBaseline`]), and the hourly time-of-week-and-temperature model ([`hourly`]), which
//! drives next-day forecasts ([`forecast`]). Fitted on CSV or on the bridge's own readings
//! ([`history`]), checked for data sufficiency first ([`sufficiency`]), and reported with
//! ASHRAE Guideline 14's statistics ([`stats`]) and uncertainty ([`uncertainty`]), and the
//! savings of a reporting period against them ([`reporting`]). Least squares come from faer
//! ([`lstsq`]).

pub mod daily;
pub mod forecast;
pub mod history;
pub mod hourly;
pub mod lstsq;
pub mod report;
pub mod reporting;
pub mod series;
pub mod source;
pub mod stats;
pub mod sufficiency;
pub mod uncertainty;

pub use smartblocks_client::contracts::ChainBaseline;

/// Why a model could not be fitted.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
	#[error("{observations} observations cannot fit {parameters} parameters")]
	TooFewObservations { observations: usize, parameters: usize },
	#[error("the observations do not determine the model (its terms are not independent)")]
	Singular,
	#[error("{file}: line {line}: {text}")]
	Input { file: String, line: usize, text: String },
	#[error("not enough data:\n  {}", .0.join("\n  "))]
	Insufficient(Vec<String>),
	#[error("contracts cannot take this model: {0}")]
	NotForContracts(String),
}

/// The chain's form of a daily model fitted on use in Wh and temperatures in °C.
pub fn chain_baseline(model: &daily::DailyModel) -> Result<ChainBaseline, FitError> {
	let refuse = |why: &str| FitError::NotForContracts(why.to_string());
	if model.intercept < 0.0 {
		return Err(refuse("its intercept is negative"));
	}
	let millionths = |value: f64| (value * 1e6).round();
	let tenths = |value: Option<f64>| -> Result<i16, FitError> {
		let tenths = (value.unwrap_or(0.0) * 10.0).round();
		if tenths.abs() > f64::from(i16::MAX) {
			return Err(refuse("a balance point is out of range"));
		}
		Ok(tenths as i16)
	};
	let spread = (model.temperature_spread * 10.0).round();
	if !(0.0..=f64::from(smartblocks_rules::degree_days::MAX_SPREAD)).contains(&spread) {
		return Err(refuse("its temperature spread is out of range"));
	}
	let statistics = &model.statistics;
	Ok(ChainBaseline {
		intercept: model.intercept.round() as i64,
		heating_slope: model.heating_slope.max(0.0).round() as u64,
		heating_balance: tenths(model.heating_balance)?,
		cooling_slope: model.cooling_slope.max(0.0).round() as u64,
		cooling_balance: tenths(model.cooling_balance)?,
		cv_rmse: millionths(statistics.cv_rmse).clamp(0.0, f64::from(u32::MAX)) as u32,
		nmbe: millionths(statistics.nmbe).clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32,
		r_squared: millionths(statistics.r_squared).clamp(0.0, 1e6) as u32,
		observations: u16::try_from(statistics.observations)
			.map_err(|_| refuse("it was fitted on more days than a contract records"))?,
		parameters: statistics.parameters as u8,
		// A negative ρ counts as 0, as the chain's savings uncertainty takes it.
		autocorrelation: millionths(statistics.autocorrelation).clamp(0.0, 1e6) as u32,
		temperature_spread: spread as u16,
	})
}
