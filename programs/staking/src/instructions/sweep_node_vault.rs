use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::errors::StakingError;
use crate::events::VaultSwept;
use crate::state::{Config, Node, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct SweepNodeVault<'info> {
    #[account(address = CONFIG_ADDRESS, has_one = reward_vault)]
    pub config: Box<Account<'info, Config>>,
    pub node: Box<Account<'info, Node>>,
    #[account(mut, address = node.vault)]
    pub node_vault: Box<Account<'info, TokenAccount>>,
    /// The only destination: a sweep never pays its caller.
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Moves what a node vault holds beyond the node's stake (donations, slash rounding dust) to
/// the reward vault (anyone may call it). The positions together can never withdraw more than
/// `Node::staked`, so the surplus is owed to nobody.
pub fn handler(ctx: Context<SweepNodeVault>) -> Result<()> {
    let accounts = &ctx.accounts;
    let ledger = accounts.node.staked()?;
    let amount = accounts.node_vault.amount.saturating_sub(ledger);
    require_gt!(amount, 0, StakingError::NothingToSweep);
    accounts.node.pay_from_vault(
        accounts.node.to_account_info(),
        accounts.node_vault.to_account_info(),
        accounts.reward_vault.to_account_info(),
        amount,
    )?;
    emit_cpi!(VaultSwept {
        vault: accounts.node_vault.key(),
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
