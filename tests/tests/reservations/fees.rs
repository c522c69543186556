//! Exact fee tables in program-test: USDC and IO at 1 micro-USD, 999, 123,456,789 and one month
//! of an H100 ($2.50/h × 720 h), both sides: what the renter pays, what the supplier receives,
//! what reaches revenue's fee vault, and the four-way conservation per reservation.

use ::reservations::{Currency, ReservationCreated, ReservationSettled};
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::pda;
use ngpu_tests::reservations::{Renter, Supplier};
use ngpu_tests::*;

const HOUR: i64 = 3_600;

struct Row {
    price: u64,
    hours: u32,
    currency: Currency,
    /// Price (exponent -8) and confidence of the oracle.
    oracle: (i64, u64),
    principal: u64,
    deposit: u64,
    supplier: u64,
    fees: u64,
}

async fn balances(
    ctx: &mut TestContext,
    renter: &Renter,
    supplier: &Supplier,
    c: Currency,
) -> [u64; 4] {
    let (payout, fee_vault) = match c {
        Currency::Usdc => (
            supplier.payout_usdc,
            pda::revenue::fee_vault(&ctx.revenue.usdc_mint),
        ),
        Currency::Io => (supplier.payout_io, pda::revenue::io_vault()),
    };
    let escrow = ngpu_sdk::ix::reservations::vaults(&ctx.revenue.usdc_mint, c).0;
    [
        ctx.chain.token_balance(renter.token(c)).await,
        ctx.chain.token_balance(payout).await,
        ctx.chain.token_balance(fee_vault).await,
        ctx.chain.token_balance(escrow).await,
    ]
}

async fn run(rows: &[Row]) {
    let ctx = &mut TestContext::with_reservations().await;
    for (i, row) in rows.iter().enumerate() {
        ctx.set_price(row.oracle.0, row.oracle.1).await;
        let supplier = ctx.listed_node(i as u64, row.price, 720).await;
        let renter = ctx.renter(2_000_000_000, 1_000).await;
        let before = balances(ctx, &renter, &supplier, row.currency).await;
        let rent_before = ctx.chain.lamports(renter.key.pubkey()).await;
        // One base unit under the deposit is refused by the slippage guard.
        let (outcome, _) = ctx
            .reserve(
                &renter,
                supplier.node,
                row.hours,
                row.currency,
                row.deposit - 1,
            )
            .await;
        assert_error(
            &outcome,
            ::reservations::ReservationsError::SlippageExceeded,
        );
        let (outcome, address) = ctx
            .reserve(&renter, supplier.node, row.hours, row.currency, row.deposit)
            .await;
        assert_ok(&outcome);
        let created: ReservationCreated = outcome.event();
        assert_eq!(
            (created.cost_micro_usd, created.principal, created.deposit),
            (row.price * u64::from(row.hours), row.principal, row.deposit),
            "row {i}"
        );
        let r = ctx.reservation(address).await.unwrap();
        assert_eq!(
            (r.reservation_fee_bps, r.payment_fee_bps),
            (
                25,
                if row.currency == Currency::Usdc {
                    200
                } else {
                    0
                }
            )
        );
        let held = balances(ctx, &renter, &supplier, row.currency).await;
        assert_eq!(
            held,
            [
                before[0] - row.deposit,
                before[1],
                before[2],
                before[3] + row.deposit
            ],
            "row {i}"
        );

        ctx.chain.advance_seconds(i64::from(row.hours) * HOUR).await;
        let outcome = ctx.settle(address).await;
        assert_ok(&outcome);
        let settled: ReservationSettled = outcome.event();
        assert!(settled.closed);
        assert_eq!(
            (settled.to_supplier, settled.to_fees, settled.refunded),
            (row.supplier, row.fees, 0),
            "row {i}"
        );
        // Four-way: deposited == supplier paid + fees + refunded + escrowed.
        assert_eq!(row.deposit, row.supplier + row.fees);
        let after = balances(ctx, &renter, &supplier, row.currency).await;
        assert_eq!(
            after,
            [
                before[0] - row.deposit,
                before[1] + row.supplier,
                before[2] + row.fees,
                before[3]
            ],
            "row {i}"
        );
        assert!(ctx.reservation(address).await.is_none(), "closed");
        assert!(
            ctx.chain.lamports(renter.key.pubkey()).await == rent_before,
            "rent back to the renter"
        );
        assert_eq!(
            ctx.node(supplier.node).await.state,
            staking::NodeState::Committed
        );
    }
}

const H100_MONTH: (u64, u32) = (2_500_000, 720);

#[tokio::test]
async fn usdc_fee_table() {
    let row = |price, hours, deposit, supplier| Row {
        price,
        hours,
        currency: Currency::Usdc,
        oracle: (250_000_000, 0),
        principal: price * u64::from(hours),
        deposit,
        supplier,
        fees: deposit - supplier,
    };
    run(&[
        // C + ceil(0.25% C) + ceil(2% C); the supplier gets floor(97.75% C).
        row(1, 1, 3, 0),
        row(999, 1, 1_022, 976),
        row(123_456_789, 1, 126_234_567, 120_679_011),
        row(H100_MONTH.0, H100_MONTH.1, 1_840_500_000, 1_759_500_000),
    ])
    .await;
}

#[tokio::test]
async fn io_fee_table() {
    let row = |price, hours, oracle, principal, deposit, supplier| Row {
        price,
        hours,
        currency: Currency::Io,
        oracle,
        principal,
        deposit,
        supplier,
        fees: deposit - supplier,
    };
    let flat = (250_000_000, 0);
    run(&[
        // ceil(C / $2.50) IO + ceil(0.25%); the supplier gets floor(99.75%).
        row(1, 1, flat, 40, 41, 39),
        row(999, 1, flat, 39_960, 40_060, 39_860),
        row(
            123_456_789,
            1,
            flat,
            4_938_271_560,
            4_950_617_239,
            4_925_925_881,
        ),
        row(
            H100_MONTH.0,
            H100_MONTH.1,
            flat,
            72_000_000_000,
            72_180_000_000,
            71_820_000_000,
        ),
        // With a 2% band the low side, $2.45, is used: ceil(999e8 / 2.45e6) = 40,776.
        row(999, 1, (250_000_000, 5_000_000), 40_776, 40_878, 40_674),
    ])
    .await;
}
