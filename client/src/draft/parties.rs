//! A draft's parties, sites and meters, checked as the pallet checks a proposal's.

use super::{kind_name, parameters::Reader, parties_in_words, readable_kinds, roles_fit, Draft};
use crate::{
	contracts::TemplateKind,
	meters::{MeterKind, MeterStatus},
	registry::MemberStatus,
};

impl super::DraftContext<'_> {
	/// The draft's provider and client if they are active members; noted as problems: wrong
	/// roles for the template, one member on both sides, a proposer who is neither.
	pub(super) fn check_parties(
		&self,
		kind: &TemplateKind,
		draft: &Draft,
		proposer: u32,
		reader: &mut Reader,
	) -> (Option<u32>, Option<u32>) {
		let member = |id: Option<u32>, role: &str, reader: &mut Reader| {
			let Some(id) = id else {
				reader.problem(format!("choose the {role}"));
				return None;
			};
			match self.members.iter().find(|member| member.id == id) {
				Some(member) if matches!(member.status, MemberStatus::Active) => Some(member),
				_ => {
					reader.problem(format!("the {role}, member #{id}, is not an active member"));
					None
				}
			}
		};
		let provider = member(draft.provider, "provider", reader);
		let client = member(draft.client, "client", reader);
		let (Some(provider), Some(client)) = (provider, client) else {
			return (provider.map(|member| member.id), client.map(|member| member.id));
		};
		if provider.id == client.id {
			reader.problem("the provider and the client must be different members");
		} else if !roles_fit(kind, &provider.roles, &client.roles) {
			reader.problem(format!(
				"wrong roles for a {} contract: {}",
				kind_name(kind).to_lowercase(),
				parties_in_words(kind)
			));
		}
		if proposer != provider.id && proposer != client.id {
			reader.problem("you propose for your member, so it must be the provider or the client");
		}
		(Some(provider.id), Some(client.id))
	}

	/// The sites and meters of `draft` if the pallet takes them (its `check_coverage`).
	pub(super) fn check_coverage(
		&self,
		kind: &TemplateKind,
		draft: &Draft,
		provider: Option<u32>,
		client: Option<u32>,
		reader: &mut Reader,
	) -> (Vec<u32>, Vec<u32>) {
		let limits = self.limits;
		if draft.sites.is_empty() || draft.meters.is_empty() {
			reader.problem("choose at least one site and one of its meters");
		}
		if draft.sites.len() > limits.max_sites as usize {
			reader.problem(format!("a contract covers at most {} sites", limits.max_sites));
		}
		if draft.meters.len() > limits.max_meters as usize {
			reader.problem(format!("a contract reads at most {} meters", limits.max_meters));
		}
		let one_region = matches!(kind, TemplateKind::EnergyPerformance);
		let mut region = None;
		let mut chosen = Vec::new();
		for (index, id) in draft.sites.iter().enumerate() {
			let Some(site) = self.sites.iter().find(|site| site.id == *id) else {
				reader.problem(format!("there is no site #{id}"));
				continue;
			};
			let name = String::from_utf8_lossy(&site.name).into_owned();
			if draft.sites[..index].contains(id) {
				reader.problem(format!("{name} is chosen twice"));
			}
			if Some(site.owner) != provider && Some(site.owner) != client {
				reader.problem(format!("{name} belongs to neither party"));
			}
			let first_region = region.get_or_insert_with(|| site.region.clone());
			if one_region && *first_region != site.region {
				reader.problem("an energy performance contract's sites share one weather region");
			}
			chosen.push(site);
		}
		let readable = readable_kinds(kind);
		let (mut generation, mut sold, mut bought) = (false, false, false);
		for (index, id) in draft.meters.iter().enumerate() {
			let Some((site, meter)) = chosen
				.iter()
				.find_map(|site| Some((*site, site.meters.iter().find(|meter| meter.id == *id)?)))
			else {
				reader.problem(format!("meter #{id} is not on a chosen site"));
				continue;
			};
			if draft.meters[..index].contains(id) {
				reader.problem(format!("meter #{id} is chosen twice"));
			}
			if matches!(meter.status, MeterStatus::Retired) {
				reader.problem(format!("meter #{id} is retired"));
			}
			if !readable.contains(&meter.kind) {
				reader.problem(format!(
					"meter #{id} measures {:?}, which a {} contract does not read",
					meter.kind,
					kind_name(kind).to_lowercase()
				));
			}
			generation |= meter.kind == MeterKind::Generation;
			let exporting = matches!(meter.kind, MeterKind::GridExport | MeterKind::Generation);
			sold |= exporting && Some(site.owner) == provider;
			bought |= meter.kind == MeterKind::GridImport && Some(site.owner) == client;
		}
		match kind {
			TemplateKind::RenewableShare if !generation => {
				reader.problem("a renewable share contract reads at least one generation meter")
			}
			TemplateKind::PeerTrade if !(sold && bought) => reader.problem(
				"a peer trade reads the seller's export or generation and the buyer's grid import",
			),
			_ => {}
		}
		(draft.sites.clone(), draft.meters.clone())
	}
}
