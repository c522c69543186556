//! Malicious slashing: pro rata over active and cooling-down stake and unclaimed rewards in
//! O(1), the 30-day appeal escrow, `finalize_slash` (burn) and `uphold_appeal` (return).

use anchor_lang::prelude::Pubkey;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::{
    AppealUpheld, NodeSlashed, RewardsClaimed, SlashFinalized, SlashRecord, SlashStatus,
    StakingError,
};

const IO: u64 = 100_000_000;
const DAY: i64 = 86_400;

struct Setup {
    alice: Keypair,
    alice_tokens: Pubkey,
    bob: Keypair,
    bob_tokens: Pubkey,
    node: Pubkey,
}

/// A $1/h node with max stake 2,000 IO: Alice (supplier) 100 IO, Bob 300 IO, both locked until
/// day 7. At day 8 hours 0 and 1 are cranked; the node, staked during hour 0, earns hour 1: 400 IO → boost 789 bps → weight 1,078,900 → 43,156,000
/// paid: the supplier's 95% is 40,998,200; the stakers' 2,157,800 splits 539,450 / 1,618,350.
async fn staked_and_paid(ctx: &mut TestContext) -> Setup {
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, alice_tokens) = ctx.funded_user(1_000).await;
    let (bob, bob_tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, alice_tokens, node, 100 * IO).await);
    assert_ok(&ctx.stake(&bob, bob_tokens, node, 300 * IO).await);
    assert_eq!(ctx.node(node).await.weight, 1_078_900);
    ctx.set_time_after_genesis(8 * DAY).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(0, 2).await);
    Setup {
        alice,
        alice_tokens,
        bob,
        bob_tokens,
        node,
    }
}

async fn position_value(ctx: &mut TestContext, node: Pubkey, staker: &Keypair) -> (u64, u64) {
    let n = ctx.node(node).await;
    let p: staking::StakePosition = ctx
        .chain
        .anchor_account(pda::staking::position(&node, &staker.pubkey()))
        .await;
    let value = |shares| ngpu_math::staking::shares_to_amount(shares, n.stake_index).unwrap();
    (value(p.shares), value(p.cooldown_shares))
}

/// The scenario: a 25% slash takes a quarter of active and cooling-down stake and of
/// every unclaimed reward into the escrow; the stakers then withdraw the rest; after 30 days
/// anyone burns the escrow.
#[tokio::test]
async fn malicious_slash_then_withdraw_the_rest() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let unstake = ix::staking::request_unstake(s.bob.pubkey(), s.node, 100 * IO);
    ctx.send_ok(&[unstake], &[&s.bob]).await;

    let (outcome, slash) = ctx.slash(s.node, 2_500).await;
    assert_ok(&outcome);
    let event: NodeSlashed = outcome.event();
    let now = ctx.chain.now().await;
    assert_eq!(
        event,
        NodeSlashed {
            node: s.node,
            slash,
            bps: 2_500,
            stake_amount: 100 * IO,
            supplier_reward_amount: 10_249_550,
            staker_reward_amount: 539_450,
            appeal_until: now + 30 * DAY,
            renter_compensation: 0,
            renter_tokens: None,
            node_staked: 300 * IO,
            terminated: false,
            supplier_unclaimed: 40_998_200 - 10_249_550,
            stakers_unclaimed: 1_618_350,
            pending_slashes: 1,
            // 225 IO active: boost 328 bps.
            // The crank's total of its last hour: the slash lowers the node's weight from the
            // hour in progress, which the next crank counts.
            total_weight: 1_078_900,
            escrow_held: 100 * IO + 10_789_000,
        }
    );
    assert_eq!(
        ctx.chain.token_balance(pda::staking::escrow_vault()).await,
        100 * IO + 10_789_000
    );
    let record: SlashRecord = ctx.chain.anchor_account(slash).await;
    assert_eq!(
        (record.status, record.id, record.node),
        (SlashStatus::Pending, 0, s.node)
    );
    // Active and cooling-down stake both lost a quarter.
    assert_eq!(position_value(ctx, s.node, &s.alice).await, (75 * IO, 0));
    assert_eq!(
        position_value(ctx, s.node, &s.bob).await,
        (150 * IO, 75 * IO)
    );

    // Unclaimed rewards lost a quarter too (each rounded down for the holder).
    let claim = ix::staking::claim_node_rewards(s.alice.pubkey(), s.node, s.alice_tokens);
    let paid = ctx
        .send_ok(&[claim], &[&s.alice])
        .await
        .event::<RewardsClaimed>()
        .amount;
    assert_eq!(paid, 40_998_200 - 10_249_550);
    let claim = ix::staking::claim_stake_rewards(s.alice.pubkey(), s.node, s.alice_tokens);
    let paid = ctx
        .send_ok(&[claim], &[&s.alice])
        .await
        .event::<RewardsClaimed>()
        .amount;
    assert_eq!(paid, 404_587); // 539,450 x 0.75
    let claim = ix::staking::claim_stake_rewards(s.bob.pubkey(), s.node, s.bob_tokens);
    let paid = ctx
        .send_ok(&[claim], &[&s.bob])
        .await
        .event::<RewardsClaimed>()
        .amount;
    assert_eq!(paid, 1_213_762); // 1,618,350 x 0.75

    // Bob withdraws what was cooling down, then unstakes and withdraws the rest.
    ctx.chain.advance_seconds(7 * DAY).await;
    let before = ctx.chain.token_balance(s.bob_tokens).await;
    let withdraw = ix::staking::withdraw(s.bob.pubkey(), s.node, s.bob_tokens);
    ctx.send_ok(std::slice::from_ref(&withdraw), &[&s.bob])
        .await;
    let unstake = ix::staking::request_unstake(s.bob.pubkey(), s.node, 150 * IO);
    ctx.send_ok(&[unstake], &[&s.bob]).await;
    ctx.chain.advance_seconds(7 * DAY).await;
    ctx.send_ok(&[withdraw], &[&s.bob]).await;
    assert_eq!(
        ctx.chain.token_balance(s.bob_tokens).await - before,
        225 * IO
    );
    assert_eq!(
        ctx.chain.token_balance(pda::staking::vault(&s.node)).await,
        75 * IO
    );

    // The escrow burns only after the appeal window, once.
    // While the slash awaits its decision nobody can buy into the node.
    let outcome = ctx.stake(&s.alice, s.alice_tokens, s.node, IO).await;
    assert_error(&outcome, StakingError::SlashPending);
    let finalize = ix::staking::finalize_slash(s.node, slash);
    assert_error(
        &ctx.send(std::slice::from_ref(&finalize), &[]).await,
        StakingError::AppealWindowOpen,
    );
    ctx.chain.set_time(now + 30 * DAY).await;
    let supply = ctx.chain.mint_state(ctx.io_mint).await.supply;
    let outcome = ctx.send_ok(std::slice::from_ref(&finalize), &[]).await;
    let event: SlashFinalized = outcome.event();
    assert_eq!(
        (event.burned, event.escrow_held, event.stake_burned),
        (100 * IO + 10_789_000, 0, 100 * IO)
    );
    assert_eq!(
        ctx.chain.mint_state(ctx.io_mint).await.supply,
        supply - 100 * IO - 10_789_000
    );
    assert_eq!(
        ctx.chain.token_balance(pda::staking::escrow_vault()).await,
        0
    );
    assert_eq!(ctx.staking_state().await.rewards_burned, 10_789_000);
    assert_eq!(event.pending_slashes, 0);
    // Decided: the node takes stake again.
    assert_ok(&ctx.stake(&s.alice, s.alice_tokens, s.node, IO).await);
    assert_error(
        &ctx.send(&[finalize], &[]).await,
        StakingError::SlashNotPending,
    );
    let authority = ctx.authority.insecure_clone();
    let uphold = ix::staking::uphold_appeal(authority.pubkey(), s.node, slash);
    assert_error(
        &ctx.send(&[uphold], &[&authority]).await,
        StakingError::SlashNotPending,
    );
}

/// An upheld appeal gives everything back: stake to the positions, rewards to the supplier and
/// the stakers, exactly as before the slash when nobody moved in between.
#[tokio::test]
async fn upheld_appeal_returns_stake_and_rewards() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let (outcome, slash) = ctx.slash(s.node, 5_000).await;
    assert_ok(&outcome);
    assert_eq!(position_value(ctx, s.node, &s.bob).await, (150 * IO, 0));
    let n = ctx.node(s.node).await;
    assert_eq!(n.supplier_unclaimed, 20_499_100);

    let stranger = ctx.chain.new_user().await;
    let uphold = ix::staking::uphold_appeal(stranger.pubkey(), s.node, slash);
    assert_error(
        &ctx.send(&[uphold], &[&stranger]).await,
        StakingError::Unauthorized,
    );

    let authority = ctx.authority.insecure_clone();
    let uphold = ix::staking::uphold_appeal(authority.pubkey(), s.node, slash);
    let outcome = ctx.send_ok(&[uphold], &[&authority]).await;
    let event: AppealUpheld = outcome.event();
    assert_eq!(
        (
            event.stake_returned,
            event.supplier_reward_returned,
            event.staker_reward_returned
        ),
        (200 * IO, 20_499_100, 1_078_900)
    );
    assert_eq!((event.node_staked, event.escrow_held), (400 * IO, 0));
    assert_eq!((event.pending_slashes, event.total_weight), (0, 1_078_900));
    assert_eq!(position_value(ctx, s.node, &s.alice).await, (100 * IO, 0));
    assert_eq!(position_value(ctx, s.node, &s.bob).await, (300 * IO, 0));
    let n = ctx.node(s.node).await;
    assert_eq!((n.supplier_unclaimed, n.weight), (40_998_200, 1_078_900));
    let claim = ix::staking::claim_stake_rewards(s.bob.pubkey(), s.node, s.bob_tokens);
    let paid = ctx
        .send_ok(&[claim], &[&s.bob])
        .await
        .event::<RewardsClaimed>()
        .amount;
    assert_eq!(paid, 1_618_350);
    let record: SlashRecord = ctx.chain.anchor_account(slash).await;
    assert_eq!(record.status, SlashStatus::Returned);
    // A returned slash cannot be burned.
    let finalize = ix::staking::finalize_slash(s.node, slash);
    assert_error(
        &ctx.send(&[finalize], &[]).await,
        StakingError::SlashNotPending,
    );
}

/// A 100% slash terminates the node: it leaves the reward weight and takes no new stake.
#[tokio::test]
async fn full_slash_terminates_the_node() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let (outcome, _) = ctx.slash(s.node, 10_000).await;
    let event: NodeSlashed = outcome.event();
    assert!(event.terminated);
    assert_eq!((event.stake_amount, event.node_staked), (400 * IO, 0));
    let n = ctx.node(s.node).await;
    assert_eq!(n.state, staking::NodeState::Terminated);
    // Out of the weights from the hour of the slash on.
    let hour = ngpu_math::hours_ended(START_TS, ctx.chain.now().await);
    assert_eq!((n.weight, n.schedule().weight_at(hour)), (0, 0));
    let outcome = ctx.stake(&s.bob, s.bob_tokens, s.node, 10 * IO).await;
    assert_error(&outcome, StakingError::NodeNotActive);
    let claim = ix::staking::claim_stake_rewards(s.bob.pubkey(), s.node, s.bob_tokens);
    assert_error(
        &ctx.send(&[claim], &[&s.bob]).await,
        StakingError::NothingToClaim,
    );
    // Slashed to nothing, it cannot come back (its shares have no price).
    let resume = ix::staking::set_node_state(s.alice.pubkey(), s.node, staking::NodeAction::Resume);
    assert_error(
        &ctx.send(&[resume], &[&s.alice]).await,
        StakingError::InvalidNodeState,
    );
    let request = ix::staking::request_unstake(s.bob.pubkey(), s.node, IO);
    assert_error(
        &ctx.send(&[request], &[&s.bob]).await,
        StakingError::NothingStaked,
    );
}

/// Only the authority slashes, with 1..=10,000 bps; a pre-funded record address does not block
/// the slash (RELIABILITY S18); records are numbered per node.
#[tokio::test]
async fn slash_rejections_and_prefunding() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let stranger = ctx.chain.new_user().await;
    let ix = ix::staking::slash_malicious(stranger.pubkey(), s.node, 0, 1_000);
    assert_error(
        &ctx.send(&[ix], &[&stranger]).await,
        StakingError::Unauthorized,
    );
    for bps in [0, 10_001] {
        let (outcome, _) = ctx.slash(s.node, bps).await;
        assert_error(&outcome, StakingError::InvalidParameter);
    }
    // A record address that is not the node's next id is refused by its seeds.
    let authority = ctx.authority.insecure_clone();
    let ix = ix::staking::slash_malicious(authority.pubkey(), s.node, 1, 1_000);
    assert_anchor_error(
        &ctx.send(&[ix], &[&authority]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    ctx.chain
        .transfer_lamports(pda::staking::slash(&s.node, 0), 900_000)
        .await;
    let (outcome, first) = ctx.slash(s.node, 1_000).await;
    assert_ok(&outcome);
    let (outcome, second) = ctx.slash(s.node, 1_000).await;
    assert_ok(&outcome);
    assert_eq!(first, pda::staking::slash(&s.node, 0));
    assert_eq!(second, pda::staking::slash(&s.node, 1));
    // 10% then 10% of what is left: 40 + 36 IO of stake.
    let n = ctx.node(s.node).await;
    assert_eq!(n.staked().unwrap(), 324 * IO);
    assert_eq!(n.stake_slashed, 76 * IO);
}

/// SPEC 4: slashed tokens first compensate the harmed renter, at once; only the rest waits in
/// the appeal escrow (and is burned, or returned if the appeal is upheld). The compensation comes
/// out of the stake first, then the supplier's and the stakers' rewards.
#[tokio::test]
async fn the_harmed_renter_is_compensated_first() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let authority = ctx.authority.insecure_clone();
    let renter = Keypair::new();
    let renter_tokens = ctx.new_io_account(&renter.pubkey()).await;
    // A 25% slash takes 100 IO of stake, 10,249,550 of the supplier's and 539,450 of the
    // stakers' unclaimed rewards.
    let slashed = 100 * IO + 10_789_000;
    let slash = |to: Option<Pubkey>, amount: u64| {
        ix::staking::slash_malicious_compensating(authority.pubkey(), s.node, 0, 2_500, to, amount)
    };

    // More than is slashed, no account, or one of the program's own vaults: refused.
    for ix in [
        slash(Some(renter_tokens), slashed + 1),
        slash(None, 1),
        slash(Some(pda::staking::escrow_vault()), 1),
        slash(Some(pda::staking::reward_vault()), 1),
        slash(Some(pda::staking::vault(&s.node)), 1),
    ] {
        assert_error(
            &ctx.send(&[ix], &[&authority]).await,
            StakingError::InvalidCompensation,
        );
    }
    // An account of another mint: SPL Token refuses the transfer.
    let other_mint = ctx.chain.create_mint(8, &authority.pubkey()).await;
    let other = ctx
        .chain
        .create_token_account(&other_mint, &renter.pubkey())
        .await;
    assert_error(
        &ctx.send(&[slash(Some(other), 1)], &[&authority]).await,
        3u32, // TokenError::MintMismatch
    );
    assert_eq!(ctx.node(s.node).await.slash_count, 0, "nothing was slashed");

    // The renter gets the stake part and 5,000,000 of the supplier's reward at once.
    let compensation = 100 * IO + 5_000_000;
    let outcome = ctx
        .send(&[slash(Some(renter_tokens), compensation)], &[&authority])
        .await;
    assert_ok(&outcome);
    let event: NodeSlashed = outcome.event();
    assert_eq!(
        (
            event.renter_compensation,
            event.renter_tokens,
            event.stake_amount,
            event.supplier_reward_amount,
            event.staker_reward_amount,
            event.escrow_held,
        ),
        (
            compensation,
            Some(renter_tokens),
            0,
            10_249_550 - 5_000_000,
            539_450,
            slashed - compensation,
        )
    );
    assert_eq!(ctx.chain.token_balance(renter_tokens).await, compensation);
    assert_eq!(
        ctx.chain.token_balance(pda::staking::escrow_vault()).await,
        slashed - compensation
    );
    let record: SlashRecord = ctx
        .chain
        .anchor_account(pda::staking::slash(&s.node, 0))
        .await;
    assert_eq!(record.renter_compensation, compensation);
    assert_eq!(record.total().unwrap(), slashed - compensation);
    // The stakers lost their quarter of stake all the same.
    assert_eq!(position_value(ctx, s.node, &s.bob).await, (225 * IO, 0));

    // After the appeal window only the rest is burned; the renter keeps its compensation.
    ctx.chain.advance_seconds(30 * DAY + 1).await;
    let ix = ix::staking::finalize_slash(s.node, pda::staking::slash(&s.node, 0));
    let finalized: SlashFinalized = ctx.send_ok(&[ix], &[]).await.event();
    assert_eq!(finalized.burned, slashed - compensation);
    assert_eq!(finalized.escrow_held, 0);
    assert_eq!(ctx.chain.token_balance(renter_tokens).await, compensation);
}
