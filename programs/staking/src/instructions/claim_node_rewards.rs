use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::constants::IO_MINT;
use crate::errors::{add_to, StakingError};
use crate::events::RewardsClaimed;
use crate::state::{Config, HourLedger, Node, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimNodeRewards<'info> {
    pub supplier: Signer<'info>,
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut, has_one = supplier @ StakingError::Unauthorized)]
    pub node: Box<Account<'info, Node>>,
    /// CHECK: the reward vault pinned in the config; the Transfer's source (SPL Token checks it).
    #[account(mut, address = config.reward_vault)]
    pub reward_vault: UncheckedAccount<'info>,
    #[account(mut, constraint = destination.mint == IO_MINT @ StakingError::InvalidTokenAccount)]
    pub destination: Box<Account<'info, TokenAccount>>,
    /// Repaid uptime debt is burned here.
    #[account(mut, address = IO_MINT)]
    pub io_mint: Box<Account<'info, Mint>>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<ClaimNodeRewards>) -> Result<()> {
    let ledger = HourLedger::open(&ctx.accounts.ledger)?;
    let node = &mut ctx.accounts.node;
    node.settle(&ledger)?;
    let amount = node.supplier_unclaimed;
    let burned = node.burn_pending;
    require!(amount > 0 || burned > 0, StakingError::NothingToClaim);
    node.supplier_unclaimed = 0;
    node.burn_pending = 0;
    add_to(&mut ctx.accounts.config.rewards_burned, burned)?;
    let accounts = &ctx.accounts;
    accounts.config.burn_from(
        accounts.config.to_account_info(),
        accounts.reward_vault.to_account_info(),
        accounts.io_mint.to_account_info(),
        burned,
    )?;
    accounts.config.pay_from(
        accounts.config.to_account_info(),
        accounts.reward_vault.to_account_info(),
        accounts.destination.to_account_info(),
        amount,
    )?;
    emit_cpi!(RewardsClaimed {
        node: accounts.node.key(),
        claimant: accounts.supplier.key(),
        destination: accounts.destination.key(),
        amount,
        supplier: true,
        burned,
        rewards_burned: accounts.config.rewards_burned,
        supplier_unclaimed: accounts.node.supplier_unclaimed,
        supplier_debt: accounts.node.supplier_debt,
        stakers_unclaimed: accounts.node.stakers_unclaimed()?,
        total_rewarded: accounts.node.total_rewarded,
        rewards_minted: ledger.crank_state().rewards_minted,
    });
    Ok(())
}
