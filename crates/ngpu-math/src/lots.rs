//! Per-deposit locks and per-request cooldowns (SPEC §4): "each deposit is locked 7 days"
//! from its own time and "unstaking is a request ... withdrawable 7 days later", each request
//! on its own clock. A position keeps a few lots of (shares, end time); storage is bounded, with
//! a clear error when every slot is taken by a running lot.

/// Lots per position, for deposits and for unstake requests each.
pub const LOTS: usize = 8;

/// A lot could not be added: all slots hold lots still running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LotsFull;

/// Up to `LOTS` amounts of shares, each with the time it ends (0 shares = an empty slot).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lots {
    pub shares: [u128; LOTS],
    pub until: [i64; LOTS],
}

impl Lots {
    /// Shares in lots that have not ended at `now` (`until > now`).
    pub fn running(&self, now: i64) -> u128 {
        self.iter()
            .filter(|(_, until)| *until > now)
            .fold(0u128, |sum, (shares, _)| sum.saturating_add(shares))
    }

    /// Shares in lots that have ended at `now`.
    pub fn ended(&self, now: i64) -> u128 {
        self.iter()
            .filter(|(_, until)| *until <= now)
            .fold(0u128, |sum, (shares, _)| sum.saturating_add(shares))
    }

    /// Every share held, ended or not.
    pub fn total(&self) -> u128 {
        self.iter()
            .fold(0u128, |sum, (shares, _)| sum.saturating_add(shares))
    }

    fn iter(&self) -> impl Iterator<Item = (u128, i64)> + '_ {
        self.shares
            .iter()
            .zip(self.until.iter())
            .filter(|(s, _)| **s > 0)
            .map(|(s, u)| (*s, *u))
    }

    /// Adds `shares` ending at `until`: into the lot ending at the same time if there is one,
    /// else into an empty slot, else (with `reuse_ended`, for locks: an ended lock frees its
    /// shares) into a slot whose lot has ended. Changes nothing when it fails.
    pub fn add(
        &mut self,
        shares: u128,
        until: i64,
        now: i64,
        reuse_ended: bool,
    ) -> Result<(), LotsFull> {
        if shares == 0 {
            return Ok(());
        }
        let same = (0..LOTS).find(|&i| self.shares[i] > 0 && self.until[i] == until);
        let empty = || (0..LOTS).find(|&i| self.shares[i] == 0);
        let ended = || (0..LOTS).find(|&i| reuse_ended && self.until[i] <= now);
        let slot = same.or_else(empty).or_else(ended).ok_or(LotsFull)?;
        let base = if same == Some(slot) {
            self.shares[slot]
        } else {
            0
        };
        self.shares[slot] = base.checked_add(shares).ok_or(LotsFull)?;
        self.until[slot] = until;
        Ok(())
    }

    /// Removes and returns the shares of every lot ended at `now`.
    pub fn take_ended(&mut self, now: i64) -> u128 {
        let mut taken = 0u128;
        for i in 0..LOTS {
            if self.shares[i] > 0 && self.until[i] <= now {
                taken = taken.saturating_add(self.shares[i]);
                self.shares[i] = 0;
                self.until[i] = 0;
            }
        }
        taken
    }

    /// Removes and returns every share.
    pub fn take_all(&mut self) -> u128 {
        let taken = self.total();
        *self = Lots::default();
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_lot_keeps_its_own_clock() {
        let mut l = Lots::default();
        l.add(100, 700, 0, true).unwrap();
        l.add(50, 900, 200, true).unwrap();
        assert_eq!((l.running(699), l.ended(699)), (150, 0));
        assert_eq!((l.running(700), l.ended(700)), (50, 100));
        assert_eq!(l.take_ended(800), 100);
        assert_eq!((l.total(), l.running(800)), (50, 50));
        assert_eq!(l.take_all(), 50);
        assert_eq!(l, Lots::default());
    }

    #[test]
    fn full_lots_are_refused_unless_an_ended_one_can_go() {
        let mut l = Lots::default();
        for i in 0..LOTS as i64 {
            l.add(1, 100 + i, i, true).unwrap();
        }
        let before = l;
        assert_eq!(l.add(1, 200, 50, true), Err(LotsFull));
        assert_eq!(l, before);
        // Same end time: merged.
        l.add(5, 100, 50, true).unwrap();
        assert_eq!(l.total(), LOTS as u128 + 5);
        // Once a lock ended, its slot is reused (its shares are free anyway).
        l.add(1, 300, 100, true).unwrap();
        assert_eq!(l.running(100), LOTS as u128);
        // Cooldowns never drop an ended lot: its shares are still to withdraw.
        let mut c = before;
        assert_eq!(c.add(1, 300, 1_000, false), Err(LotsFull));
    }

    proptest! {
        /// Against a plain list of lots: running / ended / total agree whatever the order.
        #[test]
        fn lots_match_a_plain_list(ops in proptest::collection::vec((1u128..1_000, 0i64..50, any::<bool>()), 1..40)) {
            let mut l = Lots::default();
            let mut list: Vec<(u128, i64)> = Vec::new();
            let mut now = 0i64;
            for (shares, dt, take) in ops {
                now += dt / 10;
                if take {
                    let t = l.take_ended(now);
                    let expect: u128 = list.iter().filter(|(_, u)| *u <= now).map(|(s, _)| s).sum();
                    list.retain(|(_, u)| *u > now);
                    prop_assert_eq!(t, expect);
                } else if l.add(shares, now + dt, now, false).is_ok() {
                    list.push((shares, now + dt));
                } else {
                    // Only refused when all slots hold distinct end times.
                    let mut ends: Vec<i64> = list.iter().map(|(_, u)| *u).collect();
                    ends.sort();
                    ends.dedup();
                    prop_assert_eq!(ends.len(), LOTS);
                }
                let total: u128 = list.iter().map(|(s, _)| s).sum();
                let running: u128 = list.iter().filter(|(_, u)| *u > now).map(|(s, _)| s).sum();
                prop_assert_eq!((l.total(), l.running(now)), (total, running));
            }
        }
    }
}
