use anchor_lang::prelude::*;

use crate::constants::MAX_HOURS_PER_CALL;
use crate::errors::IoTokenError;
use crate::events::ConfigUpdated;
use crate::state::{Config, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct SetMaxHoursPerCall<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ IoTokenError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
}

pub fn handler(ctx: Context<SetMaxHoursPerCall>, hours: u8) -> Result<()> {
    require!(
        (1..=MAX_HOURS_PER_CALL).contains(&hours),
        IoTokenError::InvalidParameter
    );
    let config = &mut ctx.accounts.config;
    config.max_hours_per_call = hours;
    config.validate()?;
    emit_cpi!(ConfigUpdated {
        max_hours_per_call: hours,
        totals: ctx.accounts.config.totals(),
    });
    Ok(())
}
