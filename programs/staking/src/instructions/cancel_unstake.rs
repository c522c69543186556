use anchor_lang::prelude::*;

use crate::errors::{math, StakingError};
use crate::events::UnstakeCancelled;
use crate::state::{Config, HourLedger, Node, NodeState, StakePosition, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct CancelUnstake<'info> {
    pub staker: Signer<'info>,
    /// Read only: weights change through the ledger.
    #[account(address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut, constraint = node.state != NodeState::Terminated @ StakingError::NodeNotActive)]
    pub node: Box<Account<'info, Node>>,
    #[account(mut, has_one = node, has_one = staker @ StakingError::Unauthorized)]
    pub position: Box<Account<'info, StakePosition>>,
}

/// Puts everything in cooldown back to active stake (restake); it earns again at once.
pub fn handler(ctx: Context<CancelUnstake>) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    let now = Clock::get()?.unix_timestamp;
    let config = &ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    let position = &mut ctx.accounts.position;
    let shares = position.cooldown_shares;
    require_gt!(shares, 0, StakingError::NothingToClaim);
    node.settle(&ledger)?;
    position.settle(node)?;
    position.cooldown_shares = 0;
    position.set_cooldowns(&Default::default());
    position.shares = position
        .shares
        .checked_add(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.cooldown_shares = node
        .cooldown_shares
        .checked_sub(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.active_shares = node
        .active_shares
        .checked_add(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    let node_active = node.active_stake()?;
    require_gte!(node.max_stake, node_active, StakingError::AboveMaxStake);
    node.refresh_weight(config, &mut ledger, now)?;
    emit_cpi!(UnstakeCancelled {
        node: node.key(),
        staker: position.staker,
        amount: math(ngpu_math::staking::shares_to_amount(
            shares,
            node.stake_index
        ))?,
        node_active,
        weight: node.weight,
        total_weight: u128::from(ledger.total_weight()),
        position_active: math(ngpu_math::staking::shares_to_amount(
            position.shares,
            node.stake_index
        ))?,
        node_staked: node.staked()?,
    });
    Ok(())
}
