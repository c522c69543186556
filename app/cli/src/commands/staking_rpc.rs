//! Staking commands against a cluster's JSON RPC: `ngpu node …`, `ngpu stake`, `ngpu unstake`,
//! `ngpu withdraw`, `ngpu claim`, `ngpu crank`. Builders come from `ngpu_sdk::ix::staking`.

use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Subcommand};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::units::format_io;
use ngpu_sdk::genesis::parse_io;
use ngpu_sdk::{ix, pda, Instruction, Pubkey};
use serde::Serialize;
use solana_rpc_client::rpc_client::RpcClient;
use staking::NodeAction;

use crate::Output;

#[derive(Args)]
pub struct Cluster {
    /// JSON RPC endpoint of the cluster.
    #[arg(long, default_value = "http://127.0.0.1:8899", global = true)]
    url: String,
    /// Keypair file that signs (and pays).
    #[arg(long, global = true)]
    keypair: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t, global = true)]
    output: Output,
}

#[derive(Subcommand)]
pub enum NodeCommand {
    /// Register node `--id` of device class `--class` for the signing supplier.
    Register {
        #[arg(long)]
        class: u16,
        #[arg(long)]
        id: u64,
    },
    /// Show a node: state, stake, weight, unclaimed supplier rewards.
    Show {
        #[arg(long)]
        node: String,
    },
    /// Pause the signer's node (stops earning at once).
    Pause {
        #[arg(long)]
        node: String,
    },
    /// Resume the signer's node (earns again 12 hours later, after `activate`).
    Resume {
        #[arg(long)]
        node: String,
    },
}

#[derive(Args)]
pub struct NodeArgs {
    #[command(subcommand)]
    command: NodeCommand,
    #[command(flatten)]
    cluster: Cluster,
}

#[derive(Args)]
pub struct StakeArgs {
    #[arg(long)]
    node: String,
    /// IO, up to 8 decimals.
    #[arg(long)]
    amount: String,
    /// The staker's IO token account.
    #[arg(long)]
    tokens: String,
    #[command(flatten)]
    cluster: Cluster,
}

#[derive(Args)]
pub struct UnstakeArgs {
    #[arg(long)]
    node: String,
    #[arg(long)]
    amount: String,
    #[command(flatten)]
    cluster: Cluster,
}

#[derive(Args)]
pub struct WithdrawArgs {
    #[arg(long)]
    node: String,
    /// IO token account receiving the stake (or the rewards, for `claim`).
    #[arg(long)]
    destination: String,
    #[command(flatten)]
    cluster: Cluster,
}

#[derive(Args)]
pub struct ClaimArgs {
    #[arg(long)]
    node: String,
    #[arg(long)]
    destination: String,
    /// Claim the supplier's 95% instead of the signer's staker share.
    #[arg(long)]
    supplier: bool,
    #[command(flatten)]
    cluster: Cluster,
}

#[derive(Args)]
pub struct CrankArgs {
    /// Hours to process (1..=24), starting at the next unprocessed one.
    #[arg(long, default_value_t = 1)]
    hours: u8,
    #[command(flatten)]
    cluster: Cluster,
}

#[derive(Serialize)]
struct NodeView {
    node: String,
    supplier: String,
    state: String,
    active_stake: String,
    max_stake: String,
    weight_micro_usd_per_hour: u128,
    supplier_unclaimed: String,
    supplier_debt: String,
    stakers_unclaimed: String,
    rewards_cut: String,
    stake_slashed: String,
    slashes: u64,
    eligible_from: i64,
}

fn key(text: &str) -> Result<Pubkey, String> {
    Pubkey::from_str(text).map_err(|e| format!("`{text}`: {e}"))
}

fn signer(cluster: &Cluster) -> Result<Keypair, String> {
    let path = cluster.keypair.as_ref().ok_or("--keypair is required")?;
    crate::commands::rpc::read_keypair(path)
}

fn send(cluster: &Cluster, signer: &Keypair, instruction: Instruction) -> Result<(), String> {
    let signature = crate::commands::rpc::send_instruction(&cluster.url, signer, instruction)?;
    println!("{signature}");
    Ok(())
}

pub fn node(args: NodeArgs) -> Result<(), String> {
    let c = &args.cluster;
    match args.command {
        NodeCommand::Register { class, id } => {
            let s = signer(c)?;
            send(c, &s, ix::staking::register_node(s.pubkey(), class, id))?;
            println!("node {}", pda::staking::node(&s.pubkey(), id));
            Ok(())
        }
        NodeCommand::Pause { node } => {
            let s = signer(c)?;
            send(
                c,
                &s,
                ix::staking::set_node_state(s.pubkey(), key(&node)?, NodeAction::Pause),
            )
        }
        NodeCommand::Resume { node } => {
            let s = signer(c)?;
            send(
                c,
                &s,
                ix::staking::set_node_state(s.pubkey(), key(&node)?, NodeAction::Resume),
            )
        }
        NodeCommand::Show { node } => {
            let address = key(&node)?;
            let client = RpcClient::new(&c.url);
            let data = client
                .get_account_data(&address)
                .map_err(|e| e.to_string())?;
            let n: staking::Node = ngpu_sdk::decode_account(&data).map_err(|e| e.to_string())?;
            let view = NodeView {
                node: address.to_string(),
                supplier: n.supplier.to_string(),
                state: format!("{:?}", n.state),
                active_stake: format_io(n.active_stake().map_err(|e| e.to_string())?),
                max_stake: format_io(n.max_stake),
                weight_micro_usd_per_hour: n.weight,
                supplier_unclaimed: format_io(n.supplier_unclaimed),
                supplier_debt: format_io(n.supplier_debt),
                stakers_unclaimed: format_io(n.stakers_unclaimed().map_err(|e| e.to_string())?),
                rewards_cut: format_io(n.rewards_cut),
                stake_slashed: format_io(n.stake_slashed),
                slashes: n.slash_count,
                eligible_from: n.eligible_from,
            };
            match c.output {
                Output::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&view).map_err(|e| e.to_string())?
                ),
                Output::Text => {
                    println!(
                        "node {} ({}), supplier {}",
                        view.node, view.state, view.supplier
                    );
                    println!(
                        "  stake {} IO of at most {} IO",
                        view.active_stake, view.max_stake
                    );
                    println!(
                        "  weight {} micro-USD/h, eligible from {}",
                        view.weight_micro_usd_per_hour, view.eligible_from
                    );
                    println!(
                        "  supplier rewards settled, unclaimed: {} IO (uptime debt {} IO); stakers' unclaimed {} IO",
                        view.supplier_unclaimed, view.supplier_debt, view.stakers_unclaimed
                    );
                    println!(
                        "  uptime cuts {} IO; stake slashed {} IO; {} malicious slashes",
                        view.rewards_cut, view.stake_slashed, view.slashes
                    );
                }
            }
            Ok(())
        }
    }
}

pub fn stake(args: StakeArgs) -> Result<(), String> {
    let s = signer(&args.cluster)?;
    let amount = parse_io(&args.amount)?;
    send(
        &args.cluster,
        &s,
        ix::staking::stake(s.pubkey(), key(&args.node)?, key(&args.tokens)?, amount),
    )
}

pub fn unstake(args: UnstakeArgs) -> Result<(), String> {
    let s = signer(&args.cluster)?;
    let amount = parse_io(&args.amount)?;
    send(
        &args.cluster,
        &s,
        ix::staking::request_unstake(s.pubkey(), key(&args.node)?, amount),
    )
}

pub fn withdraw(args: WithdrawArgs) -> Result<(), String> {
    let s = signer(&args.cluster)?;
    send(
        &args.cluster,
        &s,
        ix::staking::withdraw(s.pubkey(), key(&args.node)?, key(&args.destination)?),
    )
}

pub fn claim(args: ClaimArgs) -> Result<(), String> {
    let s = signer(&args.cluster)?;
    let (node, destination) = (key(&args.node)?, key(&args.destination)?);
    let instruction = if args.supplier {
        ix::staking::claim_node_rewards(s.pubkey(), node, destination)
    } else {
        ix::staking::claim_stake_rewards(s.pubkey(), node, destination)
    };
    send(&args.cluster, &s, instruction)
}

pub fn crank(args: CrankArgs) -> Result<(), String> {
    let s = signer(&args.cluster)?;
    let client = RpcClient::new(&args.cluster.url);
    let data = client
        .get_account_data(&pda::staking::config())
        .map_err(|e| e.to_string())?;
    let config: staking::Config = ngpu_sdk::decode_account(&data).map_err(|e| e.to_string())?;
    let ledger = client
        .get_account_data(&pda::staking::ledger())
        .map_err(|e| e.to_string())?;
    let next_hour = staking::Ledger::from_bytes(&ledger[..])
        .ok_or("the staking ledger does not decode")?
        .next_hour();
    println!(
        "cranking hours {}..{}",
        next_hour,
        next_hour + u64::from(args.hours)
    );
    send(
        &args.cluster,
        &s,
        ix::staking::crank_hour(
            s.pubkey(),
            config.price_feed,
            config.history,
            next_hour,
            args.hours,
        ),
    )
}
