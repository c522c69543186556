use anchor_lang::prelude::*;

use crate::errors::VestingError;
use crate::events::{Paused, Unpaused};
use crate::state::Config;

#[event_cpi]
#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [Config::SEED],
        bump = config.bump,
        has_one = authority @ VestingError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
}

pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.paused = paused;
    let (authority, state) = (config.authority, config.state());
    if paused {
        emit_cpi!(Paused {
            authority,
            config: state,
        });
    } else {
        emit_cpi!(Unpaused {
            authority,
            config: state,
        });
    }
    Ok(())
}
