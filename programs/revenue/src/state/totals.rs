use anchor_lang::prelude::*;

use crate::errors::RevenueError;

/// What was burned and spent: kept per UTC day (`DayRecord`) and since inception (`Config`),
/// and carried by every event. The config's totals equal the sum of the day records (the
/// prices: the min / max over them).
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub struct BurnTotals {
    /// IO base units burned from the IO fee vault.
    pub io_burned_fees: u64,
    /// IO base units sellers delivered to buybacks, burned at once.
    pub io_burned_buyback: u64,
    /// USDC base units (micro-USD) paid out of the USDC fee vault by buybacks.
    pub usdc_spent: u64,
    /// `burn_io_fees` calls.
    pub fee_burns: u64,
    /// `fill_buyback` calls.
    pub fills: u64,
    /// Lowest and highest price a fill paid, micro-USD per IO (`usdc_out * 10^8 / io_in`,
    /// rounded down); 0 while `fills == 0`.
    pub min_price_micro_usd: u64,
    pub max_price_micro_usd: u64,
}

fn add(a: u64, b: u64) -> Result<u64> {
    a.checked_add(b)
        .ok_or_else(|| error!(RevenueError::MathOverflow))
}

impl BurnTotals {
    /// IO burned by both paths.
    pub fn io_burned(&self) -> u64 {
        self.io_burned_fees.saturating_add(self.io_burned_buyback)
    }

    pub fn add_fee_burn(&mut self, amount: u64) -> Result<()> {
        self.io_burned_fees = add(self.io_burned_fees, amount)?;
        self.fee_burns = add(self.fee_burns, 1)?;
        Ok(())
    }

    pub fn add_fill(&mut self, io_in: u64, usdc_out: u64, price_micro_usd: u64) -> Result<()> {
        self.io_burned_buyback = add(self.io_burned_buyback, io_in)?;
        self.usdc_spent = add(self.usdc_spent, usdc_out)?;
        if self.fills == 0 {
            self.min_price_micro_usd = price_micro_usd;
            self.max_price_micro_usd = price_micro_usd;
        } else {
            self.min_price_micro_usd = self.min_price_micro_usd.min(price_micro_usd);
            self.max_price_micro_usd = self.max_price_micro_usd.max(price_micro_usd);
        }
        self.fills = add(self.fills, 1)?;
        Ok(())
    }
}
