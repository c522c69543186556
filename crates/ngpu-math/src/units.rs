//! Supply units and caps (SPEC §1). Fixed by the spec, shared by every program and client.

/// IO has 8 decimals.
pub const IO_DECIMALS: u8 = 8;
/// Base units in one IO (10^8).
pub const IO_UNIT: u64 = 100_000_000;
/// Hard cap of IO ever minted, in base units (800,000,000 IO). Burning never makes room again.
pub const MAX_SUPPLY: u64 = 800_000_000 * IO_UNIT;
/// Minted once at genesis, in base units (500,000,000 IO).
pub const GENESIS_SUPPLY: u64 = 500_000_000 * IO_UNIT;
/// Emitted hourly over the schedule, in base units (300,000,000 IO).
pub const EMISSION_SUPPLY: u64 = 300_000_000 * IO_UNIT;
/// Length of one emission hour, in seconds.
pub const SECONDS_PER_HOUR: i64 = 3_600;

const _: () = assert!(GENESIS_SUPPLY + EMISSION_SUPPLY == MAX_SUPPLY);

/// Formats base units as IO with all 8 decimals and thousands separators: `4,566.21004565`.
pub fn format_io(base_units: u64) -> String {
    let whole = base_units / IO_UNIT;
    let frac = base_units % IO_UNIT;
    format!("{}.{:08}", group_thousands(whole), frac)
}

/// `456621004565` -> `"456,621,004,565"`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len().saturating_mul(2));
    for (i, c) in digits.chars().enumerate() {
        let left = digits.len().saturating_sub(i);
        if i > 0 && left % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_io_amounts() {
        assert_eq!(format_io(0), "0.00000000");
        assert_eq!(format_io(1), "0.00000001");
        assert_eq!(format_io(456_621_004_565), "4,566.21004565");
        assert_eq!(format_io(MAX_SUPPLY), "800,000,000.00000000");
        assert_eq!(format_io(u64::MAX), "184,467,440,737.09551615");
    }
}
