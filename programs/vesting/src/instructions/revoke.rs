use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::errors::VestingError;
use crate::events::ScheduleRevoked;
use crate::state::{Config, Pool, VestingSchedule};

/// Takes no account the beneficiary controls (RELIABILITY.md, "NGPU vesting, found
/// 2026-11-30"): whatever the beneficiary does first (hand the schedule on, close its token
/// accounts), the revocation goes through. What has unlocked stays in the schedule vault for
/// `claim`.
#[event_cpi]
#[derive(Accounts)]
pub struct Revoke<'info> {
    pub authority: Signer<'info>,
    #[account(
        seeds = [Config::SEED],
        bump = config.bump,
        has_one = authority @ VestingError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    #[account(
        mut,
        has_one = pool,
        constraint = schedule.revocable @ VestingError::NotRevocable,
        constraint = !schedule.revoked @ VestingError::AlreadyRevoked,
    )]
    pub schedule: Box<Account<'info, VestingSchedule>>,
    #[account(mut)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, address = schedule.vault)]
    pub schedule_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, address = pool.vault)]
    pub pool_vault: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<Revoke>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let schedule = &ctx.accounts.schedule;
    let unlocked = schedule.unlocked(now)?;
    let returned = schedule
        .total
        .checked_sub(unlocked)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;

    // Freeze: from now on `unlocked()` is `total - returned`, whatever the clock says.
    let schedule = &mut ctx.accounts.schedule;
    schedule.returned = returned;
    schedule.revoked = true;
    schedule.revoked_ts = now;
    let claimable = schedule.claimable(now)?;
    let pool = &mut ctx.accounts.pool;
    pool.allocated = pool
        .allocated
        .checked_sub(returned)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    pool.returned = pool
        .returned
        .checked_add(returned)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    pool.validate()?;

    let accounts = &ctx.accounts;
    let schedule = &accounts.schedule;
    if returned > 0 {
        schedule.transfer_out(
            schedule.to_account_info(),
            accounts.schedule_vault.to_account_info(),
            accounts.pool_vault.to_account_info(),
            returned,
        )?;
    }
    emit_cpi!(ScheduleRevoked {
        schedule: schedule.key(),
        beneficiary: schedule.beneficiary,
        claimable,
        returned,
        revoked_ts: now,
        schedule_totals: schedule.totals()?,
        totals: accounts.pool.totals(),
    });
    Ok(())
}
