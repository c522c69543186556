//! `ngpu-keeper`: the long-running bot that keeps the NGPU programs moving. Each pass reads the
//! cluster's clock (the Clock sysvar, never the local clock), plans every enabled job over the
//! decoded chain state (`jobs`), and sends what is due: compute-unit limit from a simulation,
//! a capped priority fee from the recent fees of the written accounts, retries with backoff,
//! re-signing when a blockhash expires. "Already done" program errors count as success, and at
//! most one transaction per piece of work is in flight.
//!
//! Entry point: [`run`] with a [`Config`] (from [`Args::resolve`]) and a shutdown flag.

pub mod chain;
pub mod classify;
pub mod config;
pub mod http;
pub mod jobs;
pub mod log;
pub mod metrics;
pub mod retry;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ngpu_sdk::{Instruction, Pubkey};
use solana_keypair::Keypair;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;

pub use chain::{Chain, RpcChain};
pub use config::{Args, Config};
pub use jobs::Job;

use chain::{TxFailure, TxStatus};
use classify::{classify, failure_name, Class};
use jobs::{Action, PlanContext};
use log::Logger;
use metrics::Metrics;
use retry::XorShift;

/// The Compute Budget program.
pub const COMPUTE_BUDGET_PROGRAM: Pubkey =
    anchor_lang::prelude::pubkey!("ComputeBudget111111111111111111111111111111");
/// The most compute units a transaction may ask for.
pub const MAX_COMPUTE_UNITS: u64 = 1_400_000;

/// `SetComputeUnitLimit(units)`.
pub fn set_compute_unit_limit(units: u32) -> Instruction {
    let mut data = vec![2u8];
    data.extend_from_slice(&units.to_le_bytes());
    Instruction {
        program_id: COMPUTE_BUDGET_PROGRAM,
        accounts: vec![],
        data,
    }
}

/// `SetComputeUnitPrice(micro_lamports)`.
pub fn set_compute_unit_price(micro_lamports: u64) -> Instruction {
    let mut data = vec![3u8];
    data.extend_from_slice(&micro_lamports.to_le_bytes());
    Instruction {
        program_id: COMPUTE_BUDGET_PROGRAM,
        accounts: vec![],
        data,
    }
}

/// The compute-unit limit for `simulated` units with a `margin_percent` (120: × 1.2), capped.
pub fn compute_unit_limit(simulated: u64, margin_percent: u64) -> u32 {
    let units = simulated.saturating_mul(margin_percent).div_ceil(100);
    units.clamp(1, MAX_COMPUTE_UNITS) as u32
}

/// The `percentile` (0-100, nearest rank) of `fees`, capped at `cap`; 0 without fees.
pub fn priority_fee(mut fees: Vec<u64>, percentile: u8, cap: u64) -> u64 {
    if fees.is_empty() {
        return 0;
    }
    fees.sort_unstable();
    let rank = (fees.len() * usize::from(percentile.min(100))).div_ceil(100);
    fees[rank.saturating_sub(1).min(fees.len() - 1)].min(cap)
}

/// What became of one action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Sent and confirmed.
    Landed { signature: Signature },
    /// The program reports the work done already (a success; nothing more is sent).
    AlreadyDone { error: String },
    /// Not due on the cluster yet, or waiting on something outside the keeper.
    NotYet { error: String },
    /// Can never succeed as built: dropped (not retried for `drop_cooldown_secs`).
    Dropped { reason: String },
    /// Transient failures until the attempts ran out: the next pass tries again.
    Failed { reason: String },
    /// Sent, not confirmed within the timeout: followed at the next passes, never re-sent
    /// while its blockhash is valid.
    InFlight { signature: Signature },
    /// Not attempted (shutting down, in flight, dropped recently).
    Skipped { reason: String },
}

impl Outcome {
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Landed { .. } | Outcome::AlreadyDone { .. })
    }
}

/// A sent transaction not confirmed yet.
#[derive(Clone, Debug)]
struct InFlight {
    job: Job,
    signature: Signature,
    last_valid_block_height: u64,
    tx: Transaction,
    hours: u64,
}

/// One pass's results (for logs and tests).
#[derive(Clone, Debug, Default)]
pub struct PassReport {
    pub now: i64,
    pub outcomes: Vec<(String, Outcome)>,
    pub hours_behind: Option<u64>,
    /// Every planning read succeeded, no action failed transiently and the payer could pay.
    pub clean: bool,
}

/// The keeper over any `Chain`.
pub struct Keeper<C: Chain> {
    chain: C,
    payer: Keypair,
    config: Config,
    log: Arc<Logger>,
    metrics: Arc<Metrics>,
    shutdown: Arc<AtomicBool>,
    rng: XorShift,
    in_flight: HashMap<String, InFlight>,
    /// Keys dropped as never-succeeding, with the cluster time until which they rest.
    dropped: HashMap<String, i64>,
    last_burn: Option<i64>,
    notes: BTreeMap<Job, String>,
    /// Sleeps between retries and polls (tests shorten them).
    pub poll: Duration,
}

impl<C: Chain> Keeper<C> {
    pub fn new(
        chain: C,
        payer: Keypair,
        config: Config,
        log: Arc<Logger>,
        metrics: Arc<Metrics>,
        shutdown: Arc<AtomicBool>,
    ) -> Self {
        Keeper {
            chain,
            payer,
            config,
            log,
            metrics,
            shutdown,
            rng: XorShift::from_process(),
            in_flight: HashMap::new(),
            dropped: HashMap::new(),
            last_burn: None,
            notes: BTreeMap::new(),
            poll: Duration::from_millis(400),
        }
    }

    /// Replaces the jitter's generator (deterministic tests).
    pub fn with_rng(mut self, rng: XorShift) -> Self {
        self.rng = rng;
        self
    }

    /// The fee payer (also the cranker and burn payer).
    pub fn payer(&self) -> Pubkey {
        Pubkey::new_from_array(self.payer.pubkey().to_bytes())
    }

    pub fn chain(&self) -> &C {
        &self.chain
    }

    /// The chain back (a restart in tests: a new keeper over the same cluster).
    pub fn into_chain(self) -> C {
        self.chain
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    fn stopping(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Sleeps `d`, in small steps; false if shutdown was asked meanwhile.
    fn sleep(&self, d: Duration) -> bool {
        let until = Instant::now() + d;
        while Instant::now() < until {
            if self.stopping() {
                return false;
            }
            std::thread::sleep((until - Instant::now()).min(Duration::from_millis(100)));
        }
        !self.stopping()
    }

    /// Passes until shutdown (or one with `once`); false if the last pass could not read the
    /// cluster.
    pub fn run_loop(&mut self) -> bool {
        let mut ok = true;
        loop {
            if self.stopping() {
                break;
            }
            let started = Instant::now();
            ok = match self.pass() {
                Ok(_) => true,
                Err(e) => {
                    self.metrics.error("pass", "rpc");
                    self.log.error("pass_failed", &[("error", &e)]);
                    false
                }
            };
            if self.config.once {
                break;
            }
            let elapsed = started.elapsed();
            if elapsed < self.config.interval && !self.sleep(self.config.interval - elapsed) {
                break;
            }
        }
        ok
    }

    fn context(&self) -> PlanContext {
        PlanContext {
            payer: Pubkey::new_from_array(self.payer.pubkey().to_bytes()),
            settle_min_hours: self.config.settle_min_hours,
            burn_min_amount: self.config.burn_min_amount,
            burn_interval_secs: self.config.burn_interval_secs,
            last_burn: self.last_burn,
            vesting_claims: self.config.vesting_claims.clone(),
            max_actions: self.config.max_actions,
        }
    }

    /// One pass: the cluster's clock, then every enabled job in order.
    pub fn pass(&mut self) -> Result<PassReport, String> {
        let clock = self.chain.clock()?;
        let now = clock.unix_timestamp;
        self.metrics.tick(now);
        let mut report = PassReport {
            now,
            clean: true,
            ..PassReport::default()
        };
        self.follow_in_flight(now, &mut report);
        self.dropped.retain(|_, until| *until > now);
        let jobs: Vec<Job> = self.config.jobs.iter().copied().collect();
        for job in jobs {
            if self.stopping() {
                break;
            }
            self.metrics.job_run(job.name());
            // Independent work is capped after leaving out what rests as dropped: otherwise
            // `max_actions` never-succeeding items (a poison reservation, slash or node) would
            // fill every pass and starve the rest of the job until their cooldown ends.
            let mut context = self.context();
            if !job.sequential() {
                context.max_actions = usize::MAX;
            }
            let mut plan = match jobs::plan(&self.chain, job, &context, now) {
                Ok(plan) => plan,
                Err(e) => {
                    report.clean = false;
                    self.metrics.error(job.name(), "rpc");
                    self.log
                        .warn("plan_failed", &[("job", &job), ("error", &e)]);
                    continue;
                }
            };
            if !job.sequential() {
                plan.actions.retain(|a| !self.dropped.contains_key(&a.key));
                plan.actions.truncate(self.config.max_actions);
            }
            match plan.note {
                Some(note) if self.notes.get(&job) != Some(&note) => {
                    self.log
                        .info("job_idle", &[("job", &job), ("reason", &note)]);
                    self.notes.insert(job, note);
                }
                Some(_) => {}
                None => {
                    self.notes.remove(&job);
                }
            }
            let mut behind = plan.hours_behind;
            if let Some(h) = behind {
                self.metrics.hours_behind(h);
                report.hours_behind = Some(h);
            }
            let mut job_ok = true;
            for action in &plan.actions {
                if self.stopping() {
                    job_ok = false;
                    break;
                }
                let outcome = self.act(action, now);
                self.record(action, &outcome, now);
                if let (Outcome::Landed { .. }, Some(h)) = (&outcome, behind.as_mut()) {
                    *h = h.saturating_sub(action.hours);
                    self.metrics.hours_behind(*h);
                    report.hours_behind = Some(*h);
                }
                let ok = outcome.is_success();
                // A payer that cannot pay sends nothing at all: not healthy, whatever else
                // the pass read.
                let unfunded =
                    matches!(&outcome, Outcome::NotYet { error } if error == "InsufficientFunds");
                if matches!(outcome, Outcome::Failed { .. }) || unfunded {
                    report.clean = false;
                }
                report.outcomes.push((action.key.clone(), outcome));
                if !ok {
                    job_ok = false;
                    if job.sequential() {
                        break;
                    }
                }
            }
            if job_ok {
                self.metrics.success(job.name());
            }
        }
        if report.clean {
            self.metrics.progress();
        }
        Ok(report)
    }

    /// Checks the transactions left in flight by earlier passes: landed, failed, or expired
    /// (then forgotten: the planner sees the chain as it is and plans again).
    fn follow_in_flight(&mut self, now: i64, report: &mut PassReport) {
        let keys: Vec<String> = self.in_flight.keys().cloned().collect();
        for key in keys {
            let Some(f) = self.in_flight.get(&key).cloned() else {
                continue;
            };
            match self.chain.status(&f.signature) {
                Ok(TxStatus::Landed) => {
                    self.in_flight.remove(&key);
                    let outcome = Outcome::Landed {
                        signature: f.signature,
                    };
                    self.note_landed(f.job, &key, f.signature, f.hours, now);
                    report.outcomes.push((key, outcome));
                }
                Ok(TxStatus::Failed(e)) => {
                    self.in_flight.remove(&key);
                    let failure = TxFailure::from_error(e, &f.tx);
                    let outcome = self.settle_failure(f.job, &key, &failure, now);
                    report.outcomes.push((key, outcome));
                }
                Ok(TxStatus::Pending) => match self.chain.block_height() {
                    Ok(height) if height > f.last_valid_block_height => {
                        self.in_flight.remove(&key);
                        self.metrics.error(f.job.name(), "blockhash_expired");
                        self.log.info(
                            "tx_expired",
                            &[("job", &f.job), ("key", &key), ("signature", &f.signature)],
                        );
                    }
                    _ => {}
                },
                Err(e) => {
                    self.log.warn(
                        "status_failed",
                        &[("job", &f.job), ("key", &key), ("error", &e)],
                    );
                }
            }
        }
    }

    fn note_landed(&mut self, job: Job, key: &str, signature: Signature, hours: u64, now: i64) {
        self.metrics.landed(job.name());
        if job == Job::Crank {
            self.metrics.hours_cranked(hours);
        }
        if job == Job::Burn {
            self.last_burn = Some(now);
        }
        self.log.info(
            "tx_landed",
            &[("job", &job), ("key", &key), ("signature", &signature)],
        );
    }

    /// Maps a failure to an outcome and records it.
    fn settle_failure(&mut self, job: Job, key: &str, failure: &TxFailure, now: i64) -> Outcome {
        let name = failure_name(failure);
        match classify(failure) {
            Class::AlreadyDone => Outcome::AlreadyDone { error: name },
            Class::NotYet => Outcome::NotYet { error: name },
            Class::Never => {
                self.dropped.insert(
                    key.to_string(),
                    now.saturating_add(self.config.drop_cooldown_secs),
                );
                let _ = job;
                Outcome::Dropped { reason: name }
            }
            Class::Transient => Outcome::Failed { reason: name },
        }
    }

    /// Logs and counts an action's outcome.
    fn record(&mut self, action: &Action, outcome: &Outcome, _now: i64) {
        let job = action.job;
        let key = action.key.as_str();
        match outcome {
            Outcome::Landed { .. } => {}
            Outcome::AlreadyDone { error } => {
                self.metrics.already_done(job.name());
                self.metrics.error(job.name(), error);
                self.log.info(
                    "already_done",
                    &[("job", &job), ("key", &key), ("error", error)],
                );
            }
            Outcome::NotYet { error } => {
                self.metrics.error(job.name(), error);
                self.log
                    .info("not_yet", &[("job", &job), ("key", &key), ("error", error)]);
            }
            Outcome::Dropped { reason } => {
                self.metrics.dropped(job.name());
                self.metrics.error(job.name(), reason);
                self.log.error(
                    "tx_dropped",
                    &[
                        ("job", &job),
                        ("key", &key),
                        ("reason", reason),
                        ("retry_after_secs", &self.config.drop_cooldown_secs),
                    ],
                );
            }
            Outcome::Failed { reason } => {
                self.log.warn(
                    "action_failed",
                    &[("job", &job), ("key", &key), ("reason", reason)],
                );
            }
            Outcome::InFlight { signature } => {
                self.log.info(
                    "tx_in_flight",
                    &[("job", &job), ("key", &key), ("signature", signature)],
                );
            }
            Outcome::Skipped { reason } => {
                self.log.info(
                    "skipped",
                    &[("job", &job), ("key", &key), ("reason", reason)],
                );
            }
        }
    }

    /// Sends one action: simulate, size, price, sign, send, confirm; retries transient failures
    /// with backoff and re-signs when the blockhash expires.
    pub fn act(&mut self, action: &Action, now: i64) -> Outcome {
        let job = action.job;
        if let Some(f) = self.in_flight.get(&action.key) {
            return Outcome::InFlight {
                signature: f.signature,
            };
        }
        if self.dropped.contains_key(&action.key) {
            return Outcome::Skipped {
                reason: "dropped earlier".into(),
            };
        }
        let payer = self.payer.pubkey();
        let mut last_error = String::new();
        for attempt in 0..self.config.max_attempts {
            if attempt > 0 {
                let delay = self.config.backoff.delay(attempt - 1, &mut self.rng);
                self.log.info(
                    "retry",
                    &[
                        ("job", &job),
                        ("key", &action.key),
                        ("attempt", &(attempt + 1)),
                        ("delay_ms", &delay.as_millis()),
                        ("after", &last_error),
                    ],
                );
                if !self.sleep(delay.min(self.poll.saturating_mul(1_000))) {
                    return Outcome::Skipped {
                        reason: "shutdown".into(),
                    };
                }
            }
            if self.stopping() {
                return Outcome::Skipped {
                    reason: "shutdown".into(),
                };
            }
            // 1. Simulate at the maximum limit: the units it takes, or why it fails.
            let (blockhash, last_valid) = match self.chain.latest_blockhash() {
                Ok(b) => b,
                Err(e) => {
                    self.metrics.error(job.name(), "rpc");
                    last_error = e;
                    continue;
                }
            };
            let fee = match self.chain.recent_fees(&writable(&action.instructions)) {
                Ok(fees) => priority_fee(
                    fees,
                    self.config.priority_fee_percentile,
                    self.config.max_priority_fee,
                ),
                Err(_) => 0,
            };
            let build = |limit: u32| {
                let mut ixs = vec![set_compute_unit_limit(limit), set_compute_unit_price(fee)];
                ixs.extend(action.instructions.iter().cloned());
                let mut tx = Transaction::new_with_payer(&ixs, Some(&payer));
                tx.try_sign(&[&self.payer], blockhash).map(|()| tx)
            };
            let probe = match build(MAX_COMPUTE_UNITS as u32) {
                Ok(tx) => tx,
                Err(e) => {
                    // Another signer is needed: the keeper alone can never send it.
                    let failure = TxFailure::Other(format!("Signing({e})"));
                    return self.settle_failure(job, &action.key, &failure, now);
                }
            };
            let units = match self.chain.simulate(&probe) {
                Ok(Ok(units)) => units,
                Ok(Err(failure)) => match self.settle_failure(job, &action.key, &failure, now) {
                    Outcome::Failed { reason } => {
                        self.metrics.error(job.name(), &reason);
                        last_error = reason;
                        continue;
                    }
                    other => return other,
                },
                Err(e) => {
                    self.metrics.error(job.name(), "rpc");
                    last_error = e;
                    continue;
                }
            };
            // 2. Sign at the simulated units × margin, send, and follow it.
            let Ok(tx) = build(compute_unit_limit(units, self.config.cu_margin_percent)) else {
                continue;
            };
            let signature = tx.signatures[0];
            self.in_flight.insert(
                action.key.clone(),
                InFlight {
                    job,
                    signature,
                    last_valid_block_height: last_valid,
                    tx: tx.clone(),
                    hours: action.hours,
                },
            );
            self.metrics.sent(job.name());
            self.log.info(
                "tx_sent",
                &[
                    ("job", &job),
                    ("key", &action.key),
                    ("signature", &signature),
                    ("units", &units),
                    (
                        "cu_limit",
                        &compute_unit_limit(units, self.config.cu_margin_percent),
                    ),
                    ("cu_price", &fee),
                ],
            );
            if let Err(e) = self.chain.send(&tx) {
                // It may have reached the cluster anyway: follow the signature until its
                // blockhash expires rather than signing another.
                self.metrics.error(job.name(), "rpc");
                self.log.warn(
                    "send_failed",
                    &[("job", &job), ("key", &action.key), ("error", &e)],
                );
            }
            match self.confirm(&tx, signature, last_valid) {
                Confirm::Landed => {
                    self.in_flight.remove(&action.key);
                    self.note_landed(job, &action.key, signature, action.hours, now);
                    self.metrics.progress();
                    return Outcome::Landed { signature };
                }
                Confirm::Failed(failure) => {
                    self.in_flight.remove(&action.key);
                    match self.settle_failure(job, &action.key, &failure, now) {
                        Outcome::Failed { reason } => {
                            self.metrics.error(job.name(), &reason);
                            last_error = reason;
                        }
                        other => return other,
                    }
                }
                Confirm::Expired => {
                    self.in_flight.remove(&action.key);
                    self.metrics.error(job.name(), "blockhash_expired");
                    last_error = "blockhash expired before the transaction landed".into();
                }
                Confirm::TimedOut => return Outcome::InFlight { signature },
            }
        }
        Outcome::Failed {
            reason: format!("{} attempts: {last_error}", self.config.max_attempts),
        }
    }

    /// Waits for `signature` (even while shutting down: the in-flight transaction is finished).
    fn confirm(&self, tx: &Transaction, signature: Signature, last_valid: u64) -> Confirm {
        let until = Instant::now() + self.config.confirm_timeout;
        loop {
            match self.chain.status(&signature) {
                Ok(TxStatus::Landed) => return Confirm::Landed,
                Ok(TxStatus::Failed(e)) => return Confirm::Failed(TxFailure::from_error(e, tx)),
                Ok(TxStatus::Pending) => {
                    if let Ok(height) = self.chain.block_height() {
                        if height > last_valid {
                            // One last look: it may have landed in the last valid block.
                            return match self.chain.status(&signature) {
                                Ok(TxStatus::Landed) => Confirm::Landed,
                                Ok(TxStatus::Failed(e)) => {
                                    Confirm::Failed(TxFailure::from_error(e, tx))
                                }
                                _ => Confirm::Expired,
                            };
                        }
                    }
                }
                Err(_) => {}
            }
            if Instant::now() >= until {
                return Confirm::TimedOut;
            }
            std::thread::sleep(self.poll);
        }
    }
}

enum Confirm {
    Landed,
    Failed(TxFailure),
    Expired,
    TimedOut,
}

/// The writable accounts of `instructions` (for the recent-fee query).
fn writable(instructions: &[Instruction]) -> Vec<Pubkey> {
    let mut keys: Vec<Pubkey> = instructions
        .iter()
        .flat_map(|ix| ix.accounts.iter())
        .filter(|a| a.is_writable)
        .map(|a| a.pubkey)
        .collect();
    keys.sort();
    keys.dedup();
    // getRecentPrioritizationFees takes at most 128 addresses.
    keys.truncate(128);
    keys
}

/// Runs the keeper with `config` until `shutdown` is set (SIGINT / SIGTERM in the binary), or
/// after one pass with `config.once`. Serves `/metrics` and `/healthz` meanwhile.
pub fn run(config: Config, shutdown: Arc<AtomicBool>) -> Result<(), String> {
    let log = Arc::new(Logger::new(config.log_format));
    let payer = solana_keypair::read_keypair_file(&config.keypair_path)
        .map_err(|e| format!("keypair {}: {e}", config.keypair_path.display()))?;
    let metrics = Arc::new(Metrics::default());
    let http_stop = Arc::new(AtomicBool::new(false));
    let server = match config.metrics_addr {
        Some(addr) => {
            let window = config
                .interval
                .saturating_mul(2)
                .max(Duration::from_secs(2));
            let (bound, handle) = http::serve(addr, metrics.clone(), window, http_stop.clone())
                .map_err(|e| format!("metrics address {addr}: {e}"))?;
            log.info(
                "metrics_listening",
                &[
                    ("addr", &bound),
                    ("metrics", &format!("http://{bound}/metrics")),
                    ("healthz", &format!("http://{bound}/healthz")),
                ],
            );
            Some(handle)
        }
        None => None,
    };
    let jobs: Vec<&str> = config.jobs.iter().map(|j| j.name()).collect();
    log.info(
        "started",
        &[
            ("url", &config.url),
            ("payer", &payer.pubkey()),
            ("interval_secs", &config.interval.as_secs()),
            ("jobs", &jobs.join(",")),
            ("max_priority_fee", &config.max_priority_fee),
        ],
    );
    let chain = RpcChain::new(&config.url, config.commitment);
    let mut keeper = Keeper::new(chain, payer, config, log.clone(), metrics, shutdown.clone());
    let once = keeper.config.once;
    let last_pass_ok = keeper.run_loop();
    log.info(
        "stopped",
        &[(
            "reason",
            &if shutdown.load(Ordering::SeqCst) {
                "signal"
            } else {
                "once"
            },
        )],
    );
    http_stop.store(true, Ordering::SeqCst);
    if let Some(handle) = server {
        let _ = handle.join();
    }
    if once && !last_pass_ok {
        return Err("the pass could not read the cluster (see pass_failed)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
