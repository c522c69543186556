use core::ops::{Deref, DerefMut};

use anchor_lang::prelude::*;

use crate::errors::StakingError;

/// Hours of pending total-weight changes the ledger spans, from the crank's next hour.
pub const LEDGER_HOURS: u64 = 384;
/// Slots as 16 rows of 24 (bytemuck's `Pod` covers arrays of up to 32 and some sizes only).
const ROWS: usize = 16;

/// The hour-exact ledger (SPEC §4 "Hour-exact"), PDA `[b"ledger"]`, zero-copy. Its fixed part:
/// - `deltas[h % 384]`: the change of the network's total weight at hour `h`, for the hours not
///   yet cranked (`next_hour <= h < next_hour + 384`); the crank adds it to its running total
///   and clears it. Wrapping u64 (the total is exact modulo 2^64 and always fits a u64).
/// - `base_hour`: the first hour staking cranked (io-token's next hour at `initialize`).
/// - the program's running state (`LedgerState`): the next hour to crank, the total weight of
///   the last cranked hour, the reward-per-weight accumulator, and the minted / forfeited /
///   burned / escrowed totals. They live here, zero-copy, rather than in the Borsh `Config`
///   (parameters only), so that the crank, weight changes, reports and claims leave the config
///   untouched (re-serializing it cost more than the crank's own maths).
///
/// After it, one reading per cranked hour, kept for good: the reward-per-weight accumulator
/// after hour `base_hour + i`, 16 bytes little-endian. A node settles each piece of its weight
/// schedule between the readings at its breakpoints, however long ago they were; the crank
/// grows the account by 16 bytes an hour (the cranker pays the rent: ≈ 0.0001 SOL an hour).
/// Values are little-endian byte arrays: the layout has no alignment requirement on any target.
#[account(zero_copy)]
pub struct HourLedger {
    pub deltas: [[[u8; 8]; 24]; ROWS],
    pub base_hour: [u8; 8],
    pub next_hour: [u8; 8],
    pub total_weight: [u8; 8],
    pub reward_per_weight: [u8; 16],
    pub rewards_minted: [u8; 8],
    pub rewards_forfeited: [u8; 8],
    pub rewards_burned: [u8; 8],
    pub stake_burned: [u8; 8],
    pub escrow_held: [u8; 8],
}

/// The program's running state and totals, kept in the ledger's header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LedgerState {
    /// Next emission hour to crank (io-token's `next_hour` unless io-token processed hours
    /// under another controller, which the crank then skips).
    pub next_hour: u64,
    /// Σ weights of eligible nodes in the last cranked hour (hourly targets, micro-USD); later
    /// hours add the ledger's pending changes.
    pub total_weight: u64,
    /// IO base units paid per unit of weight since staking began, scaled by `ACC_SCALE`.
    pub reward_per_weight: u128,
    /// Base units minted into the reward vault.
    pub rewards_minted: u64,
    /// Base units of hour budgets not paid (targets below the budget, or no eligible node).
    pub rewards_forfeited: u64,
    /// Rewards burned from the reward vault: uptime cuts, and uptime debt repaid.
    pub rewards_burned: u64,
    /// Stake burned: offline slashes at once, malicious slashes after their appeal window.
    pub stake_burned: u64,
    /// Base units in the appeal escrow (pending slashes).
    pub escrow_held: u64,
}

impl HourLedger {
    pub const SEED: &'static [u8] = b"ledger";
    /// The fixed part, created by `initialize` (the readings follow it).
    pub const SPACE: usize = 8 + core::mem::size_of::<HourLedger>();
    /// Bytes per reading.
    pub const READING: usize = 16;

    /// Writes a freshly created ledger's discriminator, first hour and crank state
    /// (`initialize`): nothing cranked yet, the crank starts at `base_hour`.
    pub fn init(data: &mut [u8], base_hour: u64) -> Result<()> {
        require!(data.len() >= Self::SPACE, StakingError::MathOverflow);
        data[..8].copy_from_slice(Self::DISCRIMINATOR);
        let mut ledger = Ledger { data };
        ledger.write8(BASE_OFFSET, base_hour);
        ledger.set_state(&LedgerState {
            next_hour: base_hour,
            ..LedgerState::default()
        });
        Ok(())
    }

    /// Opens the ledger account's data for reading and writing (owner and discriminator are
    /// checked by its `AccountLoader`).
    pub fn open_mut<'a>(
        loader: &'a AccountLoader<'_, HourLedger>,
    ) -> Result<Ledger<core::cell::RefMut<'a, [u8]>>> {
        let info = loader.as_ref();
        let data = info.try_borrow_mut_data()?;
        Ledger::checked(core::cell::RefMut::map(data, |d| &mut **d))
    }

    /// Opens the ledger account's data for reading.
    pub fn open<'a>(
        loader: &'a AccountLoader<'_, HourLedger>,
    ) -> Result<Ledger<core::cell::Ref<'a, [u8]>>> {
        let info = loader.as_ref();
        let data = info.try_borrow_data()?;
        Ledger::checked(core::cell::Ref::map(data, |d| &**d))
    }
}

/// The ledger's bytes (fixed part and readings), with its operations.
pub struct Ledger<D> {
    data: D,
}

fn slot(hour: u64) -> usize {
    // Below 384: the cast cannot truncate.
    8usize.saturating_add(((hour % LEDGER_HOURS) as usize).saturating_mul(8))
}

// Every field is a byte array (alignment 1), so the offsets are the same on every target.
const BASE_OFFSET: usize = 8 + core::mem::offset_of!(HourLedger, base_hour);
const NEXT_HOUR_OFFSET: usize = 8 + core::mem::offset_of!(HourLedger, next_hour);
const TOTAL_WEIGHT_OFFSET: usize = 8 + core::mem::offset_of!(HourLedger, total_weight);
const ACC_OFFSET: usize = 8 + core::mem::offset_of!(HourLedger, reward_per_weight);
const MINTED_OFFSET: usize = 8 + core::mem::offset_of!(HourLedger, rewards_minted);
const FORFEITED_OFFSET: usize = 8 + core::mem::offset_of!(HourLedger, rewards_forfeited);
const REWARDS_BURNED_OFFSET: usize = 8 + core::mem::offset_of!(HourLedger, rewards_burned);
const STAKE_BURNED_OFFSET: usize = 8 + core::mem::offset_of!(HourLedger, stake_burned);
const ESCROW_HELD_OFFSET: usize = 8 + core::mem::offset_of!(HourLedger, escrow_held);
const READINGS_OFFSET: usize = HourLedger::SPACE;
// `slot` addresses the deltas as `LEDGER_HOURS` consecutive u64 right after the discriminator:
// they must be the struct's first field and end where the header fields begin, or a delta write
// would land in the crank's running state.
const _: () = assert!(
    core::mem::offset_of!(HourLedger, deltas) == 0
        && core::mem::offset_of!(HourLedger, base_hour)
            == core::mem::size_of::<[u64; LEDGER_HOURS as usize]>()
);

impl<D: Deref<Target = [u8]>> Ledger<D> {
    fn checked(data: D) -> Result<Self> {
        require!(
            data.len() >= HourLedger::SPACE && data[..8] == *HourLedger::DISCRIMINATOR,
            StakingError::MathOverflow
        );
        Ok(Ledger { data })
    }

    /// Decodes a ledger account's data off-chain or in tests.
    pub fn from_bytes(data: D) -> Option<Self> {
        Self::checked(data).ok()
    }

    fn read8(&self, at: usize) -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.data[at..at.saturating_add(8)]);
        u64::from_le_bytes(b)
    }

    fn read16(&self, at: usize) -> u128 {
        let mut b = [0u8; 16];
        b.copy_from_slice(&self.data[at..at.saturating_add(16)]);
        u128::from_le_bytes(b)
    }

    /// The first hour staking cranked.
    pub fn base_hour(&self) -> u64 {
        self.read8(BASE_OFFSET)
    }

    /// The crank's running state.
    pub fn state(&self) -> LedgerState {
        LedgerState {
            next_hour: self.next_hour(),
            total_weight: self.total_weight(),
            reward_per_weight: self.reward_per_weight(),
            rewards_minted: self.read8(MINTED_OFFSET),
            rewards_forfeited: self.read8(FORFEITED_OFFSET),
            rewards_burned: self.read8(REWARDS_BURNED_OFFSET),
            stake_burned: self.read8(STAKE_BURNED_OFFSET),
            escrow_held: self.read8(ESCROW_HELD_OFFSET),
        }
    }

    /// Next emission hour to crank.
    pub fn next_hour(&self) -> u64 {
        self.read8(NEXT_HOUR_OFFSET)
    }

    /// Σ weights of eligible nodes in the last cranked hour.
    pub fn total_weight(&self) -> u64 {
        self.read8(TOTAL_WEIGHT_OFFSET)
    }

    /// The reward-per-weight accumulator after the last cranked hour.
    pub fn reward_per_weight(&self) -> u128 {
        self.read16(ACC_OFFSET)
    }

    /// The pending total-weight change of `hour` (wrapping), without clearing it.
    pub fn delta(&self, hour: u64) -> u64 {
        self.read8(slot(hour))
    }

    /// The accumulator after `hour`, once cranked (0 for hours before staking began).
    pub fn acc_end(&self, hour: u64) -> Option<u128> {
        let base = self.base_hour();
        if hour < base {
            return Some(0);
        }
        let i = usize::try_from(hour.saturating_sub(base)).ok()?;
        let at = READINGS_OFFSET.checked_add(i.checked_mul(HourLedger::READING)?)?;
        let bytes = self.data.get(at..at.checked_add(HourLedger::READING)?)?;
        let mut b = [0u8; 16];
        b.copy_from_slice(bytes);
        Some(u128::from_le_bytes(b))
    }
}

impl<D: DerefMut<Target = [u8]>> Ledger<D> {
    fn write8(&mut self, at: usize, v: u64) {
        self.data[at..at.saturating_add(8)].copy_from_slice(&v.to_le_bytes());
    }

    /// Stores the running state.
    pub fn set_state(&mut self, state: &LedgerState) {
        self.write8(NEXT_HOUR_OFFSET, state.next_hour);
        self.write8(TOTAL_WEIGHT_OFFSET, state.total_weight);
        self.data[ACC_OFFSET..ACC_OFFSET.saturating_add(16)]
            .copy_from_slice(&state.reward_per_weight.to_le_bytes());
        self.write8(MINTED_OFFSET, state.rewards_minted);
        self.write8(FORFEITED_OFFSET, state.rewards_forfeited);
        self.write8(REWARDS_BURNED_OFFSET, state.rewards_burned);
        self.write8(STAKE_BURNED_OFFSET, state.stake_burned);
        self.write8(ESCROW_HELD_OFFSET, state.escrow_held);
    }

    /// Adds `amount` to one of the totals (`add_total(|s| &mut s.stake_burned, x)`).
    pub fn add_total(
        &mut self,
        total: fn(&mut LedgerState) -> &mut u64,
        amount: u64,
    ) -> Result<()> {
        let mut state = self.state();
        crate::errors::add_to(total(&mut state), amount)?;
        self.set_state(&state);
        Ok(())
    }

    /// Takes `amount` off one of the totals.
    pub fn sub_total(
        &mut self,
        total: fn(&mut LedgerState) -> &mut u64,
        amount: u64,
    ) -> Result<()> {
        let mut state = self.state();
        crate::errors::sub_from(total(&mut state), amount)?;
        self.set_state(&state);
        Ok(())
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
        if delta != 0 {
            let at = slot(hour);
            let v = self.read8(at).wrapping_add(delta);
            self.write8(at, v);
        }
        Ok(())
    }

    /// Takes the total-weight change of `hour` (the crank, in hour order), clearing its slot.
    pub fn take_delta(&mut self, hour: u64) -> u64 {
        let at = slot(hour);
        let v = self.read8(at);
        self.write8(at, 0);
        v
    }

    /// Records the accumulator after `hour` (the crank, in hour order, after growing the
    /// account to hold it).
    pub fn set_acc_end(&mut self, hour: u64, acc: u128) -> Result<()> {
        let i = usize::try_from(hour.saturating_sub(self.base_hour()))
            .map_err(|_| error!(StakingError::MathOverflow))?;
        let at = i
            .checked_mul(HourLedger::READING)
            .and_then(|o| o.checked_add(READINGS_OFFSET))
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        let end = at
            .checked_add(HourLedger::READING)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        let bytes = self
            .data
            .get_mut(at..end)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        bytes.copy_from_slice(&acc.to_le_bytes());
        Ok(())
    }
}

/// The ledger's size once it holds the readings of hours `base..end`.
pub fn ledger_len(base: u64, end: u64) -> Result<usize> {
    usize::try_from(end.saturating_sub(base))
        .ok()
        .and_then(|n| n.checked_mul(HourLedger::READING))
        .and_then(|n| n.checked_add(READINGS_OFFSET))
        .ok_or_else(|| error!(StakingError::MathOverflow))
}
