use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::constants::IO_MINT;
use crate::errors::{add_to, sub_from, StakingError};
use crate::events::SlashFinalized;
use crate::state::{Config, Node, SlashRecord, SlashStatus, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct FinalizeSlash<'info> {
    #[account(mut, address = CONFIG_ADDRESS, has_one = escrow_vault)]
    pub config: Box<Account<'info, Config>>,
    #[account(
        mut,
        has_one = node,
        constraint = slash.status == SlashStatus::Pending @ StakingError::SlashNotPending,
    )]
    pub slash: Box<Account<'info, SlashRecord>>,
    /// The slashed node: its pending count drops (new stake is accepted again once none is left).
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
    #[account(mut)]
    pub escrow_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, address = IO_MINT)]
    pub io_mint: Box<Account<'info, Mint>>,
    pub token_program: Program<'info, Token>,
}

/// Burns a slash's escrowed tokens once its appeal window has ended (anyone may call it).
pub fn handler(ctx: Context<FinalizeSlash>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let slash = &mut ctx.accounts.slash;
    require_gte!(now, slash.appeal_until, StakingError::AppealWindowOpen);
    slash.status = SlashStatus::Burned;
    let node = &mut ctx.accounts.node;
    node.pending_slashes = node.pending_slashes.saturating_sub(1);
    let burned = slash.total()?;
    let rewards = burned
        .checked_sub(slash.stake_amount)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    let config = &mut ctx.accounts.config;
    sub_from(&mut config.escrow_held, burned)?;
    add_to(&mut config.stake_burned, slash.stake_amount)?;
    add_to(&mut config.rewards_burned, rewards)?;
    let accounts = &ctx.accounts;
    accounts.config.burn_from(
        accounts.config.to_account_info(),
        accounts.escrow_vault.to_account_info(),
        accounts.io_mint.to_account_info(),
        burned,
    )?;
    emit_cpi!(SlashFinalized {
        node: accounts.slash.node,
        slash: accounts.slash.key(),
        burned,
        escrow_held: accounts.config.escrow_held,
        stake_burned: accounts.config.stake_burned,
        rewards_burned: accounts.config.rewards_burned,
        pending_slashes: accounts.node.pending_slashes,
    });
    Ok(())
}
