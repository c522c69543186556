//! Cliff + equal monthly parts (SPEC §2).
//!
//! Part `i` (1..=parts) unlocks at `add_months(start, cliff_months + i)`: the end of month
//! `cliff_months + i`. After `k` parts, `floor(total * k / parts)` is unlocked: rounds down, so
//! every earlier part is at most its exact share and the last part takes the remainder.

use crate::calendar::{add_months, whole_months_between};
use crate::{mul_div_floor, MathError};

/// A vesting rule: nothing for `cliff_months`, then `parts` equal monthly parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VestingRule {
    pub cliff_months: u8,
    pub parts: u8,
}

impl VestingRule {
    /// Seed and series A investors: 12-month cliff, then 24 parts (end of month 13 to 36).
    pub const INVESTOR: Self = Self {
        cliff_months: 12,
        parts: 24,
    };
    /// Core contributors and R&D: 12-month cliff, then 36 parts (end of month 13 to 48).
    pub const CONTRIBUTOR: Self = Self {
        cliff_months: 12,
        parts: 36,
    };

    /// Number of parts unlocked at `now` for a schedule that started at `start`.
    pub fn parts_unlocked(&self, start: i64, now: i64) -> Result<u64, MathError> {
        if self.parts == 0 {
            return Err(MathError::DivisionByZero);
        }
        let months = whole_months_between(start, now)?;
        Ok(months
            .saturating_sub(u64::from(self.cliff_months))
            .min(u64::from(self.parts)))
    }

    /// Base units unlocked at `now` out of `total`: `floor(total * k / parts)`.
    pub fn unlocked(&self, total: u64, start: i64, now: i64) -> Result<u64, MathError> {
        let k = self.parts_unlocked(start, now)?;
        mul_div_floor(total, k, u64::from(self.parts))
    }

    /// Unlock time of part `i` (1-based).
    pub fn unlock_time(&self, start: i64, part: u8) -> Result<i64, MathError> {
        add_months(
            start,
            u64::from(self.cliff_months).saturating_add(u64::from(part)),
        )
    }
}

/// `unlocked(total, start, now, cliff_months, parts)` of the issue, as a free function.
pub fn unlocked(
    total: u64,
    start: i64,
    now: i64,
    cliff_months: u8,
    parts: u8,
) -> Result<u64, MathError> {
    VestingRule {
        cliff_months,
        parts,
    }
    .unlocked(total, start, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{format_date, parse_date};
    use proptest::prelude::*;

    const R: VestingRule = VestingRule::INVESTOR;

    /// The definition: count the anniversaries `start + (cliff + i) months` that have passed.
    fn parts_by_definition(rule: VestingRule, start: i64, now: i64) -> u64 {
        (1..=rule.parts)
            .filter(|i| rule.unlock_time(start, *i).unwrap() <= now)
            .count() as u64
    }

    #[test]
    fn investor_calendar_from_2024_06_11() {
        let start = parse_date("2024-06-11").unwrap();
        let first = R.unlock_time(start, 1).unwrap();
        let last = R.unlock_time(start, 24).unwrap();
        assert_eq!(format_date(first).unwrap(), "2025-07-11");
        assert_eq!(format_date(last).unwrap(), "2027-06-11");
        let total = 62_500_000 * 100_000_000;
        assert_eq!(R.unlocked(total, start, first - 1), Ok(0));
        assert_eq!(R.unlocked(total, start, first), Ok(total / 24));
        assert_eq!(R.unlocked(total, start, last - 1), Ok(total * 23 / 24));
        assert_eq!(R.unlocked(total, start, last), Ok(total));
        assert_eq!(
            R.unlocked(total, start, i64::MAX / 2),
            Err(MathError::Overflow)
        );
        assert_eq!(R.unlocked(total, start, start - 1), Ok(0));
    }

    #[test]
    fn contributor_schedule_ends_after_month_48() {
        let c = VestingRule::CONTRIBUTOR;
        let start = parse_date("2024-01-31").unwrap();
        assert_eq!(
            format_date(c.unlock_time(start, 1).unwrap()).unwrap(),
            "2025-02-28"
        );
        assert_eq!(
            format_date(c.unlock_time(start, 36).unwrap()).unwrap(),
            "2028-01-31"
        );
        assert_eq!(
            c.unlocked(1_000, start, c.unlock_time(start, 36).unwrap()),
            Ok(1_000)
        );
        assert_eq!(
            c.unlocked(1_000, start, c.unlock_time(start, 35).unwrap()),
            Ok(972)
        );
    }

    #[test]
    fn zero_parts_is_an_error_not_a_panic() {
        let rule = VestingRule {
            cliff_months: 12,
            parts: 0,
        };
        assert_eq!(rule.unlocked(1, 0, 1), Err(MathError::DivisionByZero));
    }

    proptest! {
        #[test]
        fn matches_the_definition(
            start in 0i64..3_000_000_000, delta in -100_000_000i64..200_000_000,
            cliff in 0u8..24, parts in 1u8..48,
        ) {
            let rule = VestingRule { cliff_months: cliff, parts };
            let now = (start + delta).max(0);
            prop_assert_eq!(rule.parts_unlocked(start, now).unwrap(), parts_by_definition(rule, start, now));
        }

        #[test]
        fn monotone_bounded_and_complete(
            total: u64, start in 0i64..3_000_000_000, a in 0i64..200_000_000, b in 0i64..200_000_000,
            contributor: bool,
        ) {
            let rule = if contributor { VestingRule::CONTRIBUTOR } else { R };
            let (lo, hi) = (start + a.min(b), start + a.max(b));
            let (u_lo, u_hi) = (rule.unlocked(total, start, lo).unwrap(), rule.unlocked(total, start, hi).unwrap());
            prop_assert!(u_lo <= u_hi && u_hi <= total);
            prop_assert_eq!(rule.unlocked(total, start, rule.unlock_time(start, 1).unwrap() - 1).unwrap(), 0);
            prop_assert_eq!(rule.unlocked(total, start, rule.unlock_time(start, rule.parts).unwrap()).unwrap(), total);
        }

        #[test]
        fn parts_sum_to_the_total(total: u64, start in 0i64..3_000_000_000, contributor: bool) {
            let rule = if contributor { VestingRule::CONTRIBUTOR } else { R };
            let mut previous = 0u64;
            let mut sum = 0u64;
            for i in 1..=rule.parts {
                let now = rule.unlock_time(start, i).unwrap();
                let u = rule.unlocked(total, start, now).unwrap();
                let part = u - previous;
                // Each part is floor or ceil of the exact share total / parts.
                prop_assert!(u128::from(part) * u128::from(rule.parts) <= u128::from(total) + u128::from(rule.parts));
                sum += part;
                previous = u;
            }
            prop_assert_eq!(sum, total);
        }
    }
}
