use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_math::staking::shares_to_amount;
use ngpu_onchain::{read_account, write_account};

use crate::errors::{math, StakingError};
use crate::events::RewardsClaimed;
use crate::state::{
    Config, HourLedger, Node, StakePosition, CONFIG_ADDRESS, LEDGER_ADDRESS, REWARD_VAULT_ADDRESS,
};

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimStakeRewards<'info> {
    pub staker: Signer<'info>,
    /// CHECK: the config PDA, pinned: it only signs the payout (its parameters are not needed,
    /// so it is not deserialized).
    #[account(address = CONFIG_ADDRESS)]
    pub config: UncheckedAccount<'info>,
    /// The hour-exact ledger pinned in the config.
    #[account(address = LEDGER_ADDRESS)]
    pub ledger: AccountLoader<'info, HourLedger>,
    /// CHECK: a `Node`, read and written back once by the handler (`read_account`: owner and
    /// discriminator, as `Account` would).
    #[account(mut)]
    pub node: UncheckedAccount<'info>,
    /// CHECK: the staker's `StakePosition` on `node`, read and written back by the handler, which
    /// checks its node and staker.
    #[account(mut)]
    pub position: UncheckedAccount<'info>,
    /// CHECK: the reward vault, pinned; the Transfer's source (SPL Token checks it).
    #[account(mut, address = REWARD_VAULT_ADDRESS)]
    pub reward_vault: UncheckedAccount<'info>,
    /// CHECK: any IO token account: SPL Token's Transfer refuses one of another mint than the
    /// reward vault's.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<ClaimStakeRewards>) -> Result<()> {
    let ledger = HourLedger::open(&ctx.accounts.ledger)?;
    let accounts = &ctx.accounts;
    let mut node: Node = read_account(&accounts.node)?;
    let mut position: StakePosition = read_account(&accounts.position)?;
    require_keys_eq!(
        position.node,
        accounts.node.key(),
        anchor_lang::error::ErrorCode::ConstraintHasOne
    );
    require_keys_eq!(
        position.staker,
        accounts.staker.key(),
        StakingError::Unauthorized
    );
    node.settle(&ledger)?;
    position.settle(&node)?;
    let amount = math(shares_to_amount(position.owed_units, node.reward_index))?;
    require_gt!(amount, 0, StakingError::NothingToClaim);
    // The node's count is an upper bound of its positions' units (each rounds down).
    node.staker_units = node.staker_units.saturating_sub(position.owed_units);
    position.owed_units = 0;
    write_account(&accounts.node, &node)?;
    write_account(&accounts.position, &position)?;
    Config::pay_from(
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
        rewards_burned: ledger.state().rewards_burned,
        supplier_unclaimed: node.supplier_unclaimed,
        supplier_debt: node.supplier_debt,
        stakers_unclaimed: node.stakers_unclaimed()?,
        total_rewarded: node.total_rewarded,
        rewards_minted: ledger.state().rewards_minted,
    });
    Ok(())
}
