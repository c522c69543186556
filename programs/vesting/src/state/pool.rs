use anchor_lang::prelude::*;
use anchor_spl::token::{self, Transfer};
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
/// `total - allocated` (plus any donation not yet swept); each schedule's vault holds
/// `schedule.total - returned - claimed` (same).
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
    /// Base units in the vault when the pool was opened, plus everything `sweep` and
    /// `close_schedule` added since (`swept`).
    pub total: u64,
    /// Base units granted to schedules, less what revocations returned.
    pub allocated: u64,
    /// Base units paid out to beneficiaries.
    pub claimed: u64,
    /// Schedules created so far; the next schedule's id.
    pub schedule_count: u64,
    /// Base units revocations returned to the pool (never unlocked); granted so far is
    /// `allocated + returned`.
    pub returned: u64,
    /// Base units found in vaults beyond their ledger (donations) and added to `total`.
    pub swept: u64,
    /// Schedules closed (settled, their accounts' rent returned).
    pub schedules_closed: u64,
    pub _reserved: [u8; 40],
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
            returned: self.returned,
            swept: self.swept,
            schedule_count: self.schedule_count,
            schedules_closed: self.schedules_closed,
        }
    }

    /// Adds a vault surplus (a donation or dust) to the pool: it becomes grantable.
    pub fn add_swept(&mut self, amount: u64) -> Result<()> {
        self.total = self
            .total
            .checked_add(amount)
            .ok_or_else(|| error!(VestingError::MathOverflow))?;
        self.swept = self
            .swept
            .checked_add(amount)
            .ok_or_else(|| error!(VestingError::MathOverflow))?;
        Ok(())
    }

    /// Moves `amount` out of the pool vault, signed by the pool PDA (stored bump).
    pub fn transfer_out<'info>(
        &self,
        pool: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        to: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        let seeds: &[&[u8]] = &[Self::SEED, &[self.pool_id], &[self.bump]];
        token::transfer(
            CpiContext::new_with_signer(
                token::ID,
                Transfer {
                    from: vault,
                    to,
                    authority: pool,
                },
                &[seeds],
            ),
            amount,
        )
    }

    /// `claimed <= allocated <= total`; called after every change.
    pub fn validate(&self) -> Result<()> {
        require_gte!(self.total, self.allocated, VestingError::ExceedsPool);
        require_gte!(self.allocated, self.claimed, VestingError::MathOverflow);
        Ok(())
    }
}
