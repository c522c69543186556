use anchor_lang::prelude::*;

use crate::errors::ReservationsError;
use crate::events::ParamsUpdated;
use crate::instructions::InitializeArgs;
use crate::state::{Config, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct UpdateParams<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ ReservationsError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
}

/// Replaces every parameter at once, within the bounds of `initialize`, except the price feed id
/// (pinned: `PriceFeedIdPinned`). Open reservations keep the fee rates and prices they were made
/// with.
pub fn handler(ctx: Context<UpdateParams>, params: InitializeArgs) -> Result<()> {
    params.validate()?;
    let config = &mut ctx.accounts.config;
    // Re-pointing the oracle at another (genuine) Pyth feed would let the authority set the
    // price IO reservations are converted at: the feed id is fixed at initialize.
    require!(
        params.price_feed_id == config.price_feed_id,
        ReservationsError::PriceFeedIdPinned
    );
    config.price_feed = params.price_feed;
    config.price_feed_id = params.price_feed_id;
    config.max_price_age_secs = params.max_price_age_secs;
    config.max_confidence_bps = params.max_confidence_bps;
    config.reservation_fee_bps = params.reservation_fee_bps;
    config.usdc_payment_fee_bps = params.usdc_payment_fee_bps;
    config.io_payment_fee_bps = params.io_payment_fee_bps;
    config.max_hours = params.max_hours;
    emit_cpi!(ParamsUpdated {
        authority: config.authority,
        params,
        config: config.state(),
    });
    Ok(())
}
