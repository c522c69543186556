use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::errors::StakingError;
use crate::events::AppealUpheld;
use crate::state::{Config, HourLedger, Node, SlashRecord, SlashStatus, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct UpholdAppeal<'info> {
    pub authority: Signer<'info>,
    #[account(
        address = CONFIG_ADDRESS,
        has_one = authority @ StakingError::Unauthorized,
        has_one = reward_vault,
        has_one = escrow_vault,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(
        mut,
        has_one = node,
        constraint = slash.status == SlashStatus::Pending @ StakingError::SlashNotPending,
    )]
    pub slash: Box<Account<'info, SlashRecord>>,
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
    #[account(mut, address = node.vault)]
    pub node_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut)]
    pub escrow_vault: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Returns a pending slash (authority, until it is burned): the stake goes back into the node
/// vault, pro rata over the shares held now (positions that left since were paid out at the
/// slashed value); the rewards go back to the supplier's and the stakers' unclaimed rewards.
/// If nobody holds shares or reward units any more, that part goes to the supplier.
pub fn handler(ctx: Context<UpholdAppeal>) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    let now = Clock::get()?.unix_timestamp;
    let config = &ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    let slash = &mut ctx.accounts.slash;
    node.settle(&ledger)?;
    slash.status = SlashStatus::Returned;
    node.pending_slashes = node.pending_slashes.saturating_sub(1);
    ledger.sub_total(|s| &mut s.escrow_held, slash.total()?)?;

    let has_shares = node.active_shares > 0 || node.cooldown_shares > 0;
    let (stake_returned, stake_to_supplier) = if has_shares {
        node.return_stake(slash.stake_amount)?;
        (slash.stake_amount, 0)
    } else {
        (0, slash.stake_amount)
    };
    let mut supplier_reward_returned = slash
        .supplier_reward_amount
        .checked_add(stake_to_supplier)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    // The stakers' part comes back as a reward to the active stake (new stake was blocked while
    // the slash was pending). Only after a 100% slash, when their units are worth nothing and so
    // could not have been claimed, does the index give it back to those units.
    let staker_amount = slash.staker_reward_amount;
    // A slash that took everything the stakers had wrote their units off: what it returns goes
    // to the stakers active now, pro rata, like any reward (to the supplier if there are none).
    let staker_reward_returned = if node.credit_stakers(staker_amount)? {
        staker_amount
    } else {
        supplier_reward_returned = supplier_reward_returned
            .checked_add(slash.staker_reward_amount)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        0
    };
    // Like any credit to the supplier, it first repays an uptime debt.
    node.credit_supplier(supplier_reward_returned)?;
    node.refresh_weight(config, &mut ledger, now)?;

    let accounts = &ctx.accounts;
    let config = &accounts.config;
    Config::pay_from(
        config.to_account_info(),
        accounts.escrow_vault.to_account_info(),
        accounts.node_vault.to_account_info(),
        stake_returned,
    )?;
    Config::pay_from(
        config.to_account_info(),
        accounts.escrow_vault.to_account_info(),
        accounts.reward_vault.to_account_info(),
        supplier_reward_returned
            .checked_add(staker_reward_returned)
            .ok_or_else(|| error!(StakingError::MathOverflow))?,
    )?;
    emit_cpi!(AppealUpheld {
        node: accounts.node.key(),
        slash: accounts.slash.key(),
        stake_returned,
        supplier_reward_returned,
        staker_reward_returned,
        node_staked: accounts.node.staked()?,
        supplier_unclaimed: accounts.node.supplier_unclaimed,
        supplier_debt: accounts.node.supplier_debt,
        pending_slashes: accounts.node.pending_slashes,
        total_weight: u128::from(ledger.total_weight()),
        escrow_held: ledger.state().escrow_held,
    });
    Ok(())
}
