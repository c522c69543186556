use anchor_lang::prelude::*;

use crate::errors::ReservationsError;
use crate::events::NodeDelisted;
use crate::state::Listing;

#[event_cpi]
#[derive(Accounts)]
pub struct Delist<'info> {
    /// Receives the listing's rent.
    #[account(mut)]
    pub supplier: Signer<'info>,
    #[account(
        mut,
        close = supplier,
        has_one = supplier @ ReservationsError::Unauthorized,
        constraint = listing.active_reservation == Pubkey::default()
            @ ReservationsError::NodeAlreadyReserved,
        constraint = listing.owed_usdc == 0 && listing.owed_io == 0 && listing.refunds_owed == 0
            @ ReservationsError::PayoutOwed,
    )]
    pub listing: Box<Account<'info, Listing>>,
}

/// Closes a listing with no open reservation (listing again starts its ids at 0: every earlier
/// reservation of the node is closed by then, so no address is reused while in use).
pub fn handler(ctx: Context<Delist>) -> Result<()> {
    let listing = &ctx.accounts.listing;
    emit_cpi!(NodeDelisted {
        listing: listing.key(),
        node: listing.node,
        supplier: listing.supplier,
        reservation_count: listing.reservation_count,
    });
    Ok(())
}
