use anchor_lang::prelude::*;

use crate::errors::ReservationsError;
use crate::events::AuthorityProposed;
use crate::state::{Config, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct ProposeAuthority<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ ReservationsError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
}

pub fn handler(ctx: Context<ProposeAuthority>, new_authority: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.pending_authority = new_authority;
    emit_cpi!(AuthorityProposed {
        authority: config.authority,
        proposed: new_authority,
        config: config.state(),
    });
    Ok(())
}
