//! Uptime reports: pro-rata cuts, offline hours (forfeit + stake slash), the supplier's debt,
//! idempotence, and how far back a report can reach.

use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::{RewardsClaimed, StakingError, UptimeReported};

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;

/// One $1/h node (capex $13,140) at the 100 IO minimum, the only one: at $2.50 each hour pays
/// it exactly 0.4 IO (40,000,000), 95% to the supplier and 5% to its own position.
async fn one_node() -> (
    TestContext,
    Keypair,
    anchor_lang::prelude::Pubkey,
    anchor_lang::prelude::Pubkey,
) {
    let mut ctx = TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    (ctx, alice, node, tokens)
}

/// 75% uptime in hour 1 (the node's first paid hour: staked during hour 0) cuts a quarter of that hour's reward from the supplier's side and burns
/// it; the stakers' 5% is untouched; the hour cannot be reported twice.
#[tokio::test]
async fn partial_uptime_cuts_the_hour_pro_rata() {
    let (ctx, alice, node, tokens) = &mut one_node().await;
    let (alice, node, tokens) = (alice.insecure_clone(), *node, *tokens);
    ctx.set_time_after_genesis(2 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(0, 2).await);
    let supply = ctx.chain.mint_state(ctx.io_mint).await.supply;
    let vault = ctx.chain.token_balance(pda::staking::reward_vault()).await;

    let outcome = ctx.report_uptime(node, 1, 7_500).await;
    assert_ok(&outcome);
    let event: UptimeReported = outcome.event();
    assert_eq!(
        (
            event.weight,
            event.hour_reward,
            event.reward_cut,
            event.offline
        ),
        (1_000_000, 40_000_000, 10_000_000, false)
    );
    assert_eq!(
        (
            event.rewards_burned,
            event.supplier_debt,
            event.stake_burned
        ),
        (10_000_000, 0, 0)
    );
    assert_eq!(event.config_rewards_burned, 10_000_000);
    assert_eq!(
        ctx.chain.mint_state(ctx.io_mint).await.supply,
        supply - 10_000_000
    );
    assert_eq!(
        ctx.chain.token_balance(pda::staking::reward_vault()).await,
        vault - 10_000_000
    );
    let n = ctx.node(node).await;
    assert_eq!(
        (n.supplier_unclaimed, n.rewards_cut, n.uptime_reported_until),
        (28_000_000, 10_000_000, 2)
    );

    // Idempotent: the same report again (or an earlier hour) changes nothing.
    assert_error(
        &ctx.report_uptime(node, 1, 7_500).await,
        StakingError::UptimeAlreadyReported,
    );
    assert_error(
        &ctx.report_uptime(node, 0, 7_500).await,
        StakingError::UptimeAlreadyReported,
    );
    // Only cranked hours can be reported.
    assert_error(
        &ctx.report_uptime(node, 2, 10_000).await,
        StakingError::HourNotCranked,
    );

    let claim = ix::staking::claim_node_rewards(alice.pubkey(), node, tokens);
    let paid = ctx
        .send_ok(&[claim], &[&alice])
        .await
        .event::<RewardsClaimed>()
        .amount;
    assert_eq!(paid, 28_000_000);
    let claim = ix::staking::claim_stake_rewards(alice.pubkey(), node, tokens);
    let paid = ctx
        .send_ok(&[claim], &[&alice])
        .await
        .event::<RewardsClaimed>()
        .amount;
    assert_eq!(paid, 2_000_000);
}

/// An offline hour is forfeited whole and the stake loses one hour's reward, pro rata across
/// positions. The supplier had already claimed: the cut becomes a debt that its next rewards
/// repay (and that repayment is burned at its next claim), while the stakers keep their 5%.
#[tokio::test]
async fn offline_hour_forfeits_slashes_and_leaves_a_debt() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, alice_tokens) = ctx.funded_user(1_000).await;
    let (bob, bob_tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, alice_tokens, node, 100 * IO).await);
    assert_ok(&ctx.stake(&bob, bob_tokens, node, 100 * IO).await);
    // 200 IO of at most 2,000: boost 5,000 * 100 / 1,900 = 263 bps → $1.0263/h → 41,052,000.
    assert_eq!(ctx.node(node).await.weight, 1_026_300);
    // Staked during hour 0: hour 1 is the first paid.
    ctx.set_time_after_genesis(2 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(0, 2).await);
    let claim = ix::staking::claim_node_rewards(alice.pubkey(), node, alice_tokens);
    let claimed = ctx
        .send_ok(&[claim], &[&alice])
        .await
        .event::<RewardsClaimed>()
        .amount;
    assert_eq!(claimed, 38_999_400); // 95% of 41,052,000

    let supply = ctx.chain.mint_state(ctx.io_mint).await.supply;
    let outcome = ctx.report_uptime(node, 1, 4_999).await; // below the 5,000 bps threshold
    assert_ok(&outcome);
    let event: UptimeReported = outcome.event();
    assert!(event.offline);
    assert_eq!(
        (event.hour_reward, event.reward_cut),
        (41_052_000, 41_052_000)
    );
    // Nothing unclaimed to take from: all of it is now debt; the stake pays one hour's reward.
    assert_eq!((event.rewards_burned, event.supplier_debt), (0, 41_052_000));
    assert_eq!(event.stake_burned, 41_052_000);
    assert_eq!(event.node_staked, 200 * IO - 41_052_000);
    assert_eq!(
        ctx.chain.mint_state(ctx.io_mint).await.supply,
        supply - 41_052_000
    );
    assert_eq!(
        ctx.chain.token_balance(pda::staking::vault(&node)).await,
        200 * IO - 41_052_000
    );
    let n = ctx.node(node).await;
    // Each position lost half: 100 IO x (1 - 41,052,000 / 20,000,000,000).
    let each = ngpu_math::staking::shares_to_amount(100 * u128::from(IO), n.stake_index).unwrap();
    assert_eq!(each, 9_979_474_000);
    // 199.58948 IO staked: boost 262 bps.
    assert_eq!(n.weight, 1_026_200);

    // Hour 2 (the report came in it, lowering the stake: that hour already counts at the new
    // weight) pays the node 41,048,000: the supplier's 38,995,600 all goes to the debt.
    ctx.set_time_after_genesis(3 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(2, 1).await);
    let supply = ctx.chain.mint_state(ctx.io_mint).await.supply;
    let claim = ix::staking::claim_node_rewards(alice.pubkey(), node, alice_tokens);
    let outcome = ctx.send_ok(&[claim], &[&alice]).await;
    let event: RewardsClaimed = outcome.event();
    assert_eq!((event.amount, event.burned), (0, 38_995_600));
    assert_eq!(event.rewards_burned, 38_995_600);
    assert_eq!(
        ctx.chain.mint_state(ctx.io_mint).await.supply,
        supply - 38_995_600
    );
    let n = ctx.node(node).await;
    assert_eq!(
        (n.supplier_debt, n.burn_pending),
        (41_052_000 - 38_995_600, 0)
    );
    assert_eq!(ctx.staking_state().await.rewards_burned, 38_995_600);

    // Bob kept his half of the stakers' 5% of both hours: 1,026,300 + 1,026,200.
    let claim = ix::staking::claim_stake_rewards(bob.pubkey(), node, bob_tokens);
    let paid = ctx
        .send_ok(&[claim], &[&bob])
        .await
        .event::<RewardsClaimed>()
        .amount;
    assert_eq!(paid, 2_052_500);
}

/// Reports need a quorum of the oracle set and a valid uptime; a hired hour has nothing to cut.
#[tokio::test]
async fn report_rejections() {
    let (ctx, _alice, node, _tokens) = &mut one_node().await;
    let node = *node;
    ctx.set_time_after_genesis(2 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(0, 2).await);
    let history = ctx.history;
    let one = ctx.oracles[0].insecure_clone();
    let outsider = Keypair::new();
    for signers in [vec![&one], vec![&one, &outsider]] {
        let keys: Vec<_> = signers.iter().map(|k| k.pubkey()).collect();
        let ix = ix::staking::report_uptime(&keys, history, node, 0, 0);
        assert_error(
            &ctx.send(&[ix], &signers).await,
            StakingError::QuorumNotReached,
        );
    }
    assert_error(
        &ctx.report_uptime(node, 0, 10_001).await,
        StakingError::InvalidParameter,
    );
    // A wrong history account is refused.
    let keys: Vec<_> = ctx.oracles[..2].iter().map(|k| k.pubkey()).collect();
    let (a, b) = (
        ctx.oracles[0].insecure_clone(),
        ctx.oracles[1].insecure_clone(),
    );
    let ix = ix::staking::report_uptime(
        &keys,
        anchor_lang::prelude::Pubkey::new_unique(),
        node,
        0,
        0,
    );
    assert_anchor_error(
        &ctx.send(&[ix], &[&a, &b]).await,
        anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram,
    );

    // Hired in hour 2: its weight there is 0, so even an offline report takes nothing.
    let hire = ctx.hire_authority.insecure_clone();
    ctx.send_ok(
        &[ix::staking::set_hired(hire.pubkey(), node, true)],
        &[&hire],
    )
    .await;
    ctx.set_time_after_genesis(3 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(2, 1).await);
    let event: UptimeReported = ctx.report_uptime(node, 2, 0).await.event();
    assert_eq!(
        (
            event.weight,
            event.hour_reward,
            event.reward_cut,
            event.stake_burned
        ),
        (0, 0, 0, 0)
    );
}

/// Churning stake cannot push an hour out of reach of a report: the node's weight log keeps the
/// newest weights exactly and merges the oldest ranges at their higher weight. The history ring
/// reaches back 720 hours; older reports are refused with `ReportTooLate`.
#[tokio::test]
async fn reports_reach_back_over_churn_and_the_ring() {
    let (ctx, alice, node, tokens) = &mut one_node().await;
    let (alice, node, tokens) = (alice.insecure_clone(), *node, *tokens);
    // Hour 0 pays nothing (staked during it), hour 1 pays weight 1,000,000; then four stake
    // changes, each counting from the hour after it.
    for h in 0..4u64 {
        ctx.set_time_after_genesis((h as i64 + 1) * HOUR).await;
        ctx.set_price(250_000_000, 0).await;
        assert_ok(&ctx.crank(h, 1).await);
        assert_ok(&ctx.stake(&alice, tokens, node, 10 * IO).await);
    }
    let n = ctx.node(node).await;
    // Hours 0 and 1 (paid 0 and 1,000,000) merged into one range at the higher weight.
    assert_eq!(n.weight_log_hours, [0, 2, 3, 4]);
    let w1 = n.weight_log_weights[0];
    assert_eq!(w1, 1_000_000);
    let event: UptimeReported = ctx.report_uptime(node, 0, 10_000).await.event();
    assert_eq!(event.weight, w1); // an upper bound: the report came after four changes
    ctx.set_time_after_genesis(5 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(4, 1).await);
    // Settling logged hour 5's weight: hours 0..2 merged at the higher weight, an upper bound.
    let event: UptimeReported = ctx.report_uptime(node, 1, 10_000).await.event();
    assert_eq!(event.weight, n.weight_log_weights[1]);
    let event: UptimeReported = ctx.report_uptime(node, 4, 10_000).await.event();
    assert_eq!(event.weight, n.weight_log_weights[3]);

    // 720 more hours: hour 5 falls out of the ring, hour 6 is still in it.
    ctx.check_after_each = false;
    let mut next = 5u64;
    while next < 5 + 721 {
        let hours = (5 + 721 - next).min(24) as u8;
        ctx.set_time_after_genesis((next + u64::from(hours)) as i64 * HOUR)
            .await;
        ctx.set_price(250_000_000, 0).await;
        assert_ok(&ctx.crank(next, hours).await);
        next += u64::from(hours);
    }
    ctx.check_after_each = true;
    assert_error(
        &ctx.report_uptime(node, 5, 0).await,
        StakingError::ReportTooLate,
    );
    let event: UptimeReported = ctx.report_uptime(node, 6, 10_000).await.event();
    assert_eq!(
        event.hour_reward,
        ngpu_math::penalties::hour_reward(event.weight, {
            // One node: each hour's delta is paid * 1e18 / weight.
            let paid = u128::from(event.weight) * 100_000_000 / 2_500_000;
            paid * ngpu_math::staking::ACC_SCALE / u128::from(event.weight)
        })
        .unwrap()
    );
}
