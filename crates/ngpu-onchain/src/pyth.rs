//! The IO/USD price from a Pyth `PriceUpdateV2` account, shared by every NGPU program that
//! converts USD to IO (staking's crank, then reservations and revenue).
//!
//! Read without the Pyth SDK (its Anchor version differs from ours): the layout is fixed and
//! checked field by field. Layout (Borsh, after the 8-byte Anchor discriminator):
//! write_authority (32), verification_level (enum: 0 = Partial { num_signatures: u8 },
//! 1 = Full), then the price message: feed_id (32), price (i64), conf (u64), exponent (i32),
//! publish_time (i64), prev_publish_time (i64), ema_price (i64), ema_conf (u64); then
//! posted_slot (u64).
//!
//! [`read_price`] checks, in this order: the owner (the Pyth receiver program), the layout, full
//! verification, the feed id pinned by the caller (whoever can write the pinned account could
//! otherwise post any verified feed into it), a positive price, staleness and confidence. It
//! returns both sides of the confidence band in micro-USD per IO, each rounded against the
//! user. Failures are a [`PythError`], which each program maps to its own named errors.
//!
//! Only the account-reading entry point touches Solana types; the checks run on plain bytes
//! ([`check_price`]) and are unit-tested here.

use anchor_lang::prelude::{pubkey, AccountInfo, Pubkey};

/// The Pyth Solana Receiver program, owner of every `PriceUpdateV2` account.
pub const PYTH_RECEIVER: Pubkey = pubkey!("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ");

/// `sha256("account:PriceUpdateV2")[..8]`.
pub const PRICE_UPDATE_V2_DISCRIMINATOR: [u8; 8] = [34, 241, 35, 99, 157, 126, 244, 205];

/// Bytes of a fully verified `PriceUpdateV2` (a partially verified one has one more byte).
pub const PRICE_UPDATE_V2_LEN: usize = 133;

/// Basis-point denominator of `max_confidence_bps`.
const BPS: u128 = 10_000;

/// Why a price account was refused. Programs map each to a named error of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PythError {
    /// The account is not owned by the Pyth receiver program.
    WrongOwner,
    /// Not a `PriceUpdateV2` (discriminator, length or verification tag).
    InvalidAccount,
    /// Only partially verified (fewer Wormhole signatures than a full verification).
    NotFullyVerified,
    /// The update is for another feed than the pinned one.
    WrongFeedId,
    /// The price is zero or negative.
    NonPositivePrice,
    /// Published longer ago than the allowed age.
    Stale,
    /// The confidence interval is wider than the allowed share of the price.
    TooUncertain,
    /// The price in micro-USD does not fit in a `u64` (absurd exponent or magnitude).
    OutOfRange,
}

/// How a `PriceUpdateV2` was verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    Partial { num_signatures: u8 },
    Full,
}

/// Every field of a `PriceUpdateV2` account, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceUpdateV2 {
    pub write_authority: Pubkey,
    pub verification: Verification,
    pub feed_id: [u8; 32],
    pub price: i64,
    pub conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
    pub prev_publish_time: i64,
    pub ema_price: i64,
    pub ema_conf: u64,
    pub posted_slot: u64,
}

/// What the caller pins and allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceLimits {
    /// The IO/USD feed id (32 bytes, as in Pyth's feed list); all-zero never matches a check
    /// that programs validate away at configuration time.
    pub feed_id: [u8; 32],
    /// Oldest accepted `publish_time`, seconds before `now`.
    pub max_age_secs: u32,
    /// Widest accepted confidence interval, bps of the price.
    pub max_confidence_bps: u16,
}

/// A checked price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PythPrice {
    /// Always > 0.
    pub price: i64,
    pub conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
    /// `price - conf` in micro-USD per IO, rounded down: the side for taking IO in (a lower
    /// price asks more IO for a USD amount). 0 when the band reaches zero or the price is below
    /// one micro-USD; use [`PythPrice::for_taking_in`], which refuses 0.
    pub low_micro_usd: u64,
    /// `price + conf` in micro-USD per IO, rounded up: the side for paying IO out (a higher
    /// price pays fewer IO for a USD amount). Always > 0.
    pub high_micro_usd: u64,
}

impl PythPrice {
    /// The low side, for converting a USD amount into the IO a user must pay; refuses a band
    /// that reaches zero (it would ask for unbounded IO).
    pub fn for_taking_in(&self) -> Result<u64, PythError> {
        match self.low_micro_usd {
            0 => Err(PythError::NonPositivePrice),
            low => Ok(low),
        }
    }

    /// The high side, for converting a USD amount into the IO paid to a user.
    pub fn for_paying_out(&self) -> u64 {
        self.high_micro_usd
    }
}

fn take<const N: usize>(data: &[u8], at: usize) -> Result<[u8; N], PythError> {
    let end = at.checked_add(N).ok_or(PythError::InvalidAccount)?;
    data.get(at..end)
        .and_then(|s| s.try_into().ok())
        .ok_or(PythError::InvalidAccount)
}

impl PriceUpdateV2 {
    /// Parses the account body (discriminator included). Extra trailing bytes are allowed
    /// (accounts may be allocated larger), missing ones are not.
    pub fn parse(data: &[u8]) -> Result<Self, PythError> {
        let rest = data
            .strip_prefix(&PRICE_UPDATE_V2_DISCRIMINATOR)
            .ok_or(PythError::InvalidAccount)?;
        let write_authority = Pubkey::new_from_array(take::<32>(rest, 0)?);
        let (verification, at) = match take::<1>(rest, 32)? {
            [0] => (
                Verification::Partial {
                    num_signatures: take::<1>(rest, 33)?[0],
                },
                34,
            ),
            [1] => (Verification::Full, 33),
            _ => return Err(PythError::InvalidAccount),
        };
        let m = rest.get(at..).ok_or(PythError::InvalidAccount)?;
        Ok(Self {
            write_authority,
            verification,
            feed_id: take::<32>(m, 0)?,
            price: i64::from_le_bytes(take(m, 32)?),
            conf: u64::from_le_bytes(take(m, 40)?),
            exponent: i32::from_le_bytes(take(m, 48)?),
            publish_time: i64::from_le_bytes(take(m, 52)?),
            prev_publish_time: i64::from_le_bytes(take(m, 60)?),
            ema_price: i64::from_le_bytes(take(m, 68)?),
            ema_conf: u64::from_le_bytes(take(m, 76)?),
            posted_slot: u64::from_le_bytes(take(m, 84)?),
        })
    }

    /// The account body (for tests, local chains and benchmarks).
    pub fn encode(&self) -> Vec<u8> {
        let mut d = Vec::with_capacity(PRICE_UPDATE_V2_LEN.saturating_add(1));
        d.extend_from_slice(&PRICE_UPDATE_V2_DISCRIMINATOR);
        d.extend_from_slice(self.write_authority.as_ref());
        match self.verification {
            Verification::Partial { num_signatures } => d.extend_from_slice(&[0, num_signatures]),
            Verification::Full => d.push(1),
        }
        d.extend_from_slice(&self.feed_id);
        d.extend_from_slice(&self.price.to_le_bytes());
        d.extend_from_slice(&self.conf.to_le_bytes());
        d.extend_from_slice(&self.exponent.to_le_bytes());
        d.extend_from_slice(&self.publish_time.to_le_bytes());
        d.extend_from_slice(&self.prev_publish_time.to_le_bytes());
        d.extend_from_slice(&self.ema_price.to_le_bytes());
        d.extend_from_slice(&self.ema_conf.to_le_bytes());
        d.extend_from_slice(&self.posted_slot.to_le_bytes());
        d
    }

    /// A fully verified update of `feed_id` (EMA equal to the price, previous publish time
    /// equal to this one, slot 0).
    pub fn full(
        feed_id: [u8; 32],
        price: i64,
        conf: u64,
        exponent: i32,
        publish_time: i64,
    ) -> Self {
        Self {
            write_authority: Pubkey::default(),
            verification: Verification::Full,
            feed_id,
            price,
            conf,
            exponent,
            publish_time,
            prev_publish_time: publish_time,
            ema_price: price,
            ema_conf: conf,
            posted_slot: 0,
        }
    }
}

/// `value * 10^(exponent + 6)` as micro-USD, rounded up or down; `OutOfRange` if it does not
/// fit in a `u64` or the power of ten overflows.
fn to_micro_usd(value: u128, exponent: i32, round_up: bool) -> Result<u64, PythError> {
    let shift = exponent.checked_add(6).ok_or(PythError::OutOfRange)?;
    let factor = 10u128
        .checked_pow(shift.unsigned_abs())
        .ok_or(PythError::OutOfRange)?;
    let scaled = if shift >= 0 {
        value.checked_mul(factor).ok_or(PythError::OutOfRange)?
    } else if round_up {
        value.div_ceil(factor)
    } else {
        value.checked_div(factor).ok_or(PythError::OutOfRange)?
    };
    u64::try_from(scaled).map_err(|_| PythError::OutOfRange)
}

/// All the checks of [`read_price`] on an account's owner and data.
pub fn check_price(
    owner: &Pubkey,
    data: &[u8],
    limits: &PriceLimits,
    now: i64,
) -> Result<PythPrice, PythError> {
    if *owner != PYTH_RECEIVER {
        return Err(PythError::WrongOwner);
    }
    let update = PriceUpdateV2::parse(data)?;
    if update.verification != Verification::Full {
        return Err(PythError::NotFullyVerified);
    }
    if update.feed_id != limits.feed_id {
        return Err(PythError::WrongFeedId);
    }
    let price = u64::try_from(update.price)
        .ok()
        .filter(|p| *p > 0)
        .ok_or(PythError::NonPositivePrice)?;
    // A publish time slightly ahead of the cluster clock is fine; an old one is not.
    if now.saturating_sub(update.publish_time) > i64::from(limits.max_age_secs) {
        return Err(PythError::Stale);
    }
    // u64 x 10,000 and u64 x u16 cannot overflow a u128.
    let conf = u128::from(update.conf);
    if conf.saturating_mul(BPS)
        > u128::from(price).saturating_mul(u128::from(limits.max_confidence_bps))
    {
        return Err(PythError::TooUncertain);
    }
    let price = u128::from(price);
    let high = to_micro_usd(price.saturating_add(conf), update.exponent, true)?;
    let low = to_micro_usd(price.saturating_sub(conf), update.exponent, false)?;
    Ok(PythPrice {
        price: update.price,
        conf: update.conf,
        exponent: update.exponent,
        publish_time: update.publish_time,
        low_micro_usd: low,
        high_micro_usd: high,
    })
}

/// Reads and checks a `PriceUpdateV2` account against `limits` at time `now`.
pub fn read_price(
    account: &AccountInfo,
    limits: &PriceLimits,
    now: i64,
) -> Result<PythPrice, PythError> {
    let data = account
        .try_borrow_data()
        .map_err(|_| PythError::InvalidAccount)?;
    check_price(account.owner, &data, limits, now)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    const FEED: [u8; 32] = [7; 32];
    const NOW: i64 = 1_750_000_000;
    const LIMITS: PriceLimits = PriceLimits {
        feed_id: FEED,
        max_age_secs: 120,
        max_confidence_bps: 200,
    };

    fn update(price: i64, conf: u64) -> PriceUpdateV2 {
        PriceUpdateV2::full(FEED, price, conf, -8, NOW)
    }

    fn check(u: &PriceUpdateV2) -> Result<PythPrice, PythError> {
        check_price(&PYTH_RECEIVER, &u.encode(), &LIMITS, NOW)
    }

    #[test]
    fn round_trips_every_field() {
        let full = PriceUpdateV2 {
            write_authority: Pubkey::new_from_array([3; 32]),
            verification: Verification::Full,
            feed_id: FEED,
            price: 250_000_000,
            conf: 1_000_000,
            exponent: -8,
            publish_time: NOW,
            prev_publish_time: NOW - 1,
            ema_price: 249_000_000,
            ema_conf: 900_000,
            posted_slot: 42,
        };
        let data = full.encode();
        assert_eq!(data.len(), PRICE_UPDATE_V2_LEN);
        assert_eq!(PriceUpdateV2::parse(&data), Ok(full));
        let partial = PriceUpdateV2 {
            verification: Verification::Partial { num_signatures: 5 },
            ..full
        };
        let data = partial.encode();
        assert_eq!(data.len(), PRICE_UPDATE_V2_LEN + 1);
        assert_eq!(PriceUpdateV2::parse(&data), Ok(partial));
        // Trailing bytes are ignored.
        let mut longer = full.encode();
        longer.extend_from_slice(&[9; 16]);
        assert_eq!(PriceUpdateV2::parse(&longer), Ok(full));
    }

    #[test]
    fn malformed_accounts_are_invalid() {
        let data = update(250_000_000, 0).encode();
        for len in [0, 7, 8, 40, 41, 60, PRICE_UPDATE_V2_LEN - 1] {
            assert_eq!(
                PriceUpdateV2::parse(&data[..len]),
                Err(PythError::InvalidAccount),
                "{len} bytes"
            );
        }
        let mut wrong = data.clone();
        wrong[0] ^= 1;
        assert_eq!(PriceUpdateV2::parse(&wrong), Err(PythError::InvalidAccount));
        let mut tag = data;
        tag[40] = 2;
        assert_eq!(PriceUpdateV2::parse(&tag), Err(PythError::InvalidAccount));
    }

    #[test]
    fn a_good_price_gives_both_sides_of_the_band() {
        // $2.50 +- $0.01: low $2.49 (taking in), high $2.51 (paying out).
        let p = check(&update(250_000_000, 1_000_000)).unwrap();
        assert_eq!((p.low_micro_usd, p.high_micro_usd), (2_490_000, 2_510_000));
        assert_eq!(
            (p.price, p.conf, p.exponent, p.publish_time),
            (250_000_000, 1_000_000, -8, NOW)
        );
        assert_eq!(
            (p.for_taking_in(), p.for_paying_out()),
            (Ok(2_490_000), 2_510_000)
        );
        // Sub-micro precision: low rounds down, high rounds up (both against the user).
        let p = check(&update(250_000_199, 0)).unwrap();
        assert_eq!((p.low_micro_usd, p.high_micro_usd), (2_500_001, 2_500_002));
        // Positive exponents scale up.
        let p = check(&PriceUpdateV2::full(FEED, 3, 0, 0, NOW)).unwrap();
        assert_eq!((p.low_micro_usd, p.high_micro_usd), (3_000_000, 3_000_000));
        // A price below one micro-USD: the high side is 1, the low side refuses to take IO in.
        let p = check(&PriceUpdateV2::full(FEED, 5, 0, -8, NOW)).unwrap();
        assert_eq!((p.low_micro_usd, p.high_micro_usd), (0, 1));
        assert_eq!(p.for_taking_in(), Err(PythError::NonPositivePrice));
    }

    #[test]
    fn each_check_has_its_own_error() {
        let good = update(250_000_000, 0);
        let data = good.encode();
        assert_eq!(
            check_price(&Pubkey::new_from_array([1; 32]), &data, &LIMITS, NOW),
            Err(PythError::WrongOwner)
        );
        let partial = PriceUpdateV2 {
            verification: Verification::Partial { num_signatures: 13 },
            ..good
        };
        assert_eq!(check(&partial), Err(PythError::NotFullyVerified));
        let other_feed = PriceUpdateV2 {
            feed_id: [8; 32],
            ..good
        };
        assert_eq!(check(&other_feed), Err(PythError::WrongFeedId));
        for price in [0, -1, i64::MIN] {
            assert_eq!(check(&update(price, 0)), Err(PythError::NonPositivePrice));
        }
        // Exactly 120 s old passes, 121 s does not; a publish time ahead of the clock passes.
        for (age, ok) in [(120, true), (121, false), (-30, true)] {
            let u = PriceUpdateV2::full(FEED, 250_000_000, 0, -8, NOW - age);
            assert_eq!(check(&u).is_ok(), ok, "age {age}");
            if !ok {
                assert_eq!(check(&u), Err(PythError::Stale));
            }
        }
        // 2% of $2.50 is $0.05 = 5,000,000: at the limit passes, one more unit does not.
        assert!(check(&update(250_000_000, 5_000_000)).is_ok());
        assert_eq!(
            check(&update(250_000_000, 5_000_001)),
            Err(PythError::TooUncertain)
        );
        assert_eq!(
            check(&PriceUpdateV2::full(FEED, i64::MAX, 0, 30, NOW)),
            Err(PythError::OutOfRange)
        );
        assert_eq!(
            check(&PriceUpdateV2::full(FEED, 1, 0, i32::MAX, NOW)),
            Err(PythError::OutOfRange)
        );
        assert_eq!(
            check(&PriceUpdateV2::full(FEED, 1, 0, i32::MIN, NOW)),
            Err(PythError::OutOfRange)
        );
    }

    #[test]
    fn the_checks_run_in_a_fixed_order() {
        // Wrong owner before layout, layout before verification, verification before feed id,
        // feed id before price, price before staleness, staleness before confidence.
        let bad = PriceUpdateV2 {
            verification: Verification::Partial { num_signatures: 1 },
            feed_id: [0; 32],
            price: -5,
            publish_time: 0,
            conf: u64::MAX,
            ..update(1, 0)
        };
        let other = Pubkey::new_from_array([1; 32]);
        assert_eq!(
            check_price(&other, &[], &LIMITS, NOW),
            Err(PythError::WrongOwner)
        );
        assert_eq!(check(&bad), Err(PythError::NotFullyVerified));
        let bad = PriceUpdateV2 {
            verification: Verification::Full,
            ..bad
        };
        assert_eq!(check(&bad), Err(PythError::WrongFeedId));
        let bad = PriceUpdateV2 {
            feed_id: FEED,
            ..bad
        };
        assert_eq!(check(&bad), Err(PythError::NonPositivePrice));
        let bad = PriceUpdateV2 { price: 1, ..bad };
        assert_eq!(check(&bad), Err(PythError::Stale));
        let bad = PriceUpdateV2 {
            publish_time: NOW,
            ..bad
        };
        assert_eq!(check(&bad), Err(PythError::TooUncertain));
    }

    #[test]
    fn the_high_side_matches_the_staking_maths() {
        for (price, conf, exponent) in [
            (250_000_000i64, 0u64, -8i32),
            (250_000_000, 5_000_000, -8),
            (250_000_001, 3, -8),
            (123_456_789_012, 1_000, -10),
            (7, 0, -6),
            (3, 0, 0),
            (42, 1, 2),
        ] {
            let u = PriceUpdateV2::full(FEED, price, conf, exponent, NOW);
            let limits = PriceLimits {
                max_confidence_bps: 10_000,
                ..LIMITS
            };
            let p = check_price(&PYTH_RECEIVER, &u.encode(), &limits, NOW).unwrap();
            assert_eq!(
                Ok(p.high_micro_usd),
                ngpu_math::staking::oracle_price_micro_usd(price, conf, exponent)
            );
            assert!(p.low_micro_usd <= p.high_micro_usd);
        }
    }
    // The discriminator is pinned to sha256("account:PriceUpdateV2") by staking's
    // `price::tests` (an Anchor account of that name needs a program id).
}
