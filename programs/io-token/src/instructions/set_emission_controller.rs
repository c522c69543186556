use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, TokenAccount};

use crate::errors::IoTokenError;
use crate::events::EmissionControllerSet;
use crate::state::{Config, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct SetEmissionController<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ IoTokenError::Unauthorized,
        has_one = io_mint,
    )]
    pub config: Box<Account<'info, Config>>,
    pub io_mint: Box<Account<'info, Mint>>,
    /// Where emissions will be minted: any IO token account.
    #[account(token::mint = io_mint)]
    pub emission_destination: Box<Account<'info, TokenAccount>>,
}

pub fn handler(ctx: Context<SetEmissionController>, controller: Pubkey) -> Result<()> {
    require!(
        !ctx.accounts.config.emission_controller_locked,
        IoTokenError::EmissionControllerLocked
    );
    require_keys_neq!(controller, Pubkey::default(), IoTokenError::InvalidKey);
    let destination = ctx.accounts.emission_destination.key();
    let config = &mut ctx.accounts.config;
    config.emission_controller = controller;
    config.emission_destination = destination;
    config.validate()?;
    emit_cpi!(EmissionControllerSet {
        controller,
        destination,
        totals: ctx.accounts.config.totals(),
    });
    Ok(())
}
