use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::ParamsUpdated;
use crate::instructions::InitializeArgs;
use crate::state::Config;
use crate::state::CONFIG_ADDRESS;

#[event_cpi]
#[derive(Accounts)]
pub struct UpdateParams<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ StakingError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
}

/// Replaces every parameter at once, within the same bounds as `initialize`. Node weights
/// follow a new `min_stake` or boost as each node next settles. The IO/USD feed id is pinned at
/// `initialize`: re-pointing it at another genuine Pyth feed would let the authority set the
/// price the crank pays at (and the revenue and reservations programs pin theirs the same way);
/// the price account may move (a new push account of the same feed).
pub fn handler(ctx: Context<UpdateParams>, params: InitializeArgs) -> Result<()> {
    params.validate()?;
    let config = &mut ctx.accounts.config;
    require!(
        params.price_feed_id == config.price_feed_id,
        StakingError::PriceFeedIdPinned
    );
    config.set_oracles(&params.oracles, params.oracle_quorum)?;
    config.price_feed = params.price_feed;
    config.price_feed_id = params.price_feed_id;
    config.max_price_age_secs = params.max_price_age_secs;
    config.max_confidence_bps = params.max_confidence_bps;
    config.max_stake_boost_bps = params.max_stake_boost_bps;
    config.min_stake = params.min_stake;
    config.lock_secs = params.lock_secs;
    config.cooldown_secs = params.cooldown_secs;
    config.reconnect_secs = params.reconnect_secs;
    config.hire_authority = params.hire_authority;
    config.offline_threshold_bps = params.offline_threshold_bps;
    config.appeal_secs = params.appeal_secs;
    emit_cpi!(ParamsUpdated {
        params,
        authority: config.authority,
        node_count: config.node_count,
    });
    Ok(())
}
