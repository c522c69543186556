//! The shared Pyth reader (`ngpu_onchain::pyth`) through `crank_hour`: every rejection with its
//! exact error, and the pinned feed id (initialize / update_params).

use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::{ix, Pubkey};
use ngpu_tests::*;
use staking::price::{PriceUpdateV2, Verification};
use staking::StakingError;

const HOUR: i64 = 3_600;
/// $2.50 with exponent -8.
const PRICE: i64 = 250_000_000;

/// A fully verified $2.50 update of the pinned feed, published now.
async fn good(ctx: &mut TestContext) -> PriceUpdateV2 {
    let now = ctx.chain.now().await;
    PriceUpdateV2::full(ctx.price_feed_id, PRICE, 0, -8, now)
}

/// Writes `update` into the pinned account, cranks hour 0 and checks the error; nothing moves.
async fn refused(ctx: &mut TestContext, update: PriceUpdateV2, expected: StakingError) {
    ctx.set_price_update(&update);
    assert_error(&ctx.crank(0, 1).await, expected);
    assert_eq!(ctx.staking_state().await.next_hour, 0);
    assert_eq!(ctx.config().await.next_hour, 0);
}

#[tokio::test]
async fn every_bad_price_is_refused_with_its_own_error() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.set_time_after_genesis(HOUR).await;
    let now = ctx.chain.now().await;
    let good = good(ctx).await;

    // Wrong owner: a valid, verified update of the right feed in the pinned account, but not
    // written by the Pyth receiver.
    let feed = ctx.price_feed;
    ctx.chain.set_pyth_update(feed, Pubkey::new_unique(), &good);
    assert_error(&ctx.crank(0, 1).await, StakingError::WrongPriceAccount);
    // Another account than the pinned one, even a good one.
    let other = Pubkey::new_unique();
    ctx.chain
        .set_pyth_update(other, staking::PYTH_RECEIVER, &good);
    let payer = ctx.chain.payer().pubkey();
    let crank = ix::staking::crank_hour(payer, other, ctx.history, 0, 1);
    assert_error(
        &ctx.send(&[crank], &[]).await,
        StakingError::WrongPriceAccount,
    );

    // Partial verification (fewer guardian signatures than a full one).
    let partial = PriceUpdateV2 {
        verification: Verification::Partial { num_signatures: 5 },
        ..good
    };
    refused(ctx, partial, StakingError::PriceNotFullyVerified).await;

    // A verified update of another feed posted into the pinned account.
    let mut other_feed = good;
    other_feed.feed_id[0] ^= 1;
    refused(ctx, other_feed, StakingError::WrongPriceFeed).await;

    // Zero and negative prices are a price error (not MathOverflow, not PriceTooUncertain).
    for price in [0, -1, -PRICE, i64::MIN] {
        let bad = PriceUpdateV2 { price, ..good };
        refused(ctx, bad, StakingError::NonPositivePrice).await;
    }

    // Stale: published 121 s ago with a 120 s limit (120 s passes, below).
    let stale = PriceUpdateV2 {
        publish_time: now - 121,
        ..good
    };
    refused(ctx, stale, StakingError::StalePrice).await;

    // Too uncertain: confidence 2% + one unit with a 2% limit.
    let wide = PriceUpdateV2 {
        conf: 5_000_001,
        ..good
    };
    refused(ctx, wide, StakingError::PriceTooUncertain).await;

    // A price that does not fit in micro-USD per IO.
    let huge = PriceUpdateV2 {
        price: i64::MAX,
        exponent: 30,
        ..good
    };
    refused(ctx, huge, StakingError::PriceOutOfRange).await;

    // Not a PriceUpdateV2 at all: wrong discriminator, or cut short.
    let mut garbage = good.encode();
    garbage[0] ^= 1;
    set_raw(ctx, garbage).await;
    assert_error(&ctx.crank(0, 1).await, StakingError::InvalidPrice);
    let short = good.encode()[..100].to_vec();
    set_raw(ctx, short).await;
    assert_error(&ctx.crank(0, 1).await, StakingError::InvalidPrice);

    // At the limits, the same account is accepted: 120 s old, confidence exactly 2%.
    let edge = PriceUpdateV2 {
        publish_time: now - 120,
        conf: 5_000_000,
        ..good
    };
    ctx.set_price_update(&edge);
    assert_ok(&ctx.crank(0, 1).await);
    assert_eq!(ctx.staking_state().await.next_hour, 1);
}

async fn set_raw(ctx: &mut TestContext, data: Vec<u8>) {
    let account = ngpu_localnet::solana_sdk::account::Account {
        lamports: 2_000_000,
        data,
        owner: staking::PYTH_RECEIVER,
        executable: false,
        rent_epoch: 0,
    };
    let feed = ctx.price_feed;
    ctx.chain.set_account(
        &feed,
        &ngpu_localnet::solana_sdk::account::AccountSharedData::from(account),
    );
}

#[tokio::test]
async fn the_feed_id_is_pinned_non_zero_and_not_updatable() {
    let ctx = &mut TestContext::with_staking().await;
    let authority = ctx.authority.insecure_clone();
    let config = ctx.staking_config().await;
    assert_eq!(config.price_feed_id, ngpu_localnet::TEST_FEED_ID);

    let params = staking::InitializeArgs {
        oracles: ctx.oracles.iter().map(|k| k.pubkey()).collect(),
        oracle_quorum: 2,
        price_feed: ctx.price_feed,
        price_feed_id: [9; 32],
        max_price_age_secs: 120,
        max_confidence_bps: 200,
        max_stake_boost_bps: 5_000,
        min_stake: 100 * 100_000_000,
        lock_secs: 7 * 86_400,
        cooldown_secs: 7 * 86_400,
        reconnect_secs: 12 * 3_600,
        hire_authority: ctx.hire_authority.pubkey(),
        offline_threshold_bps: 5_000,
        appeal_secs: 30 * 86_400,
    };
    // An all-zero feed id is refused.
    let zero = staking::InitializeArgs {
        price_feed_id: [0; 32],
        ..params.clone()
    };
    let ix = ix::staking::update_params(authority.pubkey(), zero);
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        StakingError::InvalidParameter,
    );
    // Another feed id is refused: the authority cannot re-point the crank's price.
    let ix = ix::staking::update_params(authority.pubkey(), params.clone());
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        StakingError::PriceFeedIdPinned,
    );
    assert_eq!(
        ctx.staking_config().await.price_feed_id,
        ngpu_localnet::TEST_FEED_ID
    );
    // The same id with every other parameter goes through; the feed's updates still pay.
    let same = staking::InitializeArgs {
        price_feed_id: ngpu_localnet::TEST_FEED_ID,
        ..params
    };
    let ix = ix::staking::update_params(authority.pubkey(), same);
    ctx.send_ok(&[ix], &[&authority]).await;
    ctx.set_time_after_genesis(HOUR).await;
    let mut forged = good(ctx).await;
    forged.feed_id = [9; 32];
    refused(ctx, forged, StakingError::WrongPriceFeed).await;
    ctx.set_price(PRICE, 0).await;
    assert_ok(&ctx.crank(0, 1).await);
}

#[tokio::test]
async fn initialize_refuses_a_zero_feed_id() {
    let ctx = &mut TestContext::with_genesis().await;
    let authority = ctx.authority.insecure_clone();
    let args = staking::InitializeArgs {
        oracles: ctx.oracles.iter().map(|k| k.pubkey()).collect(),
        oracle_quorum: 2,
        price_feed: ctx.price_feed,
        price_feed_id: [0; 32],
        max_price_age_secs: 120,
        max_confidence_bps: 200,
        max_stake_boost_bps: 5_000,
        min_stake: 100 * 100_000_000,
        lock_secs: 7 * 86_400,
        cooldown_secs: 7 * 86_400,
        reconnect_secs: 12 * 3_600,
        hire_authority: ctx.hire_authority.pubkey(),
        offline_threshold_bps: 5_000,
        appeal_secs: 30 * 86_400,
    };
    let ix = ix::staking::initialize(authority.pubkey(), args.clone());
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        StakingError::InvalidParameter,
    );
    let ix = ix::staking::initialize(
        authority.pubkey(),
        staking::InitializeArgs {
            price_feed_id: [5; 32],
            ..args
        },
    );
    ctx.send_ok(&[ix], &[&authority]).await;
    assert_eq!(ctx.staking_config().await.price_feed_id, [5; 32]);
}
