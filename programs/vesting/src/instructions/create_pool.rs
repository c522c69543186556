use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_onchain::{create_pda_account, create_pda_token_account, write_account};

use crate::constants::{ACCOUNT_VERSION, IO_MINT};
use crate::errors::VestingError;
use crate::events::PoolCreated;
use crate::state::{Config, Pool, PoolRule, VAULT_SEED};

#[event_cpi]
#[derive(Accounts)]
#[instruction(pool_id: u8)]
pub struct CreatePool<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [Config::SEED],
        bump = config.bump,
        has_one = authority @ VestingError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: created here (pre-funding safe); seeds bind the address.
    #[account(mut, seeds = [Pool::SEED, &[pool_id]], bump)]
    pub pool: UncheckedAccount<'info>,
    /// CHECK: created here as the pool's IO token account; seeds bind the address.
    #[account(mut, seeds = [VAULT_SEED, pool.key().as_ref(), IO_MINT.as_ref()], bump)]
    pub pool_vault: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned; the token program checks it is a mint.
    #[account(address = IO_MINT @ VestingError::InvalidMint)]
    pub io_mint: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<CreatePool>, pool_id: u8, rule: PoolRule) -> Result<()> {
    let accounts = &ctx.accounts;
    require_keys_eq!(
        *accounts.pool.owner,
        System::id(),
        VestingError::AlreadyInitialized
    );
    let payer = accounts.authority.to_account_info();
    let system = accounts.system_program.to_account_info();
    let (pool_bump, vault_bump) = (ctx.bumps.pool, ctx.bumps.pool_vault);
    create_pda_account(
        &payer,
        &accounts.pool.to_account_info(),
        &system,
        &crate::ID,
        Pool::SPACE,
        &[Pool::SEED, &[pool_id], &[pool_bump]],
    )?;
    let pool_key = accounts.pool.key();
    create_pda_token_account(
        &payer,
        &accounts.pool_vault.to_account_info(),
        &accounts.io_mint.to_account_info(),
        &pool_key,
        &system,
        &[
            VAULT_SEED,
            pool_key.as_ref(),
            IO_MINT.as_ref(),
            &[vault_bump],
        ],
    )?;

    let vesting = rule.vesting_rule();
    let pool = Pool {
        version: ACCOUNT_VERSION,
        bump: pool_bump,
        vault_bump,
        pool_id,
        cliff_months: vesting.cliff_months,
        parts: vesting.parts,
        revocable_allowed: rule.revocable_allowed(),
        opened: false,
        vault: accounts.pool_vault.key(),
        start_ts: 0,
        total: 0,
        allocated: 0,
        claimed: 0,
        schedule_count: 0,
        returned: 0,
        swept: 0,
        schedules_closed: 0,
        _reserved: [0; 40],
    };
    write_account(&accounts.pool.to_account_info(), &pool)?;
    let config = &mut ctx.accounts.config;
    config.pool_count = config
        .pool_count
        .checked_add(1)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    emit_cpi!(PoolCreated {
        pool: pool_key,
        pool_id,
        vault: pool.vault,
        cliff_months: pool.cliff_months,
        parts: pool.parts,
        revocable_allowed: pool.revocable_allowed,
        pool_count: config.pool_count,
        totals: pool.totals(),
    });
    Ok(())
}
