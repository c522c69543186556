use anchor_lang::prelude::*;
use anchor_spl::token::TokenAccount;

use crate::errors::VestingError;
use crate::events::PoolOpened;
use crate::state::{Config, Pool};

#[event_cpi]
#[derive(Accounts)]
pub struct OpenPool<'info> {
    pub authority: Signer<'info>,
    #[account(
        seeds = [Config::SEED],
        bump = config.bump,
        has_one = authority @ VestingError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, constraint = !pool.opened @ VestingError::PoolAlreadyOpen)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(address = pool.vault)]
    pub pool_vault: Box<Account<'info, TokenAccount>>,
    /// io-token's config: genesis time and proof that genesis happened.
    #[account(address = io_token::CONFIG_ADDRESS)]
    pub io_token_config: Box<Account<'info, io_token::Config>>,
}

pub fn handler(ctx: Context<OpenPool>) -> Result<()> {
    let io_config = &ctx.accounts.io_token_config;
    require!(io_config.genesis_minted > 0, VestingError::GenesisNotDone);
    let funded = ctx.accounts.pool_vault.amount;
    require_gt!(funded, 0, VestingError::PoolEmpty);

    let pool = &mut ctx.accounts.pool;
    pool.opened = true;
    pool.start_ts = io_config.genesis_ts;
    pool.total = funded;
    pool.validate()?;
    emit_cpi!(PoolOpened {
        pool: pool.key(),
        start_ts: pool.start_ts,
        totals: pool.totals(),
    });
    Ok(())
}
