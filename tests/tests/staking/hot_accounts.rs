//! The hot instructions (`stake`, `report_uptime`, both claims) read their node and position
//! with `read_account` and check them in the handler, where Anchor's `Account` constraints did
//! it before (they are written back once instead of field by field). Every substitute is still
//! refused with the error the constraint gave, and nothing moves.

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::Pubkey;
use ngpu_localnet::solana_sdk::instruction::Instruction;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::StakingError;

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;
/// SPL Token's `TokenError::MintMismatch`.
const MINT_MISMATCH: u32 = 3;

/// `ix` with every occurrence of account `from` replaced by `to`.
fn swap(mut ix: Instruction, from: Pubkey, to: Pubkey) -> Instruction {
    let mut found = false;
    for meta in ix.accounts.iter_mut().filter(|m| m.pubkey == from) {
        meta.pubkey = to;
        found = true;
    }
    assert!(found, "{from} is not an account of the instruction");
    ix
}

struct Fixture {
    alice: Keypair,
    alice_tokens: Pubkey,
    bob: Keypair,
    bob_tokens: Pubkey,
    a: Pubkey,
    b: Pubkey,
}

/// Alice supplies nodes `a` and `b` and stakes 100 IO on each; Bob stakes 100 IO on `a`; hours
/// 0..3 are cranked, so both nodes have rewards to claim.
async fn fixture(ctx: &mut TestContext) -> Fixture {
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, alice_tokens) = ctx.funded_user(1_000).await;
    let (bob, bob_tokens) = ctx.funded_user(1_000).await;
    let a = ctx.register_node(&alice, 0, 1).await;
    let b = ctx.register_node(&alice, 0, 2).await;
    assert_ok(&ctx.stake(&alice, alice_tokens, a, 100 * IO).await);
    assert_ok(&ctx.stake(&alice, alice_tokens, b, 100 * IO).await);
    assert_ok(&ctx.stake(&bob, bob_tokens, a, 100 * IO).await);
    ctx.set_price(250_000_000, 0).await;
    ctx.crank_on_time_until(3 * HOUR + 60).await;
    Fixture {
        alice,
        alice_tokens,
        bob,
        bob_tokens,
        a,
        b,
    }
}

async fn snapshot(ctx: &mut TestContext, f: &Fixture) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for key in [
        f.a,
        f.b,
        pda::staking::vault(&f.a),
        pda::staking::vault(&f.b),
        pda::staking::position(&f.a, &f.alice.pubkey()),
        pda::staking::position(&f.a, &f.bob.pubkey()),
        pda::staking::ledger(),
        f.alice_tokens,
        f.bob_tokens,
    ] {
        out.push(ctx.chain.account(key).await.expect("account").data);
    }
    out
}

#[tokio::test]
async fn stake_refuses_a_substitute_node_or_vault() {
    let ctx = &mut TestContext::with_staking().await;
    let f = fixture(ctx).await;
    let before = snapshot(ctx, &f).await;
    let stake = |node: Pubkey| ix::staking::stake(f.alice.pubkey(), node, f.alice_tokens, IO);

    // Node b's vault for node a: the stake would be counted on a and held by b.
    let ix = swap(
        stake(f.a),
        pda::staking::vault(&f.a),
        pda::staking::vault(&f.b),
    );
    assert_anchor_error(
        &ctx.send(&[ix], &[&f.alice]).await,
        ErrorCode::ConstraintAddress,
    );
    // A position in the node's place: another account type of this program.
    let bobs = pda::staking::position(&f.a, &f.bob.pubkey());
    let ix = swap(stake(f.a), f.a, bobs);
    assert_anchor_error(
        &ctx.send(&[ix], &[&f.alice]).await,
        ErrorCode::AccountDiscriminatorMismatch,
    );
    // A token account (another program's) and an address holding nothing.
    let ix = swap(stake(f.a), f.a, f.bob_tokens);
    assert_anchor_error(
        &ctx.send(&[ix], &[&f.alice]).await,
        ErrorCode::AccountOwnedByWrongProgram,
    );
    let ix = swap(stake(f.a), f.a, Pubkey::new_unique());
    assert_anchor_error(
        &ctx.send(&[ix], &[&f.alice]).await,
        ErrorCode::AccountNotInitialized,
    );
    // Someone else's token account as the source: SPL Token wants its owner's signature.
    let ix = swap(stake(f.a), f.alice_tokens, f.bob_tokens);
    let outcome = ctx.send(&[ix], &[&f.alice]).await;
    assert!(outcome.result.is_err(), "a stranger's tokens moved");
    assert_eq!(
        snapshot(ctx, &f).await,
        before,
        "a refused stake changed nothing"
    );
    // The genuine top-up still goes through.
    assert_ok(&ctx.send(&[stake(f.a)], &[&f.alice]).await);
}

#[tokio::test]
async fn report_uptime_refuses_a_substitute_node_vault() {
    let ctx = &mut TestContext::with_staking().await;
    let f = fixture(ctx).await;
    let oracles: Vec<Keypair> = ctx.oracles[..2]
        .iter()
        .map(|k| k.insecure_clone())
        .collect();
    let keys: Vec<Pubkey> = oracles.iter().map(|k| k.pubkey()).collect();
    let before = snapshot(ctx, &f).await;
    // Offline: the stake slash would burn from node b's vault for node a.
    let report = ix::staking::report_uptime(&keys, ctx.history, f.a, 1, 0);
    let ix = swap(
        report.clone(),
        pda::staking::vault(&f.a),
        pda::staking::vault(&f.b),
    );
    assert_anchor_error(
        &ctx.send(&[ix], &[&oracles[0], &oracles[1]]).await,
        ErrorCode::ConstraintAddress,
    );
    let bobs = pda::staking::position(&f.a, &f.bob.pubkey());
    let ix = swap(report.clone(), f.a, bobs);
    assert_anchor_error(
        &ctx.send(&[ix], &[&oracles[0], &oracles[1]]).await,
        ErrorCode::AccountDiscriminatorMismatch,
    );
    assert_eq!(
        snapshot(ctx, &f).await,
        before,
        "a refused report changed nothing"
    );
    assert_ok(&ctx.send(&[report], &[&oracles[0], &oracles[1]]).await);
    assert!(
        ctx.node(f.a).await.stake_slashed > 0,
        "the genuine report slashed"
    );
}

#[tokio::test]
async fn claims_refuse_another_node_position_supplier_or_mint() {
    let ctx = &mut TestContext::with_staking().await;
    let f = fixture(ctx).await;
    let before = snapshot(ctx, &f).await;
    let alice_on_b = pda::staking::position(&f.b, &f.alice.pubkey());
    let bob_on_a = pda::staking::position(&f.a, &f.bob.pubkey());

    // Alice's position on b claimed through node a (a has more stakers' rewards).
    let claim = ix::staking::claim_stake_rewards(f.alice.pubkey(), f.a, f.alice_tokens);
    let ix = swap(
        claim.clone(),
        pda::staking::position(&f.a, &f.alice.pubkey()),
        alice_on_b,
    );
    assert_anchor_error(
        &ctx.send(&[ix], &[&f.alice]).await,
        ErrorCode::ConstraintHasOne,
    );
    // Bob's position on a, claimed by Alice.
    let ix = swap(
        claim.clone(),
        pda::staking::position(&f.a, &f.alice.pubkey()),
        bob_on_a,
    );
    assert_error(
        &ctx.send(&[ix], &[&f.alice]).await,
        StakingError::Unauthorized,
    );
    // A node in the position's place, a position in the node's.
    let ix = swap(claim.clone(), f.a, bob_on_a);
    assert_anchor_error(
        &ctx.send(&[ix], &[&f.alice]).await,
        ErrorCode::AccountDiscriminatorMismatch,
    );
    // Node a's supplier rewards claimed by Bob, to his own account.
    let ix = ix::staking::claim_node_rewards(f.bob.pubkey(), f.a, f.bob_tokens);
    assert_error(
        &ctx.send(&[ix], &[&f.bob]).await,
        StakingError::Unauthorized,
    );
    // A destination of another mint: SPL Token refuses the transfer.
    let other_mint = ctx.chain.create_mint(8, &f.alice.pubkey()).await;
    let other = ctx
        .chain
        .create_token_account(&other_mint, &f.alice.pubkey())
        .await;
    let ix = ix::staking::claim_node_rewards(f.alice.pubkey(), f.a, other);
    assert_error(&ctx.send(&[ix], &[&f.alice]).await, MINT_MISMATCH);
    let ix = swap(claim.clone(), f.alice_tokens, other);
    assert_error(&ctx.send(&[ix], &[&f.alice]).await, MINT_MISMATCH);
    assert_eq!(
        snapshot(ctx, &f).await,
        before,
        "a refused claim changed nothing"
    );

    // The genuine claims pay.
    let (staker_before, supplier_before) = (
        ctx.chain.token_balance(f.alice_tokens).await,
        ctx.node(f.a).await.supplier_unclaimed,
    );
    assert_ok(&ctx.send(&[claim], &[&f.alice]).await);
    let ix = ix::staking::claim_node_rewards(f.alice.pubkey(), f.a, f.alice_tokens);
    assert_ok(&ctx.send(&[ix], &[&f.alice]).await);
    let gained = ctx.chain.token_balance(f.alice_tokens).await - staker_before;
    assert!(gained > supplier_before, "both claims paid: {gained}");
    assert_eq!(ctx.node(f.a).await.supplier_unclaimed, 0);
}
