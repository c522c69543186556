//! The IO/USD price for the crank: a thin wrapper over the shared reader
//! (`ngpu_onchain::pyth`), mapping its failures to this program's named errors.

use anchor_lang::prelude::*;
use ngpu_onchain::pyth::{self, PriceLimits, PythError};

use crate::errors::StakingError;

// For tests, local chains and benchmarks that write price accounts.
pub use ngpu_onchain::pyth::{
    PriceUpdateV2, PythPrice, Verification, PRICE_UPDATE_V2_DISCRIMINATOR,
};

impl From<PythError> for StakingError {
    fn from(e: PythError) -> Self {
        match e {
            PythError::WrongOwner => StakingError::WrongPriceAccount,
            PythError::InvalidAccount => StakingError::InvalidPrice,
            PythError::NotFullyVerified => StakingError::PriceNotFullyVerified,
            PythError::WrongFeedId => StakingError::WrongPriceFeed,
            PythError::NonPositivePrice => StakingError::NonPositivePrice,
            PythError::Stale => StakingError::StalePrice,
            PythError::TooUncertain => StakingError::PriceTooUncertain,
            PythError::OutOfRange => StakingError::PriceOutOfRange,
        }
    }
}

/// The price in micro-USD per IO for paying out IO (high side of the band, rounded up), after
/// every check of `ngpu_onchain::pyth::read_price` against the pinned feed id and limits.
pub fn read_price(
    account: &AccountInfo,
    feed_id: &[u8; 32],
    now: i64,
    max_age_secs: u32,
    max_confidence_bps: u16,
) -> Result<u64> {
    let limits = PriceLimits {
        feed_id: *feed_id,
        max_age_secs,
        max_confidence_bps,
    };
    pyth::read_price(account, &limits, now)
        .map(|p| p.for_paying_out())
        .map_err(|e| error!(StakingError::from(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receiver_is_the_shared_one() {
        assert_eq!(crate::constants::PYTH_RECEIVER, pyth::PYTH_RECEIVER);
    }

    /// An Anchor account named like Pyth's gets the same discriminator: sha256 of
    /// "account:PriceUpdateV2".
    #[account]
    struct PriceUpdateV2 {}

    #[test]
    fn discriminator_is_the_anchor_hash() {
        use anchor_lang::Discriminator;
        assert_eq!(PriceUpdateV2::DISCRIMINATOR, PRICE_UPDATE_V2_DISCRIMINATOR);
    }
}
