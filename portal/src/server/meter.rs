//! A meter's detail from the campus snapshot: its energy per period and per day, and its hash
//! chain's day checkpoints, each checked against the day before's.

use smartblocks_client::meters::{day_start, MeterInfo, MeterKind};

use super::{
	building::{hex_prefix, time_text},
	campus::CampusSnapshot,
};
use crate::{
	building::ChainStatus,
	meter::{Checkpoint, MeterDetail},
	status::NodeStatus,
};

impl CampusSnapshot {
	/// Meter `id`'s page, `None` if the chain has no such meter.
	pub fn meter_detail(&self, id: u32, node: NodeStatus) -> Option<MeterDetail> {
		let (site, meter) = self
			.sites
			.iter()
			.find_map(|site| Some((site, site.meters.iter().find(|meter| meter.id == id)?)))?;
		// A chart of a meter's own energy: export counts as what it measures, not against use.
		let energy = !matches!(meter.kind, MeterKind::Temperature);
		let (periods, days) = if energy {
			(self.period_use(&[meter], |_| 1), self.day_use(&[meter], |_| 1))
		} else {
			(Vec::new(), Vec::new())
		};
		let checkpoints = self.checkpoints(meter);
		Some(MeterDetail {
			block: self.block,
			node,
			site: site.id,
			site_name: String::from_utf8_lossy(&site.name).into_owned(),
			health: self.meter_health(meter, &checkpoints),
			multiplier: meter.multiplier,
			max_power_w: meter.max_power,
			device_key: format!("0x{}", hex::encode(meter.device_key)),
			last_register_wh: meter
				.last_register
				.map(|register| register.saturating_mul(u64::from(meter.multiplier))),
			periods,
			days,
			checkpoints,
			// Asked of the bridges by `AppState::meter_detail`.
			archive: Default::default(),
		})
	}

	/// The meter's day checkpoints the snapshot keeps, each with the length the day before's and
	/// the day's readings make.
	pub(crate) fn checkpoints(&self, meter: &MeterInfo) -> Vec<Checkpoint> {
		let mut previous: Option<u64> = None;
		self.days
			.get(&meter.id)
			.into_iter()
			.flatten()
			.map(|(day, total)| {
				let expected_length =
					previous.map(|before| before.saturating_add(u64::from(total.readings)));
				previous = Some(total.chain.length);
				Checkpoint {
					day: time_text(day_start(*day), "%Y-%m-%d"),
					readings: total.readings,
					length: total.chain.length,
					expected_length,
					head: format!("0x{}", hex_prefix(total.chain.head.as_bytes())),
				}
			})
			.collect()
	}

	/// Whether the meter's day `checkpoints` continue one another and end at its head.
	pub(crate) fn chain_status(
		&self,
		meter: &MeterInfo,
		checkpoints: &[Checkpoint],
	) -> ChainStatus {
		if meter.chain.length == 0 {
			return ChainStatus::Empty;
		}
		if let Some(broken) = checkpoints.iter().find(|checkpoint| !checkpoint.continues()) {
			return ChainStatus::Broken {
				day: broken.day.clone(),
				expected_length: broken.expected_length.unwrap_or_default(),
				found_length: broken.length,
			};
		}
		// The newest day's checkpoint is the head while that day is open.
		let days = self.days.get(&meter.id);
		if let Some((day, last)) = days.and_then(|days| days.last_key_value()) {
			if *day == self.today() && last.chain != meter.chain {
				return ChainStatus::Broken {
					day: time_text(day_start(*day), "%Y-%m-%d"),
					expected_length: meter.chain.length,
					found_length: last.chain.length,
				};
			}
		}
		ChainStatus::Continuous {
			days: u32::try_from(checkpoints.len()).unwrap_or(u32::MAX),
			length: meter.chain.length,
			head: format!("0x{}", hex_prefix(meter.chain.head.as_bytes())),
		}
	}
}

#[cfg(test)]
mod tests;
