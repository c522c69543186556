use anchor_lang::prelude::*;
use ngpu_math::VestingRule;

use crate::errors::VestingError;
use crate::events::PoolTotals;

/// Seed of token vaults: `[b"vault", owner PDA, IO mint]`.
pub const VAULT_SEED: &[u8] = b"vault";

/// The rule of a pool, fixed by the spec (SPEC §2).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolRule {
    /// Seed and series A: 12-month cliff, 24 monthly parts, schedules never revocable.
    Investor,
    /// Core contributors, R&D: 12-month cliff, 36 monthly parts, schedules may be revocable.
    Contributor,
}

impl PoolRule {
    pub fn vesting_rule(self) -> VestingRule {
        match self {
            PoolRule::Investor => VestingRule::INVESTOR,
            PoolRule::Contributor => VestingRule::CONTRIBUTOR,
        }
    }

    pub fn revocable_allowed(self) -> bool {
        matches!(self, PoolRule::Contributor)
    }
}

/// One genesis allocation under vesting, PDA `[b"pool", pool_id]`. Its vault holds
/// `total - allocated`; each schedule's vault holds `schedule.total - returned - claimed`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Pool {
    pub version: u8,
    pub bump: u8,
    pub vault_bump: u8,
    pub pool_id: u8,
    pub cliff_months: u8,
    pub parts: u8,
    /// Whether this pool's schedules may be created revocable (contributors, R&D).
    pub revocable_allowed: bool,
    pub opened: bool,
    /// Token account `[b"vault", pool, IO mint]`, owned by this pool's PDA.
    pub vault: Pubkey,
    /// Vesting start of all its schedules: io-token's genesis time (set by `open_pool`).
    pub start_ts: i64,
    /// Base units in the vault when the pool was opened.
    pub total: u64,
    /// Base units granted to schedules, less what revocations returned.
    pub allocated: u64,
    /// Base units paid out to beneficiaries.
    pub claimed: u64,
    /// Schedules created so far; the next schedule's id.
    pub schedule_count: u64,
    pub _reserved: [u8; 64],
}

impl Pool {
    pub const SEED: &'static [u8] = b"pool";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn rule(&self) -> VestingRule {
        VestingRule {
            cliff_months: self.cliff_months,
            parts: self.parts,
        }
    }

    pub fn unallocated(&self) -> Result<u64> {
        self.total
            .checked_sub(self.allocated)
            .ok_or_else(|| error!(VestingError::MathOverflow))
    }

    pub fn totals(&self) -> PoolTotals {
        PoolTotals {
            total: self.total,
            allocated: self.allocated,
            claimed: self.claimed,
            unallocated: self.total.saturating_sub(self.allocated),
            schedule_count: self.schedule_count,
        }
    }

    /// `claimed <= allocated <= total`; called after every change.
    pub fn validate(&self) -> Result<()> {
        require_gte!(self.total, self.allocated, VestingError::ExceedsPool);
        require_gte!(self.allocated, self.claimed, VestingError::MathOverflow);
        Ok(())
    }
}
