use anchor_lang::prelude::*;
use ngpu_math::staking::max_stake;

use crate::errors::{math, StakingError};
use crate::events::ModifiersSet;
use crate::state::{Config, DeviceClass, HourLedger, Node, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct SetModifiers<'info> {
    /// The oracle signers come as remaining accounts: a quorum of the set must sign.
    /// Read only: weights change through the ledger.
    #[account(address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// The hour-exact ledger pinned in the config.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    #[account(mut, has_one = device_class)]
    pub node: Box<Account<'info, Node>>,
    pub device_class: Box<Account<'info, DeviceClass>>,
}

pub fn handler(ctx: Context<SetModifiers>, modifiers_bps: [u16; 4]) -> Result<()> {
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    ctx.accounts
        .config
        .check_oracle_quorum(ctx.remaining_accounts)?;
    require!(
        modifiers_bps.iter().all(|m| *m <= 10_000),
        StakingError::InvalidParameter
    );
    let now = Clock::get()?.unix_timestamp;
    let config = &ctx.accounts.config;
    let node = &mut ctx.accounts.node;
    let class = &ctx.accounts.device_class;
    node.settle(&ledger)?;
    node.modifiers_bps = modifiers_bps;
    node.capex_micro_usd = class.capex_micro_usd;
    node.max_stake = math(max_stake(class.device_max_stake, modifiers_bps))?;
    node.refresh_weight(config, &mut ledger, now)?;
    emit_cpi!(ModifiersSet {
        node: node.key(),
        modifiers_bps,
        max_stake: node.max_stake,
        weight: node.weight,
        total_weight: u128::from(ledger.total_weight()),
        capex_micro_usd: node.capex_micro_usd,
        node_active: node.active_stake()?,
    });
    Ok(())
}
