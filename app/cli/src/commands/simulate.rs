//! `ngpu simulate`: runs the economy on an in-process chain and prints a report.
//!
//! Today: initialize, genesis from a preset, then hourly emission cranks for `--hours` hours.
//! Each crank mints `--mint-bps` of every hour's budget (the staking program will decide this
//! from node targets later); the rest is forfeited for good.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use io_token::constants::{GENESIS_ALLOCATIONS, MAX_HOURS_PER_CALL, MAX_SUPPLY, SECONDS_PER_HOUR};
use io_token::{Config, EmissionMinted};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::{Engine, Localnet};
use ngpu_math::units::format_io;
use ngpu_math::{cumulative, hour_budget, mul_div_floor};
use ngpu_sdk::genesis::{GenesisFile, GenesisPlan};
use ngpu_sdk::params::Params;
use ngpu_sdk::{ix, pda, Pubkey};
use serde::Serialize;

use crate::commands::simulate_progress::Progress;
use crate::commands::simulate_reservations::{ReservationsReport, ReservationsSim};
use crate::commands::simulate_revenue::RevenueSim;
use crate::commands::simulate_scenario::Scenario;
use crate::commands::simulate_staking::StakingSim;
use crate::Output;

/// Renters when there are nodes and fees and `--renters` is not given.
const DEFAULT_RENTERS: u64 = 10;

/// 2025-06-11 00:00:00 UTC, io.net's token generation day: genesis time of the simulation.
pub const SIMULATION_GENESIS_TS: i64 = 1_749_600_000;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Preset {
    /// The source document's table (migrations/genesis/default.json).
    Default,
    /// io.net's shares of the 800M cap (migrations/genesis/cap-shares.json).
    CapShares,
}

/// The in-process chain `ngpu simulate` runs on.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum SimEngine {
    /// LiteSVM, signatures not computed (each required signer's keypair is still checked).
    #[default]
    Svm,
    /// LiteSVM with every signature made and verified (ed25519).
    SvmSigned,
    /// solana-program-test's BanksClient (what the integration tests run on; slowest).
    ProgramTest,
}

impl SimEngine {
    fn engine(self) -> Engine {
        match self {
            Self::Svm => Engine::LiteSvm {
                verify_signatures: false,
            },
            Self::SvmSigned => Engine::LiteSvm {
                verify_signatures: true,
            },
            Self::ProgramTest => Engine::ProgramTest,
        }
    }
}

#[derive(Args)]
pub struct SimulateArgs {
    /// Hours of emission to crank.
    #[arg(long, default_value_t = 72)]
    hours: u64,
    /// Genesis preset shipped in migrations/genesis.
    #[arg(long, value_enum, default_value_t = Preset::Default)]
    preset: Preset,
    /// A genesis file instead of a preset.
    #[arg(long, conflicts_with = "preset")]
    genesis: Option<PathBuf>,
    /// A deploy parameters file (staking parameters, device classes) instead of the shipped
    /// migrations/params.toml.
    #[arg(long)]
    params: Option<PathBuf>,
    /// A scenario file: the mix of device classes, the suppliers' stakes, pauses and uptime
    /// (e.g. migrations/scenarios/network.toml). Default: classes in turn, 100 to 500 IO.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// GPU nodes registered and staked; the staking program then runs the crank and decides
    /// what each hour pays. With 0, a keeper key mints `--mint-bps` of each budget instead.
    #[arg(long, default_value_t = 100)]
    nodes: u64,
    /// Without nodes: share of each hour's budget that is minted, in basis points.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u16).range(0..=10_000))]
    mint_bps: u16,
    /// Hours per crank call (at most 24).
    #[arg(long, default_value_t = MAX_HOURS_PER_CALL, value_parser = clap::value_parser!(u8).range(1..=24))]
    batch: u8,
    /// Network fees in IO arriving in the revenue program's IO fee vault each hour (whole IO;
    /// a stand-in depositor until reservations exist); a keeper burns them every crank call.
    #[arg(long, default_value_t = 10)]
    fee_io_per_hour: u64,
    /// Network fees in USDC arriving in the USDC fee vault each hour (whole USDC); a market
    /// maker sells IO to the buyback for them at the oracle price. With both fees 0 the revenue
    /// program is left out.
    #[arg(long, default_value_t = 25)]
    fee_usdc_per_hour: u64,
    /// Renters: this many steady nodes are listed at $2.50 an hour and reserved for the whole
    /// period (even renters in USDC, odd ones in IO); the first ends early, the second node is
    /// reported failed; the rest are settled after each crank call. Needs nodes and fees
    /// (0: no reservations). Default: 10 when there are nodes and fees, else 0.
    #[arg(long)]
    renters: Option<u64>,
    /// Also write the 20-year emission and supply curves to this SVG file.
    #[arg(long)]
    plot: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    /// Show the programs' own log lines (natively they print on stdout).
    #[arg(long)]
    verbose: bool,
    /// The in-process chain to run on.
    #[arg(long, value_enum, default_value_t)]
    engine: SimEngine,
    /// No progress bar (there is none under `--output json` either).
    #[arg(long)]
    quiet: bool,
    /// Print how long each phase took (setup, cranks, claims, report) on stderr.
    #[arg(long)]
    timings: bool,
}

#[derive(Serialize, Debug)]
pub struct AllocationLine {
    pub name: String,
    pub account: String,
    pub balance: u64,
    pub balance_io: String,
}

/// One vesting pool at the end of the simulation, in base units.
#[derive(Serialize, Debug)]
pub struct VestingLine {
    pub name: String,
    pub pool_id: u8,
    pub total: u64,
    pub granted: u64,
    pub schedules: u64,
    /// Unlocked by the end of the simulated period, over all its schedules.
    pub unlocked: u64,
    pub claimed: u64,
    pub first_unlock: String,
}

#[derive(Serialize, Debug)]
pub struct SimulationReport {
    pub hours: u64,
    pub genesis_preset: String,
    pub genesis_ts: i64,
    pub end_ts: i64,
    pub crank_calls: u64,
    pub mint_bps: u16,
    pub allocations: Vec<AllocationLine>,
    pub vesting: Vec<VestingLine>,
    pub staking: Option<crate::commands::simulate_staking::StakingReport>,
    pub revenue: Option<crate::commands::simulate_revenue::RevenueReport>,
    pub reservations: Option<ReservationsReport>,
    pub supply: u64,
    pub genesis_minted: u64,
    pub emitted: u64,
    pub forfeited: u64,
    pub remaining_to_cap: u64,
    pub schedule_target: u64,
    /// SPL Token CU of the crank calls, as program-test meters them (our native code excluded).
    pub crank_token_cu_max: u64,
    pub crank_tx_bytes_max: usize,
    /// One point per crank call, for `--plot`.
    #[serde(skip)]
    pub points: Vec<crate::plot::SimPoint>,
}

/// Refuses a `--plot` path whose folder does not exist, before the long run.
pub fn check_plot_path(path: &std::path::Path) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    if !dir.is_dir() {
        return Err(format!(
            "--plot {}: folder {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    if path.is_dir() {
        return Err(format!("--plot {}: is a folder", path.display()));
    }
    Ok(())
}

pub fn run(args: SimulateArgs) -> Result<(), String> {
    if let Some(path) = &args.plot {
        check_plot_path(path)?;
    }
    let (plan, preset_name) = load_plan(&args)?;
    // Refuse an unwritable plot path before a long run, not after it.
    if let Some(path) = &args.plot {
        crate::plot::check_writable(path)?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let bar = !args.quiet && matches!(args.output, Output::Text);
    let mut progress = Progress::new(progress_steps(&args), bar);
    let report = {
        let _quiet = (!args.verbose).then(crate::quiet::QuietStdout::new);
        runtime.block_on(simulate(&args, plan, preset_name, &mut progress))
    };
    progress.finish();
    if args.timings {
        for (phase, seconds) in &progress.phases {
            eprintln!("  {phase:<28} {seconds:>9.3} s");
        }
    }
    let report = report?;
    if let Some(path) = &args.plot {
        crate::plot::write_simulation_svg(path, &report.points)?;
    }
    match args.output {
        Output::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        ),
        Output::Text => print_report(&report, args.plot.as_ref()),
    }
    Ok(())
}

/// Steps of the progress bar: each node registered, each hour cranked, each node claimed.
fn progress_steps(args: &SimulateArgs) -> u64 {
    args.nodes.saturating_mul(2).saturating_add(args.hours)
}

fn load_plan(args: &SimulateArgs) -> Result<(GenesisPlan, String), String> {
    let (json, name) = match (&args.genesis, args.preset) {
        (Some(path), _) => (
            std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
            path.display().to_string(),
        ),
        (None, Preset::Default) => (
            include_str!("../../../../migrations/genesis/default.json").to_string(),
            "migrations/genesis/default.json".to_string(),
        ),
        (None, Preset::CapShares) => (
            include_str!("../../../../migrations/genesis/cap-shares.json").to_string(),
            "migrations/genesis/cap-shares.json".to_string(),
        ),
    };
    let plan = GenesisFile::parse(&json)?;
    Ok((plan, name))
}

async fn simulate(
    args: &SimulateArgs,
    plan: GenesisPlan,
    preset_name: String,
    progress: &mut Progress,
) -> Result<SimulationReport, String> {
    progress.phase("deploy, genesis, vesting grants");
    let mut chain = Localnet::start_with(args.engine.engine()).await;
    chain.set_time(SIMULATION_GENESIS_TS).await;
    let authority = chain.deployer.insecure_clone();
    let io_mint = pda::io_token::io_mint();

    ok(
        "initialize io-token and vesting",
        chain
            .send(
                &[
                    ix::io_token::initialize(authority.pubkey()),
                    ix::vesting::initialize(authority.pubkey()),
                ],
                &[&authority],
            )
            .await,
    )?;

    // Community: a plain account of the authority. The other four allocations: vesting pools,
    // whose vaults genesis mints into.
    let mut allocation_accounts = [Default::default(); GENESIS_ALLOCATIONS];
    allocation_accounts[0] = chain
        .create_token_account(&io_mint, &authority.pubkey())
        .await;
    for (i, (pool_id, rule)) in ix::vesting::POOLS.iter().enumerate() {
        ok(
            "create vesting pool",
            chain
                .send(
                    &[ix::vesting::create_pool(
                        authority.pubkey(),
                        *pool_id,
                        *rule,
                    )],
                    &[&authority],
                )
                .await,
        )?;
        allocation_accounts[i + 1] = pda::vesting::vault(&pda::vesting::pool(*pool_id));
    }
    ok(
        "genesis",
        chain
            .send(
                &[ix::io_token::genesis(
                    authority.pubkey(),
                    allocation_accounts,
                    plan.amounts,
                )],
                &[&authority],
            )
            .await,
    )?;

    let grants = open_pools_and_grant(&mut chain, &authority).await?;
    let genesis_ts = config(&mut chain).await?.genesis_ts;

    // With nodes, the staking program is the emission controller; without, a keeper key
    // mints a fixed share of each budget into a plain vault.
    let keeper = Keypair::new();
    let vault_owner = Keypair::new();
    let mut staking_sim = None;
    let params = match &args.params {
        Some(path) => Params::load(path)?,
        None => Params::load_default(),
    };
    let scenario = match &args.scenario {
        Some(path) => Scenario::load(path, &params)?,
        None => Scenario::builtin(),
    };
    let mut revenue_sim = None;
    if args.fee_io_per_hour > 0 || args.fee_usdc_per_hour > 0 {
        let sim = RevenueSim::set_up(
            &mut chain,
            &params,
            &authority,
            allocation_accounts[0],
            args.fee_io_per_hour.saturating_mul(100_000_000),
            args.fee_usdc_per_hour.saturating_mul(1_000_000),
        )
        .await?;
        revenue_sim = Some(sim);
    }
    let emission_vault = if args.nodes > 0 {
        progress.phase("register and stake nodes");
        let sim = StakingSim::set_up(
            &mut chain,
            &params,
            &authority,
            allocation_accounts[0],
            args.nodes,
            &scenario,
            progress,
        )
        .await?;
        staking_sim = Some(sim);
        pda::staking::reward_vault()
    } else {
        let vault = chain
            .create_token_account(&io_mint, &vault_owner.pubkey())
            .await;
        ok(
            "set the keeper as emission controller",
            chain
                .send(
                    &[ix::io_token::set_emission_controller(
                        authority.pubkey(),
                        keeper.pubkey(),
                        vault,
                    )],
                    &[&authority],
                )
                .await,
        )?;
        vault
    };
    let mut reservations_sim = None;
    // Renters need nodes to rent and the revenue program for their fees.
    let default_renters = if staking_sim.is_some() && revenue_sim.is_some() {
        DEFAULT_RENTERS
    } else {
        0
    };
    let renters = args.renters.unwrap_or(default_renters);
    if renters > 0 {
        progress.phase("list and reserve nodes");
        let (Some(staking), Some(revenue)) = (staking_sim.as_ref(), revenue_sim.as_ref()) else {
            return Err("--renters needs nodes (--nodes) and the revenue program (fees)".into());
        };
        let sim = ReservationsSim::set_up(
            &mut chain,
            &params,
            &authority,
            allocation_accounts[0],
            revenue,
            staking.steady_nodes(),
            renters,
            args.hours,
        )
        .await?;
        reservations_sim = Some(sim);
    }
    progress.phase("cranks (and what follows each)");
    let genesis_minted = config(&mut chain).await?.genesis_minted;
    let mut points = Vec::new();
    let mut hour = 0u64;
    let mut calls = 0u64;
    let mut cu_max = 0u64;
    let mut bytes_max = 0usize;
    while hour < args.hours {
        let n = (args.hours - hour).min(u64::from(args.batch));
        let end = hour + n;
        if let Some(sim) = reservations_sim.as_mut() {
            sim.end_due(&mut chain, end, genesis_ts).await?;
        }
        chain
            .set_time(
                genesis_ts + i64::try_from(end).map_err(|e| e.to_string())? * SECONDS_PER_HOUR,
            )
            .await;
        let outcome = if let Some(sim) = staking_sim.as_mut() {
            sim.crank(
                &mut chain,
                hour,
                u8::try_from(n).map_err(|e| e.to_string())?,
            )
            .await?
        } else {
            let amounts = (hour..end)
                .map(|h| mul_div_floor(hour_budget(h), u64::from(args.mint_bps), 10_000))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            chain
                .send(
                    &[ix::io_token::mint_emission(
                        keeper.pubkey(),
                        emission_vault,
                        hour,
                        amounts,
                    )],
                    &[&keeper],
                )
                .await
        };
        ok(format!("crank of hours {hour}..{end}"), &outcome)?;
        let event: EmissionMinted = outcome.event();
        cu_max = cu_max.max(outcome.compute_units);
        bytes_max = bytes_max.max(outcome.size);
        if event.totals.next_hour != end {
            return Err(format!(
                "crank ended at hour {} instead of {end}",
                event.totals.next_hour
            ));
        }
        if let (Some(sim), Some(revenue)) = (reservations_sim.as_mut(), revenue_sim.as_mut()) {
            sim.step(&mut chain, end, revenue).await?;
        }
        if let Some(sim) = revenue_sim.as_mut() {
            sim.step(&mut chain, end, n).await?;
        }
        let supply = chain.mint_state(io_mint).await.supply;
        let ever_burned = (genesis_minted + event.totals.emission_minted).saturating_sub(supply);
        let burned_before: u64 = points
            .iter()
            .map(|p: &crate::plot::SimPoint| p.burned)
            .sum();
        points.push(crate::plot::SimPoint {
            first: hour,
            end,
            budget: event.minted + event.forfeited,
            paid: event.minted,
            forfeited: event.forfeited,
            burned: ever_burned.saturating_sub(burned_before),
            supply,
        });
        progress.inc(n);
        hour = end;
        calls += 1;
    }
    progress.phase("claims (vesting, rewards)");

    // The keeper pushes every schedule's unlocked tokens at the end of the period.
    let mut beneficiary_held = 0u64;
    for grant in &grants {
        ok(
            "vesting claim",
            chain
                .send(
                    &[ix::vesting::claim(
                        grant.pool_id,
                        grant.schedule_id,
                        grant.account,
                    )],
                    &[],
                )
                .await,
        )?;
        beneficiary_held += chain.token_balance(grant.account).await;
    }
    let vesting = vesting_report(&mut chain, &plan, &grants).await?;
    let staking = match staking_sim.as_mut() {
        Some(sim) => Some(sim.finish(&mut chain, args.hours, progress).await?),
        None => None,
    };
    progress.phase("report and ledger checks");
    let revenue = match revenue_sim.as_ref() {
        Some(sim) => Some(sim.finish(&mut chain).await?),
        None => None,
    };
    let reservations = match reservations_sim.as_ref() {
        Some(sim) => Some(sim.finish(&mut chain).await?),
        None => None,
    };

    let config = config(&mut chain).await?;
    let supply = chain.mint_state(io_mint).await.supply;
    let mut allocations = Vec::new();
    for (i, (name, account)) in plan.labels.iter().zip(allocation_accounts).enumerate() {
        let balance = chain.token_balance(account).await;
        allocations.push(AllocationLine {
            name: if i == 0 {
                name.clone()
            } else {
                format!("{name}: pool vault")
            },
            account: account.to_string(),
            balance,
            balance_io: format_io(balance),
        });
    }
    let vault_balance = chain.token_balance(emission_vault).await;
    let mut vested_held = beneficiary_held;
    for grant in &grants {
        vested_held += chain
            .token_balance(pda::vesting::vault(&grant.schedule))
            .await;
    }
    allocations.push(AllocationLine {
        name: "Schedules + beneficiaries".into(),
        account: "-".into(),
        balance: vested_held,
        balance_io: format_io(vested_held),
    });
    allocations.push(AllocationLine {
        name: if staking.is_some() {
            "Reward vault (unclaimed)"
        } else {
            "Emission vault"
        }
        .into(),
        account: emission_vault.to_string(),
        balance: vault_balance,
        balance_io: format_io(vault_balance),
    });
    if let Some(s) = &staking {
        for (name, balance) in [
            ("Node stake vaults", s.node_vaults),
            ("Supplier wallets", s.supplier_wallets),
            ("Appeal escrow (slashed)", s.escrow_held),
        ] {
            allocations.push(AllocationLine {
                name: name.into(),
                account: "-".into(),
                balance,
                balance_io: format_io(balance),
            });
        }
    }

    if let Some(sim) = revenue_sim.as_ref() {
        for (name, account) in sim.io_accounts() {
            let balance = chain.token_balance(account).await;
            allocations.push(AllocationLine {
                name: name.into(),
                account: account.to_string(),
                balance,
                balance_io: format_io(balance),
            });
        }
    }

    if let Some(sim) = reservations_sim.as_ref() {
        for (name, account) in sim.io_accounts() {
            let balance = chain.token_balance(account).await;
            allocations.push(AllocationLine {
                name,
                account: account.to_string(),
                balance,
                balance_io: format_io(balance),
            });
        }
    }

    // The report is only worth printing if the chain agrees with the pure schedule and every
    // token is where the ledgers say: allocations, schedule vaults, beneficiaries.
    let held: u64 = allocations.iter().map(|a| a.balance).sum();
    let target = cumulative(args.hours);
    let burned = staking
        .as_ref()
        .map_or(0, |s| s.stake_burned + s.rewards_burned)
        + revenue
            .as_ref()
            .map_or(0, |r| r.io_burned_fees + r.io_burned_buyback);
    if held != supply
        || supply + burned != config.genesis_minted + config.emission_minted
        || config.emission_minted + config.emission_forfeited != target
    {
        return Err(format!(
            "ledger mismatch: held {held}, supply {supply}, config {config:?}, target {target}"
        ));
    }
    Ok(SimulationReport {
        hours: args.hours,
        genesis_preset: format!("{} ({preset_name})", plan.name),
        genesis_ts,
        end_ts: genesis_ts + i64::try_from(args.hours).unwrap_or(i64::MAX / 2) * SECONDS_PER_HOUR,
        crank_calls: calls,
        mint_bps: args.mint_bps,
        allocations,
        vesting,
        staking,
        revenue,
        reservations,
        supply,
        genesis_minted: config.genesis_minted,
        emitted: config.emission_minted,
        forfeited: config.emission_forfeited,
        remaining_to_cap: MAX_SUPPLY
            - config.genesis_minted
            - config.emission_minted
            - config.emission_forfeited,
        schedule_target: target,
        crank_token_cu_max: cu_max,
        crank_tx_bytes_max: bytes_max,
        points,
    })
}

/// An example grant of the simulation.
struct Grant {
    pool_id: u8,
    schedule_id: u64,
    schedule: Pubkey,
    /// The beneficiary's IO account.
    account: Pubkey,
}

/// Opens the four pools and grants 50%, 30% and 20% of each to three beneficiaries
/// (contributor grants revocable, as their pools allow).
async fn open_pools_and_grant(
    chain: &mut Localnet,
    authority: &Keypair,
) -> Result<Vec<Grant>, String> {
    let mut grants = Vec::new();
    for (pool_id, rule) in ix::vesting::POOLS {
        ok(
            "open vesting pool",
            chain
                .send(
                    &[ix::vesting::open_pool(authority.pubkey(), pool_id)],
                    &[authority],
                )
                .await,
        )?;
        let pool_key = pda::vesting::pool(pool_id);
        let pool: vesting::Pool = chain.anchor_account(pool_key).await;
        for (schedule_id, share_bps) in [(0u64, 5_000u64), (1, 3_000), (2, 2_000)] {
            let beneficiary = Keypair::new();
            let account = chain
                .create_token_account(&pda::io_token::io_mint(), &beneficiary.pubkey())
                .await;
            let args = vesting::CreateScheduleArgs {
                beneficiary: beneficiary.pubkey(),
                amount: mul_div_floor(pool.total, share_bps, 10_000).map_err(|e| e.to_string())?,
                revocable: rule == vesting::PoolRule::Contributor,
            };
            ok(
                "create vesting schedule",
                chain
                    .send(
                        &[ix::vesting::create_schedule(
                            authority.pubkey(),
                            pool_id,
                            schedule_id,
                            args,
                        )],
                        &[authority],
                    )
                    .await,
            )?;
            grants.push(Grant {
                pool_id,
                schedule_id,
                schedule: pda::vesting::schedule(&pool_key, schedule_id),
                account,
            });
        }
    }
    Ok(grants)
}

async fn vesting_report(
    chain: &mut Localnet,
    plan: &GenesisPlan,
    grants: &[Grant],
) -> Result<Vec<VestingLine>, String> {
    let now = chain.now().await;
    let mut lines = Vec::new();
    for (i, (pool_id, _)) in ix::vesting::POOLS.iter().enumerate() {
        let pool: vesting::Pool = chain.anchor_account(pda::vesting::pool(*pool_id)).await;
        let mut unlocked = 0u64;
        for grant in grants.iter().filter(|g| g.pool_id == *pool_id) {
            let s: vesting::VestingSchedule = chain.anchor_account(grant.schedule).await;
            unlocked += s
                .rule()
                .unlocked(s.total, s.start_ts, now)
                .map_err(|e| e.to_string())?;
        }
        let first = pool
            .rule()
            .unlock_time(pool.start_ts, 1)
            .map_err(|e| e.to_string())?;
        lines.push(VestingLine {
            name: plan.labels[i + 1].clone(),
            pool_id: *pool_id,
            total: pool.total,
            granted: pool.allocated,
            schedules: pool.schedule_count,
            unlocked,
            claimed: pool.claimed,
            first_unlock: ngpu_math::calendar::format_date(first).map_err(|e| e.to_string())?,
        });
        if pool.claimed != unlocked {
            return Err(format!(
                "pool {pool_id}: claimed {} != unlocked {unlocked}",
                pool.claimed
            ));
        }
    }
    Ok(lines)
}

async fn config(chain: &mut Localnet) -> Result<Config, String> {
    let account = chain
        .account(pda::io_token::config())
        .await
        .ok_or("io-token config missing")?;
    ngpu_sdk::decode_account(&account.data).map_err(|e| e.to_string())
}

/// The outcome of the simulation's step `step` (e.g. "register and stake node 17"): an error
/// naming the step, the failing instruction's program and error name, and the last log lines.
pub(super) fn ok(
    step: impl std::fmt::Display,
    outcome: impl std::borrow::Borrow<ngpu_localnet::TxOutcome>,
) -> Result<(), String> {
    let outcome = outcome.borrow();
    let Err(e) = &outcome.result else {
        return Ok(());
    };
    // The innermost program that failed logs "Program <id> failed: ..." first.
    let failed = outcome.logs.iter().find_map(|line| {
        let rest = line.strip_prefix("Program ")?;
        let (id, _) = rest.split_once(" failed: ")?;
        id.parse::<Pubkey>().ok()
    });
    let named = ngpu_localnet::custom_error_code(&outcome.result)
        .and_then(|(_, code)| ngpu_sdk::errors::describe(&failed.unwrap_or(io_token::ID), code));
    let tail = outcome.logs.len().saturating_sub(4);
    Err(format!(
        "{step}: transaction failed: {e:?} {}\n  {}",
        named.unwrap_or_default(),
        outcome.logs[tail..].join("\n  ")
    ))
}

/// IO with 4 decimals (rounded down), for per-hour figures.
fn format_io_short(base: u64) -> String {
    let io = format_io(base - base % 10_000);
    io.strip_suffix("0000").unwrap_or(&io).to_string()
}

/// Basis points as a percentage with two decimals.
fn format_bps(bps: u64) -> String {
    format!("{}.{:02}%", bps / 100, bps % 100)
}

fn print_report(r: &SimulationReport, plot: Option<&PathBuf>) {
    println!(
        "NGPU simulation: {} hours of emission on an in-process chain",
        r.hours
    );
    println!("  genesis preset   {}", r.genesis_preset);
    let date = |ts: i64| ngpu_math::calendar::format_date(ts).unwrap_or_else(|_| ts.to_string());
    println!(
        "  genesis          {} (unix {}), simulated until {}",
        date(r.genesis_ts),
        r.genesis_ts,
        date(r.end_ts)
    );
    if r.staking.is_some() {
        println!(
            "  cranks           {} staking crank_hour calls (each CPIs io-token mint_emission)",
            r.crank_calls
        );
    } else {
        println!(
            "  cranks           {} mint_emission calls, {:.2}% of each hour's budget minted",
            r.crank_calls,
            f64::from(r.mint_bps) / 100.0
        );
    }
    println!();
    println!("  {:<32} {:>26}", "holder", "IO");
    for a in &r.allocations {
        println!("  {:<32} {:>26}", a.name, a.balance_io);
    }
    println!();
    println!(
        "  {:<20} {:>24} {:>24} {:>24} {:>24}  first unlock",
        "vesting pool", "total (IO)", "granted (IO)", "unlocked (IO)", "claimed (IO)",
    );
    for v in &r.vesting {
        println!(
            "  {:<20} {:>24} {:>24} {:>24} {:>24}  {}",
            v.name,
            format_io(v.total),
            format_io(v.granted),
            format_io(v.unlocked),
            format_io(v.claimed),
            v.first_unlock
        );
    }
    if let Some(s) = &r.staking {
        println!();
        println!(
            "  scenario {}: {} nodes, {} of them pause at hour 24 and resume at hour 48 (in a run that long)",
            s.scenario, s.nodes, s.pauses
        );
        println!(
            "  {:<12} {:>6} {:>20} {:>18}   {:<32} stakers' APR p10 / p50 / p90",
            "node class",
            "nodes",
            "active stake (IO)",
            "rewards (IO)",
            "IO per node-hour p10 / p50 / p90"
        );
        for c in &s.classes {
            let [h10, h50, h90] = c.io_per_node_hour.map(format_io_short);
            let [a10, a50, a90] = c.staker_apr_bps.map(format_bps);
            println!(
                "  {:<12} {:>6} {:>20} {:>18}   {:<32} {a10} / {a50} / {a90}",
                c.class,
                c.nodes,
                format_io(c.active_stake),
                format_io(c.rewards),
                format!("{h10} / {h50} / {h90}"),
            );
        }
        println!(
            "  availability rewards paid {} IO, forfeited {} IO",
            format_io(s.paid),
            format_io(s.forfeited),
        );
        println!(
            "  last hour: the nodes' targets asked {} IO of its {} IO budget: {}",
            format_io(s.targets_last_hour),
            format_io(s.budget_last_hour),
            if s.budget_binds {
                "the budget binds (each node gets its share of the budget, below its target)"
            } else {
                "the budget does not bind (nodes get their targets, the rest is forfeited)"
            }
        );
        println!(
            "  uptime: {} reports ({} offline) cut {} IO of rewards; supplier debt left {} IO",
            s.uptime_reports,
            s.offline_reports,
            format_io(s.rewards_cut),
            format_io(s.supplier_debt)
        );
        println!(
            "  slashing: {} malicious slashes ({} upheld on appeal, {} burned, the rest in escrow: {} IO); stake slashed {} IO",
            s.slashes,
            s.slashes_upheld,
            s.slashes_burned,
            format_io(s.escrow_held),
            format_io(s.stake_slashed)
        );
        println!(
            "  burned by staking: {} IO of stake, {} IO of forfeited rewards",
            format_io(s.stake_burned),
            format_io(s.rewards_burned)
        );
    }
    if let Some(rev) = &r.revenue {
        crate::commands::simulate_revenue::print(rev);
    }
    if let Some(res) = &r.reservations {
        crate::commands::simulate_reservations::print(res);
    }
    println!();
    let line = |label: &str, v: u64| println!("  {label:<32} {:>26}", format_io(v));
    line("supply", r.supply);
    line("  minted at genesis", r.genesis_minted);
    line("  emitted (minted)", r.emitted);
    line("forfeited (never minted)", r.forfeited);
    line("remaining to cap", r.remaining_to_cap);
    line("cap (ever minted)", MAX_SUPPLY);
    println!();
    println!(
        "  checks: token accounts hold the supply; supply = genesis + emitted - burned; emitted + forfeited = C({}) = {} IO",
        r.hours,
        format_io(r.schedule_target)
    );
    println!(
        "  crank cost: SPL Token CPI {} CU at most, transaction {} of 1,232 bytes",
        r.crank_token_cu_max, r.crank_tx_bytes_max
    );
    if let Some(path) = plot {
        println!("  plot: {}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(hours: u64, mint_bps: u16, batch: u8, preset: Preset) -> SimulateArgs {
        SimulateArgs {
            hours,
            preset,
            genesis: None,
            params: None,
            nodes: 0,
            mint_bps,
            batch,
            fee_io_per_hour: 0,
            fee_usdc_per_hour: 0,
            renters: Some(0),
            scenario: None,
            plot: None,
            output: Output::Json,
            verbose: false,
            engine: SimEngine::Svm,
            quiet: true,
            timings: false,
        }
    }

    async fn report_for(args: SimulateArgs) -> SimulationReport {
        let (plan, name) = load_plan(&args).unwrap();
        simulate(&args, plan, name, &mut Progress::new(0, false))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn default_run_mints_72_hours_in_three_cranks() {
        let r = report_for(args(72, 10_000, 24, Preset::Default)).await;
        assert_eq!(r.crank_calls, 3);
        assert_eq!(r.emitted, cumulative(72));
        assert_eq!(r.forfeited, 0);
        assert_eq!(r.supply, 50_000_000_000_000_000 + cumulative(72));
        assert_eq!(r.remaining_to_cap, MAX_SUPPLY - r.supply);
        assert_eq!(r.allocations.len(), 7);
        assert_eq!(r.allocations[0].balance, 250_000_000 * 100_000_000);
        // Every pool is fully granted: the tokens sit in the schedule vaults.
        assert_eq!(r.allocations[5].balance, 250_000_000 * 100_000_000);
        assert_eq!(r.allocations[6].balance, cumulative(72));
        assert_eq!(r.vesting.len(), 4);
        assert_eq!(r.vesting[2].total, 56_500_000 * 100_000_000);
        assert!(r
            .vesting
            .iter()
            .all(|v| v.unlocked == 0 && v.claimed == 0 && v.schedules == 3));
        assert!(r.crank_tx_bytes_max <= 1_232);
    }

    #[tokio::test]
    async fn nodes_earn_through_the_staking_crank() {
        let mut a = args(72, 10_000, 24, Preset::Default);
        a.nodes = 12;
        let r = report_for(a).await;
        let s = r.staking.as_ref().unwrap();
        assert_eq!((s.nodes, s.pauses), (12, 1));
        assert!(s.paid > 0);
        // Everything minted went to the reward vault; all of it was claimed, burned (uptime
        // cuts) or moved to the appeal escrow (node 4's slash), but rounding dust.
        assert_eq!(s.paid, r.emitted);
        let claimed: u64 = s.classes.iter().map(|c| c.rewards).sum();
        assert!(s.reward_vault < 1_000, "{} left", s.reward_vault);
        let accounted = s.reward_vault + claimed + s.rewards_burned;
        assert!(
            accounted <= s.paid && s.paid - accounted <= s.escrow_held,
            "{accounted} of {}",
            s.paid
        );
        // Nodes 3 and 10 are flaky: one report per crank call each, the fourth call offline.
        assert_eq!((s.uptime_reports, s.offline_reports), (6, 0));
        assert!(s.rewards_cut > 0 && s.rewards_burned > 0);
        // Node 4 is slashed 10% at hour 24; its 30 days have not passed.
        assert_eq!((s.slashes, s.slashes_upheld, s.slashes_burned), (1, 0, 0));
        assert!(s.escrow_held > 0 && s.stake_slashed > 0);
        assert_eq!(s.paid + s.forfeited, cumulative(72));
        assert_eq!(r.emitted + r.forfeited, cumulative(72));
        // The H100s earn the most per node.
        assert!(s.classes[2].rewards > s.classes[0].rewards);
    }

    #[tokio::test]
    async fn fees_are_burned_and_bought_back() {
        let mut a = args(96, 10_000, 24, Preset::Default);
        (a.fee_io_per_hour, a.fee_usdc_per_hour) = (10, 25);
        let r = report_for(a).await;
        let v = r.revenue.as_ref().unwrap();
        let io = 100_000_000u64;
        // Four crank calls of 24 hours: 240 IO and 600 USDC of fees a day.
        assert_eq!((v.io_fees, v.usdc_fees), (960 * io, 2_400_000_000));
        assert_eq!(
            (v.io_burned_fees, v.fee_burns, v.io_vault),
            (960 * io, 4, 0)
        );
        // The window lets out 10,000 USDC a day: every fill spends the whole vault.
        assert_eq!((v.fills, v.usdc_spent, v.usdc_vault), (4, 2_400_000_000, 0));
        assert_eq!(v.day_records, 4);
        // The price rose: each day's 600 USDC bought less IO than the day before.
        assert!(v.min_price_micro_usd < v.max_price_micro_usd);
        assert!(v.average_price_micro_usd >= v.min_price_micro_usd);
        // The supply check of the report includes both burns.
        assert_eq!(
            r.supply + v.io_burned_fees + v.io_burned_buyback,
            r.genesis_minted + r.emitted
        );
    }

    #[tokio::test]
    async fn renters_pay_suppliers_and_fees_reach_the_revenue_vaults() {
        let mut a = args(48, 10_000, 24, Preset::Default);
        (a.nodes, a.fee_io_per_hour, a.fee_usdc_per_hour, a.renters) = (12, 10, 25, Some(4));
        let r = report_for(a).await;
        let res = r.reservations.as_ref().unwrap();
        assert_eq!(
            (res.renters, res.ended_early, res.failed, res.open_at_end),
            (4, 1, 1, 0)
        );
        assert_eq!((res.usdc.reservations, res.io.reservations), (2, 2));
        for line in [res.usdc, res.io] {
            assert_eq!(line.escrowed, 0);
            assert_eq!(
                line.deposited,
                line.supplier_paid + line.fees + line.refunded
            );
            assert!(line.refunded > 0 && line.fees > 0 && line.supplier_paid > 0);
        }
        // Renter 2 (USDC) ran the whole 48 hours at $2.50: 120 USDC to the supplier less fees.
        let v = r.revenue.as_ref().unwrap();
        assert!(v.usdc_fees >= 48 * 25_000_000 + res.usdc.fees);
        assert_eq!(v.io_fees, 480 * 100_000_000 + res.io.fees);
    }

    #[tokio::test]
    async fn thirteen_months_unlock_the_first_part() {
        // Genesis 2025-06-11; the first part unlocks on 2026-07-11, 9,480 hours later.
        let r = report_for(args(9_480, 10_000, 24, Preset::Default)).await;
        let io = 100_000_000u64;
        let expected = [
            62_500_000 * io / 24,
            51_000_000 * io / 24,
            56_500_000 * io / 36,
            80_000_000 * io / 36,
        ];
        for (line, part) in r.vesting.iter().zip(expected) {
            // Three grants of 50/30/20%: each rounds down on its own.
            assert!(
                line.unlocked <= part && part - line.unlocked < 3,
                "{line:?}"
            );
            assert_eq!(line.claimed, line.unlocked);
            assert_eq!(line.first_unlock, "2026-07-11");
        }
    }

    /// The shipped network scenario at 400 nodes: every class present, per-class percentiles
    /// in order, stakers earning, and the budget binding (its targets ask for more than the
    /// budget); the report's ledger checks passed or there would be no report.
    #[tokio::test]
    async fn the_network_scenario_reports_percentiles_and_whether_the_budget_binds() {
        let mut a = args(48, 10_000, 24, Preset::Default);
        a.nodes = 400;
        a.scenario = Some(
            [
                env!("CARGO_MANIFEST_DIR"),
                "../../migrations/scenarios/network.toml",
            ]
            .iter()
            .collect(),
        );
        let r = report_for(a).await;
        let s = r.staking.as_ref().unwrap();
        assert_eq!(s.scenario, "network");
        assert_eq!(s.classes.iter().map(|c| c.nodes).sum::<u64>(), 400);
        // 65 / 23 / 12% of 400 nodes, within the hash's spread.
        let counts: Vec<u64> = s.classes.iter().map(|c| c.nodes).collect();
        assert!(
            counts[0] > 220 && counts[1] > 60 && counts[2] > 25,
            "{counts:?}"
        );
        for c in &s.classes {
            let [p10, p50, p90] = c.io_per_node_hour;
            assert!(
                p10 <= p50 && p50 <= p90 && p90 > 0,
                "{}: {:?}",
                c.class,
                c.io_per_node_hour
            );
            let [a10, a50, a90] = c.staker_apr_bps;
            assert!(
                a10 <= a50 && a50 <= a90 && a50 > 0,
                "{}: {:?}",
                c.class,
                c.staker_apr_bps
            );
            assert!(c.rewards > 0);
        }
        // H100s cost more than RTX 4090s: their targets, hence their hourly pay, are higher.
        assert!(s.classes[2].io_per_node_hour[1] > s.classes[0].io_per_node_hour[1]);
        // 400 nodes ask for less than the budget: it does not bind, the rest is forfeited.
        assert!(s.targets_last_hour > 0 && s.targets_last_hour < s.budget_last_hour);
        assert!(!s.budget_binds && s.forfeited > 0);
        // 8% of the nodes get 90% uptime reports for hours they earned in: rewards are cut.
        assert!(s.uptime_reports > 0 && s.rewards_cut > 0);
    }

    #[tokio::test]
    async fn a_missing_or_bad_scenario_is_refused_by_name() {
        let mut a = args(2, 10_000, 24, Preset::Default);
        a.nodes = 2;
        a.scenario = Some("/nonexistent/scenario.toml".into());
        let (plan, name) = load_plan(&a).unwrap();
        let err = simulate(&a, plan, name, &mut Progress::new(0, false))
            .await
            .unwrap_err();
        assert!(err.contains("/nonexistent/scenario.toml"), "{err}");
    }

    /// The README's emission-only example: without nodes the renters default to none.
    #[tokio::test]
    async fn without_nodes_there_are_no_renters_by_default() {
        let mut a = args(24, 8_000, 24, Preset::Default);
        (a.fee_io_per_hour, a.fee_usdc_per_hour, a.renters) = (10, 25, None);
        let r = report_for(a).await;
        assert!(r.reservations.is_none() && r.staking.is_none());
        let minted: u64 = (0..24)
            .map(|h| mul_div_floor(hour_budget(h), 8_000, 10_000).unwrap())
            .sum();
        assert_eq!(r.emitted, minted);
    }

    /// The two engines run the same economy to the same base unit: events are captured,
    /// the clock is moved and the SPL Token CPIs are metered alike.
    #[tokio::test]
    async fn program_test_and_litesvm_agree() {
        let run = |engine| {
            let mut a = args(48, 10_000, 24, Preset::Default);
            (a.nodes, a.fee_io_per_hour, a.fee_usdc_per_hour, a.renters) = (12, 10, 25, Some(4));
            a.engine = engine;
            a
        };
        let fast = report_for(run(SimEngine::Svm)).await;
        let signed = report_for(run(SimEngine::SvmSigned)).await;
        let banks = report_for(run(SimEngine::ProgramTest)).await;
        // Keys differ between runs (fresh keypairs): compare everything but addresses.
        let strip = |r: &SimulationReport| {
            let mut v = serde_json::to_value(r).unwrap();
            for line in v["allocations"].as_array_mut().unwrap() {
                line["account"] = serde_json::Value::Null;
            }
            v
        };
        assert_eq!(strip(&fast), strip(&banks));
        assert_eq!(strip(&signed), strip(&banks));
        assert_eq!(fast.points, banks.points);
        assert!(fast.crank_token_cu_max > 0);
    }

    /// Issue 12: past ~1,000 nodes the payer ran out of lamports (a panic). 2,000 nodes for
    /// two hours: every supplier is funded, every node registered, staked and claimed.
    #[tokio::test]
    async fn two_thousand_nodes_run() {
        let mut a = args(2, 10_000, 24, Preset::Default);
        a.nodes = 2_000;
        let r = report_for(a).await;
        let s = r.staking.as_ref().unwrap();
        assert_eq!(s.nodes, 2_000);
        assert_eq!(s.classes.iter().map(|c| c.nodes).sum::<u64>(), 2_000);
        assert_eq!(s.paid + s.forfeited, cumulative(2));
        assert_eq!(r.emitted + r.forfeited, cumulative(2));
        assert!(s.classes.iter().all(|c| c.rewards > 0));
        assert_eq!(r.points.len(), 1);
        assert_eq!(r.points[0].supply, r.supply);
    }

    #[test]
    fn an_unwritable_plot_path_is_refused_before_the_run() {
        let mut a = args(24, 10_000, 24, Preset::Default);
        a.plot = Some(PathBuf::from("/nonexistent-dir/plot.svg"));
        let started = std::time::Instant::now();
        let err = run(a).unwrap_err();
        assert!(
            err.contains("/nonexistent-dir/plot.svg") && err.contains("does not exist"),
            "{err}"
        );
        // Refused up front: no chain was started.
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[tokio::test]
    async fn the_plot_draws_the_simulated_hours() {
        let r = report_for(args(72, 5_000, 24, Preset::Default)).await;
        assert_eq!(r.points.len(), 3);
        assert_eq!(
            r.points.iter().map(|p| p.budget).sum::<u64>(),
            cumulative(72)
        );
        // Half of each hour's budget, rounded down hour by hour.
        assert!(r
            .points
            .iter()
            .all(|p| p.forfeited >= p.paid && p.forfeited - p.paid <= 24));
        let path = std::env::temp_dir().join(format!("ngpu-plot-{}.svg", std::process::id()));
        crate::plot::write_simulation_svg(&path, &r.points).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        for caption in [
            "Simulated hours: IO per hour of each crank call",
            "Simulated circulating supply",
            "IO emitted per hour",
        ] {
            assert!(svg.contains(caption), "{caption}");
        }
    }

    #[tokio::test]
    async fn a_partial_mint_share_forfeits_the_rest() {
        let r = report_for(args(30, 2_500, 7, Preset::CapShares)).await;
        assert_eq!(r.crank_calls, 5); // 7 + 7 + 7 + 7 + 2
        let minted: u64 = (0..30).map(|h| hour_budget(h) / 4).sum();
        assert_eq!(r.emitted, minted);
        assert_eq!(r.emitted + r.forfeited, cumulative(30));
        assert_eq!(r.allocations[0].balance, 100_000_000 * 100_000_000);
    }
}
