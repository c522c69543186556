//! Node states: pause / resume with the 12-hour reconnect cooldown, hired hours, cancel unstake.

use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::ix;
use ngpu_tests::*;
use staking::{
    HoursCranked, NodeAction, NodeState, NodeStateChanged, StakingError, UnstakeCancelled,
    UnstakeRequested,
};

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;
/// One node at the minimum stake: $1/h at $2.50 = 0.4 IO an hour.
const NODE_HOUR: u64 = 40_000_000;

/// Cranks hours `from..to` one at a time, each right when it ends, and returns what each paid.
async fn crank_hourly(ctx: &mut TestContext, from: u64, to: u64) -> Vec<u64> {
    let mut paid = Vec::new();
    for h in from..to {
        ctx.set_time_after_genesis((h as i64 + 1) * HOUR).await;
        ctx.set_price(250_000_000, 0).await;
        paid.push(ctx.crank(h, 1).await.event::<HoursCranked>().paid);
    }
    paid
}

#[tokio::test]
async fn a_node_resumed_at_hour_10_earns_from_hour_22() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    let pause = ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Pause);
    let event: NodeStateChanged = ctx.send_ok(&[pause], &[&alice]).await.event();
    assert_eq!(
        event,
        NodeStateChanged {
            node,
            state: NodeState::Paused,
            eligible_from: START_TS,
            weight: 0,
            total_weight: 0,
            node_active: 100 * IO,
            node_staked: 100 * IO,
        }
    );
    assert_eq!(crank_hourly(ctx, 0, 10).await, vec![0; 10]);

    // Resume at the start of hour 10 (the clock reads genesis + 10 h after cranking hour 9).
    let resume = ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Resume);
    let event: NodeStateChanged = ctx.send_ok(&[resume], &[&alice]).await.event();
    assert_eq!(
        (event.state, event.eligible_from, event.weight),
        (NodeState::Committed, START_TS + 22 * HOUR, 1_000_000)
    );
    assert_eq!((event.node_active, event.node_staked), (100 * IO, 100 * IO));
    let n = ctx.node(node).await;
    assert_eq!(n.state, NodeState::Committed);
    assert_eq!(n.eligible_from, START_TS + 22 * HOUR);
    // Scheduled: nothing until hour 22, its target from then on, with no further call.
    let schedule = n.schedule();
    assert_eq!(
        (schedule.weight_at(21), schedule.weight_at(22)),
        (0, 1_000_000)
    );
    assert_eq!(crank_hourly(ctx, 10, 22).await, vec![0; 12]);
    assert_eq!(crank_hourly(ctx, 22, 24).await, vec![NODE_HOUR; 2]);
    // A keeper's activate_node is harmless: it only settles.
    let outcome = ctx.send_ok(&[ix::staking::activate_node(node)], &[]).await;
    let event: NodeStateChanged = outcome.event();
    assert_eq!(
        (
            event.weight,
            event.total_weight,
            event.node_active,
            event.node_staked
        ),
        (1_000_000, 1_000_000, 100 * IO, 100 * IO)
    );
    assert_eq!(crank_hourly(ctx, 24, 25).await, vec![NODE_HOUR]);
}

/// Issue 8, bug 2: a paused node became eligible for its paused hours when a bystander staked
/// 1 base unit on it while the crank was behind. Now its reconnect hours pay nothing however
/// late the crank comes, and the stake's boost (none here) would count from the next hour.
#[tokio::test]
async fn a_bystanders_stake_does_not_pay_a_paused_nodes_hours() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let (bob, bob_tokens) = ctx.funded_user(1).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    let pause = ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Pause);
    ctx.send_ok(&[pause], &[&alice]).await;
    let resume = ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Resume);
    ctx.send_ok(&[resume], &[&alice]).await;
    // Eligible from hour 12; at 13:30, with nothing cranked, a bystander stakes 1 base unit.
    ctx.set_time_after_genesis(13 * HOUR + 1_800).await;
    assert_ok(&ctx.stake(&bob, bob_tokens, node, 1).await);
    ctx.set_price(250_000_000, 0).await;
    // Hours 0..13 in one late call: only hour 12 pays.
    assert_eq!(
        ctx.crank(0, 13).await.event::<HoursCranked>().paid,
        NODE_HOUR
    );
}

#[tokio::test]
async fn a_node_hired_for_5_hours_earns_nothing_in_them() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    // Staked during hour 0: paid from hour 1.
    assert_eq!(crank_hourly(ctx, 0, 2).await, vec![0, NODE_HOUR]);

    let hirer = ctx.hire_authority.insecure_clone();
    let intruder = ctx.chain.new_user().await;
    let hire = ix::staking::set_hired(intruder.pubkey(), node, true);
    assert_error(
        &ctx.send(&[hire], &[&intruder]).await,
        StakingError::Unauthorized,
    );
    let outcome = ctx
        .send_ok(
            &[ix::staking::set_hired(hirer.pubkey(), node, true)],
            &[&hirer],
        )
        .await;
    let event: NodeStateChanged = outcome.event();
    assert_eq!(
        (event.state, event.node_active, event.node_staked),
        (NodeState::Hired, 100 * IO, 100 * IO)
    );
    // No unstake request while hired.
    ctx.chain.set_time(START_TS + 8 * 86_400).await;
    let unstake = ix::staking::request_unstake(alice.pubkey(), node, IO);
    assert_error(
        &ctx.send(&[unstake], &[&alice]).await,
        StakingError::NodeHired,
    );
    ctx.set_time_after_genesis(2 * HOUR).await;

    // Hired at 2:00: hours 2..7 pay nothing.
    assert_eq!(crank_hourly(ctx, 2, 7).await, vec![0; 5]);
    // Released at 7:00: hour 7 began hired, so the node earns from hour 8.
    ctx.send_ok(
        &[ix::staking::set_hired(hirer.pubkey(), node, false)],
        &[&hirer],
    )
    .await;
    assert_eq!(crank_hourly(ctx, 7, 9).await, vec![0, NODE_HOUR]);
    let release_again = ix::staking::set_hired(hirer.pubkey(), node, false);
    assert_error(
        &ctx.send(&[release_again], &[&hirer]).await,
        StakingError::InvalidNodeState,
    );

    // The supplier earned hours 1 and 8: 95% + its 5% as sole staker.
    let before = ctx.chain.token_balance(tokens).await;
    ctx.send_ok(
        &[ix::staking::claim_node_rewards(
            alice.pubkey(),
            node,
            tokens,
        )],
        &[&alice],
    )
    .await;
    ctx.send_ok(
        &[ix::staking::claim_stake_rewards(
            alice.pubkey(),
            node,
            tokens,
        )],
        &[&alice],
    )
    .await;
    assert_eq!(
        ctx.chain.token_balance(tokens).await - before,
        2 * NODE_HOUR
    );
}

#[tokio::test]
async fn cancel_unstake_restakes_and_earns_again() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    ctx.chain.set_time(START_TS + 7 * 86_400).await;
    let cancel = ix::staking::cancel_unstake(alice.pubkey(), node);
    assert_error(
        &ctx.send(std::slice::from_ref(&cancel), &[&alice]).await,
        StakingError::NothingToClaim,
    );
    let unstake = ix::staking::request_unstake(alice.pubkey(), node, 50 * IO);
    let event: UnstakeRequested = ctx.send_ok(&[unstake], &[&alice]).await.event();
    assert_eq!(
        (
            event.node_active,
            event.position_active,
            event.position_cooldown,
            event.node_staked
        ),
        (50 * IO, 50 * IO, 50 * IO, 100 * IO)
    );
    // Below the minimum now: the node stopped earning at once.
    assert_eq!(ctx.node(node).await.weight, 0);
    let event: UnstakeCancelled = ctx.send_ok(&[cancel], &[&alice]).await.event();
    assert_eq!(
        (
            event.amount,
            event.node_active,
            event.position_active,
            event.node_staked,
            event.weight
        ),
        (50 * IO, 100 * IO, 100 * IO, 100 * IO, 1_000_000)
    );
    let n = ctx.node(node).await;
    assert_eq!(
        (n.active_stake().unwrap(), n.cooldown_shares, n.weight),
        (100 * IO, 0, 1_000_000)
    );
}

#[tokio::test]
async fn invalid_state_changes_are_refused() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, _) = ctx.funded_user(0).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    let resume = ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Resume);
    assert_error(
        &ctx.send(&[resume], &[&alice]).await,
        StakingError::InvalidNodeState,
    );
    let (mallory, _) = ctx.funded_user(0).await;
    let pause = ix::staking::set_node_state(mallory.pubkey(), node, NodeAction::Pause);
    assert_error(
        &ctx.send(&[pause], &[&mallory]).await,
        StakingError::Unauthorized,
    );
    let terminate = ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Terminate);
    ctx.send_ok(std::slice::from_ref(&terminate), &[&alice])
        .await;
    assert_error(
        &ctx.send(&[terminate], &[&alice]).await,
        StakingError::InvalidNodeState,
    );
}
