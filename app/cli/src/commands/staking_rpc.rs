//! Staking commands against a cluster's JSON RPC: `ngpu node …`, `ngpu stake`, `ngpu unstake
//! [--cancel]`, `ngpu withdraw`, `ngpu claim`, `ngpu crank`, `ngpu position show`,
//! `ngpu slash …`. Builders come from `ngpu_sdk::ix::staking`; token accounts default to the
//! signer's associated accounts (created when missing).

use clap::{Args, Subcommand};
use ngpu_client::format::{self, utc};
use ngpu_client::solana_sdk::signature::Signer;
use ngpu_math::staking::shares_to_amount;
use ngpu_math::units::format_io;
use ngpu_sdk::{ix, pda, Instruction, Pubkey};
use serde::Serialize;
use serde_json::json;
use staking::NodeAction;

use crate::commands::rpc::{self, io_json, key, print_json, ClusterArgs};
use crate::Output;

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
    /// Activate a node whose waiting time has passed (permissionless).
    Activate {
        #[arg(long)]
        node: String,
    },
    /// Terminate (deregister) the signer's node once its stake, rewards and positions are gone.
    Terminate {
        #[arg(long)]
        node: String,
    },
}

#[derive(Args)]
pub struct NodeArgs {
    #[command(subcommand)]
    command: NodeCommand,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Args)]
pub struct StakeArgs {
    #[arg(long)]
    node: String,
    /// IO, up to 8 decimals, more than zero.
    #[arg(long, allow_negative_numbers = true)]
    amount: String,
    /// The staker's IO token account (default: the signer's associated account).
    #[arg(long)]
    tokens: Option<String>,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Args)]
pub struct UnstakeArgs {
    #[arg(long)]
    node: String,
    /// IO to move into the 7-day cooldown.
    #[arg(
        long,
        allow_negative_numbers = true,
        required_unless_present = "cancel"
    )]
    amount: Option<String>,
    /// Cancel the pending unstake requests instead: the cooling-down stake earns again.
    #[arg(long, conflicts_with = "amount")]
    cancel: bool,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Args)]
pub struct WithdrawArgs {
    #[arg(long)]
    node: String,
    /// IO token account receiving the stake (default: the signer's associated account, created
    /// if missing).
    #[arg(long)]
    destination: Option<String>,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Args)]
pub struct ClaimArgs {
    #[arg(long)]
    node: String,
    /// IO token account receiving the rewards (default: the signer's associated account,
    /// created if missing).
    #[arg(long)]
    destination: Option<String>,
    /// Claim the supplier's 95% instead of the signer's staker share.
    #[arg(long)]
    supplier: bool,
    #[command(flatten)]
    cluster: ClusterArgs,
}

/// `--hours` of a crank: 1..=24.
pub fn parse_hours(text: &str) -> Result<u8, String> {
    match text.parse::<i64>() {
        Ok(h) if (1..=24).contains(&h) => Ok(h as u8),
        Ok(h) => Err(format!("{h} hours: a crank processes 1 to 24 hours")),
        Err(_) => Err(format!("`{text}` is not a number of hours (1 to 24)")),
    }
}

#[derive(Args)]
pub struct CrankArgs {
    /// Hours to process (1..=24), starting at the next unprocessed one.
    #[arg(long, default_value = "1", value_parser = parse_hours, allow_negative_numbers = true)]
    hours: u8,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Subcommand)]
pub enum PositionCommand {
    /// A staker's positions (default: the signer's): stake, locks, cooldowns, unclaimed.
    Show {
        /// Only the position on this node.
        #[arg(long)]
        node: Option<String>,
        /// The staker (default: the keypair's public key).
        #[arg(long)]
        staker: Option<String>,
    },
}

#[derive(Args)]
pub struct PositionArgs {
    #[command(subcommand)]
    command: PositionCommand,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Subcommand)]
pub enum SlashCommand {
    /// Slash node `--node` by `--bps` for malicious behaviour (the authority).
    Create {
        #[arg(long)]
        node: String,
        #[arg(long)]
        bps: u16,
    },
    /// Burn an expired slash (permissionless, after the appeal window).
    Finalize {
        #[arg(long)]
        node: String,
        /// The slash id (the node's slash count when it was slashed).
        #[arg(long)]
        id: u64,
    },
    /// Uphold the supplier's appeal: give the slashed tokens back (the authority).
    Appeal {
        #[arg(long)]
        node: String,
        #[arg(long)]
        id: u64,
    },
    /// Show a slash record.
    Show {
        #[arg(long)]
        node: String,
        #[arg(long)]
        id: u64,
    },
}

#[derive(Args)]
pub struct SlashArgs {
    #[command(subcommand)]
    command: SlashCommand,
    #[command(flatten)]
    cluster: ClusterArgs,
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
    eligible_from_utc: String,
    base_units: serde_json::Value,
}

fn io_account(
    client: &rpc::Client,
    explicit: Option<&str>,
    prelude: &mut Vec<Instruction>,
) -> Result<Pubkey, String> {
    let owner = client.payer();
    Ok(client.token_account(explicit, &owner, &staking::IO_MINT, true, prelude)?)
}

pub fn node(args: NodeArgs) -> Result<(), String> {
    let c = &args.cluster;
    match args.command {
        NodeCommand::Register { class, id } => {
            let client = rpc::client(c)?;
            let node = pda::staking::node(&client.payer(), id);
            rpc::send(
                &client,
                &[ix::staking::register_node(client.payer(), class, id)],
                json!({ "node": node.to_string(), "class": class, "id": id }),
                &format!("node {node}"),
            )
        }
        NodeCommand::Pause { node } => set_state(c, &node, NodeAction::Pause),
        NodeCommand::Resume { node } => set_state(c, &node, NodeAction::Resume),
        NodeCommand::Activate { node } => {
            let client = rpc::client(c)?;
            let node = key(&node)?;
            rpc::send(
                &client,
                &[ix::staking::activate_node(node)],
                json!({ "node": node.to_string() }),
                "",
            )
        }
        NodeCommand::Terminate { node } => {
            let client = rpc::client(c)?;
            let node = key(&node)?;
            rpc::send(
                &client,
                &[ix::staking::deregister_node(client.payer(), node)],
                json!({ "node": node.to_string() }),
                "",
            )
        }
        NodeCommand::Show { node } => show_node(c, &node),
    }
}

fn set_state(c: &ClusterArgs, node: &str, action: NodeAction) -> Result<(), String> {
    let client = rpc::client(c)?;
    let node = key(node)?;
    rpc::send(
        &client,
        &[ix::staking::set_node_state(client.payer(), node, action)],
        json!({ "node": node.to_string(), "action": format!("{action:?}").to_lowercase() }),
        "",
    )
}

fn show_node(c: &ClusterArgs, node: &str) -> Result<(), String> {
    let client = rpc::reader(c)?;
    let address = key(node)?;
    let n: staking::Node = client.account(&address, "node")?;
    let active = n.active_stake().map_err(|e| e.to_string())?;
    let stakers = n.stakers_unclaimed().map_err(|e| e.to_string())?;
    let view = NodeView {
        node: address.to_string(),
        supplier: n.supplier.to_string(),
        state: format!("{:?}", n.state),
        active_stake: format_io(active),
        max_stake: format_io(n.max_stake),
        weight_micro_usd_per_hour: n.weight,
        supplier_unclaimed: format_io(n.supplier_unclaimed),
        supplier_debt: format_io(n.supplier_debt),
        stakers_unclaimed: format_io(stakers),
        rewards_cut: format_io(n.rewards_cut),
        stake_slashed: format_io(n.stake_slashed),
        slashes: n.slash_count,
        eligible_from: n.eligible_from,
        eligible_from_utc: utc(n.eligible_from),
        base_units: json!({
            "active_stake": active,
            "max_stake": n.max_stake,
            "supplier_unclaimed": n.supplier_unclaimed,
            "supplier_debt": n.supplier_debt,
            "stakers_unclaimed": stakers,
            "rewards_cut": n.rewards_cut,
            "stake_slashed": n.stake_slashed,
        }),
    };
    match c.output {
        Output::Json => print_json(&view),
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
                view.weight_micro_usd_per_hour, view.eligible_from_utc
            );
            println!(
                "  supplier rewards settled, unclaimed: {} IO (uptime debt {} IO); stakers' unclaimed {} IO",
                view.supplier_unclaimed, view.supplier_debt, view.stakers_unclaimed
            );
            println!(
                "  uptime cuts {} IO; stake slashed {} IO; {} malicious slashes",
                view.rewards_cut, view.stake_slashed, view.slashes
            );
            Ok(())
        }
    }
}

pub fn stake(args: StakeArgs) -> Result<(), String> {
    let amount = format::parse_io(&args.amount)?;
    let client = rpc::client(&args.cluster)?;
    let node = key(&args.node)?;
    let mut ixs = Vec::new();
    // The staker's own tokens: never created here (an empty new account could not pay).
    let tokens = client.token_account(
        args.tokens.as_deref(),
        &client.payer(),
        &staking::IO_MINT,
        false,
        &mut ixs,
    )?;
    ixs.push(ix::staking::stake(client.payer(), node, tokens, amount));
    rpc::send(
        &client,
        &ixs,
        json!({ "node": node.to_string(), "amount": io_json(amount), "from": tokens.to_string() }),
        &format!("staked {} IO on {node}", format_io(amount)),
    )
}

pub fn unstake(args: UnstakeArgs) -> Result<(), String> {
    let node = key(&args.node)?;
    if args.cancel {
        let client = rpc::client(&args.cluster)?;
        return rpc::send(
            &client,
            &[ix::staking::cancel_unstake(client.payer(), node)],
            json!({ "node": node.to_string(), "cancelled": true }),
            "unstake requests cancelled",
        );
    }
    let amount = format::parse_io(args.amount.as_deref().unwrap_or_default())?;
    let client = rpc::client(&args.cluster)?;
    rpc::send(
        &client,
        &[ix::staking::request_unstake(client.payer(), node, amount)],
        json!({ "node": node.to_string(), "amount": io_json(amount) }),
        &format!("{} IO cooling down", format_io(amount)),
    )
}

pub fn withdraw(args: WithdrawArgs) -> Result<(), String> {
    let client = rpc::client(&args.cluster)?;
    let node = key(&args.node)?;
    let mut ixs = Vec::new();
    let destination = io_account(&client, args.destination.as_deref(), &mut ixs)?;
    ixs.push(ix::staking::withdraw(client.payer(), node, destination));
    let before = rpc::token_amount(&client, &destination)?;
    rpc::send_then(
        &client,
        &ixs,
        json!({ "node": node.to_string(), "destination": destination.to_string() }),
        "",
        rpc::io_received(destination, before, "withdrawn"),
    )
}

pub fn claim(args: ClaimArgs) -> Result<(), String> {
    let client = rpc::client(&args.cluster)?;
    let node = key(&args.node)?;
    let mut ixs = Vec::new();
    let destination = io_account(&client, args.destination.as_deref(), &mut ixs)?;
    ixs.push(if args.supplier {
        ix::staking::claim_node_rewards(client.payer(), node, destination)
    } else {
        ix::staking::claim_stake_rewards(client.payer(), node, destination)
    });
    let before = rpc::token_amount(&client, &destination)?;
    rpc::send_then(
        &client,
        &ixs,
        json!({
            "node": node.to_string(),
            "destination": destination.to_string(),
            "supplier": args.supplier,
        }),
        "",
        rpc::io_received(destination, before, "claimed"),
    )
}

pub fn crank(args: CrankArgs) -> Result<(), String> {
    let client = rpc::client(&args.cluster)?;
    let config: staking::Config = client.account(&pda::staking::config(), "staking config")?;
    let ledger = client.account_data(&pda::staking::ledger(), "staking ledger")?;
    let next_hour = staking::Ledger::from_bytes(&ledger[..])
        .ok_or("the staking ledger does not decode")?
        .next_hour();
    if !client.cluster.json() {
        eprintln!(
            "cranking hours {}..{}",
            next_hour,
            next_hour + u64::from(args.hours)
        );
    }
    rpc::send(
        &client,
        &[ix::staking::crank_hour(
            client.payer(),
            config.price_feed,
            config.history,
            next_hour,
            args.hours,
        )],
        json!({ "first_hour": next_hour, "hours": args.hours }),
        "",
    )
}

#[derive(Serialize)]
struct Lot {
    amount: serde_json::Value,
    until: i64,
    until_utc: String,
    running: bool,
}

#[derive(Serialize)]
struct PositionView {
    position: String,
    node: String,
    staker: String,
    active: serde_json::Value,
    cooling_down: serde_json::Value,
    unclaimed: serde_json::Value,
    locks: Vec<Lot>,
    cooldowns: Vec<Lot>,
}

fn position_view(
    address: Pubkey,
    mut p: staking::StakePosition,
    n: &staking::Node,
    now: i64,
) -> Result<PositionView, String> {
    let value = |shares: u128| shares_to_amount(shares, n.stake_index).map_err(|e| e.to_string());
    let lots = |shares: &[u128], until: &[i64]| -> Result<Vec<Lot>, String> {
        shares
            .iter()
            .zip(until)
            .filter(|(s, _)| **s > 0)
            .map(|(s, u)| {
                Ok(Lot {
                    amount: io_json(value(*s)?),
                    until: *u,
                    until_utc: utc(*u),
                    running: *u > now,
                })
            })
            .collect()
    };
    let locks = lots(&p.lock_shares, &p.lock_until)?;
    let cooldowns = lots(&p.cooldown_lot_shares, &p.cooldown_lot_until)?;
    // Rewards as of the node's last settlement (hours cranked since are added on claim).
    p.settle(n).map_err(|e| e.to_string())?;
    let unclaimed = shares_to_amount(p.owed_units, n.reward_index).map_err(|e| e.to_string())?;
    Ok(PositionView {
        position: address.to_string(),
        node: p.node.to_string(),
        staker: p.staker.to_string(),
        active: io_json(value(p.shares)?),
        cooling_down: io_json(value(p.cooldown_shares)?),
        unclaimed: io_json(unclaimed),
        locks,
        cooldowns,
    })
}

/// Byte offset of `StakePosition::staker` (discriminator, version, bump, node).
const POSITION_STAKER_OFFSET: usize = 8 + 1 + 1 + 32;

pub fn position(args: PositionArgs) -> Result<(), String> {
    let PositionCommand::Show { node, staker } = args.command;
    let cluster = args.cluster.resolve()?;
    let staker = match staker {
        Some(s) => key(&s)?,
        None => cluster.signer()?.pubkey(),
    };
    let client = ngpu_client::Client::read_only(cluster);
    let now = client.now()?;
    let positions: Vec<(Pubkey, staking::StakePosition)> = match node {
        Some(node) => {
            let address = pda::staking::position(&key(&node)?, &staker);
            vec![(address, client.account(&address, "stake position")?)]
        }
        None => {
            use anchor_lang::Discriminator;
            client
                .program_accounts(
                    &staking::ID,
                    &[
                        (0, staking::StakePosition::DISCRIMINATOR.to_vec()),
                        (POSITION_STAKER_OFFSET, staker.to_bytes().to_vec()),
                    ],
                )?
                .into_iter()
                .filter_map(|(k, data)| Some((k, ngpu_sdk::decode_account(&data).ok()?)))
                .collect()
        }
    };
    let mut views = Vec::new();
    for (address, p) in positions {
        let n: staking::Node = client.account(&p.node, "node")?;
        views.push(position_view(address, p, &n, now)?);
    }
    match args.cluster.output {
        Output::Json => print_json(&views),
        Output::Text => {
            if views.is_empty() {
                println!("no stake position of {staker}");
            }
            for v in &views {
                let f = |a: &serde_json::Value| a["formatted"].as_str().unwrap_or("").to_string();
                println!("position {} on node {}", v.position, v.node);
                println!(
                    "  active {} IO, cooling down {} IO, unclaimed {} IO",
                    f(&v.active),
                    f(&v.cooling_down),
                    f(&v.unclaimed)
                );
                for l in v.locks.iter().filter(|l| l.running) {
                    println!("  locked {} IO until {}", f(&l.amount), l.until_utc);
                }
                for l in &v.cooldowns {
                    let state = if l.running {
                        "until"
                    } else {
                        "withdrawable since"
                    };
                    println!("  cooldown {} IO {state} {}", f(&l.amount), l.until_utc);
                }
            }
            Ok(())
        }
    }
}

pub fn slash(args: SlashArgs) -> Result<(), String> {
    let c = &args.cluster;
    match args.command {
        SlashCommand::Create { node, bps } => {
            let client = rpc::client(c)?;
            let node = key(&node)?;
            let n: staking::Node = client.account(&node, "node")?;
            let id = n.slash_count;
            rpc::send(
                &client,
                &[ix::staking::slash_malicious(client.payer(), node, id, bps)],
                json!({
                    "node": node.to_string(),
                    "slash": pda::staking::slash(&node, id).to_string(),
                    "id": id,
                    "bps": bps,
                }),
                &format!("slash {}", pda::staking::slash(&node, id)),
            )
        }
        SlashCommand::Finalize { node, id } => {
            let client = rpc::client(c)?;
            let node = key(&node)?;
            let slash = pda::staking::slash(&node, id);
            rpc::send(
                &client,
                &[ix::staking::finalize_slash(node, slash)],
                json!({ "node": node.to_string(), "slash": slash.to_string() }),
                "",
            )
        }
        SlashCommand::Appeal { node, id } => {
            let client = rpc::client(c)?;
            let node = key(&node)?;
            let slash = pda::staking::slash(&node, id);
            rpc::send(
                &client,
                &[ix::staking::uphold_appeal(client.payer(), node, slash)],
                json!({ "node": node.to_string(), "slash": slash.to_string() }),
                "",
            )
        }
        SlashCommand::Show { node, id } => {
            let client = rpc::reader(c)?;
            let node = key(&node)?;
            let address = pda::staking::slash(&node, id);
            let s: staking::SlashRecord = client.account(&address, "slash record")?;
            let view = json!({
                "slash": address.to_string(),
                "node": node.to_string(),
                "id": id,
                "status": format!("{:?}", s.status),
                "bps": s.bps,
                "stake": io_json(s.stake_amount),
                "supplier_rewards": io_json(s.supplier_reward_amount),
                "staker_rewards": io_json(s.staker_reward_amount),
                "renter_compensation": io_json(s.renter_compensation),
                "slashed_at": utc(s.slashed_at),
                "appeal_until": utc(s.appeal_until),
            });
            match c.output {
                Output::Json => print_json(&view),
                Output::Text => {
                    println!(
                        "slash {address} of node {node} ({:?}, {} bps): stake {} IO, supplier rewards {} IO, stakers' rewards {} IO; slashed {}, appeal until {}",
                        s.status,
                        s.bps,
                        format_io(s.stake_amount),
                        format_io(s.supplier_reward_amount),
                        format_io(s.staker_reward_amount),
                        utc(s.slashed_at),
                        utc(s.appeal_until)
                    );
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crank_hours_are_one_to_twenty_four() {
        assert_eq!(parse_hours("1"), Ok(1));
        assert_eq!(parse_hours("24"), Ok(24));
        assert!(parse_hours("25").unwrap_err().contains("1 to 24"));
        assert!(parse_hours("0").unwrap_err().contains("1 to 24"));
        assert!(parse_hours("-3").unwrap_err().contains("1 to 24"));
        assert!(parse_hours("x").is_err());
    }

    #[test]
    fn the_staker_offset_matches_the_layout() {
        use anchor_lang::{AccountSerialize, Discriminator};
        let staker = Pubkey::new_unique();
        let p = staking::StakePosition {
            version: 1,
            bump: 2,
            node: Pubkey::new_unique(),
            staker,
            shares: 0,
            cooldown_shares: 0,
            lock_shares: Default::default(),
            lock_until: Default::default(),
            cooldown_lot_shares: Default::default(),
            cooldown_lot_until: Default::default(),
            reward_per_share_paid: 0,
            owed_units: 0,
            reward_epoch: 0,
            _reserved: [0; 60],
        };
        let mut data = Vec::new();
        p.try_serialize(&mut data).unwrap();
        assert_eq!(&data[..8], staking::StakePosition::DISCRIMINATOR);
        assert_eq!(
            &data[POSITION_STAKER_OFFSET..POSITION_STAKER_OFFSET + 32],
            staker.as_ref()
        );
    }
}
