use anchor_lang::prelude::*;
use anchor_spl::token::{self, Transfer};
use ngpu_math::VestingRule;

use crate::errors::VestingError;

/// A beneficiary's grant from a pool, PDA `[b"vesting", pool, schedule_id]` (the beneficiary is
/// not in the seeds, so the schedule can change hands). Its vault `[b"vault", schedule, IO mint]`
/// holds `total - returned - claimed`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct VestingSchedule {
    pub version: u8,
    pub bump: u8,
    pub vault_bump: u8,
    pub cliff_months: u8,
    pub parts: u8,
    pub revocable: bool,
    pub revoked: bool,
    pub pool: Pubkey,
    pub beneficiary: Pubkey,
    pub vault: Pubkey,
    pub schedule_id: u64,
    pub start_ts: i64,
    /// Base units granted.
    pub total: u64,
    /// Base units paid to the beneficiary so far.
    pub claimed: u64,
    /// Base units returned to the pool by a revocation (never unlocked).
    pub returned: u64,
    pub _reserved: [u8; 64],
}

impl VestingSchedule {
    pub const SEED: &'static [u8] = b"vesting";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn rule(&self) -> VestingRule {
        VestingRule {
            cliff_months: self.cliff_months,
            parts: self.parts,
        }
    }

    /// Moves `amount` out of this schedule's vault, signed by the schedule PDA (stored bump).
    pub fn transfer_out<'info>(
        &self,
        schedule: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        to: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        let id = self.schedule_id.to_le_bytes();
        let seeds: &[&[u8]] = &[Self::SEED, self.pool.as_ref(), &id, &[self.bump]];
        token::transfer(
            CpiContext::new_with_signer(
                token::ID,
                Transfer {
                    from: vault,
                    to,
                    authority: schedule,
                },
                &[seeds],
            ),
            amount,
        )
    }

    /// Unlocked and not yet claimed at `now`; nothing once revoked (revoke settles it all).
    pub fn claimable(&self, now: i64) -> Result<u64> {
        if self.revoked {
            return Ok(0);
        }
        let unlocked = self
            .rule()
            .unlocked(self.total, self.start_ts, now)
            .map_err(VestingError::from)?;
        // unlocked is monotone and claimed was an earlier unlocked: never negative.
        Ok(unlocked.saturating_sub(self.claimed))
    }
}
