use anchor_lang::prelude::*;

use crate::errors::ReservationsError;
use crate::events::{Paused, Unpaused};
use crate::state::{Config, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ ReservationsError::Unauthorized,
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
