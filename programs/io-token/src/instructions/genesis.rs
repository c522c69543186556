use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, MintTo, Token, TokenAccount};

use crate::constants::{GENESIS_ALLOCATIONS, GENESIS_SUPPLY};
use crate::errors::IoTokenError;
use crate::events::GenesisMinted;
use crate::state::{Config, CONFIG_ADDRESS, MINT_AUTHORITY_ADDRESS};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct GenesisArgs {
    /// Base units for each allocation account, in account order; must sum to 500M IO.
    pub amounts: [u64; GENESIS_ALLOCATIONS],
}

#[event_cpi]
#[derive(Accounts)]
pub struct Genesis<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ IoTokenError::Unauthorized,
        has_one = io_mint,
    )]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub io_mint: Box<Account<'info, Mint>>,
    /// CHECK: signer-only PDA with no data; its address is pinned.
    #[account(address = MINT_AUTHORITY_ADDRESS)]
    pub mint_authority: UncheckedAccount<'info>,
    #[account(mut, token::mint = io_mint)]
    pub community: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub seed_investors: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub series_a_investors: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub contributors: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub ecosystem: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<Genesis>, args: GenesisArgs) -> Result<()> {
    let config = &ctx.accounts.config;
    require!(!config.paused, IoTokenError::Paused);
    require!(!config.genesis_done(), IoTokenError::GenesisAlreadyDone);
    let total = args
        .amounts
        .iter()
        .try_fold(0u64, |sum, a| sum.checked_add(*a))
        .ok_or_else(|| error!(IoTokenError::GenesisAmountMismatch))?;
    require_eq!(total, GENESIS_SUPPLY, IoTokenError::GenesisAmountMismatch);

    let now = Clock::get()?.unix_timestamp;
    let config = &mut ctx.accounts.config;
    config.genesis_minted = total;
    config.genesis_ts = now;
    config.validate()?;

    let accounts = &ctx.accounts;
    let destinations = [
        &accounts.community,
        &accounts.seed_investors,
        &accounts.series_a_investors,
        &accounts.contributors,
        &accounts.ecosystem,
    ];
    let seeds = accounts.config.mint_authority_seeds();
    for (destination, amount) in destinations.iter().zip(args.amounts) {
        if amount == 0 {
            continue;
        }
        token::mint_to(
            CpiContext::new_with_signer(
                token::ID,
                MintTo {
                    mint: accounts.io_mint.to_account_info(),
                    to: destination.to_account_info(),
                    authority: accounts.mint_authority.to_account_info(),
                },
                &[&seeds],
            ),
            amount,
        )?;
    }

    emit_cpi!(GenesisMinted {
        destinations: destinations.map(|d| d.key()),
        amounts: args.amounts,
        genesis_ts: now,
        totals: accounts.config.totals(),
    });
    Ok(())
}
