//! Stateful property test: random sequences of stake / unstake / cancel / withdraw / hire /
//! crank / claims and clock moves on two nodes and three stakers, against a plain-Rust model
//! of the rules. After every step the program's answer (success or the exact error) and every
//! user's IO balance must equal the model's; the harness checks the invariants (node vaults ==
//! stake, reward vault >= claimable, Σ weights, the cap) after every transaction.

use std::collections::HashMap;

use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::hour_budget;
use ngpu_math::staking::{
    accrued, accumulator_delta, hourly_target, paid_for_hour, split_node_reward, stake_boost_bps,
};
use ngpu_sdk::{ix, Pubkey};
use ngpu_tests::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use staking::StakingError;

/// Successful reward claims across all cases: the test fails if the random sequences never
/// reach the reward path at all.
static REWARD_CLAIMS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
const MIN: u64 = 100 * IO;
const MAX: u64 = 2_000 * IO;
const CAPEX: u64 = 13_140_000_000;
const PRICE: u64 = 2_500_000;

#[derive(Clone, Debug)]
enum Op {
    Stake { who: usize, node: usize, io: u64 },
    Unstake { who: usize, node: usize, io: u64 },
    Cancel { who: usize, node: usize },
    Withdraw { who: usize, node: usize },
    Hire { node: usize, hired: bool },
    Advance { seconds: i64 },
    Crank { hours: u8 },
    ClaimNode { node: usize },
    ClaimStake { who: usize, node: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0usize..3;
    let node = 0usize..2;
    prop_oneof![
        4 => (who.clone(), node.clone(), prop_oneof![Just(100u64), 1u64..1_200]).prop_map(|(who, node, io)| Op::Stake { who, node, io }),
        2 => (who.clone(), node.clone(), 1u64..600).prop_map(|(who, node, io)| Op::Unstake { who, node, io }),
        1 => (who.clone(), node.clone()).prop_map(|(who, node)| Op::Cancel { who, node }),
        1 => (who.clone(), node.clone()).prop_map(|(who, node)| Op::Withdraw { who, node }),
        1 => (node.clone(), any::<bool>()).prop_map(|(node, hired)| Op::Hire { node, hired }),
        3 => prop_oneof![0i64..5 * HOUR, 0i64..9 * DAY].prop_map(|seconds| Op::Advance { seconds }),
        3 => (1u8..=24).prop_map(|hours| Op::Crank { hours }),
        2 => node.clone().prop_map(|node| Op::ClaimNode { node }),
        2 => (who, node).prop_map(|(who, node)| Op::ClaimStake { who, node }),
    ]
}

/// What the program must answer when the model rejects an operation.
#[derive(Clone, Copy, Debug)]
enum Expect {
    Program(StakingError),
    Anchor(ErrorCode),
    Skip,
}

#[derive(Default, Clone)]
struct Position {
    active: u64,
    cooldown: u64,
    locked_until: i64,
    cooldown_until: i64,
    per_share_paid: u128,
    owed: u64,
}

#[derive(Default, Clone)]
struct NodeModel {
    hired: bool,
    weight: u128,
    acc_paid: u128,
    active: u64,
    per_share: u128,
    supplier_unclaimed: u64,
}

#[derive(Default)]
struct Model {
    now: i64,
    acc: u128,
    total_weight: u128,
    next_hour: u64,
    nodes: [NodeModel; 2],
    positions: HashMap<(usize, usize), Position>,
    balances: [u64; 3],
}

impl Model {
    fn settle(&mut self, n: usize) {
        let acc = self.acc;
        let node = &mut self.nodes[n];
        let reward = accrued(node.weight, acc, node.acc_paid).unwrap();
        node.acc_paid = acc;
        if reward > 0 {
            let (supplier, stakers) = split_node_reward(reward);
            node.supplier_unclaimed += supplier;
            node.per_share += accumulator_delta(stakers, u128::from(node.active)).unwrap();
        }
    }

    /// Settles the node, then the one position the operation touches (as the program does:
    /// other positions settle lazily, when they are touched).
    fn settle_both(&mut self, who: usize, n: usize) {
        self.settle(n);
        let per_share = self.nodes[n].per_share;
        let p = self.position(who, n);
        p.owed += accrued(u128::from(p.active), per_share, p.per_share_paid).unwrap();
        p.per_share_paid = per_share;
    }

    fn refresh(&mut self, n: usize) {
        let node = &mut self.nodes[n];
        let weight = if !node.hired && node.active >= MIN {
            u128::from(hourly_target(CAPEX, stake_boost_bps(node.active, MIN, MAX, 5_000)).unwrap())
        } else {
            0
        };
        self.total_weight = self.total_weight - node.weight + weight;
        node.weight = weight;
    }

    fn position(&mut self, who: usize, n: usize) -> &mut Position {
        let per_share = self.nodes[n].per_share;
        self.positions.entry((who, n)).or_insert_with(|| Position {
            per_share_paid: per_share,
            ..Default::default()
        })
    }

    /// Applies `op`; returns the error the program must give, if any.
    fn apply(&mut self, op: &Op) -> Option<Expect> {
        match *op {
            Op::Stake { who, node: n, io } => {
                let amount = io * IO;
                if self.balances[who] < amount {
                    return Some(Expect::Skip); // not enough IO in the wallet: not sent
                }
                if self.nodes[n].active + amount > MAX {
                    return Some(Expect::Program(StakingError::AboveMaxStake));
                }
                self.settle_both(who, n);
                let now = self.now;
                let p = self.position(who, n);
                p.active += amount;
                p.locked_until = now + 7 * DAY;
                self.nodes[n].active += amount;
                self.balances[who] -= amount;
                self.refresh(n);
            }
            Op::Unstake { who, node: n, io } => {
                let amount = io * IO;
                let now = self.now;
                let Some(p) = self.positions.get(&(who, n)).cloned() else {
                    return Some(Expect::Anchor(ErrorCode::AccountNotInitialized));
                };
                if self.nodes[n].hired {
                    return Some(Expect::Program(StakingError::NodeHired));
                }
                if now < p.locked_until {
                    return Some(Expect::Program(StakingError::StakeLocked));
                }
                if amount > p.active {
                    return Some(Expect::Program(StakingError::InsufficientStake));
                }
                self.settle_both(who, n);
                let p = self.position(who, n);
                p.active -= amount;
                p.cooldown += amount;
                p.cooldown_until = now + 7 * DAY;
                self.nodes[n].active -= amount;
                self.refresh(n);
            }
            Op::Cancel { who, node: n } => {
                let Some(p) = self.positions.get(&(who, n)).cloned() else {
                    return Some(Expect::Anchor(ErrorCode::AccountNotInitialized));
                };
                if p.cooldown == 0 {
                    return Some(Expect::Program(StakingError::NothingToClaim));
                }
                if self.nodes[n].active + p.cooldown > MAX {
                    return Some(Expect::Program(StakingError::AboveMaxStake));
                }
                self.settle_both(who, n);
                let p = self.position(who, n);
                let back = p.cooldown;
                p.cooldown = 0;
                p.active += back;
                self.nodes[n].active += back;
                self.refresh(n);
            }
            Op::Withdraw { who, node: n } => {
                let now = self.now;
                let Some(p) = self.positions.get_mut(&(who, n)) else {
                    return Some(Expect::Anchor(ErrorCode::AccountNotInitialized));
                };
                if p.cooldown == 0 {
                    return Some(Expect::Program(StakingError::NothingToClaim));
                }
                if now < p.cooldown_until {
                    return Some(Expect::Program(StakingError::CooldownNotEnded));
                }
                self.balances[who] += p.cooldown;
                p.cooldown = 0;
            }
            Op::Hire { node: n, hired } => {
                if self.nodes[n].hired == hired {
                    return Some(Expect::Program(StakingError::InvalidNodeState));
                }
                self.settle(n);
                self.nodes[n].hired = hired;
                self.refresh(n);
            }
            Op::Advance { .. } => {}
            Op::Crank { hours } => {
                let ended = u64::try_from(self.now / HOUR).unwrap();
                if self.next_hour + u64::from(hours) > ended {
                    return Some(Expect::Program(StakingError::HourNotEnded));
                }
                let target = u64::try_from(self.total_weight).unwrap();
                let mut paid = 0;
                for h in self.next_hour..self.next_hour + u64::from(hours) {
                    if self.total_weight > 0 {
                        paid += paid_for_hour(hour_budget(h), target, PRICE).unwrap();
                    }
                }
                if self.total_weight > 0 {
                    self.acc += accumulator_delta(paid, self.total_weight).unwrap();
                }
                self.next_hour += u64::from(hours);
            }
            Op::ClaimNode { node: n } => {
                self.settle(n);
                let amount = std::mem::take(&mut self.nodes[n].supplier_unclaimed);
                if amount == 0 {
                    return Some(Expect::Program(StakingError::NothingToClaim));
                }
                self.balances[n] += amount; // supplier of node n is user n
            }
            Op::ClaimStake { who, node: n } => {
                if !self.positions.contains_key(&(who, n)) {
                    return Some(Expect::Anchor(ErrorCode::AccountNotInitialized));
                }
                self.settle_both(who, n);
                let p = self.position(who, n);
                let amount = std::mem::take(&mut p.owed);
                if amount == 0 {
                    return Some(Expect::Program(StakingError::NothingToClaim));
                }
                self.balances[who] += amount;
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
    let mut model = Model {
        balances: [5_000 * IO; 3],
        ..Default::default()
    };

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
        let before = model.balances;
        let expected = model.apply(&op);
        if matches!(expected, Some(Expect::Skip)) {
            continue;
        }
        let outcome = match op {
            Op::Stake { who, node, io } => {
                let (user, tokens) = &users[who];
                Some(ctx.stake(user, *tokens, nodes[node], io * IO).await)
            }
            Op::Unstake { who, node, io } => {
                let user = &users[who].0;
                let ix = ix::staking::request_unstake(user.pubkey(), nodes[node], io * IO);
                Some(ctx.send(&[ix], &[user]).await)
            }
            Op::Cancel { who, node } => {
                let user = &users[who].0;
                Some(
                    ctx.send(
                        &[ix::staking::cancel_unstake(user.pubkey(), nodes[node])],
                        &[user],
                    )
                    .await,
                )
            }
            Op::Withdraw { who, node } => {
                let (user, tokens) = &users[who];
                let ix = ix::staking::withdraw(user.pubkey(), nodes[node], *tokens);
                Some(ctx.send(&[ix], &[user]).await)
            }
            Op::Hire { node, hired } => {
                let ix = ix::staking::set_hired(hirer.pubkey(), nodes[node], hired);
                Some(ctx.send(&[ix], &[&hirer]).await)
            }
            Op::Advance { seconds } => {
                model.now += seconds;
                ctx.set_time_after_genesis(model.now).await;
                None
            }
            Op::Crank { hours } => {
                ctx.set_price(250_000_000, 0).await;
                Some(
                    ctx.crank(
                        model.next_hour
                            - if expected.is_none() {
                                u64::from(hours)
                            } else {
                                0
                            },
                        hours,
                    )
                    .await,
                )
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
        };
        if let Some(outcome) = outcome {
            if expected.is_none() && matches!(op, Op::ClaimNode { .. } | Op::ClaimStake { .. }) {
                REWARD_CLAIMS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            match expected {
                None => assert_ok(&outcome),
                Some(Expect::Program(e)) => assert_error(&outcome, e),
                Some(Expect::Anchor(e)) => assert_anchor_error(&outcome, e),
                Some(Expect::Skip) => unreachable!(),
            }
        }
        for (i, (_, tokens)) in users.iter().enumerate() {
            assert_eq!(
                ctx.chain.token_balance(*tokens).await,
                model.balances[i],
                "user {i} after {op:?} (before {before:?})"
            );
        }
        let config = ctx.staking_config().await;
        assert_eq!(
            (
                config.total_weight,
                config.reward_per_weight,
                config.next_hour
            ),
            (model.total_weight, model.acc, model.next_hour),
            "{op:?}"
        );
    }
}

#[test]
fn random_sequences_match_the_model() {
    let mut runner = TestRunner::new(Config {
        cases: 16,
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
    let claims = REWARD_CLAIMS.load(std::sync::atomic::Ordering::Relaxed);
    println!("successful reward claims over all cases: {claims}");
    assert!(claims > 0, "no sequence reached a reward claim");
}
