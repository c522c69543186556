use anchor_lang::prelude::*;
use anchor_spl::token::{self, CloseAccount, Transfer};
use ngpu_math::VestingRule;

use crate::errors::VestingError;
use crate::events::ScheduleTotals;

/// A beneficiary's grant from a pool, PDA `[b"vesting", pool, schedule_id]` (the beneficiary is
/// not in the seeds, so the schedule can change hands). Its vault `[b"vault", schedule, IO mint]`
/// holds `total - returned - claimed` (plus any donation not yet swept).
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct VestingSchedule {
    pub version: u8,
    pub bump: u8,
    pub vault_bump: u8,
    pub cliff_months: u8,
    pub parts: u8,
    pub revocable: bool,
    /// Frozen by `revoke`: what had unlocked then (`total - returned`) stays claimable; nothing
    /// more unlocks.
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
    /// Who paid the rent of the schedule and its vault (the authority that signed
    /// `create_schedule`): `close_schedule` returns both accounts' lamports there.
    pub rent_payer: Pubkey,
    /// When `revoke` froze the schedule; 0 while live.
    pub revoked_ts: i64,
    pub _reserved: [u8; 24],
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

    fn signer_seeds<'a>(&'a self, id: &'a [u8; 8], bump: &'a [u8; 1]) -> [&'a [u8]; 4] {
        [Self::SEED, self.pool.as_ref(), id, bump]
    }

    /// Moves `amount` out of this schedule's vault, signed by the schedule PDA (stored bump).
    pub fn transfer_out<'info>(
        &self,
        schedule: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        to: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        let (id, bump) = (self.schedule_id.to_le_bytes(), [self.bump]);
        let seeds = self.signer_seeds(&id, &bump);
        token::transfer(
            CpiContext::new_with_signer(
                token::ID,
                Transfer {
                    from: vault,
                    to,
                    authority: schedule,
                },
                &[&seeds],
            ),
            amount,
        )
    }

    /// Closes this schedule's (empty) vault, its lamports to `destination`.
    pub fn close_vault<'info>(
        &self,
        schedule: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        destination: AccountInfo<'info>,
    ) -> Result<()> {
        let (id, bump) = (self.schedule_id.to_le_bytes(), [self.bump]);
        let seeds = self.signer_seeds(&id, &bump);
        token::close_account(CpiContext::new_with_signer(
            token::ID,
            CloseAccount {
                account: vault,
                destination,
                authority: schedule,
            },
            &[&seeds],
        ))
    }

    /// Unlocked at `now`; once revoked, what had unlocked at the revocation (`total - returned`).
    pub fn unlocked(&self, now: i64) -> Result<u64> {
        if self.revoked {
            return self
                .total
                .checked_sub(self.returned)
                .ok_or_else(|| error!(VestingError::MathOverflow));
        }
        Ok(self
            .rule()
            .unlocked(self.total, self.start_ts, now)
            .map_err(VestingError::from)?)
    }

    /// Unlocked and not yet claimed at `now`.
    pub fn claimable(&self, now: i64) -> Result<u64> {
        // unlocked is monotone (frozen once revoked) and claimed was an earlier unlocked.
        Ok(self.unlocked(now)?.saturating_sub(self.claimed))
    }

    /// What the vault owes: `total - returned - claimed` (unlocked or not).
    pub fn outstanding(&self) -> Result<u64> {
        self.total
            .checked_sub(self.returned)
            .and_then(|granted| granted.checked_sub(self.claimed))
            .ok_or_else(|| error!(VestingError::MathOverflow))
    }

    pub fn totals(&self) -> Result<ScheduleTotals> {
        Ok(ScheduleTotals {
            total: self.total,
            claimed: self.claimed,
            returned: self.returned,
            outstanding: self.outstanding()?,
            revoked: self.revoked,
        })
    }
}
