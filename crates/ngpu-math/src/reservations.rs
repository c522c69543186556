//! Reservations (SPEC §5): what a renter pays, what a supplier is paid per delivered hour, the
//! fees and the refunds.
//!
//! Units: a reservation is paid in one currency; every amount here is in that currency's base
//! units (USDC: 6 decimals = micro-USD; IO: 8 decimals). Prices are micro-USD per hour (the
//! listing) and micro-USD per IO (the oracle's low side, as `ngpu_onchain::pyth` returns it and
//! `staking::usd_to_io` takes it). Fee rates in basis points.
//!
//! A reservation of `H` hours has a *principal* `P` (USDC: `C = price * H`; IO:
//! `ceil(C * 10^8 / p_low)`) and a deposit `D = P + ceil(P * r) + ceil(P * p)` (`r` the
//! reservation fee, `p` the payment fee; fees owed round up). Everything after is computed for
//! `k` delivered (or charged) hours **from scratch**, then differenced:
//! - `base(k) = floor(P * k / H)` (USDC: exactly `price * k`);
//! - renter-side fees `ceil(base * r) + ceil(base * p)`, consumed `base + renter fees`;
//! - the supplier is paid `floor(base * (1 - r - p))` (a payout rounds down);
//! - the fees of those hours are `consumed - supplier paid` (both sides);
//! - the refund when a reservation stops after `k` hours is `D - consumed(k)`.
//!
//! Every cumulative amount is monotone in `k`, `consumed(H) = D`, so any sequence of settles
//! pays exactly what one settle pays, to the base unit.

use crate::{mul_div_ceil, mul_div_floor, MathError};

/// 100% in basis points.
pub const BPS_DENOM: u64 = 10_000;
/// IO base units per IO.
pub const IO_UNIT: u64 = 100_000_000;
/// Seconds in a reservation hour.
pub const HOUR_SECS: i64 = 3_600;
/// The highest reservation or payment fee a config may set (10% each: both sides together stay
/// well below 100%).
pub const MAX_FEE_BPS: u16 = 1_000;

/// The fee rates copied onto a reservation (both sides pay each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeRates {
    /// SPEC default 25 (0.25%).
    pub reservation_bps: u16,
    /// SPEC default 200 (2%) in USDC, 0 in IO.
    pub payment_bps: u16,
}

impl FeeRates {
    /// Both rates within [`MAX_FEE_BPS`].
    pub fn valid(&self) -> bool {
        self.reservation_bps <= MAX_FEE_BPS && self.payment_bps <= MAX_FEE_BPS
    }

    /// What the renter pays on top of `base`: `ceil(base * r) + ceil(base * p)` (owed: up).
    pub fn renter_fees(&self, base: u64) -> Result<u64, MathError> {
        let r = mul_div_ceil(base, u64::from(self.reservation_bps), BPS_DENOM)?;
        let p = mul_div_ceil(base, u64::from(self.payment_bps), BPS_DENOM)?;
        r.checked_add(p).ok_or(MathError::Overflow)
    }

    /// What the supplier receives of `base`: `floor(base * (1 - r - p))` (a payout: down).
    pub fn supplier_share(&self, base: u64) -> Result<u64, MathError> {
        let keep = BPS_DENOM
            .checked_sub(u64::from(self.reservation_bps))
            .and_then(|k| k.checked_sub(u64::from(self.payment_bps)))
            .ok_or(MathError::Overflow)?;
        mul_div_floor(base, keep, BPS_DENOM)
    }
}

/// The cost of `hours` at `price_micro_usd_per_hour`: `C = price * hours`, micro-USD (exact).
pub fn cost_micro_usd(price_micro_usd_per_hour: u64, hours: u32) -> Result<u64, MathError> {
    price_micro_usd_per_hour
        .checked_mul(u64::from(hours))
        .ok_or(MathError::Overflow)
}

/// The IO principal of a cost: `ceil(C * 10^8 / p_low)` base units at the low side of the
/// band (micro-USD per IO); rounded up, against the renter. A zero price is refused.
pub fn io_principal(cost_micro_usd: u64, p_low_micro_usd: u64) -> Result<u64, MathError> {
    mul_div_ceil(cost_micro_usd, IO_UNIT, p_low_micro_usd)
}

/// The amounts of a reservation after `k` hours, all cumulative from its start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cumulative {
    /// `floor(P * k / H)`: the principal of those hours.
    pub base: u64,
    /// Taken out of the deposit: `base` + the renter's fees on it.
    pub consumed: u64,
    /// Paid to the supplier: `floor(base * (1 - r - p))`.
    pub supplier: u64,
    /// To the fee vault: `consumed - supplier` (renter-side and supplier-side fees).
    pub fees: u64,
}

/// The terms of a reservation as stored on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terms {
    /// Principal `P` in the payment currency's base units.
    pub principal: u64,
    pub hours: u32,
    pub rates: FeeRates,
}

impl Terms {
    /// The deposit `D = P + ceil(P r) + ceil(P p)`: what the renter pays up front.
    pub fn deposit(&self) -> Result<u64, MathError> {
        self.principal
            .checked_add(self.rates.renter_fees(self.principal)?)
            .ok_or(MathError::Overflow)
    }

    /// The cumulative amounts after `k` hours (`k` is capped at `hours`).
    pub fn after(&self, k: u32) -> Result<Cumulative, MathError> {
        if self.hours == 0 {
            return Err(MathError::DivisionByZero);
        }
        let k = k.min(self.hours);
        let base = if k == self.hours {
            self.principal
        } else {
            mul_div_floor(self.principal, u64::from(k), u64::from(self.hours))?
        };
        let consumed = base
            .checked_add(self.rates.renter_fees(base)?)
            .ok_or(MathError::Overflow)?;
        let supplier = self.rates.supplier_share(base)?;
        let fees = consumed.checked_sub(supplier).ok_or(MathError::Overflow)?;
        Ok(Cumulative {
            base,
            consumed,
            supplier,
            fees,
        })
    }

    /// What moves when the settled hours go from `from` to `to` (`from <= to`): the supplier's
    /// and the fee vault's parts, differenced from the cumulative amounts.
    pub fn step(&self, from: u32, to: u32) -> Result<(u64, u64), MathError> {
        let (a, b) = (self.after(from)?, self.after(to)?);
        Ok((
            b.supplier
                .checked_sub(a.supplier)
                .ok_or(MathError::Overflow)?,
            b.fees.checked_sub(a.fees).ok_or(MathError::Overflow)?,
        ))
    }

    /// The refund when the reservation stops after `k` charged hours: `D - consumed(k)`.
    pub fn refund(&self, k: u32) -> Result<u64, MathError> {
        self.deposit()?
            .checked_sub(self.after(k)?.consumed)
            .ok_or(MathError::Overflow)
    }
}

/// Whole hours delivered `now`, of a reservation of `hours` started at `start`: at most `hours`;
/// a clock before the start counts none.
pub fn delivered_hours(start: i64, now: i64, hours: u32) -> u32 {
    let elapsed = now.saturating_sub(start).max(0);
    let whole = elapsed.checked_div(HOUR_SECS).unwrap_or(0);
    u32::try_from(whole).unwrap_or(u32::MAX).min(hours)
}

/// Hours charged when the renter ends early `now`: the delivered ones and the hour in progress,
/// at most `hours`.
pub fn charged_on_end(start: i64, now: i64, hours: u32) -> u32 {
    delivered_hours(start, now, hours)
        .saturating_add(1)
        .min(hours)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const USDC_RATES: FeeRates = FeeRates {
        reservation_bps: 25,
        payment_bps: 200,
    };
    const IO_RATES: FeeRates = FeeRates {
        reservation_bps: 25,
        payment_bps: 0,
    };

    fn usdc(price: u64, hours: u32) -> Terms {
        Terms {
            principal: cost_micro_usd(price, hours).unwrap(),
            hours,
            rates: USDC_RATES,
        }
    }

    #[test]
    fn usdc_fee_table() {
        // (cost, deposit, supplier paid at the end, fees at the end)
        for (cost, deposit, supplier) in [
            (1u64, 3u64, 0u64),
            (999, 999 + 3 + 20, 976),
            (123_456_789, 123_456_789 + 308_642 + 2_469_136, 120_679_011),
            // One month (720 h) of an H100 at $2.50/h: $1,800.
            (
                1_800_000_000,
                1_800_000_000 + 4_500_000 + 36_000_000,
                1_759_500_000,
            ),
        ] {
            let t = Terms {
                principal: cost,
                hours: 1,
                rates: USDC_RATES,
            };
            assert_eq!(t.deposit(), Ok(deposit), "cost {cost}");
            let end = t.after(1).unwrap();
            assert_eq!(end.consumed, deposit);
            assert_eq!(end.supplier, supplier, "cost {cost}");
            assert_eq!(end.fees, deposit - supplier);
        }
    }

    #[test]
    fn io_fee_table() {
        // At $2.50 (2,500,000 micro-USD per IO): 1 micro-USD = 40 base units.
        let p = 2_500_000;
        assert_eq!(io_principal(1, p), Ok(40));
        assert_eq!(io_principal(999, p), Ok(39_960));
        assert_eq!(io_principal(123_456_789, p), Ok(4_938_271_560));
        assert_eq!(io_principal(1_800_000_000, p), Ok(72_000_000_000));
        // At $0.30 (a band's low side): ceil(1e8 / 300,000) = 334.
        assert_eq!(io_principal(1, 300_000), Ok(334));
        assert_eq!(io_principal(1, 0), Err(MathError::DivisionByZero));
        for (principal, deposit, supplier) in [
            (40u64, 41u64, 39u64),
            (39_960, 39_960 + 100, 39_860),
            (4_938_271_560, 4_938_271_560 + 12_345_679, 4_925_925_881),
            (72_000_000_000, 72_180_000_000, 71_820_000_000),
        ] {
            let t = Terms {
                principal,
                hours: 1,
                rates: IO_RATES,
            };
            assert_eq!(t.deposit(), Ok(deposit), "principal {principal}");
            assert_eq!(
                t.after(1).unwrap().supplier,
                supplier,
                "principal {principal}"
            );
        }
    }

    #[test]
    fn hours_and_refunds() {
        let t = usdc(2_500_000, 720);
        assert_eq!(t.after(0).unwrap(), Cumulative::default());
        assert_eq!(t.refund(0), t.deposit());
        assert_eq!(t.refund(720), Ok(0));
        let one = t.after(1).unwrap();
        assert_eq!(one.base, 2_500_000);
        assert_eq!(one.consumed, 2_500_000 + 6_250 + 50_000);
        assert_eq!(one.supplier, 2_443_750);
        assert_eq!(t.step(0, 1), Ok((one.supplier, one.fees)));
        assert_eq!(delivered_hours(100, 100, 3), 0);
        assert_eq!(delivered_hours(100, 3_699, 3), 0);
        assert_eq!(delivered_hours(100, 3_700, 3), 1);
        assert_eq!(delivered_hours(100, 1_000_000, 3), 3);
        assert_eq!(delivered_hours(100, 50, 3), 0);
        assert_eq!(charged_on_end(100, 100, 3), 1);
        assert_eq!(charged_on_end(100, 3_700, 3), 2);
        assert_eq!(charged_on_end(100, 100_000, 3), 3);
        assert!(!FeeRates {
            reservation_bps: 1_001,
            payment_bps: 0
        }
        .valid());
    }

    fn rates() -> impl Strategy<Value = FeeRates> {
        (0u16..=MAX_FEE_BPS, 0u16..=MAX_FEE_BPS).prop_map(|(r, p)| FeeRates {
            reservation_bps: r,
            payment_bps: p,
        })
    }

    proptest! {
        /// Monotone, conserving, and `consumed(H) == D`.
        #[test]
        fn cumulative_is_monotone_and_conserves(principal in 0u64..=1u64 << 56, hours in 1u32..=2_000, rates in rates()) {
            let t = Terms { principal, hours, rates };
            let d = t.deposit().unwrap();
            let mut prev = Cumulative::default();
            for k in (0..=hours).step_by(usize::try_from(hours / 50 + 1).unwrap()).chain([hours]) {
                let c = t.after(k).unwrap();
                prop_assert!(c.base >= prev.base && c.consumed >= prev.consumed);
                prop_assert!(c.supplier >= prev.supplier && c.fees >= prev.fees);
                prop_assert_eq!(c.supplier + c.fees, c.consumed);
                prop_assert!(c.consumed <= d);
                prop_assert_eq!(t.refund(k).unwrap() + c.consumed, d);
                // Fees at least the exact rates on both sides.
                let exact = u128::from(c.base) * u128::from(2 * (u64::from(rates.reservation_bps) + u64::from(rates.payment_bps)));
                prop_assert!(u128::from(c.fees) * u128::from(BPS_DENOM) >= exact);
                prev = c;
            }
            prop_assert_eq!(t.after(hours).unwrap().consumed, d);
        }

        /// Any split of the delivered hours into settles pays exactly one settle's amounts.
        #[test]
        fn many_settles_equal_one(principal in 0u64..=1u64 << 50, hours in 1u32..=500, rates in rates(), cuts in proptest::collection::vec(0u32..=500, 0..20)) {
            let t = Terms { principal, hours, rates };
            let mut cuts: Vec<u32> = cuts.into_iter().map(|c| c.min(hours)).collect();
            cuts.sort_unstable();
            let (mut at, mut supplier, mut fees) = (0u32, 0u64, 0u64);
            for c in cuts.into_iter().chain([hours]) {
                let (s, f) = t.step(at, c).unwrap();
                supplier += s;
                fees += f;
                at = c;
            }
            let end = t.after(hours).unwrap();
            prop_assert_eq!((supplier, fees), (end.supplier, end.fees));
            prop_assert_eq!(supplier + fees, t.deposit().unwrap());
        }

        /// The USDC principal of k hours is exactly `price * k`.
        #[test]
        fn usdc_base_is_exact(price in 0u64..=1u64 << 40, hours in 1u32..=10_000, k in 0u32..=10_000) {
            let t = usdc(price, hours);
            prop_assert_eq!(t.after(k).unwrap().base, price * u64::from(k.min(hours)));
        }

        /// The IO principal covers the cost at the low price, and one base unit less does not.
        #[test]
        fn io_principal_rounds_against_the_renter(cost in 0u64..=1u64 << 50, p_low in 1u64..=1_000_000_000_000) {
            let io = io_principal(cost, p_low).unwrap();
            let value = u128::from(io) * u128::from(p_low);
            let owed = u128::from(cost) * u128::from(IO_UNIT);
            prop_assert!(value >= owed);
            if io > 0 {
                prop_assert!(u128::from(io - 1) * u128::from(p_low) < owed);
            }
        }

        #[test]
        fn hour_counts(start in 0i64..=4_000_000_000, dt in -100_000i64..=10_000_000, hours in 1u32..=10_000) {
            let d = delivered_hours(start, start + dt, hours);
            let c = charged_on_end(start, start + dt, hours);
            prop_assert!(d <= hours && c <= hours && d <= c && c <= d + 1);
            if dt >= 0 {
                prop_assert_eq!(u64::from(d), (u64::try_from(dt).unwrap() / 3_600).min(u64::from(hours)));
            } else {
                prop_assert_eq!(d, 0);
            }
        }
    }
}
