//! Node staking and availability-reward maths (SPEC §4), for the `staking` program.
//!
//! Units: stake and rewards in IO base units; USD in micro-USD; prices in micro-USD per IO;
//! modifiers and shares in basis points. Everything rounds in the protocol's favour: payouts and
//! limits down.
//!
//! Reward distribution is two accumulators, O(1) per hour and per claim:
//! - nodes: each eligible node has a *weight* (its hourly target in micro-USD); the crank adds
//!   `paid * ACC_SCALE / total_weight` to a global reward-per-weight accumulator, and a node's
//!   reward since its last settlement is `weight * (acc - snapshot) / ACC_SCALE`;
//! - stakers: of a node's reward, 95% goes to the supplier and 5% to a per-node reward-per-share
//!   accumulator over its active stake shares.
//!
//! Slashing is O(1) through a per-node *stake index* (base units per share, scaled by
//! `INDEX_SCALE`): positions hold shares, so multiplying the index by `1 - bps` takes the same
//! fraction from every position's active and cooling-down stake at once.

use crate::{mul_div_floor, MathError};

/// 100% in basis points.
pub const BPS_DENOM: u64 = 10_000;
/// A node's capex is paid back over 18 months of hours.
pub const TARGET_HOURS: u64 = 13_140;
/// The supplier's share of a node's reward; the rest goes to the node's stakers.
pub const SUPPLIER_SHARE_BPS: u64 = 9_500;
/// Fixed-point scale of the reward-per-weight and reward-per-share accumulators (1e18).
pub const ACC_SCALE: u128 = 1_000_000_000_000_000_000;
/// Fixed-point scale of the stake index (1e12 = one base unit per share).
pub const INDEX_SCALE: u128 = 1_000_000_000_000;
/// IO base units per IO (the price is per whole IO).
const IO_UNIT: u128 = 100_000_000;

/// Maximum active stake of a node: `device_max_stake * (2 + 3 * Σ modifiers)` with the four
/// modifiers as fractions (bps / 10,000); rounds down. Modifiers above 10,000 bps are an error.
pub fn max_stake(device_max_stake: u64, modifiers_bps: [u16; 4]) -> Result<u64, MathError> {
    let mut sum: u64 = 0;
    for m in modifiers_bps {
        if u64::from(m) > BPS_DENOM {
            return Err(MathError::Overflow);
        }
        sum = sum.checked_add(u64::from(m)).ok_or(MathError::Overflow)?;
    }
    // (2 + 3 * sum / 10,000) = (20,000 + 3 * sum) / 10,000
    let factor = sum
        .checked_mul(3)
        .and_then(|v| v.checked_add(2 * BPS_DENOM))
        .ok_or(MathError::Overflow)?;
    mul_div_floor(device_max_stake, factor, BPS_DENOM)
}

/// Stake boost in bps: 0 at or below `min_stake`, rising linearly to `max_boost_bps` at
/// `max_stake` and capped there; rounds down.
pub fn stake_boost_bps(active: u64, min_stake: u64, max_stake: u64, max_boost_bps: u16) -> u64 {
    if active <= min_stake || max_stake <= min_stake {
        return 0;
    }
    let above = active.min(max_stake).saturating_sub(min_stake);
    let range = max_stake.saturating_sub(min_stake);
    mul_div_floor(above, u64::from(max_boost_bps), range).unwrap_or(0)
}

/// A node's hourly target in micro-USD: `capex / 13,140 * (1 + boost)`; rounds down.
pub fn hourly_target(capex_micro_usd: u64, boost_bps: u64) -> Result<u64, MathError> {
    let factor = BPS_DENOM
        .checked_add(boost_bps)
        .ok_or(MathError::Overflow)?;
    let denominator = TARGET_HOURS
        .checked_mul(BPS_DENOM)
        .ok_or(MathError::Overflow)?;
    mul_div_floor(capex_micro_usd, factor, denominator)
}

/// IO base units worth `micro_usd` at `price_micro_usd_per_io`; rounds down.
pub fn usd_to_io(micro_usd: u64, price_micro_usd_per_io: u64) -> Result<u64, MathError> {
    if price_micro_usd_per_io == 0 {
        return Err(MathError::DivisionByZero);
    }
    let v = u128::from(micro_usd)
        .checked_mul(IO_UNIT)
        .ok_or(MathError::Overflow)?
        .checked_div(u128::from(price_micro_usd_per_io))
        .ok_or(MathError::DivisionByZero)?;
    u64::try_from(v).map_err(|_| MathError::Overflow)
}

/// What an hour pays: `min(budget, total_target / price)` in base units, never above budget.
/// A total target too large for u64 base units is simply capped by the budget.
pub fn paid_for_hour(
    budget: u64,
    total_target_micro_usd: u64,
    price_micro_usd_per_io: u64,
) -> Result<u64, MathError> {
    match usd_to_io(total_target_micro_usd, price_micro_usd_per_io) {
        Ok(v) => Ok(v.min(budget)),
        Err(MathError::Overflow) => Ok(budget),
        Err(e) => Err(e),
    }
}

/// A Pyth price (`price * 10^exponent` USD per IO, with confidence `conf` in the same units)
/// as micro-USD per IO on the conservative side for paying out IO: `price + conf`, rounded up
/// (a higher price pays fewer IO). Non-positive prices are an error.
pub fn oracle_price_micro_usd(price: i64, conf: u64, exponent: i32) -> Result<u64, MathError> {
    let price = u64::try_from(price).map_err(|_| MathError::Overflow)?;
    if price == 0 {
        return Err(MathError::DivisionByZero);
    }
    let high = u128::from(price)
        .checked_add(u128::from(conf))
        .ok_or(MathError::Overflow)?;
    // micro-USD = value * 10^(exponent + 6)
    let shift = exponent.checked_add(6).ok_or(MathError::Overflow)?;
    let scaled = if shift >= 0 {
        let factor = 10u128
            .checked_pow(u32::try_from(shift).map_err(|_| MathError::Overflow)?)
            .ok_or(MathError::Overflow)?;
        high.checked_mul(factor).ok_or(MathError::Overflow)?
    } else {
        let factor = 10u128
            .checked_pow(shift.unsigned_abs())
            .ok_or(MathError::Overflow)?;
        high.div_ceil(factor)
    };
    match u64::try_from(scaled) {
        Ok(0) => Err(MathError::DivisionByZero),
        Ok(v) => Ok(v),
        Err(_) => Err(MathError::Overflow),
    }
}

/// Whether a price's confidence interval is at most `max_bps` of the price.
pub fn confidence_ok(price: i64, conf: u64, max_bps: u16) -> bool {
    let Ok(price) = u64::try_from(price) else {
        return false;
    };
    // u64 x u16-range values cannot overflow a u128.
    u128::from(conf).wrapping_mul(u128::from(BPS_DENOM))
        <= u128::from(price).wrapping_mul(u128::from(max_bps))
}

/// The start of the first whole emission hour at or after `ts` (hours counted from
/// `genesis_ts`); `genesis_ts` itself if `ts` is earlier.
pub fn next_hour_start(genesis_ts: i64, ts: i64) -> Result<i64, MathError> {
    let elapsed = ts.saturating_sub(genesis_ts).max(0);
    let hours = elapsed
        .checked_add(3_599)
        .ok_or(MathError::Overflow)?
        .checked_div(3_600)
        .ok_or(MathError::DivisionByZero)?;
    hours
        .checked_mul(3_600)
        .and_then(|s| s.checked_add(genesis_ts))
        .ok_or(MathError::Overflow)
}

/// Splits a node's reward into (supplier, stakers): the supplier's 95% rounds down, the
/// stakers get the rest, so the parts always sum to the reward.
pub fn split_node_reward(reward: u64) -> (u64, u64) {
    let supplier = mul_div_floor(reward, SUPPLIER_SHARE_BPS, BPS_DENOM).unwrap_or(0);
    (supplier, reward.saturating_sub(supplier))
}

/// The increase of an accumulator when `amount` is shared over `total_weight`:
/// `amount * ACC_SCALE / total_weight`, rounded down (the dust stays undistributed).
pub fn accumulator_delta(amount: u64, total_weight: u128) -> Result<u128, MathError> {
    if total_weight == 0 {
        return Err(MathError::DivisionByZero);
    }
    u128::from(amount)
        .checked_mul(ACC_SCALE)
        .ok_or(MathError::Overflow)?
        .checked_div(total_weight)
        .ok_or(MathError::DivisionByZero)
}

/// What `weight` earned between two accumulator readings: `weight * (now - then) / ACC_SCALE`,
/// rounded down. Errors if the accumulator went backwards.
pub fn accrued(weight: u128, acc_now: u128, acc_then: u128) -> Result<u64, MathError> {
    let delta = acc_now.checked_sub(acc_then).ok_or(MathError::Overflow)?;
    let value = mul_div_u128(weight, delta, ACC_SCALE)?;
    u64::try_from(value).map_err(|_| MathError::Overflow)
}

/// Base units of `shares` at a stake `index`: `shares * index / INDEX_SCALE`, rounded down.
pub fn shares_to_amount(shares: u128, index: u128) -> Result<u64, MathError> {
    let value = mul_div_u128(shares, index, INDEX_SCALE)?;
    u64::try_from(value).map_err(|_| MathError::Overflow)
}

/// Shares bought by depositing `amount` at `index`: `amount * INDEX_SCALE / index`, rounded
/// down (the depositor never gets more than it paid for).
pub fn amount_to_shares(amount: u64, index: u128) -> Result<u128, MathError> {
    if index == 0 {
        return Err(MathError::DivisionByZero);
    }
    mul_div_u128(u128::from(amount), INDEX_SCALE, index)
}

/// The stake index after slashing `bps` of everything staked on a node: rounds the index down,
/// so what is left is never more than `(1 - bps)` of what was there.
pub fn slash_index(index: u128, bps: u64) -> Result<u128, MathError> {
    if bps > BPS_DENOM {
        return Err(MathError::Overflow);
    }
    let keep = BPS_DENOM.checked_sub(bps).ok_or(MathError::Overflow)?;
    mul_div_u128(index, u128::from(keep), u128::from(BPS_DENOM))
}

/// `floor(a * b / d)` for u128 operands through a 256-bit product: exact whenever the result
/// fits a u128.
pub fn mul_div_u128(a: u128, b: u128, d: u128) -> Result<u128, MathError> {
    if d == 0 {
        return Err(MathError::DivisionByZero);
    }
    if let Some(p) = a.checked_mul(b) {
        return p.checked_div(d).ok_or(MathError::DivisionByZero);
    }
    let (hi, lo) = widening_mul(a, b);
    if hi >= d {
        return Err(MathError::Overflow);
    }
    // Long division of the 256-bit (hi, lo) by d, one bit at a time (hi < d keeps it in range).
    let mut rem = hi;
    let mut quotient: u128 = 0;
    for i in (0..128u32).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((lo >> i) & 1);
        quotient <<= 1;
        if carry == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            quotient |= 1;
        }
    }
    Ok(quotient)
}

/// The full 256-bit product of two u128 as (high, low).
fn widening_mul(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & MASK);
    let (b1, b0) = (b >> 64, b & MASK);
    // Each partial product is u64 x u64 and fits a u128; the sums below are carried by hand.
    let p00 = a0.wrapping_mul(b0);
    let p01 = a0.wrapping_mul(b1);
    let p10 = a1.wrapping_mul(b0);
    let p11 = a1.wrapping_mul(b1);
    let (mid, mid_carry) = p01.overflowing_add(p10);
    let (lo, lo_carry) = p00.overflowing_add(mid << 64);
    let hi = p11
        .wrapping_add(mid >> 64)
        .wrapping_add(u128::from(mid_carry) << 64)
        .wrapping_add(u128::from(lo_carry));
    (hi, lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    const IO: u64 = 100_000_000;

    #[test]
    fn max_stake_formula() {
        // 2x with no modifiers, 14x with all four at 100%.
        assert_eq!(max_stake(1_000 * IO, [0; 4]), Ok(2_000 * IO));
        assert_eq!(max_stake(1_000 * IO, [10_000; 4]), Ok(14_000 * IO));
        assert_eq!(max_stake(1_000 * IO, [5_000, 0, 0, 0]), Ok(3_500 * IO));
        assert_eq!(
            max_stake(1_000 * IO, [10_001, 0, 0, 0]),
            Err(MathError::Overflow)
        );
        assert_eq!(max_stake(u64::MAX, [10_000; 4]), Err(MathError::Overflow));
    }

    #[test]
    fn boost_is_linear_between_min_and_max() {
        let (min, max) = (100 * IO, 1_100 * IO);
        assert_eq!(stake_boost_bps(0, min, max, 5_000), 0);
        assert_eq!(stake_boost_bps(min, min, max, 5_000), 0);
        assert_eq!(stake_boost_bps(600 * IO, min, max, 5_000), 2_500);
        assert_eq!(stake_boost_bps(max, min, max, 5_000), 5_000);
        assert_eq!(stake_boost_bps(u64::MAX, min, max, 5_000), 5_000);
        assert_eq!(stake_boost_bps(max, max, max, 5_000), 0);
    }

    #[test]
    fn targets_and_prices() {
        // A $13,140 device earns $1/h unboosted, $1.50/h at full boost.
        assert_eq!(hourly_target(13_140_000_000, 0), Ok(1_000_000));
        assert_eq!(hourly_target(13_140_000_000, 5_000), Ok(1_500_000));
        // $1 at $2.50/IO = 0.4 IO.
        assert_eq!(usd_to_io(1_000_000, 2_500_000), Ok(40_000_000));
        assert_eq!(usd_to_io(1, 0), Err(MathError::DivisionByZero));
        assert_eq!(paid_for_hour(1_000, 1_000_000, 2_500_000), Ok(1_000));
        assert_eq!(
            paid_for_hour(u64::MAX, 1_000_000, 2_500_000),
            Ok(40_000_000)
        );
        assert_eq!(paid_for_hour(7, u64::MAX, 1), Ok(7));
    }

    #[test]
    fn next_hour_start_rounds_up_to_hour_boundaries() {
        assert_eq!(next_hour_start(1_000, 1_000), Ok(1_000));
        assert_eq!(next_hour_start(1_000, 1_001), Ok(4_600));
        assert_eq!(next_hour_start(1_000, 4_600), Ok(4_600));
        assert_eq!(next_hour_start(1_000, 0), Ok(1_000));
        assert_eq!(next_hour_start(0, i64::MAX), Err(MathError::Overflow));
    }

    #[test]
    fn oracle_prices_take_the_high_side_rounded_up() {
        // 2.50 USD with exponent -8 and a 0.01 confidence: 2.51 USD = 2,510,000 micro-USD.
        assert_eq!(
            oracle_price_micro_usd(250_000_000, 1_000_000, -8),
            Ok(2_510_000)
        );
        // Sub-micro precision rounds up.
        assert_eq!(oracle_price_micro_usd(250_000_001, 0, -8), Ok(2_500_001));
        assert_eq!(oracle_price_micro_usd(3, 0, 0), Ok(3_000_000));
        assert_eq!(
            oracle_price_micro_usd(0, 5, -8),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(oracle_price_micro_usd(-1, 0, -8), Err(MathError::Overflow));
        assert_eq!(
            oracle_price_micro_usd(i64::MAX, 0, 30),
            Err(MathError::Overflow)
        );
        assert!(confidence_ok(250_000_000, 2_500_000, 100));
        assert!(!confidence_ok(250_000_000, 2_500_001, 100));
        assert!(!confidence_ok(-5, 0, 100));
    }

    #[test]
    fn wide_mul_div_matches_big_integers_at_the_edges() {
        let cases = [
            (u128::MAX, u128::MAX, u128::MAX),
            (u128::MAX, 2, 3),
            (1 << 100, 1 << 100, 1 << 90),
            (ACC_SCALE * 3, u128::from(u64::MAX), ACC_SCALE),
        ];
        for (a, b, d) in cases {
            let exact = BigUint::from(a) * BigUint::from(b) / BigUint::from(d);
            let ours = mul_div_u128(a, b, d);
            match u128::try_from(&exact) {
                Ok(v) => assert_eq!(ours, Ok(v)),
                Err(_) => assert_eq!(ours, Err(MathError::Overflow)),
            }
        }
        assert_eq!(
            mul_div_u128(u128::MAX, u128::MAX, 1),
            Err(MathError::Overflow)
        );
        assert_eq!(mul_div_u128(1, 1, 0), Err(MathError::DivisionByZero));
    }

    proptest! {
        #[test]
        fn mul_div_u128_is_exact(a: u128, b: u128, d in 1u128..) {
            let exact = BigUint::from(a) * BigUint::from(b) / BigUint::from(d);
            match u128::try_from(&exact) {
                Ok(v) => prop_assert_eq!(mul_div_u128(a, b, d), Ok(v)),
                Err(_) => prop_assert_eq!(mul_div_u128(a, b, d), Err(MathError::Overflow)),
            }
        }

        #[test]
        fn splits_conserve_the_reward(reward: u64) {
            let (supplier, stakers) = split_node_reward(reward);
            prop_assert_eq!(supplier + stakers, reward);
            prop_assert!(u128::from(supplier) * 10_000 <= u128::from(reward) * 9_500);
        }

        #[test]
        fn boost_is_monotone_and_bounded(a: u64, b: u64, min: u64, span in 1u64.., max_boost in 0u16..=10_000) {
            let max = min.saturating_add(span);
            let (lo, hi) = (a.min(b), a.max(b));
            let (x, y) = (stake_boost_bps(lo, min, max, max_boost), stake_boost_bps(hi, min, max, max_boost));
            prop_assert!(x <= y && y <= u64::from(max_boost));
        }

        /// Sharing hour after hour over fixed weights never pays out more than was put in, and
        /// each weight gets its exact share to within one base unit per hour.
        #[test]
        fn accumulators_never_pay_more_than_paid(
            weights in proptest::collection::vec(1u64..10_000_000_000, 1..20),
            amounts in proptest::collection::vec(0u64..500_000_000_000, 1..50),
        ) {
            let total: u128 = weights.iter().map(|w| u128::from(*w)).sum();
            let mut acc: u128 = 0;
            for a in &amounts {
                acc += accumulator_delta(*a, total).unwrap();
            }
            let paid: u64 = weights.iter().map(|w| accrued(u128::from(*w), acc, 0).unwrap()).sum();
            let put_in: u64 = amounts.iter().sum();
            prop_assert!(paid <= put_in);
            for w in &weights {
                let exact = u128::from(*w) * u128::from(put_in) / total;
                let got = u128::from(accrued(u128::from(*w), acc, 0).unwrap());
                prop_assert!(got <= exact && exact - got <= amounts.len() as u128 + 1);
            }
        }

        /// Shares and the slash index: deposits never mint value, and a slash of bps leaves every
        /// position at most (1 - bps) of its stake, the total at most (1 - bps) of the total.
        #[test]
        fn slashing_is_pro_rata(deposits in proptest::collection::vec(1u64..1_000_000_000_000, 1..10), bps in 0u64..=10_000) {
            let index = INDEX_SCALE;
            let shares: Vec<u128> = deposits.iter().map(|d| amount_to_shares(*d, index).unwrap()).collect();
            for (d, s) in deposits.iter().zip(&shares) {
                prop_assert!(shares_to_amount(*s, index).unwrap() <= *d);
            }
            let slashed = slash_index(index, bps).unwrap();
            for (d, s) in deposits.iter().zip(&shares) {
                let left = u128::from(shares_to_amount(*s, slashed).unwrap());
                prop_assert!(left * 10_000 <= u128::from(*d) * u128::from(10_000 - bps));
                prop_assert!(u128::from(*d) * u128::from(10_000 - bps) < (left + 2) * 10_000);
            }
        }
    }
}
