use anchor_lang::prelude::*;

use crate::events::NodeStateChanged;
use crate::state::{Config, HourLedger, Node, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct ActivateNode<'info> {
    #[account(address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut)]
    pub node: Box<Account<'info, Node>>,
}

/// Anyone may call it: a resumed node earns from its eligible hour by itself (the hour-exact
/// schedule), so this only settles the node and records its schedule, which a keeper does for
/// nodes whose schedule holds changes older than the ledger keeps.
pub fn handler(ctx: Context<ActivateNode>) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    let now = Clock::get()?.unix_timestamp;
    let config = &ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    node.settle(&ledger)?;
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
