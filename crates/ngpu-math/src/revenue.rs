//! Burn from revenue (SPEC §6): the buyback price bound, the rolling-window limit on USDC
//! outflow and the UTC day of a burn record.
//!
//! Units: IO base units (8 decimals), USDC base units (6 decimals, = micro-USD), Pyth prices as
//! a raw integer with a decimal exponent (`price * 10^expo` USD per IO).

use crate::staking::mul_div_u128;
use crate::MathError;

/// Basis-point denominator.
pub const BPS_DENOM: u16 = 10_000;
/// The highest premium over the oracle's low price a buyback may pay (10%).
pub const MAX_PREMIUM_BPS: u16 = 1_000;
/// Seconds in a UTC day.
pub const SECONDS_PER_DAY: i64 = 86_400;
/// IO base units per IO.
const IO_UNIT: u128 = 100_000_000;

/// The most USDC (base units) the protocol pays for `io_in` IO base units at the oracle's low
/// price `p_low * 10^expo` USD per IO plus `premium_bps`:
/// `floor(io_in * p_low * 10^expo * (1 + premium_bps / 10^4) * 10^6 / 10^8)`, rounded down
/// (against the seller, so the protocol never overpays). Exact for every input: the product
/// goes through 256 bits. `Overflow` only if the bound itself does not fit a `u64`.
pub fn max_usdc_out(io_in: u64, p_low: u64, expo: i32, premium_bps: u16) -> Result<u64, MathError> {
    // io_in * (10^4 + bps) < 2^64 * 2^17: fits a u128.
    let x = u128::from(io_in)
        .checked_mul(u128::from(BPS_DENOM).saturating_add(u128::from(premium_bps)))
        .ok_or(MathError::Overflow)?;
    let p = u128::from(p_low);
    // USDC = x * p * 10^(expo + 6 - 8 - 4) = x * p / 10^k with k = 6 - expo.
    let k = 6i64
        .checked_sub(i64::from(expo))
        .ok_or(MathError::Overflow)?;
    let bound = if k <= 0 {
        let up = u32::try_from(k.unsigned_abs()).map_err(|_| MathError::Overflow)?;
        let scale = 10u128.checked_pow(up).ok_or(MathError::Overflow)?;
        x.checked_mul(p)
            .and_then(|v| v.checked_mul(scale))
            .ok_or(MathError::Overflow)?
    } else if k <= 38 {
        let down = u32::try_from(k).map_err(|_| MathError::Overflow)?;
        let scale = 10u128.checked_pow(down).ok_or(MathError::Overflow)?;
        mul_div_u128(x, p, scale)?
    } else {
        // floor(floor(a / b) / c) == floor(a / (b * c)) for positive integers.
        let first = mul_div_u128(x, p, 10u128.pow(38))?;
        let rest = u32::try_from(k.saturating_sub(38)).map_err(|_| MathError::Overflow)?;
        match 10u128.checked_pow(rest) {
            Some(scale) => first.checked_div(scale).ok_or(MathError::DivisionByZero)?,
            None => 0, // first < 2^142 / 10^38 < 10^5 <= any scale that overflows a u128
        }
    };
    u64::try_from(bound).map_err(|_| MathError::Overflow)
}

/// The price a fill paid, in micro-USD per IO: `floor(usdc_out * 10^8 / io_in)`.
pub fn fill_price_micro_usd(io_in: u64, usdc_out: u64) -> Result<u64, MathError> {
    if io_in == 0 {
        return Err(MathError::DivisionByZero);
    }
    let p = u128::from(usdc_out)
        .checked_mul(IO_UNIT)
        .ok_or(MathError::Overflow)?
        .checked_div(u128::from(io_in))
        .ok_or(MathError::DivisionByZero)?;
    u64::try_from(p).map_err(|_| MathError::Overflow)
}

/// What remains counted at `now` of an outflow total `aggregated` recorded at `last_ts`
/// (Helium's windowed circuit breaker): it decays linearly to zero over `window_secs`,
/// `ceil(aggregated * (window - elapsed) / window)`, rounded up (the protocol's side: less room).
/// A clock that appears to go back counts as no time elapsed.
pub fn decayed_outflow(
    aggregated: u64,
    last_ts: i64,
    now: i64,
    window_secs: u32,
) -> Result<u64, MathError> {
    if window_secs == 0 {
        return Err(MathError::DivisionByZero);
    }
    let elapsed = now.saturating_sub(last_ts).max(0);
    let window = i64::from(window_secs);
    if elapsed >= window {
        return Ok(0);
    }
    let left = u64::try_from(window.saturating_sub(elapsed)).map_err(|_| MathError::Overflow)?;
    crate::mul_div_ceil(aggregated, left, u64::from(window_secs))
}

/// USDC that may still flow out at `now` under `limit` per window.
pub fn outflow_room(
    aggregated: u64,
    last_ts: i64,
    now: i64,
    window_secs: u32,
    limit: u64,
) -> Result<u64, MathError> {
    Ok(limit.saturating_sub(decayed_outflow(aggregated, last_ts, now, window_secs)?))
}

/// The window state after `amount` flows out at `now`: the decayed total plus `amount`, stamped
/// at `max(last_ts, now)` (a clock that goes back never speeds up the decay). The caller checks
/// `amount <= outflow_room(..)` first.
pub fn add_outflow(
    aggregated: u64,
    last_ts: i64,
    now: i64,
    window_secs: u32,
    amount: u64,
) -> Result<(u64, i64), MathError> {
    let total = decayed_outflow(aggregated, last_ts, now, window_secs)?
        .checked_add(amount)
        .ok_or(MathError::Overflow)?;
    Ok((total, last_ts.max(now)))
}

/// The UTC day (days since 1970-01-01) of a unix timestamp; before 1970 is out of range.
pub fn utc_day(ts: i64) -> Result<u64, MathError> {
    if ts < 0 {
        return Err(MathError::Overflow);
    }
    u64::try_from(ts.div_euclid(SECONDS_PER_DAY)).map_err(|_| MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    const IO: u64 = 100_000_000;

    /// The bound computed with big integers, straight from the formula.
    fn exact(io_in: u64, p_low: u64, expo: i32, bps: u16) -> BigUint {
        let num =
            BigUint::from(io_in) * BigUint::from(p_low) * BigUint::from(10_000u32 + u32::from(bps));
        let k = 6 - i64::from(expo);
        if k <= 0 {
            num * BigUint::from(10u32).pow(u32::try_from(-k).unwrap())
        } else {
            num / BigUint::from(10u32).pow(u32::try_from(k).unwrap())
        }
    }

    #[test]
    fn bound_examples() {
        // 100 IO at $2.50, no premium: $250.
        assert_eq!(max_usdc_out(100 * IO, 250_000_000, -8, 0), Ok(250_000_000));
        // +1% premium: $252.50.
        assert_eq!(
            max_usdc_out(100 * IO, 250_000_000, -8, 100),
            Ok(252_500_000)
        );
        // 10%: $275.
        assert_eq!(
            max_usdc_out(100 * IO, 250_000_000, -8, 1_000),
            Ok(275_000_000)
        );
        // One base unit of IO at $2.50 is 0.025 micro-USD: rounds down to 0.
        assert_eq!(max_usdc_out(1, 250_000_000, -8, 1_000), Ok(0));
        // 41 base units at $2.50 is 1.025 micro-USD: 1.
        assert_eq!(max_usdc_out(41, 250_000_000, -8, 0), Ok(1));
        // Rounding down: 3 IO at $0.333333333 (expo -9) = 0.999999999 USD -> 999,999 micro.
        assert_eq!(max_usdc_out(3 * IO, 333_333_333, -9, 0), Ok(999_999));
        // Positive and very negative exponents.
        assert_eq!(max_usdc_out(IO, 3, 0, 0), Ok(3_000_000));
        assert_eq!(max_usdc_out(IO, 3, 2, 0), Ok(300_000_000));
        assert_eq!(max_usdc_out(u64::MAX, u64::MAX, -60, 1_000), Ok(0));
        assert_eq!(
            max_usdc_out(u64::MAX, u64::MAX, -27, 1_000),
            Ok(3_743_106_036)
        );
        assert_eq!(max_usdc_out(u64::MAX, u64::MAX, -36, 1_000), Ok(3));
        assert_eq!(max_usdc_out(u64::MAX, u64::MAX, -37, 1_000), Ok(0));
        assert_eq!(
            max_usdc_out(u64::MAX, u64::MAX, 0, 0),
            Err(MathError::Overflow)
        );
        assert_eq!(max_usdc_out(0, u64::MAX, 30, 1_000), Ok(0));
        assert_eq!(max_usdc_out(1, 1, i32::MIN, 0), Ok(0));
        assert_eq!(max_usdc_out(1, 1, i32::MAX, 0), Err(MathError::Overflow));
    }

    #[test]
    fn window_examples() {
        const W: u32 = 86_400;
        let t0 = 1_750_000_000;
        // Linear decay, rounded up.
        assert_eq!(decayed_outflow(1_000, t0, t0, W), Ok(1_000));
        assert_eq!(decayed_outflow(1_000, t0, t0 + 43_200, W), Ok(500));
        assert_eq!(decayed_outflow(1_000, t0, t0 + 1, W), Ok(1_000)); // 999.988 -> 1,000
        assert_eq!(decayed_outflow(1_000, t0, t0 + 86_399, W), Ok(1));
        assert_eq!(decayed_outflow(1_000, t0, t0 + 86_400, W), Ok(0));
        assert_eq!(decayed_outflow(1_000, t0, t0 - 5, W), Ok(1_000));
        assert_eq!(
            decayed_outflow(1_000, t0, t0, 0),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(outflow_room(1_000, t0, t0 + 43_200, W, 1_000), Ok(500));
        assert_eq!(outflow_room(1_000, t0, t0, W, 600), Ok(0));
        assert_eq!(
            add_outflow(1_000, t0, t0 + 43_200, W, 300),
            Ok((800, t0 + 43_200))
        );
        assert_eq!(add_outflow(1_000, t0, t0 - 10, W, 1), Ok((1_001, t0)));
    }

    #[test]
    fn days() {
        assert_eq!(utc_day(0), Ok(0));
        assert_eq!(utc_day(86_399), Ok(0));
        assert_eq!(utc_day(86_400), Ok(1));
        // 2025-06-11 00:00:00 UTC.
        assert_eq!(utc_day(1_749_600_000), Ok(20_250));
        assert_eq!(utc_day(-1), Err(MathError::Overflow));
        assert_eq!(fill_price_micro_usd(100 * IO, 250_000_000), Ok(2_500_000));
        assert_eq!(fill_price_micro_usd(3, 1), Ok(33_333_333));
        assert_eq!(fill_price_micro_usd(0, 1), Err(MathError::DivisionByZero));
    }

    proptest! {
        #[test]
        fn bound_is_the_exact_floor(io_in: u64, p_low: u64, expo in -50i32..=20, bps in 0u16..=MAX_PREMIUM_BPS) {
            let e = exact(io_in, p_low, expo, bps);
            match u64::try_from(&e) {
                Ok(v) => prop_assert_eq!(max_usdc_out(io_in, p_low, expo, bps), Ok(v)),
                Err(_) => prop_assert_eq!(max_usdc_out(io_in, p_low, expo, bps), Err(MathError::Overflow)),
            }
        }

        /// Realistic ranges: the bound is never above the exact value, and one base unit more
        /// is always above it.
        #[test]
        fn bound_never_overpays(io_in in 0u64..=10_000_000 * IO, p_low in 1u64..=1_000_000_000_000, expo in -12i32..=-8, bps in 0u16..=MAX_PREMIUM_BPS) {
            let b = max_usdc_out(io_in, p_low, expo, bps).unwrap();
            let e = exact(io_in, p_low, expo, bps);
            prop_assert!(BigUint::from(b) <= e);
            // b + 1 exceeds the real-valued bound: (b + 1) * 10^k > io_in * p_low * (10^4 + bps).
            let k = u32::try_from(6 - i64::from(expo)).unwrap();
            let lhs = BigUint::from(b + 1) * BigUint::from(10u32).pow(k);
            let rhs = BigUint::from(io_in) * BigUint::from(p_low) * BigUint::from(10_000u32 + u32::from(bps));
            prop_assert!(lhs > rhs);
        }

        #[test]
        fn bound_is_monotone(io_in in 0u64..=u64::MAX / 2, p_low in 0u64..=u64::MAX / 2, expo in -20i32..=-4, bps in 0u16..MAX_PREMIUM_BPS) {
            let b = max_usdc_out(io_in, p_low, expo, bps);
            if let Ok(b) = b {
                for more in [
                    max_usdc_out(io_in + 1, p_low, expo, bps),
                    max_usdc_out(io_in, p_low + 1, expo, bps),
                    max_usdc_out(io_in, p_low, expo + 1, bps),
                    max_usdc_out(io_in, p_low, expo, bps + 1),
                ] {
                    match more {
                        Ok(m) => prop_assert!(m >= b),
                        Err(e) => prop_assert_eq!(e, MathError::Overflow),
                    }
                }
            }
        }

        /// Splitting a fill never buys more than one fill of the sum (floors add up to at most
        /// the floor of the sum).
        #[test]
        fn partial_fills_pay_no_more(a in 0u64..=10_000_000 * IO, b in 0u64..=10_000_000 * IO, p_low in 1u64..=10_000_000_000, bps in 0u16..=MAX_PREMIUM_BPS) {
            let split = max_usdc_out(a, p_low, -8, bps).unwrap() + max_usdc_out(b, p_low, -8, bps).unwrap();
            prop_assert!(split <= max_usdc_out(a + b, p_low, -8, bps).unwrap());
        }

        #[test]
        fn decay_is_linear_bounded_and_monotone(agg: u64, elapsed in 0i64..200_000, window in 1u32..=2_592_000) {
            let t0 = 1_700_000_000i64;
            let d = decayed_outflow(agg, t0, t0 + elapsed, window).unwrap();
            prop_assert!(d <= agg);
            let later = decayed_outflow(agg, t0, t0 + elapsed + 1, window).unwrap();
            prop_assert!(later <= d);
            if elapsed >= i64::from(window) {
                prop_assert_eq!(d, 0);
            } else {
                // ceil(agg * (w - e) / w), checked against u128 maths.
                let num = u128::from(agg) * u128::from(window - u32::try_from(elapsed).unwrap());
                let w = u128::from(window);
                prop_assert_eq!(u128::from(d), num.div_ceil(w));
                if elapsed == 0 { prop_assert_eq!(d, agg); }
                if agg > 0 { prop_assert!(d > 0); }
            }
        }

        /// Whatever the sequence of outflows, the counted total never exceeds the limit, and what
        /// flows out within any window-long stretch never exceeds twice the limit (a full burst,
        /// then the decay refilling the room at up to `limit / window` per second).
        #[test]
        fn window_caps_outflow(
            steps in proptest::collection::vec((0i64..50_000, 0u64..2_000_000), 1..60),
            window in 1u32..=100_000,
            limit in 1u64..5_000_000,
        ) {
            let mut agg = 0u64;
            let mut last = 1_700_000_000i64;
            let mut now = last;
            let mut paid: Vec<(i64, u64)> = Vec::new();
            for (dt, want) in steps {
                now += dt;
                let room = outflow_room(agg, last, now, window, limit).unwrap();
                let amount = want.min(room);
                let (a, l) = add_outflow(agg, last, now, window, amount).unwrap();
                prop_assert!(a <= limit);
                agg = a;
                last = l;
                paid.push((now, amount));
            }
            for (i, (t, _)) in paid.iter().enumerate() {
                let total: u64 = paid[i..].iter().filter(|(u, _)| *u < t + i64::from(window)).map(|(_, a)| a).sum();
                prop_assert!(total <= 2 * limit, "{} > 2 x {} from t = {}", total, limit, t);
            }
        }

        #[test]
        fn day_boundaries(day in 0u64..2_900_000, second in 0i64..86_400) {
            let ts = i64::try_from(day).unwrap() * 86_400 + second;
            prop_assert_eq!(utc_day(ts), Ok(day));
            prop_assert_eq!(
                crate::calendar::days_from_civil(crate::calendar::date_of(ts).unwrap()),
                Ok(day)
            );
        }
    }
}
