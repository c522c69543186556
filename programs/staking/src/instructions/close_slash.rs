use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::SlashRecordClosed;
use crate::state::{Config, SlashRecord, SlashStatus, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct CloseSlash<'info> {
    /// The network authority, which paid the record's rent in `slash_malicious`: signs and
    /// receives it back.
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(
        address = CONFIG_ADDRESS,
        has_one = authority @ StakingError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    #[account(
        mut,
        close = authority,
        constraint = slash.status != SlashStatus::Pending @ StakingError::SlashUndecided,
    )]
    pub slash: Box<Account<'info, SlashRecord>>,
}

/// Closes a slash record once it is decided (burned or returned). Its id is never reused: the
/// node's slash count only grows, so the address cannot be slashed into again.
pub fn handler(ctx: Context<CloseSlash>) -> Result<()> {
    let slash = &ctx.accounts.slash;
    emit_cpi!(SlashRecordClosed {
        node: slash.node,
        slash: slash.key(),
        id: slash.id,
        status: slash.status,
        rent: slash.to_account_info().lamports(),
    });
    Ok(())
}
