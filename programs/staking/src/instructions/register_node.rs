use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_math::penalties::WEIGHT_LOG_LEN;
use ngpu_math::schedule::SCHEDULE_LEN;
use ngpu_math::staking::{max_stake, INDEX_SCALE};
use ngpu_onchain::{create_pda_account, create_pda_token_account, write_account};

use crate::constants::{ACCOUNT_VERSION, IO_MINT};
use crate::errors::{math, StakingError};
use crate::events::NodeRegistered;
use crate::state::{Config, DeviceClass, HourLedger, Node, NodeState, CONFIG_ADDRESS, VAULT_SEED};

#[event_cpi]
#[derive(Accounts)]
#[instruction(node_id: u64)]
pub struct RegisterNode<'info> {
    #[account(mut)]
    pub supplier: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        constraint = !config.paused @ StakingError::Paused,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config: the node starts at the crank's position.
    #[account(address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    pub device_class: Box<Account<'info, DeviceClass>>,
    /// CHECK: created here (pre-funding safe); seeds bind the address to supplier and id.
    #[account(mut, seeds = [Node::SEED, supplier.key().as_ref(), &node_id.to_le_bytes()], bump)]
    pub node: UncheckedAccount<'info>,
    /// CHECK: created here as the node's stake vault (owned by the node PDA).
    #[account(mut, seeds = [VAULT_SEED, node.key().as_ref(), IO_MINT.as_ref()], bump)]
    pub node_vault: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned.
    #[account(address = IO_MINT)]
    pub io_mint: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<RegisterNode>, node_id: u64) -> Result<()> {
    let crank = HourLedger::open(&ctx.accounts.ledger)?.state();
    let accounts = &ctx.accounts;
    require_keys_eq!(
        *accounts.node.owner,
        System::id(),
        StakingError::AlreadyInitialized
    );
    let payer = accounts.supplier.to_account_info();
    let system = accounts.system_program.to_account_info();
    let supplier = accounts.supplier.key();
    let node_key = accounts.node.key();
    create_pda_account(
        &payer,
        &accounts.node.to_account_info(),
        &system,
        &crate::ID,
        Node::SPACE,
        &[
            Node::SEED,
            supplier.as_ref(),
            &node_id.to_le_bytes(),
            &[ctx.bumps.node],
        ],
    )?;
    create_pda_token_account(
        &payer,
        &accounts.node_vault.to_account_info(),
        &accounts.io_mint.to_account_info(),
        &node_key,
        &system,
        &[
            VAULT_SEED,
            node_key.as_ref(),
            IO_MINT.as_ref(),
            &[ctx.bumps.node_vault],
        ],
    )?;
    let class = &accounts.device_class;
    let node = Node {
        version: ACCOUNT_VERSION,
        bump: ctx.bumps.node,
        vault_bump: ctx.bumps.node_vault,
        state: NodeState::Committed,
        modifiers_bps: [0; 4],
        supplier,
        device_class: class.key(),
        vault: accounts.node_vault.key(),
        node_id,
        eligible_from: Clock::get()?.unix_timestamp,
        capex_micro_usd: class.capex_micro_usd,
        max_stake: math(max_stake(class.device_max_stake, [0; 4]))?,
        weight: 0,
        reward_per_weight_paid: crank.reward_per_weight,
        // Weight 0 until its first stake schedules more.
        schedule_hours: [0; SCHEDULE_LEN],
        schedule_weights: [0; SCHEDULE_LEN],
        schedule_len: 1,
        reward_epoch: 0,
        reward_per_share_written_off: 0,
        stake_index: INDEX_SCALE,
        active_shares: 0,
        cooldown_shares: 0,
        reward_per_share: 0,
        reward_index: INDEX_SCALE,
        staker_units: 0,
        supplier_unclaimed: 0,
        supplier_debt: 0,
        burn_pending: 0,
        total_rewarded: 0,
        // All zeros: weight 0 for every hour until the node first earns.
        weight_log_hours: [0; WEIGHT_LOG_LEN],
        weight_log_weights: [0; WEIGHT_LOG_LEN],
        // Hours before its registration are not the node's to report.
        uptime_reported_until: crank.next_hour,
        slash_count: 0,
        pending_slashes: 0,
        rewards_cut: 0,
        stake_slashed: 0,
        open_positions: 0,
        _reserved: [0; 60],
    };
    write_account(&accounts.node.to_account_info(), &node)?;
    let config = &mut ctx.accounts.config;
    config.node_count = config
        .node_count
        .checked_add(1)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    emit_cpi!(NodeRegistered {
        node: node_key,
        supplier,
        device_class: node.device_class,
        vault: node.vault,
        node_count: config.node_count,
        node_id,
        capex_micro_usd: node.capex_micro_usd,
        max_stake: node.max_stake,
    });
    Ok(())
}
