//! The hourly emission schedule (SPEC §3), as exact integer code.
//!
//! io.net publishes `E_T = 500M * r_T`, `r_1 = 8% / 8760`, `r_T = r_{T-1} * (1 - d)` with
//! `d = 0.0013886952395979300000 %` per hour over `N = 175,319` hours. We enforce it as a
//! cumulative target normalised to exactly 300M IO:
//!
//! ```text
//! C(t) = 300M * (1 - q^t) / (1 - q^N),  q = 1 - d,   C(t) = 300M for t >= N
//! budget(h) = C(h + 1) - C(h)
//! ```
//!
//! # Fixed point
//! `q^t` is a binary fixed-point number with scale `2^127` (`ONE`), computed from three
//! compile-time tables of base-64 digits of `t` (`q^(j * 64^k)`, k = 0..3, j = 0..64), so any
//! `q^t` costs exactly two 128x128-bit multiplications, floored. The final ratio drops to scale
//! `2^63` so that `300M * 10^8 * num` fits a u128.
//!
//! # Error bound
//! Table entries carry at most ~2^19 ulps of `2^-127` (absolute 2^-108.6, relative ≤ 2^-105); the `2^63` truncation of
//! numerator and denominator adds at most `3e16 * 2^-63 / 0.912 ≈ 0.004` base units. `C(t)` is
//! therefore `floor` of a value within 0.005 base units of the exact one: **|C(t) - floor(exact)|
//! ≤ 1 base unit** for every t, and each hour's budget is within 2 base units of the exact one.
//! Tests check every hour `0..=N` against a 60-digit big-integer reference and find a maximum
//! difference of 1 (see `tests/reference.rs` figures in BENCHMARKS.md). `C` is strictly increasing
//! up to `N` (consecutive values differ by at least 4 * 10^10 base units, far above the error) and
//! `C(N)` is exactly `EMISSION_SUPPLY` by construction.

use crate::units::{EMISSION_SUPPLY, SECONDS_PER_HOUR};

/// Number of emission hours (fixed by the spec). Hours `0..EMISSION_HOURS` have a budget.
pub const EMISSION_HOURS: u64 = 175_319;

/// Hourly decay `d` as an exact fraction: 0.0013886952395979300000 % = 138,869,523,959,793 / 10^19.
const DECAY_NUM: u128 = 138_869_523_959_793;
const DECAY_DEN: u128 = 10_000_000_000_000_000_000;

/// Fixed-point one: `q^t` values are scaled by 2^127.
const ONE: u128 = 1 << 127;

/// `q = 1 - d` at scale 2^127, rounded down: `ONE - ceil(ONE * DECAY_NUM / DECAY_DEN)`.
const Q: u128 = {
    // ONE * NUM / DEN without overflow: ONE = qd * DEN + rd, so ONE * NUM = qd*NUM*DEN + rd*NUM.
    let qd = ONE / DECAY_DEN;
    let rd = ONE % DECAY_DEN;
    let floor = qd * DECAY_NUM + rd * DECAY_NUM / DECAY_DEN;
    let ceil = if (rd * DECAY_NUM).is_multiple_of(DECAY_DEN) {
        floor
    } else {
        floor + 1
    };
    ONE - ceil
};

/// Bits per table digit, digits per exponent: 3 digits of 6 bits cover t < 2^18 = 262,144 > N.
const DIGIT_BITS: u32 = 6;
const DIGIT_BASE: usize = 1 << DIGIT_BITS;
const DIGITS: usize = 3;
const DIGIT_MASK: u64 = (DIGIT_BASE as u64) - 1;
const _: () = assert!(EMISSION_HOURS < 1 << (DIGIT_BITS as usize * DIGITS));

/// `POW_TABLE[k][j] = q^(j * 64^k)` at scale 2^127, each entry floored. Built at compile time
/// and read from one `static` copy (a 3 KB `const` indexed at run time could be copied onto
/// SBF's 4 KB stack frame).
static POW_TABLE: [[u128; DIGIT_BASE]; DIGITS] = POW_TABLE_VALUES;
const POW_TABLE_VALUES: [[u128; DIGIT_BASE]; DIGITS] = {
    let mut table = [[0u128; DIGIT_BASE]; DIGITS];
    let mut step = Q; // q^(64^k)
    let mut k = 0;
    while k < DIGITS {
        table[k][0] = ONE;
        let mut j = 1;
        while j < DIGIT_BASE {
            table[k][j] = mul_fixed(table[k][j - 1], step);
            j += 1;
        }
        step = mul_fixed(table[k][DIGIT_BASE - 1], step);
        k += 1;
    }
    table
};

/// `(ONE - q^N) / 2^64`: the normalising denominator at scale 2^63.
const DENOMINATOR: u128 = (ONE - pow_q_from(&POW_TABLE_VALUES, EMISSION_HOURS)) >> 64;

/// `floor(a * b / 2^127)` for `a, b <= 2^127`, through an exact 256-bit product.
///
/// With both inputs at most 2^127 the result is at most 2^127, every partial product is a u64 x
/// u64 (cannot overflow a u128), and `mid < 2^128`: the wrapping operations below never wrap.
const fn mul_fixed(a: u128, b: u128) -> u128 {
    let (a1, a0) = (a >> 64, a & (u64::MAX as u128));
    let (b1, b0) = (b >> 64, b & (u64::MAX as u128));
    let p00 = a0.wrapping_mul(b0);
    let mid = a0.wrapping_mul(b1).wrapping_add(a1.wrapping_mul(b0));
    let p11 = a1.wrapping_mul(b1);
    let (lo, carry) = p00.overflowing_add(mid << 64);
    let hi = p11.wrapping_add(mid >> 64).wrapping_add(carry as u128);
    (hi << 1) | (lo >> 127)
}

/// `q^t` from a table (`const` evaluation needs the `const` copy; run time reads the `static`).
const fn pow_q_from(table: &[[u128; DIGIT_BASE]; DIGITS], t: u64) -> u128 {
    let d0 = (t & DIGIT_MASK) as usize;
    let d1 = ((t >> DIGIT_BITS) & DIGIT_MASK) as usize;
    let d2 = ((t >> (2 * DIGIT_BITS)) & DIGIT_MASK) as usize;
    mul_fixed(mul_fixed(table[0][d0], table[1][d1]), table[2][d2])
}

/// `q^t` at scale 2^127 (rounded down), for `t <= EMISSION_HOURS`; `q^N` beyond.
pub fn pow_q(t: u64) -> u128 {
    pow_q_from(&POW_TABLE, t.min(EMISSION_HOURS))
}

/// Cumulative emission target `C(t)` in base units after `t` whole hours: rounds down,
/// monotone, 0 at t = 0, exactly 300,000,000 IO for every `t >= EMISSION_HOURS`.
pub fn cumulative(t: u64) -> u64 {
    if t >= EMISSION_HOURS {
        return EMISSION_SUPPLY;
    }
    // ONE - q^t < 2^127, so the shifted numerator is < 2^63 and 3e16 * 2^63 < 2^118.
    let numerator = ONE.wrapping_sub(pow_q(t)).wrapping_shr(64);
    let scaled = u128::from(EMISSION_SUPPLY).wrapping_mul(numerator);
    let value = scaled.checked_div(DENOMINATOR).unwrap_or(0);
    // numerator < DENOMINATOR for t < N, so value < EMISSION_SUPPLY: the fallbacks never apply.
    u64::try_from(value)
        .unwrap_or(EMISSION_SUPPLY)
        .min(EMISSION_SUPPLY)
}

/// Emission budget of hour `h` (the hour `[h, h+1)` after genesis) in base units, rounded down:
/// `C(h + 1) - C(h)`. Zero from hour `EMISSION_HOURS` on.
pub fn hour_budget(h: u64) -> u64 {
    cumulative(h.saturating_add(1)).saturating_sub(cumulative(h))
}

/// Number of hours that have fully ended at `now` for a schedule that started at `genesis_ts`:
/// hour `h` has ended iff `h < hours_ended(..)`. Zero if the clock reads before genesis.
pub fn hours_ended(genesis_ts: i64, now: i64) -> u64 {
    let elapsed = now.saturating_sub(genesis_ts).max(0);
    u64::try_from(elapsed.checked_div(SECONDS_PER_HOUR).unwrap_or(0)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::IO_UNIT;
    use proptest::prelude::*;

    #[test]
    fn fixed_point_basics() {
        assert_eq!(mul_fixed(ONE, ONE), ONE);
        assert_eq!(mul_fixed(ONE, Q), Q);
        assert_eq!(mul_fixed(0, ONE), 0);
        assert_eq!(mul_fixed(ONE >> 1, ONE >> 1), ONE >> 2);
        assert_eq!(pow_q(0), ONE);
        assert_eq!(pow_q(1), Q);
        // Q = ONE - ceil(ONE * d): ONE * d ≈ 2.3627e33 (checked exactly in tests/reference.rs).
        assert_eq!((ONE - Q) / 1_000_000_000_000_000_000_000_000_000, 2_362_742);
    }

    #[test]
    fn first_six_hours_match_the_published_table_to_the_cent() {
        // io.net's table: 4,566.21, 4,566.15, 4,566.08, 4,566.02, 4,565.96, 4,565.89 IO.
        let published_cents = [456_621u64, 456_615, 456_608, 456_602, 456_596, 456_589];
        let cent = IO_UNIT / 100;
        for (h, expected) in published_cents.iter().enumerate() {
            let budget = hour_budget(h as u64);
            let cents_rounded = (budget + cent / 2) / cent;
            assert_eq!(cents_rounded, *expected, "hour {h}: budget {budget}");
        }
    }

    #[test]
    fn hour_zero_budget_is_the_normalised_first_hour() {
        // 300M * d / (1 - q^N) = 456,621,004,565.54 base units (60-digit decimal reference).
        assert!(
            hour_budget(0).abs_diff(456_621_004_565) <= 1,
            "{}",
            hour_budget(0)
        );
    }

    #[test]
    fn ends_exactly_at_the_emission_supply() {
        assert_eq!(cumulative(0), 0);
        assert_eq!(cumulative(EMISSION_HOURS), EMISSION_SUPPLY);
        assert_eq!(cumulative(EMISSION_HOURS + 1), EMISSION_SUPPLY);
        assert_eq!(cumulative(u64::MAX), EMISSION_SUPPLY);
        assert!(cumulative(EMISSION_HOURS - 1) < EMISSION_SUPPLY);
        assert_eq!(hour_budget(EMISSION_HOURS), 0);
        assert_eq!(hour_budget(u64::MAX), 0);
        // Last budget: 40,012,988,344.62 base units in the decimal reference.
        assert!(hour_budget(EMISSION_HOURS - 1).abs_diff(40_012_988_344) <= 2);
    }

    #[test]
    fn strictly_increasing_and_budgets_sum_to_the_supply_over_every_hour() {
        let mut previous = cumulative(0);
        let mut sum: u64 = 0;
        for h in 0..EMISSION_HOURS {
            let next = cumulative(h + 1);
            assert!(next > previous, "hour {h}");
            assert_eq!(hour_budget(h), next - previous);
            sum += hour_budget(h);
            previous = next;
        }
        assert_eq!(sum, EMISSION_SUPPLY);
    }

    #[test]
    fn budgets_decay_every_hour() {
        // Exact budgets fall by ~6.3e6 base units an hour at the start and ~5.6e5 at the end;
        // rounding (≤ 2 units) can never reorder them.
        for h in 0..EMISSION_HOURS - 1 {
            assert!(hour_budget(h + 1) < hour_budget(h), "hour {h}");
        }
    }

    #[test]
    fn hours_ended_counts_whole_hours_only() {
        assert_eq!(hours_ended(1_000, 999), 0);
        assert_eq!(hours_ended(1_000, 1_000), 0);
        assert_eq!(hours_ended(1_000, 4_599), 0);
        assert_eq!(hours_ended(1_000, 4_600), 1);
        assert_eq!(hours_ended(0, i64::MAX), (i64::MAX / 3_600) as u64);
        assert_eq!(hours_ended(i64::MAX, i64::MIN), 0);
        // The difference saturates at i64::MAX seconds (~2.9e11 years): still no panic.
        assert_eq!(hours_ended(i64::MIN, i64::MAX), (i64::MAX / 3_600) as u64);
    }

    proptest! {
        #[test]
        fn monotone_and_bounded(a in 0u64..200_000, b in 0u64..200_000) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(cumulative(lo) <= cumulative(hi));
            prop_assert!(cumulative(hi) <= EMISSION_SUPPLY);
        }

        #[test]
        fn budgets_telescope(a in 0u64..200_000, len in 0u64..48) {
            let sum: u64 = (a..a + len).map(hour_budget).sum();
            prop_assert_eq!(sum, cumulative(a + len) - cumulative(a));
        }

        #[test]
        fn any_hour_is_total(h: u64) {
            prop_assert!(hour_budget(h) <= hour_budget(0));
            prop_assert!(cumulative(h) <= EMISSION_SUPPLY);
        }
    }
}
