//! `smartblocks`: a member's command line for a SmartBlocks chain — apply for membership, admit
//! applicants and vote as the council, list members and sites, and draft, propose and sign
//! energy contracts. Contracts are drafted as BlockPortal's wizard drafts them (the same JSON,
//! checked by the same rules in `smartblocks-client`), so every problem is named before a
//! transaction is signed.

mod contracts;
mod members;
mod upgrade;

use std::{
	path::{Path, PathBuf},
	str::FromStr,
};

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use smartblocks_client::{
	subxt_signer::{sr25519::Keypair, SecretUri},
	Client,
};

#[derive(Parser)]
#[command(version, about = "SmartBlocks: membership, council and energy contracts")]
struct Cli {
	/// The node's RPC endpoint.
	#[arg(long, global = true, env = "SMARTBLOCKS_NODE", default_value = "ws://127.0.0.1:9944")]
	node: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Membership: apply, and list the members.
	Member {
		#[command(subcommand)]
		command: MemberCommand,
	},
	/// The council: admit applicants, vote on motions, close them, upgrade the runtime.
	Council {
		#[command(subcommand)]
		command: CouncilCommand,
	},
	/// Energy contracts: propose a draft, sign one, settle closed periods, end one, rate one.
	Contract {
		#[command(subcommand)]
		command: ContractCommand,
	},
	/// The registered sites with their owners and meters.
	Sites,
}

/// The account that signs.
#[derive(Args)]
struct Signer {
	/// The signing account's secret URI (a mnemonic, a 0x seed, or `//Alice` on a dev chain).
	#[arg(long, env = "SMARTBLOCKS_SURI", hide_env_values = true)]
	suri: String,
}

impl Signer {
	fn keypair(&self) -> anyhow::Result<Keypair> {
		let uri = SecretUri::from_str(&self.suri).map_err(|e| anyhow::anyhow!("--suri: {e}"))?;
		Keypair::from_uri(&uri).map_err(|e| anyhow::anyhow!("--suri: {e}"))
	}
}

#[derive(Subcommand)]
enum MemberCommand {
	/// Apply for membership with the signing account; the deposit is held until the council
	/// decides.
	Apply {
		#[command(flatten)]
		signer: Signer,
		/// The organisation's name.
		#[arg(long)]
		name: String,
		/// A role asked for, as the chain names it (Esco, BuildingOwner, Utility, Trader,
		/// Auditor, OracleProvider, ValidatorOperator); repeat for several.
		#[arg(long = "role", required = true)]
		roles: Vec<String>,
		/// Contact details for the council; only their hash goes on chain.
		#[arg(long, default_value = "")]
		contact: String,
	},
	/// Every member with its number, status, roles and reputation.
	List,
}

#[derive(Subcommand)]
enum CouncilCommand {
	/// Propose to the council that an applicant be admitted; a council of one admits at once,
	/// a larger one needs a majority's votes and a close.
	Admit {
		#[command(flatten)]
		signer: Signer,
		/// The applicant's account (SS58).
		#[arg(long)]
		applicant: String,
		/// The roles granted; the roles applied for when none is given.
		#[arg(long = "role")]
		roles: Vec<String>,
	},
	/// Vote on an open motion (aye unless --nay).
	Vote {
		#[command(flatten)]
		signer: Signer,
		/// The motion's number.
		motion: u32,
		#[arg(long)]
		nay: bool,
	},
	/// Close a motion that has its votes (or has run out of time), executing it if carried.
	Close {
		#[command(flatten)]
		signer: Signer,
		/// The motion's number.
		motion: u32,
	},
	/// Propose that an account of an active member take a seat on the council (a motion of two
	/// thirds; one seat a member).
	Seat {
		#[command(flatten)]
		signer: Signer,
		/// The account to seat (SS58).
		#[arg(long)]
		account: String,
	},
	/// Propose that an account leave the council (a motion of two thirds; the council keeps at
	/// least three seats).
	Unseat {
		#[command(flatten)]
		signer: Signer,
		/// The seated account (SS58).
		#[arg(long)]
		account: String,
	},
	/// Propose a runtime upgrade: a motion of two thirds of the council authorises the hash of
	/// the wasm in FILE as Root. A council of one authorises it at once and the code is
	/// applied; a larger one votes and closes the motion, then `council apply-upgrade` applies it.
	Upgrade {
		#[command(flatten)]
		signer: Signer,
		/// The runtime's wasm (`smartblocks_runtime.compact.compressed.wasm`).
		#[arg(long, value_name = "FILE")]
		wasm: PathBuf,
	},
	/// Submit the runtime the council authorised: the chain runs it from the next block if its
	/// hash is the one authorised and its spec_version is higher.
	ApplyUpgrade {
		#[command(flatten)]
		signer: Signer,
		/// The runtime's wasm, the file whose hash the council authorised.
		#[arg(long, value_name = "FILE")]
		wasm: PathBuf,
	},
}

#[derive(Subcommand)]
enum ContractCommand {
	/// Check a draft as the chain would and propose it for the signer's member, which must be
	/// its provider or its client; the other party then signs it.
	Propose {
		#[command(flatten)]
		signer: Signer,
		/// The draft: the JSON BlockPortal's wizard posts (template, provider, client, sites,
		/// meters and values as text in each parameter's unit; `first_day` defaults to today,
		/// UTC).
		draft: PathBuf,
		/// A file whose text is the draft's `baseline` (the JSON of `meter-bridge baseline fit
		/// --model daily --json`).
		#[arg(long)]
		baseline: Option<PathBuf>,
		/// The contract's first day, a UTC date (YYYY-MM-DD), in place of the draft's
		/// `first_day`; at most the chain's backdating limit in the past.
		#[arg(long)]
		first_day: Option<String>,
		/// A site the contract covers, by name among the parties' sites, with the kinds of its
		/// meters the contract reads: `building-01=GridImport` or
		/// `building-03=Generation,GridExport` (kinds: GridImport, GridExport, Generation,
		/// SubMeter, Heat); repeat for several.
		#[arg(long = "site", value_name = "NAME[=KIND,…]")]
		sites: Vec<String>,
		/// Only check the draft and print the agreement; propose nothing.
		#[arg(long)]
		check: bool,
	},
	/// Sign a draft contract for the signer's member; the last party's signature activates it.
	Sign {
		#[command(flatten)]
		signer: Signer,
		/// The contract's number.
		contract: u32,
	},
	/// Settle, for the signer's member, every period that has closed of its active contracts
	/// (or only of those named), oldest first; a period whose data is incomplete within its
	/// grace days is left for later. Fails if any settlement failed otherwise.
	Settle {
		#[command(flatten)]
		signer: Signer,
		/// Only these contracts.
		contracts: Vec<u32>,
	},
	/// Ask to end an active contract by agreement for the signer's member; it ends when the
	/// other party asks too.
	End {
		#[command(flatten)]
		signer: Signer,
		/// The contract's number.
		contract: u32,
	},
	/// Rate the other party of a contract that has ended (completed, or terminated after a
	/// settled period), from 1 (worst) to 5 (best) stars: its reputation moves by
	/// (stars − 3) × 5 points (a gain within the registry's daily cap). The chain takes one
	/// rating per party and contract, and refuses a member's rating of the same member within
	/// 30 days of the last.
	Rate {
		#[command(flatten)]
		signer: Signer,
		/// The contract's number.
		contract: u32,
		/// 1 (worst) to 5 (best).
		stars: u8,
	},
}

fn read_draft(path: &Path, baseline: Option<&Path>) -> anyhow::Result<contracts::Draft> {
	let text = std::fs::read_to_string(path)
		.with_context(|| format!("{}: cannot read the draft", path.display()))?;
	let mut draft: contracts::Draft = serde_json::from_str(&text)
		.with_context(|| format!("{}: not a contract draft", path.display()))?;
	if let Some(path) = baseline {
		let fit = std::fs::read_to_string(path)
			.with_context(|| format!("{}: cannot read the baseline", path.display()))?;
		draft.values.insert("baseline".into(), fit);
	}
	Ok(draft)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	let cli = Cli::parse();
	// What can be checked without the chain is, before connecting.
	let node = cli.node.as_str();
	match cli.command {
		Command::Member { command: MemberCommand::Apply { signer, name, roles, contact } } => {
			let (applicant, roles) = (signer.keypair()?, members::roles_named(&roles)?);
			let client = Client::connect(node).await?;
			members::apply(&client, &applicant, &name, &roles, &contact).await
		}
		Command::Member { command: MemberCommand::List } => {
			members::list(&Client::connect(node).await?).await
		}
		Command::Council { command: CouncilCommand::Admit { signer, applicant, roles } } => {
			let (proposer, roles) = (signer.keypair()?, members::roles_named(&roles)?);
			let client = Client::connect(node).await?;
			members::admit(&client, &proposer, &applicant, &roles).await
		}
		Command::Council { command: CouncilCommand::Vote { signer, motion, nay } } => {
			let voter = signer.keypair()?;
			members::vote(&Client::connect(node).await?, &voter, motion, !nay).await
		}
		Command::Council { command: CouncilCommand::Close { signer, motion } } => {
			let closer = signer.keypair()?;
			members::close(&Client::connect(node).await?, &closer, motion).await
		}
		Command::Council { command: CouncilCommand::Seat { signer, account } } => {
			let proposer = signer.keypair()?;
			members::seat(&Client::connect(node).await?, &proposer, &account, true).await
		}
		Command::Council { command: CouncilCommand::Unseat { signer, account } } => {
			let proposer = signer.keypair()?;
			members::seat(&Client::connect(node).await?, &proposer, &account, false).await
		}
		Command::Council { command: CouncilCommand::Upgrade { signer, wasm } } => {
			let proposer = signer.keypair()?;
			upgrade::propose(&Client::connect(node).await?, &proposer, &wasm).await
		}
		Command::Council { command: CouncilCommand::ApplyUpgrade { signer, wasm } } => {
			let submitter = signer.keypair()?;
			upgrade::apply(&Client::connect(node).await?, &submitter, &wasm).await
		}
		Command::Contract {
			command: ContractCommand::Propose { signer, draft, baseline, first_day, sites, check },
		} => {
			let proposer = signer.keypair()?;
			let mut draft = read_draft(&draft, baseline.as_deref())?;
			if let Some(day) = first_day {
				draft.values.insert("first_day".into(), day);
			}
			let client = Client::connect(node).await?;
			contracts::propose(&client, &proposer, draft, &sites, check).await
		}
		Command::Contract { command: ContractCommand::Sign { signer, contract } } => {
			let party = signer.keypair()?;
			contracts::sign(&Client::connect(node).await?, &party, contract).await
		}
		Command::Contract { command: ContractCommand::Settle { signer, contracts } } => {
			let party = signer.keypair()?;
			contracts::settle(&Client::connect(node).await?, &party, &contracts).await
		}
		Command::Contract { command: ContractCommand::End { signer, contract } } => {
			let party = signer.keypair()?;
			contracts::end(&Client::connect(node).await?, &party, contract).await
		}
		Command::Contract { command: ContractCommand::Rate { signer, contract, stars } } => {
			let rater = signer.keypair()?;
			contracts::rate(&Client::connect(node).await?, &rater, contract, stars).await
		}
		Command::Sites => contracts::sites(&Client::connect(node).await?).await,
	}
}
