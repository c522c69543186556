use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::errors::VestingError;
use crate::events::ScheduleClosed;
use crate::state::{Pool, VestingSchedule};

/// Anyone may close a settled schedule: the rent goes only to the stored `rent_payer` and a
/// vault surplus only to the pool, so the caller gains nothing and a keeper can tidy up.
#[event_cpi]
#[derive(Accounts)]
pub struct CloseSchedule<'info> {
    #[account(mut, has_one = pool, close = rent_payer)]
    pub schedule: Box<Account<'info, VestingSchedule>>,
    #[account(mut)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, address = schedule.vault)]
    pub schedule_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, address = pool.vault)]
    pub pool_vault: Box<Account<'info, TokenAccount>>,
    /// CHECK: receives lamports only; pinned to the key that paid the rent at creation (the
    /// authority of the day, possibly a multisig vault, so any owner is accepted).
    #[account(mut, address = schedule.rent_payer @ VestingError::WrongRentPayer)]
    pub rent_payer: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<CloseSchedule>) -> Result<()> {
    let accounts = &ctx.accounts;
    let schedule = &accounts.schedule;
    // Fully claimed, or revoked with everything that had unlocked claimed.
    require_eq!(schedule.outstanding()?, 0, VestingError::ScheduleNotSettled);
    // The ledger is 0, so whatever the vault holds is a donation: it goes to the pool (and
    // cannot block the close, which SPL Token refuses on a non-empty account).
    let swept = accounts.schedule_vault.amount;
    if swept > 0 {
        schedule.transfer_out(
            schedule.to_account_info(),
            accounts.schedule_vault.to_account_info(),
            accounts.pool_vault.to_account_info(),
            swept,
        )?;
    }
    let lamports = accounts
        .schedule_vault
        .to_account_info()
        .lamports()
        .checked_add(schedule.to_account_info().lamports())
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    schedule.close_vault(
        schedule.to_account_info(),
        accounts.schedule_vault.to_account_info(),
        accounts.rent_payer.to_account_info(),
    )?;

    let pool = &mut ctx.accounts.pool;
    pool.add_swept(swept)?;
    pool.schedules_closed = pool
        .schedules_closed
        .checked_add(1)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    pool.validate()?;
    // The schedule account itself is closed to `rent_payer` by Anchor on exit.
    let accounts = &ctx.accounts;
    let schedule = &accounts.schedule;
    emit_cpi!(ScheduleClosed {
        pool: accounts.pool.key(),
        schedule: schedule.key(),
        schedule_id: schedule.schedule_id,
        rent_payer: schedule.rent_payer,
        lamports,
        swept,
        schedule_totals: schedule.totals()?,
        totals: accounts.pool.totals(),
    });
    Ok(())
}
