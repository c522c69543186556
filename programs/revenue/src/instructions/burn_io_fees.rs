use anchor_lang::prelude::*;
use anchor_spl::token::Token;

use crate::constants::IO_MINT;
use crate::errors::RevenueError;
use crate::events::IoFeesBurned;
use crate::state::{Config, DayRecord, CONFIG_ADDRESS, IO_VAULT_ADDRESS};
use crate::token_account;

#[event_cpi]
#[derive(Accounts)]
pub struct BurnIoFees<'info> {
    /// Anyone; pays the rent of the day record if this is the day's first burn or fill.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// CHECK: the pinned config, read and written back by the handler (`Config::load` / `save`).
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: UncheckedAccount<'info>,
    /// CHECK: the pinned IO fee vault; its balance is read in place.
    #[account(mut, address = IO_VAULT_ADDRESS)]
    pub io_vault: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned; the token program's burn checks it.
    #[account(mut, address = IO_MINT @ RevenueError::InvalidTokenAccount)]
    pub io_mint: UncheckedAccount<'info>,
    /// CHECK: today's record `[b"burns", config, day]`, created if missing; checked by
    /// `DayRecord::open`.
    #[account(mut)]
    pub day_record: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Burns the whole IO fee vault. An empty vault is refused (`NothingToBurn`) rather than
/// recorded as a burn of 0: a keeper treats it as "done for now", and no day record is created
/// for nothing.
pub fn handler(ctx: Context<BurnIoFees>) -> Result<()> {
    let accounts = &ctx.accounts;
    let config_info = accounts.config.to_account_info();
    let mut config = Config::load(&config_info)?;
    let amount = token_account::read(&accounts.io_vault)?.amount;
    require_gt!(amount, 0, RevenueError::NothingToBurn);
    let now = Clock::get()?.unix_timestamp;
    let day = ngpu_math::revenue::utc_day(now).map_err(RevenueError::from)?;
    let day_info = accounts.day_record.to_account_info();
    let (mut record, created) = DayRecord::open(
        &day_info,
        &accounts.payer.to_account_info(),
        &accounts.system_program.to_account_info(),
        day,
    )?;
    config.burn_from(
        config_info.clone(),
        accounts.io_vault.to_account_info(),
        accounts.io_mint.to_account_info(),
        amount,
    )?;
    record.totals.add_fee_burn(amount)?;
    record.save(&day_info)?;
    config.totals.add_fee_burn(amount)?;
    if created {
        config.note_new_day(day)?;
    }
    config.save(&config_info)?;
    emit_cpi!(IoFeesBurned {
        payer: accounts.payer.key(),
        day,
        amount,
        day_record: day_info.key(),
        day_record_created: created,
        day_totals: record.totals,
        totals: config.totals,
        day_records: config.day_records,
    });
    Ok(())
}
