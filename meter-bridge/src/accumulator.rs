//! SunSpec's 32-bit energy accumulators wrap at 2^32; the chain wants a register that only
//! grows. A value below the last one is a wrap when the way forward to it is short (under
//! 2^31 steps), otherwise the meter's counter was reset: that is flagged and held until the
//! owner declares a meter exchange, never guessed at.

use serde::{Deserialize, Serialize};

const WRAP: u64 = 1 << 32;

/// What the last accepted value was, and how often the accumulator has wrapped since the
/// register's baseline. Kept with the meter's state so a restart continues the register.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unwrapper {
	last: Option<u32>,
	wraps: u64,
}

/// What a new accumulator value means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advance {
	/// The monotonic register: `wraps × 2^32 + raw`.
	Counted { register: u64 },
	/// The value fell without wrapping: the counter was reset. Nothing changed.
	Reset { last: u32, now: u32 },
}

impl Unwrapper {
	/// Takes the accumulator's value `raw`.
	pub fn observe(&mut self, raw: u32) -> Advance {
		match self.last {
			Some(last) if raw < last => {
				let forward = WRAP - u64::from(last) + u64::from(raw);
				if forward >= WRAP / 2 {
					return Advance::Reset { last, now: raw };
				}
				self.wraps = self.wraps.saturating_add(1);
			}
			_ => {}
		}
		self.last = Some(raw);
		Advance::Counted { register: self.register(raw) }
	}

	/// Starts over from `raw` after a declared meter exchange: the register restarts at it.
	pub fn rebase(&mut self, raw: u32) {
		*self = Unwrapper { last: Some(raw), wraps: 0 };
	}

	/// Forgets the last value but keeps the wraps counted, so the next value continues the
	/// register from wherever it is: after a fall that was no reset (the chain refused the
	/// values above it).
	pub fn resume(&mut self) {
		self.last = None;
	}

	/// The register `raw` would give with the wraps counted so far.
	pub fn register(&self, raw: u32) -> u64 {
		self.wraps.saturating_mul(WRAP).saturating_add(u64::from(raw))
	}
}
