use anchor_lang::error::ErrorCode;
use io_token::constants::{GENESIS_SUPPLY, MAX_SUPPLY};
use io_token::{GenesisMinted, IoTokenError};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::ix;
use ngpu_tests::*;

#[tokio::test]
async fn mints_the_default_preset_into_the_five_allocations() {
    let mut ctx = TestContext::initialized().await;
    ctx.create_allocation_accounts().await;
    let plan = default_plan();
    let outcome = ctx.genesis(plan.amounts).await;
    assert_ok(&outcome);

    let expected_io = [
        250_000_000u64,
        62_500_000,
        51_000_000,
        56_500_000,
        80_000_000,
    ];
    for (account, io) in ctx.allocations.clone().iter().zip(expected_io) {
        assert_eq!(ctx.chain.token_balance(*account).await, io * 100_000_000);
    }
    let config = ctx.config().await;
    assert_eq!(config.genesis_minted, GENESIS_SUPPLY);
    assert_eq!(config.genesis_ts, START_TS);
    assert_eq!(
        ctx.chain.mint_state(ctx.io_mint).await.supply,
        GENESIS_SUPPLY
    );

    let event: GenesisMinted = outcome.event();
    assert_eq!(event.destinations.to_vec(), ctx.allocations);
    assert_eq!(event.amounts, plan.amounts);
    assert_eq!(event.genesis_ts, START_TS);
    assert_eq!(event.totals.genesis_minted, GENESIS_SUPPLY);
    assert_eq!(event.totals.remaining_to_cap, MAX_SUPPLY - GENESIS_SUPPLY);
    assert!(outcome.size <= 1232, "{} bytes", outcome.size);
}

#[tokio::test]
async fn mints_the_cap_shares_preset() {
    let mut ctx = TestContext::initialized().await;
    ctx.create_allocation_accounts().await;
    let plan = load_plan("cap-shares.json");
    assert_ok(&ctx.genesis(plan.amounts).await);
    let expected_io = [
        100_000_000u64,
        100_000_000,
        81_600_000,
        90_400_000,
        128_000_000,
    ];
    for (account, io) in ctx.allocations.clone().iter().zip(expected_io) {
        assert_eq!(ctx.chain.token_balance(*account).await, io * 100_000_000);
    }
}

#[tokio::test]
async fn genesis_happens_once() {
    let mut ctx = TestContext::with_genesis().await;
    let outcome = ctx.genesis(default_plan().amounts).await;
    assert_error(&outcome, IoTokenError::GenesisAlreadyDone);
    assert_eq!(
        ctx.chain.mint_state(ctx.io_mint).await.supply,
        GENESIS_SUPPLY
    );
}

#[tokio::test]
async fn amounts_must_sum_to_exactly_500m() {
    let mut ctx = TestContext::initialized().await;
    ctx.create_allocation_accounts().await;
    // The source document's typo: 65.5M for contributors sums to 509M.
    let typo = [
        250_000_000u64,
        62_500_000,
        51_000_000,
        65_500_000,
        80_000_000,
    ]
    .map(|io| io * 100_000_000);
    assert_error(
        &ctx.genesis(typo).await,
        IoTokenError::GenesisAmountMismatch,
    );
    let mut one_short = default_plan().amounts;
    one_short[0] -= 1;
    assert_error(
        &ctx.genesis(one_short).await,
        IoTokenError::GenesisAmountMismatch,
    );
    let overflow = [u64::MAX, 1, 0, 0, 0];
    assert_error(
        &ctx.genesis(overflow).await,
        IoTokenError::GenesisAmountMismatch,
    );
    assert_eq!(ctx.config().await.genesis_minted, 0);
}

#[tokio::test]
async fn only_the_authority_runs_genesis() {
    let mut ctx = TestContext::initialized().await;
    ctx.create_allocation_accounts().await;
    let intruder = ctx.chain.new_user().await;
    let ix = ix::io_token::genesis(
        intruder.pubkey(),
        ctx.allocation_array(),
        default_plan().amounts,
    );
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        IoTokenError::Unauthorized,
    );

    let authority = ctx.authority.pubkey();
    let ix = without_signature(
        ix::io_token::genesis(authority, ctx.allocation_array(), default_plan().amounts),
        &authority,
    );
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::AccountNotSigner);
}

#[tokio::test]
async fn rejects_accounts_of_another_mint_and_duplicates() {
    let mut ctx = TestContext::initialized().await;
    ctx.create_allocation_accounts().await;
    let owner = Keypair::new();
    let other_mint = ctx.chain.create_mint(8, &owner.pubkey()).await;
    let foreign = ctx
        .chain
        .create_token_account(&other_mint, &owner.pubkey())
        .await;
    let mut destinations = ctx.allocation_array();
    destinations[2] = foreign;
    let authority = ctx.authority.insecure_clone();
    let ix = ix::io_token::genesis(authority.pubkey(), destinations, default_plan().amounts);
    assert_anchor_error(
        &ctx.send(&[ix], &[&authority]).await,
        ErrorCode::ConstraintTokenMint,
    );

    let mut destinations = ctx.allocation_array();
    destinations[4] = destinations[0];
    let ix = ix::io_token::genesis(authority.pubkey(), destinations, default_plan().amounts);
    assert_anchor_error(
        &ctx.send(&[ix], &[&authority]).await,
        ErrorCode::ConstraintDuplicateMutableAccount,
    );
}

#[tokio::test]
async fn paused_blocks_genesis() {
    let mut ctx = TestContext::initialized().await;
    ctx.create_allocation_accounts().await;
    assert_ok(&ctx.set_paused(true).await);
    assert_error(
        &ctx.genesis(default_plan().amounts).await,
        IoTokenError::Paused,
    );
    assert_ok(&ctx.set_paused(false).await);
    assert_ok(&ctx.genesis(default_plan().amounts).await);
}
