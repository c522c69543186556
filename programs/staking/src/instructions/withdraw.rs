use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use ngpu_math::staking::shares_to_amount;

use crate::constants::IO_MINT;
use crate::errors::{math, sub_from, StakingError};
use crate::events::Withdrawn;
use crate::state::{Config, HourLedger, Node, NodeState, StakePosition, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct Withdraw<'info> {
    pub staker: Signer<'info>,
    #[account(address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config: a supplier in debt settles its node first,
    /// and the debt its stake pays counts as burned rewards here.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
    #[account(mut, address = node.vault)]
    pub node_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, has_one = node, has_one = staker @ StakingError::Unauthorized)]
    pub position: Box<Account<'info, StakePosition>>,
    #[account(mut, constraint = destination.mint == IO_MINT @ StakingError::InvalidTokenAccount)]
    pub destination: Box<Account<'info, TokenAccount>>,
    /// The supplier's uptime debt is burned out of its withdrawal.
    #[account(mut, address = IO_MINT)]
    pub io_mint: Box<Account<'info, Mint>>,
    pub token_program: Program<'info, Token>,
}

/// Pays out the position's stake whose cooldown has ended. The supplier's own position first
/// pays the node's uptime debt (issue 8 item 4): a supplier that claims after every crank turns
/// each uptime cut into `supplier_debt`, and could otherwise terminate, withdraw its whole stake
/// and leave the debt unpaid. The debt is secured against the supplier's stake: its part of the
/// withdrawal is burned, like any repaid debt.
pub fn handler(ctx: Context<Withdraw>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let node = &mut ctx.accounts.node;
    let position = &mut ctx.accounts.position;
    require!(position.cooldown_shares > 0, StakingError::NothingToClaim);
    // Every request whose own cooldown has ended; later ones keep cooling down.
    let mut cooldowns = position.cooldowns();
    let shares = cooldowns.take_ended(now).min(position.cooldown_shares);
    require_gt!(shares, 0, StakingError::CooldownNotEnded);
    position.set_cooldowns(&cooldowns);
    let amount = math(shares_to_amount(shares, node.stake_index))?;
    position.cooldown_shares = position
        .cooldown_shares
        .checked_sub(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.cooldown_shares = node
        .cooldown_shares
        .checked_sub(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;

    let (mut debt_burned, mut debt_written_off) = (0u64, 0u64);
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    if position.staker == node.supplier && node.supplier_debt > 0 {
        // Rewards already cranked repay the debt first (as at any settlement), so the stake
        // only answers for what they do not cover.
        node.settle(&ledger)?;
        debt_burned = amount.min(node.supplier_debt);
        sub_from(&mut node.supplier_debt, debt_burned)?;
        // The stake did not cover the debt: once the supplier's position holds no stake at all
        // and the node is terminated (it earns nothing that could repay the rest), the rest is
        // written off, so that the node can still be deregistered. A running node keeps the
        // debt: its next rewards repay it, and the supplier cannot escape it by emptying its
        // own position while the node earns on other stake. (A terminated node that is resumed
        // afterwards starts debt-free; its supplier has paid with its whole stake.)
        if node.supplier_debt > 0
            && position.shares == 0
            && position.cooldown_shares == 0
            && node.state == NodeState::Terminated
        {
            debt_written_off = core::mem::take(&mut node.supplier_debt);
        }
        ledger.add_total(|s| &mut s.rewards_burned, debt_burned)?;
    }
    let paid = amount
        .checked_sub(debt_burned)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;

    let accounts = &ctx.accounts;
    let node = &accounts.node;
    node.burn_from_vault(
        node.to_account_info(),
        accounts.node_vault.to_account_info(),
        accounts.io_mint.to_account_info(),
        debt_burned,
    )?;
    node.pay_from_vault(
        node.to_account_info(),
        accounts.node_vault.to_account_info(),
        accounts.destination.to_account_info(),
        paid,
    )?;
    emit_cpi!(Withdrawn {
        node: node.key(),
        staker: accounts.position.staker,
        amount: paid,
        debt_burned,
        debt_written_off,
        supplier_debt: node.supplier_debt,
        rewards_burned: ledger.state().rewards_burned,
        vault_balance: accounts.node_vault.amount.saturating_sub(amount),
    });
    Ok(())
}
