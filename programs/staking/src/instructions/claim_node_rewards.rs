use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::constants::IO_MINT;
use crate::errors::StakingError;
use crate::events::RewardsClaimed;
use crate::state::{Config, Node};

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimNodeRewards<'info> {
    pub supplier: Signer<'info>,
    #[account(seeds = [Config::SEED], bump = config.bump, has_one = reward_vault)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, has_one = supplier @ StakingError::Unauthorized)]
    pub node: Box<Account<'info, Node>>,
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, constraint = destination.mint == IO_MINT @ StakingError::InvalidTokenAccount)]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<ClaimNodeRewards>) -> Result<()> {
    let node = &mut ctx.accounts.node;
    node.settle(&ctx.accounts.config)?;
    let amount = node.supplier_unclaimed;
    require_gt!(amount, 0, StakingError::NothingToClaim);
    node.supplier_unclaimed = 0;
    let accounts = &ctx.accounts;
    accounts.config.pay_reward(
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
    });
    Ok(())
}
