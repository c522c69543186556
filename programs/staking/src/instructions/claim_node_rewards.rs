use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_onchain::{read_account, write_account};

use crate::constants::IO_MINT;
use crate::errors::StakingError;
use crate::events::RewardsClaimed;
use crate::state::{
    Config, HourLedger, Node, CONFIG_ADDRESS, LEDGER_ADDRESS, REWARD_VAULT_ADDRESS,
};

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimNodeRewards<'info> {
    pub supplier: Signer<'info>,
    /// CHECK: the config PDA, pinned: it only signs the payout (its parameters are not needed,
    /// so it is not deserialized).
    #[account(address = CONFIG_ADDRESS)]
    pub config: UncheckedAccount<'info>,
    /// The hour-exact ledger pinned in the config (repaid debt counts as burned there).
    #[account(mut, address = LEDGER_ADDRESS)]
    pub ledger: AccountLoader<'info, HourLedger>,
    /// CHECK: the supplier's `Node`, read and written back once by the handler
    /// (`read_account`: owner and discriminator, as `Account` would), which checks its supplier.
    #[account(mut)]
    pub node: UncheckedAccount<'info>,
    /// CHECK: the reward vault, pinned; the Transfer's source (SPL Token checks it).
    #[account(mut, address = REWARD_VAULT_ADDRESS)]
    pub reward_vault: UncheckedAccount<'info>,
    /// CHECK: any IO token account: SPL Token's Transfer refuses one of another mint than the
    /// reward vault's.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned; repaid uptime debt is burned here.
    #[account(mut, address = IO_MINT)]
    pub io_mint: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<ClaimNodeRewards>) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    let accounts = &ctx.accounts;
    let mut node: Node = read_account(&accounts.node)?;
    require_keys_eq!(
        node.supplier,
        accounts.supplier.key(),
        StakingError::Unauthorized
    );
    node.settle(&ledger)?;
    let amount = node.supplier_unclaimed;
    let burned = node.burn_pending;
    require!(amount > 0 || burned > 0, StakingError::NothingToClaim);
    node.supplier_unclaimed = 0;
    node.burn_pending = 0;
    ledger.add_total(|s| &mut s.rewards_burned, burned)?;
    write_account(&accounts.node, &node)?;
    Config::burn_from(
        accounts.config.to_account_info(),
        accounts.reward_vault.to_account_info(),
        accounts.io_mint.to_account_info(),
        burned,
    )?;
    Config::pay_from(
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
        rewards_burned: ledger.state().rewards_burned,
        supplier_unclaimed: node.supplier_unclaimed,
        supplier_debt: node.supplier_debt,
        stakers_unclaimed: node.stakers_unclaimed()?,
        total_rewarded: node.total_rewarded,
        rewards_minted: ledger.state().rewards_minted,
    });
    Ok(())
}
