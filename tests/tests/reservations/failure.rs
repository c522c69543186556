//! report_failure: staking's node-oracle quorum; the delivered hours are paid, every undelivered
//! hour (the one in progress included) is refunded with its fees, the node's unclaimed supplier
//! rewards are burned through staking (only the reservations PDA may), the node is released.

use ::reservations::{Currency, ReservationFailed, ReservationsError};
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_math::reservations::{FeeRates, Terms};
use ngpu_sdk::ix;
use ngpu_tests::*;
use staking::{NodeRewardsBurned, NodeState, StakingError};

const HOUR: i64 = 3_600;
const IO: u64 = 100_000_000;
const USDC: u64 = 1_000_000;
const PRICE: u64 = 2_500_000;

#[tokio::test]
async fn a_failed_node_refunds_the_undelivered_hours_and_loses_its_rewards() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    // The node earns availability rewards for a few hours first.
    let (staker, tokens) = ctx.funded_user(1_000).await;
    assert_ok(&ctx.stake(&staker, tokens, s.node, 100 * IO).await);
    ctx.crank_on_time_until(4 * HOUR).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 5, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let stored = ctx.reservation(address).await.unwrap();
    ctx.chain.advance_seconds(2 * HOUR + HOUR / 2).await;

    // One oracle is not a quorum; nor is the renter or the supplier.
    let mint = ctx.revenue.usdc_mint;
    let one = ctx.oracles[0].insecure_clone();
    let ix1 = ix::reservations::report_failure(address, &stored, &mint, &[one.pubkey()]);
    assert_error(
        &ctx.send(&[ix1], &[&one]).await,
        ReservationsError::QuorumNotReached,
    );
    let ix2 = ix::reservations::report_failure(
        address,
        &stored,
        &mint,
        &[renter.key.pubkey(), s.key.pubkey()],
    );
    assert_error(
        &ctx.send(&[ix2], &[&renter.key, &s.key]).await,
        ReservationsError::QuorumNotReached,
    );
    // Nobody but the reservations PDA burns a node's rewards in staking.
    let authority = ctx.authority.insecure_clone();
    for key in [&authority, &s.key, &one] {
        let ix = ix::staking::burn_node_rewards(key.pubkey(), s.node);
        assert_error(&ctx.send(&[ix], &[key]).await, StakingError::Unauthorized);
    }

    let before = ctx.chain.token_balance(renter.usdc).await;
    let outcome = ctx.report_failure(address).await;
    assert_ok(&outcome);
    let e: ReservationFailed = outcome.event();
    let burned: NodeRewardsBurned = outcome.event();
    assert!(burned.supplier_rewards_burned > 0, "{burned:?}");
    let terms = Terms {
        principal: PRICE * 5,
        hours: 5,
        rates: FeeRates {
            reservation_bps: 25,
            payment_bps: 200,
        },
    };
    // Hours 0 and 1 delivered; hour 2 (in progress) and 3, 4 refunded with their fees.
    let paid = terms.after(2).unwrap();
    assert_eq!(e.settled_hours, 2);
    assert_eq!((e.supplier_paid, e.fees_paid), (paid.supplier, paid.fees));
    assert_eq!(e.refunded, terms.refund(2).unwrap());
    assert_eq!(
        e.supplier_paid + e.fees_paid + e.refunded,
        terms.deposit().unwrap()
    );
    assert_eq!(
        ctx.chain.token_balance(renter.usdc).await,
        before + e.refunded
    );
    assert_eq!(ctx.node(s.node).await.state, NodeState::Committed);
    let node = ctx.node(s.node).await;
    assert_eq!((node.supplier_unclaimed, node.burn_pending), (0, 0));
    // The supplier has nothing left to claim; a second report is a named error.
    let claim = ix::staking::claim_node_rewards(s.key.pubkey(), s.node, s.payout_io);
    assert_error(
        &ctx.send(&[claim], &[&s.key]).await,
        StakingError::NothingToClaim,
    );
    let ix = ix::reservations::report_failure(
        address,
        &stored,
        &mint,
        &[ctx.oracles[0].pubkey(), ctx.oracles[1].pubkey()],
    );
    let (o0, o1) = (
        ctx.oracles[0].insecure_clone(),
        ctx.oracles[1].insecure_clone(),
    );
    assert_error(
        &ctx.send(&[ix], &[&o0, &o1]).await,
        ReservationsError::ReservationNotOpen,
    );
}

/// A reserved node slashed to nothing is terminated in staking, no longer hired: the reservation
/// still settles, ends early and closes (the release is skipped), so the escrow is never stranded.
#[tokio::test]
async fn a_node_terminated_while_reserved_never_strands_the_escrow() {
    let ctx = &mut TestContext::with_reservations().await;
    let a = ctx.listed_node(0, PRICE, 720).await;
    let b = ctx.listed_node(1, PRICE, 720).await;
    let (staker, tokens) = ctx.funded_user(1_000).await;
    assert_ok(&ctx.stake(&staker, tokens, a.node, 100 * IO).await);
    assert_ok(&ctx.stake(&staker, tokens, b.node, 100 * IO).await);
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, ra) = ctx
        .reserve(&renter, a.node, 3, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let (outcome, rb) = ctx
        .reserve(&renter, b.node, 3, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    ctx.chain.advance_seconds(HOUR + 1).await;
    for node in [a.node, b.node] {
        let (outcome, _) = ctx.slash(node, 10_000).await;
        assert_ok(&outcome);
        assert_eq!(ctx.node(node).await.state, NodeState::Terminated);
    }
    // A: ended early by the renter; B: settled to the end.
    let e: ::reservations::ReservationSettled = ctx.end_early(&renter.key, ra).await.event();
    assert!(e.closed && e.refunded > 0);
    assert_ok(&ctx.settle(rb).await);
    ctx.chain.advance_seconds(2 * HOUR).await;
    let e: ::reservations::ReservationSettled = ctx.settle(rb).await.event();
    assert!(e.closed);
    assert_eq!(ctx.node(a.node).await.state, NodeState::Terminated);
    assert_eq!(ctx.reservations_config().await.open_reservations, 0);
}
