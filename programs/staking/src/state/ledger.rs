use anchor_lang::prelude::*;

use crate::errors::StakingError;

/// Hours the ledger spans: pending total-weight changes for the next 384 hours from the crank's
/// next hour, and the reward-per-weight reading after each of the last 384 cranked hours.
pub const LEDGER_HOURS: u64 = 384;
/// Slots as 16 rows of 24 (bytemuck's `Pod` covers arrays of up to 32 and some sizes only).
const ROWS: usize = 16;

/// The hour-exact ledger (SPEC §4 "Hour-exact"), PDA `[b"ledger"]`, zero-copy (9.2 KB: created
/// by `initialize`, within the 10 KB a program may create).
/// - `deltas[h % 384]`: the change of the network's total weight at hour `h`, for the hours not
///   yet cranked (`next_hour <= h < next_hour + 384`); the crank adds it to its running total
///   and clears it. Wrapping u64 (the total is exact modulo 2^64 and always fits a u64).
/// - `acc_end[h % 384]`: the reward-per-weight accumulator after hour `h`, for the last 384
///   cranked hours: a node settles each piece of its weight schedule between two readings.
///
/// Values are little-endian byte arrays: the layout has no alignment requirement on any target.
#[account(zero_copy)]
pub struct HourLedger {
    pub deltas: [[[u8; 8]; 24]; ROWS],
    pub acc_end: [[[u8; 16]; 24]; ROWS],
}

impl HourLedger {
    pub const SEED: &'static [u8] = b"ledger";
    pub const SPACE: usize = 8 + core::mem::size_of::<HourLedger>();

    fn slot(hour: u64) -> (usize, usize) {
        // Below 384: the casts cannot truncate.
        let slot = hour % LEDGER_HOURS;
        ((slot / 24) as usize, (slot % 24) as usize)
    }

    /// Adds `delta` (wrapping) to the total-weight change of `hour`, which must not be cranked
    /// yet and lie within the ledger's span: a crank far behind must catch up first.
    pub fn add_delta(&mut self, hour: u64, delta: u64, next_hour: u64) -> Result<()> {
        require_gte!(hour, next_hour, StakingError::HourAlreadyProcessed);
        require_gt!(
            next_hour.saturating_add(LEDGER_HOURS),
            hour,
            StakingError::CrankBehind
        );
        if delta == 0 {
            return Ok(());
        }
        let (row, col) = Self::slot(hour);
        let slot = &mut self.deltas[row][col];
        *slot = u64::from_le_bytes(*slot).wrapping_add(delta).to_le_bytes();
        Ok(())
    }

    /// The pending total-weight change of `hour` (wrapping), without clearing it.
    pub fn delta(&self, hour: u64) -> u64 {
        let (row, col) = Self::slot(hour);
        u64::from_le_bytes(self.deltas[row][col])
    }

    /// Decodes a ledger account's data (discriminator, size) off-chain or in tests.
    pub fn from_account_data(data: &[u8]) -> Option<&HourLedger> {
        if data.len() != Self::SPACE || data[..8] != *Self::DISCRIMINATOR {
            return None;
        }
        bytemuck::try_from_bytes(&data[8..]).ok()
    }

    /// Takes the total-weight change of `hour` (the crank, in hour order), clearing its slot.
    pub fn take_delta(&mut self, hour: u64) -> u64 {
        let (row, col) = Self::slot(hour);
        let slot = &mut self.deltas[row][col];
        let delta = u64::from_le_bytes(*slot);
        *slot = [0; 8];
        delta
    }

    /// Records the accumulator after `hour` (the crank).
    pub fn set_acc_end(&mut self, hour: u64, acc: u128) {
        let (row, col) = Self::slot(hour);
        self.acc_end[row][col] = acc.to_le_bytes();
    }

    /// The accumulator after `hour`, if cranked and still kept.
    pub fn acc_end(&self, hour: u64, next_hour: u64) -> Option<u128> {
        (hour < next_hour && next_hour.saturating_sub(hour) <= LEDGER_HOURS).then(|| {
            let (row, col) = Self::slot(hour);
            u128::from_le_bytes(self.acc_end[row][col])
        })
    }

    /// The oldest reading still kept (`acc_now` if no hour was cranked yet).
    pub fn oldest_kept(&self, next_hour: u64, acc_now: u128) -> u128 {
        match next_hour.checked_sub(1) {
            None => acc_now,
            Some(last) => {
                let oldest = last.saturating_sub(LEDGER_HOURS.saturating_sub(1));
                self.acc_end(oldest, next_hour).unwrap_or(acc_now)
            }
        }
    }
}
