use anchor_lang::prelude::*;

use crate::errors::StakingError;

/// Days of hourly readings kept: uptime reports reach back this far.
pub const HISTORY_DAYS: usize = 30;
/// Hours kept: 720.
pub const HISTORY_HOURS: u64 = 30 * 24;

/// The reward-per-weight the crank added for each of the last 720 hours, so that an uptime
/// report can find what a node earned in one hour. Zero-copy (11.5 KB: too large to create by
/// CPI, so the deployer creates it at a keypair address and `init_history` pins it). Hour `h`
/// lives at `deltas[(h % 720) / 24][h % 24]`, as little-endian u128 bytes (byte arrays keep the
/// layout free of alignment requirements on every target).
#[account(zero_copy)]
pub struct RewardHistory {
    pub deltas: [[[u8; 16]; 24]; HISTORY_DAYS],
}

impl RewardHistory {
    pub const SPACE: usize = 8 + core::mem::size_of::<RewardHistory>();

    /// Borrows the ring of an account whose address the caller has already checked against
    /// the config; checks owner, discriminator and size again (no panics on a bad account).
    pub fn load_mut<'a>(info: &'a AccountInfo) -> Result<core::cell::RefMut<'a, RewardHistory>> {
        require_keys_eq!(*info.owner, crate::ID, StakingError::HistoryNotInitialized);
        let data = info.try_borrow_mut_data()?;
        require!(
            data.len() == Self::SPACE && data[..8] == *RewardHistory::DISCRIMINATOR,
            StakingError::HistoryNotInitialized
        );
        Ok(core::cell::RefMut::map(data, |d| {
            bytemuck::from_bytes_mut(&mut d[8..])
        }))
    }

    fn slot(hour: u64) -> (usize, usize) {
        // Both results are below 30 and 24: the casts cannot truncate.
        let in_ring = hour % HISTORY_HOURS;
        ((in_ring / 24) as usize, (in_ring % 24) as usize)
    }

    /// Records the reward-per-weight added for `hour` (overwrites the reading of 30 days ago).
    pub fn record(&mut self, hour: u64, delta: u128) {
        let (day, h) = Self::slot(hour);
        self.deltas[day][h] = delta.to_le_bytes();
    }

    /// The reward-per-weight added for `hour`; `next_hour` is the crank's next hour. Only hours
    /// already cranked and at most 720 hours old can be read.
    pub fn delta(&self, hour: u64, next_hour: u64) -> Result<u128> {
        require_gt!(next_hour, hour, StakingError::HourNotCranked);
        require_gte!(
            HISTORY_HOURS,
            next_hour.saturating_sub(hour),
            StakingError::ReportTooLate
        );
        let (day, h) = Self::slot(hour);
        Ok(u128::from_le_bytes(self.deltas[day][h]))
    }
}
