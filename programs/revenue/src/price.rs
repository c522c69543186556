//! The IO/USD price for buybacks: a thin wrapper over the shared reader
//! (`ngpu_onchain::pyth`), mapping its failures to this program's named errors. A buyback takes
//! IO in, so it uses the low side of the confidence band.

use anchor_lang::prelude::*;
use ngpu_onchain::pyth::{self, PriceLimits, PythError};

use crate::errors::RevenueError;

pub use ngpu_onchain::pyth::{PriceUpdateV2, PythPrice, Verification, PYTH_RECEIVER};

impl From<PythError> for RevenueError {
    fn from(e: PythError) -> Self {
        match e {
            PythError::WrongOwner => RevenueError::WrongPriceAccount,
            PythError::InvalidAccount => RevenueError::InvalidPrice,
            PythError::NotFullyVerified => RevenueError::PriceNotFullyVerified,
            PythError::WrongFeedId => RevenueError::WrongPriceFeed,
            PythError::NonPositivePrice => RevenueError::NonPositivePrice,
            PythError::Stale => RevenueError::StalePrice,
            PythError::TooUncertain => RevenueError::PriceTooUncertain,
            PythError::OutOfRange => RevenueError::PriceOutOfRange,
        }
    }
}

/// The low side of the band as a raw Pyth integer with its exponent: `price - conf` (> 0),
/// after every check of `ngpu_onchain::pyth::read_price`; also the checked price itself.
pub fn read_low_price(
    account: &AccountInfo,
    limits: &PriceLimits,
    now: i64,
) -> Result<(u64, PythPrice)> {
    let price =
        pyth::read_price(account, limits, now).map_err(|e| error!(RevenueError::from(e)))?;
    let low = u64::try_from(price.price)
        .ok()
        .and_then(|p| p.checked_sub(price.conf))
        .filter(|p| *p > 0)
        .ok_or_else(|| error!(RevenueError::NonPositivePrice))?;
    Ok((low, price))
}
