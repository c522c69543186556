use anchor_lang::prelude::*;
use anchor_spl::token::{self, CloseAccount, Token, TokenAccount};

use crate::errors::StakingError;
use crate::events::NodeDeregistered;
use crate::state::{Config, HourLedger, Node, NodeState, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct DeregisterNode<'info> {
    /// The node's supplier, which paid its rent in `register_node`: signs and receives it back.
    #[account(mut)]
    pub supplier: Signer<'info>,
    #[account(mut, address = CONFIG_ADDRESS, has_one = reward_vault)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(
        mut,
        close = supplier,
        has_one = supplier @ StakingError::Unauthorized,
        constraint = node.state == NodeState::Terminated @ StakingError::InvalidNodeState,
    )]
    pub node: Box<Account<'info, Node>>,
    #[account(mut, address = node.vault)]
    pub node_vault: Box<Account<'info, TokenAccount>>,
    /// Receives whatever the vault still holds (donations, rounding dust): owed to nobody.
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Closes a terminated node that owes nothing and is owed nothing, with its stake vault; the
/// rent of both goes back to the supplier.
pub fn handler(ctx: Context<DeregisterNode>) -> Result<()> {
    let ledger = HourLedger::open(&ctx.accounts.ledger)?;
    let config = &mut ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    node.settle(&ledger)?;
    // Hours it served before its termination may still await the crank: they pay the node,
    // so it stays until they are cranked and claimed.
    let schedule = node.schedule();
    require!(
        schedule.weights.iter().all(|w| *w == 0),
        StakingError::CrankBehind
    );
    drop(ledger);
    require!(node.pending_slashes == 0, StakingError::SlashUndecided);
    require!(
        node.supplier_debt == 0,
        StakingError::SupplierDebtOutstanding
    );
    // `claim_node_rewards` pays the first and burns the second.
    require!(
        node.supplier_unclaimed == 0 && node.burn_pending == 0,
        StakingError::RewardsUnclaimed
    );
    // Each staker's claim lives on its position: none may be closed with the node. The stake
    // is then gone too (every share belongs to a position); checked all the same.
    require!(node.open_positions == 0, StakingError::PositionsOpen);
    require!(
        node.active_shares == 0 && node.cooldown_shares == 0,
        StakingError::StakeRemaining
    );
    // A terminated node has no weight; checked so that `total_weight` can never keep a
    // closed node's share.
    require!(node.weight == 0, StakingError::InvalidNodeState);
    config.node_count = config
        .node_count
        .checked_sub(1)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;

    let accounts = &ctx.accounts;
    let swept = accounts.node_vault.amount;
    let rent = accounts
        .node
        .to_account_info()
        .lamports()
        .checked_add(accounts.node_vault.to_account_info().lamports())
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    accounts.node.pay_from_vault(
        accounts.node.to_account_info(),
        accounts.node_vault.to_account_info(),
        accounts.reward_vault.to_account_info(),
        swept,
    )?;
    accounts.node.with_signer_seeds(|seeds| {
        token::close_account(CpiContext::new_with_signer(
            token::ID,
            CloseAccount {
                account: accounts.node_vault.to_account_info(),
                destination: accounts.supplier.to_account_info(),
                authority: accounts.node.to_account_info(),
            },
            &[seeds],
        ))
    })?;
    let reward_vault_balance = accounts
        .reward_vault
        .amount
        .checked_add(swept)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    emit_cpi!(NodeDeregistered {
        node: accounts.node.key(),
        supplier: accounts.supplier.key(),
        rent,
        swept,
        node_count: accounts.config.node_count,
        reward_vault_balance,
    });
    Ok(())
}
