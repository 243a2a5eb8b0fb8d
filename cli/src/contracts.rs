//! Energy contracts: a draft checked by the rules BlockPortal's wizard uses, proposed, signed,
//! settled, ended by agreement and rated.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context as _};
use smartblocks_client::{
	contracts::{ContractInfo, ContractState},
	draft::{day_text, template_key, DraftContext},
	meters::{day_of, periods_per_day, MeterKind, MeterStatus, SiteInfo},
	subxt_signer::sr25519::Keypair,
	Client,
};

pub use smartblocks_client::draft::Draft;

/// Concurrent reads of members and sites.
const PARALLEL: usize = 8;
const METER_KINDS: [MeterKind; 6] = [
	MeterKind::GridImport,
	MeterKind::GridExport,
	MeterKind::Generation,
	MeterKind::SubMeter,
	MeterKind::Heat,
	MeterKind::Temperature,
];

fn site_name(site: &SiteInfo) -> String {
	String::from_utf8_lossy(&site.name).into_owned()
}

fn meter_kind(name: &str) -> anyhow::Result<MeterKind> {
	METER_KINDS.into_iter().find(|kind| format!("{kind:?}") == name.trim()).with_context(|| {
		let known: Vec<String> = METER_KINDS.iter().map(|kind| format!("{kind:?}")).collect();
		format!("--site: {name} is not a meter kind; the kinds are {}", known.join(", "))
	})
}

/// Adds the sites `chosen` names (`NAME` or `NAME=KIND,KIND`, among the parties' sites) to
/// `draft`, with their meters of the kinds named.
fn add_sites(draft: &mut Draft, chosen: &[String], sites: &[SiteInfo]) -> anyhow::Result<()> {
	let parties = [draft.provider, draft.client];
	for choice in chosen {
		let Some((name, kinds)) = choice.split_once('=') else {
			bail!("--site {choice}: name the kinds of its meters to read too, e.g. {choice}=GridImport");
		};
		let kinds = kinds
			.split(',')
			.filter(|kind| !kind.trim().is_empty())
			.map(meter_kind)
			.collect::<Result<Vec<_>, _>>()?;
		let named: Vec<&SiteInfo> = sites
			.iter()
			.filter(|site| site_name(site) == name.trim() && parties.contains(&Some(site.owner)))
			.collect();
		let site = match named.as_slice() {
			[site] => site,
			[] => bail!("--site {name}: neither party has a site of that name"),
			several => bail!(
				"--site {name}: the parties have {} sites of that name (#{}); name it by number \
				 in the draft",
				several.len(),
				several.iter().map(|site| site.id.to_string()).collect::<Vec<_>>().join(", #")
			),
		};
		if !draft.sites.contains(&site.id) {
			draft.sites.push(site.id);
		}
		let mut found = false;
		for meter in site.meters.iter().filter(|meter| kinds.contains(&meter.kind)) {
			if !matches!(meter.status, MeterStatus::Retired) {
				found = true;
				if !draft.meters.contains(&meter.id) {
					draft.meters.push(meter.id);
				}
			}
		}
		if !found {
			bail!("--site {choice}: the site has no meter of those kinds in service");
		}
	}
	Ok(())
}

fn today() -> u32 {
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
	day_of(u64::try_from(now.as_millis()).unwrap_or(u64::MAX))
}

pub async fn propose(
	client: &Client,
	proposer: &Keypair,
	mut draft: Draft,
	sites_chosen: &[String],
	check_only: bool,
) -> anyhow::Result<()> {
	let account = proposer.public_key().to_account_id();
	let member = client
		.member_of(account)
		.await?
		.with_context(|| format!("{account} acts for no member, so it cannot propose"))?;
	let templates = client.templates().await?;
	let members = client.members(PARALLEL).await?;
	let sites = client.sites(PARALLEL).await?;
	let period_ms = client.period_ms().await?;
	add_sites(&mut draft, sites_chosen, &sites)?;
	let today = today();
	draft.values.entry("first_day".into()).or_insert_with(|| day_text(today));
	let context = DraftContext {
		templates: &templates,
		members: &members,
		sites: &sites,
		limits: client.agreement_limits().await?,
		today,
		periods_per_day: u32::try_from(periods_per_day(period_ms)).unwrap_or(u32::MAX),
	};
	let agreement = context.check(&draft, member.id).map_err(|error| {
		anyhow::anyhow!("the draft cannot be proposed:\n  - {}", error.0.join("\n  - "))
	})?;
	let what = format!(
		"a contract of template {} between provider #{} and client #{}, over sites {:?}, reading \
		 meters {:?}",
		template_key(&agreement.template.kind, agreement.template.version),
		agreement.provider,
		agreement.client,
		agreement.sites.0,
		agreement.meters.0
	);
	if check_only {
		println!("the draft passes every check the wizard makes: {what}");
		return Ok(());
	}
	let other = if agreement.provider == member.id { agreement.client } else { agreement.provider };
	let contract = client.propose_contract(proposer, agreement).await?;
	println!(
		"contract #{contract}: proposed {what}; member #{other} signs it \
		 (`smartblocks contract sign {contract}`)"
	);
	Ok(())
}

/// What a party signs, in one paragraph.
fn described(info: &ContractInfo) -> String {
	let schedule = &info.schedule;
	format!(
		"{} between provider #{} and client #{}, over sites {:?}, reading meters {:?}, from {}: \
		 {} periods of {} days, each waiting up to {} days for complete data, paid within {} \
		 days, in {} with {} decimals; terms {:?}",
		template_key(&info.template.kind, info.template.version),
		info.provider,
		info.client,
		info.sites,
		info.meters,
		day_text(schedule.first_day),
		schedule.periods,
		schedule.period_days,
		info.data_grace_days,
		info.payment_days,
		String::from_utf8_lossy(&info.currency.code),
		info.currency.decimals,
		info.terms
	)
}

/// Contract `contract`, or an error that there is none.
async fn existing(client: &Client, contract: u32) -> anyhow::Result<ContractInfo> {
	client.contract(contract).await?.with_context(|| format!("there is no contract #{contract}"))
}

pub async fn sign(client: &Client, signer: &Keypair, contract: u32) -> anyhow::Result<()> {
	let info = existing(client, contract).await?;
	if info.state != ContractState::Draft {
		bail!("contract #{contract} is not a draft ({:?}): there is nothing to sign", info.state);
	}
	println!("contract #{contract}: signing {}", described(&info));
	if client.sign_contract(signer, contract).await? {
		println!("contract #{contract}: signed by every party, active");
	} else {
		println!("contract #{contract}: signed; it waits for the other party's signature");
	}
	Ok(())
}

/// The contract `contract` and the member `party` acts for, which must be one of its parties.
async fn as_party(
	client: &Client,
	party: &Keypair,
	contract: u32,
) -> anyhow::Result<(ContractInfo, u32)> {
	let info = existing(client, contract).await?;
	let account = party.public_key().to_account_id();
	let member = client
		.member_of(account)
		.await?
		.with_context(|| format!("{account} acts for no member"))?;
	if ![info.provider, info.client].contains(&member.id) {
		bail!(
			"contract #{contract} is between members #{} and #{}, not member #{}",
			info.provider,
			info.client,
			member.id
		);
	}
	Ok((info, member.id))
}

pub async fn end(client: &Client, party: &Keypair, contract: u32) -> anyhow::Result<()> {
	let (info, member) = as_party(client, party, contract).await?;
	match info.state {
		ContractState::Active => {}
		ContractState::Draft => {
			bail!("contract #{contract} is a draft, never signed by both: withdraw it instead")
		}
		ContractState::Disputed { .. } => {
			bail!("contract #{contract} is disputed: it ends only by an auditor's ruling")
		}
		ContractState::Completed | ContractState::Terminated(_) => {
			bail!("contract #{contract} has already ended")
		}
	}
	if info.termination_requested == Some(member) {
		bail!("contract #{contract}: member #{member} has asked already; the other party must ask");
	}
	println!("contract #{contract}: asking to end {}", described(&info));
	if client.request_termination(party, contract).await? {
		println!("contract #{contract}: both parties asked, terminated by agreement");
	} else {
		println!("contract #{contract}: asked; it ends when the other party asks too");
	}
	Ok(())
}

pub async fn rate(
	client: &Client,
	rater: &Keypair,
	contract: u32,
	stars: u8,
) -> anyhow::Result<()> {
	let (info, member) = as_party(client, rater, contract).await?;
	if !matches!(info.state, ContractState::Completed | ContractState::Terminated(_)) {
		bail!(
			"contract #{contract} has not ended: only a completed or terminated contract is rated"
		);
	}
	if info.settled == 0 {
		bail!(
			"contract #{contract} ended before any period closed into a statement: there is \
			 nothing to rate"
		);
	}
	if let Some(given) = client.rating(contract, member).await? {
		bail!("contract #{contract}: member #{member} rated it already ({given} stars)");
	}
	let rated = if member == info.provider { info.client } else { info.provider };
	println!("contract #{contract}: member #{member} rates member #{rated} with {stars} stars");
	client.rate_counterparty(rater, contract, stars).await?;
	println!("contract #{contract}: rated");
	Ok(())
}

/// The first day after period `index` of `info`.
fn period_end(info: &ContractInfo, index: u16) -> u32 {
	info.schedule.period_start(index.saturating_add(1))
}

pub async fn settle(client: &Client, party: &Keypair, only: &[u32]) -> anyhow::Result<()> {
	let account = party.public_key().to_account_id();
	let member = client
		.member_of(account)
		.await?
		.with_context(|| format!("{account} acts for no member, so it cannot settle"))?;
	let today = today();
	let mut failed = 0;
	for id in client.contracts_of(member.id).await? {
		if !only.is_empty() && !only.contains(&id) {
			continue;
		}
		let Some(mut info) = client.contract(id).await? else { continue };
		while info.state == ContractState::Active && period_end(&info, info.settled) <= today {
			match client.settle_period(party, id).await {
				Ok(settlement) if settlement.needs_ruling => println!(
					"contract #{id}: period {} had too little complete data and goes to an \
					 auditor",
					settlement.period
				),
				Ok(settlement) => println!(
					"contract #{id}: period {} settled{}",
					settlement.period,
					settlement.obligation.map_or(", nothing owed".into(), |owed| format!(
						": member #{} owes member #{} {} in minor units of {}",
						owed.debtor,
						owed.creditor,
						owed.amount,
						String::from_utf8_lossy(&info.currency.code)
					))
				),
				Err(error) if error.to_string().contains("DataIncomplete") => {
					println!(
						"contract #{id}: period {} waits for complete data until its grace days \
						 ({}) have passed",
						info.settled, info.data_grace_days
					);
					break;
				}
				Err(error) => {
					eprintln!("contract #{id}: period {} not settled: {error}", info.settled);
					failed += 1;
					break;
				}
			}
			info = client.contract(id).await?.with_context(|| format!("contract #{id} is gone"))?;
		}
		if info.state == ContractState::Active && period_end(&info, info.settled) > today {
			println!(
				"contract #{id}: period {} closes at the end of {}",
				info.settled,
				day_text(period_end(&info, info.settled).saturating_sub(1))
			);
		}
	}
	if failed > 0 {
		bail!("{failed} settlement(s) failed");
	}
	Ok(())
}

pub async fn sites(client: &Client) -> anyhow::Result<()> {
	for site in client.sites(PARALLEL).await? {
		let meters: Vec<String> =
			site.meters.iter().map(|meter| format!("#{} {:?}", meter.id, meter.kind)).collect();
		println!(
			"site #{} {} (member #{}, region {}): meters {}",
			site.id,
			site_name(&site),
			site.owner,
			String::from_utf8_lossy(&site.region),
			meters.join(", ")
		);
	}
	Ok(())
}
