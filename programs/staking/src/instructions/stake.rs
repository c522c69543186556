use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_math::lots::LOTS;
use ngpu_math::staking::amount_to_shares;
use ngpu_onchain::{create_pda_account, read_account, token_cpi, write_account};

use crate::constants::ACCOUNT_VERSION;
use crate::errors::{math, StakingError};
use crate::events::Staked;
use crate::state::{Config, HourLedger, Node, NodeState, StakePosition, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct Stake<'info> {
    #[account(mut)]
    pub staker: Signer<'info>,
    #[account(
        address = CONFIG_ADDRESS,
        constraint = !config.paused @ StakingError::Paused,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    /// CHECK: a `Node`, read and written back once by the handler (`read_account`: owner and
    /// discriminator, as `Account` would; see `ngpu_onchain::read_account` for why).
    #[account(mut)]
    pub node: UncheckedAccount<'info>,
    /// CHECK: the node's stake vault: the handler checks it against the node.
    #[account(mut)]
    pub node_vault: UncheckedAccount<'info>,
    /// CHECK: the staker's position on this node, PDA `[b"stake", node, staker]`, created on
    /// the first stake (pre-funding safe). An existing one is recognised by its node and staker
    /// (only this program writes positions, only at that address), so a top-up derives nothing.
    #[account(mut)]
    pub position: UncheckedAccount<'info>,
    /// CHECK: the staker's IO account the stake comes from: SPL Token's Transfer checks its
    /// owner (the signer) and its mint (the vault's).
    #[account(mut)]
    pub staker_tokens: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<Stake>, amount: u64) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    require_gt!(amount, 0, StakingError::ZeroAmount);
    let now = Clock::get()?.unix_timestamp;
    let staker = ctx.accounts.staker.key();
    let node_key = ctx.accounts.node.key();
    let position_info = ctx.accounts.position.to_account_info();
    let mut node: Node = read_account(&ctx.accounts.node)?;
    require!(
        node.state != NodeState::Terminated,
        StakingError::NodeNotActive
    );
    require_eq!(node.pending_slashes, 0, StakingError::SlashPending);
    require_keys_eq!(
        ctx.accounts.node_vault.key(),
        node.vault,
        anchor_lang::error::ErrorCode::ConstraintAddress
    );
    // A node slashed to nothing (and so terminated) has no index to price shares at.
    require_gt!(node.stake_index, 0, StakingError::NodeNotActive);
    let mut position = if *position_info.owner == crate::ID {
        let data = position_info.try_borrow_data()?;
        let position = StakePosition::try_deserialize(&mut &data[..])?;
        require!(
            position.node == node_key && position.staker == staker,
            anchor_lang::error::ErrorCode::ConstraintSeeds
        );
        position
    } else {
        let (address, bump) = Pubkey::find_program_address(
            &[StakePosition::SEED, node_key.as_ref(), staker.as_ref()],
            &crate::ID,
        );
        require_keys_eq!(
            address,
            position_info.key(),
            anchor_lang::error::ErrorCode::ConstraintSeeds
        );
        create_pda_account(
            &ctx.accounts.staker.to_account_info(),
            &position_info,
            &ctx.accounts.system_program.to_account_info(),
            &crate::ID,
            StakePosition::SPACE,
            &[
                StakePosition::SEED,
                node_key.as_ref(),
                staker.as_ref(),
                &[bump],
            ],
        )?;
        node.open_positions = node
            .open_positions
            .checked_add(1)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        StakePosition {
            version: ACCOUNT_VERSION,
            bump,
            node: node_key,
            staker,
            shares: 0,
            cooldown_shares: 0,
            lock_shares: [0; LOTS],
            lock_until: [0; LOTS],
            cooldown_lot_shares: [0; LOTS],
            cooldown_lot_until: [0; LOTS],
            reward_per_share_paid: node.reward_per_share,
            owed_units: 0,
            reward_epoch: node.reward_epoch,
            _reserved: [0; 60],
        }
    };

    let config = &ctx.accounts.config;
    // Settle first: the new stake must not share in rewards earned before it arrived.
    node.settle(&ledger)?;
    position.settle(&node)?;
    let shares = math(amount_to_shares(amount, node.stake_index))?;
    require_gt!(shares, 0, StakingError::ZeroAmount);
    node.active_shares = node
        .active_shares
        .checked_add(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    let node_active = node.active_stake()?;
    require_gte!(node.max_stake, node_active, StakingError::AboveMaxStake);
    position.shares = position
        .shares
        .checked_add(shares)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    // This deposit is locked from now on its own; earlier ones keep their own ends.
    let locked_until = now
        .checked_add(config.lock_secs)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    let mut locks = position.locks();
    locks
        .add(shares, locked_until, now, true)
        .map_err(|_| error!(StakingError::TooManyLots))?;
    position.set_locks(&locks);
    node.refresh_weight(config, &mut ledger, now)?;
    write_account(&position_info, &position)?;
    write_account(&ctx.accounts.node, &node)?;

    token_cpi::transfer(
        &ctx.accounts.staker_tokens,
        &ctx.accounts.node_vault,
        &ctx.accounts.staker,
        amount,
        &[],
    )?;
    emit_cpi!(Staked {
        node: node_key,
        staker,
        amount,
        position_active: math(ngpu_math::staking::shares_to_amount(
            position.shares,
            node.stake_index
        ))?,
        node_active,
        locked_until,
        weight: node.weight,
        total_weight: u128::from(ledger.total_weight()),
        node_staked: node.staked()?,
        open_positions: node.open_positions,
    });
    Ok(())
}
