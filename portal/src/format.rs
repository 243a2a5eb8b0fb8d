//! Numbers as pages show them.

/// `value` with `decimals` decimals and thin spaces between thousands.
pub fn number(value: f64, decimals: usize) -> String {
	if !value.is_finite() {
		return "—".into();
	}
	let text = format!("{:.*}", decimals, value.abs());
	let (whole, fraction) =
		text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
	let mut grouped = String::new();
	for (i, digit) in whole.chars().enumerate() {
		if i > 0 && (whole.len() - i) % 3 == 0 {
			grouped.push('\u{202F}');
		}
		grouped.push(digit);
	}
	let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
		"−"
	} else {
		""
	};
	match fraction {
		Some(fraction) => format!("{sign}{grouped}.{fraction}"),
		None => format!("{sign}{grouped}"),
	}
}

/// `value` as [`number`] followed by `unit`, or a dash where it is unknown.
pub fn optional(value: Option<f64>, decimals: usize, unit: &str) -> String {
	value.map_or_else(|| "—".into(), |value| format!("{}{unit}", number(value, decimals)))
}

/// `value` with three significant digits (at least none, at most six decimals) and `unit`, for
/// figures such as intensities that range from thousandths to hundreds.
pub fn significant(value: Option<f64>, unit: &str) -> String {
	let decimals = |value: f64| {
		let magnitude = value.abs().log10().floor();
		if magnitude.is_finite() {
			(2.0 - magnitude).clamp(0.0, 6.0) as usize
		} else {
			0
		}
	};
	value.map_or_else(|| "—".into(), |value| format!("{}{unit}", number(value, decimals(value))))
}

/// Use over floor area in a window, `kwh_per_m2` kWh/m², in Wh/m² below one kWh/m² (a day's
/// figure is a fraction of a kWh/m²), else in kWh/m².
pub fn intensity(kwh_per_m2: Option<f64>) -> String {
	match kwh_per_m2 {
		Some(kwh) if kwh.abs() < 1.0 => significant(Some(kwh * 1000.0), " Wh/m²"),
		known => significant(known, " kWh/m²"),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn groups_thousands_and_keeps_the_sign() {
		assert_eq!(number(1234567.891, 2), "1\u{202F}234\u{202F}567.89");
		assert_eq!(number(-999.5, 0), "−1\u{202F}000");
		assert_eq!(number(-0.01, 1), "0.0");
		assert_eq!(number(f64::NAN, 1), "—");
		assert_eq!(optional(None, 1, " kWh"), "—");
		assert_eq!(optional(Some(12.0), 1, " kWh"), "12.0 kWh");
		assert_eq!(significant(Some(0.000845), ""), "0.000845");
		assert_eq!(significant(Some(12.34), " kWh/m²"), "12.3 kWh/m²");
		assert_eq!(significant(Some(1234.6), ""), "1\u{202F}235");
		assert_eq!(significant(Some(0.0), ""), "0");
	}

	#[test]
	fn intensities_below_a_kilowatt_hour_show_in_watt_hours() {
		assert_eq!(intensity(Some(0.000368)), "0.368 Wh/m²");
		assert_eq!(intensity(Some(0.058)), "58.0 Wh/m²");
		assert_eq!(intensity(Some(12.34)), "12.3 kWh/m²");
		assert_eq!(intensity(None), "—");
	}
}
