//! UTC calendar arithmetic on unix timestamps, integer only (Howard Hinnant's civil-date
//! algorithms). Domain: 1970-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z; outside it every
//! function returns `MathError::Overflow` rather than a wrong date.

use crate::MathError;

/// Seconds in a day.
pub const SECONDS_PER_DAY: i64 = 86_400;
/// 9999-12-31T23:59:59Z, the last second of the domain.
pub const MAX_TIMESTAMP: i64 = 253_402_300_799;
/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.
const UNIX_EPOCH_SHIFT: u64 = 719_468;
const DAYS_PER_ERA: u64 = 146_097;
const DAY: u64 = 86_400;

fn in_domain(ts: i64) -> Result<u64, MathError> {
    if (0..=MAX_TIMESTAMP).contains(&ts) {
        u64::try_from(ts).map_err(|_| MathError::Overflow)
    } else {
        Err(MathError::Overflow)
    }
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u64,
    /// 1..=12
    pub month: u64,
    /// 1..=31
    pub day: u64,
}

// All intermediate values below are bounded by the domain (days < 3 * 10^6, years < 10^4), far
// from any overflow; the arithmetic is still checked so that a mistake is an error, not a wrap.
fn c(v: Option<u64>) -> Result<u64, MathError> {
    v.ok_or(MathError::Overflow)
}

/// Days since 1970-01-01 of a date (year >= 1970).
pub fn days_from_civil(date: Date) -> Result<u64, MathError> {
    let Date { year, month, day } = date;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month)? {
        return Err(MathError::Overflow);
    }
    let y = if month <= 2 {
        c(year.checked_sub(1))?
    } else {
        year
    };
    let era = y / 400;
    let yoe = c(y.checked_sub(c(era.checked_mul(400))?))?;
    let mp = c(month.checked_add(9))? % 12; // March = 0
    let doy = c(c(c(153u64.checked_mul(mp))?.checked_add(2))?.checked_div(5))?;
    let doy = c(c(doy.checked_add(day))?.checked_sub(1))?;
    let doe = c(c(c(yoe.checked_mul(365))?.checked_add(yoe / 4))?.checked_sub(yoe / 100))?;
    let doe = c(doe.checked_add(doy))?;
    let days = c(c(era.checked_mul(DAYS_PER_ERA))?.checked_add(doe))?;
    c(days.checked_sub(UNIX_EPOCH_SHIFT))
}

/// The date of a day number since 1970-01-01.
pub fn civil_from_days(days: u64) -> Result<Date, MathError> {
    let z = c(days.checked_add(UNIX_EPOCH_SHIFT))?;
    let era = z / DAYS_PER_ERA;
    let doe = z % DAYS_PER_ERA;
    let yoe = c(
        c(c(doe.checked_sub(doe / 1_460))?.checked_add(doe / 36_524))?.checked_sub(doe / 146_096),
    )? / 365;
    let doy = c(doe.checked_sub(c(
        c(c(yoe.checked_mul(365))?.checked_add(yoe / 4))?.checked_sub(yoe / 100)
    )?))?;
    let mp = c(c(doy.checked_mul(5))?.checked_add(2))? / 153;
    let day =
        c(c(doy.checked_sub(c(c(mp.checked_mul(153))?.checked_add(2))? / 5))?.checked_add(1))?;
    let month = if mp < 10 {
        c(mp.checked_add(3))?
    } else {
        c(mp.checked_sub(9))?
    };
    let year = c(c(yoe.checked_add(c(era.checked_mul(400))?))?.checked_add(u64::from(month <= 2)))?;
    Ok(Date { year, month, day })
}

pub fn is_leap_year(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

pub fn days_in_month(year: u64, month: u64) -> Result<u64, MathError> {
    Ok(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => return Err(MathError::Overflow),
    })
}

/// The date (UTC) of a unix timestamp.
pub fn date_of(ts: i64) -> Result<Date, MathError> {
    civil_from_days(in_domain(ts)? / DAY)
}

/// Unix timestamp of 00:00:00 UTC on `date`.
pub fn timestamp_of(date: Date) -> Result<i64, MathError> {
    let seconds = c(days_from_civil(date)?.checked_mul(DAY))?;
    let ts = i64::try_from(seconds).map_err(|_| MathError::Overflow)?;
    in_domain(ts).map(|_| ts)
}

/// `ts` plus `months` calendar months, UTC, keeping the time of day; the day is clamped to the
/// last day of a shorter month (Jan 31 + 1 month = Feb 28, or 29 in a leap year). Always counted
/// from `ts` itself, so Jan 31 + 2 months = Mar 31.
pub fn add_months(ts: i64, months: u64) -> Result<i64, MathError> {
    let secs = in_domain(ts)?;
    let time_of_day = secs % DAY;
    let date = civil_from_days(secs / DAY)?;
    let index = c(
        c(c(date.year.checked_mul(12))?.checked_add(c(date.month.checked_sub(1))?))?
            .checked_add(months),
    )?;
    let year = index / 12;
    let month = c((index % 12).checked_add(1))?;
    let day = date.day.min(days_in_month(year, month)?);
    let midnight = timestamp_of(Date { year, month, day })?;
    let ts = c(u64::try_from(midnight)
        .ok()
        .and_then(|m| m.checked_add(time_of_day)))?;
    let ts = i64::try_from(ts).map_err(|_| MathError::Overflow)?;
    in_domain(ts).map(|_| ts)
}

/// The number of whole calendar months from `start` to `now`: the largest `m` with
/// `add_months(start, m) <= now`; 0 if `now < start`.
pub fn whole_months_between(start: i64, now: i64) -> Result<u64, MathError> {
    if now < start {
        return Ok(0);
    }
    let (a, b) = (date_of(start)?, date_of(now)?);
    let guess = c(c(b.year.checked_mul(12))?.checked_add(b.month))?
        .checked_sub(c(c(a.year.checked_mul(12))?.checked_add(a.month))?)
        .ok_or(MathError::Overflow)?;
    // add_months(start, guess) lands in now's month: after `now` iff start's day/time is later.
    if add_months(start, guess)? > now {
        c(guess.checked_sub(1))
    } else {
        Ok(guess)
    }
}

/// Parses `YYYY-MM-DD` into the unix timestamp of its 00:00:00 UTC.
pub fn parse_date(text: &str) -> Result<i64, MathError> {
    let mut parts = text.split('-');
    let mut field = |len: usize| -> Result<u64, MathError> {
        let p = parts.next().ok_or(MathError::Overflow)?;
        if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MathError::Overflow);
        }
        p.parse().map_err(|_| MathError::Overflow)
    };
    let (year, month, day) = (field(4)?, field(2)?, field(2)?);
    if parts.next().is_some() {
        return Err(MathError::Overflow);
    }
    timestamp_of(Date { year, month, day })
}

/// `YYYY-MM-DD` of a timestamp (UTC).
pub fn format_date(ts: i64) -> Result<String, MathError> {
    let d = date_of(ts)?;
    Ok(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Months, NaiveDate, TimeZone, Timelike, Utc};
    use proptest::prelude::*;

    fn chrono_add_months(ts: i64, k: u32) -> i64 {
        let t = Utc.timestamp_opt(ts, 0).unwrap();
        t.checked_add_months(Months::new(k)).unwrap().timestamp()
    }

    #[test]
    fn dates_round_trip_against_chrono_for_every_day_1970_to_2100() {
        let mut day = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap();
        let mut n = 0u64;
        while day <= end {
            let date = Date {
                year: day.year() as u64,
                month: day.month() as u64,
                day: day.day() as u64,
            };
            assert_eq!(days_from_civil(date), Ok(n), "{day}");
            assert_eq!(civil_from_days(n), Ok(date), "{day}");
            n += 1;
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn add_months_matches_chrono_for_every_start_day_2023_to_2030() {
        // Every day of eight years (two leap years), at 00:00 and at 23:59:59, for k = 0..=60.
        let mut day = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2030, 12, 31).unwrap();
        while day <= end {
            let midnight = day.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
            for ts in [midnight, midnight + 86_399] {
                for k in 0..=60u32 {
                    assert_eq!(
                        add_months(ts, u64::from(k)),
                        Ok(chrono_add_months(ts, k)),
                        "{day} + {k}"
                    );
                }
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn month_end_clamping() {
        let jan31 = parse_date("2024-01-31").unwrap();
        assert_eq!(
            format_date(add_months(jan31, 1).unwrap()).unwrap(),
            "2024-02-29"
        );
        assert_eq!(
            format_date(add_months(jan31, 2).unwrap()).unwrap(),
            "2024-03-31"
        );
        assert_eq!(
            format_date(add_months(jan31, 13).unwrap()).unwrap(),
            "2025-02-28"
        );
        let feb29 = parse_date("2024-02-29").unwrap();
        assert_eq!(
            format_date(add_months(feb29, 12).unwrap()).unwrap(),
            "2025-02-28"
        );
        assert_eq!(
            format_date(add_months(feb29, 48).unwrap()).unwrap(),
            "2028-02-29"
        );
    }

    #[test]
    fn domain_edges() {
        assert_eq!(
            date_of(0),
            Ok(Date {
                year: 1970,
                month: 1,
                day: 1
            })
        );
        assert_eq!(
            date_of(MAX_TIMESTAMP),
            Ok(Date {
                year: 9999,
                month: 12,
                day: 31
            })
        );
        assert_eq!(date_of(-1), Err(MathError::Overflow));
        assert_eq!(date_of(MAX_TIMESTAMP + 1), Err(MathError::Overflow));
        assert_eq!(add_months(MAX_TIMESTAMP, 1), Err(MathError::Overflow));
        assert_eq!(add_months(0, u64::MAX), Err(MathError::Overflow));
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "24-01-01",
            "2024-1-01",
            "2024-01-01x",
            "x",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_date("2024-06-11"), Ok(1_718_064_000));
    }

    proptest! {
        #[test]
        fn whole_months_is_the_largest_m_with_add_months_not_after_now(
            start in 0i64..4_000_000_000, delta in 0i64..400_000_000,
        ) {
            let now = start + delta;
            let m = whole_months_between(start, now).unwrap();
            prop_assert!(add_months(start, m).unwrap() <= now);
            prop_assert!(add_months(start, m + 1).unwrap() > now);
        }

        #[test]
        fn add_months_is_monotone(ts in 0i64..4_000_000_000, k in 0u64..600) {
            prop_assert!(add_months(ts, k).unwrap() <= add_months(ts, k + 1).unwrap());
            prop_assert_eq!(
                i64::from(Utc.timestamp_opt(add_months(ts, k).unwrap(), 0).unwrap().num_seconds_from_midnight()),
                ts % 86_400
            );
        }
    }
}
