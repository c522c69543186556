use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::HistoryInitialized;
use crate::state::{Config, RewardHistory, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct InitHistory<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = authority @ StakingError::Unauthorized,
        constraint = config.history == Pubkey::default() @ StakingError::AlreadyInitialized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// Created by the deployer in the same transaction (system `create_account` of
    /// `RewardHistory::SPACE` bytes owned by this program, at a fresh keypair): too large for a
    /// PDA created by CPI. `zero` requires it to be ours and still blank.
    #[account(zero)]
    pub history: AccountLoader<'info, RewardHistory>,
}

/// Pins the reward history ring (authority, once, before the first crank).
pub fn handler(ctx: Context<InitHistory>) -> Result<()> {
    // Exactly the ring's size: the crank reads it as such (a larger account would brick it).
    require_eq!(
        ctx.accounts.history.as_ref().data_len(),
        RewardHistory::SPACE,
        StakingError::InvalidParameter
    );
    ctx.accounts.history.load_init()?;
    let config = &mut ctx.accounts.config;
    config.history = ctx.accounts.history.key();
    emit_cpi!(HistoryInitialized {
        history: config.history,
    });
    Ok(())
}
