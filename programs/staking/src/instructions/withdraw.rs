use anchor_lang::prelude::*;
use anchor_spl::token::{self, Token, TokenAccount, Transfer};
use ngpu_math::staking::shares_to_amount;

use crate::constants::IO_MINT;
use crate::errors::{math, StakingError};
use crate::events::Withdrawn;
use crate::state::{Node, StakePosition};

#[event_cpi]
#[derive(Accounts)]
pub struct Withdraw<'info> {
    pub staker: Signer<'info>,
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
    #[account(mut, address = node.vault)]
    pub node_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, has_one = node, has_one = staker @ StakingError::Unauthorized)]
    pub position: Box<Account<'info, StakePosition>>,
    #[account(mut, constraint = destination.mint == IO_MINT @ StakingError::InvalidTokenAccount)]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<Withdraw>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let node = &mut ctx.accounts.node;
    let position = &mut ctx.accounts.position;
    require!(position.cooldown_shares > 0, StakingError::NothingToClaim);
    // Every request whose own cooldown has ended; later ones keep cooling down.
    let mut cooldowns = position.cooldowns();
    let shares = cooldowns.take_ended(now).min(position.cooldown_shares);
    require_gt!(shares, 0, StakingError::CooldownNotEnded);
    position.set_cooldowns(&cooldowns);
    let amount = math(shares_to_amount(shares, node.stake_index))?;
    position.cooldown_shares = position
        .cooldown_shares
        .checked_sub(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.cooldown_shares = node
        .cooldown_shares
        .checked_sub(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;

    let node = &ctx.accounts.node;
    node.with_signer_seeds(|seeds| {
        token::transfer(
            CpiContext::new_with_signer(
                token::ID,
                Transfer {
                    from: ctx.accounts.node_vault.to_account_info(),
                    to: ctx.accounts.destination.to_account_info(),
                    authority: node.to_account_info(),
                },
                &[seeds],
            ),
            amount,
        )
    })?;
    emit_cpi!(Withdrawn {
        node: node.key(),
        staker: ctx.accounts.position.staker,
        amount,
        vault_balance: ctx.accounts.node_vault.amount.saturating_sub(amount),
    });
    Ok(())
}
