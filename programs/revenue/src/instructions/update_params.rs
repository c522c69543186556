use anchor_lang::prelude::*;

use crate::errors::RevenueError;
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
        has_one = authority @ RevenueError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
}

/// Replaces every parameter at once, within the bounds of `initialize`, but the feed id. The
/// window's counted outflow carries over (it decays under the new window length from now on).
///
/// The feed id (the asset priced) is pinned for good: another Pyth feed (BTC/USD, say) would
/// price IO at anything, and with a large window limit the authority could then empty the USDC
/// vault through a fill of its own in the same transaction. The price account may move (it must
/// still carry this feed id, fully verified).
pub fn handler(ctx: Context<UpdateParams>, params: InitializeArgs) -> Result<()> {
    params.validate()?;
    let config = &mut ctx.accounts.config;
    require!(
        params.price_feed_id == config.price_feed_id,
        RevenueError::PriceFeedIdPinned
    );
    config.price_feed = params.price_feed;
    config.price_feed_id = params.price_feed_id;
    config.max_price_age_secs = params.max_price_age_secs;
    config.max_confidence_bps = params.max_confidence_bps;
    config.max_premium_bps = params.max_premium_bps;
    config.window_secs = params.window_secs;
    config.window_limit = params.window_limit;
    emit_cpi!(ParamsUpdated {
        authority: config.authority,
        params,
        window_outflow: config.window_outflow,
        config: config.state(),
    });
    Ok(())
}
