//! # Oracle feeds
//!
//! External inputs that contracts settle on: the wholesale electricity price, the outdoor
//! temperature and the grid's carbon intensity, per region and per settlement period (the
//! meters pallet's periods); and the outdoor temperature forecast that bridges forecast demand
//! with.
//!
//! Members with the `OracleProvider` role submit values in batches. A feed's period gets its
//! value once [`Quorum`] providers have submitted: the lower median of those submissions
//! ([`median`]), always one of the values submitted. The council sets a quorum of at least
//! [`MIN_QUORUM`] (3): of three or more submissions, one dishonest provider cannot move the value
//! outside the range the honest ones submitted, whichever comes first and whatever it submits
//! (a mean of two middle values, or a quorum of one or two, would let it set the value). Genesis
//! may start with a quorum of 1 for a chain with one trusted provider, such as the development
//! chain. The value never changes afterwards (a forecast's follows its providers' revisions,
//! below); later submissions are kept and compared with it. A submission farther from the value than its
//! kind's tolerance ([`FeedKind::tolerance`]) is an outlier: reported in an event and listed by
//! the runtime API, so a provider whose source drifts shows up.
//!
//! Observations are accepted for the last [`Config::SubmissionWindow`] periods that have ended;
//! prices (published day ahead) for those and up to [`Config::MaxLead`] periods to come. Periods older than [`Config::Retention`] are removed in bounded `on_idle`
//! work.
//!
//! Temperature forecasts ([`FeedKind::TemperatureForecast`]) differ: they are taken only for
//! periods yet to begin, up to [`Config::MaxLead`] periods ahead, a provider's newer forecast
//! replaces its own, and from the quorum on the value is the median of every provider's latest
//! forecast, revised as they are (`ForecastRevised`). A period that has begun takes no more, so
//! its forecast stays as it stood then (and is kept, like every value, for the retention: what
//! was forecast stays auditable). A batch holds one value per feed and period, so a provider
//! revises a period once a transaction. [`FeedValues`] never returns a forecast: no contract
//! settles on what was only expected.
//!
//! A provider's node can fetch and submit values itself: its off-chain worker reads the feed
//! sources the operator configured (`--oracle-sources FILE`, or offchain storage set over RPC;
//! see [`sources`]) and signs with the node keystore's `orcl` key ([`KEY_TYPE`]).
//!
//! polkadot-sdk's `pallet-oracle` keeps one latest value per key and its operators in a
//! `SortedMembers` set; contracts here need a value per period, kept for months, a quorum the
//! council sets and providers from the member registry, so this pallet is its own.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
mod invariants;
#[cfg(test)]
mod mock;
mod offchain;
mod pruning;
pub mod runtime_api;
pub mod sources;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use functions::{median, MIN_QUORUM};
pub use types::*;
pub use weights::WeightInfo;

/// The keystore key type of oracle providers' off-chain worker keys.
pub const KEY_TYPE: sp_runtime::KeyTypeId = sp_runtime::KeyTypeId(*b"orcl");

/// The off-chain worker's signing key: sr25519 under [`KEY_TYPE`], for runtimes whose accounts
/// are `MultiSigner`s.
pub mod crypto {
	use super::KEY_TYPE;
	use sp_runtime::{
		app_crypto::{app_crypto, sr25519},
		MultiSignature, MultiSigner,
	};
	app_crypto!(sr25519, KEY_TYPE);

	/// Signs the worker's transactions with the node's `orcl` key.
	pub struct ProviderKey;

	impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for ProviderKey {
		type RuntimeAppPublic = Public;
		type GenericPublic = sr25519::Public;
		type GenericSignature = sr25519::Signature;
	}
}

/// What benchmarks need from the runtime beyond the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Makes the chain's clock read `now` (ms since the Unix epoch).
	fn set_time(now: Moment);
}

/// Period values for other pallets (the energy contracts settle on them): final values only,
/// never a forecast.
pub trait FeedValues {
	/// The final value of `kind` in `region` for `period`, if a quorum submitted it; `None` for
	/// a forecast.
	fn value(kind: FeedKind, region: &[u8], period: PeriodIndex) -> Option<i64>;
	/// The mean of the final values of `kind` in `region` over the `periods` periods from
	/// `first` (a day's, for daily degree-days), with how many periods had one. `None` if none
	/// had. The mean is rounded half away from zero.
	fn mean(kind: FeedKind, region: &[u8], first: PeriodIndex, periods: u32) -> Option<(i64, u32)>;
}

// The pallet macros expand to `expect` on metadata lookups that cannot fail.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{Get, UnixTime},
	};
	use frame_system::{offchain::CreateSignedTransaction, pallet_prelude::*};
	use pallet_registry::{MemberId, MemberRegistry};

	/// The storage layout version; migrations bump it.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: CreateSignedTransaction<Call<Self>> + frame_system::Config {
		/// Who acts for which member, and in which roles.
		type Members: MemberRegistry<Self::AccountId>;
		/// The chain's clock (the timestamp pallet).
		type UnixTime: UnixTime;
		/// Length of a settlement period in milliseconds: the meters pallet's.
		#[pallet::constant]
		type PeriodLength: Get<u64>;
		/// Periods back from the current one that still take submissions.
		#[pallet::constant]
		type SubmissionWindow: Get<u32>;
		/// Periods ahead of the current one that take prices published in advance and
		/// forecasts.
		#[pallet::constant]
		type MaxLead: Get<u32>;
		/// Periods whose values are kept.
		#[pallet::constant]
		type Retention: Get<u32>;
		/// Submissions kept per feed and period: the most providers a quorum can ask for.
		#[pallet::constant]
		type MaxProviders: Get<u32>;
		/// Values in one batch.
		#[pallet::constant]
		type MaxBatch: Get<u32>;
		/// Who sets the quorum (the council).
		type QuorumOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The key the off-chain worker signs submissions with ([`crypto::ProviderKey`]).
		type AuthorityId: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>;
		type WeightInfo: WeightInfo;
		/// Sets the clock for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Submissions a feed's period needs before it has a value.
	#[pallet::storage]
	pub type Quorum<T> = StorageValue<_, u32, ValueQuery>;

	/// Every feed's periods, by period then feed so old periods are removed by prefix. Periods
	/// are checked against the chain's clock; feeds are chosen by providers.
	#[pallet::storage]
	pub type Values<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PeriodIndex,
		Blake2_128Concat,
		Feed,
		FeedPeriodOf<T>,
		OptionQuery,
	>;

	/// How far the removal of old periods has got.
	#[pallet::storage]
	pub type Pruning<T> = StorageValue<_, PruneCursor, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The quorum at genesis (1 if unset): 1 for a chain with one trusted provider, or at
		/// least `MIN_QUORUM`.
		pub quorum: u32,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let quorum = self.quorum.max(1);
			assert!(quorum <= T::MaxProviders::get(), "the oracle quorum exceeds MaxProviders");
			assert!(
				quorum == 1 || quorum >= MIN_QUORUM,
				"an oracle quorum of two lets either provider set every value"
			);
			Quorum::<T>::put(quorum);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider's batch of values was recorded.
		ValuesSubmitted { provider: MemberId, count: u32 },
		/// A feed's period got its value: the median of `providers` submissions.
		ValueFinalized { feed: Feed, period: PeriodIndex, value: i64, providers: u32 },
		/// A provider's submission lies farther from the period's value than the tolerance.
		OutlierRecorded {
			feed: Feed,
			period: PeriodIndex,
			provider: MemberId,
			submitted: i64,
			value: i64,
		},
		/// The quorum changed.
		QuorumSet { quorum: u32 },
		/// A forecast's period has a new value: the median of `providers` latest forecasts.
		ForecastRevised { feed: Feed, period: PeriodIndex, value: i64, providers: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signer does not act for an active member.
		NotAMember,
		/// Submitting values takes the `OracleProvider` role.
		NotAnOracleProvider,
		/// A batch needs at least one value.
		EmptyBatch,
		/// The region code must be 1–16 ASCII letters, digits, `-` or `_`.
		InvalidRegion,
		/// The value lies outside what its kind can plausibly be (see `FeedKind::plausible`).
		ImplausibleValue,
		/// The period is older than the submission window (for a forecast: it has begun).
		PeriodTooOld,
		/// The period has not ended (or, for prices and forecasts, lies beyond the lead allowed).
		PeriodNotEnded,
		/// This provider already submitted a value for the feed's period (and it is no forecast,
		/// which a provider may revise).
		AlreadySubmitted,
		/// The feed's period holds submissions from as many providers as it can keep.
		TooManySubmissions,
		/// The feed's period already has its value.
		AlreadyFinal,
		/// Fewer providers than the quorum have submitted for the feed's period.
		QuorumNotReached,
		/// The quorum must be at least `MIN_QUORUM` (3) and at most `MaxProviders`.
		InvalidQuorum,
		/// The chain's clock has not started.
		NoClock,
		/// The batch holds two values for one feed's period.
		DuplicateValue,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::PeriodLength::get() > 0, "PeriodLength must be positive");
			assert!(T::MaxProviders::get() > 0, "MaxProviders must allow a provider");
			assert!(T::MaxBatch::get() > 0, "MaxBatch must allow a value");
			assert!(
				T::Retention::get() >= T::SubmissionWindow::get(),
				"values must be kept at least as long as they take submissions"
			);
		}

		fn on_idle(_: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune(remaining)
		}

		fn offchain_worker(block: BlockNumberFor<T>) {
			Self::run_offchain_worker(block)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Submit values for feeds and periods.
		///
		/// Origin: an account of an active member with the `OracleProvider` role.
		///
		/// Each value is recorded as the provider's submission for its feed and period; the one
		/// that completes the quorum fixes the period's value. A forecast replaces the
		/// provider's earlier one for its period, and the period's value follows the median. The
		/// batch is recorded whole or not at all.
		///
		/// Emits `ValuesSubmitted`, `ValueFinalized` and `OutlierRecorded` as periods get their
		/// values, and `ForecastRevised` as forecasts' values change. Errors: `NotAMember`,
		/// `NotAnOracleProvider`, `EmptyBatch`, `DuplicateValue`, `InvalidRegion`,
		/// `ImplausibleValue`, `PeriodTooOld`, `PeriodNotEnded`, `AlreadySubmitted`,
		/// `TooManySubmissions`, `NoClock`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit_values(values.len() as u32))]
		pub fn submit_values(
			origin: OriginFor<T>,
			values: BoundedVec<Submission, T::MaxBatch>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_values(who, values)
		}

		/// Fix the value of a feed's period that has as many submissions as the quorum asks
		/// for, after the council lowered the quorum.
		///
		/// Origin: an account of an active member.
		///
		/// Emits `ValueFinalized` (and `OutlierRecorded` for each outlier), or for a forecast
		/// `ForecastRevised`. Errors: `NotAMember`, `AlreadyFinal`, `QuorumNotReached`, and for a
		/// forecast whose period has begun `PeriodTooOld` (or `NoClock`).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::finalize_value())]
		pub fn finalize_value(
			origin: OriginFor<T>,
			feed: Feed,
			period: PeriodIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_finalize_value(who, feed, period)
		}

		/// Set how many providers' submissions a period needs for its value.
		///
		/// Origin: `QuorumOrigin` (the council). Periods that already have a value keep it (a
		/// forecast's goes on following its providers' revisions).
		///
		/// Emits `QuorumSet`. Errors: `InvalidQuorum`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_quorum())]
		pub fn set_quorum(origin: OriginFor<T>, quorum: u32) -> DispatchResult {
			T::QuorumOrigin::ensure_origin(origin)?;
			Self::do_set_quorum(quorum)
		}
	}
}
