use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::NodeStateChanged;
use crate::state::{Config, HourLedger, Node, NodeState, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct SetHired<'info> {
    /// The reservations program's PDA (a configured test key until it exists).
    pub hire_authority: Signer<'info>,
    #[account(address = CONFIG_ADDRESS, has_one = hire_authority @ StakingError::Unauthorized)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
}

/// Hired nodes are out of the availability weight; released nodes are back at once (they were
/// online all along).
pub fn handler(ctx: Context<SetHired>, hired: bool) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    let now = Clock::get()?.unix_timestamp;
    let config = &ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    let next = match (hired, node.state) {
        (true, NodeState::Committed) => NodeState::Hired,
        (false, NodeState::Hired) => NodeState::Committed,
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
