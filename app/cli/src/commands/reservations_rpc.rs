//! Reservation commands against a cluster's JSON RPC: `ngpu listing set|show`,
//! `ngpu reserve --node N --hours H --pay usdc|io [--max X]`,
//! `ngpu reservation show|settle|end|list|claim-refund|sweep-fees`, `ngpu listing claim`.
//! Builders, the quote and the views come from
//! `ngpu_sdk`; `--output json` prints base-unit integers.

use std::path::PathBuf;
use std::str::FromStr;

use anchor_spl::associated_token::get_associated_token_address;
use clap::{Args, Subcommand};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::units::format_io;
use ngpu_sdk::genesis::parse_io;
use ngpu_sdk::reservations::{parse_currency, quote, ListingView, ReservationView};
use ngpu_sdk::revenue::{format_usdc, parse_usdc};
use ngpu_sdk::{ix, pda, Pubkey};
use reservations::{Currency, ListingArgs, Reservation};
use serde::Serialize;
use solana_rpc_client::rpc_client::RpcClient;

use crate::Output;

/// The Clock sysvar's address.
const CLOCK_SYSVAR: Pubkey =
    anchor_lang::prelude::pubkey!("SysvarC1ock11111111111111111111111111111111");

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
pub enum ListingCommand {
    /// List the signer's node (or change its listing): price in USD per hour, longest rental.
    Set {
        #[arg(long)]
        node: String,
        /// USD per hour, up to 6 decimals.
        #[arg(long)]
        price: String,
        #[arg(long)]
        max_hours: u32,
        /// USDC payout account (default: the signer's associated account).
        #[arg(long)]
        payout_usdc: Option<String>,
        /// IO payout account (default: the signer's associated account).
        #[arg(long)]
        payout_io: Option<String>,
    },
    /// Show a node's listing.
    Show {
        #[arg(long)]
        node: String,
    },
    /// Claim what settlements owe the signer (the supplier) in one currency: payouts kept in
    /// escrow while its payout account was closed or frozen.
    Claim {
        #[arg(long)]
        node: String,
        /// `usdc` or `io`.
        #[arg(long)]
        pay: String,
        /// Token account paid to (default: the signer's associated account of the currency).
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Args)]
pub struct ListingCliArgs {
    #[command(subcommand)]
    command: ListingCommand,
    #[command(flatten)]
    cluster: Cluster,
}

#[derive(Args)]
pub struct ReserveArgs {
    #[arg(long)]
    node: String,
    #[arg(long)]
    hours: u32,
    /// `usdc` or `io`.
    #[arg(long)]
    pay: String,
    /// The most to pay (USDC or IO, decimals): the slippage guard. Default: the quote now.
    #[arg(long)]
    max: Option<String>,
    /// Token account paid from (default: the signer's associated account of the currency).
    #[arg(long)]
    from: Option<String>,
    #[command(flatten)]
    cluster: Cluster,
}

#[derive(Subcommand)]
pub enum ReservationCommand {
    /// A reservation's terms and what a settle or an early end would move now.
    Show { address: String },
    /// Pay the delivered hours (anyone); after the last hour the reservation closes.
    Settle { address: String },
    /// End early (the renter): the hour in progress is charged, the rest refunded.
    End { address: String },
    /// Claim a refund kept in escrow (the renter): its refund account was closed or frozen
    /// when the reservation ended. Closes the reservation.
    ClaimRefund {
        address: String,
        /// Token account paid to (default: the signer's associated account of the currency).
        #[arg(long)]
        to: Option<String>,
    },
    /// Deliver to the revenue vault the fees kept in escrow while it was frozen (anyone).
    SweepFees {
        /// `usdc` or `io`.
        #[arg(long)]
        pay: String,
    },
    /// Open reservations, optionally of one renter or node.
    List {
        #[arg(long)]
        renter: Option<String>,
        #[arg(long)]
        node: Option<String>,
    },
}

#[derive(Args)]
pub struct ReservationArgs {
    #[command(subcommand)]
    command: ReservationCommand,
    #[command(flatten)]
    cluster: Cluster,
}

fn key(text: &str) -> Result<Pubkey, String> {
    Pubkey::from_str(text).map_err(|e| format!("`{text}`: {e}"))
}

fn signer(cluster: &Cluster) -> Result<Keypair, String> {
    let path = cluster.keypair.as_ref().ok_or("--keypair is required")?;
    crate::commands::rpc::read_keypair(path)
}

fn cluster_now(client: &RpcClient) -> Result<i64, String> {
    let data = client
        .get_account_data(&CLOCK_SYSVAR)
        .map_err(|e| e.to_string())?;
    let bytes: [u8; 8] = data
        .get(32..40)
        .and_then(|b| b.try_into().ok())
        .ok_or("the Clock sysvar is too short")?;
    Ok(i64::from_le_bytes(bytes))
}

fn decode<T: anchor_lang::AccountDeserialize>(
    client: &RpcClient,
    address: &Pubkey,
) -> Result<T, String> {
    let data = client
        .get_account_data(address)
        .map_err(|e| format!("{address}: {e}"))?;
    ngpu_sdk::decode_account(&data).map_err(|e| format!("{address}: {e}"))
}

fn print_json<T: Serialize>(value: &T) -> Result<(), String> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn amount(currency: Currency, base_units: u64) -> String {
    match currency {
        Currency::Usdc => format!("{} USDC", format_usdc(base_units)),
        Currency::Io => format!("{} IO", format_io(base_units)),
    }
}

fn sent(output: Output, signature: String, extra: serde_json::Value) -> Result<(), String> {
    match output {
        Output::Json => {
            let mut v = extra;
            v["signature"] = serde_json::Value::String(signature);
            print_json(&v)
        }
        Output::Text => {
            println!("{signature}");
            Ok(())
        }
    }
}

pub fn listing(args: ListingCliArgs) -> Result<(), String> {
    let c = &args.cluster;
    let client = RpcClient::new(&c.url);
    match args.command {
        ListingCommand::Show { node } => {
            let node = key(&node)?;
            let address = pda::reservations::listing(&node);
            let l: reservations::Listing = decode(&client, &address)?;
            let view = ListingView::new(&address, &l);
            match c.output {
                Output::Json => print_json(&view),
                Output::Text => {
                    println!(
                        "listing {} of node {}: ${} per hour, up to {} hours; {} reservations{}",
                        view.listing,
                        view.node,
                        format_usdc(view.price_micro_usd_per_hour),
                        view.max_hours,
                        view.reservation_count,
                        view.active_reservation
                            .as_ref()
                            .map(|r| format!(", open: {r}"))
                            .unwrap_or_default()
                    );
                    Ok(())
                }
            }
        }
        ListingCommand::Claim { node, pay, to } => {
            let s = signer(c)?;
            let node = key(&node)?;
            let currency = parse_currency(&pay)?;
            let config: reservations::Config = decode(&client, &pda::reservations::config())?;
            let to = match to {
                Some(a) => key(&a)?,
                None => get_associated_token_address(&s.pubkey(), &config.mint(currency)),
            };
            let instruction =
                ix::reservations::claim_payout(s.pubkey(), node, currency, to, &config.usdc_mint);
            let signature = crate::commands::rpc::send_instruction(&c.url, &s, instruction)?;
            sent(
                c.output,
                signature.to_string(),
                serde_json::json!({ "node": node.to_string(), "to": to.to_string() }),
            )
        }
        ListingCommand::Set {
            node,
            price,
            max_hours,
            payout_usdc,
            payout_io,
        } => {
            let s = signer(c)?;
            let node = key(&node)?;
            let config: reservations::Config = decode(&client, &pda::reservations::config())?;
            let payout_usdc = match payout_usdc {
                Some(a) => key(&a)?,
                None => get_associated_token_address(&s.pubkey(), &config.usdc_mint),
            };
            let payout_io = match payout_io {
                Some(a) => key(&a)?,
                None => get_associated_token_address(&s.pubkey(), &reservations::IO_MINT),
            };
            let args = ListingArgs {
                price_micro_usd_per_hour: parse_usdc(&price)?,
                max_hours,
            };
            let exists = client
                .get_account_data(&pda::reservations::listing(&node))
                .is_ok();
            let instruction = if exists {
                ix::reservations::update_listing(s.pubkey(), node, payout_usdc, payout_io, args)
            } else {
                ix::reservations::list_node(s.pubkey(), node, payout_usdc, payout_io, args)
            };
            let signature = crate::commands::rpc::send_instruction(&c.url, &s, instruction)?;
            sent(
                c.output,
                signature.to_string(),
                serde_json::json!({
                    "node": node.to_string(),
                    "price_micro_usd_per_hour": args.price_micro_usd_per_hour,
                    "max_hours": max_hours,
                    "created": !exists,
                }),
            )
        }
    }
}

pub fn reserve(args: ReserveArgs) -> Result<(), String> {
    let c = &args.cluster;
    let client = RpcClient::new(&c.url);
    let s = signer(c)?;
    let node = key(&args.node)?;
    let currency = parse_currency(&args.pay)?;
    let config: reservations::Config = decode(&client, &pda::reservations::config())?;
    let listing: reservations::Listing = decode(&client, &pda::reservations::listing(&node))?;
    let price = client
        .get_account(&config.price_feed)
        .map_err(|e| e.to_string())?;
    let now = cluster_now(&client)?;
    let q = quote(
        &config,
        &listing,
        args.hours,
        currency,
        Some((&price.owner, &price.data)),
        now,
    )?;
    let max_total = match (&args.max, currency) {
        (Some(m), Currency::Usdc) => parse_usdc(m)?,
        (Some(m), Currency::Io) => parse_io(m)?,
        (None, _) => q.deposit,
    };
    let renter_token = match args.from {
        Some(a) => key(&a)?,
        None => get_associated_token_address(&s.pubkey(), &config.mint(currency)),
    };
    let accounts = ix::reservations::ReserveAccounts {
        node,
        id: listing.reservation_count,
        renter_token,
        usdc_mint: config.usdc_mint,
        price_feed: config.price_feed,
    };
    let address = pda::reservations::reservation(&node, listing.reservation_count);
    let instruction =
        ix::reservations::reserve(s.pubkey(), accounts, args.hours, currency, max_total);
    let signature = crate::commands::rpc::send_instruction(&c.url, &s, instruction)?;
    match c.output {
        Output::Json => print_json(&serde_json::json!({
            "signature": signature.to_string(),
            "reservation": address.to_string(),
            "quote": q,
            "max_total": max_total,
        })),
        Output::Text => {
            println!(
                "{signature}\nreservation {address}: {} hours for {} (cost ${})",
                args.hours,
                amount(currency, q.deposit),
                format_usdc(q.cost_micro_usd)
            );
            Ok(())
        }
    }
}

fn print_reservation(v: &ReservationView) {
    let c = if v.currency == "io" {
        Currency::Io
    } else {
        Currency::Usdc
    };
    println!(
        "reservation {} of node {} by {}: {}/{} hours settled ({} delivered), deposit {}, supplier paid {}, fees {}, escrowed {}; settle now pays {} + {} fees; ending now refunds {}",
        v.reservation,
        v.node,
        v.renter,
        v.settled_hours,
        v.hours,
        v.delivered_hours,
        amount(c, v.deposit),
        amount(c, v.supplier_paid),
        amount(c, v.fees_paid),
        amount(c, v.escrowed),
        amount(c, v.settle_supplier),
        amount(c, v.settle_fees),
        amount(c, v.end_refund),
    );
}

pub fn reservation(args: ReservationArgs) -> Result<(), String> {
    let c = &args.cluster;
    let client = RpcClient::new(&c.url);
    let now = cluster_now(&client)?;
    let end = matches!(args.command, ReservationCommand::End { .. });
    match args.command {
        ReservationCommand::Show { address } => {
            let address = key(&address)?;
            let r: Reservation = decode(&client, &address)?;
            let view = ReservationView::new(&address, &r, now)?;
            match c.output {
                Output::Json => print_json(&view),
                Output::Text => {
                    print_reservation(&view);
                    Ok(())
                }
            }
        }
        ReservationCommand::Settle { address } | ReservationCommand::End { address } => {
            let s = signer(c)?;
            let address = key(&address)?;
            let r: Reservation = decode(&client, &address)?;
            let config: reservations::Config = decode(&client, &pda::reservations::config())?;
            let instruction = if end {
                ix::reservations::end_early(address, &r, &config.usdc_mint)
            } else {
                ix::reservations::settle(address, &r, &config.usdc_mint)
            };
            let signature = crate::commands::rpc::send_instruction(&c.url, &s, instruction)?;
            sent(
                c.output,
                signature.to_string(),
                serde_json::json!({ "reservation": address.to_string(), "ended": end }),
            )
        }
        ReservationCommand::ClaimRefund { address, to } => {
            let s = signer(c)?;
            let address = key(&address)?;
            let r: Reservation = decode(&client, &address)?;
            let config: reservations::Config = decode(&client, &pda::reservations::config())?;
            let to = match to {
                Some(a) => key(&a)?,
                None => get_associated_token_address(&s.pubkey(), &config.mint(r.currency)),
            };
            let instruction = ix::reservations::claim_refund(address, &r, to, &config.usdc_mint);
            let signature = crate::commands::rpc::send_instruction(&c.url, &s, instruction)?;
            sent(
                c.output,
                signature.to_string(),
                serde_json::json!({ "reservation": address.to_string(), "to": to.to_string() }),
            )
        }
        ReservationCommand::SweepFees { pay } => {
            let s = signer(c)?;
            let currency = parse_currency(&pay)?;
            let config: reservations::Config = decode(&client, &pda::reservations::config())?;
            let instruction = ix::reservations::sweep_fees(currency, &config.usdc_mint);
            let signature = crate::commands::rpc::send_instruction(&c.url, &s, instruction)?;
            sent(c.output, signature.to_string(), serde_json::json!({}))
        }
        ReservationCommand::List { renter, node } => {
            let renter = renter.as_deref().map(key).transpose()?;
            let node = node.as_deref().map(key).transpose()?;
            let accounts = client
                .get_program_accounts(&reservations::ID)
                .map_err(|e| e.to_string())?;
            let mut views = Vec::new();
            for (address, account) in accounts {
                let Ok(r) = ngpu_sdk::decode_account::<Reservation>(&account.data) else {
                    continue; // the config, listings
                };
                if renter.is_some_and(|k| k != r.renter) || node.is_some_and(|k| k != r.node) {
                    continue;
                }
                views.push(ReservationView::new(&address, &r, now)?);
            }
            views.sort_by_key(|v| v.start_ts);
            match c.output {
                Output::Json => print_json(&views),
                Output::Text => {
                    for v in &views {
                        print_reservation(v);
                    }
                    if views.is_empty() {
                        println!("no open reservation");
                    }
                    Ok(())
                }
            }
        }
    }
}
