use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::constants::IO_MINT;
use crate::errors::VestingError;
use crate::events::Claimed;
use crate::state::{Pool, VestingSchedule};

#[event_cpi]
#[derive(Accounts)]
pub struct Claim<'info> {
    #[account(mut, has_one = pool)]
    pub schedule: Box<Account<'info, VestingSchedule>>,
    #[account(mut)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, address = schedule.vault)]
    pub schedule_vault: Box<Account<'info, TokenAccount>>,
    /// The beneficiary's IO token account; the signer can be anyone (a keeper may push claims).
    #[account(
        mut,
        constraint = destination.mint == IO_MINT @ VestingError::InvalidMint,
        constraint = destination.owner == schedule.beneficiary @ VestingError::WrongBeneficiaryAccount,
    )]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<Claim>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let amount = ctx.accounts.schedule.claimable(now)?;
    if amount == 0 {
        // Nothing unlocked since the last claim: succeed without a transfer so keepers can push
        // claims blindly; no state changed, so no event.
        return Ok(());
    }
    let schedule = &mut ctx.accounts.schedule;
    schedule.claimed = schedule
        .claimed
        .checked_add(amount)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    let pool = &mut ctx.accounts.pool;
    pool.claimed = pool
        .claimed
        .checked_add(amount)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    pool.validate()?;

    let accounts = &ctx.accounts;
    let schedule = &accounts.schedule;
    schedule.transfer_out(
        schedule.to_account_info(),
        accounts.schedule_vault.to_account_info(),
        accounts.destination.to_account_info(),
        amount,
    )?;
    emit_cpi!(Claimed {
        schedule: schedule.key(),
        beneficiary: schedule.beneficiary,
        destination: accounts.destination.key(),
        amount,
        schedule_totals: schedule.totals()?,
        totals: accounts.pool.totals(),
    });
    Ok(())
}
