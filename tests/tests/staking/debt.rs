//! The supplier's uptime debt is secured against its own stake (issue 8 item 4): a supplier that
//! claims after every crank turns each later uptime cut into `supplier_debt`; terminating the
//! node and withdrawing its whole stake used to leave that debt unpaid for good. Now the
//! supplier's withdrawal burns the debt first; what its stake cannot cover is written off once
//! its position is empty and the node terminated, so that the node can still be deregistered.

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::Pubkey;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::{NodeAction, NodeDeregistered, RewardsClaimed, StakingError, Withdrawn};

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// Cranks hour by hour from hour 0 up to hour `last` (the first call cranks hours 0 and 1),
/// with the supplier claiming its reward after every crank; returns what it was paid in all.
async fn crank_and_claim(
    ctx: &mut TestContext,
    supplier: &Keypair,
    tokens: Pubkey,
    node: Pubkey,
    last: u64,
    per_hour: u64,
) -> u64 {
    let mut paid = 0;
    for hour in 1..=last {
        ctx.set_time_after_genesis((hour as i64 + 1) * HOUR).await;
        ctx.set_price(250_000_000, 0).await;
        let (first, hours) = if hour == 1 { (0, 2) } else { (hour, 1) };
        assert_ok(&ctx.crank(first, hours).await);
        let claim = ix::staking::claim_node_rewards(supplier.pubkey(), node, tokens);
        let outcome = ctx.send_ok(&[claim], &[supplier]).await;
        let amount = outcome.event::<RewardsClaimed>().amount;
        assert_eq!(
            amount, per_hour,
            "hour {hour}: 95% of its reward, nothing owed"
        );
        paid += amount;
    }
    paid
}

fn withdraw(staker: &Keypair, node: Pubkey, tokens: Pubkey) -> ngpu_sdk::Instruction {
    ix::staking::withdraw(staker.pubkey(), node, tokens)
}

/// The escape of issue 8 item 4, step by step: one $1/h node at the 100 IO minimum (each hour
/// pays 0.4 IO = 40,000,000, the supplier 38,000,000) staked by its supplier alone. It claims
/// after every one of 24 cranks; the oracle then reports those 24 hours at 60% uptime: each cut
/// (16,000,000) finds nothing unclaimed and becomes debt, 384,000,000 in all. It terminates,
/// requests its whole stake back after the lock and withdraws after the cooldown: the debt is
/// burned out of the stake, it receives 100 IO - 3.84 IO, the supply falls by the debt, and
/// the node can be deregistered.
#[tokio::test]
async fn the_suppliers_stake_pays_its_uptime_debt() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    crank_and_claim(ctx, &alice, tokens, node, 24, 38_000_000).await;

    for hour in 1..=24 {
        let outcome = ctx.report_uptime(node, hour, 6_000).await;
        assert_ok(&outcome);
    }
    let debt = 24 * 16_000_000;
    let n = ctx.node(node).await;
    assert_eq!((n.supplier_unclaimed, n.supplier_debt), (0, debt));

    // Hour 25: terminated, it earns nothing more that could repay the debt.
    ctx.set_time_after_genesis(25 * HOUR + 60).await;
    let terminate = ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Terminate);
    ctx.send_ok(&[terminate], &[&alice]).await;
    ctx.set_time_after_genesis(7 * DAY).await;
    let unstake = ix::staking::request_unstake(alice.pubkey(), node, 100 * IO);
    ctx.send_ok(&[unstake], &[&alice]).await;
    ctx.set_time_after_genesis(14 * DAY).await;

    // The IO mint is pinned: another mint is refused.
    let other_mint = ctx.chain.create_mint(8, &alice.pubkey()).await;
    let mut wrong = withdraw(&alice, node, tokens);
    for meta in wrong.accounts.iter_mut() {
        if meta.pubkey == staking::IO_MINT {
            meta.pubkey = other_mint;
        }
    }
    assert_anchor_error(
        &ctx.send(&[wrong], &[&alice]).await,
        ErrorCode::ConstraintAddress,
    );

    let supply = ctx.chain.mint_state(ctx.io_mint).await.supply;
    let balance = ctx.chain.token_balance(tokens).await;
    let burned_before = ctx.staking_state().await.rewards_burned;
    let outcome = ctx
        .send_ok(&[withdraw(&alice, node, tokens)], &[&alice])
        .await;
    let event: Withdrawn = outcome.event();
    assert_eq!(
        (
            event.amount,
            event.debt_burned,
            event.debt_written_off,
            event.supplier_debt,
            event.rewards_burned,
            event.vault_balance,
        ),
        (100 * IO - debt, debt, 0, 0, burned_before + debt, 0)
    );
    assert_eq!(
        ctx.chain.token_balance(tokens).await,
        balance + 100 * IO - debt
    );
    assert_eq!(
        ctx.chain.mint_state(ctx.io_mint).await.supply,
        supply - debt
    );
    assert_eq!(ctx.chain.token_balance(pda::staking::vault(&node)).await, 0);
    assert_eq!(ctx.node(node).await.supplier_debt, 0);

    // Nothing is left to block the node's close: its stakers' 5% claimed, the position closed.
    let claim = ix::staking::claim_stake_rewards(alice.pubkey(), node, tokens);
    let outcome = ctx.send_ok(&[claim], &[&alice]).await;
    assert_eq!(outcome.event::<RewardsClaimed>().amount, 24 * 2_000_000);
    let close = ix::staking::close_position(alice.pubkey(), node);
    ctx.send_ok(&[close], &[&alice]).await;
    let outcome = ctx.deregister_node(&alice, node).await;
    assert_ok(&outcome);
    assert_eq!(outcome.event::<NodeDeregistered>().swept, 0);
}

/// A debt larger than the supplier's own stake: Alice (supplier) staked 2 IO next to Bob's
/// 100 IO; 12 hours reported at 50% after her claims leave 240,120,000 of debt. Her first
/// withdrawal (1 IO) is burned whole and the rest of the debt stays (she still has stake);
/// her last one is burned whole too and, her position empty and the node terminated, the
/// 40,120,000 left are written off. Bob's withdrawal pays no part of her debt. The node can
/// then be deregistered.
#[tokio::test]
async fn a_debt_beyond_the_suppliers_stake_is_burned_then_written_off() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, alice_tokens) = ctx.funded_user(1_000).await;
    let (bob, bob_tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, alice_tokens, node, 2 * IO).await);
    assert_ok(&ctx.stake(&bob, bob_tokens, node, 100 * IO).await);
    // 102 IO of at most 2,000: boost 5 bps, $1.0005/h: 40,020,000 an hour, 38,019,000 to her.
    assert_eq!(ctx.node(node).await.weight, 1_000_500);
    crank_and_claim(ctx, &alice, alice_tokens, node, 12, 38_019_000).await;
    for hour in 1..=12 {
        assert_ok(&ctx.report_uptime(node, hour, 5_000).await);
    }
    let debt = 12 * 20_010_000;
    assert_eq!(ctx.node(node).await.supplier_debt, debt);
    let terminate = ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Terminate);
    ctx.send_ok(&[terminate], &[&alice]).await;

    // Her first IO back: burned whole; she still has stake, so the rest of the debt stays.
    ctx.set_time_after_genesis(7 * DAY).await;
    let unstake = ix::staking::request_unstake(alice.pubkey(), node, IO);
    ctx.send_ok(&[unstake], &[&alice]).await;
    let unstake = ix::staking::request_unstake(bob.pubkey(), node, 100 * IO);
    ctx.send_ok(&[unstake], &[&bob]).await;
    ctx.set_time_after_genesis(14 * DAY).await;
    let balance = ctx.chain.token_balance(alice_tokens).await;
    let outcome = ctx
        .send_ok(&[withdraw(&alice, node, alice_tokens)], &[&alice])
        .await;
    let event: Withdrawn = outcome.event();
    assert_eq!(
        (
            event.amount,
            event.debt_burned,
            event.debt_written_off,
            event.supplier_debt
        ),
        (0, IO, 0, debt - IO)
    );
    assert_eq!(ctx.chain.token_balance(alice_tokens).await, balance);

    // Bob is not the supplier: his whole stake comes back.
    let outcome = ctx
        .send_ok(&[withdraw(&bob, node, bob_tokens)], &[&bob])
        .await;
    let event: Withdrawn = outcome.event();
    assert_eq!(
        (event.amount, event.debt_burned, event.supplier_debt),
        (100 * IO, 0, debt - IO)
    );

    // A node with debt left cannot be deregistered yet.
    for (staker, tokens) in [(&alice, alice_tokens), (&bob, bob_tokens)] {
        let claim = ix::staking::claim_stake_rewards(staker.pubkey(), node, tokens);
        ctx.send_ok(&[claim], &[staker]).await;
    }
    let close = ix::staking::close_position(bob.pubkey(), node);
    ctx.send_ok(&[close], &[&bob]).await;
    assert_error(
        &ctx.deregister_node(&alice, node).await,
        StakingError::SupplierDebtOutstanding,
    );

    // Her last IO: burned whole, and the 40,120,000 it could not cover written off.
    let unstake = ix::staking::request_unstake(alice.pubkey(), node, IO);
    ctx.send_ok(&[unstake], &[&alice]).await;
    ctx.set_time_after_genesis(21 * DAY).await;
    let supply = ctx.chain.mint_state(ctx.io_mint).await.supply;
    let outcome = ctx
        .send_ok(&[withdraw(&alice, node, alice_tokens)], &[&alice])
        .await;
    let event: Withdrawn = outcome.event();
    assert_eq!(
        (
            event.amount,
            event.debt_burned,
            event.debt_written_off,
            event.supplier_debt
        ),
        (0, IO, debt - 2 * IO, 0)
    );
    assert_eq!(ctx.chain.mint_state(ctx.io_mint).await.supply, supply - IO);
    let close = ix::staking::close_position(alice.pubkey(), node);
    ctx.send_ok(&[close], &[&alice]).await;
    assert_ok(&ctx.deregister_node(&alice, node).await);
}

/// A supplier without debt withdraws like anyone else; a staker's withdrawal never touches
/// the supplier's debt (covered above); the usual rejections still come first.
#[tokio::test]
async fn withdraw_without_debt_and_its_rejections() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let (mallory, mallory_tokens) = ctx.funded_user(0).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 150 * IO).await);
    assert_error(
        &ctx.send(&[withdraw(&alice, node, tokens)], &[&alice]).await,
        StakingError::NothingToClaim,
    );
    ctx.set_time_after_genesis(7 * DAY).await;
    let unstake = ix::staking::request_unstake(alice.pubkey(), node, 50 * IO);
    ctx.send_ok(&[unstake], &[&alice]).await;
    assert_error(
        &ctx.send(&[withdraw(&alice, node, tokens)], &[&alice]).await,
        StakingError::CooldownNotEnded,
    );
    ctx.set_time_after_genesis(14 * DAY).await;
    // Someone else's position: refused.
    let mut theirs = withdraw(&mallory, node, mallory_tokens);
    theirs.accounts[5].pubkey = pda::staking::position(&node, &alice.pubkey());
    assert_error(
        &ctx.send(&[theirs], &[&mallory]).await,
        StakingError::Unauthorized,
    );
    let burned = ctx.staking_state().await.rewards_burned;
    let outcome = ctx
        .send_ok(&[withdraw(&alice, node, tokens)], &[&alice])
        .await;
    let event: Withdrawn = outcome.event();
    assert_eq!(
        (
            event.amount,
            event.debt_burned,
            event.debt_written_off,
            event.supplier_debt,
            event.rewards_burned,
            event.vault_balance,
        ),
        (50 * IO, 0, 0, 0, burned, 100 * IO)
    );
}
