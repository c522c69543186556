//! One event per state change; each carries the resulting totals: the pool's (`PoolTotals`),
//! the schedule's (`ScheduleTotals`) or the config's (`ConfigState`).
use anchor_lang::prelude::*;

/// A pool's counters after the change, in base units.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolTotals {
    pub total: u64,
    pub allocated: u64,
    pub claimed: u64,
    /// `total - allocated`: what the pool vault holds.
    pub unallocated: u64,
    /// Returned by revocations (granted so far = `allocated + returned`).
    pub returned: u64,
    /// Vault surpluses added to `total`.
    pub swept: u64,
    pub schedule_count: u64,
    pub schedules_closed: u64,
}

/// A schedule's counters after the change, in base units.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduleTotals {
    pub total: u64,
    pub claimed: u64,
    pub returned: u64,
    /// `total - returned - claimed`: what the schedule vault holds for the beneficiary.
    pub outstanding: u64,
    pub revoked: bool,
}

/// The config after the change.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigState {
    pub authority: Pubkey,
    pub pending_authority: Pubkey,
    pub paused: bool,
    pub pool_count: u16,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Initialized {
    pub authority: Pubkey,
    pub config: ConfigState,
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
    /// Pools created so far, this one included.
    pub pool_count: u16,
    pub totals: PoolTotals,
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
    /// Receives the rent of the schedule and its vault when the schedule is closed.
    pub rent_payer: Pubkey,
    pub totals: PoolTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Claimed {
    pub schedule: Pubkey,
    pub beneficiary: Pubkey,
    pub destination: Pubkey,
    pub amount: u64,
    /// The schedule after the claim (`claimed` includes `amount`).
    pub schedule_totals: ScheduleTotals,
    pub totals: PoolTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct BeneficiaryChanged {
    pub schedule: Pubkey,
    pub previous: Pubkey,
    pub beneficiary: Pubkey,
    pub schedule_totals: ScheduleTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ScheduleRevoked {
    pub schedule: Pubkey,
    pub beneficiary: Pubkey,
    /// Unlocked and unclaimed at the revocation: stays in the schedule vault, claimable by the
    /// beneficiary through `claim`.
    pub claimable: u64,
    /// Not yet unlocked, returned to the pool.
    pub returned: u64,
    pub revoked_ts: i64,
    pub schedule_totals: ScheduleTotals,
    pub totals: PoolTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ScheduleClosed {
    pub pool: Pubkey,
    pub schedule: Pubkey,
    pub schedule_id: u64,
    /// Received the lamports of the schedule and its vault.
    pub rent_payer: Pubkey,
    pub lamports: u64,
    /// Vault surplus (a donation) moved to the pool before closing.
    pub swept: u64,
    /// The schedule's final counters.
    pub schedule_totals: ScheduleTotals,
    pub totals: PoolTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Swept {
    pub pool: Pubkey,
    /// The schedule whose vault surplus moved to the pool, if one was given.
    pub schedule: Option<Pubkey>,
    /// Of `amount`, what came from the schedule vault.
    pub from_schedule: u64,
    /// Added to the pool's `total`.
    pub amount: u64,
    pub totals: PoolTotals,
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
