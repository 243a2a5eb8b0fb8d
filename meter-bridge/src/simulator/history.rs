//! The campus's past, as its buildings' data would reach an ESCO before a contract: per
//! building, the utility's Green Button export of the grid connection (import and, for PV
//! buildings, export, hour by hour in Wh) and the site's own CSV (the inverter's generation and
//! the outdoor temperature, on the site's clock), for `meter-bridge import`; and for the
//! sub-metered building, its energy management system's hourly log of the HVAC plant up to the
//! retrofit, with the outdoor temperature (`building-NN-hvac.csv`), on which an ESCO fits the
//! energy performance contract's baseline (`meter-bridge baseline fit --csv`). The same physics
//! as the live campus, integrated minute by minute, so imported hours and the bridge's own
//! readings continue each other.

use super::{Campus, DAY_MINUTES};
use chrono::DateTime;
use chrono_tz::Tz;
use std::{fmt::Write as _, path::Path};

const HOUR_MINUTES: u64 = 60;
/// Where the simulated utility's Green Button resources live (their links, not a server).
const ESPI_BASE: &str = "https://utility.example/espi/1_1/resource/Subscription/1";
/// ESPI's flow directions of the two readings written.
const FORWARD: u8 = 1;
const REVERSE: u8 = 19;

/// One hour of a building, as its meters would have counted it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PastHour {
	/// Hours since the epoch.
	pub hour: u64,
	/// Wh from the grid.
	pub imported: f64,
	/// Wh to the grid.
	pub exported: f64,
	/// Wh the PV generated.
	pub generated: f64,
	/// Mean outdoor temperature, °C.
	pub temperature: f64,
}

impl Campus {
	/// Building `index`'s hour `hour` (hours since the epoch), minute by minute as its meters
	/// integrate it live.
	pub fn past_hour(&self, index: usize, hour: u64) -> PastHour {
		let mut past =
			PastHour { hour, imported: 0.0, exported: 0.0, generated: 0.0, temperature: 0.0 };
		for minute in hour * HOUR_MINUTES..(hour + 1) * HOUR_MINUTES {
			let watts = self.demand(index, minute);
			if watts >= 0.0 {
				past.imported += watts / 60.0;
			} else {
				past.exported += -watts / 60.0;
			}
			past.generated += self.generation(index, minute) / 60.0;
			past.temperature += self.outdoor_temperature(minute) / HOUR_MINUTES as f64;
		}
		past
	}

	/// Writes each building's `days` before `end_ms` (to the hour) into `directory`:
	/// `building-NN-utility.xml` (Green Button) and `building-NN-site.csv`, times of the CSV in
	/// `zone`. Returns the files written.
	pub fn write_history(
		&self,
		directory: &Path,
		end_ms: u64,
		days: u32,
		zone: Tz,
	) -> std::io::Result<Vec<std::path::PathBuf>> {
		std::fs::create_dir_all(directory)?;
		let end_hour = end_ms / 3_600_000;
		let first_hour = end_hour.saturating_sub(u64::from(days) * DAY_MINUTES / HOUR_MINUTES);
		let mut written = Vec::new();
		for index in 0..self.buildings.len() {
			let name = format!("building-{index:02}");
			let hours: Vec<PastHour> =
				(first_hour..end_hour).map(|hour| self.past_hour(index, hour)).collect();
			let has_pv = self.buildings[index].pv_peak > 0.0;
			let utility = directory.join(format!("{name}-utility.xml"));
			std::fs::write(&utility, green_button(&name, &hours, has_pv))?;
			let site = directory.join(format!("{name}-site.csv"));
			std::fs::write(&site, site_csv(&hours, has_pv, zone))?;
			written.extend([utility, site]);
			if self.buildings[index].hvac_submetered {
				let hvac = directory.join(format!("{name}-hvac.csv"));
				std::fs::write(&hvac, self.hvac_before_retrofit(index, days))?;
				written.push(hvac);
			}
		}
		Ok(written)
	}

	/// Building `index`'s HVAC plant, hour by hour over the `days` before its retrofit:
	/// `start` (UTC), `energy_wh` and `temperature_c`, as `baseline fit --csv` reads them.
	pub fn hvac_before_retrofit(&self, index: usize, days: u32) -> String {
		let end_hour = self.retrofit_minute() / HOUR_MINUTES;
		let first_hour = end_hour.saturating_sub(u64::from(days) * DAY_MINUTES / HOUR_MINUTES);
		let mut csv = String::from("start,energy_wh,temperature_c\n");
		for hour in first_hour..end_hour {
			let minutes = hour * HOUR_MINUTES..(hour + 1) * HOUR_MINUTES;
			let wh = self.hvac_energy(index, minutes.clone());
			let celsius: f64 = minutes.map(|minute| self.outdoor_temperature(minute)).sum::<f64>()
				/ HOUR_MINUTES as f64;
			let _ = writeln!(csv, "{},{wh:.1},{celsius:.2}", time(hour * 3600));
		}
		csv
	}
}

/// Whole Wh per hour, the remainder carried, so the hours add up to the total as a utility's
/// billing does.
fn whole_wh(values: impl Iterator<Item = f64>) -> Vec<u64> {
	let mut total = 0.0;
	let mut written = 0u64;
	values
		.map(|value| {
			total += value;
			let rounded = total.round().max(0.0) as u64;
			let hour = rounded.saturating_sub(written);
			written = rounded;
			hour
		})
		.collect()
}

/// The utility's Green Button feed of building `name`'s grid connection.
fn green_button(name: &str, hours: &[PastHour], has_pv: bool) -> String {
	let updated = hours.last().map_or(0, |h| (h.hour + 1) * 3600);
	let mut xml = format!(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
		 <feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:espi=\"http://naesb.org/espi\">\n\
		 <id>urn:smartblocks:campus:{name}</id>\n<title>{name}: grid connection</title>\n\
		 <updated>{}</updated>\n\
		 <entry><link rel=\"self\" href=\"{ESPI_BASE}/UsagePoint/1\"/>\
		 <link rel=\"related\" href=\"{ESPI_BASE}/UsagePoint/1/MeterReading\"/>\
		 <title>{name}</title>\
		 <content><espi:UsagePoint><espi:ServiceCategory><espi:kind>0</espi:kind>\
		 </espi:ServiceCategory></espi:UsagePoint></content></entry>\n",
		time(updated)
	);
	let mut readings = vec![(FORWARD, whole_wh(hours.iter().map(|h| h.imported)))];
	if has_pv {
		readings.push((REVERSE, whole_wh(hours.iter().map(|h| h.exported))));
	}
	for (number, (flow, values)) in readings.iter().enumerate() {
		let reading = format!("{ESPI_BASE}/UsagePoint/1/MeterReading/{}", number + 1);
		let reading_type = format!("{ESPI_BASE}/ReadingType/{}", number + 1);
		let _ = write!(
			xml,
			"<entry><link rel=\"self\" href=\"{reading}\"/>\
			 <link rel=\"up\" href=\"{ESPI_BASE}/UsagePoint/1/MeterReading\"/>\
			 <link rel=\"related\" href=\"{reading}/IntervalBlock\"/>\
			 <link rel=\"related\" href=\"{reading_type}\"/>\
			 <content><espi:MeterReading/></content></entry>\n\
			 <entry><link rel=\"self\" href=\"{reading_type}\"/><content><espi:ReadingType>\
			 <espi:accumulationBehaviour>4</espi:accumulationBehaviour>\
			 <espi:commodity>1</espi:commodity><espi:flowDirection>{flow}</espi:flowDirection>\
			 <espi:intervalLength>3600</espi:intervalLength>\
			 <espi:powerOfTenMultiplier>0</espi:powerOfTenMultiplier><espi:uom>72</espi:uom>\
			 </espi:ReadingType></content></entry>\n"
		);
		// A block a day, as utilities send them.
		for (day, block) in hours.chunks(24).zip(values.chunks(24)).enumerate() {
			let start = block.0[0].hour * 3600;
			let _ = writeln!(
				xml,
				"<entry><link rel=\"self\" href=\"{reading}/IntervalBlock/{}\"/>\
				 <link rel=\"up\" href=\"{reading}/IntervalBlock\"/><content><espi:IntervalBlock>\
				 <espi:interval><espi:duration>{}</espi:duration><espi:start>{start}</espi:start>\
				 </espi:interval>",
				day + 1,
				block.0.len() * 3600
			);
			for (hour, value) in block.0.iter().zip(block.1) {
				let _ = writeln!(
					xml,
					"<espi:IntervalReading><espi:timePeriod><espi:duration>3600</espi:duration>\
					 <espi:start>{}</espi:start></espi:timePeriod><espi:value>{value}</espi:value>\
					 </espi:IntervalReading>",
					hour.hour * 3600
				);
			}
			xml.push_str("</espi:IntervalBlock></content></entry>\n");
		}
	}
	xml.push_str("</feed>\n");
	xml
}

/// The site's CSV: the PV's generation, if it has PV, and the outdoor temperature, each hour
/// starting on the site's clock with its offset.
fn site_csv(hours: &[PastHour], has_pv: bool, zone: Tz) -> String {
	let mut csv = String::from(if has_pv {
		"start,generation_wh,temperature_c\n"
	} else {
		"start,temperature_c\n"
	});
	for hour in hours {
		let start = DateTime::from_timestamp((hour.hour * 3600) as i64, 0)
			.unwrap_or_default()
			.with_timezone(&zone)
			.to_rfc3339();
		if has_pv {
			let _ = writeln!(csv, "{start},{:.1},{:.2}", hour.generated, hour.temperature);
		} else {
			let _ = writeln!(csv, "{start},{:.2}", hour.temperature);
		}
	}
	csv
}

/// Seconds since the epoch as an Atom time.
fn time(seconds: u64) -> String {
	DateTime::from_timestamp(seconds as i64, 0).unwrap_or_default().to_rfc3339()
}
