//! Client-side revenue helpers: the buyback quote the program would honour now, USDC amounts,
//! and a JSON-ready view of the revenue state (`ngpu revenue show`, `ngpu buyback quote`).

use anchor_lang::prelude::Pubkey;
use ngpu_math::revenue::{max_usdc_out, outflow_room};
use ngpu_onchain::pyth::{check_price, PythError};
use revenue::{BurnTotals, RevenueError};
use serde::Serialize;

/// USDC decimals.
pub const USDC_DECIMALS: u32 = 6;

/// The most a fill of `io_in` may ask now, and what limits it (USDC base units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    pub io_in: u64,
    /// The oracle bound: `io_in` at the low side of the band plus the premium, rounded down.
    pub price_bound: u64,
    /// What the USDC fee vault holds.
    pub vault: u64,
    /// What the outflow window still allows.
    pub window_room: u64,
    /// `min(price_bound, vault, window_room)`: the most `fill_buyback` pays now.
    pub max_usdc_out: u64,
    /// The low side used, micro-USD per IO (rounded down), and the premium.
    pub oracle_low_micro_usd: u64,
    pub max_premium_bps: u16,
}

fn price_error(e: PythError) -> String {
    let e = RevenueError::from(e);
    format!("RevenueError::{} ({}): {e}", e.name(), u32::from(e))
}

/// The quote for `io_in` IO base units at `now`, from the config, the price account (owner and
/// data) and the USDC vault balance: the same checks and maths as `fill_buyback`.
pub fn quote(
    config: &revenue::Config,
    price_owner: &Pubkey,
    price_data: &[u8],
    usdc_vault: u64,
    now: i64,
    io_in: u64,
) -> Result<Quote, String> {
    let price =
        check_price(price_owner, price_data, &config.price_limits(), now).map_err(price_error)?;
    let low = u64::try_from(price.price)
        .ok()
        .and_then(|p| p.checked_sub(price.conf))
        .filter(|p| *p > 0)
        .ok_or_else(|| price_error(PythError::NonPositivePrice))?;
    let price_bound =
        max_usdc_out(io_in, low, price.exponent, config.max_premium_bps).unwrap_or(u64::MAX);
    let window_room = outflow_room(
        config.window_outflow,
        config.window_last_ts,
        now,
        config.window_secs,
        config.window_limit,
    )
    .map_err(|e| e.to_string())?;
    Ok(Quote {
        io_in,
        price_bound,
        vault: usdc_vault,
        window_room,
        max_usdc_out: price_bound.min(usdc_vault).min(window_room),
        oracle_low_micro_usd: price.low_micro_usd,
        max_premium_bps: config.max_premium_bps,
    })
}

/// Parses a decimal amount with at most `decimals` decimals into base units.
pub fn parse_amount(text: &str, decimals: u32) -> Result<u64, String> {
    let err = || format!("`{text}` is not an amount with at most {decimals} decimals");
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > decimals as usize
        || (text.contains('.') && frac.is_empty())
    {
        return Err(err());
    }
    let scale = 10u64.checked_pow(decimals).ok_or_else(err)?;
    let whole: u64 = whole.parse().map_err(|_| err())?;
    let frac_units: u64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = decimals as usize)
            .parse()
            .map_err(|_| err())?
    };
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(frac_units))
        .ok_or_else(err)
}

/// A USDC amount (6 decimals) in base units.
pub fn parse_usdc(text: &str) -> Result<u64, String> {
    parse_amount(text, USDC_DECIMALS)
}

/// `1234.5` USDC from base units.
pub fn format_usdc(base_units: u64) -> String {
    let scale = 10u64.pow(USDC_DECIMALS);
    format!(
        "{}.{:06}",
        ngpu_math::units::group_thousands(base_units / scale),
        base_units % scale
    )
}

/// What `ngpu revenue show` prints; every amount in base units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RevenueView {
    pub config: String,
    pub authority: String,
    pub paused: bool,
    pub usdc_mint: String,
    pub io_vault: String,
    pub io_vault_balance: u64,
    pub usdc_vault: String,
    pub usdc_vault_balance: u64,
    pub max_premium_bps: u16,
    pub window_secs: u32,
    pub window_limit: u64,
    /// Counted outflow of the window now (decayed to `now`).
    pub window_outflow_now: u64,
    pub totals: TotalsView,
    pub day_records: u64,
    pub day: u64,
    /// The record of `day`, if it exists.
    pub day_totals: Option<TotalsView>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TotalsView {
    pub io_burned_fees: u64,
    pub io_burned_buyback: u64,
    pub io_burned: u64,
    pub usdc_spent: u64,
    pub fee_burns: u64,
    pub fills: u64,
    pub min_price_micro_usd: u64,
    pub max_price_micro_usd: u64,
    /// USDC spent per IO bought back, micro-USD (rounded down); 0 without fills.
    pub average_price_micro_usd: u64,
}

impl From<BurnTotals> for TotalsView {
    fn from(t: BurnTotals) -> Self {
        TotalsView {
            io_burned_fees: t.io_burned_fees,
            io_burned_buyback: t.io_burned_buyback,
            io_burned: t.io_burned(),
            usdc_spent: t.usdc_spent,
            fee_burns: t.fee_burns,
            fills: t.fills,
            min_price_micro_usd: t.min_price_micro_usd,
            max_price_micro_usd: t.max_price_micro_usd,
            average_price_micro_usd: ngpu_math::revenue::fill_price_micro_usd(
                t.io_burned_buyback,
                t.usdc_spent,
            )
            .unwrap_or(0),
        }
    }
}

impl RevenueView {
    pub fn new(
        config: &revenue::Config,
        io_vault_balance: u64,
        usdc_vault_balance: u64,
        now: i64,
        day: u64,
        record: Option<&revenue::DayRecord>,
    ) -> Self {
        RevenueView {
            config: crate::pda::revenue::config().to_string(),
            authority: config.authority.to_string(),
            paused: config.paused,
            usdc_mint: config.usdc_mint.to_string(),
            io_vault: config.io_vault.to_string(),
            io_vault_balance,
            usdc_vault: config.usdc_vault.to_string(),
            usdc_vault_balance,
            max_premium_bps: config.max_premium_bps,
            window_secs: config.window_secs,
            window_limit: config.window_limit,
            window_outflow_now: ngpu_math::revenue::decayed_outflow(
                config.window_outflow,
                config.window_last_ts,
                now,
                config.window_secs,
            )
            .unwrap_or(config.window_outflow),
            totals: config.totals.into(),
            day_records: config.day_records,
            day,
            day_totals: record.map(|r| r.totals.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usdc_amounts() {
        assert_eq!(parse_usdc("0"), Ok(0));
        assert_eq!(parse_usdc("1"), Ok(1_000_000));
        assert_eq!(parse_usdc("252.5"), Ok(252_500_000));
        assert_eq!(parse_usdc("0.000001"), Ok(1));
        assert!(parse_usdc("0.0000001").is_err());
        assert!(parse_usdc("1.").is_err());
        assert!(parse_usdc("-1").is_err());
        assert!(parse_usdc("18446744073710").is_err());
        assert_eq!(format_usdc(1_234_500_001), "1,234.500001");
        assert_eq!(parse_amount("1.5", 8), Ok(150_000_000));
    }
}
