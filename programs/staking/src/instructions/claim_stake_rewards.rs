use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};
use ngpu_math::staking::shares_to_amount;

use crate::constants::IO_MINT;
use crate::errors::{math, StakingError};
use crate::events::RewardsClaimed;
use crate::state::{Config, HourLedger, Node, StakePosition, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimStakeRewards<'info> {
    pub staker: Signer<'info>,
    #[account(address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
    #[account(mut, has_one = node, has_one = staker @ StakingError::Unauthorized)]
    pub position: Box<Account<'info, StakePosition>>,
    /// CHECK: the reward vault pinned in the config; the Transfer's source (SPL Token checks it).
    #[account(mut, address = config.reward_vault)]
    pub reward_vault: UncheckedAccount<'info>,
    #[account(mut, constraint = destination.mint == IO_MINT @ StakingError::InvalidTokenAccount)]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<ClaimStakeRewards>) -> Result<()> {
    let ledger = HourLedger::open(&ctx.accounts.ledger)?;
    let node = &mut ctx.accounts.node;
    let position = &mut ctx.accounts.position;
    node.settle(&ledger)?;
    position.settle(node)?;
    let amount = math(shares_to_amount(position.owed_units, node.reward_index))?;
    require_gt!(amount, 0, StakingError::NothingToClaim);
    // The node's count is an upper bound of its positions' units (each rounds down).
    node.staker_units = node.staker_units.saturating_sub(position.owed_units);
    position.owed_units = 0;
    let accounts = &ctx.accounts;
    accounts.config.pay_from(
        accounts.config.to_account_info(),
        accounts.reward_vault.to_account_info(),
        accounts.destination.to_account_info(),
        amount,
    )?;
    emit_cpi!(RewardsClaimed {
        node: accounts.node.key(),
        claimant: accounts.staker.key(),
        destination: accounts.destination.key(),
        amount,
        supplier: false,
        burned: 0,
        rewards_burned: accounts.config.rewards_burned,
        supplier_unclaimed: accounts.node.supplier_unclaimed,
        supplier_debt: accounts.node.supplier_debt,
        stakers_unclaimed: accounts.node.stakers_unclaimed()?,
        total_rewarded: accounts.node.total_rewarded,
        rewards_minted: ledger.crank_state().rewards_minted,
    });
    Ok(())
}
