//! Revenue commands against a cluster's JSON RPC: `ngpu revenue show [--day]`,
//! `ngpu revenue burn`, `ngpu buyback quote --io X`, `ngpu buyback fill --io X --usdc Y
//! [--expires-in S]`. Builders and the quote come from `ngpu_sdk`; `--output json` prints
//! base-unit integers.

use std::path::PathBuf;
use std::str::FromStr;

use anchor_spl::associated_token::get_associated_token_address;
use clap::{Args, Subcommand};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::units::format_io;
use ngpu_sdk::genesis::parse_io;
use ngpu_sdk::revenue::{format_usdc, parse_usdc, quote, Quote, RevenueView};
use ngpu_sdk::{ix, pda, Pubkey};
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
pub enum RevenueCommand {
    /// Vault balances, totals, the outflow window and a day's burn record (today by default).
    Show {
        /// UTC day: `YYYY-MM-DD` or days since 1970-01-01.
        #[arg(long)]
        day: Option<String>,
    },
    /// Burn the whole IO fee vault (permissionless).
    Burn,
}

#[derive(Args)]
pub struct RevenueArgs {
    #[command(subcommand)]
    command: RevenueCommand,
    #[command(flatten)]
    cluster: Cluster,
}

#[derive(Subcommand)]
pub enum BuybackCommand {
    /// The most USDC the program would pay now for `--io` IO (oracle bound, vault, window).
    Quote {
        /// IO, up to 8 decimals.
        #[arg(long)]
        io: String,
    },
    /// Sell `--io` IO for `--usdc` USDC: the IO is burned, the USDC paid from the fee vault.
    Fill {
        #[arg(long)]
        io: String,
        /// USDC, up to 6 decimals.
        #[arg(long)]
        usdc: String,
        /// The quote is valid for this many seconds after the cluster's clock.
        #[arg(long, default_value_t = 60)]
        expires_in: i64,
        /// IO token account burned from (default: the signer's associated account).
        #[arg(long)]
        io_account: Option<String>,
        /// USDC token account paid to (default: the signer's associated account).
        #[arg(long)]
        usdc_account: Option<String>,
    },
}

#[derive(Args)]
pub struct BuybackArgs {
    #[command(subcommand)]
    command: BuybackCommand,
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

/// A UTC day: `YYYY-MM-DD` or a day number.
pub fn parse_day(text: &str) -> Result<u64, String> {
    if let Ok(day) = text.parse::<u64>() {
        return Ok(day);
    }
    let ts = ngpu_math::calendar::parse_date(text)
        .map_err(|_| format!("`{text}` is neither YYYY-MM-DD nor a day number"))?;
    ngpu_math::revenue::utc_day(ts).map_err(|e| e.to_string())
}

/// The cluster's clock (`unix_timestamp` of the Clock sysvar).
fn cluster_now(client: &RpcClient) -> Result<i64, String> {
    let data = client
        .get_account_data(&CLOCK_SYSVAR)
        .map_err(|e| e.to_string())?;
    // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
    let bytes: [u8; 8] = data
        .get(32..40)
        .and_then(|b| b.try_into().ok())
        .ok_or("the Clock sysvar is too short")?;
    Ok(i64::from_le_bytes(bytes))
}

fn token_balance(client: &RpcClient, account: &Pubkey) -> Result<u64, String> {
    let balance = client
        .get_token_account_balance(account)
        .map_err(|e| e.to_string())?;
    balance.amount.parse().map_err(|e| format!("{e}"))
}

fn config(client: &RpcClient) -> Result<revenue::Config, String> {
    let data = client
        .get_account_data(&pda::revenue::config())
        .map_err(|e| e.to_string())?;
    ngpu_sdk::decode_account(&data).map_err(|e| e.to_string())
}

fn print_json<T: Serialize>(value: &T) -> Result<(), String> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
    );
    Ok(())
}

pub fn revenue(args: RevenueArgs) -> Result<(), String> {
    let c = &args.cluster;
    let client = RpcClient::new(&c.url);
    match args.command {
        RevenueCommand::Show { day } => {
            let config = config(&client)?;
            let now = cluster_now(&client)?;
            let day = match day {
                Some(d) => parse_day(&d)?,
                None => ngpu_math::revenue::utc_day(now).map_err(|e| e.to_string())?,
            };
            let record: Option<revenue::DayRecord> = client
                .get_account_data(&pda::revenue::day_record(day))
                .ok()
                .and_then(|data| ngpu_sdk::decode_account(&data).ok());
            let view = RevenueView::new(
                &config,
                token_balance(&client, &config.io_vault)?,
                token_balance(&client, &config.usdc_vault)?,
                now,
                day,
                record.as_ref(),
            );
            match c.output {
                Output::Json => print_json(&view),
                Output::Text => {
                    print_view(&view);
                    Ok(())
                }
            }
        }
        RevenueCommand::Burn => {
            let s = signer(c)?;
            let day =
                ngpu_math::revenue::utc_day(cluster_now(&client)?).map_err(|e| e.to_string())?;
            let signature = crate::commands::rpc::send_instruction(
                &c.url,
                &s,
                ix::revenue::burn_io_fees(s.pubkey(), day),
            )?;
            match c.output {
                Output::Json => print_json(&serde_json::json!({
                    "signature": signature.to_string(),
                    "day": day,
                })),
                Output::Text => {
                    println!("{signature}");
                    Ok(())
                }
            }
        }
    }
}

/// The text form of `ngpu revenue show`.
pub fn print_view(view: &RevenueView) {
    println!(
        "revenue config {}{}",
        view.config,
        if view.paused {
            " (buybacks paused)"
        } else {
            ""
        }
    );
    println!(
        "  IO fee vault   {} IO\n  USDC fee vault {} USDC",
        format_io(view.io_vault_balance),
        format_usdc(view.usdc_vault_balance)
    );
    println!(
        "  buyback premium {} bps; outflow {} of {} USDC per {} s",
        view.max_premium_bps,
        format_usdc(view.window_outflow_now),
        format_usdc(view.window_limit),
        view.window_secs
    );
    let t = &view.totals;
    println!(
        "  all time: {} IO burned ({} from fees in {} burns, {} bought back in {} fills for {} USDC, average ${} per IO), {} day records",
        format_io(t.io_burned),
        format_io(t.io_burned_fees),
        t.fee_burns,
        format_io(t.io_burned_buyback),
        t.fills,
        format_usdc(t.usdc_spent),
        format_usdc(t.average_price_micro_usd),
        view.day_records
    );
    match &view.day_totals {
        Some(d) => println!(
            "  day {}: {} IO from fees, {} IO bought back for {} USDC in {} fills (price ${}..${})",
            view.day,
            format_io(d.io_burned_fees),
            format_io(d.io_burned_buyback),
            format_usdc(d.usdc_spent),
            d.fills,
            format_usdc(d.min_price_micro_usd),
            format_usdc(d.max_price_micro_usd)
        ),
        None => println!("  day {}: no burns", view.day),
    }
}

fn print_quote(q: &Quote, output: Output) -> Result<(), String> {
    match output {
        Output::Json => print_json(q),
        Output::Text => {
            println!(
                "{} IO: at most {} USDC now (oracle low ${} + {} bps: {} USDC; vault {} USDC; window room {} USDC)",
                format_io(q.io_in),
                format_usdc(q.max_usdc_out),
                format_usdc(q.oracle_low_micro_usd),
                q.max_premium_bps,
                format_usdc(q.price_bound),
                format_usdc(q.vault),
                format_usdc(q.window_room)
            );
            Ok(())
        }
    }
}

pub fn buyback(args: BuybackArgs) -> Result<(), String> {
    let c = &args.cluster;
    let client = RpcClient::new(&c.url);
    let config = config(&client)?;
    match args.command {
        BuybackCommand::Quote { io } => {
            let io_in = parse_io(&io)?;
            let price = client
                .get_account(&config.price_feed)
                .map_err(|e| e.to_string())?;
            let q = quote(
                &config,
                &price.owner,
                &price.data,
                token_balance(&client, &config.usdc_vault)?,
                cluster_now(&client)?,
                io_in,
            )?;
            print_quote(&q, c.output)
        }
        BuybackCommand::Fill {
            io,
            usdc,
            expires_in,
            io_account,
            usdc_account,
        } => {
            let s = signer(c)?;
            let (io_in, usdc_out) = (parse_io(&io)?, parse_usdc(&usdc)?);
            let seller_io = match io_account {
                Some(a) => key(&a)?,
                None => get_associated_token_address(&s.pubkey(), &revenue::IO_MINT),
            };
            let seller_usdc = match usdc_account {
                Some(a) => key(&a)?,
                None => get_associated_token_address(&s.pubkey(), &config.usdc_mint),
            };
            let now = cluster_now(&client)?;
            let day = ngpu_math::revenue::utc_day(now).map_err(|e| e.to_string())?;
            let accounts = ix::revenue::FillAccounts {
                price_feed: config.price_feed,
                usdc_mint: config.usdc_mint,
                seller_io,
                seller_usdc,
            };
            let instruction = ix::revenue::fill_buyback(
                s.pubkey(),
                accounts,
                day,
                io_in,
                usdc_out,
                now.saturating_add(expires_in),
            );
            let signature = crate::commands::rpc::send_instruction(&c.url, &s, instruction)?;
            match c.output {
                Output::Json => print_json(&serde_json::json!({
                    "signature": signature.to_string(),
                    "io_in": io_in,
                    "usdc_out": usdc_out,
                    "expire_at": now.saturating_add(expires_in),
                })),
                Output::Text => {
                    println!("{signature}");
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
    fn days_are_dates_or_numbers() {
        assert_eq!(parse_day("20250"), Ok(20_250));
        assert_eq!(parse_day("2025-06-11"), Ok(20_250));
        assert_eq!(parse_day("1970-01-01"), Ok(0));
        assert!(parse_day("yesterday").is_err());
    }
}
