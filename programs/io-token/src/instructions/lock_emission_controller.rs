use anchor_lang::prelude::*;

use crate::errors::IoTokenError;
use crate::events::EmissionControllerLocked;
use crate::state::{Config, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct LockEmissionController<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ IoTokenError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
}

/// Irreversible: once locked, only the current controller (the staking program's emission PDA
/// in production) can ever sign `mint_emission`, into the current destination.
pub fn handler(ctx: Context<LockEmissionController>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    require!(
        !config.emission_controller_locked,
        IoTokenError::EmissionControllerLocked
    );
    require_keys_neq!(
        config.emission_controller,
        Pubkey::default(),
        IoTokenError::NoEmissionController
    );
    config.emission_controller_locked = true;
    config.validate()?;
    let event = EmissionControllerLocked {
        authority: config.authority,
        controller: config.emission_controller,
        destination: config.emission_destination,
        totals: config.totals(),
    };
    emit_cpi!(event);
    Ok(())
}
