//! One event per state change (all through `emit_cpi!`); each carries the resulting totals
//! (`BurnTotals` of the day and of all time), so an indexer can check conservation from the
//! events alone.
use anchor_lang::prelude::*;

use crate::instructions::InitializeArgs;
use crate::state::BurnTotals;

/// The config after the change.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigState {
    pub authority: Pubkey,
    pub pending_authority: Pubkey,
    pub paused: bool,
    pub totals: BurnTotals,
    pub day_records: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Initialized {
    pub authority: Pubkey,
    pub usdc_mint: Pubkey,
    pub io_vault: Pubkey,
    pub usdc_vault: Pubkey,
    pub params: InitializeArgs,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ParamsUpdated {
    pub authority: Pubkey,
    pub params: InitializeArgs,
    /// The counted USDC outflow of the window, carried over unchanged.
    pub window_outflow: u64,
    pub config: ConfigState,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct IoFeesBurned {
    /// Whoever sent it (pays the day record's rent if this created it).
    pub payer: Pubkey,
    pub day: u64,
    /// IO base units burned: the whole fee vault.
    pub amount: u64,
    pub day_record: Pubkey,
    pub day_record_created: bool,
    /// The day record and the config after the burn.
    pub day_totals: BurnTotals,
    pub totals: BurnTotals,
    pub day_records: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct BuybackFilled {
    pub seller: Pubkey,
    pub day: u64,
    /// IO base units the seller delivered, burned.
    pub io_in: u64,
    /// USDC base units paid to `seller_usdc`.
    pub usdc_out: u64,
    pub seller_usdc: Pubkey,
    /// The most the program would have paid for `io_in` (the bound `usdc_out` was checked
    /// against).
    pub max_usdc_out: u64,
    /// The oracle's low side used, micro-USD per IO (rounded down), and the premium allowed.
    pub oracle_low_micro_usd: u64,
    pub max_premium_bps: u16,
    /// What this fill paid, micro-USD per IO (rounded down).
    pub price_micro_usd: u64,
    /// The window's counted outflow after this fill, and what the USDC vault holds.
    pub window_outflow: u64,
    pub usdc_vault_balance: u64,
    pub day_record: Pubkey,
    pub day_record_created: bool,
    pub day_totals: BurnTotals,
    pub totals: BurnTotals,
    pub day_records: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Paused {
    pub authority: Pubkey,
    pub config: ConfigState,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Unpaused {
    pub authority: Pubkey,
    pub config: ConfigState,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityProposed {
    pub authority: Pubkey,
    pub proposed: Pubkey,
    pub config: ConfigState,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityTransferred {
    pub previous: Pubkey,
    pub authority: Pubkey,
    pub config: ConfigState,
}
