//! Issue 8 item 7: each deposit is locked 7 days from its own time, each unstake request is
//! withdrawable 7 days after that request (SPEC §4); a few lots per position, a clear error when
//! every slot is taken.

use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::ix;
use ngpu_tests::*;
use staking::{StakingError, Withdrawn};

const IO: u64 = 100_000_000;
const DAY: i64 = 86_400;

#[tokio::test]
async fn each_deposit_keeps_its_own_lock_to_the_second() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    // A top-up three days later does not re-lock the first deposit.
    ctx.chain.set_time(START_TS + 3 * DAY).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 50 * IO).await);
    let unstake = |amount| ix::staking::request_unstake(alice.pubkey(), node, amount);
    ctx.chain.set_time(START_TS + 7 * DAY - 1).await;
    assert_error(
        &ctx.send(&[unstake(IO)], &[&alice]).await,
        StakingError::StakeLocked,
    );
    ctx.chain.set_time(START_TS + 7 * DAY).await;
    ctx.send_ok(&[unstake(100 * IO)], &[&alice]).await;
    // The top-up is locked until day 10.
    assert_error(
        &ctx.send(&[unstake(1)], &[&alice]).await,
        StakingError::StakeLocked,
    );
    ctx.chain.set_time(START_TS + 10 * DAY - 1).await;
    assert_error(
        &ctx.send(&[unstake(1)], &[&alice]).await,
        StakingError::StakeLocked,
    );
    ctx.chain.set_time(START_TS + 10 * DAY).await;
    ctx.send_ok(&[unstake(50 * IO)], &[&alice]).await;
    assert_error(
        &ctx.send(&[unstake(1)], &[&alice]).await,
        StakingError::InsufficientStake,
    );
}

#[tokio::test]
async fn each_unstake_request_keeps_its_own_cooldown_to_the_second() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 150 * IO).await);
    let t1 = START_TS + 8 * DAY;
    ctx.chain.set_time(t1).await;
    let unstake = |amount| ix::staking::request_unstake(alice.pubkey(), node, amount);
    ctx.send_ok(&[unstake(100 * IO)], &[&alice]).await;
    // A second request two days later does not restart the first one's cooldown.
    ctx.chain.set_time(t1 + 2 * DAY).await;
    ctx.send_ok(&[unstake(50 * IO)], &[&alice]).await;
    let withdraw = || ix::staking::withdraw(alice.pubkey(), node, tokens);
    ctx.chain.set_time(t1 + 7 * DAY - 1).await;
    assert_error(
        &ctx.send(&[withdraw()], &[&alice]).await,
        StakingError::CooldownNotEnded,
    );
    ctx.chain.set_time(t1 + 7 * DAY).await;
    let outcome = ctx.send_ok(&[withdraw()], &[&alice]).await;
    assert_eq!(outcome.event::<Withdrawn>().amount, 100 * IO);
    ctx.chain.set_time(t1 + 9 * DAY - 1).await;
    assert_error(
        &ctx.send(&[withdraw()], &[&alice]).await,
        StakingError::CooldownNotEnded,
    );
    ctx.chain.set_time(t1 + 9 * DAY).await;
    let outcome = ctx.send_ok(&[withdraw()], &[&alice]).await;
    assert_eq!(outcome.event::<Withdrawn>().amount, 50 * IO);
    assert_error(
        &ctx.send(&[withdraw()], &[&alice]).await,
        StakingError::NothingToClaim,
    );
    let n = ctx.node(node).await;
    assert_eq!((n.active_shares, n.cooldown_shares), (0, 0));
}

#[tokio::test]
async fn a_ninth_running_lot_is_refused_until_one_ends() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    for i in 0..8 {
        ctx.chain.set_time(START_TS + i).await;
        assert_ok(&ctx.stake(&alice, tokens, node, 10 * IO).await);
    }
    ctx.chain.set_time(START_TS + 8).await;
    assert_error(
        &ctx.stake(&alice, tokens, node, 10 * IO).await,
        StakingError::TooManyLots,
    );
    // Two deposits in the same second share a lot.
    ctx.chain.set_time(START_TS + 7).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 10 * IO).await);
    // Once the first lock has ended its slot is free again.
    ctx.chain.set_time(START_TS + 7 * DAY).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 10 * IO).await);
    // Eight requests cooling down at once, then a ninth is refused until one is withdrawn.
    ctx.chain.set_time(START_TS + 7 * DAY + 7).await;
    for i in 0..8 {
        ctx.chain.set_time(START_TS + 7 * DAY + 7 + i).await;
        let unstake = ix::staking::request_unstake(alice.pubkey(), node, IO);
        ctx.send_ok(&[unstake], &[&alice]).await;
    }
    ctx.chain.set_time(START_TS + 7 * DAY + 15).await;
    let unstake = ix::staking::request_unstake(alice.pubkey(), node, IO);
    assert_error(
        &ctx.send(std::slice::from_ref(&unstake), &[&alice]).await,
        StakingError::TooManyLots,
    );
    ctx.chain.set_time(START_TS + 14 * DAY + 7).await;
    let withdraw = ix::staking::withdraw(alice.pubkey(), node, tokens);
    let outcome = ctx.send_ok(&[withdraw], &[&alice]).await;
    assert_eq!(outcome.event::<Withdrawn>().amount, IO);
    ctx.send_ok(&[unstake], &[&alice]).await;
}
