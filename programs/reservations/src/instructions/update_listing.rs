use anchor_lang::prelude::*;

use crate::errors::ReservationsError;
use crate::events::ListingUpdated;
use crate::instructions::list_node::{check_payouts, ListingArgs};
use crate::state::{Config, Listing, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct UpdateListing<'info> {
    pub supplier: Signer<'info>,
    #[account(address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, has_one = supplier @ ReservationsError::Unauthorized)]
    pub listing: Box<Account<'info, Listing>>,
    /// CHECK: a USDC token account (`InvalidTokenAccount`).
    pub payout_usdc: UncheckedAccount<'info>,
    /// CHECK: an IO token account (`InvalidTokenAccount`).
    pub payout_io: UncheckedAccount<'info>,
}

/// New terms for the next reservations; an open one keeps the terms it copied.
pub fn handler(ctx: Context<UpdateListing>, args: ListingArgs) -> Result<()> {
    args.validate()?;
    let accounts = &ctx.accounts;
    check_payouts(&accounts.config, &accounts.payout_usdc, &accounts.payout_io)?;
    let (payout_usdc, payout_io) = (accounts.payout_usdc.key(), accounts.payout_io.key());
    let listing = &mut ctx.accounts.listing;
    listing.price_micro_usd_per_hour = args.price_micro_usd_per_hour;
    listing.max_hours = args.max_hours;
    listing.payout_usdc = payout_usdc;
    listing.payout_io = payout_io;
    emit_cpi!(ListingUpdated {
        listing: listing.key(),
        node: listing.node,
        supplier: listing.supplier,
        created: false,
        terms: args,
        payout_usdc,
        payout_io,
        active_reservation: listing.active_reservation,
        reservation_count: listing.reservation_count,
    });
    Ok(())
}
