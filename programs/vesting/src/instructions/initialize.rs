use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use ngpu_onchain::{create_pda_account, write_account};

use crate::constants::ACCOUNT_VERSION;
use crate::errors::VestingError;
use crate::events::Initialized;
use crate::state::Config;

#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    /// The program's upgrade authority; becomes the config authority and pays rent.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// CHECK: created here by `create_pda_account` (pre-funding safe); seeds bind the address.
    #[account(mut, seeds = [Config::SEED], bump)]
    pub config: UncheckedAccount<'info>,
    /// This program's ProgramData: whoever may upgrade the program may initialise it.
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = program_data.upgrade_authority_address == Some(authority.key())
            @ VestingError::Unauthorized,
    )]
    pub program_data: Account<'info, ProgramData>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<Initialize>) -> Result<()> {
    let accounts = &ctx.accounts;
    require_keys_eq!(
        *accounts.config.owner,
        System::id(),
        VestingError::AlreadyInitialized
    );
    create_pda_account(
        &accounts.authority.to_account_info(),
        &accounts.config.to_account_info(),
        &accounts.system_program.to_account_info(),
        &crate::ID,
        Config::SPACE,
        &[Config::SEED, &[ctx.bumps.config]],
    )?;
    let config = Config {
        version: ACCOUNT_VERSION,
        bump: ctx.bumps.config,
        paused: false,
        authority: accounts.authority.key(),
        pending_authority: Pubkey::default(),
        pool_count: 0,
        _reserved: [0; 126],
    };
    write_account(&accounts.config.to_account_info(), &config)?;
    emit_cpi!(Initialized {
        authority: config.authority,
        config: config.state(),
    });
    Ok(())
}
