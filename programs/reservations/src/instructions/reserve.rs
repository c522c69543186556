use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_math::reservations::{cost_micro_usd, io_principal, Terms};
use ngpu_onchain::{create_pda_account, pyth, read_account, write_account};

use crate::constants::ACCOUNT_VERSION;
use crate::errors::{math, ReservationsError};
use crate::events::ReservationCreated;
use crate::hire::{node_state, HireAccounts};
use crate::state::{add_to, Config, Currency, Listing, Reservation, CONFIG_ADDRESS};
use crate::token_account;

#[event_cpi]
#[derive(Accounts)]
pub struct Reserve<'info> {
    /// Pays the deposit from `renter_token` and the reservation's rent (returned at close).
    #[account(mut)]
    pub renter: Signer<'info>,
    /// CHECK: the pinned config, read and written back once by the handler (`read_account`:
    /// owner and discriminator, as `Account` would).
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: UncheckedAccount<'info>,
    /// CHECK: the node's listing (`read_account`; its node must be `node`: `WrongListing`),
    /// written back once by the handler.
    #[account(mut)]
    pub listing: UncheckedAccount<'info>,
    /// CHECK: the listed staking `Node` (read with owner and discriminator checks); staking's
    /// `set_hired` writes it.
    #[account(mut)]
    pub node: UncheckedAccount<'info>,
    /// CHECK: created here (pre-funding safe); the handler derives its address from the node and
    /// the listing's next id (`ConstraintSeeds` otherwise).
    #[account(mut)]
    pub reservation: UncheckedAccount<'info>,
    /// CHECK: the renter's token account of the currency (mint and owner checked); refunds
    /// come back here.
    #[account(mut)]
    pub renter_token: UncheckedAccount<'info>,
    /// CHECK: the config's escrow vault of the currency (`WrongVault`).
    #[account(mut)]
    pub escrow: UncheckedAccount<'info>,
    /// CHECK: the config's price feed (`WrongPriceAccount`); read for IO payments only.
    pub price_feed: UncheckedAccount<'info>,
    /// CHECK: staking's config (pinned); staking checks its hire authority is our config.
    #[account(address = staking::CONFIG_ADDRESS)]
    pub staking_config: UncheckedAccount<'info>,
    /// CHECK: staking's hour ledger (pinned).
    #[account(mut, address = staking::LEDGER_ADDRESS)]
    pub staking_ledger: UncheckedAccount<'info>,
    /// CHECK: staking's event authority (checked by staking).
    pub staking_event_authority: UncheckedAccount<'info>,
    pub staking_program: Program<'info, staking::program::Staking>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Reserves the node for `hours`: the whole cost plus the renter's fees into escrow, every term
/// copied onto the reservation, the node marked hired.
pub fn handler(
    ctx: Context<Reserve>,
    hours: u32,
    currency: Currency,
    max_total: u64,
) -> Result<()> {
    let accounts = &ctx.accounts;
    let (config_info, listing_info) = (
        accounts.config.to_account_info(),
        accounts.listing.to_account_info(),
    );
    let mut config: Config = read_account(&config_info)?;
    require!(!config.paused, ReservationsError::Paused);
    let mut listing: Listing = read_account(&listing_info)?;
    require_keys_eq!(
        listing.node,
        accounts.node.key(),
        ReservationsError::WrongListing
    );
    require_keys_eq!(
        listing.active_reservation,
        Pubkey::default(),
        ReservationsError::NodeAlreadyReserved
    );
    require!(
        node_state(&accounts.node) == Some(staking::NodeState::Committed as u8),
        ReservationsError::NodeNotAvailable
    );
    require!(
        hours >= 1 && hours <= listing.max_hours.min(config.max_hours),
        ReservationsError::InvalidHours
    );
    // The money accounts.
    require_keys_eq!(
        accounts.escrow.key(),
        config.escrow(currency),
        ReservationsError::WrongVault
    );
    let paying = token_account::read(&accounts.renter_token)?;
    require!(
        paying.mint == config.mint(currency) && paying.owner == accounts.renter.key(),
        ReservationsError::InvalidTokenAccount
    );
    let escrow = token_account::read(&accounts.escrow)?;
    // The terms.
    let now = Clock::get()?.unix_timestamp;
    let cost = math(cost_micro_usd(listing.price_micro_usd_per_hour, hours))?;
    let (principal, io_price) = match currency {
        Currency::Usdc => (cost, 0),
        Currency::Io => {
            require_keys_eq!(
                accounts.price_feed.key(),
                config.price_feed,
                ReservationsError::WrongPriceAccount
            );
            let price = pyth::read_price(&accounts.price_feed, &config.price_limits(), now)
                .and_then(|p| p.for_taking_in())
                .map_err(|e| error!(ReservationsError::from(e)))?;
            (math(io_principal(cost, price))?, price)
        }
    };
    let rates = config.rates(currency);
    let terms = Terms {
        principal,
        hours,
        rates,
    };
    let deposit = math(terms.deposit())?;
    require_gte!(max_total, deposit, ReservationsError::SlippageExceeded);
    let payout = match currency {
        Currency::Usdc => listing.payout_usdc,
        Currency::Io => listing.payout_io,
    };
    let id = listing.reservation_count;
    let node_key = accounts.node.key();
    let id_bytes = id.to_le_bytes();
    let (address, bump) = Pubkey::find_program_address(
        &[Reservation::SEED, node_key.as_ref(), &id_bytes],
        &crate::ID,
    );
    require_keys_eq!(
        accounts.reservation.key(),
        address,
        anchor_lang::error::ErrorCode::ConstraintSeeds
    );
    let reservation = Reservation {
        version: ACCOUNT_VERSION,
        bump,
        currency,
        id,
        node: node_key,
        listing: listing_info.key(),
        renter: accounts.renter.key(),
        renter_token: accounts.renter_token.key(),
        payout,
        hours,
        start_ts: now,
        price_micro_usd_per_hour: listing.price_micro_usd_per_hour,
        cost_micro_usd: cost,
        io_price_micro_usd: io_price,
        principal,
        deposit,
        reservation_fee_bps: rates.reservation_bps,
        payment_fee_bps: rates.payment_bps,
        settled_hours: 0,
        supplier_paid: 0,
        fees_paid: 0,
        refund_owed: 0,
        _reserved: [0; 56],
    };

    // Write state, then the CPIs.
    let info = accounts.reservation.to_account_info();
    create_pda_account(
        &accounts.renter.to_account_info(),
        &info,
        &accounts.system_program.to_account_info(),
        &crate::ID,
        Reservation::SPACE,
        &[Reservation::SEED, node_key.as_ref(), &id_bytes, &[bump]],
    )?;
    write_account(&info, &reservation)?;
    ngpu_onchain::token_cpi::transfer(
        &accounts.renter_token.to_account_info(),
        &accounts.escrow.to_account_info(),
        &accounts.renter.to_account_info(),
        deposit,
        &[],
    )?;
    HireAccounts {
        config: &config_info,
        staking_config: &accounts.staking_config.to_account_info(),
        staking_ledger: &accounts.staking_ledger.to_account_info(),
        node: &accounts.node.to_account_info(),
        staking_event_authority: &accounts.staking_event_authority.to_account_info(),
        staking_program: &accounts.staking_program.to_account_info(),
    }
    .set_hired(true)?;

    listing.active_reservation = info.key();
    listing.reservation_count = id
        .checked_add(1)
        .ok_or_else(|| error!(ReservationsError::MathOverflow))?;
    write_account(&listing_info, &listing)?;
    config.open_reservations = config
        .open_reservations
        .checked_add(1)
        .ok_or_else(|| error!(ReservationsError::MathOverflow))?;
    let totals = config.totals_mut(currency);
    add_to(&mut totals.deposited, deposit)?;
    add_to(&mut totals.escrowed, deposit)?;
    add_to(&mut totals.reservations, 1)?;
    write_account(&config_info, &config)?;
    emit_cpi!(ReservationCreated {
        reservation: info.key(),
        node: node_key,
        renter: reservation.renter,
        currency,
        hours,
        start_ts: now,
        price_micro_usd_per_hour: reservation.price_micro_usd_per_hour,
        cost_micro_usd: cost,
        io_price_micro_usd: io_price,
        principal,
        deposit,
        reservation_fee_bps: rates.reservation_bps,
        payment_fee_bps: rates.payment_bps,
        escrow_balance: escrow
            .amount
            .checked_add(deposit)
            .ok_or_else(|| error!(ReservationsError::MathOverflow))?,
        config: config.state(),
    });
    Ok(())
}
