//! Scenario tests with exact amounts.

use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_math::hour_budget;
use ngpu_sdk::ix;
use ngpu_tests::*;
use staking::{HoursCranked, RewardsClaimed};

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;

/// Two nodes of different capex and stake share one hour in proportion to their targets.
///
/// Price $2.50 (+0 confidence). Node A: capex $13,140 → $1.00/h, at the 100 IO minimum (no
/// boost). Node B: capex $26,280 → $2.00/h, at its maximum (2,000 IO: 2 x 1,000 with no
/// modifiers) → +50% → $3.00/h. Total $4.00/h = 1.6 IO paid; the rest of the hour's budget is
/// forfeited. A earns 0.4 IO, B 1.2 IO; each supplier is its node's only staker, so it also
/// gets the 5%.
#[tokio::test]
async fn one_hour_split_across_nodes_by_target() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    ctx.device_class(1, 26_280, 1_000).await;
    let (alice, alice_tokens) = ctx.funded_user(10_000).await;
    let (bob, bob_tokens) = ctx.funded_user(10_000).await;
    let a = ctx.register_node(&alice, 0, 1).await;
    let b = ctx.register_node(&bob, 1, 1).await;
    assert_ok(&ctx.stake(&alice, alice_tokens, a, 100 * IO).await);
    assert_ok(&ctx.stake(&bob, bob_tokens, b, 2_000 * IO).await);
    assert_eq!(ctx.node(a).await.weight, 1_000_000);
    assert_eq!(ctx.node(b).await.weight, 3_000_000);

    // Staked during hour 0: the nodes earn from hour 1 (a raise counts from the next hour).
    ctx.set_time_after_genesis(2 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    let outcome = ctx.crank(0, 2).await;
    assert_ok(&outcome);
    let event: HoursCranked = outcome.event();
    assert_eq!(event.price_micro_usd, 2_500_000);
    assert_eq!(event.total_weight, 4_000_000);
    assert_eq!(event.paid, 160_000_000);
    let forfeited = hour_budget(0) + hour_budget(1) - 160_000_000;
    assert_eq!(event.forfeited, forfeited);
    assert_eq!(
        ctx.chain.token_balance(ctx.emission_destination).await,
        160_000_000
    );
    let io_config = ctx.config().await;
    assert_eq!(io_config.emission_forfeited, forfeited);

    for (supplier, tokens, node, expected) in [
        (&alice, alice_tokens, a, 40_000_000u64),
        (&bob, bob_tokens, b, 120_000_000),
    ] {
        let before = ctx.chain.token_balance(tokens).await;
        let claim = ix::staking::claim_node_rewards(supplier.pubkey(), node, tokens);
        let outcome = ctx.send_ok(&[claim], &[supplier]).await;
        let event: RewardsClaimed = outcome.event();
        assert_eq!(event.amount, expected * 95 / 100);
        // Left on the node: its stakers' 5%; the program minted both nodes' rewards.
        assert_eq!(
            (
                event.supplier_unclaimed,
                event.supplier_debt,
                event.stakers_unclaimed,
                event.total_rewarded,
                event.rewards_minted,
                event.rewards_burned
            ),
            (0, 0, expected * 5 / 100, expected, 160_000_000, 0)
        );
        let claim = ix::staking::claim_stake_rewards(supplier.pubkey(), node, tokens);
        let outcome = ctx.send_ok(&[claim], &[supplier]).await;
        let event: RewardsClaimed = outcome.event();
        assert_eq!(event.amount, expected * 5 / 100);
        assert_eq!(
            (
                event.supplier_unclaimed,
                event.stakers_unclaimed,
                event.total_rewarded,
                event.rewards_minted
            ),
            (0, 0, expected, 160_000_000)
        );
        assert_eq!(ctx.chain.token_balance(tokens).await - before, expected);
    }
    assert_eq!(ctx.chain.token_balance(ctx.emission_destination).await, 0);
}

/// The stakers' 5% is pro rata to active stake, the supplier's own position included.
#[tokio::test]
async fn five_percent_to_three_stakers_pro_rata() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (supplier, supplier_tokens) = ctx.funded_user(1_000).await;
    let (s2, s2_tokens) = ctx.funded_user(1_000).await;
    let (s3, s3_tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&supplier, 0, 7).await;
    // 100 + 300 + 600 = 1,000 IO: boost = 5,000 * 900 / 1,900 = 2,368 bps → $1.2368/h.
    assert_ok(&ctx.stake(&supplier, supplier_tokens, node, 100 * IO).await);
    assert_ok(&ctx.stake(&s2, s2_tokens, node, 300 * IO).await);
    assert_ok(&ctx.stake(&s3, s3_tokens, node, 600 * IO).await);
    assert_eq!(ctx.node(node).await.weight, 1_236_800);

    // Staked during hour 0: hour 1 is the first paid.
    ctx.set_time_after_genesis(2 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(0, 2).await);
    // paid = 1,236,800 * 1e8 / 2,500,000 = 49,472,000; stakers' 5% = 2,473,600.
    let stakers = 49_472_000u64 - 49_472_000 * 95 / 100;
    assert_eq!(stakers, 2_473_600);
    for (who, tokens, share) in [
        (&supplier, supplier_tokens, 100u64),
        (&s2, s2_tokens, 300),
        (&s3, s3_tokens, 600),
    ] {
        let before = ctx.chain.token_balance(tokens).await;
        let claim = ix::staking::claim_stake_rewards(who.pubkey(), node, tokens);
        ctx.send_ok(&[claim], &[who]).await;
        assert_eq!(
            ctx.chain.token_balance(tokens).await - before,
            stakers * share / 1_000
        );
    }
}

/// Below the minimum stake a node earns nothing: the whole budget is forfeited.
#[tokio::test]
async fn below_minimum_stake_earns_nothing() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO - 1).await);
    assert_eq!(ctx.node(node).await.weight, 0);
    ctx.set_time_after_genesis(HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    let event: HoursCranked = ctx.crank(0, 1).await.event();
    assert_eq!((event.paid, event.forfeited), (0, hour_budget(0)));
    let claim = ix::staking::claim_node_rewards(alice.pubkey(), node, tokens);
    assert_error(
        &ctx.send(&[claim], &[&alice]).await,
        staking::StakingError::NothingToClaim,
    );
}
