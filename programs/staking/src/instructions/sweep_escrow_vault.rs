use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::errors::StakingError;
use crate::events::VaultSwept;
use crate::state::{Config, HourLedger, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct SweepEscrowVault<'info> {
    #[account(
        address = CONFIG_ADDRESS,
        has_one = reward_vault,
        has_one = escrow_vault,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The ledger pinned in the config: what the escrow owes (pending slashes).
    #[account(address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut)]
    pub escrow_vault: Box<Account<'info, TokenAccount>>,
    /// The only destination: a sweep never pays its caller.
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Moves what the appeal escrow holds beyond its pending slashes (the ledger's `escrow_held`:
/// donations) to the reward vault (anyone may call it).
pub fn handler(ctx: Context<SweepEscrowVault>) -> Result<()> {
    let accounts = &ctx.accounts;
    let ledger = HourLedger::open(&accounts.ledger)?.state().escrow_held;
    let amount = accounts.escrow_vault.amount.saturating_sub(ledger);
    require_gt!(amount, 0, StakingError::NothingToSweep);
    Config::pay_from(
        accounts.config.to_account_info(),
        accounts.escrow_vault.to_account_info(),
        accounts.reward_vault.to_account_info(),
        amount,
    )?;
    emit_cpi!(VaultSwept {
        vault: accounts.escrow_vault.key(),
        ledger,
        amount,
        reward_vault_balance: accounts
            .reward_vault
            .amount
            .checked_add(amount)
            .ok_or_else(|| error!(StakingError::MathOverflow))?,
    });
    Ok(())
}
