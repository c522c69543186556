//! Amounts as base-unit integers beside formatted strings; readable UTC times.

use serde::Serialize;

/// IO has 8 decimals.
pub const IO_DECIMALS: u8 = 8;
/// USDC has 6 decimals.
pub const USDC_DECIMALS: u8 = 6;

/// An amount for `--output json`: the base-unit integer and the formatted string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// Base units (10^-8 IO, 10^-6 USDC).
    pub base: u64,
    /// `"1,234.5"`-style, no trailing zeros.
    pub formatted: String,
    pub unit: &'static str,
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.formatted, self.unit)
    }
}

/// `base` base units with `decimals` decimals, all decimals shown: `"1,234.50000000"` (the
/// CLI's long-standing text format).
pub fn format_units(base: u64, decimals: u8) -> String {
    let scale = 10u64.pow(u32::from(decimals));
    format!(
        "{}.{:0width$}",
        ngpu_math::units::group_thousands(base / scale),
        base % scale,
        width = usize::from(decimals)
    )
}

/// Parses a positive amount with at most `decimals` decimals, at most `max` base units. A
/// negative number, zero, too many decimals or more than `max` get a sentence saying so.
pub fn parse_amount(text: &str, decimals: u8, max: u64, unit: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.starts_with('-') {
        return Err(format!("amount `{text}`: must be positive"));
    }
    let t = t.strip_prefix('+').unwrap_or(t).replace(',', "");
    let bad =
        || format!("amount `{text}`: not a number of {unit} with at most {decimals} decimals");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > usize::from(decimals)
    {
        return Err(bad());
    }
    let scale = 10u128.pow(u32::from(decimals));
    let whole: u128 = whole.parse().map_err(|_| bad())?;
    let frac: u128 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = usize::from(decimals))
            .parse()
            .map_err(|_| bad())?
    };
    let base = whole.saturating_mul(scale).saturating_add(frac);
    if base == 0 {
        return Err(format!("amount `{text}`: must be greater than zero"));
    }
    if base > u128::from(max) {
        return Err(format!(
            "amount `{text}`: more than the cap of {} {unit}",
            format_units(max, decimals)
        ));
    }
    u64::try_from(base).map_err(|_| bad())
}

/// The IO hard cap in base units (800 million IO).
pub const IO_CAP: u64 = ngpu_math::units::MAX_SUPPLY;

/// A positive IO amount, at most the IO cap.
pub fn parse_io(text: &str) -> Result<u64, String> {
    parse_amount(text, IO_DECIMALS, IO_CAP, "IO")
}

/// A positive USDC amount (at most u64::MAX base units).
pub fn parse_usdc(text: &str) -> Result<u64, String> {
    parse_amount(text, USDC_DECIMALS, u64::MAX, "USDC")
}

pub fn io(base: u64) -> Amount {
    Amount {
        base,
        formatted: format_units(base, IO_DECIMALS),
        unit: "IO",
    }
}

pub fn usdc(base: u64) -> Amount {
    Amount {
        base,
        formatted: format_units(base, USDC_DECIMALS),
        unit: "USDC",
    }
}

/// A unix time as `2025-01-01 00:00:00 UTC`.
pub fn utc(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let date = ngpu_math::calendar::format_date(days * 86_400).unwrap_or_else(|_| ts.to_string());
    format!(
        "{date} {:02}:{:02}:{:02} UTC",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}

/// A duration in seconds as `6d 23h 59m 59s` (leading zero parts dropped).
pub fn duration(secs: i64) -> String {
    if secs <= 0 {
        return "0s".into();
    }
    let parts = [
        (secs / 86_400, "d"),
        (secs % 86_400 / 3_600, "h"),
        (secs % 3_600 / 60, "m"),
        (secs % 60, "s"),
    ];
    let first = parts.iter().position(|(v, _)| *v != 0).unwrap_or(3);
    parts[first..]
        .iter()
        .map(|(v, u)| format!("{v}{u}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_base_units_beside_the_text() {
        assert_eq!(io(150_000_000).formatted, "1.50000000");
        assert_eq!(
            io(123_456_789_000_000_000).formatted,
            "1,234,567,890.00000000"
        );
        assert_eq!(io(1).formatted, "0.00000001");
        assert_eq!(usdc(2_500_000).to_string(), "2.500000 USDC");
        assert_eq!(
            serde_json::to_value(io(100_000_000)).unwrap(),
            serde_json::json!({"base": 100_000_000u64, "formatted": "1.00000000", "unit": "IO"})
        );
    }

    #[test]
    fn amounts_are_positive_and_capped() {
        assert_eq!(parse_io("1.5"), Ok(150_000_000));
        assert_eq!(parse_io("0.00000001"), Ok(1));
        assert_eq!(parse_usdc("2.5"), Ok(2_500_000));
        assert_eq!(parse_io("-1").unwrap_err(), "amount `-1`: must be positive");
        assert_eq!(
            parse_io("0").unwrap_err(),
            "amount `0`: must be greater than zero"
        );
        assert!(parse_io("0.000000001")
            .unwrap_err()
            .contains("at most 8 decimals"));
        assert!(parse_io("abc").is_err());
        let over = format_units(IO_CAP + 1, IO_DECIMALS).replace(',', "");
        assert!(
            parse_io(&over).unwrap_err().contains("more than the cap"),
            "{over}"
        );
        assert_eq!(parse_io(&format_units(IO_CAP, IO_DECIMALS)), Ok(IO_CAP));
        assert!(parse_io("99999999999999999999999999")
            .unwrap_err()
            .contains("cap"));
    }

    #[test]
    fn times_read_as_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_735_689_600 + 3_661), "2025-01-01 01:01:01 UTC");
        assert_eq!(duration(7 * 86_400 - 1), "6d 23h 59m 59s");
        assert_eq!(duration(3_600), "1h 0m 0s");
        assert_eq!(duration(-5), "0s");
    }
}
