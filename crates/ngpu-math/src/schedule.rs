//! Hour-exact node weights (SPEC §4 "Hour-exact"), for the `staking` program.
//!
//! An hour is paid with the weights in force *during* that hour, however late it is cranked:
//! - a change that lowers a node's weight applies to the hour in progress (`c`);
//! - a change that raises it applies from the next whole hour (`c + 1`), or from the node's
//!   eligible hour after a reconnect cooldown.
//!
//! So hour `c` is paid with the lowest weight the node had at any moment of it, and every later
//! hour with the weight it ends with. Each node keeps a short [`WeightSchedule`]: the weight it
//! has from a given hour on, for the hours not yet settled. The program keeps, for every hour
//! not yet cranked, the change of the *total* weight at that hour (`deltas`), so the crank
//! rebuilds each hour's total in O(1) per hour without looking at nodes, and a node settles its
//! reward piece by piece from the reward-per-weight readings at its breakpoints.
//!
//! Total-weight changes are written as wrapping u64 deltas: the running total is exact modulo
//! 2^64 and the true total (a sum of hourly targets in micro-USD) always fits a u64.

use crate::staking::accrued;
use crate::MathError;

/// Entries of a node's schedule: one change makes at most three (the hour in progress, the
/// next hour, the eligible hour); settling drops every entry the crank has passed.
pub const SCHEDULE_LEN: usize = 8;

/// Why a schedule change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleError {
    /// The schedule has no room: the crank is far behind; crank, then retry.
    Full,
    /// A change for an hour before one already scheduled (hours only move forward).
    OutOfOrder,
}

/// A node's weight by hour: `weights[i]` from `hours[i]` on, until the next entry. Entry 0 is
/// the weight in force since the node last settled (its hour is informative only). Hours are
/// strictly increasing and consecutive weights differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WeightSchedule {
    pub hours: [u64; SCHEDULE_LEN],
    pub weights: [u64; SCHEDULE_LEN],
    pub len: u8,
}

impl WeightSchedule {
    fn count(&self) -> usize {
        usize::from(self.len).clamp(1, SCHEDULE_LEN)
    }

    /// The weight in force during `hour`.
    pub fn weight_at(&self, hour: u64) -> u64 {
        let n = self.count();
        let mut w = self.weights[0];
        for i in 1..n {
            if self.hours[i] > hour {
                break;
            }
            w = self.weights[i];
        }
        w
    }

    /// Pieces of the schedule restricted to hours `>= from`: `(hour, weight)` with the first at
    /// `from`. Calls `f` for each piece in order.
    fn pieces_from(&self, from: u64, mut f: impl FnMut(u64, u64)) {
        f(from, self.weight_at(from));
        for i in 1..self.count() {
            if self.hours[i] > from {
                f(self.hours[i], self.weights[i]);
            }
        }
    }

    /// Applies a change made during hour `c` after which the node's weight is `new_weight` from
    /// `eligible_hour` on (0 before it). Hour `c` keeps the lower of its weight so far and the
    /// new weight in force now; later hours take the new weight.
    ///
    /// `on_delta(hour, delta)` receives the wrapping change of the network's total weight at
    /// each affected hour (all `>= c`): add it to the running total from that hour on.
    pub fn change(
        &mut self,
        c: u64,
        new_weight: u64,
        eligible_hour: u64,
        mut on_delta: impl FnMut(u64, u64),
    ) -> Result<(), ScheduleError> {
        let n = self.count();
        let now_weight = if eligible_hour <= c { new_weight } else { 0 };
        let at_c = self.weight_at(c).min(now_weight);
        // Build the new schedule: entries before `c`, then the new pieces.
        let mut next = WeightSchedule {
            hours: [0; SCHEDULE_LEN],
            weights: [0; SCHEDULE_LEN],
            len: 0,
        };
        let mut len = 0usize;
        let mut push =
            |s: &mut WeightSchedule, hour: u64, weight: u64| -> Result<(), ScheduleError> {
                if len > 0 {
                    let last = len.saturating_sub(1);
                    if s.weights[last] == weight {
                        return Ok(());
                    }
                    if s.hours[last] >= hour {
                        if s.hours[last] == hour {
                            s.weights[last] = weight;
                            // May now equal the entry before it.
                            if last > 0 && s.weights[last.saturating_sub(1)] == weight {
                                len = last;
                            }
                            return Ok(());
                        }
                        return Err(ScheduleError::OutOfOrder);
                    }
                }
                if len == SCHEDULE_LEN {
                    return Err(ScheduleError::Full);
                }
                s.hours[len] = hour;
                s.weights[len] = weight;
                len = len.saturating_add(1);
                Ok(())
            };
        for i in 0..n {
            if i == 0 || self.hours[i] < c {
                push(&mut next, self.hours[i], self.weights[i])?;
            }
        }
        push(&mut next, c, at_c)?;
        let from = eligible_hour.max(c.saturating_add(1));
        if from > c.saturating_add(1) {
            push(&mut next, c.saturating_add(1), 0)?;
        }
        push(&mut next, from, new_weight)?;
        next.len = u8::try_from(len).map_err(|_| ScheduleError::Full)?;

        // The total's change: the new pieces from `c` on minus the old ones.
        let mut prev = 0u64;
        self.pieces_from(c, |hour, w| {
            on_delta(hour, prev.wrapping_sub(w));
            prev = w;
        });
        let mut prev = 0u64;
        next.pieces_from(c, |hour, w| {
            on_delta(hour, w.wrapping_sub(prev));
            prev = w;
        });
        *self = next;
        Ok(())
    }

    /// Merges the scheduled changes in hours `[from, to)` (those the crank has not reached, before
    /// the hour in progress) into one, at their lowest weight, which holds until the next change
    /// at or after `to`: every hour's weight stays or falls. Makes room when a lowering change
    /// finds the schedule full (nobody can then block a pause or an unstake request by filling
    /// the schedule while the crank lags). `on_delta` receives the total's changes, as in
    /// `change`. Returns false, changing nothing, when there are fewer than two such entries.
    pub fn compress(&mut self, from: u64, to: u64, mut on_delta: impl FnMut(u64, u64)) -> bool {
        let n = self.count();
        let picked: Vec<usize> = (1..n)
            .filter(|&i| self.hours[i] >= from && self.hours[i] < to)
            .collect();
        let (Some(&first), Some(&last)) = (picked.first(), picked.last()) else {
            return false;
        };
        if last <= first {
            return false;
        }
        let low = self.weights[first..=last]
            .iter()
            .copied()
            .min()
            .unwrap_or(0);
        let mut next = *self;
        let mut len = 0usize;
        for i in 0..n {
            let (hour, weight) = if i == first {
                (self.hours[i], low)
            } else if i > first && i <= last {
                continue;
            } else {
                (self.hours[i], self.weights[i])
            };
            if len > 0 && next.weights[len.saturating_sub(1)] == weight {
                continue;
            }
            next.hours[len] = hour;
            next.weights[len] = weight;
            len = len.saturating_add(1);
        }
        for i in len..SCHEDULE_LEN {
            next.hours[i] = 0;
            next.weights[i] = 0;
        }
        // `len` is at most `n`, so it fits.
        next.len = len as u8;
        let x = self.hours[first];
        let mut prev = 0u64;
        self.pieces_from(x, |hour, w| {
            on_delta(hour, prev.wrapping_sub(w));
            prev = w;
        });
        let mut prev = 0u64;
        next.pieces_from(x, |hour, w| {
            on_delta(hour, w.wrapping_sub(prev));
            prev = w;
        });
        *self = next;
        true
    }

    /// Whether scheduling `new_weight` from `eligible_hour` on (0 before) at hour `c` lowers or
    /// keeps the node's weight in every hour from `c` on (never raises any hour).
    pub fn only_lowers_from(&self, c: u64, new_weight: u64, eligible_hour: u64) -> bool {
        let new_at = |h: u64| if h >= eligible_hour { new_weight } else { 0 };
        let mut ok = true;
        self.pieces_from(c, |hour, w| ok &= new_at(hour) <= w);
        // New pieces start at `c`, `c + 1` and `eligible_hour`: check those hours as well.
        for h in [c, c.saturating_add(1), eligible_hour.max(c)] {
            ok &= new_at(h) <= self.weight_at(h);
        }
        ok
    }

    /// Settles the hours cranked since the node last settled: the crank's next hour is `next`,
    /// the accumulator `acc_now` (its reading after hour `next - 1`), `acc_paid` the reading the
    /// node last settled at, and `acc_end(h)` the reading after cranked hour `h` (the ledger
    /// keeps them all; a missing one is an error and changes nothing). Returns the reward, and
    /// drops the entries now in force (calling `on_cranked(hour, weight)` for each, oldest
    /// first, so a log of cranked weights can follow).
    pub fn settle(
        &mut self,
        next: u64,
        acc_now: u128,
        acc_paid: u128,
        acc_end: impl Fn(u64) -> Option<u128>,
        mut on_cranked: impl FnMut(u64, u64),
    ) -> Result<u64, MathError> {
        let n = self.count();
        let mut reward: u64 = 0;
        let mut from_acc = acc_paid;
        let mut w = self.weights[0];
        let mut keep_from = 0usize;
        for i in 1..n {
            let hour = self.hours[i];
            if hour > next {
                break;
            }
            let boundary = if hour == next {
                acc_now
            } else {
                hour.checked_sub(1)
                    .and_then(&acc_end)
                    .ok_or(MathError::Overflow)?
            };
            let boundary = boundary.clamp(from_acc, acc_now);
            let piece = accrued(u128::from(w), boundary, from_acc)?;
            reward = reward.checked_add(piece).ok_or(MathError::Overflow)?;
            from_acc = boundary;
            w = self.weights[i];
            keep_from = i;
        }
        // Only now that nothing can fail: log the cranked weights.
        for i in 1..=keep_from {
            on_cranked(self.hours[i], self.weights[i]);
        }
        let last = accrued(u128::from(w), acc_now, from_acc)?;
        reward = reward.checked_add(last).ok_or(MathError::Overflow)?;
        // Entry `keep_from` becomes the base; later ones stay.
        if keep_from > 0 {
            let kept = n.saturating_sub(keep_from);
            self.hours.copy_within(keep_from..n, 0);
            self.weights.copy_within(keep_from..n, 0);
            for i in kept..SCHEDULE_LEN {
                self.hours[i] = 0;
                self.weights[i] = 0;
            }
            self.len = u8::try_from(kept).map_err(|_| MathError::Overflow)?;
        }
        Ok(reward)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staking::ACC_SCALE;
    use proptest::prelude::*;

    const H: usize = 64;

    /// The rule itself, hour by hour: weights of hours `0..H` for one node.
    #[derive(Clone)]
    struct Model {
        w: [u64; H],
    }

    impl Model {
        fn change(&mut self, c: u64, new: u64, eligible: u64) {
            let c = c as usize;
            let now = if eligible as usize <= c { new } else { 0 };
            self.w[c] = self.w[c].min(now);
            for h in c + 1..H {
                self.w[h] = if h as u64 >= eligible { new } else { 0 };
            }
        }
    }

    #[test]
    fn lowering_counts_in_its_hour_raising_from_the_next() {
        let mut s = WeightSchedule::default();
        let mut total = [0u64; H];
        let mut apply = |hour: u64, d: u64| {
            for t in total.iter_mut().skip(hour as usize) {
                *t = t.wrapping_add(d);
            }
        };
        // Registered and staked at 10:30: hour 10 pays nothing, hour 11 on pays 100.
        s.change(10, 100, 0, &mut apply).unwrap();
        assert_eq!((s.weight_at(10), s.weight_at(11)), (0, 100));
        // Paused during hour 20: hour 20 pays nothing.
        s.change(20, 0, 0, &mut apply).unwrap();
        assert_eq!((s.weight_at(19), s.weight_at(20)), (100, 0));
        // Resumed at 21:10 with a 12-hour cooldown: eligible from hour 34.
        s.change(21, 100, 34, &mut apply).unwrap();
        assert_eq!((s.weight_at(33), s.weight_at(34)), (0, 100));
        // Raised then lowered within hour 40: hour 40 keeps the lowest.
        s.change(40, 150, 0, &mut apply).unwrap();
        s.change(40, 50, 0, &mut apply).unwrap();
        assert_eq!((s.weight_at(40), s.weight_at(41)), (50, 50));
        for h in 0..H as u64 {
            assert_eq!(total[h as usize], s.weight_at(h), "hour {h}");
        }
    }

    #[test]
    fn full_schedule_is_refused_without_changing_it() {
        let mut s = WeightSchedule::default();
        // Raises two hours apart with the crank never coming: each stays scheduled.
        let mut c = 0;
        let err = loop {
            if let Err(e) = s.change(c, 100 + c, 0, |_, _| {}) {
                break e;
            }
            c += 2;
            assert!(c < 100);
        };
        assert_eq!(err, ScheduleError::Full);
        let before = s;
        assert!(s.change(c, 1, 0, |_, _| {}).is_err());
        assert_eq!(s, before);
    }

    #[test]
    fn compress_only_lowers_and_keeps_the_total_right() {
        let mut s = WeightSchedule::default();
        let mut total = [0u64; H];
        fn add(total: &mut [u64; H], hour: u64, d: u64) {
            for t in total.iter_mut().skip(hour as usize) {
                *t = t.wrapping_add(d);
            }
        }
        // Raises two hours apart with the crank at hour 1: 100 from 3, 102 from 5, ...
        let mut c = 2;
        while s
            .change(c, 100 + c, 0, |h, d| add(&mut total, h, d))
            .is_ok()
        {
            c += 2;
        }
        let before = s;
        assert!(s.compress(1, c, |h, d| add(&mut total, h, d)));
        assert!(s.len < before.len);
        for h in 0..H as u64 {
            assert!(s.weight_at(h) <= before.weight_at(h), "hour {h}");
            assert_eq!(total[h as usize], s.weight_at(h), "total at hour {h}");
        }
        // Room again for a lowering change at hour c.
        assert!(s.change(c, 0, 0, |h, d| add(&mut total, h, d)).is_ok());
        for h in 0..H as u64 {
            assert_eq!(total[h as usize], s.weight_at(h));
        }
        // Nothing to merge: no change.
        let mut one = WeightSchedule::default();
        one.change(3, 100, 0, |_, _| {}).unwrap();
        let copy = one;
        assert!(!one.compress(0, 10, |_, _| {}));
        assert_eq!(one, copy);
    }

    #[test]
    fn settle_pays_each_piece_and_needs_every_reading() {
        let mut s = WeightSchedule::default();
        s.change(5, 100, 8, |_, _| {}).unwrap(); // 0 until hour 8, then 100
        let acc = |h: u64| u128::from(h + 1) * ACC_SCALE; // 1 base unit per weight per hour
                                                          // Hours 8..20 at 100.
        let mut exact = s;
        let r = exact.settle(20, acc(19), 0, |h| Some(acc(h)), |_, _| {});
        assert_eq!(r, Ok(12 * 100));
        assert_eq!(exact.len, 1);
        assert_eq!(exact.weight_at(0), 100);
        // A missing reading is an error and settles nothing.
        let mut lossy = s;
        let r = lossy.settle(20, acc(19), 0, |h| (h >= 15).then(|| acc(h)), |_, _| {});
        assert_eq!(r, Err(MathError::Overflow));
        assert_eq!(lossy, s);
    }

    #[derive(Clone, Debug)]
    enum Step {
        Change { dc: u64, new: u64, cooldown: u64 },
        Settle { lag: u64 },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0u64..3, 0u64..5, prop_oneof![Just(0u64), 1u64..14]).prop_map(
                |(dc, new, cooldown)| {
                    Step::Change {
                        dc,
                        new: new * 100,
                        cooldown,
                    }
                }
            ),
            (0u64..4).prop_map(|lag| Step::Settle { lag }),
        ]
    }

    proptest! {
        /// Against the hour-by-hour rule: the schedule's weight of every hour, the total rebuilt
        /// from the deltas, and settled rewards (each piece rounds down: never above the exact
        /// sum, below it by less than one base unit per piece).
        #[test]
        fn schedule_matches_the_hourly_rule(
            steps in proptest::collection::vec(step(), 1..40),
            per_hour in proptest::collection::vec(0u128..5 * ACC_SCALE, H),
        ) {
            let mut model = Model { w: [0; H] };
            let mut s = WeightSchedule::default();
            let mut deltas = [0u64; H];
            let mut acc_end = [0u128; H];
            for h in 0..H {
                acc_end[h] = per_hour[..=h].iter().sum();
            }
            let reading = |h: u64| acc_end[h as usize];
            let (mut c, mut settled_next, mut paid, mut reward) = (1u64, 0u64, 0u128, 0u64);
            let mut pieces = 0u64;
            for st in steps {
                match st {
                    Step::Change { dc, new, cooldown } => {
                        c += dc;
                        if c + 16 >= H as u64 { break; }
                        let eligible = if cooldown == 0 { 0 } else { c + cooldown };
                        let r = s.change(c, new, eligible, |h, d| {
                            deltas[h as usize] = deltas[h as usize].wrapping_add(d);
                        });
                        if r.is_err() { continue; }
                        model.change(c, new, eligible);
                    }
                    Step::Settle { lag } => {
                        // The crank has done every hour before `next` (never the hour in progress).
                        let next = c.saturating_sub(lag).max(settled_next);
                        let acc_now = if next == 0 { 0 } else { reading(next - 1) };
                        pieces += u64::from(s.len.max(1));
                        let r = s.settle(next, acc_now, paid, |h| Some(reading(h)), |_, _| {}).unwrap();
                        reward += r;
                        paid = acc_now;
                        settled_next = next;
                    }
                }
                // Same weight every hour from the last settled hour on.
                for h in settled_next..H as u64 {
                    prop_assert_eq!(s.weight_at(h), model.w[h as usize], "hour {}", h);
                }
                let mut total = 0u64;
                for (h, (d, w)) in deltas.iter().zip(model.w.iter()).enumerate() {
                    total = total.wrapping_add(*d);
                    prop_assert_eq!(total, *w, "total at hour {}", h);
                }
            }
            let exact: u128 = (0..settled_next as usize)
                .map(|h| u128::from(model.w[h]) * per_hour[h] / ACC_SCALE)
                .sum();
            let exact_hi: u128 = (0..settled_next as usize)
                .map(|h| u128::from(model.w[h]) * per_hour[h])
                .sum::<u128>() / ACC_SCALE;
            prop_assert!(u128::from(reward) <= exact_hi);
            prop_assert!(u128::from(reward) + u128::from(pieces) + 1 >= exact);
        }
    }
}
