//! One event per state change. Each carries the resulting supply totals so that an indexer or a
//! test can check the cap from events alone.
use anchor_lang::prelude::*;

/// Supply counters after the change, all in base units except `next_hour`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct SupplyTotals {
    pub genesis_minted: u64,
    pub emission_minted: u64,
    pub emission_forfeited: u64,
    /// The next hour to process (= hours processed so far).
    pub next_hour: u64,
    /// `MAX_SUPPLY - genesis_minted - emission_minted - emission_forfeited`.
    pub remaining_to_cap: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Initialized {
    pub authority: Pubkey,
    pub io_mint: Pubkey,
    pub mint_authority: Pubkey,
    pub totals: SupplyTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct GenesisMinted {
    /// Allocation token accounts, in genesis-file order.
    pub destinations: [Pubkey; 5],
    pub amounts: [u64; 5],
    /// Start of hour 0 of the emission schedule.
    pub genesis_ts: i64,
    pub totals: SupplyTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct EmissionMinted {
    pub first_hour: u64,
    pub hours: u8,
    pub destination: Pubkey,
    /// Minted by this call.
    pub minted: u64,
    /// Forfeited by this call (budget not minted, never mintable again).
    pub forfeited: u64,
    pub totals: SupplyTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct EmissionControllerSet {
    pub controller: Pubkey,
    pub destination: Pubkey,
    pub totals: SupplyTotals,
}

/// The controller and destination are now fixed for good (`lock_emission_controller`).
#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct EmissionControllerLocked {
    pub authority: Pubkey,
    pub controller: Pubkey,
    pub destination: Pubkey,
    pub totals: SupplyTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigUpdated {
    pub max_hours_per_call: u8,
    pub totals: SupplyTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Paused {
    pub authority: Pubkey,
    pub totals: SupplyTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Unpaused {
    pub authority: Pubkey,
    pub totals: SupplyTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityProposed {
    pub authority: Pubkey,
    /// `Pubkey::default()` when a proposal is withdrawn.
    pub proposed: Pubkey,
    pub totals: SupplyTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityTransferred {
    pub previous: Pubkey,
    pub authority: Pubkey,
    pub totals: SupplyTotals,
}
