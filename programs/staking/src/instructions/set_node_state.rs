use anchor_lang::prelude::*;

use crate::errors::{math, StakingError};
use crate::events::NodeStateChanged;
use crate::state::{Config, HourLedger, Node, NodeState, CONFIG_ADDRESS};

/// What a supplier may do to its node.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeAction {
    /// Committed → Paused: stops earning at once.
    Pause,
    /// Paused or Terminated → Committed: earns again from the first whole hour that starts at
    /// least `reconnect_secs` later, once `activate_node` runs.
    Resume,
    /// Committed or Paused → Terminated: stops earning; stakers unstake as usual.
    Terminate,
}

#[event_cpi]
#[derive(Accounts)]
pub struct SetNodeState<'info> {
    pub supplier: Signer<'info>,
    /// Read only: weights change through the ledger.
    #[account(address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut, has_one = supplier @ StakingError::Unauthorized)]
    pub node: Box<Account<'info, Node>>,
    /// io-token's config: the genesis time that hours are counted from.
    #[account(address = io_token::CONFIG_ADDRESS)]
    pub io_token_config: Box<Account<'info, io_token::Config>>,
}

pub fn handler(ctx: Context<SetNodeState>, action: NodeAction) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    let now = Clock::get()?.unix_timestamp;
    let genesis_ts = ctx.accounts.io_token_config.genesis_ts;
    let config = &ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    let next = match (action, node.state) {
        (NodeAction::Pause, NodeState::Committed) => NodeState::Paused,
        // A node slashed to nothing has no index to price stake or rewards at: it stays
        // terminated (unless an upheld appeal gives its stake back).
        (NodeAction::Resume, NodeState::Paused | NodeState::Terminated)
            if node.stake_index > 0 && node.reward_index > 0 =>
        {
            let back = now
                .checked_add(config.reconnect_secs)
                .ok_or_else(|| error!(StakingError::MathOverflow))?;
            node.eligible_from = math(ngpu_math::staking::next_hour_start(genesis_ts, back))?;
            NodeState::Committed
        }
        (NodeAction::Terminate, NodeState::Committed | NodeState::Paused) => NodeState::Terminated,
        _ => return err!(StakingError::InvalidNodeState),
    };
    node.settle(&ledger)?;
    node.state = next;
    node.refresh_weight(config, &mut ledger, now)?;
    emit_cpi!(NodeStateChanged {
        node: node.key(),
        state: node.state,
        eligible_from: node.eligible_from,
        weight: node.weight,
        total_weight: u128::from(ledger.total_weight()),
        node_active: node.active_stake()?,
        node_staked: node.staked()?,
    });
    Ok(())
}
