//! The staking part of `ngpu simulate`: device classes, N nodes with their suppliers' stake,
//! a Pyth price, some pauses and resumes, hourly cranks by the staking program (io-token's
//! emission controller), downtime reports by the oracle, two malicious-behaviour slashes (one
//! appealed successfully, one burned once its 30 days pass), and every reward claimed at the end.

use anchor_spl::associated_token::get_associated_token_address;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use io_token::constants::SECONDS_PER_HOUR;
use ngpu_localnet::solana_sdk::instruction::Instruction;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::{transaction_size, Localnet, TxOutcome, MAX_TX_BYTES};
use ngpu_math::hour_budget;
use ngpu_math::staking::usd_to_io;
use ngpu_sdk::params::{Params, StakingKeys};
use ngpu_sdk::{ix, pda, Pubkey};
use serde::Serialize;
use staking::{HoursCranked, NodeAction, NodeState};

use super::simulate::ok;
use super::simulate_progress::Progress;
use super::simulate_scenario::{percentile, NodeProfile, Scenario};

/// SOL a supplier's wallet holds per node before it registers (rent of the node, its vault and
/// the stake position; the chain's payer pays the fees): 0.1 SOL.
pub const SUPPLIER_LAMPORTS: u64 = 100_000_000;

/// IO/USD price of the simulation: $2.50 with a 0.5% confidence band (exponent -8).
const PRICE: i64 = 250_000_000;
const CONF: u64 = 1_250_000;
/// Every tenth node pauses at this hour and resumes at `RESUME_HOUR`.
const PAUSE_HOUR: u64 = 24;
const RESUME_HOUR: u64 = 48;
// Flaky nodes (the scenario's): the oracle reports the scenario's uptime for the last hour of
// each crank call, and every fourth call that hour is offline (forfeited, stake slashed by its
// reward).
/// At `PAUSE_HOUR` the authority slashes node 4 by 10% (burned after its 30-day appeal window)
/// and node 14 by 5% (appeal upheld at `RESUME_HOUR`).
const SLASHES: [(usize, u16, bool); 2] = [(4, 1_000, false), (14, 500, true)];
/// Uptime reports the oracle packs into one transaction.
const REPORTS_PER_TX: usize = 6;

struct SimNode {
    key: Pubkey,
    /// Index into the parameters file's device classes.
    class: usize,
    supplier: Keypair,
    tokens: Pubkey,
    pauses: bool,
    flaky: bool,
}

/// A node's claimed rewards: its supplier's and its stakers'.
#[derive(Clone, Copy, Default)]
struct Claimed {
    supplier: u64,
    stakers: u64,
}

/// A slash made by the simulation and what becomes of it.
struct SimSlash {
    record: Pubkey,
    node: Pubkey,
    upheld: bool,
    open: bool,
}

pub struct StakingSim {
    nodes: Vec<SimNode>,
    /// Names of the device classes, in the parameters file's order.
    class_names: Vec<String>,
    /// The authority, also the whole oracle set (quorum 1).
    authority: Keypair,
    slashes: Vec<SimSlash>,
    reports: u64,
    offline_reports: u64,
    price_feed: Pubkey,
    history: Pubkey,
    genesis_ts: i64,
    scenario: String,
    flaky_uptime_bps: u16,
    /// The last crank call's event (the nodes' total target and the price).
    last_crank: Option<HoursCranked>,
}

#[derive(Serialize, Debug)]
pub struct ClassLine {
    pub class: String,
    pub nodes: u64,
    pub active_stake: u64,
    /// Claimed by suppliers (95%) and by stakers (5%, here the suppliers' own positions).
    pub rewards: u64,
    /// IO base units a node earned per simulated hour (supplier and stakers): p10, p50, p90
    /// over the class's nodes.
    pub io_per_node_hour: [u64; 3],
    /// Stakers' yearly return on active stake in IO (their rewards over the simulated hours,
    /// scaled to 8,760 hours), in basis points: p10, p50, p90 over the class's nodes.
    pub staker_apr_bps: [u64; 3],
}

#[derive(Serialize, Debug)]
pub struct StakingReport {
    /// The scenario's name (`built-in` without `--scenario`).
    pub scenario: String,
    pub nodes: u64,
    pub classes: Vec<ClassLine>,
    pub paid: u64,
    pub forfeited: u64,
    /// What the eligible nodes' targets asked for in the last simulated hour (IO at the
    /// crank's price) against that hour's budget: the budget binds when they ask for more.
    pub targets_last_hour: u64,
    pub budget_last_hour: u64,
    pub budget_binds: bool,
    pub total_stake: u64,
    pub pauses: u64,
    /// Uptime reports sent (of which offline), rewards they cut, supplier debt left.
    pub uptime_reports: u64,
    pub offline_reports: u64,
    pub rewards_cut: u64,
    pub supplier_debt: u64,
    /// Stake taken by offline reports and malicious slashes; burned so far (stake, rewards).
    pub stake_slashed: u64,
    pub stake_burned: u64,
    pub rewards_burned: u64,
    /// Malicious slashes: made, upheld on appeal, burned, still in the appeal escrow.
    pub slashes: u64,
    pub slashes_upheld: u64,
    pub slashes_burned: u64,
    pub escrow_held: u64,
    /// IO held after the run by node stake vaults, the reward vault and the suppliers' wallets.
    pub node_vaults: u64,
    pub reward_vault: u64,
    pub supplier_wallets: u64,
}

impl StakingSim {
    /// Initialises staking with `params` (the deploy parameters file), makes it io-token's
    /// emission controller, creates the file's device classes, and registers and stakes
    /// `count` nodes (class, stake and behaviour from `scenario`) funded from the community
    /// account (owned by `authority`).
    pub async fn set_up(
        chain: &mut Localnet,
        params: &Params,
        authority: &Keypair,
        community: Pubkey,
        count: u64,
        scenario: &Scenario,
        progress: &mut Progress,
    ) -> Result<Self, String> {
        let genesis_ts = chain
            .anchor_account::<io_token::Config>(pda::io_token::config())
            .await
            .genesis_ts;
        if params.device_classes.is_empty() {
            return Err("the parameters file has no device class to register nodes of".into());
        }
        let price_feed = Pubkey::new_unique();
        let args = params.staking.initialize_args(StakingKeys {
            oracles: vec![authority.pubkey()],
            oracle_quorum: 1,
            price_feed,
            price_feed_id: ngpu_localnet::TEST_FEED_ID,
            // Deploy step 11: only the reservations program hires and releases nodes.
            hire_authority: pda::reservations::config(),
        });
        let history = Keypair::new();
        let rent = chain.rent_exempt(staking::RewardHistory::SPACE).await;
        let ixs = vec![
            ix::staking::initialize(authority.pubkey(), args),
            ix::staking::create_history_account(authority.pubkey(), history.pubkey(), rent),
            ix::staking::init_history(authority.pubkey(), history.pubkey()),
            ix::io_token::set_emission_controller(
                authority.pubkey(),
                pda::staking::emission_authority(),
                pda::staking::reward_vault(),
            ),
            // Deploy step 9: the staking PDA is the controller for good.
            ix::io_token::lock_emission_controller(authority.pubkey()),
        ];
        ok(
            "initialize staking",
            chain.send(&ixs, &[authority, &history]).await,
        )?;
        // The device classes in a transaction of their own (together they pass 1,232 bytes).
        let classes: Vec<_> = params
            .device_classes
            .iter()
            .map(|class| ix::staking::set_device_class(authority.pubkey(), class.args()))
            .collect();
        ok(
            "create device classes",
            chain.send(&classes, &[authority]).await,
        )?;

        let io_mint = pda::io_token::io_mint();
        let payer = chain.payer().pubkey();
        let classes = params.device_classes.len();
        let profiles: Vec<NodeProfile> = (0..count).map(|i| scenario.profile(i, classes)).collect();
        let mut nodes = Vec::new();
        // Suppliers run 1 to 8 nodes each (4.5 on average), in turn.
        let mut supplier = Keypair::new();
        let mut tokens = Pubkey::default();
        let (mut suppliers, mut node_id, mut fleet) = (0u64, 0u64, 0u64);
        // A supplier's onboarding packs as many of its nodes into a transaction as fit:
        // the instructions waiting to be sent and the first node they register.
        let mut pending: Vec<Instruction> = Vec::new();
        let mut pending_from = 0;
        for (i, profile) in (0..count).zip(&profiles) {
            let class = profile.class;
            let first = node_id == fleet;
            if first {
                send_setup(chain, &mut pending, pending_from..i, &supplier, authority).await?;
                pending_from = i;
                fleet = (1 + suppliers % 8).min(count - i);
                suppliers += 1;
                node_id = 0;
                // Suppliers arrive with their own SOL (the rent of their nodes' accounts).
                supplier = chain
                    .funded_user(SUPPLIER_LAMPORTS.saturating_mul(fleet))
                    .await;
                tokens = get_associated_token_address(&supplier.pubkey(), &io_mint);
            }
            let class_id = params.device_classes[class].class_id;
            let key = pda::staking::node(&supplier.pubkey(), node_id);
            let mut setup = Vec::new();
            if first {
                // The authority opens the supplier's IO account and pays it the stake of its
                // whole fleet from the community allocation.
                let fleet_stake: u64 = profiles[i as usize..(i + fleet) as usize]
                    .iter()
                    .map(|p| p.stake)
                    .sum();
                setup.push(create_associated_token_account_idempotent(
                    &payer,
                    &supplier.pubkey(),
                    &io_mint,
                    &anchor_spl::token::ID,
                ));
                setup.push(
                    anchor_spl::token::spl_token::instruction::transfer(
                        &anchor_spl::token::ID,
                        &community,
                        &tokens,
                        &authority.pubkey(),
                        &[],
                        fleet_stake,
                    )
                    .map_err(|e| e.to_string())?,
                );
            }
            // The supplier registers the node and stakes on it.
            setup.push(ix::staking::register_node(
                supplier.pubkey(),
                class_id,
                node_id,
            ));
            if let Some(modifiers) = profile.modifiers {
                // The oracle rates the node first: its modifiers raise the maximum stake.
                setup.push(ix::staking::set_modifiers(
                    &[authority.pubkey()],
                    key,
                    class_id,
                    modifiers,
                ));
            }
            setup.push(ix::staking::stake(
                supplier.pubkey(),
                key,
                tokens,
                profile.stake,
            ));
            let joined = [&pending[..], &setup[..]].concat();
            if transaction_size(&joined, &payer) <= MAX_TX_BYTES {
                pending = joined;
            } else {
                send_setup(chain, &mut pending, pending_from..i, &supplier, authority).await?;
                (pending, pending_from) = (setup, i);
            }
            node_id += 1;
            progress.inc(1);
            nodes.push(SimNode {
                key,
                class,
                supplier: supplier.insecure_clone(),
                tokens,
                pauses: profile.pauses,
                flaky: profile.flaky,
            });
        }
        send_setup(
            chain,
            &mut pending,
            pending_from..count,
            &supplier,
            authority,
        )
        .await?;
        Ok(Self {
            nodes,
            class_names: params
                .device_classes
                .iter()
                .map(|c| c.name.clone())
                .collect(),
            authority: authority.insecure_clone(),
            slashes: Vec::new(),
            reports: 0,
            offline_reports: 0,
            price_feed,
            history: history.pubkey(),
            genesis_ts,
            scenario: scenario.name.clone(),
            flaky_uptime_bps: scenario.flaky_uptime_bps,
            last_crank: None,
        })
    }

    /// Nodes that never pause and are never reported down (what renters are given): node,
    /// supplier, supplier's IO account.
    pub fn steady_nodes(&self) -> Vec<(Pubkey, Keypair, Pubkey)> {
        self.nodes
            .iter()
            .filter(|n| !n.pauses && !n.flaky)
            .map(|n| (n.key, n.supplier.insecure_clone(), n.tokens))
            .collect()
    }

    /// Node events due at hour `hour` (pauses, resumes, activations), then the crank of
    /// `first..first + hours` at the end of those hours.
    pub async fn crank(
        &mut self,
        chain: &mut Localnet,
        first: u64,
        hours: u8,
    ) -> Result<TxOutcome, String> {
        let at =
            |h: u64| self.genesis_ts + i64::try_from(h).unwrap_or(i64::MAX / 4) * SECONDS_PER_HOUR;
        for node in self.nodes.iter().filter(|n| n.pauses) {
            let state: staking::Node = chain.anchor_account(node.key).await;
            let action = match state.state {
                NodeState::Committed
                    if (PAUSE_HOUR..RESUME_HOUR).contains(&first) && state.weight > 0 =>
                {
                    Some(ix::staking::set_node_state(
                        node.supplier.pubkey(),
                        node.key,
                        NodeAction::Pause,
                    ))
                }
                NodeState::Paused if first >= RESUME_HOUR => Some(ix::staking::set_node_state(
                    node.supplier.pubkey(),
                    node.key,
                    NodeAction::Resume,
                )),
                NodeState::Committed
                    if state.weight == 0
                        && state.eligible_from <= at(first)
                        && first >= RESUME_HOUR =>
                {
                    Some(ix::staking::activate_node(node.key))
                }
                _ => None,
            };
            if let Some(instruction) = action {
                ok(
                    "pause or resume node",
                    chain.send(&[instruction], &[&node.supplier]).await,
                )?;
            }
        }
        let end = first + u64::from(hours);
        chain.set_time(at(end)).await;
        chain.set_pyth_price(self.price_feed, PRICE, CONF, -8, at(end));
        let payer = chain.payer().pubkey();
        let outcome = chain
            .send(
                &[ix::staking::crank_hour(
                    payer,
                    self.price_feed,
                    self.history,
                    first,
                    hours,
                )],
                &[],
            )
            .await;
        if outcome.result.is_err() {
            return Ok(outcome);
        }
        self.last_crank = Some(outcome.event());
        self.penalties(chain, first, hours).await?;
        Ok(outcome)
    }

    /// After the crank of `first..first + hours`: the oracle's downtime reports, the
    /// authority's slashes and appeal decisions, and burns of slashes whose window ended.
    async fn penalties(
        &mut self,
        chain: &mut Localnet,
        first: u64,
        hours: u8,
    ) -> Result<(), String> {
        let oracle = self.authority.insecure_clone();
        let call = first / u64::from(hours.max(1));
        // The call's last hour: every node registered before the run earned in it (nobody
        // earns in hour 0, the hour of registration).
        let hour = first + u64::from(hours.max(1)) - 1;
        // The oracle signs its reports alone, so it sends several a transaction.
        let flaky: Vec<&SimNode> = self.nodes.iter().filter(|n| n.flaky).collect();
        for batch in flaky.chunks(REPORTS_PER_TX) {
            let uptime = if call % 4 == 3 {
                0
            } else {
                self.flaky_uptime_bps
            };
            let reports: Vec<_> = batch
                .iter()
                .map(|node| {
                    ix::staking::report_uptime(
                        &[oracle.pubkey()],
                        self.history,
                        node.key,
                        hour,
                        uptime,
                    )
                })
                .collect();
            ok(
                format!("uptime reports of hour {hour}"),
                chain.send(&reports, &[&oracle]).await,
            )?;
            let sent = u64::try_from(batch.len()).unwrap_or(u64::MAX);
            self.reports += sent;
            if uptime == 0 {
                self.offline_reports += sent;
            }
        }
        for (index, bps, upheld) in SLASHES {
            let Some(node) = self.nodes.get(index) else {
                continue;
            };
            if (PAUSE_HOUR..PAUSE_HOUR + u64::from(hours)).contains(&first) {
                let state: staking::Node = chain.anchor_account(node.key).await;
                let ix =
                    ix::staking::slash_malicious(oracle.pubkey(), node.key, state.slash_count, bps);
                ok("slash node", chain.send(&[ix], &[&oracle]).await)?;
                self.slashes.push(SimSlash {
                    record: pda::staking::slash(&node.key, state.slash_count),
                    node: node.key,
                    upheld,
                    open: true,
                });
            }
        }
        let now = chain.clock().await.unix_timestamp;
        for slash in self.slashes.iter_mut().filter(|s| s.open) {
            let ix = if slash.upheld && first >= RESUME_HOUR {
                ix::staking::uphold_appeal(oracle.pubkey(), slash.node, slash.record)
            } else {
                let record: staking::SlashRecord = chain.anchor_account(slash.record).await;
                if slash.upheld || now < record.appeal_until {
                    continue;
                }
                ix::staking::finalize_slash(slash.node, slash.record)
            };
            ok(
                "uphold appeal or finalize slash",
                chain.send(&[ix], &[&oracle]).await,
            )?;
            slash.open = false;
        }
        Ok(())
    }

    /// Claims every reward and reports per device class; `hours` were simulated.
    pub async fn finish(
        &mut self,
        chain: &mut Localnet,
        hours: u64,
        progress: &mut Progress,
    ) -> Result<StakingReport, String> {
        let mut classes: Vec<ClassLine> = self
            .class_names
            .iter()
            .map(|name| ClassLine {
                class: name.clone(),
                nodes: 0,
                active_stake: 0,
                rewards: 0,
                io_per_node_hour: [0; 3],
                staker_apr_bps: [0; 3],
            })
            .collect();
        // Per class: each node's IO per hour and its stakers' APR, for the percentiles.
        let mut per_hour = vec![Vec::new(); classes.len()];
        let mut apr = vec![Vec::new(); classes.len()];
        let (mut node_vaults, mut supplier_wallets, mut total_stake) = (0u64, 0u64, 0u64);
        let mut wallets = std::collections::BTreeSet::new();
        let (mut rewards_cut, mut supplier_debt, mut stake_slashed) = (0u64, 0u64, 0u64);
        // A supplier claims for its fleet (consecutive nodes) as many nodes a transaction as
        // fit, as a wallet would batch them; each node's share comes from the claim events.
        let payer = chain.payer().pubkey();
        let mut start = 0;
        while start < self.nodes.len() {
            let tokens = self.nodes[start].tokens;
            let mut claims = claim_instructions(&self.nodes[start..=start]);
            let mut end = start + 1;
            while end < self.nodes.len() && self.nodes[end].tokens == tokens {
                let more = [
                    claims.as_slice(),
                    &claim_instructions(&self.nodes[end..=end]),
                ]
                .concat();
                if transaction_size(&more, &payer) > MAX_TX_BYTES {
                    break;
                }
                (claims, end) = (more, end + 1);
            }
            let batch = &self.nodes[start..end];
            let before = chain.token_balance(tokens).await;
            let paid = claim_fleet(chain, batch, &claims).await;
            let received = chain.token_balance(tokens).await - before;
            let claimed: u64 = paid.values().map(|c| c.supplier + c.stakers).sum();
            if claimed != received {
                return Err(format!(
                    "claims of nodes {start}..{end}: events report {claimed} base units, \
                     the supplier's account received {received}"
                ));
            }
            for node in batch {
                let state: staking::Node = chain.anchor_account(node.key).await;
                let active = state.active_stake().map_err(|e| e.to_string())?;
                rewards_cut += state.rewards_cut;
                supplier_debt += state.supplier_debt;
                stake_slashed += state.stake_slashed;
                let line = &mut classes[node.class];
                line.nodes += 1;
                line.active_stake += active;
                let got = paid.get(&node.key).copied().unwrap_or_default();
                line.rewards += got.supplier + got.stakers;
                per_hour[node.class].push((got.supplier + got.stakers) / hours.max(1));
                if active > 0 && hours > 0 {
                    let yearly = u128::from(got.stakers) * 8_760 * 10_000;
                    let bps = yearly / (u128::from(hours) * u128::from(active));
                    apr[node.class].push(u64::try_from(bps).unwrap_or(u64::MAX));
                }
                total_stake += active;
                node_vaults += chain.token_balance(state.vault).await;
                // A supplier's nodes share its IO account: counted once, after every claim.
                wallets.insert(node.tokens);
                progress.inc(1);
            }
            start = end;
        }
        for (line, (hourly, yearly)) in classes.iter_mut().zip(per_hour.iter_mut().zip(&mut apr)) {
            line.io_per_node_hour = [10, 50, 90].map(|p| percentile(hourly, p));
            line.staker_apr_bps = [10, 50, 90].map(|p| percentile(yearly, p));
        }
        for wallet in wallets {
            supplier_wallets += chain.token_balance(wallet).await;
        }
        let config: staking::Config = chain.anchor_account(pda::staking::config()).await;
        let ledger = chain
            .account(pda::staking::ledger())
            .await
            .ok_or("the staking ledger is missing")?;
        let crank = staking::Ledger::from_bytes(&ledger.data[..])
            .ok_or("the staking ledger does not decode")?
            .state();
        let (targets_last_hour, budget_last_hour) = match &self.last_crank {
            Some(c) => (
                u64::try_from(c.total_weight)
                    .ok()
                    .and_then(|w| usd_to_io(w, c.price_micro_usd).ok())
                    .unwrap_or(u64::MAX),
                hour_budget(c.next_hour.saturating_sub(1)),
            ),
            None => (0, 0),
        };
        Ok(StakingReport {
            scenario: self.scenario.clone(),
            targets_last_hour,
            budget_last_hour,
            budget_binds: targets_last_hour >= budget_last_hour && budget_last_hour > 0,
            nodes: u64::try_from(self.nodes.len()).unwrap_or(u64::MAX),
            classes,
            paid: crank.rewards_minted,
            forfeited: crank.rewards_forfeited,
            total_stake,
            pauses: u64::try_from(self.nodes.iter().filter(|n| n.pauses).count()).unwrap_or(0),
            uptime_reports: self.reports,
            offline_reports: self.offline_reports,
            rewards_cut,
            supplier_debt,
            stake_slashed,
            stake_burned: crank.stake_burned,
            rewards_burned: crank.rewards_burned,
            slashes: u64::try_from(self.slashes.len()).unwrap_or(0),
            slashes_upheld: u64::try_from(
                self.slashes.iter().filter(|s| s.upheld && !s.open).count(),
            )
            .unwrap_or(0),
            slashes_burned: u64::try_from(
                self.slashes.iter().filter(|s| !s.upheld && !s.open).count(),
            )
            .unwrap_or(0),
            escrow_held: crank.escrow_held,
            node_vaults,
            reward_vault: chain.token_balance(config.reward_vault).await,
            supplier_wallets,
        })
    }
}

/// Sends the setup instructions of nodes `range` (one supplier's), if any, and empties them.
async fn send_setup(
    chain: &mut Localnet,
    pending: &mut Vec<Instruction>,
    range: std::ops::Range<u64>,
    supplier: &Keypair,
    authority: &Keypair,
) -> Result<(), String> {
    if pending.is_empty() {
        return Ok(());
    }
    let step = match range.end - range.start {
        1 => format!("register and stake node {}", range.start),
        _ => format!("register and stake nodes {}..{}", range.start, range.end),
    };
    ok(step, chain.send(pending, &[supplier, authority]).await)?;
    pending.clear();
    Ok(())
}

/// The supplier's and the stakers' (its own position's) claims of `nodes`.
fn claim_instructions(nodes: &[SimNode]) -> Vec<Instruction> {
    nodes
        .iter()
        .flat_map(|node| {
            [
                ix::staking::claim_node_rewards(node.supplier.pubkey(), node.key, node.tokens),
                ix::staking::claim_stake_rewards(node.supplier.pubkey(), node.key, node.tokens),
            ]
        })
        .collect()
}

/// Sends `claims` (the supplier and stake claims of `nodes`, one supplier's) in one transaction
/// and returns what each node paid out, from the `RewardsClaimed` events. Nothing to claim is
/// an error by design, so when the batch fails each node claims alone, then each claim alone.
async fn claim_fleet(
    chain: &mut Localnet,
    nodes: &[SimNode],
    claims: &[Instruction],
) -> std::collections::BTreeMap<Pubkey, Claimed> {
    let Some(supplier) = nodes.first().map(|n| &n.supplier) else {
        return Default::default();
    };
    let mut paid = std::collections::BTreeMap::new();
    let mut add = |outcome: &TxOutcome| {
        if outcome.result.is_ok() {
            for event in outcome.events::<staking::RewardsClaimed>() {
                let claimed: &mut Claimed = paid.entry(event.node).or_default();
                if event.supplier {
                    claimed.supplier += event.amount;
                } else {
                    claimed.stakers += event.amount;
                }
            }
        }
        outcome.result.is_ok()
    };
    if add(&chain.send(claims, &[supplier]).await) {
        return paid;
    }
    for node in nodes {
        let pair = claim_instructions(std::slice::from_ref(node));
        if !add(&chain.send(&pair, &[supplier]).await) {
            for claim in pair {
                add(&chain.send(&[claim], &[supplier]).await);
            }
        }
    }
    paid
}
