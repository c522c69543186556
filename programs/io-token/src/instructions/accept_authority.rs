use anchor_lang::prelude::*;

use crate::errors::IoTokenError;
use crate::events::AuthorityTransferred;
use crate::state::{Config, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct AcceptAuthority<'info> {
    pub new_authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        constraint = config.pending_authority != Pubkey::default()
            @ IoTokenError::NotPendingAuthority,
        constraint = config.pending_authority == new_authority.key()
            @ IoTokenError::NotPendingAuthority,
    )]
    pub config: Box<Account<'info, Config>>,
}

pub fn handler(ctx: Context<AcceptAuthority>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let previous = config.authority;
    config.authority = config.pending_authority;
    config.pending_authority = Pubkey::default();
    config.validate()?;
    emit_cpi!(AuthorityTransferred {
        previous,
        authority: config.authority,
        totals: config.totals(),
    });
    Ok(())
}
