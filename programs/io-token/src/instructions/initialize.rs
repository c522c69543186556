use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_spl::token::{self, InitializeMint2, Mint, Token};

use crate::constants::{ACCOUNT_VERSION, IO_DECIMALS, MAX_HOURS_PER_CALL};
use crate::errors::IoTokenError;
use crate::events::Initialized;
use crate::state::{Config, IO_MINT_SEED, MINT_AUTHORITY_SEED};
use ngpu_onchain::{create_pda_account, write_account};

#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    /// The program's upgrade authority; becomes the config authority and pays rent.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// CHECK: created here by `create_pda_account` (pre-funding safe); seeds bind the address.
    #[account(mut, seeds = [Config::SEED], bump)]
    pub config: UncheckedAccount<'info>,
    /// CHECK: created and initialised as an SPL mint here; seeds bind the address.
    #[account(mut, seeds = [IO_MINT_SEED], bump)]
    pub io_mint: UncheckedAccount<'info>,
    /// CHECK: signer-only PDA with no data, the mint's only mint authority.
    #[account(seeds = [MINT_AUTHORITY_SEED], bump)]
    pub mint_authority: UncheckedAccount<'info>,
    /// This program's ProgramData: whoever may upgrade the program may initialise it, nobody else.
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = program_data.upgrade_authority_address == Some(authority.key())
            @ IoTokenError::Unauthorized,
    )]
    pub program_data: Account<'info, ProgramData>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<Initialize>) -> Result<()> {
    let accounts = &ctx.accounts;
    let bumps = &ctx.bumps;
    // A config that exists belongs to this program; a pre-funded address is still the system's.
    require_keys_eq!(
        *accounts.config.owner,
        System::id(),
        IoTokenError::AlreadyInitialized
    );

    create_pda_account(
        &accounts.authority.to_account_info(),
        &accounts.config.to_account_info(),
        &accounts.system_program.to_account_info(),
        &crate::ID,
        Config::SPACE,
        &[Config::SEED, &[bumps.config]],
    )?;
    create_pda_account(
        &accounts.authority.to_account_info(),
        &accounts.io_mint.to_account_info(),
        &accounts.system_program.to_account_info(),
        &token::ID,
        Mint::LEN,
        &[IO_MINT_SEED, &[bumps.io_mint]],
    )?;
    token::initialize_mint2(
        CpiContext::new(
            token::ID,
            InitializeMint2 {
                mint: accounts.io_mint.to_account_info(),
            },
        ),
        IO_DECIMALS,
        &accounts.mint_authority.key(),
        None,
    )?;

    let config = Config {
        version: ACCOUNT_VERSION,
        bump: bumps.config,
        mint_authority_bump: bumps.mint_authority,
        io_mint_bump: bumps.io_mint,
        paused: false,
        max_hours_per_call: MAX_HOURS_PER_CALL,
        authority: accounts.authority.key(),
        pending_authority: Pubkey::default(),
        emission_controller: Pubkey::default(),
        emission_destination: Pubkey::default(),
        io_mint: accounts.io_mint.key(),
        genesis_ts: 0,
        genesis_minted: 0,
        emission_minted: 0,
        emission_forfeited: 0,
        next_hour: 0,
        emission_controller_locked: false,
        _reserved: [0; 127],
    };
    config.validate()?;
    write_account(&accounts.config.to_account_info(), &config)?;

    emit_cpi!(Initialized {
        authority: config.authority,
        io_mint: config.io_mint,
        mint_authority: accounts.mint_authority.key(),
        totals: config.totals(),
    });
    Ok(())
}
