use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::constants::IO_MINT;
use crate::errors::{add_to, sub_from, StakingError};
use crate::events::SlashFinalized;
use crate::state::{Config, HourLedger, Node, SlashRecord, SlashStatus, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct FinalizeSlash<'info> {
    #[account(address = CONFIG_ADDRESS, has_one = escrow_vault)]
    pub config: Box<Account<'info, Config>>,
    /// The ledger pinned in the config: its escrow and burn totals.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
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
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    let mut totals = ledger.state();
    sub_from(&mut totals.escrow_held, burned)?;
    add_to(&mut totals.stake_burned, slash.stake_amount)?;
    add_to(&mut totals.rewards_burned, rewards)?;
    ledger.set_state(&totals);
    let accounts = &ctx.accounts;
    Config::burn_from(
        accounts.config.to_account_info(),
        accounts.escrow_vault.to_account_info(),
        accounts.io_mint.to_account_info(),
        burned,
    )?;
    emit_cpi!(SlashFinalized {
        node: accounts.slash.node,
        slash: accounts.slash.key(),
        burned,
        escrow_held: totals.escrow_held,
        stake_burned: totals.stake_burned,
        rewards_burned: totals.rewards_burned,
        pending_slashes: accounts.node.pending_slashes,
    });
    Ok(())
}
