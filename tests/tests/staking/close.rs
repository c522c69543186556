//! Rent and dust back to their owners: `close_position` (rent to the staker), `close_slash`
//! (rent to the authority), `deregister_node` (node and vault rent to the supplier) and the
//! sweeps of a vault's surplus over its ledger to the reward vault.

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::Pubkey;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::{
    NodeAction, NodeDeregistered, PositionClosed, SlashRecord, SlashRecordClosed, SlashStatus,
    StakePosition, StakingError, VaultSwept,
};

const IO: u64 = 100_000_000;
const DAY: i64 = 86_400;
/// Size of an SPL token account.
const TOKEN_ACCOUNT_SPACE: usize = 165;

struct Setup {
    alice: Keypair,
    alice_tokens: Pubkey,
    bob: Keypair,
    bob_tokens: Pubkey,
    node: Pubkey,
}

/// The node of `slashing.rs`: Alice (supplier) stakes 100 IO, Bob 300 IO; at day 8 every ended
/// hour is cranked (the node earns from hour 1, the hour after its stake).
async fn staked_and_paid(ctx: &mut TestContext) -> Setup {
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, alice_tokens) = ctx.funded_user(1_000).await;
    let (bob, bob_tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, alice_tokens, node, 100 * IO).await);
    assert_ok(&ctx.stake(&bob, bob_tokens, node, 300 * IO).await);
    ctx.set_time_after_genesis(8 * DAY).await;
    ctx.catch_up().await;
    Setup {
        alice,
        alice_tokens,
        bob,
        bob_tokens,
        node,
    }
}

/// Unstakes a staker's whole active stake, waits out the cooldown, withdraws and claims.
async fn leave(ctx: &mut TestContext, node: Pubkey, staker: &Keypair, tokens: Pubkey, amount: u64) {
    let unstake = ix::staking::request_unstake(staker.pubkey(), node, amount);
    ctx.send_ok(&[unstake], &[staker]).await;
    ctx.chain.advance_seconds(7 * DAY).await;
    let withdraw = ix::staking::withdraw(staker.pubkey(), node, tokens);
    ctx.send_ok(&[withdraw], &[staker]).await;
    let claim = ix::staking::claim_stake_rewards(staker.pubkey(), node, tokens);
    ctx.send_ok(&[claim], &[staker]).await;
}

fn terminate(supplier: &Keypair, node: Pubkey) -> ngpu_sdk::Instruction {
    ix::staking::set_node_state(supplier.pubkey(), node, NodeAction::Terminate)
}

#[tokio::test]
async fn close_position_returns_the_rent_once_nothing_is_owed() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let position = pda::staking::position(&s.node, &s.bob.pubkey());
    let close = ix::staking::close_position(s.bob.pubkey(), s.node);

    // Active stake, then stake in cooldown, then an unclaimed reward: each keeps it open.
    assert_error(
        &ctx.send(std::slice::from_ref(&close), &[&s.bob]).await,
        StakingError::StakeRemaining,
    );
    let unstake = ix::staking::request_unstake(s.bob.pubkey(), s.node, 300 * IO);
    ctx.send_ok(&[unstake], &[&s.bob]).await;
    assert_error(
        &ctx.send(std::slice::from_ref(&close), &[&s.bob]).await,
        StakingError::StakeRemaining,
    );
    ctx.chain.advance_seconds(7 * DAY).await;
    let withdraw = ix::staking::withdraw(s.bob.pubkey(), s.node, s.bob_tokens);
    ctx.send_ok(&[withdraw], &[&s.bob]).await;
    assert_error(
        &ctx.send(std::slice::from_ref(&close), &[&s.bob]).await,
        StakingError::RewardsUnclaimed,
    );
    let claim = ix::staking::claim_stake_rewards(s.bob.pubkey(), s.node, s.bob_tokens);
    ctx.send_ok(&[claim], &[&s.bob]).await;

    // Only the staker may close it: another signer, or the staker not signing.
    let mut stolen = close.clone();
    stolen.accounts[0].pubkey = s.alice.pubkey();
    assert_error(
        &ctx.send(&[stolen], &[&s.alice]).await,
        StakingError::Unauthorized,
    );
    let unsigned = without_signature(close.clone(), &s.bob.pubkey());
    assert_anchor_error(
        &ctx.send(&[unsigned], &[]).await,
        ErrorCode::AccountNotSigner,
    );

    let rent = ctx.chain.rent_exempt(StakePosition::SPACE).await;
    assert_eq!(ctx.chain.lamports(position).await, rent);
    let lamports = ctx.chain.lamports(s.bob.pubkey()).await;
    let outcome = ctx.send_ok(std::slice::from_ref(&close), &[&s.bob]).await;
    assert_eq!(ctx.chain.lamports(s.bob.pubkey()).await, lamports + rent);
    assert!(ctx.chain.account(position).await.is_none());
    let node = ctx.node(s.node).await;
    assert_eq!(
        outcome.event::<PositionClosed>(),
        PositionClosed {
            node: s.node,
            staker: s.bob.pubkey(),
            position,
            rent,
            dropped_units: 0,
            dropped_shares: 0,
            open_positions: 1,
            node_staker_units: node.staker_units,
        }
    );
    assert_eq!(node.open_positions, 1);
    // Closed once: a second close finds no position.
    assert_anchor_error(
        &ctx.send(&[close], &[&s.bob]).await,
        ErrorCode::AccountNotInitialized,
    );
    // The staker can come back: the position is created afresh and counted again.
    assert_ok(&ctx.stake(&s.bob, s.bob_tokens, s.node, 10 * IO).await);
    let node = ctx.node(s.node).await;
    assert_eq!(node.open_positions, 2);
    let p: StakePosition = ctx.chain.anchor_account(position).await;
    assert_eq!((p.owed_units, p.cooldown_shares), (0, 0));
}

#[tokio::test]
async fn deregister_node_returns_node_and_vault_rent_to_the_supplier() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let vault = pda::staking::vault(&s.node);
    assert_error(
        &ctx.deregister_node(&s.alice, s.node).await,
        StakingError::InvalidNodeState,
    );
    ctx.send_ok(&[terminate(&s.alice, s.node)], &[&s.alice])
        .await;
    // The supplier's 95% is unclaimed, then the positions are open.
    assert_error(
        &ctx.deregister_node(&s.alice, s.node).await,
        StakingError::RewardsUnclaimed,
    );
    let claim = ix::staking::claim_node_rewards(s.alice.pubkey(), s.node, s.alice_tokens);
    ctx.send_ok(&[claim], &[&s.alice]).await;
    assert_error(
        &ctx.deregister_node(&s.alice, s.node).await,
        StakingError::PositionsOpen,
    );
    leave(ctx, s.node, &s.alice, s.alice_tokens, 100 * IO).await;
    leave(ctx, s.node, &s.bob, s.bob_tokens, 300 * IO).await;
    ctx.send_ok(
        &[ix::staking::close_position(s.alice.pubkey(), s.node)],
        &[&s.alice],
    )
    .await;
    assert_error(
        &ctx.deregister_node(&s.alice, s.node).await,
        StakingError::PositionsOpen,
    );
    ctx.send_ok(
        &[ix::staking::close_position(s.bob.pubkey(), s.node)],
        &[&s.bob],
    )
    .await;

    // Only the supplier: Bob signing for Alice's node is refused.
    let mut stolen = ix::staking::deregister_node(s.alice.pubkey(), s.node);
    stolen.accounts[0].pubkey = s.bob.pubkey();
    assert_error(
        &ctx.send(&[stolen], &[&s.bob]).await,
        StakingError::Unauthorized,
    );

    // Someone sent the vault 5 base units: they go to the reward vault, never to the caller.
    ctx.donate(&s.bob, s.bob_tokens, vault, 5).await;
    let rent = ctx.chain.rent_exempt(staking::Node::SPACE).await
        + ctx.chain.rent_exempt(TOKEN_ACCOUNT_SPACE).await;
    assert_eq!(
        ctx.chain.lamports(s.node).await + ctx.chain.lamports(vault).await,
        rent
    );
    let reward_vault = ctx.chain.token_balance(pda::staking::reward_vault()).await;
    let nodes = ctx.staking_config().await.node_count;
    let lamports = ctx.chain.lamports(s.alice.pubkey()).await;
    let outcome = ctx.deregister_node(&s.alice, s.node).await;
    assert_ok(&outcome);
    assert_eq!(ctx.chain.lamports(s.alice.pubkey()).await, lamports + rent);
    assert!(ctx.chain.account(s.node).await.is_none());
    assert!(ctx.chain.account(vault).await.is_none());
    assert_eq!(
        ctx.chain.token_balance(pda::staking::reward_vault()).await,
        reward_vault + 5
    );
    assert_eq!(
        outcome.event::<NodeDeregistered>(),
        NodeDeregistered {
            node: s.node,
            supplier: s.alice.pubkey(),
            rent,
            swept: 5,
            node_count: nodes - 1,
            reward_vault_balance: reward_vault + 5,
        }
    );
    assert_eq!(ctx.staking_config().await.node_count, nodes - 1);
}

/// A pending slash and an uptime debt each keep the node registered.
#[tokio::test]
async fn deregister_node_refuses_a_pending_slash_and_a_supplier_debt() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    // The supplier claims its reward, then the oracle reports hour 1 at 90% uptime: the cut
    // can only become a debt.
    let claim = ix::staking::claim_node_rewards(s.alice.pubkey(), s.node, s.alice_tokens);
    ctx.send_ok(&[claim], &[&s.alice]).await;
    assert_ok(&ctx.report_uptime(s.node, 1, 9_000).await);
    let debt = ctx.node(s.node).await.supplier_debt;
    assert!(debt > 0);
    ctx.send_ok(&[terminate(&s.alice, s.node)], &[&s.alice])
        .await;
    assert_error(
        &ctx.deregister_node(&s.alice, s.node).await,
        StakingError::SupplierDebtOutstanding,
    );
    let (outcome, _) = ctx.slash(s.node, 1_000).await;
    assert_ok(&outcome);
    assert_error(
        &ctx.deregister_node(&s.alice, s.node).await,
        StakingError::SlashUndecided,
    );
    assert_eq!(ctx.node(s.node).await.supplier_debt, debt);
}

#[tokio::test]
async fn close_slash_returns_the_rent_to_the_authority_once_decided() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let authority = ctx.authority.insecure_clone();
    let rent = ctx.chain.rent_exempt(SlashRecord::SPACE).await;

    // Slash 0 is upheld on appeal, slash 1 burned after its window.
    let (outcome, returned) = ctx.slash(s.node, 1_000).await;
    assert_ok(&outcome);
    let close = ix::staking::close_slash(authority.pubkey(), returned);
    assert_error(
        &ctx.send(std::slice::from_ref(&close), &[&authority]).await,
        StakingError::SlashUndecided,
    );
    let uphold = ix::staking::uphold_appeal(authority.pubkey(), s.node, returned);
    ctx.send_ok(&[uphold], &[&authority]).await;

    let stolen = ix::staking::close_slash(s.bob.pubkey(), returned);
    assert_error(
        &ctx.send(&[stolen], &[&s.bob]).await,
        StakingError::Unauthorized,
    );
    let unsigned = without_signature(close.clone(), &authority.pubkey());
    assert_anchor_error(
        &ctx.send(&[unsigned], &[]).await,
        ErrorCode::AccountNotSigner,
    );

    let lamports = ctx.chain.lamports(authority.pubkey()).await;
    let outcome = ctx
        .send_ok(std::slice::from_ref(&close), &[&authority])
        .await;
    assert_eq!(
        ctx.chain.lamports(authority.pubkey()).await,
        lamports + rent
    );
    assert!(ctx.chain.account(returned).await.is_none());
    assert_eq!(
        outcome.event::<SlashRecordClosed>(),
        SlashRecordClosed {
            node: s.node,
            slash: returned,
            id: 0,
            status: SlashStatus::Returned,
            rent,
        }
    );
    assert_anchor_error(
        &ctx.send(&[close], &[&authority]).await,
        ErrorCode::AccountNotInitialized,
    );

    let (outcome, burned) = ctx.slash(s.node, 1_000).await;
    assert_ok(&outcome);
    assert_eq!(burned, pda::staking::slash(&s.node, 1));
    ctx.chain.advance_seconds(30 * DAY).await;
    ctx.send_ok(&[ix::staking::finalize_slash(s.node, burned)], &[])
        .await;
    let lamports = ctx.chain.lamports(authority.pubkey()).await;
    let outcome = ctx
        .send_ok(
            &[ix::staking::close_slash(authority.pubkey(), burned)],
            &[&authority],
        )
        .await;
    assert_eq!(
        ctx.chain.lamports(authority.pubkey()).await,
        lamports + rent
    );
    let event: SlashRecordClosed = outcome.event();
    assert_eq!((event.id, event.status), (1, SlashStatus::Burned));
    // Ids are never reused: the next slash gets a new record.
    let (outcome, next) = ctx.slash(s.node, 1_000).await;
    assert_ok(&outcome);
    assert_eq!(next, pda::staking::slash(&s.node, 2));
}

/// After a 100% slash is burned, the positions' shares are worth nothing for good: they can
/// be closed, and then the node deregistered.
#[tokio::test]
async fn a_node_slashed_to_nothing_closes_down_completely() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let (outcome, slash) = ctx.slash(s.node, 10_000).await;
    assert_ok(&outcome);
    let close_bob = ix::staking::close_position(s.bob.pubkey(), s.node);
    // An upheld appeal would give the stake back: not yet worthless.
    assert_error(
        &ctx.send(std::slice::from_ref(&close_bob), &[&s.bob]).await,
        StakingError::StakeRemaining,
    );
    ctx.chain.advance_seconds(30 * DAY).await;
    ctx.send_ok(&[ix::staking::finalize_slash(s.node, slash)], &[])
        .await;
    let bob_shares = {
        let p: StakePosition = ctx
            .chain
            .anchor_account(pda::staking::position(&s.node, &s.bob.pubkey()))
            .await;
        p.shares
    };
    let outcome = ctx.send_ok(&[close_bob], &[&s.bob]).await;
    let event: PositionClosed = outcome.event();
    assert_eq!(
        (event.dropped_shares, event.open_positions),
        (bob_shares, 1)
    );
    ctx.send_ok(
        &[ix::staking::close_position(s.alice.pubkey(), s.node)],
        &[&s.alice],
    )
    .await;
    let node = ctx.node(s.node).await;
    assert_eq!((node.active_shares, node.cooldown_shares), (0, 0));
    let authority = ctx.authority.insecure_clone();
    ctx.send_ok(
        &[ix::staking::close_slash(authority.pubkey(), slash)],
        &[&authority],
    )
    .await;
    let outcome = ctx.deregister_node(&s.alice, s.node).await;
    assert_ok(&outcome);
    assert_eq!(outcome.event::<NodeDeregistered>().swept, 0);
}

#[tokio::test]
async fn sweep_node_vault_moves_exactly_the_surplus_to_the_reward_vault() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let vault = pda::staking::vault(&s.node);
    let sweep = ix::staking::sweep_node_vault(s.node);
    assert_error(
        &ctx.send(std::slice::from_ref(&sweep), &[]).await,
        StakingError::NothingToSweep,
    );

    let (thief, thief_tokens) = ctx.funded_user(0).await;
    let other = ctx.register_node(&s.bob, 0, 9).await;
    ctx.donate(&s.bob, s.bob_tokens, vault, 7 * IO + 3).await;
    // The vault holds more than its ledger until the sweep: no invariant checks meanwhile.
    ctx.check_after_each = false;
    // The surplus only ever goes to the reward vault.
    let mut stolen = sweep.clone();
    stolen.accounts[3].pubkey = thief_tokens;
    assert_anchor_error(
        &ctx.send(&[stolen], &[&thief]).await,
        ErrorCode::ConstraintHasOne,
    );
    // The vault must be the node's.
    let mut wrong = ix::staking::sweep_node_vault(other);
    wrong.accounts[2].pubkey = vault;
    assert_anchor_error(&ctx.send(&[wrong], &[]).await, ErrorCode::ConstraintAddress);
    ctx.check_after_each = true;

    let reward_vault = ctx.chain.token_balance(pda::staking::reward_vault()).await;
    // Anyone may sweep (here the fee payer alone signs).
    let outcome = ctx.send_ok(std::slice::from_ref(&sweep), &[]).await;
    assert_eq!(
        outcome.event::<VaultSwept>(),
        VaultSwept {
            vault,
            ledger: 400 * IO,
            amount: 7 * IO + 3,
            reward_vault_balance: reward_vault + 7 * IO + 3,
        }
    );
    assert_eq!(ctx.chain.token_balance(vault).await, 400 * IO);
    assert_eq!(
        ctx.chain.token_balance(pda::staking::reward_vault()).await,
        reward_vault + 7 * IO + 3
    );
    assert_eq!(ctx.chain.token_balance(thief_tokens).await, 0);
    assert_error(&ctx.send(&[sweep], &[]).await, StakingError::NothingToSweep);
}

#[tokio::test]
async fn sweep_escrow_vault_moves_exactly_the_surplus_to_the_reward_vault() {
    let ctx = &mut TestContext::with_staking().await;
    let s = staked_and_paid(ctx).await;
    let (outcome, _) = ctx.slash(s.node, 1_000).await;
    assert_ok(&outcome);
    let held = ctx.staking_state().await.escrow_held;
    let escrow = pda::staking::escrow_vault();
    let sweep = ix::staking::sweep_escrow_vault();
    assert_error(
        &ctx.send(std::slice::from_ref(&sweep), &[]).await,
        StakingError::NothingToSweep,
    );
    ctx.donate(&s.bob, s.bob_tokens, escrow, 11).await;
    let reward_vault = ctx.chain.token_balance(pda::staking::reward_vault()).await;
    let outcome = ctx.send_ok(std::slice::from_ref(&sweep), &[]).await;
    assert_eq!(
        outcome.event::<VaultSwept>(),
        VaultSwept {
            vault: escrow,
            ledger: held,
            amount: 11,
            reward_vault_balance: reward_vault + 11,
        }
    );
    assert_eq!(ctx.chain.token_balance(escrow).await, held);
    assert_error(&ctx.send(&[sweep], &[]).await, StakingError::NothingToSweep);
}
