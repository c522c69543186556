//! The SDK's quote (what `ngpu reserve` takes as its default `max_total`) is exactly the
//! program's deposit, in USDC and in IO with a band; `ReservationView` (what `ngpu reservation
//! show --output json` prints) predicts what a settle and an early end move.

use ::reservations::{Currency, ReservationCreated, ReservationSettled};
use ngpu_sdk::pda;
use ngpu_sdk::reservations::{quote, ReservationView};
use ngpu_tests::*;

const USDC: u64 = 1_000_000;
const HOUR: i64 = 3_600;

#[tokio::test]
async fn the_quote_is_the_deposit_and_the_view_predicts_settle_and_end() {
    let ctx = &mut TestContext::with_reservations().await;
    let a = ctx.listed_node(0, 1_234_567, 720).await;
    let b = ctx.listed_node(1, 1_234_567, 720).await;
    let renter = ctx.renter(1_000 * USDC, 1_000).await;
    ctx.set_price(123_456_789, 2_000_000).await;
    let config = ctx.reservations_config().await;
    let price = ctx.chain.account(ctx.price_feed).await.unwrap();
    let now = ctx.chain.now().await;
    let mut addresses = Vec::new();
    for (s, currency) in [(&a, Currency::Usdc), (&b, Currency::Io)] {
        let listing = ctx.listing(s.node).await;
        let q = quote(
            &config,
            &listing,
            7,
            currency,
            Some((&price.owner, &price.data)),
            now,
        )
        .unwrap();
        let (outcome, address) = ctx.reserve(&renter, s.node, 7, currency, q.deposit).await;
        let e: ReservationCreated = outcome.event();
        assert_eq!(
            (e.deposit, e.principal, e.io_price_micro_usd),
            (q.deposit, q.principal, q.io_price_micro_usd)
        );
        addresses.push(address);
    }
    ctx.chain.advance_seconds(3 * HOUR + 10).await;
    let now = ctx.chain.now().await;
    let r = ctx.reservation(addresses[0]).await.unwrap();
    let view = ReservationView::new(&addresses[0], &r, now).unwrap();
    let e: ReservationSettled = ctx.settle(addresses[0]).await.event();
    assert_eq!(
        (view.settle_supplier, view.settle_fees),
        (e.to_supplier, e.to_fees)
    );
    let r = ctx.reservation(addresses[1]).await.unwrap();
    let view = ReservationView::new(&addresses[1], &r, now).unwrap();
    assert_eq!(view.delivered_hours, 3);
    let e: ReservationSettled = ctx.end_early(&renter.key, addresses[1]).await.event();
    assert_eq!(view.end_refund, e.refunded);
    assert!(ctx.reservation(addresses[1]).await.is_none());
    assert_eq!(pda::reservations::reservation(&b.node, 0), addresses[1]);
}
