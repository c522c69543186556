use anchor_lang::prelude::*;
use ngpu_math::staking::shares_to_amount;

use crate::errors::{math, StakingError};
use crate::events::PositionClosed;
use crate::state::{Node, StakePosition};

#[event_cpi]
#[derive(Accounts)]
pub struct ClosePosition<'info> {
    /// The position's staker: signs and receives the rent.
    #[account(mut)]
    pub staker: Signer<'info>,
    /// Counts its open positions (it cannot be deregistered while any is left).
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
    #[account(
        mut,
        close = staker,
        has_one = node,
        has_one = staker @ StakingError::Unauthorized,
    )]
    pub position: Box<Account<'info, StakePosition>>,
}

/// Closes a stake position that holds nothing: no active or cooling-down stake and no reward
/// worth a base unit. Its rent goes back to the staker.
pub fn handler(ctx: Context<ClosePosition>) -> Result<()> {
    let node = &mut ctx.accounts.node;
    let position = &ctx.accounts.position;
    // Shares of a node slashed to nothing are worth nothing for good once no appeal is left
    // that could give the stake back: they would otherwise keep the position open forever.
    let worthless = node.stake_index == 0 && node.pending_slashes == 0;
    let dropped_shares = if worthless {
        node.active_shares = node
            .active_shares
            .checked_sub(position.shares)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        node.cooldown_shares = node
            .cooldown_shares
            .checked_sub(position.cooldown_shares)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        position
            .shares
            .checked_add(position.cooldown_shares)
            .ok_or_else(|| error!(StakingError::MathOverflow))?
    } else {
        require!(
            position.shares == 0 && position.cooldown_shares == 0,
            StakingError::StakeRemaining
        );
        0
    };
    // A position without active shares earns nothing more (no settlement needed): its owed
    // units are final. Units worth less than a base unit (rounding) cannot be claimed and
    // leave the node's count with the position.
    // Units of an older reward epoch were written off by a slash: they are worth nothing and no
    // longer in the node's count.
    let owed_units = if position.reward_epoch == node.reward_epoch {
        position.owed_units
    } else {
        0
    };
    let owed = math(shares_to_amount(owed_units, node.reward_index))?;
    require!(owed == 0, StakingError::RewardsUnclaimed);
    node.staker_units = node.staker_units.saturating_sub(owed_units);
    node.open_positions = node
        .open_positions
        .checked_sub(1)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    emit_cpi!(PositionClosed {
        node: node.key(),
        staker: position.staker,
        position: position.key(),
        rent: position.to_account_info().lamports(),
        dropped_units: owed_units,
        dropped_shares,
        open_positions: node.open_positions,
        node_staker_units: node.staker_units,
    });
    Ok(())
}
