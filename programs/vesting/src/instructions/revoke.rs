use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::constants::IO_MINT;
use crate::errors::VestingError;
use crate::events::ScheduleRevoked;
use crate::state::{Config, Pool, VestingSchedule};

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
    /// The beneficiary's IO token account, paid what has unlocked before the rest goes back.
    #[account(
        mut,
        constraint = destination.mint == IO_MINT @ VestingError::InvalidMint,
        constraint = destination.owner == schedule.beneficiary @ VestingError::WrongBeneficiaryAccount,
    )]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<Revoke>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let schedule = &ctx.accounts.schedule;
    let paid = schedule.claimable(now)?;
    let unlocked = schedule
        .claimed
        .checked_add(paid)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    let returned = schedule
        .total
        .checked_sub(unlocked)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;

    let schedule = &mut ctx.accounts.schedule;
    schedule.claimed = unlocked;
    schedule.returned = returned;
    schedule.revoked = true;
    let pool = &mut ctx.accounts.pool;
    pool.claimed = pool
        .claimed
        .checked_add(paid)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    pool.allocated = pool
        .allocated
        .checked_sub(returned)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    pool.validate()?;

    let accounts = &ctx.accounts;
    let schedule = &accounts.schedule;
    for (to, amount) in [
        (accounts.destination.to_account_info(), paid),
        (accounts.pool_vault.to_account_info(), returned),
    ] {
        if amount == 0 {
            continue;
        }
        schedule.transfer_out(
            schedule.to_account_info(),
            accounts.schedule_vault.to_account_info(),
            to,
            amount,
        )?;
    }
    emit_cpi!(ScheduleRevoked {
        schedule: schedule.key(),
        beneficiary: schedule.beneficiary,
        paid,
        returned,
        totals: accounts.pool.totals(),
    });
    Ok(())
}
