use anchor_lang::prelude::*;

use crate::errors::IoTokenError;
use crate::events::{Paused, Unpaused};
use crate::state::{Config, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ IoTokenError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
}

pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.paused = paused;
    config.validate()?;
    let authority = config.authority;
    let totals = config.totals();
    if paused {
        emit_cpi!(Paused { authority, totals });
    } else {
        emit_cpi!(Unpaused { authority, totals });
    }
    Ok(())
}
