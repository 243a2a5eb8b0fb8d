//! Placeholder until `scripts/bench-weights` generates this file.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

pub trait WeightInfo {
	fn apply() -> Weight;
	fn withdraw_application() -> Weight;
	fn admit() -> Weight;
	fn reject() -> Weight;
	fn suspend() -> Weight;
	fn reinstate() -> Weight;
	fn retire() -> Weight;
	fn grant_roles() -> Weight;
	fn revoke_roles() -> Weight;
	fn add_account() -> Weight;
	fn remove_account() -> Weight;
	fn approve_validator() -> Weight;
	fn remove_validator() -> Weight;
	fn check_member() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn apply() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn withdraw_application() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn admit() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn reject() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn suspend() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn reinstate() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn retire() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn grant_roles() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn revoke_roles() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn add_account() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn remove_account() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn approve_validator() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn remove_validator() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	fn check_member() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
}

impl WeightInfo for () {
	fn apply() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn withdraw_application() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn admit() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn reject() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn suspend() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn reinstate() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn retire() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn grant_roles() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn revoke_roles() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn add_account() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn remove_account() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn approve_validator() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn remove_validator() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn check_member() -> Weight {
		Weight::from_parts(50_000_000, 5000).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
}
