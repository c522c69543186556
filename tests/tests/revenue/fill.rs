use ::revenue::price::{PriceUpdateV2, Verification};
use ::revenue::{BurnTotals, BuybackFilled, RevenueError};
use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_localnet::TxOutcome;
use ngpu_sdk::{ix, pda, Pubkey};
use ngpu_tests::revenue::{Seller, USDC};
use ngpu_tests::*;

const IO: u64 = 100_000_000;

/// A revenue chain with `usdc` USDC in the fee vault and a seller holding 1,000 IO.
async fn set_up(usdc: u64) -> (TestContext, Seller) {
    let mut ctx = TestContext::with_revenue().await;
    ctx.deposit_usdc_fees(usdc * USDC).await;
    let seller = ctx.seller(1_000).await;
    (ctx, seller)
}

#[tokio::test]
async fn a_fill_at_exactly_the_premium_bound_passes_one_unit_more_fails() {
    let (mut ctx, seller) = set_up(1_000).await;
    let ctx = &mut ctx;
    let now = ctx.chain.now().await;
    let day = ctx.today().await;
    // $2.50, no band, 1% premium: 100 IO may fetch at most $252.50.
    let supply = ctx.chain.mint_state(::revenue::IO_MINT).await.supply;
    assert_error(
        &ctx.fill(&seller, 100 * IO, 252_500_001, now + 60).await,
        RevenueError::AbovePriceBound,
    );
    let outcome = ctx.fill(&seller, 100 * IO, 252_500_000, now + 60).await;
    assert_ok(&outcome);
    assert_eq!(
        ctx.chain.mint_state(::revenue::IO_MINT).await.supply,
        supply - 100 * IO
    );
    assert_eq!(ctx.chain.token_balance(seller.io).await, 900 * IO);
    assert_eq!(ctx.chain.token_balance(seller.usdc).await, 252_500_000);
    assert_eq!(
        ctx.chain.token_balance(ctx.usdc_vault()).await,
        1_000 * USDC - 252_500_000
    );
    let totals = BurnTotals {
        io_burned_fees: 0,
        io_burned_buyback: 100 * IO,
        usdc_spent: 252_500_000,
        fee_burns: 0,
        fills: 1,
        min_price_micro_usd: 2_525_000,
        max_price_micro_usd: 2_525_000,
    };
    assert_eq!(
        outcome.event::<BuybackFilled>(),
        BuybackFilled {
            seller: seller.key.pubkey(),
            day,
            io_in: 100 * IO,
            usdc_out: 252_500_000,
            seller_usdc: seller.usdc,
            max_usdc_out: 252_500_000,
            oracle_low_micro_usd: 2_500_000,
            max_premium_bps: 100,
            price_micro_usd: 2_525_000,
            window_outflow: 252_500_000,
            usdc_vault_balance: 1_000 * USDC - 252_500_000,
            day_record: pda::revenue::day_record(day),
            day_record_created: true,
            day_totals: totals,
            totals,
            day_records: 1,
        }
    );
    assert_eq!(ctx.day_record(day).await.unwrap().totals, totals);

    // With a band of $0.01 the low side is $2.49: 10 IO fetch at most 10 x 2.49 x 1.01 = $25.149.
    ctx.set_price(250_000_000, 1_000_000).await;
    assert_error(
        &ctx.fill(&seller, 10 * IO, 25_149_001, now + 60).await,
        RevenueError::AbovePriceBound,
    );
    let outcome = ctx.fill(&seller, 10 * IO, 25_149_000, now + 60).await;
    assert_ok(&outcome);
    let event = outcome.event::<BuybackFilled>();
    assert_eq!(
        (
            event.oracle_low_micro_usd,
            event.price_micro_usd,
            event.day_record_created
        ),
        (2_490_000, 2_514_900, false)
    );
    assert_eq!(
        (
            event.totals.fills,
            event.totals.min_price_micro_usd,
            event.totals.max_price_micro_usd,
            event.totals.io_burned_buyback,
            event.totals.usdc_spent,
        ),
        (2, 2_514_900, 2_525_000, 110 * IO, 277_649_000)
    );

    // Rounding is against the seller: 41 base units at $2.50 + 1% are 1.035 micro-USD.
    ctx.set_price(250_000_000, 0).await;
    assert_error(
        &ctx.fill(&seller, 41, 2, now + 60).await,
        RevenueError::AbovePriceBound,
    );
    assert_ok(&ctx.fill(&seller, 41, 1, now + 60).await);
    // Too small to be worth a base unit of USDC: nothing can be asked for it.
    assert_error(
        &ctx.fill(&seller, 39, 0, now + 60).await,
        RevenueError::ZeroAmount,
    );
    assert_error(
        &ctx.fill(&seller, 0, 1, now + 60).await,
        RevenueError::ZeroAmount,
    );
    // More IO than the seller holds: a named refusal before any transfer.
    let held = ctx.chain.token_balance(seller.io).await;
    assert_error(
        &ctx.fill(&seller, held + 1, USDC, now + 60).await,
        RevenueError::SellerBalanceTooLow,
    );
}

#[tokio::test]
async fn an_expired_quote_is_refused() {
    let (mut ctx, seller) = set_up(100).await;
    let ctx = &mut ctx;
    let now = ctx.chain.now().await;
    assert_error(
        &ctx.fill(&seller, 10 * IO, 25 * USDC, now - 1).await,
        RevenueError::QuoteExpired,
    );
    // Valid through its last second.
    assert_ok(&ctx.fill(&seller, 10 * IO, 25 * USDC, now).await);
}

#[tokio::test]
async fn stale_uncertain_wrong_feed_wrong_owner_and_bad_prices_are_refused() {
    let (mut ctx, seller) = set_up(100).await;
    let ctx = &mut ctx;
    let now = ctx.chain.now().await;
    let feed = ctx.price_feed_id;
    let update = |price: i64, conf: u64, publish_time: i64| {
        PriceUpdateV2::full(feed, price, conf, -8, publish_time)
    };
    let cases: Vec<(PriceUpdateV2, RevenueError)> = vec![
        // 121 s old with a 120 s limit.
        (update(250_000_000, 0, now - 121), RevenueError::StalePrice),
        // 2% of $2.50 is 5,000,000: one unit more is too uncertain.
        (
            update(250_000_000, 5_000_001, now),
            RevenueError::PriceTooUncertain,
        ),
        (
            PriceUpdateV2 {
                feed_id: [9; 32],
                ..update(250_000_000, 0, now)
            },
            RevenueError::WrongPriceFeed,
        ),
        (
            PriceUpdateV2 {
                verification: Verification::Partial { num_signatures: 3 },
                ..update(250_000_000, 0, now)
            },
            RevenueError::PriceNotFullyVerified,
        ),
        (update(0, 0, now), RevenueError::NonPositivePrice),
        (update(-250_000_000, 0, now), RevenueError::NonPositivePrice),
    ];
    for (bad, error) in cases {
        ctx.set_price_update(&bad);
        assert_error(&ctx.fill(&seller, 10 * IO, USDC, now + 60).await, error);
    }
    // The limits themselves pass.
    ctx.set_price_update(&update(250_000_000, 5_000_000, now - 120));
    assert_ok(&ctx.fill(&seller, 10 * IO, USDC, now + 60).await);

    // The pinned address written by another program than the Pyth receiver.
    let good = update(250_000_000, 0, now);
    let pinned = ctx.price_feed;
    ctx.chain
        .set_pyth_update(pinned, Pubkey::new_unique(), &good);
    assert_error(
        &ctx.fill(&seller, 10 * IO, USDC, now + 60).await,
        RevenueError::WrongPriceAccount,
    );
    // A genuine update at another address than the pinned one.
    ctx.set_price_update(&good);
    let other = Pubkey::new_unique();
    ctx.chain
        .set_pyth_update(other, ::revenue::price::PYTH_RECEIVER, &good);
    let day = ctx.today().await;
    let accounts = ix::revenue::FillAccounts {
        price_feed: other,
        ..ctx.fill_accounts(&seller)
    };
    let ix = ix::revenue::fill_buyback(seller.key.pubkey(), accounts, day, 10 * IO, USDC, now);
    assert_error(
        &ctx.send(&[ix], &[&seller.key]).await,
        RevenueError::WrongPriceAccount,
    );
    assert_eq!(ctx.revenue_config().await.totals.fills, 1);
}

#[tokio::test]
async fn the_vault_must_hold_the_fill() {
    let (mut ctx, seller) = set_up(10).await;
    let ctx = &mut ctx;
    let now = ctx.chain.now().await;
    assert_error(
        &ctx.fill(&seller, 10 * IO, 10 * USDC + 1, now).await,
        RevenueError::InsufficientVault,
    );
    assert_ok(&ctx.fill(&seller, 10 * IO, 10 * USDC, now).await);
    assert_eq!(ctx.chain.token_balance(ctx.usdc_vault()).await, 0);
    assert_error(
        &ctx.fill(&seller, 10 * IO, 1, now).await,
        RevenueError::InsufficientVault,
    );
}

/// A fill of `io` IO for `usdc` at the clock's time, with a fresh $2.50 price.
async fn fill_now(ctx: &mut TestContext, seller: &Seller, io: u64, usdc: u64) -> TxOutcome {
    let now = ctx.chain.now().await;
    ctx.set_price(250_000_000, 0).await;
    ctx.fill(seller, io * IO, usdc, now).await
}

#[tokio::test]
async fn the_outflow_limit_holds_at_its_boundary_and_decays_linearly() {
    let (mut ctx, seller) = set_up(1_000).await;
    let ctx = &mut ctx;
    let authority = ctx.authority.insecure_clone();
    // 100 USDC per day.
    let params = ::revenue::InitializeArgs {
        window_limit: 100 * USDC,
        ..ctx.revenue_args()
    };
    ctx.send_ok(
        &[ix::revenue::update_params(authority.pubkey(), params)],
        &[&authority],
    )
    .await;
    let t0 = ctx.chain.now().await;
    assert_error(
        &fill_now(ctx, &seller, 50, 100 * USDC + 1).await,
        RevenueError::OutflowLimitExceeded,
    );
    let outcome = fill_now(ctx, &seller, 50, 100 * USDC).await;
    assert_ok(&outcome);
    assert_eq!(outcome.event::<BuybackFilled>().window_outflow, 100 * USDC);
    assert_error(
        &fill_now(ctx, &seller, 1, 1).await,
        RevenueError::OutflowLimitExceeded,
    );
    // A quarter window later three quarters still count: 25 USDC of room.
    ctx.chain.set_time(t0 + 21_600).await;
    assert_error(
        &fill_now(ctx, &seller, 20, 25 * USDC + 1).await,
        RevenueError::OutflowLimitExceeded,
    );
    let outcome = fill_now(ctx, &seller, 20, 25 * USDC).await;
    assert_ok(&outcome);
    assert_eq!(outcome.event::<BuybackFilled>().window_outflow, 100 * USDC);
    // One second before the window ends, ceil(100 USDC / 86,400) = 1,158 base units still count.
    ctx.chain.set_time(t0 + 21_600 + 86_399).await;
    assert_error(
        &fill_now(ctx, &seller, 50, 100 * USDC - 1_158 + 1).await,
        RevenueError::OutflowLimitExceeded,
    );
    assert_ok(&fill_now(ctx, &seller, 50, 100 * USDC - 1_158).await);
    // A whole window later nothing counts.
    ctx.chain.set_time(t0 + 21_600 + 2 * 86_400 - 1).await;
    assert_error(
        &fill_now(ctx, &seller, 50, 100 * USDC + 1).await,
        RevenueError::OutflowLimitExceeded,
    );
    let outcome = fill_now(ctx, &seller, 50, 100 * USDC).await;
    assert_ok(&outcome);
    assert_eq!(outcome.event::<BuybackFilled>().window_outflow, 100 * USDC);
    let config = ctx.revenue_config().await;
    assert_eq!(
        (config.window_outflow, config.window_last_ts),
        (100 * USDC, t0 + 21_600 + 2 * 86_400 - 1)
    );
    assert_eq!(config.totals.usdc_spent, 325 * USDC - 1_158);
}

#[tokio::test]
async fn pause_blocks_fills_only() {
    let (mut ctx, seller) = set_up(100).await;
    let ctx = &mut ctx;
    let authority = ctx.authority.insecure_clone();
    ctx.send_ok(
        &[ix::revenue::set_paused(authority.pubkey(), true)],
        &[&authority],
    )
    .await;
    let now = ctx.chain.now().await;
    assert_error(
        &ctx.fill(&seller, 10 * IO, USDC, now).await,
        RevenueError::Paused,
    );
    // Deposits and fee burns go on.
    ctx.deposit_io_fees(5 * IO).await;
    ctx.deposit_usdc_fees(USDC).await;
    assert_ok(&ctx.burn_io_fees().await);
    ctx.send_ok(
        &[ix::revenue::set_paused(authority.pubkey(), false)],
        &[&authority],
    )
    .await;
    assert_ok(&ctx.fill(&seller, 10 * IO, USDC, now).await);
}

#[tokio::test]
async fn the_seller_must_sign_and_bring_its_own_accounts() {
    let (mut ctx, seller) = set_up(100).await;
    let ctx = &mut ctx;
    let other = ctx.seller(10).await;
    let now = ctx.chain.now().await;
    let day = ctx.today().await;
    let fill = |accounts: ix::revenue::FillAccounts| {
        ix::revenue::fill_buyback(seller.key.pubkey(), accounts, day, 10 * IO, USDC, now)
    };
    let own = ctx.fill_accounts(&seller);
    // Someone else's IO account.
    let ix = fill(ix::revenue::FillAccounts {
        seller_io: other.io,
        ..own
    });
    assert_error(
        &ctx.send(&[ix], &[&seller.key]).await,
        RevenueError::InvalidTokenAccount,
    );
    // An IO account where USDC is paid.
    let ix = fill(ix::revenue::FillAccounts {
        seller_usdc: other.io,
        ..own
    });
    assert_error(
        &ctx.send(&[ix], &[&seller.key]).await,
        RevenueError::InvalidTokenAccount,
    );
    // A USDC account of the seller's as the IO account.
    let mint = ctx.revenue.usdc_mint;
    let second_usdc = ctx
        .chain
        .create_token_account(&mint, &seller.key.pubkey())
        .await;
    let ix = fill(ix::revenue::FillAccounts {
        seller_io: second_usdc,
        ..own
    });
    assert_error(
        &ctx.send(&[ix], &[&seller.key]).await,
        RevenueError::InvalidTokenAccount,
    );
    // The USDC vault paying itself (would count USDC as spent that never left).
    let ix = fill(ix::revenue::FillAccounts {
        seller_usdc: ctx.usdc_vault(),
        ..own
    });
    assert_error(
        &ctx.send(&[ix], &[&seller.key]).await,
        RevenueError::InvalidTokenAccount,
    );
    // Not a token account at all (the seller's wallet), and a mint.
    for wrong in [seller.key.pubkey(), ::revenue::IO_MINT] {
        let ix = fill(ix::revenue::FillAccounts {
            seller_io: wrong,
            ..own
        });
        assert_error(
            &ctx.send(&[ix], &[&seller.key]).await,
            RevenueError::InvalidTokenAccount,
        );
    }
    // Another USDC account than the vault in the vault's slot.
    let mut ix = fill(own);
    ix.accounts[3].pubkey = other.usdc;
    assert_error(
        &ctx.send(&[ix], &[&seller.key]).await,
        RevenueError::WrongVault,
    );
    // Not signed by the seller.
    let ix = without_signature(fill(own), &seller.key.pubkey());
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::AccountNotSigner);
    // USDC may go to any USDC account, e.g. the other seller's.
    let ix = fill(ix::revenue::FillAccounts {
        seller_usdc: other.usdc,
        ..own
    });
    ctx.send_ok(&[ix], &[&seller.key]).await;
    assert_eq!(ctx.chain.token_balance(other.usdc).await, USDC);
}
