//! The SDK's quote (what `ngpu buyback quote` prints) is exactly what the program pays, whichever
//! of the oracle bound, the vault or the window limits it; `RevenueView` (what `ngpu revenue
//! show --output json` prints) reads the chain's state in base units.

use ::revenue::RevenueError;
use ngpu_sdk::revenue::{quote, Quote, RevenueView};
use ngpu_tests::revenue::{Seller, USDC};
use ngpu_tests::*;

const IO: u64 = 100_000_000;

async fn quote_now(ctx: &mut TestContext, io_in: u64) -> Quote {
    let config = ctx.revenue_config().await;
    let price = ctx.chain.account(config.price_feed).await.unwrap();
    let vault = ctx.chain.token_balance(config.usdc_vault).await;
    let now = ctx.chain.now().await;
    quote(&config, &price.owner, &price.data, vault, now, io_in).unwrap()
}

async fn fills_exactly(ctx: &mut TestContext, seller: &Seller, io_in: u64, error: RevenueError) {
    let q = quote_now(ctx, io_in).await;
    let now = ctx.chain.now().await;
    assert_error(
        &ctx.fill(seller, io_in, q.max_usdc_out + 1, now).await,
        error,
    );
    assert_ok(&ctx.fill(seller, io_in, q.max_usdc_out, now).await);
}

#[tokio::test]
async fn the_quote_is_what_the_program_pays() {
    let ctx = &mut TestContext::with_revenue().await;
    ctx.deposit_usdc_fees(19_000 * USDC).await;
    let seller = ctx.seller(20_000).await;
    ctx.set_price(123_456_789, 1_000_000).await;
    // The oracle bound: 100 IO at $1.22456789 + 1%.
    let q = quote_now(ctx, 100 * IO).await;
    assert_eq!(
        (q.price_bound, q.max_usdc_out, q.oracle_low_micro_usd),
        (123_681_356, 123_681_356, 1_224_567)
    );
    fills_exactly(ctx, &seller, 100 * IO, RevenueError::AbovePriceBound).await;
    // The window (10,000 USDC a day): 8,500 IO would fetch more than the room left.
    let q = quote_now(ctx, 8_500 * IO).await;
    assert!(q.window_room < q.price_bound && q.window_room < q.vault);
    assert_eq!(q.window_room, 10_000 * USDC - 123_681_356);
    fills_exactly(ctx, &seller, 8_500 * IO, RevenueError::OutflowLimitExceeded).await;
    // The vault: a day later the window is free again and the vault holds less than the bound.
    let now = ctx.chain.now().await;
    ctx.chain.set_time(now + 86_400).await;
    ctx.set_price(123_456_789, 1_000_000).await;
    let q = quote_now(ctx, 8_000 * IO).await;
    assert!(q.vault < q.price_bound && q.vault < q.window_room);
    assert_eq!(q.vault, 9_000 * USDC);
    fills_exactly(ctx, &seller, 8_000 * IO, RevenueError::InsufficientVault).await;
    assert_eq!(quote_now(ctx, IO).await.max_usdc_out, 0);
}

#[tokio::test]
async fn the_view_reads_the_chain_in_base_units() {
    let ctx = &mut TestContext::with_revenue().await;
    ctx.deposit_usdc_fees(100 * USDC).await;
    ctx.deposit_io_fees(5 * IO).await;
    let seller = ctx.seller(100).await;
    let now = ctx.chain.now().await;
    assert_ok(&ctx.fill(&seller, 10 * IO, 20 * USDC, now).await);
    let day = ctx.today().await;
    let config = ctx.revenue_config().await;
    let record = ctx.day_record(day).await;
    let view = RevenueView::new(&config, 5 * IO, 80 * USDC, now, day, record.as_ref());
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["io_vault_balance"], 5 * IO);
    assert_eq!(json["usdc_vault_balance"], 80 * USDC);
    assert_eq!(json["window_outflow_now"], 20 * USDC);
    assert_eq!(json["totals"]["io_burned_buyback"], 10 * IO);
    assert_eq!(json["totals"]["average_price_micro_usd"], 2_000_000);
    assert_eq!(json["day_totals"]["fills"], 1);
    assert_eq!(json["day"], day);
}
