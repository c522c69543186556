//! Uptime cuts and slashing maths (SPEC §4), for the `staking` program.
//!
//! - A node's reward for one hour is `weight_h * delta_h / ACC_SCALE`, where `delta_h` is the
//!   reward-per-weight the crank added for that hour (kept 30 days in a ring) and `weight_h` the
//!   node's weight when that hour was cranked (kept in a short per-node weight log).
//! - An uptime report cuts that hour's reward pro rata to the downtime (rounded up, never above
//!   the hour's reward); below the offline threshold the whole hour is cut.
//! - The cut is charged to the supplier: taken from its unclaimed reward, the shortfall kept as a
//!   debt that its next rewards repay before it is credited anything.
//! - A slash of an amount (not a share) lowers a stake index in proportion; an upheld appeal
//!   raises it back over whatever is staked at that time.

use crate::staking::{accrued, mul_div_u128, BPS_DENOM, INDEX_SCALE};
use crate::{mul_div_ceil, MathError};

/// Entries in a node's weight log: the last changes are exact, older hours an upper bound.
pub const WEIGHT_LOG_LEN: usize = 4;

/// Records that `weight` is in force for hours cranked from `from_hour` on. The log is ordered
/// oldest first and always starts at hour 0; `from_hour` never decreases (it is the crank's
/// next hour). A second change before the next crank overwrites the newest entry. When the log
/// is full, its two oldest entries merge into one carrying the *higher* weight: a supplier
/// cannot push the hour of a pending uptime report out of the log (or down to a zero weight) by
/// churning its stake; a report later than the last three weight changes may then charge by an
/// upper bound of the weight (the protocol's side), which the oracle avoids by reporting promptly.
pub fn record_weight(
    hours: &mut [u64; WEIGHT_LOG_LEN],
    weights: &mut [u64; WEIGHT_LOG_LEN],
    from_hour: u64,
    weight: u64,
) {
    let newest = WEIGHT_LOG_LEN - 1;
    if weights[newest] == weight {
        return;
    }
    if hours[newest] != from_hour {
        // Entry 0 covers [hours[0], hours[1]); when that range is empty it is simply dropped.
        if hours[0] != hours[1] {
            weights[1] = weights[0].max(weights[1]);
            hours[1] = hours[0];
        }
        hours.rotate_left(1);
        weights.rotate_left(1);
        hours[newest] = from_hour;
    }
    weights[newest] = weight;
}

/// The weight in force when `hour` was cranked: that of the newest entry starting at or before
/// it (exact for the hours since the log's second entry, an upper bound before). A fresh log
/// (all zeros) answers 0 for every hour: a node that did not exist earned nothing.
pub fn weight_at(hours: &[u64; WEIGHT_LOG_LEN], weights: &[u64; WEIGHT_LOG_LEN], hour: u64) -> u64 {
    hours
        .iter()
        .zip(weights)
        .rev()
        .find(|(from, _)| **from <= hour)
        .map_or(0, |(_, w)| *w)
}

/// A node's reward for one hour: `weight * delta / ACC_SCALE`, rounded down (what the
/// accumulator credited it for that hour, to within the rounding of its settlement).
pub fn hour_reward(weight: u64, delta: u128) -> Result<u64, MathError> {
    accrued(u128::from(weight), delta, 0)
}

/// What an uptime report takes from an hour's reward, and whether the node counts as offline
/// (`uptime_bps < offline_threshold_bps`): offline loses the whole hour, otherwise the downtime
/// share of it, rounded up (the protocol's side) but never above the hour's reward.
pub fn uptime_cut(
    hour_reward: u64,
    uptime_bps: u16,
    offline_threshold_bps: u16,
) -> Result<(u64, bool), MathError> {
    if u64::from(uptime_bps) > BPS_DENOM {
        return Err(MathError::Overflow);
    }
    if uptime_bps < offline_threshold_bps {
        return Ok((hour_reward, true));
    }
    let down = BPS_DENOM.saturating_sub(u64::from(uptime_bps));
    let cut = mul_div_ceil(hour_reward, down, BPS_DENOM)?;
    Ok((cut.min(hour_reward), false))
}

/// Charges `cut` to a supplier: taken from `unclaimed` first, the rest added to `debt`.
/// Returns `(unclaimed, debt, taken)`; `taken + (new debt - old debt) == cut`.
pub fn charge(unclaimed: u64, debt: u64, cut: u64) -> Result<(u64, u64, u64), MathError> {
    let taken = cut.min(unclaimed);
    let shortfall = cut.saturating_sub(taken);
    let debt = debt.checked_add(shortfall).ok_or(MathError::Overflow)?;
    Ok((unclaimed.saturating_sub(taken), debt, taken))
}

/// Applies a supplier's new reward to its debt first. Returns `(credited, debt, repaid)`;
/// `credited + repaid == reward`.
pub fn repay(reward: u64, debt: u64) -> (u64, u64, u64) {
    let repaid = reward.min(debt);
    (
        reward.saturating_sub(repaid),
        debt.saturating_sub(repaid),
        repaid,
    )
}

/// The index at which `shares` are worth `value` in total: `value * INDEX_SCALE / shares`,
/// rounded down, so the shares are never worth more than `value`. A slash of `amount` from a
/// node staked `total` moves its index to `index_for_value(shares, total - amount)`; an upheld
/// appeal moves it back up with `index_for_value(shares, total + returned)`. Errors if there
/// are no shares.
pub fn index_for_value(shares: u128, value: u64) -> Result<u128, MathError> {
    if shares == 0 {
        return Err(MathError::DivisionByZero);
    }
    mul_div_u128(u128::from(value), INDEX_SCALE, shares)
}

/// `ceil(value * bps / 10,000)`: the part of `value` a slash of `bps` takes (a charge, so
/// rounded up, the protocol's side; never more than `value`).
pub fn bps_of(value: u64, bps: u16) -> Result<u64, MathError> {
    if u64::from(bps) > BPS_DENOM {
        return Err(MathError::Overflow);
    }
    mul_div_ceil(value, u64::from(bps), BPS_DENOM)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staking::{amount_to_shares, shares_to_amount, ACC_SCALE};
    use proptest::prelude::*;

    #[test]
    fn weight_log_keeps_the_weight_each_hour_was_cranked_with() {
        let (mut h, mut w) = ([0; WEIGHT_LOG_LEN], [0; WEIGHT_LOG_LEN]);
        assert_eq!(weight_at(&h, &w, 0), 0);
        record_weight(&mut h, &mut w, 5, 100);
        record_weight(&mut h, &mut w, 5, 120); // same crank interval: overwritten
        record_weight(&mut h, &mut w, 9, 0);
        assert_eq!(weight_at(&h, &w, 4), 0);
        assert_eq!(weight_at(&h, &w, 5), 120);
        assert_eq!(weight_at(&h, &w, 8), 120);
        assert_eq!(weight_at(&h, &w, 9), 0);
        record_weight(&mut h, &mut w, 10, 7);
        record_weight(&mut h, &mut w, 11, 8);
        // The zero entries of a fresh log cover empty ranges and went first; now the log is
        // full and the two oldest ranges merge with the higher weight.
        assert_eq!((h, w), ([0, 9, 10, 11], [120, 0, 7, 8]));
        assert_eq!(weight_at(&h, &w, 4), 120); // was 0: an upper bound now
        assert_eq!(weight_at(&h, &w, 6), 120);
        record_weight(&mut h, &mut w, 12, 9);
        assert_eq!((h, w), ([0, 10, 11, 12], [120, 7, 8, 9]));
        assert_eq!(weight_at(&h, &w, 9), 120); // was 0
        assert_eq!(weight_at(&h, &w, 11), 8);
        assert_eq!(weight_at(&h, &w, 1_000), 9);
        // An unchanged weight adds nothing.
        record_weight(&mut h, &mut w, 13, 9);
        assert_eq!(weight_at(&h, &w, 12), 9);
    }

    #[test]
    fn uptime_cuts() {
        assert_eq!(uptime_cut(1_000, 10_000, 5_000), Ok((0, false)));
        assert_eq!(uptime_cut(1_000, 7_500, 5_000), Ok((250, false)));
        assert_eq!(uptime_cut(1_001, 7_500, 5_000), Ok((251, false))); // rounded up
        assert_eq!(uptime_cut(1_000, 5_000, 5_000), Ok((500, false)));
        assert_eq!(uptime_cut(1_000, 4_999, 5_000), Ok((1_000, true)));
        assert_eq!(uptime_cut(1_000, 0, 0), Ok((1_000, false)));
        assert_eq!(uptime_cut(1_000, 10_001, 5_000), Err(MathError::Overflow));
    }

    #[test]
    fn indexes_move_by_the_amount() {
        let i = INDEX_SCALE;
        assert_eq!(index_for_value(1_000, 750), Ok(i * 3 / 4));
        assert_eq!(index_for_value(1_000, 0), Ok(0));
        assert_eq!(index_for_value(0, 5), Err(MathError::DivisionByZero));
        assert_eq!(hour_reward(2, ACC_SCALE / 2 * 3), Ok(3));
        assert_eq!(bps_of(1_000, 2_500), Ok(250));
        assert_eq!(bps_of(1_001, 2_500), Ok(251)); // a charge rounds up
        assert_eq!(bps_of(u64::MAX, 10_000), Ok(u64::MAX));
        assert_eq!(bps_of(1_000, 10_001), Err(MathError::Overflow));
    }

    proptest! {
        /// Against the full history: exact for the hours since the log's second entry, never
        /// below the truth before (merged ranges keep their highest weight), never missing.
        #[test]
        fn weight_log_matches_a_full_history(changes in proptest::collection::vec((0u64..4, 0u64..5), 0..30), probe in 0u64..200) {
            let (mut h, mut w) = ([0; WEIGHT_LOG_LEN], [0; WEIGHT_LOG_LEN]);
            let mut full: Vec<(u64, u64)> = vec![(0, 0)];
            let mut hour = 0;
            for (step, weight) in changes {
                hour += step;
                record_weight(&mut h, &mut w, hour, weight);
                if full.last().unwrap().1 != weight {
                    if full.last().unwrap().0 == hour { full.last_mut().unwrap().1 = weight; } else { full.push((hour, weight)); }
                }
            }
            let truth = full.iter().rev().find(|(f, _)| *f <= probe).map(|(_, w)| *w).unwrap();
            let got = weight_at(&h, &w, probe);
            prop_assert_eq!(h[0], 0);
            if probe >= h[1] || full.len() <= WEIGHT_LOG_LEN {
                prop_assert_eq!(got, truth);
            } else {
                prop_assert!(got >= truth);
            }
        }

        #[test]
        fn cuts_never_exceed_the_hour(reward: u64, uptime in 0u16..=10_000, threshold in 0u16..=10_000) {
            let (cut, offline) = uptime_cut(reward, uptime, threshold).unwrap();
            prop_assert!(cut <= reward);
            prop_assert_eq!(offline, uptime < threshold);
            if !offline {
                let exact = u128::from(reward) * u128::from(10_000 - uptime);
                prop_assert!(u128::from(cut) * 10_000 >= exact && u128::from(cut) * 10_000 < exact + 10_000);
            }
        }

        #[test]
        fn charges_and_repayments_conserve(unclaimed: u32, debt: u32, cut: u32, reward: u32) {
            let (u, d, taken) = charge(u64::from(unclaimed), u64::from(debt), u64::from(cut)).unwrap();
            prop_assert_eq!(taken + (d - u64::from(debt)), u64::from(cut));
            prop_assert_eq!(u + taken, u64::from(unclaimed));
            let (credited, d2, repaid) = repay(u64::from(reward), d);
            prop_assert_eq!(credited + repaid, u64::from(reward));
            prop_assert_eq!(d - d2, repaid);
            prop_assert!(credited == 0 || d2 == 0);
        }

        /// Removing an amount through the index takes at least that amount from the node's total
        /// (so the vault always covers what positions can withdraw) and at most one base unit
        /// more per 10^12 shares; no holder loses more than its pro-rata share. An upheld appeal never
        /// gives back more than it returns.
        #[test]
        fn removal_through_the_index_is_pro_rata(
            active in proptest::collection::vec(1u64..1_000_000_000_000, 1..8),
            cooling in 0u64..1_000_000_000_000,
            fraction in 0u64..=10_000,
            start_bps in 1u64..=10_000,
        ) {
            // Start from a possibly already slashed index.
            let index = INDEX_SCALE * u128::from(start_bps) / 10_000;
            let shares: Vec<u128> = active.iter().map(|d| amount_to_shares(*d, index).unwrap()).collect();
            let (a, c) = (shares.iter().sum::<u128>(), amount_to_shares(cooling, index).unwrap());
            // The program values all of a node's shares at once.
            let staked = |i: u128| shares_to_amount(a + c, i).unwrap();
            let total = staked(index);
            let amount = u64::try_from(u128::from(total) * u128::from(fraction) / 10_000).unwrap();
            let after = index_for_value(a + c, total - amount).unwrap();
            prop_assert!(after <= index);
            let left = staked(after);
            prop_assert!(left <= total - amount);
            // The index is rounded down by less than one unit, worth `shares / INDEX_SCALE`.
            let slack = u64::try_from((a + c) / INDEX_SCALE).unwrap() + 2;
            prop_assert!(total - amount - left <= slack);
            for s in &shares {
                let (before, kept) = (shares_to_amount(*s, index).unwrap(), shares_to_amount(*s, after).unwrap());
                prop_assert!(u128::from(kept) * u128::from(total) <= u128::from(before) * u128::from(total - amount) + u128::from(total));
            }
            let returned = total - left;
            let back = index_for_value(a + c, left + returned).unwrap();
            prop_assert!(staked(back) <= left + returned);
        }
    }
}
