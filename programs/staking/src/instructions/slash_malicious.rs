use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};
use ngpu_math::penalties::{bps_of, index_for_value};
use ngpu_onchain::{create_pda_account, write_account};

use crate::constants::ACCOUNT_VERSION;
use crate::errors::{math, sub_from, StakingError};
use crate::events::NodeSlashed;
use crate::state::{Config, HourLedger, Node, NodeState, SlashRecord, SlashStatus, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct SlashMalicious<'info> {
    /// The network authority; pays the slash record's rent.
    #[account(mut)]
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
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
    #[account(mut, address = node.vault)]
    pub node_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut)]
    pub escrow_vault: Box<Account<'info, TokenAccount>>,
    /// CHECK: the new slash record, created here (pre-funding safe); seeds bind it to the node
    /// and its next slash id.
    #[account(
        mut,
        seeds = [SlashRecord::SEED, node.key().as_ref(), &node.slash_count.to_le_bytes()],
        bump,
    )]
    pub slash: UncheckedAccount<'info>,
    /// CHECK: the harmed renter's IO account, when the slash compensates one (SPL Token's
    /// Transfer from the escrow checks its mint); never one of the program's vaults.
    #[account(mut)]
    pub renter_tokens: Option<UncheckedAccount<'info>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Slashes `bps` of a node's active and cooling-down stake and of its unclaimed rewards
/// (supplier's and stakers'), pro rata across positions in O(1) through the node's indexes.
/// The slashed tokens first compensate the harmed renter (SPEC 4: `renter_compensation`, paid
/// at once to `renter_tokens`); the rest wait in the appeal escrow. A 100% slash also terminates
/// the node.
pub fn handler(ctx: Context<SlashMalicious>, bps: u16, renter_compensation: u64) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    require!((1..=10_000).contains(&bps), StakingError::InvalidParameter);
    let now = Clock::get()?.unix_timestamp;
    let config = &ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    node.settle(&ledger)?;

    let stake_share = math(bps_of(node.staked()?, bps))?;
    let stake_amount = node.take_stake(stake_share)?;
    let supplier_reward_amount = math(bps_of(node.supplier_unclaimed, bps))?;
    sub_from(&mut node.supplier_unclaimed, supplier_reward_amount)?;
    // The stakers' unclaimed rewards (settled into positions or not) are units of the reward
    // index: lowering it slashes them all at once.
    let stakers_before = node.stakers_unclaimed()?;
    let stakers_left = stakers_before
        .checked_sub(math(bps_of(stakers_before, bps))?)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    // Only when the units are worth something: leftover rounding units worth 0 must not drive
    // the index to 0 (the node could then never credit its stakers again).
    if stakers_left == 0 {
        // Nothing of the stakers' unclaimed rewards is left (a 100% slash, or dust that the
        // rounded-up share took whole): write the units off rather than pricing them at a zero
        // index, so the node's stakers can be credited again.
        node.write_off_stakers()?;
    } else {
        node.reward_index = math(index_for_value(node.staker_units, stakers_left))?;
    }
    let staker_reward_amount = stakers_before.saturating_sub(stakers_left);
    // The renter is compensated first: out of the stake, then the supplier's reward, then the
    // stakers'; what is left waits for the appeal.
    let slashed = stake_amount
        .checked_add(supplier_reward_amount)
        .and_then(|t| t.checked_add(staker_reward_amount))
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    require_gte!(
        slashed,
        renter_compensation,
        StakingError::InvalidCompensation
    );
    let renter_tokens = ctx.accounts.renter_tokens.as_ref().map(|a| a.key());
    if renter_compensation > 0 {
        let to = renter_tokens.ok_or_else(|| error!(StakingError::InvalidCompensation))?;
        let vaults = [
            node.vault,
            ctx.accounts.reward_vault.key(),
            ctx.accounts.escrow_vault.key(),
        ];
        require!(!vaults.contains(&to), StakingError::InvalidCompensation);
    }
    let mut owed = renter_compensation;
    let mut take = |amount: u64| {
        let taken = amount.min(owed);
        owed = owed.saturating_sub(taken);
        amount.saturating_sub(taken)
    };
    let (escrow_stake, escrow_supplier, escrow_stakers) = (
        take(stake_amount),
        take(supplier_reward_amount),
        take(staker_reward_amount),
    );
    if bps == 10_000 {
        node.state = NodeState::Terminated;
    }
    let terminated = node.state == NodeState::Terminated;
    node.refresh_weight(config, &mut ledger, now)?;

    let id = node.slash_count;
    node.slash_count = id
        .checked_add(1)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    node.pending_slashes = node
        .pending_slashes
        .checked_add(1)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    let record = SlashRecord {
        version: ACCOUNT_VERSION,
        bump: ctx.bumps.slash,
        status: SlashStatus::Pending,
        bps,
        node: node.key(),
        id,
        stake_amount: escrow_stake,
        supplier_reward_amount: escrow_supplier,
        staker_reward_amount: escrow_stakers,
        slashed_at: now,
        appeal_until: now
            .checked_add(config.appeal_secs)
            .ok_or_else(|| error!(StakingError::MathOverflow))?,
        renter_compensation,
        _reserved: [0; 24],
    };
    ledger.add_total(|s| &mut s.escrow_held, record.total()?)?;

    let accounts = &ctx.accounts;
    let node_key = accounts.node.key();
    create_pda_account(
        &accounts.authority.to_account_info(),
        &accounts.slash.to_account_info(),
        &accounts.system_program.to_account_info(),
        &crate::ID,
        SlashRecord::SPACE,
        &[
            SlashRecord::SEED,
            node_key.as_ref(),
            &id.to_le_bytes(),
            &[ctx.bumps.slash],
        ],
    )?;
    write_account(&accounts.slash.to_account_info(), &record)?;
    accounts.node.pay_from_vault(
        accounts.node.to_account_info(),
        accounts.node_vault.to_account_info(),
        accounts.escrow_vault.to_account_info(),
        stake_amount,
    )?;
    Config::pay_from(
        accounts.config.to_account_info(),
        accounts.reward_vault.to_account_info(),
        accounts.escrow_vault.to_account_info(),
        supplier_reward_amount
            .checked_add(staker_reward_amount)
            .ok_or_else(|| error!(StakingError::MathOverflow))?,
    )?;
    if let Some(renter) = &accounts.renter_tokens {
        Config::pay_from(
            accounts.config.to_account_info(),
            accounts.escrow_vault.to_account_info(),
            renter.to_account_info(),
            renter_compensation,
        )?;
    }
    emit_cpi!(NodeSlashed {
        node: node_key,
        slash: accounts.slash.key(),
        bps,
        stake_amount: record.stake_amount,
        supplier_reward_amount: record.supplier_reward_amount,
        staker_reward_amount: record.staker_reward_amount,
        appeal_until: record.appeal_until,
        renter_compensation,
        renter_tokens,
        node_staked: accounts.node.staked()?,
        terminated,
        supplier_unclaimed: accounts.node.supplier_unclaimed,
        stakers_unclaimed: accounts.node.stakers_unclaimed()?,
        pending_slashes: accounts.node.pending_slashes,
        total_weight: u128::from(ledger.total_weight()),
        escrow_held: ledger.state().escrow_held,
    });
    Ok(())
}
