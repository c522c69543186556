use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::NodeStateChanged;
use crate::state::{Config, Node, NodeState};

#[event_cpi]
#[derive(Accounts)]
pub struct ActivateNode<'info> {
    #[account(mut, seeds = [Config::SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, constraint = node.state == NodeState::Committed @ StakingError::InvalidNodeState)]
    pub node: Box<Account<'info, Node>>,
    #[account(address = io_token::CONFIG_ADDRESS)]
    pub io_token_config: Box<Account<'info, io_token::Config>>,
}

/// Anyone (the keeper) may call it once the node's reconnect cooldown has passed.
pub fn handler(ctx: Context<ActivateNode>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let genesis_ts = ctx.accounts.io_token_config.genesis_ts;
    let config = &mut ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    require_gte!(now, node.eligible_from, StakingError::NodeCoolingDown);
    // Hours are paid at crank time with the weights then: the hours that ended before the node
    // became eligible must be cranked first, or the node would share in them.
    let first_eligible_hour = ngpu_math::hours_ended(genesis_ts, node.eligible_from);
    require_gte!(
        config.next_hour,
        first_eligible_hour,
        StakingError::CrankBehind
    );
    node.settle(config)?;
    node.refresh_weight(config, now)?;
    emit_cpi!(NodeStateChanged {
        node: node.key(),
        state: node.state,
        eligible_from: node.eligible_from,
        weight: node.weight,
        total_weight: config.total_weight,
    });
    Ok(())
}
