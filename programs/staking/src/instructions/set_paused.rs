use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::{Paused, Unpaused};
use crate::state::Config;
use crate::state::CONFIG_ADDRESS;

#[event_cpi]
#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ StakingError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
}

pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.paused = paused;
    let authority = config.authority;
    if paused {
        emit_cpi!(Paused { authority });
    } else {
        emit_cpi!(Unpaused { authority });
    }
    Ok(())
}
