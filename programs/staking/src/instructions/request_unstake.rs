use anchor_lang::prelude::*;
use ngpu_math::staking::{amount_to_shares, shares_to_amount};

use crate::errors::{math, StakingError};
use crate::events::UnstakeRequested;
use crate::state::{Config, HourLedger, Node, NodeState, StakePosition, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct RequestUnstake<'info> {
    pub staker: Signer<'info>,
    /// Read only: weights change through the ledger.
    #[account(address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut, constraint = node.state != NodeState::Hired @ StakingError::NodeHired)]
    pub node: Box<Account<'info, Node>>,
    #[account(mut, has_one = node, has_one = staker @ StakingError::Unauthorized)]
    pub position: Box<Account<'info, StakePosition>>,
}

pub fn handler(ctx: Context<RequestUnstake>, amount: u64) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    require_gt!(amount, 0, StakingError::ZeroAmount);
    let now = Clock::get()?.unix_timestamp;
    let config = &ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    let position = &mut ctx.accounts.position;
    // Slashed to nothing: there is no stake to unstake (shares are worth 0).
    require_gt!(node.stake_index, 0, StakingError::NothingStaked);

    node.settle(&ledger)?;
    position.settle(node)?;
    let shares = math(amount_to_shares(amount, node.stake_index))?;
    require!(
        shares > 0 && shares <= position.shares,
        StakingError::InsufficientStake
    );
    // Only deposits whose own 7-day lock has ended can be unstaked.
    require_gte!(
        position.unlocked_shares(now),
        shares,
        StakingError::StakeLocked
    );
    position.shares = position
        .shares
        .checked_sub(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    position.cooldown_shares = position
        .cooldown_shares
        .checked_add(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    // A new request restarts the cooldown of everything cooling down in this position.
    // This request is withdrawable `cooldown_secs` from now, whatever earlier ones do.
    let cooldown_until = now
        .checked_add(config.cooldown_secs)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    let mut cooldowns = position.cooldowns();
    cooldowns
        .add(shares, cooldown_until, now, false)
        .map_err(|_| error!(StakingError::TooManyLots))?;
    position.set_cooldowns(&cooldowns);
    node.active_shares = node
        .active_shares
        .checked_sub(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.cooldown_shares = node
        .cooldown_shares
        .checked_add(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.refresh_weight(config, &mut ledger, now)?;
    emit_cpi!(UnstakeRequested {
        node: node.key(),
        staker: position.staker,
        amount,
        cooldown_until,
        node_active: node.active_stake()?,
        weight: node.weight,
        total_weight: u128::from(ledger.total_weight()),
        position_active: math(shares_to_amount(position.shares, node.stake_index))?,
        position_cooldown: math(shares_to_amount(position.cooldown_shares, node.stake_index))?,
        node_staked: node.staked()?,
    });
    Ok(())
}
