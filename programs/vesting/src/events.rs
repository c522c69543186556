//! One event per state change; each carries the pool's resulting totals.
use anchor_lang::prelude::*;

/// A pool's counters after the change, in base units.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolTotals {
    pub total: u64,
    pub allocated: u64,
    pub claimed: u64,
    /// `total - allocated`: what the pool vault holds.
    pub unallocated: u64,
    pub schedule_count: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Initialized {
    pub authority: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct PoolCreated {
    pub pool: Pubkey,
    pub pool_id: u8,
    pub vault: Pubkey,
    pub cliff_months: u8,
    pub parts: u8,
    pub revocable_allowed: bool,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct PoolOpened {
    pub pool: Pubkey,
    pub start_ts: i64,
    pub totals: PoolTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ScheduleCreated {
    pub pool: Pubkey,
    pub schedule: Pubkey,
    pub schedule_id: u64,
    pub beneficiary: Pubkey,
    pub amount: u64,
    pub revocable: bool,
    pub start_ts: i64,
    pub totals: PoolTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Claimed {
    pub schedule: Pubkey,
    pub beneficiary: Pubkey,
    pub destination: Pubkey,
    pub amount: u64,
    /// Claimed by this schedule so far, including `amount`.
    pub schedule_claimed: u64,
    pub totals: PoolTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct BeneficiaryChanged {
    pub schedule: Pubkey,
    pub previous: Pubkey,
    pub beneficiary: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ScheduleRevoked {
    pub schedule: Pubkey,
    pub beneficiary: Pubkey,
    /// Unlocked and unclaimed, paid to the beneficiary.
    pub paid: u64,
    /// Not yet unlocked, returned to the pool.
    pub returned: u64,
    pub totals: PoolTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Paused {
    pub authority: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Unpaused {
    pub authority: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityProposed {
    pub authority: Pubkey,
    pub proposed: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityTransferred {
    pub previous: Pubkey,
    pub authority: Pubkey,
}
