//! The keeper over an in-memory chain: planning passes, the send pipeline's idempotence,
//! drops, retries, re-signing and in-flight tracking.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};

use anchor_lang::AccountSerialize;
use solana_hash::Hash;
use solana_instruction_error::InstructionError;
use solana_transaction_error::TransactionError;
use staking::state::{SlashRecord, SlashStatus};

use super::*;
use crate::chain::{AccountData, ChainClock, RpcError};
use crate::jobs::*;
use crate::log::LogFormat;
use crate::retry::Backoff;

type OnLand = Box<dyn Fn(&Transaction, &mut HashMap<Pubkey, AccountData>)>;

/// A scripted cluster: accounts in a map, simulation and status answers from queues (defaults:
/// 20,000 units; landed).
#[derive(Default)]
struct FakeChain {
    now: Cell<i64>,
    accounts: RefCell<HashMap<Pubkey, AccountData>>,
    simulations: RefCell<VecDeque<Result<Result<u64, TxFailure>, RpcError>>>,
    statuses: RefCell<VecDeque<TxStatus>>,
    sent: RefCell<Vec<Transaction>>,
    simulated: Cell<u32>,
    blockhashes: Cell<u8>,
    height: Cell<u64>,
    /// Block height gained per status query (to expire blockhashes).
    height_step: Cell<u64>,
    fees: RefCell<Vec<u64>>,
    /// Applied to the accounts when a sent transaction lands.
    on_land: RefCell<Option<OnLand>>,
}

impl Chain for FakeChain {
    fn clock(&self) -> Result<ChainClock, RpcError> {
        Ok(ChainClock {
            slot: 1,
            unix_timestamp: self.now.get(),
        })
    }

    fn account(&self, key: &Pubkey) -> Result<Option<AccountData>, RpcError> {
        Ok(self.accounts.borrow().get(key).cloned())
    }

    fn program_accounts(
        &self,
        program: &Pubkey,
        discriminator: &[u8],
    ) -> Result<Vec<(Pubkey, AccountData)>, RpcError> {
        Ok(self
            .accounts
            .borrow()
            .iter()
            .filter(|(_, a)| a.owner == *program && a.data.starts_with(discriminator))
            .map(|(k, a)| (*k, a.clone()))
            .collect())
    }

    fn latest_blockhash(&self) -> Result<(Hash, u64), RpcError> {
        self.blockhashes.set(self.blockhashes.get() + 1);
        Ok((
            Hash::new_from_array([self.blockhashes.get(); 32]),
            self.height.get() + 150,
        ))
    }

    fn block_height(&self) -> Result<u64, RpcError> {
        Ok(self.height.get())
    }

    fn simulate(&self, _tx: &Transaction) -> Result<Result<u64, TxFailure>, RpcError> {
        self.simulated.set(self.simulated.get() + 1);
        self.simulations
            .borrow_mut()
            .pop_front()
            .unwrap_or(Ok(Ok(20_000)))
    }

    fn send(&self, tx: &Transaction) -> Result<Signature, RpcError> {
        self.sent.borrow_mut().push(tx.clone());
        Ok(tx.signatures[0])
    }

    fn status(&self, _signature: &Signature) -> Result<TxStatus, RpcError> {
        self.height.set(self.height.get() + self.height_step.get());
        let status = self
            .statuses
            .borrow_mut()
            .pop_front()
            .unwrap_or(TxStatus::Landed);
        if status == TxStatus::Landed {
            if let (Some(f), Some(tx)) = (&*self.on_land.borrow(), self.sent.borrow().last()) {
                f(tx, &mut self.accounts.borrow_mut());
            }
        }
        Ok(status)
    }

    fn recent_fees(&self, _accounts: &[Pubkey]) -> Result<Vec<u64>, RpcError> {
        Ok(self.fees.borrow().clone())
    }
}

fn keeper(chain: FakeChain, configure: impl FnOnce(&mut Config)) -> Keeper<FakeChain> {
    let mut config = Config::new("http://fake", "/dev/null");
    config.backoff = Backoff {
        base_ms: 1,
        max_ms: 4,
        jitter_percent: 50,
    };
    config.confirm_timeout = Duration::from_millis(50);
    configure(&mut config);
    let mut k = Keeper::new(
        chain,
        Keypair::new(),
        config,
        Arc::new(Logger::capture(LogFormat::Text)),
        Arc::new(Metrics::default()),
        Arc::new(AtomicBool::new(false)),
    )
    .with_rng(XorShift::new(1));
    k.poll = Duration::from_millis(1);
    k
}

fn crank_action(k: &Keeper<FakeChain>, first: u64, hours: u8) -> Action {
    Action {
        job: Job::Crank,
        key: format!("crank:{first}"),
        instructions: vec![ngpu_sdk::ix::staking::crank_hour(
            k.payer(),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
            first,
            hours,
        )],
        hours: u64::from(hours),
    }
}

fn program_error(program: Pubkey, code: impl Into<u32>) -> TxFailure {
    TxFailure::Program {
        program,
        code: code.into(),
    }
}

const GENESIS: i64 = 1_700_000_000;

fn crank_state(next: u64) -> CrankState {
    CrankState {
        genesis_ts: GENESIS,
        history: Pubkey::new_unique(),
        price_feed: Pubkey::new_unique(),
        ledger_next_hour: next,
        io_next_hour: next,
        max_hours: 24,
    }
}

// ---- planners ----

#[test]
fn crank_catches_up_50_hours_as_24_24_2() {
    let now = GENESIS + 50 * 3_600 + 17;
    let plan = plan_crank(Pubkey::new_unique(), &crank_state(0), now, 64);
    let calls: Vec<(String, u64)> = plan
        .actions
        .iter()
        .map(|a| (a.key.clone(), a.hours))
        .collect();
    assert_eq!(
        calls,
        [
            ("crank:0".to_string(), 24),
            ("crank:24".to_string(), 24),
            ("crank:48".to_string(), 2)
        ]
    );
    assert_eq!(plan.hours_behind, Some(50));
    // Each instruction carries its first hour and count (staking's CrankHour args).
    let data = &plan.actions[1].instructions[0].data;
    assert_eq!(u64::from_le_bytes(data[8..16].try_into().unwrap()), 24);
    assert_eq!(data[16], 24);
    // io-token's lower max hours per call is respected.
    let mut s = crank_state(0);
    s.max_hours = 10;
    let plan = plan_crank(Pubkey::new_unique(), &s, now, 64);
    assert_eq!(plan.actions.len(), 5);
    // ... and the per-pass cap.
    assert_eq!(
        plan_crank(Pubkey::new_unique(), &crank_state(0), now, 2)
            .actions
            .len(),
        2
    );
}

#[test]
fn crank_plans_nothing_before_the_hour_ends() {
    // Hour 5 ends at genesis + 6 h: one second before, hours 0..5 are cranked, nothing is due.
    let now = GENESIS + 6 * 3_600 - 1;
    let plan = plan_crank(Pubkey::new_unique(), &crank_state(5), now, 64);
    assert!(plan.actions.is_empty());
    assert_eq!(plan.hours_behind, Some(0));
    // At the boundary exactly, hour 5 is due.
    let plan = plan_crank(Pubkey::new_unique(), &crank_state(5), now + 1, 64);
    assert_eq!(plan.actions.len(), 1);
    assert_eq!(plan.actions[0].hours, 1);
    // io-token ahead (hours processed elsewhere): the crank starts at io-token's next hour.
    let mut s = crank_state(2);
    s.io_next_hour = 4;
    let plan = plan_crank(Pubkey::new_unique(), &s, GENESIS + 6 * 3_600, 64);
    assert_eq!(plan.actions[0].key, "crank:4");
    assert_eq!(plan.hours_behind, Some(2));
    // Not set up: a note, no action.
    let mut s = crank_state(0);
    s.history = Pubkey::default();
    let plan = plan_crank(Pubkey::new_unique(), &s, GENESIS + 99 * 3_600, 64);
    assert!(plan.actions.is_empty() && plan.note.is_some());
}

#[test]
fn a_landed_crank_is_not_planned_again() {
    // After the 24 + 24 + 2 calls land, the ledger's next hour is 50: the same clock plans
    // nothing, and a replayed old call is refused by the program as already processed.
    let now = GENESIS + 50 * 3_600;
    assert!(plan_crank(Pubkey::new_unique(), &crank_state(50), now, 64)
        .actions
        .is_empty());
    let replay = program_error(staking::ID, staking::StakingError::HourAlreadyProcessed);
    assert_eq!(classify(&replay), Class::AlreadyDone);
}

fn slash(status: SlashStatus, appeal_until: i64) -> SlashRecord {
    SlashRecord {
        version: 1,
        bump: 255,
        status,
        bps: 100,
        node: Pubkey::new_unique(),
        id: 0,
        stake_amount: 10,
        supplier_reward_amount: 0,
        staker_reward_amount: 0,
        slashed_at: appeal_until - 30 * 86_400,
        appeal_until,
        renter_compensation: 0,
        _reserved: [0; 24],
    }
}

#[test]
fn slashes_finalize_after_the_appeal_window_only() {
    let t = GENESIS + 40 * 86_400;
    let pending = (Pubkey::new_unique(), slash(SlashStatus::Pending, t));
    let burned = (Pubkey::new_unique(), slash(SlashStatus::Burned, t - 10));
    let slashes = [pending.clone(), burned];
    assert!(plan_finalize(&slashes, t - 1).is_empty());
    let due = plan_finalize(&slashes, t);
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].key, format!("finalize:{}", pending.0));
    assert_eq!(due[0].instructions[0].accounts[2].pubkey, pending.0);
}

#[test]
fn fee_burns_wait_for_the_minimum_and_once_a_day() {
    let payer = Pubkey::new_unique();
    let now = GENESIS;
    let s = |vault_amount, burned_today, last_burn| BurnState {
        vault_amount,
        burned_today,
        last_burn,
    };
    assert!(plan_burn(payer, &s(99, false, None), now, 100, 86_400).is_none());
    let action = plan_burn(payer, &s(100, false, None), now, 100, 86_400).unwrap();
    let day = ngpu_math::revenue::utc_day(now).unwrap();
    assert_eq!(action.key, format!("burn:{day}:100"));
    assert_eq!(
        action.instructions[0].accounts[4].pubkey,
        ngpu_sdk::pda::revenue::day_record(day)
    );
    // Burned today (the day record says so, even after a restart): not before tomorrow.
    assert!(plan_burn(payer, &s(500, true, None), now, 100, 86_400).is_none());
    // Daily: this keeper's own burn earlier the same UTC day counts too; one the day before
    // (even an hour before midnight) does not.
    let day_start = GENESIS - GENESIS.rem_euclid(86_400);
    assert!(plan_burn(payer, &s(500, false, Some(day_start)), now, 100, 86_400).is_none());
    assert!(plan_burn(payer, &s(500, false, Some(day_start - 1)), now, 100, 86_400).is_some());
    // An hourly interval ignores the day record but not the last burn.
    assert!(plan_burn(payer, &s(500, true, None), now, 100, 3_600).is_some());
    assert!(plan_burn(payer, &s(500, false, Some(now - 3_599)), now, 100, 3_600).is_none());
    assert!(plan_burn(payer, &s(500, false, Some(now - 3_600)), now, 100, 3_600).is_some());
}

// ---- the send pipeline ----

#[test]
fn a_due_action_lands_with_a_sized_and_priced_transaction() {
    let chain = FakeChain::default();
    chain.simulations.borrow_mut().push_back(Ok(Ok(100_000)));
    *chain.fees.borrow_mut() = vec![0, 10, 20, 30, 1_000_000];
    let mut k = keeper(chain, |c| c.max_priority_fee = 25);
    let outcome = {
        let a = crank_action(&k, 0, 24);
        k.act(&a, GENESIS)
    };
    assert!(matches!(outcome, Outcome::Landed { .. }), "{outcome:?}");
    let sent = k.chain().sent.borrow();
    assert_eq!(sent.len(), 1);
    let message = &sent[0].message;
    let budget = |i: usize| &message.instructions[i].data;
    // × 1.2 of the simulated units.
    assert_eq!(
        budget(0)[..],
        [&[2u8][..], &120_000u32.to_le_bytes()].concat()[..]
    );
    // Median of the recent fees (20), under the cap (25).
    assert_eq!(
        budget(1)[..],
        [&[3u8][..], &20u64.to_le_bytes()].concat()[..]
    );
    assert_eq!(k.metrics.landed_count("crank"), 1);
    assert!(k
        .metrics
        .render()
        .contains("ngpu_keeper_hours_cranked_total 24"));
}

#[test]
fn compute_limits_and_fees() {
    assert_eq!(compute_unit_limit(100_000, 120), 120_000);
    assert_eq!(compute_unit_limit(1, 120), 2);
    assert_eq!(compute_unit_limit(1_300_000, 120), 1_400_000);
    assert_eq!(priority_fee(vec![], 50, 100), 0);
    assert_eq!(priority_fee(vec![5, 1, 3], 50, 100), 3);
    assert_eq!(priority_fee(vec![5, 1, 3], 100, 100), 5);
    assert_eq!(priority_fee(vec![5, 1, 3], 0, 100), 1);
    assert_eq!(priority_fee(vec![500, 100, 300], 75, 250), 250);
}

#[test]
fn already_done_is_success_and_sends_nothing() {
    let chain = FakeChain::default();
    chain
        .simulations
        .borrow_mut()
        .push_back(Ok(Err(program_error(
            staking::ID,
            staking::StakingError::HourAlreadyProcessed,
        ))));
    let mut k = keeper(chain, |_| {});
    let outcome = {
        let a = crank_action(&k, 0, 24);
        k.act(&a, GENESIS)
    };
    assert_eq!(
        outcome,
        Outcome::AlreadyDone {
            error: "StakingError::HourAlreadyProcessed".into()
        }
    );
    assert!(outcome.is_success());
    assert!(k.chain().sent.borrow().is_empty());
}

#[test]
fn a_transaction_landing_twice_is_harmless() {
    // The first copy landed; the second (say, re-sent by an RPC node) failed with the program's
    // "already processed": the keeper counts the action done once, sends nothing more.
    let chain = FakeChain::default();
    chain
        .statuses
        .borrow_mut()
        .push_back(TxStatus::Failed(TransactionError::InstructionError(
            2,
            InstructionError::Custom(staking::StakingError::HourAlreadyProcessed.into()),
        )));
    let mut k = keeper(chain, |_| {});
    let outcome = {
        let a = crank_action(&k, 0, 24);
        k.act(&a, GENESIS)
    };
    assert_eq!(
        outcome,
        Outcome::AlreadyDone {
            error: "StakingError::HourAlreadyProcessed".into()
        }
    );
    assert_eq!(k.chain().sent.borrow().len(), 1);
    // And the cluster's own duplicate check.
    k.chain()
        .statuses
        .borrow_mut()
        .push_back(TxStatus::Failed(TransactionError::AlreadyProcessed));
    let outcome = {
        let a = crank_action(&k, 24, 24);
        k.act(&a, GENESIS)
    };
    assert!(outcome.is_success(), "{outcome:?}");
}

#[test]
fn a_never_succeeding_action_is_dropped_with_its_reason() {
    let chain = FakeChain::default();
    chain
        .simulations
        .borrow_mut()
        .push_back(Ok(Err(program_error(
            staking::ID,
            staking::StakingError::WrongPriceAccount,
        ))));
    let mut k = keeper(chain, |_| {});
    let action = crank_action(&k, 0, 24);
    let outcome = k.act(&action, GENESIS);
    assert_eq!(
        outcome,
        Outcome::Dropped {
            reason: "StakingError::WrongPriceAccount".into()
        }
    );
    k.record(&action, &outcome, GENESIS);
    assert!(k
        .log
        .captured()
        .contains("event=tx_dropped job=crank key=crank:0 reason=StakingError::WrongPriceAccount"));
    assert!(k
        .metrics
        .render()
        .contains("ngpu_keeper_transactions_dropped_total{job=\"crank\"} 1"));
    // Not tried again (not even simulated) while it rests.
    assert!(matches!(k.act(&action, GENESIS), Outcome::Skipped { .. }));
    assert_eq!(k.chain().simulated.get(), 1);
    assert!(k.chain().sent.borrow().is_empty());
}

#[test]
fn an_action_needing_another_signer_is_dropped_not_panicking() {
    let mut k = keeper(FakeChain::default(), |_| {});
    let mut action = crank_action(&k, 0, 24);
    action.instructions = vec![ngpu_sdk::ix::staking::crank_hour(
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        0,
        24,
    )];
    let outcome = k.act(&action, GENESIS);
    assert!(
        matches!(&outcome, Outcome::Dropped { reason } if reason.starts_with("Signing")),
        "{outcome:?}"
    );
    assert!(k.chain().sent.borrow().is_empty());
}

#[test]
fn transient_failures_are_retried_then_given_up() {
    let chain = FakeChain::default();
    chain.simulations.borrow_mut().extend([
        Err("connection refused".to_string()),
        Err("timeout".to_string()),
    ]);
    let mut k = keeper(chain, |_| {});
    let outcome = {
        let a = crank_action(&k, 0, 24);
        k.act(&a, GENESIS)
    };
    assert!(matches!(outcome, Outcome::Landed { .. }), "{outcome:?}");
    assert_eq!(k.chain().simulated.get(), 3);
    assert_eq!(k.log.captured().matches("event=retry").count(), 2);

    let chain = FakeChain::default();
    chain
        .simulations
        .borrow_mut()
        .extend((0..10).map(|_| Err("connection refused".to_string())));
    let mut k = keeper(chain, |c| c.max_attempts = 3);
    let outcome = {
        let a = crank_action(&k, 0, 24);
        k.act(&a, GENESIS)
    };
    assert!(
        matches!(&outcome, Outcome::Failed { reason } if reason.contains("connection refused")),
        "{outcome:?}"
    );
    assert_eq!(k.chain().simulated.get(), 3);
}

#[test]
fn an_expired_blockhash_is_re_signed() {
    let chain = FakeChain::default();
    // Never seen while the height passes the first blockhash's last valid height.
    chain.height_step.set(100);
    chain
        .statuses
        .borrow_mut()
        .extend([TxStatus::Pending, TxStatus::Pending, TxStatus::Pending]);
    let mut k = keeper(chain, |c| c.confirm_timeout = Duration::from_secs(5));
    let outcome = {
        let a = crank_action(&k, 0, 24);
        k.act(&a, GENESIS)
    };
    assert!(matches!(outcome, Outcome::Landed { .. }), "{outcome:?}");
    let sent = k.chain().sent.borrow();
    assert_eq!(sent.len(), 2);
    assert_ne!(
        sent[0].message.recent_blockhash,
        sent[1].message.recent_blockhash
    );
    assert!(k
        .metrics
        .render()
        .contains("ngpu_keeper_errors_total{job=\"crank\",error=\"blockhash_expired\"} 1"));
}

#[test]
fn an_unconfirmed_transaction_is_not_sent_twice() {
    let chain = FakeChain::default();
    chain
        .statuses
        .borrow_mut()
        .extend((0..1_000).map(|_| TxStatus::Pending));
    let mut k = keeper(chain, |_| {});
    let action = crank_action(&k, 0, 24);
    let first = k.act(&action, GENESIS);
    let Outcome::InFlight { signature } = first else {
        panic!("{first:?}")
    };
    // The next pass plans the same work: it waits on the signature in flight.
    assert_eq!(k.act(&action, GENESIS), Outcome::InFlight { signature });
    assert_eq!(k.chain().sent.borrow().len(), 1);
    // Once it lands, the follow-up counts it and forgets it.
    k.chain().statuses.borrow_mut().clear();
    let mut report = PassReport::default();
    k.follow_in_flight(GENESIS, &mut report);
    assert_eq!(
        report.outcomes,
        vec![("crank:0".to_string(), Outcome::Landed { signature })]
    );
    assert!(k.in_flight.is_empty());
    assert_eq!(k.metrics.landed_count("crank"), 1);
}

// ---- whole passes ----

fn account<T: AccountSerialize>(owner: Pubkey, value: &T) -> AccountData {
    let mut data = Vec::new();
    value.try_serialize(&mut data).unwrap();
    AccountData {
        owner,
        lamports: 1_000_000,
        data,
    }
}

#[test]
fn a_pass_finalizes_due_slashes_once() {
    let chain = FakeChain::default();
    let t = GENESIS + 40 * 86_400;
    chain.now.set(t);
    let due = Pubkey::new_unique();
    let later = Pubkey::new_unique();
    chain.accounts.borrow_mut().insert(
        due,
        account(staking::ID, &slash(SlashStatus::Pending, t - 5)),
    );
    chain.accounts.borrow_mut().insert(
        later,
        account(staking::ID, &slash(SlashStatus::Pending, t + 5)),
    );
    // Landing burns the slash: its status changes on the chain.
    *chain.on_land.borrow_mut() = Some(Box::new(move |_tx, accounts| {
        let a = accounts.get_mut(&due).unwrap();
        let mut s: SlashRecord = ngpu_sdk::decode_account(&a.data).unwrap();
        s.status = SlashStatus::Burned;
        *a = account(staking::ID, &s);
    }));
    let mut k = keeper(chain, |c| c.jobs = [Job::Finalize].into_iter().collect());
    let report = k.pass().unwrap();
    assert_eq!(report.outcomes.len(), 1);
    assert_eq!(report.outcomes[0].0, format!("finalize:{due}"));
    assert!(report.clean);
    // Second pass: nothing due, nothing sent.
    let report = k.pass().unwrap();
    assert!(report.outcomes.is_empty());
    assert_eq!(k.chain().sent.borrow().len(), 1);
    assert!(k.metrics.healthy(Duration::from_secs(5)));
    let text = k.metrics.render();
    assert!(text.contains("ngpu_keeper_jobs_run_total{job=\"finalize\"} 2"));
    assert!(text.contains("ngpu_keeper_transactions_sent_total{job=\"finalize\"} 1"));
}

#[test]
fn a_pass_burns_the_fee_vault_and_not_again_that_day() {
    let chain = FakeChain::default();
    chain.now.set(GENESIS);
    let vault = ngpu_sdk::pda::revenue::io_vault();
    let mut data = vec![0u8; 165];
    data[64..72].copy_from_slice(&5_000u64.to_le_bytes());
    chain.accounts.borrow_mut().insert(
        vault,
        AccountData {
            owner: anchor_spl::token::ID,
            lamports: 1,
            data,
        },
    );
    let mut k = keeper(chain, |c| {
        c.jobs = [Job::Burn].into_iter().collect();
        c.burn_min_amount = 1_000;
    });
    let report = k.pass().unwrap();
    assert!(matches!(report.outcomes[..], [(_, Outcome::Landed { .. })]));
    // The vault refilled an hour later: not before the next UTC day (this keeper's own last
    // burn; after a restart, the day record).
    k.chain().now.set(GENESIS + 3_600);
    assert!(k.pass().unwrap().outcomes.is_empty());
    k.chain().now.set(GENESIS + 86_400);
    assert_eq!(k.pass().unwrap().outcomes.len(), 1);
    assert_eq!(k.chain().sent.borrow().len(), 2);
}

fn schedule(total: u64, claimed: u64) -> vesting::VestingSchedule {
    vesting::VestingSchedule {
        version: 1,
        bump: 255,
        vault_bump: 255,
        cliff_months: 12,
        parts: 24,
        revocable: false,
        revoked: false,
        pool: Pubkey::new_unique(),
        beneficiary: Pubkey::new_unique(),
        vault: Pubkey::new_unique(),
        schedule_id: 3,
        start_ts: GENESIS,
        total,
        claimed,
        returned: 0,
        rent_payer: Pubkey::new_unique(),
        revoked_ts: 0,
        _reserved: [0; 24],
    }
}

#[test]
fn vesting_claims_only_what_unlocked() {
    let claim = VestingClaim {
        pool: 1,
        schedule: 3,
        destination: None,
    };
    // Inside the 12-month cliff: nothing to claim.
    assert!(plan_vesting_claim(&claim, &schedule(2_400, 0), GENESIS + 200 * 86_400).is_none());
    // Three years on: everything unlocked; the destination is the beneficiary's IO ATA.
    let s = schedule(2_400, 100);
    let action = plan_vesting_claim(&claim, &s, GENESIS + 3 * 366 * 86_400).expect("due");
    assert_eq!(action.key, "vesting:1:3:100");
    let ata = anchor_spl::associated_token::get_associated_token_address(
        &s.beneficiary,
        &vesting::IO_MINT,
    );
    assert!(action.instructions[0]
        .accounts
        .iter()
        .any(|a| a.pubkey == ata));
    // Everything claimed: nothing due.
    assert!(
        plan_vesting_claim(&claim, &schedule(2_400, 2_400), GENESIS + 3 * 366 * 86_400).is_none()
    );
    // An explicit destination wins.
    let d = Pubkey::new_unique();
    let claim = VestingClaim {
        destination: Some(d),
        ..claim
    };
    let action = plan_vesting_claim(&claim, &s, GENESIS + 3 * 366 * 86_400).unwrap();
    assert!(action.instructions[0]
        .accounts
        .iter()
        .any(|a| a.pubkey == d));
}

// ---- audit (outside review): poison items and health ----

/// Three due slashes, at most two actions a pass: the first two can never succeed (dropped);
/// the third must still be finalized at the next pass rather than starve behind them.
#[test]
fn audit_dropped_poison_items_do_not_starve_other_work() {
    use staking::StakingError as S;
    let chain = FakeChain::default();
    let t = GENESIS + 40 * 86_400;
    chain.now.set(t);
    for _ in 0..3 {
        chain.accounts.borrow_mut().insert(
            Pubkey::new_unique(),
            account(staking::ID, &slash(SlashStatus::Pending, t - 5)),
        );
    }
    // The first two simulations fail for good (a poison slash, e.g. a wrong account).
    for _ in 0..2 {
        chain
            .simulations
            .borrow_mut()
            .push_back(Ok(Err(program_error(staking::ID, S::Unauthorized))));
    }
    let mut k = keeper(chain, |c| {
        c.jobs = [Job::Finalize].into_iter().collect();
        c.max_actions = 2;
    });
    let report = k.pass().unwrap();
    let dropped = report
        .outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Dropped { .. }))
        .count();
    assert_eq!(dropped, 2, "{:?}", report.outcomes);
    assert!(k.chain().sent.borrow().is_empty());
    // Next pass (the dropped ones rest for an hour): the third slash is finalized.
    k.chain().now.set(t + 10);
    let report = k.pass().unwrap();
    assert_eq!(
        k.chain().sent.borrow().len(),
        1,
        "the healthy slash starves behind the dropped ones: {:?}",
        report.outcomes
    );
}

/// A keeper whose payer cannot pay the fee sends nothing: /healthz must not say "ok".
#[test]
fn audit_an_unfunded_keeper_is_not_healthy() {
    let chain = FakeChain::default();
    let t = GENESIS + 40 * 86_400;
    chain.now.set(t);
    chain.accounts.borrow_mut().insert(
        Pubkey::new_unique(),
        account(staking::ID, &slash(SlashStatus::Pending, t - 5)),
    );
    for _ in 0..10 {
        chain
            .simulations
            .borrow_mut()
            .push_back(Ok(Err(TxFailure::InsufficientFunds)));
    }
    // Another job with nothing to do (sweep, reservations not set up) is no progress either.
    let mut k = keeper(chain, |c| {
        c.jobs = [Job::Finalize, Job::Sweep].into_iter().collect()
    });
    let report = k.pass().unwrap();
    assert!(
        matches!(report.outcomes[0].1, Outcome::NotYet { .. }),
        "{:?}",
        report.outcomes
    );
    assert!(k.chain().sent.borrow().is_empty());
    assert!(
        !k.metrics.healthy(Duration::from_secs(5)),
        "an unfunded keeper reports healthy"
    );
}
