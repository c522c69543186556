use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_math::penalties::{charge, hour_reward, uptime_cut, weight_at};
use ngpu_onchain::{read_account, write_account};

use crate::constants::IO_MINT;
use crate::errors::{add_to, math, StakingError};
use crate::events::UptimeReported;
use crate::state::{Config, HourLedger, Node, RewardHistory, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct ReportUptime<'info> {
    /// The oracle signers come as remaining accounts: a quorum of the set must sign.
    #[account(address = CONFIG_ADDRESS, has_one = reward_vault, has_one = history)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    pub history: AccountLoader<'info, RewardHistory>,
    /// CHECK: a `Node`, read and written back once by the handler (`read_account`: owner and
    /// discriminator, as `Account` would).
    #[account(mut)]
    pub node: UncheckedAccount<'info>,
    /// CHECK: the node's stake vault (an offline slash burns from it): checked against the node.
    #[account(mut)]
    pub node_vault: UncheckedAccount<'info>,
    /// CHECK: the reward vault pinned in the config (`has_one`); cuts are burned from it.
    #[account(mut)]
    pub reward_vault: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned.
    #[account(mut, address = IO_MINT)]
    pub io_mint: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

/// The oracle's uptime for one cranked hour of a node: cuts that hour's reward pro rata to the
/// downtime; below the offline threshold the whole hour is forfeited and the stake is slashed
/// by one hour's reward. Each hour of a node is reported at most once, in order.
pub fn handler(ctx: Context<ReportUptime>, hour: u64, uptime_bps: u16) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    ctx.accounts
        .config
        .check_oracle_quorum(ctx.remaining_accounts)?;
    require_gte!(10_000, uptime_bps, StakingError::InvalidParameter);
    let now = Clock::get()?.unix_timestamp;
    let config = &ctx.accounts.config;
    let mut node: Node = read_account(&ctx.accounts.node)?;
    require_keys_eq!(
        ctx.accounts.node_vault.key(),
        node.vault,
        anchor_lang::error::ErrorCode::ConstraintAddress
    );
    require_gte!(
        hour,
        node.uptime_reported_until,
        StakingError::UptimeAlreadyReported
    );
    // Settling first logs the weight of every cranked hour (the hour-exact schedule).
    node.settle(&ledger)?;
    let delta = ctx
        .accounts
        .history
        .load()?
        .delta(hour, ledger.next_hour())?;
    let weight = weight_at(&node.weight_log_hours, &node.weight_log_weights, hour);
    let reward = math(hour_reward(weight, delta))?;
    let (cut, offline) = math(uptime_cut(reward, uptime_bps, config.offline_threshold_bps))?;

    // The hour's reward may already be settled or even claimed: the supplier answers for its
    // node's uptime, so the cut comes out of its unclaimed reward, the rest out of its next.
    let (unclaimed, debt, taken) = math(charge(node.supplier_unclaimed, node.supplier_debt, cut))?;
    node.supplier_unclaimed = unclaimed;
    node.supplier_debt = debt;
    add_to(&mut node.rewards_cut, cut)?;
    let rewards_burned = taken
        .checked_add(node.burn_pending)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.burn_pending = 0;
    let stake_burned = if offline { node.take_stake(reward)? } else { 0 };
    node.uptime_reported_until = hour
        .checked_add(1)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.refresh_weight(config, &mut ledger, now)?;
    ledger.add_total(|s| &mut s.rewards_burned, rewards_burned)?;
    ledger.add_total(|s| &mut s.stake_burned, stake_burned)?;

    let accounts = &ctx.accounts;
    write_account(&accounts.node, &node)?;
    Config::burn_from(
        accounts.config.to_account_info(),
        accounts.reward_vault.to_account_info(),
        accounts.io_mint.to_account_info(),
        rewards_burned,
    )?;
    node.burn_from_vault(
        accounts.node.to_account_info(),
        accounts.node_vault.to_account_info(),
        accounts.io_mint.to_account_info(),
        stake_burned,
    )?;
    emit_cpi!(UptimeReported {
        node: accounts.node.key(),
        hour,
        uptime_bps,
        weight,
        hour_reward: reward,
        reward_cut: cut,
        offline,
        rewards_burned,
        supplier_unclaimed: node.supplier_unclaimed,
        supplier_debt: node.supplier_debt,
        stake_burned,
        node_state: node.state,
        node_staked: node.staked()?,
        total_weight: u128::from(ledger.total_weight()),
        config_rewards_burned: ledger.state().rewards_burned,
        config_stake_burned: ledger.state().stake_burned,
    });
    Ok(())
}
