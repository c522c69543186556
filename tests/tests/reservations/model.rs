//! Stateful property test: random sequences of reserves (USDC or IO, 1..=6 hours, with and
//! without enough slippage room), settles, early ends, failure reports, clock moves (minutes to hours), price
//! refreshes and pauses, on three nodes by two renters, against a plain-Rust model of SPEC §5.
//!
//! The model computes the deposit, the cumulative supplier / fee amounts of the settled hours
//! and the refunds with its own u128 arithmetic. After every step the program's answer (success
//! or the exact error) and every balance (renters, supplier payouts, fee vaults, escrows) must
//! equal the model's; the harness checks its invariants (four-way conservation, escrow == Σ
//! open reservations, node hired iff reserved) after every transaction too.

use std::sync::atomic::{AtomicUsize, Ordering};

use ::reservations::{Currency, ReservationsError};
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_localnet::TxOutcome;
use ngpu_sdk::{ix, pda};
use ngpu_tests::reservations::{Renter, Supplier};
use ngpu_tests::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const HOUR: i64 = 3_600;
const USDC: u64 = 1_000_000;
/// $2.50 per IO, no band: 40 IO base units per micro-USD.
const IO_PER_MICRO_USD: u128 = 40;
const PRICES: [u64; 3] = [2_500_000, 999, 1_234_567];
const MAX_AGE: i64 = 120;

static SETTLED_HOURS: AtomicUsize = AtomicUsize::new(0);
static ENDED: AtomicUsize = AtomicUsize::new(0);
static FAILED: AtomicUsize = AtomicUsize::new(0);

#[derive(Clone, Debug)]
enum Op {
    Reserve {
        node: usize,
        renter: usize,
        hours: u32,
        io: bool,
        /// The slippage guard is one unit short.
        short: bool,
    },
    Settle(usize),
    End(usize),
    /// `report_failure` by the oracles' quorum.
    Fail(usize),
    Advance(i64),
    RefreshPrice,
    Pause(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3, 0usize..2, 1u32..=6, any::<bool>(), prop::bool::weighted(0.1)).prop_map(
            |(node, renter, hours, io, short)| Op::Reserve { node, renter, hours, io, short }
        ),
        3 => (0usize..3).prop_map(Op::Settle),
        2 => (0usize..3).prop_map(Op::End),
        2 => (0usize..3).prop_map(Op::Fail),
        3 => prop_oneof![60i64..600, 600i64..2 * HOUR, Just(HOUR)].prop_map(Op::Advance),
        1 => Just(Op::RefreshPrice),
        1 => any::<bool>().prop_map(Op::Pause),
    ]
}

#[derive(Clone, Copy, Debug)]
struct Open {
    renter: usize,
    io: bool,
    hours: u32,
    start: i64,
    principal: u64,
    deposit: u64,
    settled: u32,
}

/// (reservation bps, payment bps) both sides.
fn rates(io: bool) -> (u128, u128) {
    (25, if io { 0 } else { 200 })
}

fn ceil_div(a: u128, b: u128) -> u128 {
    a.div_ceil(b)
}

impl Open {
    /// (consumed, supplier, fees) after k hours.
    fn after(&self, k: u32) -> (u64, u64, u64) {
        let (r, p) = rates(self.io);
        let base = u128::from(self.principal) * u128::from(k) / u128::from(self.hours);
        let consumed = base + ceil_div(base * r, 10_000) + ceil_div(base * p, 10_000);
        let supplier = base * (10_000 - r - p) / 10_000;
        (
            consumed as u64,
            supplier as u64,
            (consumed - supplier) as u64,
        )
    }
}

/// Balances by currency index (0 USDC, 1 IO).
#[derive(Default, Debug, Clone)]
struct Model {
    renters: [[u64; 2]; 2],
    payouts: [[u64; 2]; 3],
    fees: [u64; 2],
    escrow: [u64; 2],
    open: [Option<Open>; 3],
    paused: bool,
    price_ts: i64,
}

enum Expect {
    Ok,
    Err(ReservationsError),
}

impl Model {
    fn settle_to(&mut self, node: usize, k: u32) {
        let o = self.open[node].as_mut().unwrap();
        let c = usize::from(o.io);
        let (_, s0, f0) = o.after(o.settled);
        let (_, s1, f1) = o.after(k);
        SETTLED_HOURS.fetch_add((k - o.settled) as usize, Ordering::Relaxed);
        o.settled = k;
        self.payouts[node][c] += s1 - s0;
        self.fees[c] += f1 - f0;
        self.escrow[c] -= (s1 - s0) + (f1 - f0);
    }

    fn close(&mut self, node: usize) {
        let o = self.open[node].take().unwrap();
        let c = usize::from(o.io);
        let (consumed, _, _) = o.after(o.settled);
        let refund = o.deposit - consumed;
        self.renters[o.renter][c] += refund;
        self.escrow[c] -= refund;
    }
}

fn check_outcome(outcome: &TxOutcome, expect: Expect, op: &Op) {
    match expect {
        Expect::Ok => assert_ok(outcome),
        Expect::Err(e) => {
            assert!(outcome.result.is_err(), "{op:?}: expected {e:?}, accepted");
            assert_error(outcome, e)
        }
    }
}

async fn balances(ctx: &mut TestContext, renters: &[Renter], suppliers: &[Supplier]) -> Model {
    let mut m = Model::default();
    for (i, r) in renters.iter().enumerate() {
        m.renters[i] = [
            ctx.chain.token_balance(r.usdc).await,
            ctx.chain.token_balance(r.io).await,
        ];
    }
    for (i, s) in suppliers.iter().enumerate() {
        m.payouts[i] = [
            ctx.chain.token_balance(s.payout_usdc).await,
            ctx.chain.token_balance(s.payout_io).await,
        ];
    }
    let mint = ctx.revenue.usdc_mint;
    m.fees = [
        ctx.chain
            .token_balance(pda::revenue::fee_vault(&mint))
            .await,
        ctx.chain.token_balance(pda::revenue::io_vault()).await,
    ];
    m.escrow = [
        ctx.chain
            .token_balance(pda::reservations::escrow(&mint))
            .await,
        ctx.chain
            .token_balance(pda::reservations::io_escrow())
            .await,
    ];
    m
}

async fn run(ops: Vec<Op>) {
    let ctx = &mut TestContext::with_reservations().await;
    let authority = ctx.authority.insecure_clone();
    let mut suppliers = Vec::new();
    for (i, price) in PRICES.iter().enumerate() {
        suppliers.push(ctx.listed_node(i as u64, *price, 720).await);
    }
    let renters = vec![
        ctx.renter(5_000 * USDC, 5_000).await,
        ctx.renter(5_000 * USDC, 5_000).await,
    ];
    let mut model = balances(ctx, &renters, &suppliers).await;
    model.price_ts = ctx.chain.now().await;
    for op in ops {
        let now = ctx.chain.now().await;
        match op {
            Op::Advance(s) => {
                ctx.chain.advance_seconds(s).await;
                continue;
            }
            Op::RefreshPrice => {
                ctx.set_price(250_000_000, 0).await;
                model.price_ts = now;
                continue;
            }
            Op::Pause(p) => {
                ctx.send_ok(
                    &[ix::reservations::set_paused(authority.pubkey(), p)],
                    &[&authority],
                )
                .await;
                model.paused = p;
            }
            Op::Reserve {
                node,
                renter,
                hours,
                io,
                short,
            } => {
                let currency = if io { Currency::Io } else { Currency::Usdc };
                let cost = u128::from(PRICES[node]) * u128::from(hours);
                let principal = if io { cost * IO_PER_MICRO_USD } else { cost } as u64;
                let (r, p) = rates(io);
                let p128 = u128::from(principal);
                let deposit =
                    (p128 + ceil_div(p128 * r, 10_000) + ceil_div(p128 * p, 10_000)) as u64;
                let max_total = if short { deposit - 1 } else { deposit };
                let expect = if model.paused {
                    Expect::Err(ReservationsError::Paused)
                } else if model.open[node].is_some() {
                    Expect::Err(ReservationsError::NodeAlreadyReserved)
                } else if io && now - model.price_ts > MAX_AGE {
                    Expect::Err(ReservationsError::StalePrice)
                } else if short {
                    Expect::Err(ReservationsError::SlippageExceeded)
                } else {
                    Expect::Ok
                };
                let (outcome, _) = ctx
                    .reserve(
                        &renters[renter],
                        suppliers[node].node,
                        hours,
                        currency,
                        max_total,
                    )
                    .await;
                if let Expect::Ok = expect {
                    let c = usize::from(io);
                    model.renters[renter][c] -= deposit;
                    model.escrow[c] += deposit;
                    model.open[node] = Some(Open {
                        renter,
                        io,
                        hours,
                        start: now,
                        principal,
                        deposit,
                        settled: 0,
                    });
                }
                check_outcome(&outcome, expect, &op);
            }
            Op::Settle(node) => {
                let Some(o) = model.open[node] else { continue };
                let address = ctx.listing(suppliers[node].node).await.active_reservation;
                let delivered = (((now - o.start) / HOUR) as u32).min(o.hours);
                model.settle_to(node, delivered);
                if delivered == o.hours {
                    model.close(node);
                }
                check_outcome(&ctx.settle(address).await, Expect::Ok, &op);
            }
            Op::End(node) => {
                let Some(o) = model.open[node] else { continue };
                let address = ctx.listing(suppliers[node].node).await.active_reservation;
                let delivered = (((now - o.start) / HOUR) as u32).min(o.hours);
                let expect = if delivered == o.hours {
                    Expect::Err(ReservationsError::ReservationCompleted)
                } else {
                    model.settle_to(node, (delivered + 1).min(o.hours));
                    model.close(node);
                    ENDED.fetch_add(1, Ordering::Relaxed);
                    Expect::Ok
                };
                let outcome = ctx.end_early(&renters[o.renter].key, address).await;
                check_outcome(&outcome, expect, &op);
            }
            Op::Fail(node) => {
                let Some(o) = model.open[node] else { continue };
                let address = ctx.listing(suppliers[node].node).await.active_reservation;
                let delivered = (((now - o.start) / HOUR) as u32).min(o.hours);
                let expect = if delivered == o.hours {
                    Expect::Err(ReservationsError::ReservationCompleted)
                } else {
                    model.settle_to(node, delivered);
                    model.close(node);
                    FAILED.fetch_add(1, Ordering::Relaxed);
                    Expect::Ok
                };
                let outcome = ctx.report_failure(address).await;
                check_outcome(&outcome, expect, &op);
            }
        }
        let got = balances(ctx, &renters, &suppliers).await;
        assert_eq!(
            (got.renters, got.payouts, got.fees, got.escrow),
            (model.renters, model.payouts, model.fees, model.escrow),
            "after {op:?}"
        );
        for (i, s) in suppliers.iter().enumerate() {
            let hired = ctx.node(s.node).await.state == staking::NodeState::Hired;
            assert_eq!(hired, model.open[i].is_some(), "node {i} hired");
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn random_sequences_match_the_model() {
    // CI runs 16 cases; a soak run sets NGPU_MODEL_CASES (e.g. 500).
    let cases = std::env::var("NGPU_MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(op(), 10..40), |ops| {
            runtime().block_on(run(ops));
            Ok(())
        })
        .unwrap();
    let count = |c: &AtomicUsize| c.load(Ordering::Relaxed);
    let (settled, ended, failed) = (count(&SETTLED_HOURS), count(&ENDED), count(&FAILED));
    println!("over all cases: {settled} hours settled, {ended} early ends, {failed} failures");
    assert!(
        settled > 0 && ended > 0 && failed > 0,
        "the sequences never settled, ended or failed"
    );
}
