//! Energy contracts from proposal to rating: all five templates proposed over the sites' meters
//! by their parties or others, signed or withdrawn, settled period by period (energy
//! performance on the oracle's temperatures, demand response on the events its provider calls),
//! paid, breached, disputed and ruled on by the auditor, ended by agreement or for breach, and
//! rated.
//!
//! In `local_testnet` Bob (member 1) owns buildings, Charlie (2) is a utility, Alice (0) an ESCO
//! and Dave (3) the auditor.

use arbitrary::Unstructured;
use frame_support::BoundedVec;
use pallet_energy_contracts::{
	Agreement, AgreementOf, Award, Call as ContractsCall, Currency, DailyBaseline, DailyWindow,
	DemandResponseTerms, EnergyPerformanceTerms, EventBaseline, PeerTradeTerms, Pricing,
	RenewableShareTerms, Ruling, SavingsConfidence, Schedule, SupplyTariffTerms, TemplateKind,
	TemplateRef, Terms,
};
use smartblocks_runtime::{Runtime, RuntimeCall};
use sp_keyring::Sr25519Keyring;
use sp_runtime::Permill;

use super::{account, byte, meters::REGIONS, pick, send, word};
use crate::{
	chain::{Chain, ACCOUNTS},
	invariants::Finding,
};

/// Every template kind.
pub(crate) const TEMPLATE_KINDS: [TemplateKind; 5] = [
	TemplateKind::EnergyPerformance,
	TemplateKind::RenewableShare,
	TemplateKind::SupplyTariff,
	TemplateKind::PeerTrade,
	TemplateKind::DemandResponse,
];

/// The chain's day.
fn today(chain: &mut Chain) -> u32 {
	chain.execute_with(|| {
		pallet_meters::Pallet::<Runtime>::day_of(pallet_timestamp::Now::<Runtime>::get())
	})
}

/// The fuzzer's account of `member`, if it has one.
fn account_of(chain: &mut Chain, member: u32) -> Option<Sr25519Keyring> {
	chain.execute_with(|| {
		ACCOUNTS.into_iter().find(|account| {
			pallet_registry::AccountOf::<Runtime>::get(account.to_account_id()) == Some(member)
		})
	})
}

/// A contract number: mostly one that exists, sometimes the next.
fn contract(chain: &mut Chain, input: &mut Unstructured) -> u32 {
	let next = chain.execute_with(pallet_energy_contracts::NextContractId::<Runtime>::get);
	u32::from(byte(input)) % next.saturating_add(1)
}

/// The contract's two parties (provider, client), if it exists.
fn parties(chain: &mut Chain, contract: u32) -> Option<(u32, u32)> {
	chain.execute_with(|| {
		pallet_energy_contracts::Contracts::<Runtime>::get(contract)
			.map(|contract| (contract.agreement.provider, contract.agreement.client))
	})
}

/// Who acts on `contract`: mostly one of its parties, sometimes anyone.
fn actor(chain: &mut Chain, contract: u32, input: &mut Unstructured) -> Sr25519Keyring {
	let choice = byte(input);
	let party =
		parties(chain, contract)
			.map(|(provider, client)| if choice.is_multiple_of(2) { provider } else { client });
	match (choice, party) {
		(0..=223, Some(member)) => account_of(chain, member).unwrap_or(ACCOUNTS[0]),
		_ => account(input),
	}
}

/// The meters of `owner`'s sites (all of them if the input says so).
fn meters_of(chain: &mut Chain, owner: u32, input: &mut Unstructured) -> Vec<(u32, u32)> {
	let everyone = byte(input) > 240;
	chain.execute_with(|| {
		pallet_meters::Meters::<Runtime>::iter()
			.filter(|(_, meter)| everyone || meter.owner == owner)
			.map(|(id, meter)| (meter.site, id))
			.collect()
	})
}

/// A proposal of any template over the parties' meters, with terms within the templates' bounds
/// or not, for one to three periods of a day or two from today or a day back, proposed by its
/// provider, its client or anyone. The parties are those `local_testnet` gives the roles: the
/// ESCO (Alice) provides energy performance and renewable shares, the utility and trader
/// (Charlie) supply tariffs, demand response and peer trades; the building owner (Bob) is the
/// client.
pub(super) fn propose(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let kind = match byte(input) {
		0..=127 => TemplateKind::SupplyTariff,
		128..=175 => TemplateKind::RenewableShare,
		176..=207 => TemplateKind::EnergyPerformance,
		208..=231 => TemplateKind::DemandResponse,
		_ => TemplateKind::PeerTrade,
	};
	let (provider, client) = match kind {
		TemplateKind::EnergyPerformance | TemplateKind::RenewableShare => (0, 1),
		_ => (2, 1),
	};
	let mut covered = meters_of(chain, client, input);
	covered.truncate(1 + usize::from(byte(input) % 3));
	if kind == TemplateKind::PeerTrade {
		// The seller's export or generation meters too.
		let mut sold = meters_of(chain, provider, input);
		sold.truncate(1 + usize::from(byte(input) % 2));
		covered.extend(sold);
	}
	let mut sites: Vec<u32> = covered.iter().map(|(site, _)| *site).collect();
	sites.sort_unstable();
	sites.dedup();
	let meters = covered.into_iter().map(|(_, meter)| meter).collect();
	let terms = terms(kind, input);
	let agreement: AgreementOf<Runtime> = Agreement {
		template: TemplateRef { kind, version: 1 + u16::from(byte(input) > 250) },
		provider,
		client,
		sites: BoundedVec::truncate_from(sites),
		meters: BoundedVec::truncate_from(meters),
		currency: Currency { code: *b"EUR", decimals: 2 },
		schedule: Schedule {
			first_day: today(chain).saturating_sub(u32::from(byte(input) % 2)),
			period_days: 1 + u16::from(byte(input) % 2),
			periods: 1 + u16::from(byte(input) % 3),
		},
		payment_days: u16::from(byte(input) % 3).max(u16::from(byte(input) < 240)),
		data_grace_days: u16::from(byte(input) % 2),
		terms,
	};
	let proposer = match byte(input) {
		0..=159 => account_of(chain, provider).unwrap_or(ACCOUNTS[0]),
		160..=223 => account_of(chain, client).unwrap_or(ACCOUNTS[1]),
		_ => account(input),
	};
	send(
		chain,
		proposer,
		RuntimeCall::EnergyContracts(ContractsCall::propose_contract { agreement }),
	)
}

/// Terms of `kind` (now and then of another kind), mostly within the built-in templates'
/// bounds.
fn terms(kind: TemplateKind, input: &mut Unstructured) -> Terms {
	let min_coverage = match byte(input) {
		0..=239 => Permill::from_percent(u32::from(50 + byte(input) % 51)),
		_ => Permill::from_percent(u32::from(byte(input) % 50)),
	};
	let percent = |input: &mut Unstructured, most: u8| {
		Permill::from_percent(u32::from(byte(input) % most.saturating_add(1)))
	};
	let kind = if byte(input) > 250 { pick(input, &TEMPLATE_KINDS) } else { kind };
	match kind {
		TemplateKind::SupplyTariff => {
			let pricing = match byte(input) {
				0..=191 => Pricing::Fixed { price: u64::from(word(input)) * 16 },
				_ => Pricing::Indexed {
					market: BoundedVec::truncate_from(pick(input, &REGIONS).to_vec()),
					adder: i64::from(word(input)) - 32_768,
					cap: u64::from(word(input)) * 16,
				},
			};
			Terms::SupplyTariff(SupplyTariffTerms { pricing, min_coverage })
		}
		TemplateKind::RenewableShare => Terms::RenewableShare(RenewableShareTerms {
			target: percent(input, 100),
			penalty: u64::from(word(input)),
			bonus: u64::from(word(input)),
			min_coverage,
		}),
		TemplateKind::EnergyPerformance => {
			let confidence = [
				SavingsConfidence::Percent68,
				SavingsConfidence::Percent80,
				SavingsConfidence::Percent90,
				SavingsConfidence::Percent95,
			];
			Terms::EnergyPerformance(EnergyPerformanceTerms {
				baseline: model(input),
				max_cv_rmse: percent(input, 35),
				max_nmbe: Permill::from_parts(word(input) % 6_000),
				guaranteed_share: percent(input, 60),
				provider_share: percent(input, 100),
				price: u64::from(word(input)) * 80,
				min_coverage,
				confidence: (byte(input) < 240).then(|| pick(input, &confidence)),
			})
		}
		TemplateKind::PeerTrade => Terms::PeerTrade(PeerTradeTerms {
			window: window(input),
			quantity: u64::from(word(input)) * 1_600,
			price: u64::from(word(input)) * 16,
			min_coverage,
		}),
		TemplateKind::DemandResponse => Terms::DemandResponse(DemandResponseTerms {
			baseline: match byte(input) {
				0..=191 => EventBaseline::PreviousDays { days: byte(input) % 9 },
				_ => EventBaseline::Model(model(input)),
			},
			reward: u64::from(word(input)) * 32,
			min_coverage,
		}),
	}
}

/// A daily model of a building's use as the bridge fits one, mostly one the chain takes (a
/// non-negative intercept, balance points in order, more days than parameters).
fn model(input: &mut Unstructured) -> DailyBaseline {
	DailyBaseline {
		// Wh a day: up to about 1 MWh, now and then below zero.
		intercept: i64::from(word(input)) * 16 - 16_384,
		heating_slope: u64::from(word(input)),
		heating_balance: 100 + i16::from(byte(input)),
		cooling_slope: u64::from(word(input)) * u64::from(byte(input) > 127),
		cooling_balance: 180 + i16::from(byte(input)),
		cv_rmse: Permill::from_percent(u32::from(byte(input) % 40)),
		nmbe: (i32::from(byte(input)) - 128) * 40,
		r_squared: Permill::from_percent(u32::from(byte(input) % 101)),
		observations: u16::from(byte(input)) * 2,
		parameters: byte(input) % 6,
		autocorrelation: Permill::from_percent(u32::from(byte(input) % 100)),
		temperature_spread: u16::from(byte(input)) % 128,
	}
}

/// A window of the day in 15-minute periods, mostly within the day.
fn window(input: &mut Unstructured) -> DailyWindow {
	DailyWindow { first_period: u16::from(byte(input) % 100), periods: u16::from(byte(input) % 25) }
}

/// A party (or anyone) signs a draft, or withdraws it.
pub(super) fn sign_or_withdraw(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let contract = contract(chain, input);
	let who = actor(chain, contract, input);
	let call = match byte(input) {
		0..=223 => ContractsCall::sign_contract { contract },
		_ => ContractsCall::withdraw_contract { contract },
	};
	send(chain, who, RuntimeCall::EnergyContracts(call))
}

/// A party (or anyone) settles a contract's next period.
pub(super) fn settle(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let contract = contract(chain, input);
	let who = actor(chain, contract, input);
	send(chain, who, RuntimeCall::EnergyContracts(ContractsCall::settle_period { contract }))
}

/// A party (or anyone) calls a demand response event for today, tomorrow or the day after.
pub(super) fn call_event(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let contract = contract(chain, input);
	let who = actor(chain, contract, input);
	let day = today(chain) + u32::from(byte(input) % 3);
	let window = window(input);
	send(
		chain,
		who,
		RuntimeCall::EnergyContracts(ContractsCall::call_event { contract, day, window }),
	)
}

/// A settled period's payment confirmed, reported breached, or the contract ended for it.
pub(super) fn after_settlement(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let contract = contract(chain, input);
	let who = actor(chain, contract, input);
	let period = u16::from(byte(input) % 3);
	let call = match byte(input) % 3 {
		0 => ContractsCall::confirm_payment { contract, period },
		1 => ContractsCall::report_breach { contract, period },
		_ => ContractsCall::terminate_for_breach { contract, period },
	};
	send(chain, who, RuntimeCall::EnergyContracts(call))
}

/// A party disputes a contract or one of its statements, or the auditor (Dave, or anyone)
/// rules: for either party (or someone else), with an award or none, ending it or not.
pub(super) fn dispute(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let contract = contract(chain, input);
	if byte(input) < 128 {
		let who = actor(chain, contract, input);
		let period = (byte(input) < 160).then(|| u16::from(byte(input) % 3));
		let call = ContractsCall::open_dispute { contract, period };
		return send(chain, who, RuntimeCall::EnergyContracts(call));
	}
	let (provider, client) = parties(chain, contract).unwrap_or((2, 1));
	let in_favour_of = match byte(input) % 5 {
		0 | 1 => provider,
		2 | 3 => client,
		other => u32::from(other),
	};
	let award = (byte(input) < 160).then(|| Award {
		debtor: if byte(input).is_multiple_of(2) { client } else { provider },
		amount: u128::from(word(input)),
	});
	let ruling = Ruling { in_favour_of, award, terminate: byte(input).is_multiple_of(2) };
	let who = match byte(input) {
		0..=223 => Sr25519Keyring::Dave,
		_ => account(input),
	};
	send(
		chain,
		who,
		RuntimeCall::EnergyContracts(ContractsCall::resolve_dispute { contract, ruling }),
	)
}

/// A party asks to end a contract by agreement, or rates the other party of one that ended.
pub(super) fn end(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let contract = contract(chain, input);
	let who = actor(chain, contract, input);
	let call = match byte(input) {
		0..=127 => ContractsCall::request_termination { contract },
		_ => ContractsCall::rate_counterparty { contract, stars: byte(input) % 7 },
	};
	send(chain, who, RuntimeCall::EnergyContracts(call))
}
