//! Stateful property test: random sequences of IO and USDC deposits, buyback fills (at the
//! bound, one unit above, below it, too large, expired, by two sellers), fee burns, pauses,
//! clock moves (seconds to days, across UTC midnights) and price moves (fresh, stale, uncertain)
//! against a plain-Rust model of SPEC §6.
//!
//! The model computes the bound `floor(io_in * (price - conf) * 1.01 / 10^6)` (exponent -8), the
//! linearly decaying window, the UTC day and the fill price with its own u128 arithmetic. After
//! every step the program's answer (success or the exact error), both vaults, both sellers'
//! balances, the IO supply, the config's totals and window, and every day record must equal the
//! model's; the harness checks its invariants (vaults == deposits − burned / spent, totals ==
//! Σ day records, supply) after every transaction too.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use ::revenue::{BurnTotals, RevenueError};
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_localnet::TxOutcome;
use ngpu_sdk::{ix, pda};
use ngpu_tests::revenue::{Seller, USDC};
use ngpu_tests::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const IO: u64 = 100_000_000;
const DAY: i64 = 86_400;
const PREMIUM_BPS: u128 = 100;
const MAX_AGE: i64 = 120;
const MAX_CONF_BPS: u128 = 200;
const WINDOW: i64 = 86_400;
const LIMIT: u64 = 300 * USDC;
const SELLER_IO: u64 = 1_000;
const INITIAL_USDC: u64 = 1_000 * USDC;

static FILLS: AtomicUsize = AtomicUsize::new(0);
static BURNS: AtomicUsize = AtomicUsize::new(0);
static WINDOW_REFUSALS: AtomicUsize = AtomicUsize::new(0);

/// What a fill asks for, relative to the model's bound at the current price.
#[derive(Clone, Debug)]
enum Ask {
    AtBound,
    AboveBound,
    /// `bound * bps / 10,000`.
    Share(u16),
    Fixed(u64),
}

#[derive(Clone, Debug)]
enum Op {
    DepositIo(u64),
    DepositUsdc(u64),
    Fill {
        seller: usize,
        io_in: u64,
        ask: Ask,
        /// `expire_at = now + expiry`.
        expiry: i64,
    },
    Burn,
    Advance(i64),
    /// Price (exponent -8), confidence in bps of it, published `age` seconds ago.
    Price {
        price: i64,
        conf_bps: u64,
        age: i64,
    },
    Pause(bool),
}

fn op() -> impl Strategy<Value = Op> {
    let ask = prop_oneof![
        3 => Just(Ask::AtBound),
        1 => Just(Ask::AboveBound),
        3 => (0u16..=10_000).prop_map(Ask::Share),
        1 => (0u64..=400 * USDC).prop_map(Ask::Fixed),
    ];
    let io_in = prop_oneof![
        1 => 0u64..100,
        4 => (1u64..200).prop_map(|x| x * IO),
        1 => (1u64..=1_500).prop_map(|x| x * IO + 7),
    ];
    prop_oneof![
        2 => (1u64..=1_000 * IO).prop_map(Op::DepositIo),
        2 => (1u64..=400 * USDC).prop_map(Op::DepositUsdc),
        8 => (0usize..2, io_in, ask, -3i64..=30).prop_map(|(seller, io_in, ask, expiry)| Op::Fill {
            seller,
            io_in,
            ask,
            expiry
        }),
        2 => Just(Op::Burn),
        2 => prop_oneof![
            Just(1i64),
            Just(60),
            Just(3_600),
            Just(21_600),
            Just(86_399),
            Just(86_400),
            10i64..200_000
        ]
        .prop_map(Op::Advance),
        3 => (10_000_000i64..=1_000_000_000, 0u64..=300, prop_oneof![3 => 0i64..=MAX_AGE, 1 => MAX_AGE + 1..=MAX_AGE + 100])
            .prop_map(|(price, conf_bps, age)| Op::Price { price, conf_bps, age }),
        1 => any::<bool>().prop_map(Op::Pause),
    ]
}

#[derive(Clone, Copy, Debug)]
enum Expect {
    Ok,
    Err(RevenueError),
}

#[derive(Default, Debug)]
struct Model {
    now: i64,
    price: i64,
    conf: u64,
    publish_time: i64,
    paused: bool,
    io_vault: u64,
    usdc_vault: u64,
    supply: u64,
    seller_io: [u64; 2],
    seller_usdc: [u64; 2],
    window_outflow: u64,
    window_last_ts: i64,
    totals: BurnTotals,
    days: BTreeMap<u64, BurnTotals>,
}

fn add_fill(t: &mut BurnTotals, io_in: u64, usdc: u64, price: u64) {
    t.io_burned_buyback += io_in;
    t.usdc_spent += usdc;
    if t.fills == 0 {
        t.min_price_micro_usd = price;
        t.max_price_micro_usd = price;
    } else {
        t.min_price_micro_usd = t.min_price_micro_usd.min(price);
        t.max_price_micro_usd = t.max_price_micro_usd.max(price);
    }
    t.fills += 1;
}

impl Model {
    fn day(&self) -> u64 {
        (self.now / DAY) as u64
    }

    /// The most USDC the program pays for `io_in` now (0 if the band reaches zero).
    fn bound(&self, io_in: u64) -> u64 {
        let low = (self.price as i128 - self.conf as i128).max(0) as u128;
        let v = u128::from(io_in) * low * (10_000 + PREMIUM_BPS) / 100_000_000_000_000;
        u64::try_from(v).unwrap()
    }

    fn decayed(&self) -> u64 {
        let elapsed = (self.now - self.window_last_ts).max(0);
        if elapsed >= WINDOW {
            return 0;
        }
        let num = u128::from(self.window_outflow) * (WINDOW - elapsed) as u128;
        num.div_ceil(WINDOW as u128) as u64
    }

    fn fill(&mut self, seller: usize, io_in: u64, usdc: u64, expire_at: i64) -> Expect {
        if self.paused {
            return Expect::Err(RevenueError::Paused);
        }
        if io_in == 0 || usdc == 0 {
            return Expect::Err(RevenueError::ZeroAmount);
        }
        if self.now > expire_at {
            return Expect::Err(RevenueError::QuoteExpired);
        }
        if self.price <= 0 {
            return Expect::Err(RevenueError::NonPositivePrice);
        }
        if self.now - self.publish_time > MAX_AGE {
            return Expect::Err(RevenueError::StalePrice);
        }
        if u128::from(self.conf) * 10_000 > self.price as u128 * MAX_CONF_BPS {
            return Expect::Err(RevenueError::PriceTooUncertain);
        }
        if self.price as u64 <= self.conf {
            return Expect::Err(RevenueError::NonPositivePrice);
        }
        if usdc > self.bound(io_in) {
            return Expect::Err(RevenueError::AbovePriceBound);
        }
        if usdc > self.usdc_vault {
            return Expect::Err(RevenueError::InsufficientVault);
        }
        let decayed = self.decayed();
        if usdc > LIMIT.saturating_sub(decayed) {
            WINDOW_REFUSALS.fetch_add(1, Ordering::Relaxed);
            return Expect::Err(RevenueError::OutflowLimitExceeded);
        }
        if io_in > self.seller_io[seller] {
            return Expect::Err(RevenueError::SellerBalanceTooLow);
        }
        self.window_outflow = decayed + usdc;
        self.window_last_ts = self.window_last_ts.max(self.now);
        self.seller_io[seller] -= io_in;
        self.seller_usdc[seller] += usdc;
        self.usdc_vault -= usdc;
        self.supply -= io_in;
        let price = (u128::from(usdc) * 100_000_000 / u128::from(io_in)) as u64;
        add_fill(&mut self.totals, io_in, usdc, price);
        let day = self.day();
        add_fill(self.days.entry(day).or_default(), io_in, usdc, price);
        FILLS.fetch_add(1, Ordering::Relaxed);
        Expect::Ok
    }

    fn burn(&mut self) -> Expect {
        if self.io_vault == 0 {
            return Expect::Err(RevenueError::NothingToBurn);
        }
        let amount = std::mem::take(&mut self.io_vault);
        self.supply -= amount;
        for t in [
            &mut self.totals,
            self.days.entry((self.now / DAY) as u64).or_default(),
        ] {
            t.io_burned_fees += amount;
            t.fee_burns += 1;
        }
        BURNS.fetch_add(1, Ordering::Relaxed);
        Expect::Ok
    }
}

fn check_outcome(outcome: &TxOutcome, expect: Expect, op: &Op) {
    match expect {
        Expect::Ok => assert_ok(outcome),
        Expect::Err(e) => {
            if outcome.result.is_ok() {
                panic!("{op:?}: expected {e:?}, the program accepted it");
            }
            assert_error(outcome, e)
        }
    }
}

async fn run(ops: Vec<Op>) {
    let ctx = &mut TestContext::with_revenue().await;
    let authority = ctx.authority.insecure_clone();
    let params = ::revenue::InitializeArgs {
        window_limit: LIMIT,
        ..ctx.revenue_args()
    };
    ctx.send_ok(
        &[ix::revenue::update_params(authority.pubkey(), params)],
        &[&authority],
    )
    .await;
    let sellers: Vec<Seller> = vec![ctx.seller(SELLER_IO).await, ctx.seller(SELLER_IO).await];
    ctx.deposit_usdc_fees(INITIAL_USDC).await;
    let now = ctx.chain.now().await;
    let mut m = Model {
        now,
        price: 250_000_000,
        conf: 0,
        publish_time: now,
        supply: ctx.chain.mint_state(::revenue::IO_MINT).await.supply,
        seller_io: [SELLER_IO * IO; 2],
        usdc_vault: INITIAL_USDC,
        ..Model::default()
    };
    for op in ops {
        match &op {
            Op::DepositIo(amount) => {
                ctx.deposit_io_fees(*amount).await;
                m.io_vault += amount;
            }
            Op::DepositUsdc(amount) => {
                ctx.deposit_usdc_fees(*amount).await;
                m.usdc_vault += amount;
            }
            Op::Fill {
                seller,
                io_in,
                ask,
                expiry,
            } => {
                let bound = m.bound(*io_in);
                let usdc = match ask {
                    Ask::AtBound => bound,
                    Ask::AboveBound => bound + 1,
                    Ask::Share(bps) => bound * u64::from(*bps) / 10_000,
                    Ask::Fixed(v) => *v,
                };
                let expire_at = m.now + expiry;
                let expect = m.fill(*seller, *io_in, usdc, expire_at);
                let outcome = ctx.fill(&sellers[*seller], *io_in, usdc, expire_at).await;
                check_outcome(&outcome, expect, &op);
            }
            Op::Burn => {
                let expect = m.burn();
                let outcome = ctx.burn_io_fees().await;
                check_outcome(&outcome, expect, &op);
            }
            Op::Advance(secs) => {
                m.now += secs;
                ctx.chain.set_time(m.now).await;
            }
            Op::Price {
                price,
                conf_bps,
                age,
            } => {
                m.price = *price;
                m.conf = (*price as u64) * conf_bps / 10_000;
                m.publish_time = m.now - age;
                let update = ::revenue::price::PriceUpdateV2::full(
                    ctx.price_feed_id,
                    m.price,
                    m.conf,
                    -8,
                    m.publish_time,
                );
                ctx.set_price_update(&update);
            }
            Op::Pause(paused) => {
                m.paused = *paused;
                ctx.send_ok(
                    &[ix::revenue::set_paused(authority.pubkey(), *paused)],
                    &[&authority],
                )
                .await;
            }
        }
        // Everything the model knows, after every step.
        let config = ctx.revenue_config().await;
        assert_eq!(config.totals, m.totals, "totals after {op:?}");
        assert_eq!(
            (config.window_outflow, config.window_last_ts),
            (m.window_outflow, m.window_last_ts),
            "window after {op:?}"
        );
        assert_eq!(config.paused, m.paused);
        assert_eq!(config.day_records, m.days.len() as u64);
        for (day, totals) in &m.days {
            assert_eq!(
                ctx.day_record(*day).await.map(|r| r.totals),
                Some(*totals),
                "day {day} after {op:?}"
            );
        }
        assert_eq!(
            ctx.chain.token_balance(pda::revenue::io_vault()).await,
            m.io_vault
        );
        assert_eq!(
            ctx.chain.token_balance(ctx.usdc_vault()).await,
            m.usdc_vault
        );
        for (i, s) in sellers.iter().enumerate() {
            assert_eq!(ctx.chain.token_balance(s.io).await, m.seller_io[i]);
            assert_eq!(ctx.chain.token_balance(s.usdc).await, m.seller_usdc[i]);
        }
        assert_eq!(
            ctx.chain.mint_state(::revenue::IO_MINT).await.supply,
            m.supply,
            "supply after {op:?}"
        );
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
    // CI runs 16 cases; a soak run sets NGPU_MODEL_CASES (e.g. 1000).
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
        .run(&proptest::collection::vec(op(), 1..50), |ops| {
            runtime().block_on(run(ops));
            Ok(())
        })
        .unwrap();
    let count = |c: &AtomicUsize| c.load(Ordering::Relaxed);
    let (fills, burns, refusals) = (count(&FILLS), count(&BURNS), count(&WINDOW_REFUSALS));
    println!("over all cases: {fills} fills, {burns} fee burns, {refusals} window refusals");
    assert!(
        fills > 0 && burns > 0,
        "the sequences never filled or burned"
    );
}
