use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::ix::vesting::{CONTRIBUTORS_POOL, POOLS, SEED_INVESTORS_POOL};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use vesting::{ConfigState, Initialized, PoolCreated, PoolOpened, PoolRule, VestingError};

#[tokio::test]
async fn genesis_funds_the_pools_and_open_records_them() {
    let ctx = &mut TestContext::with_vesting().await;
    let plan = default_plan();
    for (i, (pool_id, rule)) in POOLS.iter().enumerate() {
        let pool = ctx.pool(*pool_id).await;
        assert!(pool.opened);
        assert_eq!(pool.total, plan.amounts[i + 1], "pool {pool_id}");
        assert_eq!(pool.start_ts, START_TS);
        let (parts, revocable) = match rule {
            PoolRule::Investor => (24, false),
            PoolRule::Contributor => (36, true),
        };
        assert_eq!(
            (pool.cliff_months, pool.parts, pool.revocable_allowed),
            (12, parts, revocable)
        );
        assert_eq!(ctx.chain.token_balance(pool.vault).await, pool.total);
    }
    let config: vesting::Config = ctx.chain.anchor_account(pda::vesting::config()).await;
    assert_eq!(config.pool_count, 4);
}

#[tokio::test]
async fn open_pool_needs_genesis_the_authority_and_funds_once() {
    let ctx = &mut TestContext::initialized().await;
    let authority = ctx.authority.insecure_clone();
    ctx.send_ok(
        &[ix::vesting::initialize(authority.pubkey())],
        &[&authority],
    )
    .await;
    ctx.send_ok(
        &[ix::vesting::create_pool(
            authority.pubkey(),
            7,
            PoolRule::Investor,
        )],
        &[&authority],
    )
    .await;
    let open = ix::vesting::open_pool(authority.pubkey(), 7);
    assert_error(
        &ctx.send(std::slice::from_ref(&open), &[&authority]).await,
        VestingError::GenesisNotDone,
    );

    ctx.create_allocation_accounts().await;
    assert_ok(&ctx.genesis(default_plan().amounts).await);
    // Genesis did not fund pool 7: nothing to vest.
    assert_error(
        &ctx.send(std::slice::from_ref(&open), &[&authority]).await,
        VestingError::PoolEmpty,
    );

    let intruder = ctx.chain.new_user().await;
    let ix = ix::vesting::open_pool(intruder.pubkey(), 7);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        VestingError::Unauthorized,
    );

    // Fund it by transfer from the community allocation, then open, then not again.
    let owner = ctx.allocation_owners[0].insecure_clone();
    let vault = pda::vesting::vault(&pda::vesting::pool(7));
    ctx.io_accounts.push(vault);
    let transfer = anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::ID,
        &ctx.allocations[0],
        &vault,
        &owner.pubkey(),
        &[],
        1_000,
    )
    .unwrap();
    ctx.send_ok(&[transfer], &[&owner]).await;
    let outcome = ctx
        .send_ok(std::slice::from_ref(&open), &[&authority])
        .await;
    let event: PoolOpened = outcome.event();
    assert_eq!((event.start_ts, event.totals.total), (START_TS, 1_000));
    assert_error(
        &ctx.send(&[open], &[&authority]).await,
        VestingError::PoolAlreadyOpen,
    );
}

#[tokio::test]
async fn create_pool_is_authority_only_once_and_prefunding_safe() {
    let ctx = &mut TestContext::initialized().await;
    let authority = ctx.authority.insecure_clone();
    ctx.send_ok(
        &[ix::vesting::initialize(authority.pubkey())],
        &[&authority],
    )
    .await;
    let intruder = ctx.chain.new_user().await;
    let ix = ix::vesting::create_pool(
        intruder.pubkey(),
        SEED_INVESTORS_POOL,
        PoolRule::Contributor,
    );
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        VestingError::Unauthorized,
    );

    // Anyone can send lamports to the pool and vault addresses first: creation still works.
    let pool = pda::vesting::pool(CONTRIBUTORS_POOL);
    ctx.chain.transfer_lamports(pool, 890_880).await;
    ctx.chain
        .transfer_lamports(pda::vesting::vault(&pool), 5_000_000)
        .await;
    let create =
        ix::vesting::create_pool(authority.pubkey(), CONTRIBUTORS_POOL, PoolRule::Contributor);
    let outcome = ctx
        .send_ok(std::slice::from_ref(&create), &[&authority])
        .await;
    let event: PoolCreated = outcome.event();
    assert_eq!(
        (event.pool, event.pool_id, event.pool_count, event.parts),
        (pool, CONTRIBUTORS_POOL, 1, 36)
    );
    assert_eq!(event.totals.total, 0);
    assert_eq!(event.totals, ctx.pool(CONTRIBUTORS_POOL).await.totals());
    let vault = ctx.chain.account(pda::vesting::vault(&pool)).await.unwrap();
    assert_eq!(vault.owner, anchor_spl::token::ID);
    assert_error(
        &ctx.send(&[create], &[&authority]).await,
        VestingError::AlreadyInitialized,
    );
}

#[tokio::test]
async fn initialize_is_upgrade_authority_only_and_once() {
    let ctx = &mut TestContext::new().await;
    let intruder = ctx.chain.new_user().await;
    let ix = ix::vesting::initialize(intruder.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        VestingError::Unauthorized,
    );
    let authority = ctx.authority.insecure_clone();
    ctx.chain
        .transfer_lamports(pda::vesting::config(), 890_880)
        .await;
    let outcome = ctx
        .send_ok(
            &[ix::vesting::initialize(authority.pubkey())],
            &[&authority],
        )
        .await;
    let event: Initialized = outcome.event();
    assert_eq!(
        event.config,
        ConfigState {
            authority: authority.pubkey(),
            pending_authority: Default::default(),
            paused: false,
            pool_count: 0,
        }
    );
    let again = ctx
        .send(
            &[ix::vesting::initialize(authority.pubkey())],
            &[&authority],
        )
        .await;
    assert_error(&again, VestingError::AlreadyInitialized);
    let authority_key = authority.pubkey();
    let unsigned = without_signature(ix::vesting::initialize(authority_key), &authority_key);
    assert_anchor_error(
        &ctx.send(&[unsigned], &[]).await,
        ErrorCode::AccountNotSigner,
    );
}
