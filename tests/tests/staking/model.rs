//! Stateful property test: random sequences of stake / unstake / cancel / withdraw / hire /
//! crank / claims, uptime reports, malicious slashes with their finalize / uphold, and clock
//! moves on two nodes and three stakers, against a plain-Rust model of the rules. After every
//! step the program's answer (success or the exact error), every user's IO balance, the config's
//! ledgers, each node's indexes, shares and supplier balances, and every slash record must equal
//! the model's; the harness checks the invariants (node vaults cover the stake, reward vault >=
//! claimable, escrow == pending slashes, Σ weights, the cap) after every transaction.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::hour_budget;
use ngpu_math::penalties::{
    bps_of, charge, hour_reward, index_for_value, record_weight, repay, uptime_cut, weight_at,
    WEIGHT_LOG_LEN,
};
use ngpu_math::staking::{
    accrued, accumulator_delta, amount_to_shares, hourly_target, mul_div_u128, paid_for_hour,
    shares_to_amount, split_node_reward, stake_boost_bps, ACC_SCALE, INDEX_SCALE,
};
use ngpu_sdk::{ix, Pubkey};
use ngpu_tests::*;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use staking::{SlashRecord, SlashStatus, StakingError};

/// Successful reward claims, finalized slashes and upheld appeals across all cases: the test
/// fails if the random sequences never reach those paths at all.
static REWARD_CLAIMS: AtomicUsize = AtomicUsize::new(0);
static FINALIZED: AtomicUsize = AtomicUsize::new(0);
static UPHELD: AtomicUsize = AtomicUsize::new(0);

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
const MIN: u64 = 100 * IO;
const MAX: u64 = 2_000 * IO;
const CAPEX: u64 = 13_140_000_000;
const PRICE: u64 = 2_500_000;
/// The test context's lock, cooldown, appeal window and offline threshold.
const LOCK: i64 = 7 * DAY;
const COOLDOWN: i64 = 7 * DAY;
const APPEAL: i64 = 30 * DAY;
const OFFLINE_BPS: u16 = 5_000;

/// One step. `Report` is the oracles' `uptime` (bps) for hour `next_hour - 1 - back` of the
/// node; `Finalize` and `Uphold` act on the oldest pending slash, else on the newest one.
#[derive(Clone, Debug)]
enum Op {
    Stake { who: usize, node: usize, io: u64 },
    Unstake { at: Target, io: u64 },
    Cancel { at: Target },
    Withdraw { at: Target },
    Hire { node: usize, hired: bool },
    Advance { seconds: i64 },
    Crank { hours: u8 },
    ClaimNode { node: usize },
    ClaimStake { who: usize, node: usize },
    Report { node: usize, back: u64, uptime: u16 },
    Slash { node: usize, bps: u16 },
    Finalize,
    Uphold,
}

/// The position an unstake, cancel or withdraw acts on: a given (staker, node) pair, or the
/// `k`-th (modulo their count) existing one with stake to move (see `Model::position_of`).
#[derive(Clone, Copy, Debug)]
enum Target {
    Pair(usize, usize),
    Existing(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0usize..3;
    let node = 0usize..2;
    let at = prop_oneof![
        1 => (0usize..3, 0usize..2).prop_map(|(who, node)| Target::Pair(who, node)),
        2 => (0usize..6).prop_map(Target::Existing),
    ];
    let uptimes = select(vec![10_000u16, 9_000, 7_500, 5_000, 4_999, 0]);
    prop_oneof![
        3 => (who.clone(), node.clone(), prop_oneof![Just(100u64), 1u64..1_200]).prop_map(|(who, node, io)| Op::Stake { who, node, io }),
        4 => (at.clone(), prop_oneof![1u64..=100, 1u64..600]).prop_map(|(at, io)| Op::Unstake { at, io }),
        1 => at.clone().prop_map(|at| Op::Cancel { at }),
        3 => at.prop_map(|at| Op::Withdraw { at }),
        1 => (node.clone(), any::<bool>()).prop_map(|(node, hired)| Op::Hire { node, hired }),
        3 => prop_oneof![0i64..5 * HOUR, 0i64..9 * DAY].prop_map(|seconds| Op::Advance { seconds }),
        // Past a whole appeal window, so that slashes can be finalized.
        2 => (30 * DAY..32 * DAY).prop_map(|seconds| Op::Advance { seconds }),
        3 => (1u8..=24).prop_map(|hours| Op::Crank { hours }),
        2 => node.clone().prop_map(|node| Op::ClaimNode { node }),
        2 => (who, node.clone()).prop_map(|(who, node)| Op::ClaimStake { who, node }),
        3 => (node.clone(), 0u64..3, uptimes).prop_map(|(node, back, uptime)| Op::Report { node, back, uptime }),
        3 => (node, select(vec![1_000u16, 2_500, 5_000])).prop_map(|(node, bps)| Op::Slash { node, bps }),
        3 => Just(Op::Finalize),
        2 => Just(Op::Uphold),
    ]
}

/// What the program must answer when the model rejects an operation.
#[derive(Clone, Copy, Debug)]
enum Expect {
    Program(StakingError),
    Anchor(ErrorCode),
    Skip,
}

/// A stake position: active and cooling-down stake in node shares, rewards in node reward units.
#[derive(Default, Clone)]
struct Position {
    shares: u128,
    cooldown_shares: u128,
    locked_until: i64,
    cooldown_until: i64,
    per_share_paid: u128,
    owed_units: u128,
}

#[derive(Default, Clone)]
struct NodeModel {
    hired: bool,
    weight: u128,
    acc_paid: u128,
    /// Base units per share (scaled by INDEX_SCALE): slashes and offline reports lower it.
    stake_index: u128,
    active_shares: u128,
    cooldown_shares: u128,
    /// Stakers' reward units per active share (scaled by ACC_SCALE).
    per_share: u128,
    /// Base units per stakers' reward unit (scaled by INDEX_SCALE): slashes lower it.
    reward_index: u128,
    staker_units: u128,
    supplier_unclaimed: u64,
    supplier_debt: u64,
    burn_pending: u64,
    /// The weight each range of cranked hours was paid with: what uptime reports read.
    log_hours: [u64; WEIGHT_LOG_LEN],
    log_weights: [u64; WEIGHT_LOG_LEN],
    reported_until: u64,
    /// Slashed to nothing (stake index 0): earns and accepts nothing more.
    terminated: bool,
}

impl NodeModel {
    fn registered() -> Self {
        Self {
            stake_index: INDEX_SCALE,
            reward_index: INDEX_SCALE,
            ..Default::default()
        }
    }

    fn value(&self, shares: u128) -> u64 {
        shares_to_amount(shares, self.stake_index).unwrap()
    }

    /// Valued over all shares at once, like the program (what the vault must cover).
    fn staked(&self) -> u64 {
        self.value(self.active_shares + self.cooldown_shares)
    }

    fn stakers_unclaimed(&self) -> u64 {
        shares_to_amount(self.staker_units, self.reward_index).unwrap()
    }

    /// Credits what the weight earned since the last settlement: the supplier's 95% repays its
    /// debt first (the repaid part waits to be burned), the stakers' 5% becomes reward units.
    fn settle(&mut self, acc: u128) {
        let reward = accrued(self.weight, acc, self.acc_paid).unwrap();
        self.acc_paid = acc;
        if reward == 0 {
            return;
        }
        let (supplier, stakers) = split_node_reward(reward);
        self.credit_supplier(supplier);
        assert!(
            self.credit_stakers(stakers),
            "an earning node has active stake"
        );
    }

    /// Shares `amount` over the active shares as reward units; false if there are none.
    fn credit_stakers(&mut self, amount: u64) -> bool {
        if self.active_shares == 0 {
            return amount == 0;
        }
        let units = amount_to_shares(amount, self.reward_index).unwrap();
        self.per_share += mul_div_u128(units, ACC_SCALE, self.active_shares).unwrap();
        self.staker_units += units;
        true
    }

    /// Any credit to the supplier repays its debt first; the repaid part waits to be burned.
    fn credit_supplier(&mut self, amount: u64) {
        let (credited, debt, repaid) = repay(amount, self.supplier_debt);
        self.supplier_unclaimed += credited;
        self.supplier_debt = debt;
        self.burn_pending += repaid;
    }

    /// Takes `amount` pro rata from the active and cooling-down stake by lowering the index;
    /// returns what the positions lost.
    fn take_stake(&mut self, amount: u64) -> u64 {
        let before = self.staked();
        if before == 0 || amount == 0 {
            return 0;
        }
        let shares = self.active_shares + self.cooldown_shares;
        self.stake_index = index_for_value(shares, before.saturating_sub(amount)).unwrap();
        self.terminated |= self.stake_index == 0;
        before.saturating_sub(self.staked())
    }
}

#[derive(Clone)]
struct SlashModel {
    node: usize,
    at: i64,
    stake: u64,
    supplier_reward: u64,
    staker_reward: u64,
    status: SlashStatus,
}

impl SlashModel {
    fn total(&self) -> u64 {
        self.stake + self.supplier_reward + self.staker_reward
    }
}

#[derive(Default, Clone)]
struct Model {
    now: i64,
    acc: u128,
    total_weight: u128,
    next_hour: u64,
    /// `deltas[h]`: the reward-per-weight the crank added for hour `h`.
    deltas: Vec<u128>,
    rewards_burned: u64,
    stake_burned: u64,
    escrow_held: u64,
    nodes: [NodeModel; 2],
    positions: BTreeMap<(usize, usize), Position>,
    slashes: Vec<SlashModel>,
    balances: [u64; 3],
}

impl Model {
    /// Settles the node, then the one position the operation touches (created if new), as the
    /// program does: other positions settle lazily, when they are touched.
    fn settle_both(&mut self, who: usize, n: usize) -> &mut Position {
        let node = &mut self.nodes[n];
        node.settle(self.acc);
        let p = self.positions.entry((who, n)).or_default();
        p.owed_units +=
            mul_div_u128(p.shares, node.per_share - p.per_share_paid, ACC_SCALE).unwrap();
        p.per_share_paid = node.per_share;
        p
    }

    /// Recomputes the node's weight from its active stake value and logs it for the hours
    /// cranked from now on.
    fn refresh(&mut self, n: usize) {
        let node = &mut self.nodes[n];
        let active = node.value(node.active_shares);
        let weight = if !node.hired && !node.terminated && active >= MIN {
            hourly_target(CAPEX, stake_boost_bps(active, MIN, MAX, 5_000)).unwrap()
        } else {
            0
        };
        self.total_weight = self.total_weight - node.weight + u128::from(weight);
        node.weight = u128::from(weight);
        record_weight(
            &mut node.log_hours,
            &mut node.log_weights,
            self.next_hour,
            weight,
        );
    }

    /// The (staker, node) an unstake, cancel or withdraw acts on. `Existing(k)` counts only the
    /// positions with stake to move (active for an unstake, cooling down otherwise), if any, so
    /// that the operation mostly gets past its first checks.
    fn position_of(&self, op: &Op) -> (usize, usize) {
        let (at, useful): (Target, fn(&Position) -> bool) = match *op {
            Op::Unstake { at, .. } => (at, |p| p.shares > 0),
            Op::Cancel { at } | Op::Withdraw { at } => (at, |p| p.cooldown_shares > 0),
            _ => unreachable!("{op:?} has no target"),
        };
        let k = match at {
            Target::Pair(who, node) => return (who, node),
            Target::Existing(k) => k,
        };
        let mut keys: Vec<_> = self.positions.iter().filter(|(_, p)| useful(p)).collect();
        if keys.is_empty() {
            // The prefix's stake makes a first position before any of these operations.
            keys = self.positions.iter().collect();
        }
        *keys[k % keys.len()].0
    }

    fn report_hour(&self, back: u64) -> Option<u64> {
        self.next_hour.checked_sub(1 + back)
    }

    /// The slash `Finalize` and `Uphold` act on: the oldest pending one, else the newest.
    fn slash_target(&self) -> Option<usize> {
        let pending = self
            .slashes
            .iter()
            .position(|s| s.status == SlashStatus::Pending);
        pending.or_else(|| self.slashes.len().checked_sub(1))
    }

    /// Applies `op`; returns the error the program must give, if any. On an error the caller
    /// drops this state (a failed transaction changes nothing), so the checks can come in the
    /// program's order, between changes.
    fn apply(&mut self, op: &Op) -> Option<Expect> {
        use Expect::{Anchor, Program};
        use StakingError::*;
        let now = self.now;
        match *op {
            Op::Stake { who, node: n, io } => {
                let amount = io * IO;
                if self.balances[who] < amount {
                    return Some(Expect::Skip); // not enough IO in the wallet: not sent
                }
                let index = self.nodes[n].stake_index;
                if self.nodes[n].terminated {
                    return Some(Program(NodeNotActive));
                }
                let pending = self
                    .slashes
                    .iter()
                    .any(|s| s.node == n && s.status == SlashStatus::Pending);
                if pending {
                    return Some(Program(SlashPending));
                }
                if index == 0 {
                    return Some(Program(NodeNotActive));
                }
                let shares = amount_to_shares(amount, index).unwrap();
                if shares == 0 {
                    return Some(Program(ZeroAmount));
                }
                let p = self.settle_both(who, n);
                p.shares += shares;
                p.locked_until = now + LOCK;
                let node = &mut self.nodes[n];
                node.active_shares += shares;
                if node.value(node.active_shares) > MAX {
                    return Some(Program(AboveMaxStake));
                }
                self.balances[who] -= amount;
                self.refresh(n);
            }
            Op::Unstake { io, .. } => {
                let (who, n) = self.position_of(op);
                let Some(p) = self.positions.get(&(who, n)) else {
                    return Some(Anchor(ErrorCode::AccountNotInitialized));
                };
                if self.nodes[n].hired {
                    return Some(Program(NodeHired));
                }
                if now < p.locked_until {
                    return Some(Program(StakeLocked));
                }
                if self.nodes[n].stake_index == 0 {
                    return Some(Program(NothingStaked));
                }
                let shares = amount_to_shares(io * IO, self.nodes[n].stake_index).unwrap();
                if shares == 0 || shares > p.shares {
                    return Some(Program(InsufficientStake));
                }
                let p = self.settle_both(who, n);
                p.shares -= shares;
                p.cooldown_shares += shares;
                p.cooldown_until = now + COOLDOWN;
                self.nodes[n].active_shares -= shares;
                self.nodes[n].cooldown_shares += shares;
                self.refresh(n);
            }
            Op::Cancel { .. } => {
                let (who, n) = self.position_of(op);
                let Some(p) = self.positions.get(&(who, n)) else {
                    return Some(Anchor(ErrorCode::AccountNotInitialized));
                };
                if p.cooldown_shares == 0 {
                    return Some(Program(NothingToClaim));
                }
                let p = self.settle_both(who, n);
                let shares = std::mem::take(&mut p.cooldown_shares);
                p.shares += shares;
                let node = &mut self.nodes[n];
                node.cooldown_shares -= shares;
                node.active_shares += shares;
                if node.value(node.active_shares) > MAX {
                    return Some(Program(AboveMaxStake));
                }
                self.refresh(n);
            }
            Op::Withdraw { .. } => {
                let (who, n) = self.position_of(op);
                let Some(p) = self.positions.get_mut(&(who, n)) else {
                    return Some(Anchor(ErrorCode::AccountNotInitialized));
                };
                if p.cooldown_shares == 0 {
                    return Some(Program(NothingToClaim));
                }
                if now < p.cooldown_until {
                    return Some(Program(CooldownNotEnded));
                }
                let shares = std::mem::take(&mut p.cooldown_shares);
                let node = &mut self.nodes[n];
                node.cooldown_shares -= shares;
                self.balances[who] += node.value(shares);
            }
            Op::Hire { node: n, hired } => {
                if self.nodes[n].hired == hired {
                    return Some(Program(InvalidNodeState));
                }
                self.nodes[n].settle(self.acc);
                self.nodes[n].hired = hired;
                self.refresh(n);
            }
            Op::Advance { seconds } => self.now += seconds,
            Op::Crank { hours } => {
                let ended = u64::try_from(now / HOUR).unwrap();
                let end = self.next_hour + u64::from(hours);
                if end > ended {
                    return Some(Program(HourNotEnded));
                }
                // Each hour is paid and shared on its own (and remembered for uptime reports),
                // all against the current weights.
                let target = u64::try_from(self.total_weight).unwrap();
                for h in self.next_hour..end {
                    let delta = if self.total_weight == 0 {
                        0
                    } else {
                        let paid = paid_for_hour(hour_budget(h), target, PRICE).unwrap();
                        accumulator_delta(paid, self.total_weight).unwrap()
                    };
                    self.deltas.push(delta);
                    self.acc += delta;
                }
                self.next_hour = end;
            }
            Op::ClaimNode { node: n } => {
                let node = &mut self.nodes[n];
                node.settle(self.acc);
                let amount = std::mem::take(&mut node.supplier_unclaimed);
                let burned = std::mem::take(&mut node.burn_pending);
                if amount == 0 && burned == 0 {
                    return Some(Program(NothingToClaim));
                }
                self.rewards_burned += burned;
                self.balances[n] += amount; // supplier of node n is user n
            }
            Op::ClaimStake { who, node: n } => {
                if !self.positions.contains_key(&(who, n)) {
                    return Some(Anchor(ErrorCode::AccountNotInitialized));
                }
                let owed = std::mem::take(&mut self.settle_both(who, n).owed_units);
                let node = &mut self.nodes[n];
                let amount = shares_to_amount(owed, node.reward_index).unwrap();
                if amount == 0 {
                    return Some(Program(NothingToClaim));
                }
                node.staker_units = node.staker_units.saturating_sub(owed);
                self.balances[who] += amount;
            }
            Op::Report {
                node: n,
                back,
                uptime,
            } => {
                let Some(hour) = self.report_hour(back) else {
                    return Some(Expect::Skip); // before the first cranked hour: not sent
                };
                let node = &mut self.nodes[n];
                if hour < node.reported_until {
                    return Some(Program(UptimeAlreadyReported));
                }
                // Never missing: churn merges old ranges at their higher weight.
                let weight = weight_at(&node.log_hours, &node.log_weights, hour);
                let reward = hour_reward(weight, self.deltas[hour as usize]).unwrap();
                let (cut, offline) = uptime_cut(reward, uptime, OFFLINE_BPS).unwrap();
                // The supplier answers for the cut: from its unclaimed reward, else as a debt.
                node.settle(self.acc);
                let (unclaimed, debt, taken) =
                    charge(node.supplier_unclaimed, node.supplier_debt, cut).unwrap();
                node.supplier_unclaimed = unclaimed;
                node.supplier_debt = debt;
                // What was taken now and the debt repaid since the last burn are burned now.
                self.rewards_burned += taken + std::mem::take(&mut node.burn_pending);
                if offline {
                    self.stake_burned += node.take_stake(reward);
                }
                node.reported_until = hour + 1;
                self.refresh(n);
            }
            Op::Slash { node: n, bps } => {
                let node = &mut self.nodes[n];
                node.settle(self.acc);
                let stake = node.take_stake(bps_of(node.staked(), bps).unwrap());
                let supplier_reward = bps_of(node.supplier_unclaimed, bps).unwrap();
                node.supplier_unclaimed -= supplier_reward;
                // The stakers' unclaimed rewards, settled into positions or not, are all units
                // of the reward index: lowering it takes `bps` of them at once.
                let stakers_before = node.stakers_unclaimed();
                // Units worth nothing (rounding leftovers) must not drive the index to 0.
                if stakers_before > 0 {
                    let left = stakers_before - bps_of(stakers_before, bps).unwrap();
                    node.reward_index = index_for_value(node.staker_units, left).unwrap();
                }
                let staker_reward = stakers_before.saturating_sub(node.stakers_unclaimed());
                self.refresh(n);
                let slash = SlashModel {
                    node: n,
                    at: now,
                    stake,
                    supplier_reward,
                    staker_reward,
                    status: SlashStatus::Pending,
                };
                self.escrow_held += slash.total();
                self.slashes.push(slash);
            }
            Op::Finalize => {
                let Some(i) = self.slash_target() else {
                    return Some(Expect::Skip); // no slash record yet
                };
                let slash = &mut self.slashes[i];
                if slash.status != SlashStatus::Pending {
                    return Some(Program(SlashNotPending));
                }
                if now < slash.at + APPEAL {
                    return Some(Program(AppealWindowOpen));
                }
                slash.status = SlashStatus::Burned;
                self.escrow_held -= slash.total();
                self.stake_burned += slash.stake;
                self.rewards_burned += slash.supplier_reward + slash.staker_reward;
            }
            Op::Uphold => {
                let Some(i) = self.slash_target() else {
                    return Some(Expect::Skip); // no slash record yet
                };
                let slash = &mut self.slashes[i];
                if slash.status != SlashStatus::Pending {
                    return Some(Program(SlashNotPending));
                }
                slash.status = SlashStatus::Returned;
                let slash = slash.clone();
                self.escrow_held -= slash.total();
                let node = &mut self.nodes[slash.node];
                node.settle(self.acc);
                // The stake goes back to whoever holds shares now, the stakers' rewards to the
                // reward units held now; what nobody is left to receive goes to the supplier.
                let mut to_supplier = slash.supplier_reward;
                let shares = node.active_shares + node.cooldown_shares;
                if shares > 0 {
                    node.stake_index =
                        index_for_value(shares, node.staked() + slash.stake).unwrap();
                } else {
                    to_supplier += slash.stake;
                }
                // The stakers' part is a fresh reward to the active stake (nobody could buy in
                // meanwhile); only units worth nothing after a 100% slash get it by the index.
                if node.reward_index == 0 && node.staker_units > 0 {
                    node.reward_index =
                        index_for_value(node.staker_units, slash.staker_reward).unwrap();
                } else if node.reward_index == 0 || !node.credit_stakers(slash.staker_reward) {
                    to_supplier += slash.staker_reward;
                }
                node.credit_supplier(to_supplier);
                self.refresh(slash.node);
            }
        }
        None
    }
}

async fn run(ops: Vec<Op>) {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let mut users: Vec<(Keypair, Pubkey)> = Vec::new();
    for _ in 0..3 {
        users.push(ctx.funded_user(5_000).await);
    }
    let nodes = [
        ctx.register_node(&users[0].0, 0, 0).await,
        ctx.register_node(&users[1].0, 0, 0).await,
    ];
    for (user, _) in &users {
        for node in nodes {
            ctx.staking_positions
                .push(ngpu_sdk::pda::staking::position(&node, &user.pubkey()));
        }
    }
    let hirer = ctx.hire_authority.insecure_clone();
    let authority = ctx.authority.insecure_clone();
    let genesis_ts = ctx.config().await.genesis_ts;
    let mut model = Model {
        nodes: [NodeModel::registered(), NodeModel::registered()],
        balances: [5_000 * IO; 3],
        ..Default::default()
    };
    // The slash records created so far, in the order of `model.slashes`.
    let mut slash_keys: Vec<Pubkey> = Vec::new();

    // Every case starts by earning and claiming one hour, so the reward path is always taken.
    let prefix = [
        Op::Stake {
            who: 0,
            node: 0,
            io: 100,
        },
        Op::Advance { seconds: HOUR },
        Op::Crank { hours: 1 },
        Op::ClaimNode { node: 0 },
        Op::ClaimStake { who: 0, node: 0 },
    ];
    for op in prefix.into_iter().chain(ops) {
        // The operation runs on a copy, kept only if it succeeds; the chain is driven from the
        // state before it.
        let mut next = model.clone();
        let expected = next.apply(&op);
        if matches!(expected, Some(Expect::Skip)) {
            continue;
        }
        let outcome = match op {
            Op::Stake { who, node, io } => {
                let (user, tokens) = &users[who];
                Some(ctx.stake(user, *tokens, nodes[node], io * IO).await)
            }
            Op::Unstake { io, .. } => {
                let (who, node) = model.position_of(&op);
                let user = &users[who].0;
                let ix = ix::staking::request_unstake(user.pubkey(), nodes[node], io * IO);
                Some(ctx.send(&[ix], &[user]).await)
            }
            Op::Cancel { .. } => {
                let (who, node) = model.position_of(&op);
                let user = &users[who].0;
                let ix = ix::staking::cancel_unstake(user.pubkey(), nodes[node]);
                Some(ctx.send(&[ix], &[user]).await)
            }
            Op::Withdraw { .. } => {
                let (who, node) = model.position_of(&op);
                let (user, tokens) = &users[who];
                let ix = ix::staking::withdraw(user.pubkey(), nodes[node], *tokens);
                Some(ctx.send(&[ix], &[user]).await)
            }
            Op::Hire { node, hired } => {
                let ix = ix::staking::set_hired(hirer.pubkey(), nodes[node], hired);
                Some(ctx.send(&[ix], &[&hirer]).await)
            }
            Op::Advance { seconds } => {
                ctx.set_time_after_genesis(model.now + seconds).await;
                None
            }
            Op::Crank { hours } => {
                ctx.set_price(250_000_000, 0).await;
                Some(ctx.crank(model.next_hour, hours).await)
            }
            Op::ClaimNode { node } => {
                let (user, tokens) = &users[node];
                let ix = ix::staking::claim_node_rewards(user.pubkey(), nodes[node], *tokens);
                Some(ctx.send(&[ix], &[user]).await)
            }
            Op::ClaimStake { who, node } => {
                let (user, tokens) = &users[who];
                let ix = ix::staking::claim_stake_rewards(user.pubkey(), nodes[node], *tokens);
                Some(ctx.send(&[ix], &[user]).await)
            }
            Op::Report { node, back, uptime } => {
                let hour = model.report_hour(back).expect("skipped otherwise");
                Some(ctx.report_uptime(nodes[node], hour, uptime).await)
            }
            Op::Slash { node, bps } => {
                // The model takes every slash (asserted below): this is its next record.
                let (outcome, key) = ctx.slash(nodes[node], bps).await;
                slash_keys.push(key);
                Some(outcome)
            }
            Op::Finalize => {
                let i = model.slash_target().expect("skipped otherwise");
                let (key, node) = (slash_keys[i], nodes[model.slashes[i].node]);
                Some(
                    ctx.send(&[ix::staking::finalize_slash(node, key)], &[])
                        .await,
                )
            }
            Op::Uphold => {
                let i = model.slash_target().expect("skipped otherwise");
                let node = nodes[model.slashes[i].node];
                let ix = ix::staking::uphold_appeal(authority.pubkey(), node, slash_keys[i]);
                Some(ctx.send(&[ix], &[&authority]).await)
            }
        };
        if let Some(outcome) = outcome {
            if expected.is_none() {
                let counter = match op {
                    Op::ClaimNode { .. } | Op::ClaimStake { .. } => Some(&REWARD_CLAIMS),
                    Op::Finalize => Some(&FINALIZED),
                    Op::Uphold => Some(&UPHELD),
                    _ => None,
                };
                if let Some(counter) = counter {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            }
            match expected {
                None => assert_ok(&outcome),
                Some(Expect::Program(e)) => assert_error(&outcome, e),
                Some(Expect::Anchor(e)) => assert_anchor_error(&outcome, e),
                Some(Expect::Skip) => unreachable!(),
            }
        }
        if expected.is_none() {
            model = next;
        }

        for (i, (_, tokens)) in users.iter().enumerate() {
            assert_eq!(
                ctx.chain.token_balance(*tokens).await,
                model.balances[i],
                "user {i} after {op:?}"
            );
        }
        let config = ctx.staking_config().await;
        assert_eq!(
            (
                config.total_weight,
                config.reward_per_weight,
                config.next_hour,
                config.rewards_burned,
                config.stake_burned,
                config.escrow_held,
            ),
            (
                model.total_weight,
                model.acc,
                model.next_hour,
                model.rewards_burned,
                model.stake_burned,
                model.escrow_held,
            ),
            "config after {op:?}"
        );
        for (n, key) in nodes.iter().enumerate() {
            let node = ctx.node(*key).await;
            let m = &model.nodes[n];
            assert_eq!(
                (
                    node.weight,
                    node.stake_index,
                    node.active_shares,
                    node.cooldown_shares,
                    node.reward_index,
                    node.staker_units,
                    node.supplier_unclaimed,
                    node.supplier_debt,
                    node.burn_pending,
                ),
                (
                    m.weight,
                    m.stake_index,
                    m.active_shares,
                    m.cooldown_shares,
                    m.reward_index,
                    m.staker_units,
                    m.supplier_unclaimed,
                    m.supplier_debt,
                    m.burn_pending,
                ),
                "node {n} after {op:?}"
            );
        }
        for (key, s) in slash_keys.iter().zip(&model.slashes) {
            let record: SlashRecord = ctx.chain.anchor_account(*key).await;
            assert_eq!(
                (
                    record.status,
                    record.slashed_at - genesis_ts,
                    record.stake_amount,
                    record.supplier_reward_amount,
                    record.staker_reward_amount,
                ),
                (s.status, s.at, s.stake, s.supplier_reward, s.staker_reward),
                "slash {key} after {op:?}"
            );
        }
    }
}

#[test]
fn random_sequences_match_the_model() {
    // CI runs 16 cases; a soak run sets NGPU_MODEL_CASES (e.g. 300).
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
        .run(&proptest::collection::vec(op(), 1..40), |ops| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(run(ops));
            Ok(())
        })
        .unwrap();
    let claims = REWARD_CLAIMS.load(Ordering::Relaxed);
    let (finalized, upheld) = (
        FINALIZED.load(Ordering::Relaxed),
        UPHELD.load(Ordering::Relaxed),
    );
    println!(
        "over all cases: {claims} reward claims, {finalized} slashes finalized, {upheld} appeals upheld"
    );
    assert!(claims > 0, "no sequence reached a reward claim");
    assert!(
        finalized + upheld > 0,
        "no sequence finalized or upheld a slash"
    );
}

/// Sequences the random search once found to break the program (kept as fixed cases):
/// a second slash after every staker claimed drove the reward index to 0 through a leftover
/// rounding unit worth nothing, freezing the node; and valuing active and cooling-down stake
/// separately let an unstake after an offline slash claim one base unit more than the vault.
#[test]
fn known_regressions_match_the_model() {
    use Op::*;
    let cases = vec![
        vec![
            Stake {
                who: 2,
                node: 0,
                io: 200,
            },
            Advance { seconds: 2 * HOUR },
            Crank { hours: 2 },
            Slash {
                node: 0,
                bps: 1_000,
            },
            ClaimStake { who: 0, node: 0 },
            ClaimStake { who: 2, node: 0 },
            Slash {
                node: 0,
                bps: 1_000,
            },
            Advance { seconds: HOUR },
            Crank { hours: 1 },
            ClaimNode { node: 0 },
            ClaimStake { who: 2, node: 0 },
        ],
        vec![
            Stake {
                who: 1,
                node: 0,
                io: 100,
            },
            Stake {
                who: 0,
                node: 0,
                io: 100,
            },
            Advance { seconds: 7 * DAY },
            Unstake {
                at: Target::Pair(0, 0),
                io: 12,
            },
            Report {
                node: 0,
                back: 0,
                uptime: 4_999,
            },
            Unstake {
                at: Target::Pair(0, 0),
                io: 1,
            },
            Advance { seconds: 8 * DAY },
            Withdraw {
                at: Target::Pair(0, 0),
            },
            Unstake {
                at: Target::Pair(1, 0),
                io: 99,
            },
            Advance { seconds: 8 * DAY },
            Withdraw {
                at: Target::Pair(1, 0),
            },
        ],
    ];
    for ops in cases {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(run(ops));
    }
}
