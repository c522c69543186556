//! Reading the IO/USD price from a Pyth PriceUpdateV2 account without the Pyth SDK (whose
//! Anchor version differs from ours): the layout is fixed and checked field by field.
//!
//! Layout (Borsh, after the 8-byte Anchor discriminator): write_authority (32),
//! verification_level (enum: 0 = Partial { num_signatures: u8 }, 1 = Full), then the price
//! message: feed_id (32), price (i64), conf (u64), exponent (i32), publish_time (i64),
//! prev_publish_time (i64), ema_price (i64), ema_conf (u64); then posted_slot (u64).

use anchor_lang::prelude::*;

use crate::constants::PYTH_RECEIVER;
use crate::errors::{math, StakingError};

/// `sha256("account:PriceUpdateV2")[..8]`.
pub const PRICE_UPDATE_V2_DISCRIMINATOR: [u8; 8] = [34, 241, 35, 99, 157, 126, 244, 205];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PythPrice {
    pub price: i64,
    pub conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
}

/// Parses a PriceUpdateV2 account; only fully verified updates are accepted.
pub fn parse_price_update(data: &[u8]) -> Result<PythPrice> {
    let bad = || error!(StakingError::InvalidPrice);
    let rest = data
        .strip_prefix(&PRICE_UPDATE_V2_DISCRIMINATOR)
        .ok_or_else(bad)?;
    let rest = rest.get(32..).ok_or_else(bad)?; // write_authority
                                                // Verification level: only Full (1) counts; Partial (0, then a u8) is rejected.
    let (&level, rest) = rest.split_first().ok_or_else(bad)?;
    require_eq!(level, 1u8, StakingError::InvalidPrice);
    let rest = rest.get(32..).ok_or_else(bad)?; // feed_id
    let take8 = |b: &[u8], at: usize| -> Result<[u8; 8]> {
        b.get(at..at.checked_add(8).ok_or_else(bad)?)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(bad)
    };
    let price = i64::from_le_bytes(take8(rest, 0)?);
    let conf = u64::from_le_bytes(take8(rest, 8)?);
    let exponent = i32::from_le_bytes(
        rest.get(16..20)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(bad)?,
    );
    let publish_time = i64::from_le_bytes(take8(rest, 20)?);
    Ok(PythPrice {
        price,
        conf,
        exponent,
        publish_time,
    })
}

/// The price in micro-USD per IO for paying out IO (high side of the band), after checking
/// the owner, staleness and confidence.
pub fn read_price(
    account: &AccountInfo,
    now: i64,
    max_age_secs: u32,
    max_confidence_bps: u16,
) -> Result<u64> {
    require_keys_eq!(
        *account.owner,
        PYTH_RECEIVER,
        StakingError::WrongPriceAccount
    );
    let data = account.try_borrow_data()?;
    let p = parse_price_update(&data)?;
    let age = now.saturating_sub(p.publish_time);
    require_gte!(i64::from(max_age_secs), age, StakingError::StalePrice);
    require!(
        ngpu_math::staking::confidence_ok(p.price, p.conf, max_confidence_bps),
        StakingError::PriceTooUncertain
    );
    math(ngpu_math::staking::oracle_price_micro_usd(
        p.price, p.conf, p.exponent,
    ))
}

/// Builds a PriceUpdateV2 account body (for tests and local simulations).
pub fn encode_price_update(feed_id: [u8; 32], price: PythPrice, posted_slot: u64) -> Vec<u8> {
    let mut d = Vec::with_capacity(133);
    d.extend_from_slice(&PRICE_UPDATE_V2_DISCRIMINATOR);
    d.extend_from_slice(&[0u8; 32]);
    d.push(1);
    d.extend_from_slice(&feed_id);
    d.extend_from_slice(&price.price.to_le_bytes());
    d.extend_from_slice(&price.conf.to_le_bytes());
    d.extend_from_slice(&price.exponent.to_le_bytes());
    d.extend_from_slice(&price.publish_time.to_le_bytes());
    d.extend_from_slice(&price.publish_time.to_le_bytes());
    d.extend_from_slice(&price.price.to_le_bytes());
    d.extend_from_slice(&price.conf.to_le_bytes());
    d.extend_from_slice(&posted_slot.to_le_bytes());
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_partial_updates() {
        let p = PythPrice {
            price: 250_000_000,
            conf: 1_000_000,
            exponent: -8,
            publish_time: 1_750_000_000,
        };
        let data = encode_price_update([7; 32], p, 42);
        assert_eq!(data.len(), 133);
        assert_eq!(parse_price_update(&data).ok(), Some(p));
        let mut partial = data.clone();
        partial[40] = 0;
        assert!(parse_price_update(&partial).is_err());
        assert!(parse_price_update(&data[..60]).is_err());
        let mut wrong = data;
        wrong[0] ^= 1;
        assert!(parse_price_update(&wrong).is_err());
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
