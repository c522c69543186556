use anchor_lang::prelude::*;
use anchor_spl::token::Token;

use crate::constants::IO_MINT;
use crate::errors::StakingError;
use crate::events::NodeRewardsBurned;
use crate::state::{Config, HourLedger, Node, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct BurnNodeRewards<'info> {
    /// The reservations program's PDA, when the node oracles report a failed delivery.
    pub hire_authority: Signer<'info>,
    #[account(
        address = CONFIG_ADDRESS,
        has_one = hire_authority @ StakingError::Unauthorized,
        has_one = reward_vault,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
    /// CHECK: the reward vault pinned in the config (`has_one`); the burn comes out of it.
    #[account(mut)]
    pub reward_vault: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned.
    #[account(mut, address = IO_MINT)]
    pub io_mint: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

/// A node that failed to deliver a reservation loses its supplier's unclaimed availability
/// rewards (SPEC section 4): settled first, then burned from the reward vault with any repaid
/// debt awaiting its burn. The stakers' share is left alone (they did not fail to deliver).
pub fn handler(ctx: Context<BurnNodeRewards>) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    let node = &mut ctx.accounts.node;
    node.settle(&ledger)?;
    let unclaimed = node.supplier_unclaimed;
    let burned = unclaimed
        .checked_add(node.burn_pending)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.supplier_unclaimed = 0;
    node.burn_pending = 0;
    ledger.add_total(|s| &mut s.rewards_burned, burned)?;
    let accounts = &ctx.accounts;
    Config::burn_from(
        accounts.config.to_account_info(),
        accounts.reward_vault.to_account_info(),
        accounts.io_mint.to_account_info(),
        burned,
    )?;
    emit_cpi!(NodeRewardsBurned {
        node: accounts.node.key(),
        supplier_rewards_burned: unclaimed,
        burned,
        supplier_debt: accounts.node.supplier_debt,
        config_rewards_burned: ledger.state().rewards_burned,
    });
    Ok(())
}
