//! Provisional weights for `pallet_meters`, replaced by `scripts/bench-weights meters`.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, Weight},
};

/// The weight of each call of `pallet_meters`.
pub trait WeightInfo {
	fn register_site() -> Weight;
	fn update_site() -> Weight;
	fn register_meter() -> Weight;
	fn rotate_device_key() -> Weight;
	fn declare_exchange() -> Weight;
	fn set_meter_status() -> Weight;
	fn submit_readings_one_meter(n: u32) -> Weight;
	fn submit_readings_many_meters(n: u32) -> Weight;
	fn submit_authorized_readings(n: u32) -> Weight;
	fn authorize_submit_readings(n: u32) -> Weight;
	fn close_periods(c: u32) -> Weight;
	fn prune(n: u32) -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_site() -> Weight {
		Weight::from_parts(50_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn update_site() -> Weight {
		Weight::from_parts(50_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn register_meter() -> Weight {
		Weight::from_parts(50_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn rotate_device_key() -> Weight {
		Weight::from_parts(50_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn declare_exchange() -> Weight {
		Weight::from_parts(50_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn set_meter_status() -> Weight {
		Weight::from_parts(50_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn submit_readings_one_meter(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn submit_readings_many_meters(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn submit_authorized_readings(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn authorize_submit_readings(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn close_periods(c: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn prune(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
}

impl WeightInfo for () {
	fn register_site() -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn update_site() -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn register_meter() -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn rotate_device_key() -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn declare_exchange() -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn set_meter_status() -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn submit_readings_one_meter(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn submit_readings_many_meters(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn submit_authorized_readings(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn authorize_submit_readings(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn close_periods(c: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(c.into()))
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
	fn prune(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 5_000)
			.saturating_add(Weight::from_parts(100_000_000, 200).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads_writes(3, 3))
	}
}
