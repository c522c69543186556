//! Reservation commands against a cluster's JSON RPC: `ngpu listing set|show`,
//! `ngpu reserve --node N --hours H --pay usdc|io [--max X]`,
//! `ngpu reservation show|settle|end|list|claim-refund|sweep-fees`, `ngpu listing claim`.
//! Builders, the quote and the views come from
//! `ngpu_sdk`; `--output json` prints base-unit integers.

use clap::{Args, Subcommand};
use ngpu_client::format::{parse_io, parse_usdc};
use ngpu_math::units::format_io;
use ngpu_sdk::reservations::{parse_currency, quote, ListingView, ReservationView};
use ngpu_sdk::revenue::format_usdc;
use ngpu_sdk::{ix, pda, Pubkey};
use reservations::{Currency, ListingArgs, Reservation};
use serde_json::json;

use crate::commands::rpc::{self, key, print_json, Client, ClusterArgs};
use crate::Output;

#[derive(Subcommand)]
pub enum ListingCommand {
    /// List the signer's node (or change its listing): price in USD per hour, longest rental.
    Set {
        #[arg(long)]
        node: String,
        /// USD per hour, up to 6 decimals.
        #[arg(long, allow_negative_numbers = true)]
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
    cluster: ClusterArgs,
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
    #[arg(long, allow_negative_numbers = true)]
    max: Option<String>,
    /// Token account paid from (default: the signer's associated account of the currency).
    #[arg(long)]
    from: Option<String>,
    #[command(flatten)]
    cluster: ClusterArgs,
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
    cluster: ClusterArgs,
}

fn decode<T: anchor_lang::AccountDeserialize>(
    client: &Client,
    address: &Pubkey,
    what: &str,
) -> Result<T, String> {
    Ok(client.account(address, what)?)
}

fn res_config(client: &Client) -> Result<reservations::Config, String> {
    decode(client, &pda::reservations::config(), "reservations config")
}

fn amount(currency: Currency, base_units: u64) -> String {
    match currency {
        Currency::Usdc => format!("{} USDC", format_usdc(base_units)),
        Currency::Io => format!("{} IO", format_io(base_units)),
    }
}

pub fn listing(args: ListingCliArgs) -> Result<(), String> {
    let c = &args.cluster;
    match args.command {
        ListingCommand::Show { node } => {
            let client = rpc::reader(c)?;
            let node = key(&node)?;
            let address = pda::reservations::listing(&node);
            let l: reservations::Listing = decode(&client, &address, "listing")?;
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
            let client = rpc::client(c)?;
            let node = key(&node)?;
            let currency = parse_currency(&pay)?;
            let config = res_config(&client)?;
            let mut ixs = Vec::new();
            let to = client.token_account(
                to.as_deref(),
                &client.payer(),
                &config.mint(currency),
                true,
                &mut ixs,
            )?;
            ixs.push(ix::reservations::claim_payout(
                client.payer(),
                node,
                currency,
                to,
                &config.usdc_mint,
            ));
            rpc::send(
                &client,
                &ixs,
                json!({ "node": node.to_string(), "to": to.to_string() }),
                "",
            )
        }
        ListingCommand::Set {
            node,
            price,
            max_hours,
            payout_usdc,
            payout_io,
        } => {
            let client = rpc::client(c)?;
            let node = key(&node)?;
            let config = res_config(&client)?;
            let owner = client.payer();
            let mut ixs = Vec::new();
            let payout_usdc = client.token_account(
                payout_usdc.as_deref(),
                &owner,
                &config.usdc_mint,
                true,
                &mut ixs,
            )?;
            let payout_io = client.token_account(
                payout_io.as_deref(),
                &owner,
                &reservations::IO_MINT,
                true,
                &mut ixs,
            )?;
            let args = ListingArgs {
                price_micro_usd_per_hour: parse_usdc(&price)?,
                max_hours,
            };
            let exists = client.exists(&pda::reservations::listing(&node))?;
            ixs.push(if exists {
                ix::reservations::update_listing(owner, node, payout_usdc, payout_io, args)
            } else {
                ix::reservations::list_node(owner, node, payout_usdc, payout_io, args)
            });
            rpc::send(
                &client,
                &ixs,
                json!({
                    "node": node.to_string(),
                    "price_micro_usd_per_hour": args.price_micro_usd_per_hour,
                    "max_hours": max_hours,
                    "created": !exists,
                }),
                "",
            )
        }
    }
}

pub fn reserve(args: ReserveArgs) -> Result<(), String> {
    let c = &args.cluster;
    let client = rpc::client(c)?;
    let node = key(&args.node)?;
    let currency = parse_currency(&args.pay)?;
    let config = res_config(&client)?;
    let listing: reservations::Listing =
        decode(&client, &pda::reservations::listing(&node), "listing")?;
    let price = client
        .rpc
        .get_account(&config.price_feed)
        .map_err(|e| client.error(e))?;
    let now = client.now()?;
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
    let mut ixs = Vec::new();
    let renter_token = client.token_account(
        args.from.as_deref(),
        &client.payer(),
        &config.mint(currency),
        false,
        &mut ixs,
    )?;
    let accounts = ix::reservations::ReserveAccounts {
        node,
        id: listing.reservation_count,
        renter_token,
        usdc_mint: config.usdc_mint,
        price_feed: config.price_feed,
    };
    let address = pda::reservations::reservation(&node, listing.reservation_count);
    ixs.push(ix::reservations::reserve(
        client.payer(),
        accounts,
        args.hours,
        currency,
        max_total,
    ));
    rpc::send(
        &client,
        &ixs,
        json!({
            "reservation": address.to_string(),
            "quote": q,
            "max_total": max_total,
        }),
        &format!(
            "reservation {address}: {} hours for {} (cost ${})",
            args.hours,
            amount(currency, q.deposit),
            format_usdc(q.cost_micro_usd)
        ),
    )
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
    let end = matches!(args.command, ReservationCommand::End { .. });
    match args.command {
        ReservationCommand::Show { address } => {
            let client = rpc::reader(c)?;
            let now = client.now()?;
            let address = key(&address)?;
            let r: Reservation = decode(&client, &address, "reservation")?;
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
            let client = rpc::client(c)?;
            let address = key(&address)?;
            let r: Reservation = decode(&client, &address, "reservation")?;
            let config = res_config(&client)?;
            let instruction = if end {
                ix::reservations::end_early(address, &r, &config.usdc_mint)
            } else {
                ix::reservations::settle(address, &r, &config.usdc_mint)
            };
            rpc::send(
                &client,
                &[instruction],
                json!({ "reservation": address.to_string(), "ended": end }),
                "",
            )
        }
        ReservationCommand::ClaimRefund { address, to } => {
            let client = rpc::client(c)?;
            let address = key(&address)?;
            let r: Reservation = decode(&client, &address, "reservation")?;
            let config = res_config(&client)?;
            let mut ixs = Vec::new();
            let to = client.token_account(
                to.as_deref(),
                &r.renter,
                &config.mint(r.currency),
                true,
                &mut ixs,
            )?;
            ixs.push(ix::reservations::claim_refund(
                address,
                &r,
                to,
                &config.usdc_mint,
            ));
            rpc::send(
                &client,
                &ixs,
                json!({ "reservation": address.to_string(), "to": to.to_string() }),
                "",
            )
        }
        ReservationCommand::SweepFees { pay } => {
            let client = rpc::client(c)?;
            let currency = parse_currency(&pay)?;
            let config = res_config(&client)?;
            rpc::send(
                &client,
                &[ix::reservations::sweep_fees(currency, &config.usdc_mint)],
                json!({}),
                "",
            )
        }
        ReservationCommand::List { renter, node } => {
            let client = rpc::reader(c)?;
            let now = client.now()?;
            let renter = renter.as_deref().map(key).transpose()?;
            let node = node.as_deref().map(key).transpose()?;
            use anchor_lang::Discriminator;
            let accounts = client.program_accounts(
                &reservations::ID,
                &[(0, Reservation::DISCRIMINATOR.to_vec())],
            )?;
            let mut views = Vec::new();
            for (address, data) in accounts {
                let Ok(r) = ngpu_sdk::decode_account::<Reservation>(&data) else {
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
