use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::errors::VestingError;
use crate::events::Swept;
use crate::state::{Pool, VestingSchedule};

/// Anyone may sweep: the surplus only ever goes to the pool (where the authority can grant it),
/// never to the caller.
#[event_cpi]
#[derive(Accounts)]
pub struct Sweep<'info> {
    #[account(mut, constraint = pool.opened @ VestingError::PoolNotOpen)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, address = pool.vault)]
    pub pool_vault: Box<Account<'info, TokenAccount>>,
    /// A schedule of this pool whose vault surplus moves to the pool too (optional).
    #[account(has_one = pool)]
    pub schedule: Option<Box<Account<'info, VestingSchedule>>>,
    /// That schedule's vault (given exactly when `schedule` is).
    #[account(mut)]
    pub schedule_vault: Option<Box<Account<'info, TokenAccount>>>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<Sweep>) -> Result<()> {
    let accounts = &ctx.accounts;
    let (schedule_key, from_schedule) = match (&accounts.schedule, &accounts.schedule_vault) {
        (Some(schedule), Some(vault)) => {
            require_keys_eq!(vault.key(), schedule.vault, VestingError::WrongVault);
            let surplus = vault
                .amount
                .checked_sub(schedule.outstanding()?)
                .ok_or_else(|| error!(VestingError::MathOverflow))?;
            if surplus > 0 {
                schedule.transfer_out(
                    schedule.to_account_info(),
                    vault.to_account_info(),
                    accounts.pool_vault.to_account_info(),
                    surplus,
                )?;
            }
            (Some(schedule.key()), surplus)
        }
        (None, None) => (None, 0),
        _ => return err!(VestingError::WrongVault),
    };

    let pool_vault = &mut ctx.accounts.pool_vault;
    pool_vault.reload()?;
    let amount = pool_vault
        .amount
        .checked_sub(ctx.accounts.pool.unallocated()?)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    require_gt!(amount, 0, VestingError::NothingToSweep);
    let pool = &mut ctx.accounts.pool;
    pool.add_swept(amount)?;
    pool.validate()?;
    emit_cpi!(Swept {
        pool: pool.key(),
        schedule: schedule_key,
        from_schedule,
        amount,
        totals: pool.totals(),
    });
    Ok(())
}
