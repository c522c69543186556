//! The job planners: pure functions from decoded chain state and the cluster's clock to the
//! instructions that are due, and `plan`, which reads that state through a `Chain`.

use anchor_lang::Discriminator;
use ngpu_sdk::{ix, pda, Instruction, Pubkey};
use reservations::{Currency, Reservation};
use staking::state::{Node, NodeState, SlashRecord, SlashStatus};

use crate::chain::{Chain, RpcError};

/// One kind of work.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Job {
    /// staking `crank_hour` for every ended hour, ≤ 24 a transaction.
    Crank,
    /// staking `activate_node` for nodes whose cooldown ended and whose schedule holds
    /// changes the crank has passed.
    Activate,
    /// reservations `settle` of delivered hours.
    Settle,
    /// reservations `sweep_fees` of fees kept in escrow while a fee vault was frozen.
    Sweep,
    /// revenue `burn_io_fees`.
    Burn,
    /// staking `finalize_slash` after the appeal window.
    Finalize,
    /// vesting `claim` of the configured schedules (off by default).
    Vesting,
}

impl Job {
    pub const ALL: [Job; 7] = [
        Job::Crank,
        Job::Activate,
        Job::Settle,
        Job::Sweep,
        Job::Burn,
        Job::Finalize,
        Job::Vesting,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::Crank => "crank",
            Job::Activate => "activate",
            Job::Settle => "settle",
            Job::Sweep => "sweep",
            Job::Burn => "burn",
            Job::Finalize => "finalize",
            Job::Vesting => "vesting",
        }
    }

    /// A job whose actions depend on each other (each crank starts where the last ended): its
    /// remaining actions wait for the next pass once one does not succeed.
    pub fn sequential(self) -> bool {
        self == Job::Crank
    }
}

impl std::fmt::Display for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One transaction's worth of work.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub job: Job,
    /// Identifies the work (not the transaction): at most one transaction per key is in flight.
    pub key: String,
    pub instructions: Vec<Instruction>,
    /// Hours a crank action covers (0 otherwise).
    pub hours: u64,
}

/// What a job found due.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobPlan {
    pub actions: Vec<Action>,
    /// Crank only: ended hours not cranked yet.
    pub hours_behind: Option<u64>,
    /// Why nothing can be planned (program not initialized, …), for the log.
    pub note: Option<String>,
}

/// What the crank planner needs: staking's config (pinned accounts, genesis), the ledger's next
/// hour and io-token's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrankState {
    pub genesis_ts: i64,
    pub history: Pubkey,
    pub price_feed: Pubkey,
    pub ledger_next_hour: u64,
    pub io_next_hour: u64,
    /// Hours per call: staking's `MAX_HOURS_PER_CRANK` and io-token's `max_hours_per_call`.
    pub max_hours: u8,
}

/// Every ended hour from the crank's next one, in calls of at most `max_hours` (50 hours
/// behind with 24 a call: 24 + 24 + 2). Returns the actions and the hours behind.
pub fn plan_crank(cranker: Pubkey, s: &CrankState, now: i64, max_actions: usize) -> JobPlan {
    if s.genesis_ts <= 0 || s.history == Pubkey::default() {
        return JobPlan {
            note: Some("staking is not set up for the crank (genesis or history)".into()),
            ..JobPlan::default()
        };
    }
    // The program's rule: hour h has ended once now >= genesis_ts + (h + 1) * 3600.
    let ended = ngpu_math::hours_ended(s.genesis_ts, now);
    let start = s.ledger_next_hour.max(s.io_next_hour);
    let behind = ended.saturating_sub(start);
    let per_call = u64::from(s.max_hours.clamp(1, staking::MAX_HOURS_PER_CRANK));
    let mut actions = Vec::new();
    let mut first = start;
    while first < ended && actions.len() < max_actions {
        let hours = (ended - first).min(per_call);
        actions.push(Action {
            job: Job::Crank,
            key: format!("crank:{first}"),
            instructions: vec![ix::staking::crank_hour(
                cranker,
                s.price_feed,
                s.history,
                first,
                hours as u8,
            )],
            hours,
        });
        first += hours;
    }
    JobPlan {
        actions,
        hours_behind: Some(behind),
        note: None,
    }
}

/// A node to activate: committed, past its reconnect cooldown, with a schedule change the
/// crank has reached (settling folds it in; until then the node's schedule keeps growing).
pub fn activation_due(node: &Node, ledger_next_hour: u64, now: i64) -> bool {
    node.state == NodeState::Committed
        && node.eligible_from <= now
        && node.schedule_len >= 2
        && node.schedule_hours[1] <= ledger_next_hour
}

pub fn plan_activate(nodes: &[(Pubkey, Node)], ledger_next_hour: u64, now: i64) -> Vec<Action> {
    nodes
        .iter()
        .filter(|(_, n)| activation_due(n, ledger_next_hour, now))
        .map(|(key, n)| Action {
            job: Job::Activate,
            key: format!("activate:{key}:{}", n.schedule_hours[1]),
            instructions: vec![ix::staking::activate_node(*key)],
            hours: 0,
        })
        .collect()
}

/// A reservation to settle: open, with at least `min_hours` delivered and unsettled, or
/// finished (its last hour delivered).
pub fn settlement_due(r: &Reservation, now: i64, min_hours: u32) -> bool {
    let delivered = ngpu_math::reservations::delivered_hours(r.start_ts, now, r.hours);
    r.refund_owed == 0
        && delivered > r.settled_hours
        && (delivered == r.hours || delivered - r.settled_hours >= min_hours.max(1))
}

pub fn plan_settle(
    reservations: &[(Pubkey, Reservation)],
    usdc_mint: &Pubkey,
    now: i64,
    min_hours: u32,
) -> Vec<Action> {
    reservations
        .iter()
        .filter(|(_, r)| settlement_due(r, now, min_hours))
        .map(|(key, r)| Action {
            job: Job::Settle,
            key: format!(
                "settle:{key}:{}",
                ngpu_math::reservations::delivered_hours(r.start_ts, now, r.hours)
            ),
            instructions: vec![ix::reservations::settle(*key, r, usdc_mint)],
            hours: 0,
        })
        .collect()
}

/// `sweep_fees` of each currency with fees kept in escrow.
pub fn plan_sweep(config: &reservations::Config) -> Vec<Action> {
    [
        (Currency::Usdc, config.usdc_totals.fees_owed),
        (Currency::Io, config.io_totals.fees_owed),
    ]
    .into_iter()
    .filter(|(_, owed)| *owed > 0)
    .map(|(currency, owed)| Action {
        job: Job::Sweep,
        key: format!(
            "sweep:{}:{owed}",
            ngpu_sdk::reservations::currency_name(currency)
        ),
        instructions: vec![ix::reservations::sweep_fees(currency, &config.usdc_mint)],
        hours: 0,
    })
    .collect()
}

/// The IO fee burn's inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BurnState {
    /// The IO fee vault's balance, base units.
    pub vault_amount: u64,
    /// Today's (UTC, cluster clock) burn record shows a fee burn already.
    pub burned_today: bool,
    /// The cluster time of this keeper's last landed burn.
    pub last_burn: Option<i64>,
}

/// Burns when the vault holds at least `min_amount`: with the default `interval_secs` of a day,
/// once per UTC day (the day's burn record shows a burn even after a restart); with another
/// interval, once that long after this keeper's last burn (and at most once a UTC day for
/// intervals over a day).
pub fn plan_burn(
    payer: Pubkey,
    s: &BurnState,
    now: i64,
    min_amount: u64,
    interval_secs: i64,
) -> Option<Action> {
    let day = ngpu_math::revenue::utc_day(now).ok()?;
    let timing = match interval_secs {
        86_400 => {
            !s.burned_today
                && !s
                    .last_burn
                    .is_some_and(|t| ngpu_math::revenue::utc_day(t) == Ok(day))
        }
        interval => {
            !(interval > 86_400 && s.burned_today)
                && s.last_burn
                    .is_none_or(|t| now.saturating_sub(t) >= interval)
        }
    };
    let due = s.vault_amount >= min_amount.max(1) && timing;
    due.then(|| Action {
        job: Job::Burn,
        key: format!("burn:{day}:{}", s.vault_amount),
        instructions: vec![ix::revenue::burn_io_fees(payer, day)],
        hours: 0,
    })
}

/// Slashes whose appeal window has ended, still pending.
pub fn plan_finalize(slashes: &[(Pubkey, SlashRecord)], now: i64) -> Vec<Action> {
    slashes
        .iter()
        .filter(|(_, s)| s.status == SlashStatus::Pending && now >= s.appeal_until)
        .map(|(key, s)| Action {
            job: Job::Finalize,
            key: format!("finalize:{key}"),
            instructions: vec![ix::staking::finalize_slash(s.node, *key)],
            hours: 0,
        })
        .collect()
}

/// A vesting schedule whose claims the keeper pushes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VestingClaim {
    pub pool: u8,
    pub schedule: u64,
    /// The beneficiary's IO account; default: its associated token account.
    #[serde(default, with = "opt_pubkey")]
    pub destination: Option<Pubkey>,
}

impl std::str::FromStr for VestingClaim {
    type Err = String;

    /// `POOL:SCHEDULE[:DESTINATION]`.
    fn from_str(s: &str) -> Result<Self, String> {
        let mut parts = s.split(':');
        let bad = || format!("`{s}`: expected POOL:SCHEDULE[:DESTINATION]");
        let pool = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let schedule = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let destination = match parts.next() {
            Some(d) => Some(d.parse().map_err(|_| bad())?),
            None => None,
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(VestingClaim {
            pool,
            schedule,
            destination,
        })
    }
}

mod opt_pubkey {
    use super::Pubkey;
    use serde::Deserialize;

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Pubkey>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| t.parse().map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// A claim of `schedule` when something unlocked since its last claim.
pub fn plan_vesting_claim(
    claim: &VestingClaim,
    schedule: &vesting::VestingSchedule,
    now: i64,
) -> Option<Action> {
    let claimable = schedule.claimable(now).ok()?;
    (claimable > 0).then(|| {
        let destination = claim.destination.unwrap_or_else(|| {
            anchor_spl::associated_token::get_associated_token_address(
                &schedule.beneficiary,
                &vesting::IO_MINT,
            )
        });
        Action {
            job: Job::Vesting,
            key: format!(
                "vesting:{}:{}:{}",
                claim.pool, claim.schedule, schedule.claimed
            ),
            instructions: vec![ix::vesting::claim(claim.pool, claim.schedule, destination)],
            hours: 0,
        }
    })
}

/// What the planners need besides the chain.
#[derive(Clone, Debug)]
pub struct PlanContext {
    pub payer: Pubkey,
    pub settle_min_hours: u32,
    pub burn_min_amount: u64,
    pub burn_interval_secs: i64,
    pub last_burn: Option<i64>,
    pub vesting_claims: Vec<VestingClaim>,
    pub max_actions: usize,
}

fn decode<T: anchor_lang::AccountDeserialize>(data: &[u8], what: &str) -> Result<T, RpcError> {
    ngpu_sdk::decode_account(data).map_err(|e| format!("{what}: {e}"))
}

/// Decoded accounts of `program` of type `T` (undecodable ones are skipped: another layout
/// version, a closed account being reused).
fn scan<T: anchor_lang::AccountDeserialize + Discriminator, C: Chain + ?Sized>(
    chain: &C,
    program: &Pubkey,
) -> Result<Vec<(Pubkey, T)>, RpcError> {
    Ok(chain
        .program_accounts(program, T::DISCRIMINATOR)?
        .into_iter()
        .filter(|(_, a)| a.owner == *program)
        .filter_map(|(key, a)| {
            ngpu_sdk::decode_account::<T>(&a.data)
                .ok()
                .map(|t| (key, t))
        })
        .collect())
}

fn not_set_up(what: &str) -> JobPlan {
    JobPlan {
        note: Some(format!("{what} not found (program not initialized?)")),
        ..JobPlan::default()
    }
}

/// Staking's ledger's next hour.
fn ledger_next_hour<C: Chain + ?Sized>(chain: &C) -> Result<Option<u64>, RpcError> {
    Ok(chain
        .account(&pda::staking::ledger())?
        .and_then(|a| staking::state::Ledger::from_bytes(a.data.as_slice()).map(|l| l.next_hour())))
}

/// Reads what `job` needs at cluster time `now` and plans it.
pub fn plan<C: Chain + ?Sized>(
    chain: &C,
    job: Job,
    ctx: &PlanContext,
    now: i64,
) -> Result<JobPlan, RpcError> {
    let limit = |mut actions: Vec<Action>| {
        actions.truncate(ctx.max_actions);
        JobPlan {
            actions,
            ..JobPlan::default()
        }
    };
    match job {
        Job::Crank => {
            let Some(config) = chain.account(&pda::staking::config())? else {
                return Ok(not_set_up("staking config"));
            };
            let config: staking::Config = decode(&config.data, "staking config")?;
            let Some(next) = ledger_next_hour(chain)? else {
                return Ok(not_set_up("staking ledger"));
            };
            let Some(io) = chain.account(&pda::io_token::config())? else {
                return Ok(not_set_up("io-token config"));
            };
            let io: io_token::Config = decode(&io.data, "io-token config")?;
            let state = CrankState {
                genesis_ts: config.genesis_ts,
                history: config.history,
                price_feed: config.price_feed,
                ledger_next_hour: next,
                io_next_hour: io.next_hour,
                max_hours: io.max_hours_per_call.min(staking::MAX_HOURS_PER_CRANK),
            };
            Ok(plan_crank(ctx.payer, &state, now, ctx.max_actions))
        }
        Job::Activate => {
            let Some(next) = ledger_next_hour(chain)? else {
                return Ok(not_set_up("staking ledger"));
            };
            let nodes = scan::<Node, C>(chain, &staking::ID)?;
            Ok(limit(plan_activate(&nodes, next, now)))
        }
        Job::Settle => {
            let Some(config) = chain.account(&pda::reservations::config())? else {
                return Ok(not_set_up("reservations config"));
            };
            let config: reservations::Config = decode(&config.data, "reservations config")?;
            let open = scan::<Reservation, C>(chain, &reservations::ID)?;
            Ok(limit(plan_settle(
                &open,
                &config.usdc_mint,
                now,
                ctx.settle_min_hours,
            )))
        }
        Job::Sweep => {
            let Some(config) = chain.account(&pda::reservations::config())? else {
                return Ok(not_set_up("reservations config"));
            };
            let config: reservations::Config = decode(&config.data, "reservations config")?;
            Ok(limit(plan_sweep(&config)))
        }
        Job::Burn => {
            let Some(vault) = chain.account(&pda::revenue::io_vault())? else {
                return Ok(not_set_up("revenue IO fee vault"));
            };
            let vault_amount = vault
                .data
                .get(64..72)
                .and_then(|b| b.try_into().ok())
                .map(u64::from_le_bytes)
                .ok_or("the IO fee vault is not a token account")?;
            let day = ngpu_math::revenue::utc_day(now).map_err(|e| e.to_string())?;
            let burned_today = match chain.account(&pda::revenue::day_record(day))? {
                Some(a) => ngpu_sdk::decode_account::<revenue::DayRecord>(&a.data)
                    .map(|r| r.totals.fee_burns > 0)
                    .unwrap_or(false),
                None => false,
            };
            let state = BurnState {
                vault_amount,
                burned_today,
                last_burn: ctx.last_burn,
            };
            Ok(limit(
                plan_burn(
                    ctx.payer,
                    &state,
                    now,
                    ctx.burn_min_amount,
                    ctx.burn_interval_secs,
                )
                .into_iter()
                .collect(),
            ))
        }
        Job::Finalize => {
            let slashes = scan::<SlashRecord, C>(chain, &staking::ID)?;
            Ok(limit(plan_finalize(&slashes, now)))
        }
        Job::Vesting => {
            let mut actions = Vec::new();
            for claim in &ctx.vesting_claims {
                let address =
                    pda::vesting::schedule(&pda::vesting::pool(claim.pool), claim.schedule);
                let Some(account) = chain.account(&address)? else {
                    continue;
                };
                let schedule: vesting::VestingSchedule = decode(&account.data, "vesting schedule")?;
                actions.extend(plan_vesting_claim(claim, &schedule, now));
            }
            Ok(limit(actions))
        }
    }
}
