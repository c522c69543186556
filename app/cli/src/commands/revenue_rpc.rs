//! Revenue commands against a cluster's JSON RPC: `ngpu revenue show [--day]`,
//! `ngpu revenue burn`, `ngpu buyback quote --io X`, `ngpu buyback fill --io X --usdc Y
//! [--expires-in S]`. Builders and the quote come from `ngpu_sdk`; `--output json` prints
//! base-unit integers.

use clap::{Args, Subcommand};
use ngpu_client::format::{parse_io, parse_usdc};
use ngpu_math::units::format_io;
use ngpu_sdk::revenue::{format_usdc, quote, Quote, RevenueView};
use ngpu_sdk::{ix, pda, Pubkey};
use serde_json::json;

use crate::commands::rpc::{self, io_json, print_json, usdc_json, Client, ClusterArgs};
use crate::Output;

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
    cluster: ClusterArgs,
}

#[derive(Subcommand)]
pub enum BuybackCommand {
    /// The most USDC the program would pay now for `--io` IO (oracle bound, vault, window).
    Quote {
        /// IO, up to 8 decimals.
        #[arg(long, allow_negative_numbers = true)]
        io: String,
    },
    /// Sell `--io` IO for `--usdc` USDC: the IO is burned, the USDC paid from the fee vault.
    Fill {
        #[arg(long, allow_negative_numbers = true)]
        io: String,
        /// USDC, up to 6 decimals.
        #[arg(long, allow_negative_numbers = true)]
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
    cluster: ClusterArgs,
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

fn token_balance(client: &Client, account: &Pubkey) -> Result<u64, String> {
    let balance = client
        .rpc
        .get_token_account_balance(account)
        .map_err(|e| client.error(e))?;
    balance.amount.parse().map_err(|e| format!("{e}"))
}

fn config(client: &Client) -> Result<revenue::Config, String> {
    Ok(client.account(&pda::revenue::config(), "revenue config")?)
}

pub fn revenue(args: RevenueArgs) -> Result<(), String> {
    let c = &args.cluster;
    match args.command {
        RevenueCommand::Show { day } => {
            let client = rpc::reader(c)?;
            let config = config(&client)?;
            let now = client.now()?;
            let day = match day {
                Some(d) => parse_day(&d)?,
                None => ngpu_math::revenue::utc_day(now).map_err(|e| e.to_string())?,
            };
            let record: Option<revenue::DayRecord> = client
                .account(&pda::revenue::day_record(day), "day record")
                .ok();
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
            let client = rpc::client(c)?;
            let day = ngpu_math::revenue::utc_day(client.now()?).map_err(|e| e.to_string())?;
            rpc::send(
                &client,
                &[ix::revenue::burn_io_fees(client.payer(), day)],
                json!({ "day": day }),
                "",
            )
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
    match args.command {
        BuybackCommand::Quote { io } => {
            let io_in = parse_io(&io)?;
            let client = rpc::reader(c)?;
            let config = config(&client)?;
            let price = client
                .rpc
                .get_account(&config.price_feed)
                .map_err(|e| client.error(e))?;
            let q = quote(
                &config,
                &price.owner,
                &price.data,
                token_balance(&client, &config.usdc_vault)?,
                client.now()?,
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
            let (io_in, usdc_out) = (parse_io(&io)?, parse_usdc(&usdc)?);
            let client = rpc::client(c)?;
            let config = config(&client)?;
            let owner = client.payer();
            let mut ixs = Vec::new();
            // The IO sold must already be there; the USDC account is created if missing.
            let seller_io = client.token_account(
                io_account.as_deref(),
                &owner,
                &revenue::IO_MINT,
                false,
                &mut ixs,
            )?;
            let seller_usdc = client.token_account(
                usdc_account.as_deref(),
                &owner,
                &config.usdc_mint,
                true,
                &mut ixs,
            )?;
            let now = client.now()?;
            let day = ngpu_math::revenue::utc_day(now).map_err(|e| e.to_string())?;
            let accounts = ix::revenue::FillAccounts {
                price_feed: config.price_feed,
                usdc_mint: config.usdc_mint,
                seller_io,
                seller_usdc,
            };
            ixs.push(ix::revenue::fill_buyback(
                owner,
                accounts,
                day,
                io_in,
                usdc_out,
                now.saturating_add(expires_in),
            ));
            rpc::send(
                &client,
                &ixs,
                json!({
                    "io_in": io_json(io_in),
                    "usdc_out": usdc_json(usdc_out),
                    "expire_at": now.saturating_add(expires_in),
                }),
                "",
            )
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
