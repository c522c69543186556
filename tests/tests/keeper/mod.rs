//! The keeper (`ngpu_keeper::Keeper`) over the in-process chain: its planners read the real
//! accounts, its transactions (compute budget + the programs' instructions) land, it catches up
//! 50 hours as 24 + 24 + 2, a replayed crank is "already done", a restarted keeper picks up
//! where the chain is (nothing paid twice), and an expired slash is finalized once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use ngpu_keeper::chain::{
    AccountData, Chain, ChainClock, Hash, RpcError, Signature, Transaction, TransactionError,
    TxFailure, TxStatus,
};
use ngpu_keeper::jobs::{plan_crank, CrankState};
use ngpu_keeper::log::{LogFormat, Logger};
use ngpu_keeper::metrics::Metrics;
use ngpu_keeper::{Config, Job, Keeper, Outcome};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_tests::*;
use staking::{SlashRecord, SlashStatus};

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;

/// `Chain` over the in-process bank: every call runs on the test's own current-thread runtime.
/// The bank has no `getProgramAccounts`: `program_accounts` looks at the addresses in `known`.
struct InProcess {
    rt: tokio::runtime::Runtime,
    ctx: RefCell<TestContext>,
    results: RefCell<HashMap<Signature, Result<(), TransactionError>>>,
    known: RefCell<Vec<Pubkey>>,
}

/// Runs `$body` (async, with `$ctx: &mut TestContext`) on the chain's runtime.
macro_rules! on {
    ($chain:expr, |$ctx:ident| $body:expr) => {{
        let chain: &InProcess = $chain;
        let mut guard = chain.ctx.borrow_mut();
        let $ctx: &mut TestContext = &mut guard;
        chain.rt.block_on(async { $body })
    }};
}

impl Chain for InProcess {
    fn clock(&self) -> Result<ChainClock, RpcError> {
        let clock = on!(self, |ctx| ctx.chain.clock().await);
        Ok(ChainClock {
            slot: clock.slot,
            unix_timestamp: clock.unix_timestamp,
        })
    }

    fn account(&self, key: &Pubkey) -> Result<Option<AccountData>, RpcError> {
        let account = on!(self, |ctx| ctx.chain.account(*key).await);
        Ok(account.map(|a| AccountData {
            owner: a.owner,
            lamports: a.lamports,
            data: a.data,
        }))
    }

    fn program_accounts(
        &self,
        program: &Pubkey,
        discriminator: &[u8],
    ) -> Result<Vec<(Pubkey, AccountData)>, RpcError> {
        let known = self.known.borrow().clone();
        let mut found = Vec::new();
        for key in known {
            if let Some(a) = self.account(&key)? {
                if a.owner == *program && a.data.starts_with(discriminator) {
                    found.push((key, a));
                }
            }
        }
        Ok(found)
    }

    fn latest_blockhash(&self) -> Result<(Hash, u64), RpcError> {
        let hash = on!(self, |ctx| ctx.chain.latest_blockhash().await);
        Ok((hash, u64::MAX))
    }

    fn block_height(&self) -> Result<u64, RpcError> {
        Ok(0)
    }

    fn simulate(&self, tx: &Transaction) -> Result<Result<u64, TxFailure>, RpcError> {
        let (result, units) = on!(self, |ctx| ctx.chain.simulate_transaction(tx).await);
        Ok(match result {
            Err(e) => Err(TxFailure::from_error(e, tx)),
            Ok(()) => Ok(units),
        })
    }

    fn send(&self, tx: &Transaction) -> Result<Signature, RpcError> {
        let result = on!(self, |ctx| ctx.chain.process_transaction(tx).await);
        self.results.borrow_mut().insert(tx.signatures[0], result);
        Ok(tx.signatures[0])
    }

    fn status(&self, signature: &Signature) -> Result<TxStatus, RpcError> {
        Ok(match self.results.borrow().get(signature) {
            None => TxStatus::Pending,
            Some(Ok(())) => TxStatus::Landed,
            Some(Err(e)) => TxStatus::Failed(e.clone()),
        })
    }

    fn recent_fees(&self, _accounts: &[Pubkey]) -> Result<Vec<u64>, RpcError> {
        Ok(vec![])
    }
}

fn keeper(chain: InProcess, payer: &Keypair, jobs: &[Job]) -> Keeper<InProcess> {
    keeper_with(chain, payer, jobs, |_| {})
}

fn keeper_with(
    chain: InProcess,
    payer: &Keypair,
    jobs: &[Job],
    configure: impl FnOnce(&mut Config),
) -> Keeper<InProcess> {
    let mut config = Config::new("in-process", "unused");
    config.jobs = jobs.iter().copied().collect();
    configure(&mut config);
    let mut k = Keeper::new(
        chain,
        payer.insecure_clone(),
        config,
        Arc::new(Logger::capture(LogFormat::Text)),
        Arc::new(Metrics::default()),
        Arc::new(AtomicBool::new(false)),
    );
    k.poll = std::time::Duration::from_millis(1);
    k
}

fn landed(outcomes: &[(String, Outcome)]) -> Vec<String> {
    outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Landed { .. }))
        .map(|(k, _)| k.clone())
        .collect()
}

/// A chain built by `setup` on its own current-thread runtime, and a funded keeper key.
fn in_process<F: std::future::Future<Output = TestContext>>(
    setup: impl FnOnce() -> F,
) -> (InProcess, Keypair) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let ctx = rt.block_on(setup());
    let chain = InProcess {
        rt,
        ctx: RefCell::new(ctx),
        results: RefCell::new(HashMap::new()),
        known: RefCell::new(Vec::new()),
    };
    let payer = Keypair::new();
    on!(&chain, |ctx| ctx
        .chain
        .transfer_lamports(payer.pubkey(), 10_000_000_000)
        .await);
    (chain, payer)
}

#[test]
fn keeper_catches_up_restarts_and_finalizes_on_the_in_process_chain() {
    let (chain, payer) = in_process(TestContext::with_staking);
    // A $1/h node with 100 IO of its supplier's stake, registered at genesis.
    let node = on!(&chain, |ctx| {
        ctx.device_class(0, 13_140, 1_000).await;
        let (alice, tokens) = ctx.funded_user(1_000).await;
        let node = ctx.register_node(&alice, 0, 1).await;
        assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
        ctx.chain.set_time(START_TS + 50 * HOUR + 10).await;
        ctx.set_price(250_000_000, 0).await;
        node
    });
    chain.known.borrow_mut().push(node);

    // 50 hours behind: 24 + 24 + 2, then the node's stake change the crank passed is settled.
    let mut k = keeper(chain, &payer, &[Job::Crank, Job::Activate, Job::Finalize]);
    let report = k.pass().expect("pass");
    assert_eq!(
        landed(&report.outcomes),
        [
            "crank:0".to_string(),
            "crank:24".into(),
            "crank:48".into(),
            format!("activate:{node}:1"),
        ]
    );
    assert_eq!(report.hours_behind, Some(0));
    assert!(report.clean);
    let state = on!(k.chain(), |ctx| ctx.staking_state().await);
    assert_eq!(state.next_hour, 50);
    assert!(state.rewards_minted > 0);
    assert_eq!(on!(k.chain(), |ctx| ctx.node(node).await.schedule_len), 1);

    // Nothing due: nothing sent (no repeated activation either).
    let report = k.pass().expect("pass");
    assert!(report.outcomes.is_empty(), "{:?}", report.outcomes);

    // A crank of hour 0 again (a replay, another keeper's late copy): the program refuses it as
    // already processed, which the keeper counts as done without sending.
    let stale = CrankState {
        genesis_ts: START_TS,
        history: on!(k.chain(), |ctx| ctx.history),
        price_feed: on!(k.chain(), |ctx| ctx.price_feed),
        ledger_next_hour: 0,
        io_next_hour: 0,
        max_hours: 24,
    };
    let replay = plan_crank(k.payer(), &stale, START_TS + 50 * HOUR, 1).actions[0].clone();
    assert_eq!(
        k.act(&replay, START_TS + 50 * HOUR),
        Outcome::AlreadyDone {
            error: "StakingError::HourAlreadyProcessed".into()
        }
    );
    let text = k.metrics().render();
    assert!(text.contains("ngpu_keeper_transactions_landed_total{job=\"crank\"} 3\n"));
    assert!(text.contains("ngpu_keeper_hours_cranked_total 50\n"));
    assert!(text.contains("ngpu_keeper_hours_behind 0\n"));

    // Restart 30 hours later: a fresh keeper (no memory) catches up from the chain's state.
    let chain = k.into_chain();
    on!(&chain, |ctx| {
        ctx.chain.advance_seconds(30 * HOUR).await;
        ctx.set_price(250_000_000, 0).await;
    });
    let mut k = keeper(chain, &payer, &[Job::Crank, Job::Activate, Job::Finalize]);
    let report = k.pass().expect("pass");
    assert_eq!(landed(&report.outcomes), ["crank:50", "crank:74"]);
    let (state, io_next) = on!(k.chain(), |ctx| (
        ctx.staking_state().await,
        ctx.config().await.next_hour
    ));
    assert_eq!((state.next_hour, io_next), (80, 80));

    // A slash burns once its 30-day appeal window has passed, and only once.
    let slash = on!(k.chain(), |ctx| {
        let (outcome, slash) = ctx.slash(node, 1_000).await;
        assert_ok(&outcome);
        slash
    });
    k.chain().known.borrow_mut().push(slash);
    let appeal_until = on!(k.chain(), |ctx| ctx
        .chain
        .anchor_account::<SlashRecord>(slash)
        .await
        .appeal_until);
    on!(k.chain(), |ctx| {
        ctx.chain.set_time(appeal_until - 1).await;
        ctx.set_price(250_000_000, 0).await;
    });
    let report = k.pass().expect("pass");
    assert!(!landed(&report.outcomes).contains(&format!("finalize:{slash}")));
    on!(k.chain(), |ctx| {
        ctx.chain.set_time(appeal_until).await;
        ctx.set_price(250_000_000, 0).await;
    });
    let report = k.pass().expect("pass");
    assert!(landed(&report.outcomes).contains(&format!("finalize:{slash}")));
    let record: SlashRecord = on!(k.chain(), |ctx| ctx.chain.anchor_account(slash).await);
    assert_eq!(record.status, SlashStatus::Burned);
    let report = k.pass().expect("pass");
    assert!(report.outcomes.is_empty(), "{:?}", report.outcomes);
    let ended = ngpu_math::hours_ended(START_TS, appeal_until);
    assert_eq!(
        on!(k.chain(), |ctx| ctx.staking_state().await.next_hour),
        ended
    );
}

#[test]
fn keeper_settles_reservations_and_burns_fees_once_a_day_on_the_in_process_chain() {
    let (chain, payer) = in_process(TestContext::with_reservations);
    // A 30-hour IO reservation of a $2.50/h listed node, starting now (genesis).
    let address = on!(&chain, |ctx| {
        let supplier = ctx.listed_node(1, 2_500_000, 100).await;
        let renter = ctx.renter(0, 10_000).await;
        let (outcome, address) = ctx
            .reserve(
                &renter,
                supplier.node,
                30,
                ::reservations::Currency::Io,
                u64::MAX,
            )
            .await;
        assert_ok(&outcome);
        address
    });
    chain.known.borrow_mut().push(address);
    let mut k = keeper_with(chain, &payer, &[Job::Settle, Job::Burn], |c| {
        c.settle_min_hours = 8;
        c.burn_min_amount = 1;
    });
    let at = |k: &Keeper<InProcess>, seconds: i64| {
        on!(k.chain(), |ctx| {
            ctx.chain.set_time(START_TS + seconds).await;
            ctx.set_price(250_000_000, 0).await;
        })
    };
    // 7 hours delivered: below the 8-hour step, nothing due.
    at(&k, 7 * HOUR + 5);
    assert!(k.pass().expect("pass").outcomes.is_empty());
    // 10 hours: settled (fees reach revenue's IO vault), then the vault burned.
    at(&k, 10 * HOUR + 5);
    let report = k.pass().expect("pass");
    let day = ngpu_math::revenue::utc_day(START_TS).unwrap();
    let keys = landed(&report.outcomes);
    assert_eq!(keys.len(), 2, "{:?}", report.outcomes);
    assert_eq!(keys[0], format!("settle:{address}:10"));
    assert!(keys[1].starts_with(&format!("burn:{day}:")), "{keys:?}");
    let (settled, vault) = on!(k.chain(), |ctx| (
        ctx.reservation(address).await.expect("open").settled_hours,
        ctx.chain
            .token_balance(ngpu_sdk::pda::revenue::io_vault())
            .await
    ));
    assert_eq!((settled, vault), (10, 0));
    // Same hour: nothing more.
    assert!(k.pass().expect("pass").outcomes.is_empty());
    // 20 hours: settled again; the fees wait for the next UTC day (burned today already).
    at(&k, 20 * HOUR + 5);
    let report = k.pass().expect("pass");
    assert_eq!(landed(&report.outcomes), [format!("settle:{address}:20")]);
    // 31 hours (the next UTC day): the last hours settle and the reservation closes; the
    // day's first burn takes both settlements' fees.
    at(&k, 31 * HOUR + 5);
    let report = k.pass().expect("pass");
    let keys = landed(&report.outcomes);
    assert_eq!(keys.len(), 2, "{:?}", report.outcomes);
    assert_eq!(keys[0], format!("settle:{address}:30"));
    assert!(keys[1].starts_with(&format!("burn:{}:", day + 1)));
    let (open, vault) = on!(k.chain(), |ctx| (
        ctx.reservation(address).await,
        ctx.chain
            .token_balance(ngpu_sdk::pda::revenue::io_vault())
            .await
    ));
    assert!(open.is_none());
    assert_eq!(vault, 0);
    assert!(k.pass().expect("pass").outcomes.is_empty());
    let text = k.metrics().render();
    assert!(text.contains("ngpu_keeper_transactions_landed_total{job=\"settle\"} 3\n"));
    assert!(text.contains("ngpu_keeper_transactions_landed_total{job=\"burn\"} 2\n"));
}
