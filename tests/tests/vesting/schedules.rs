use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::ix::vesting::{
    CONTRIBUTORS_POOL, ECOSYSTEM_POOL, SEED_INVESTORS_POOL, SERIES_A_POOL,
};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use vesting::{CreateScheduleArgs, ScheduleCreated, VestingError};

const IO: u64 = 100_000_000;

#[tokio::test]
async fn a_grant_moves_tokens_from_the_pool_into_the_schedule_vault() {
    let ctx = &mut TestContext::with_vesting().await;
    let beneficiary = Keypair::new().pubkey();
    let pool_before = ctx.pool(SEED_INVESTORS_POOL).await;
    let outcome = ctx
        .create_schedule(SEED_INVESTORS_POOL, beneficiary, 1_000_000 * IO, false)
        .await;
    assert_ok(&outcome);
    let schedule = ctx.schedule(SEED_INVESTORS_POOL, 0).await;
    assert_eq!(schedule.beneficiary, beneficiary);
    assert_eq!(
        (schedule.total, schedule.claimed, schedule.start_ts),
        (1_000_000 * IO, 0, START_TS)
    );
    assert_eq!(
        (schedule.cliff_months, schedule.parts, schedule.revocable),
        (12, 24, false)
    );
    assert_eq!(
        ctx.chain.token_balance(schedule.vault).await,
        1_000_000 * IO
    );
    let pool = ctx.pool(SEED_INVESTORS_POOL).await;
    assert_eq!(pool.allocated, 1_000_000 * IO);
    assert_eq!(
        ctx.chain.token_balance(pool.vault).await,
        pool_before.total - 1_000_000 * IO
    );

    let event: ScheduleCreated = outcome.event();
    assert_eq!(
        (event.schedule_id, event.amount, event.beneficiary),
        (0, 1_000_000 * IO, beneficiary)
    );
    assert_eq!(event.totals.allocated, 1_000_000 * IO);
    assert_eq!(event.rent_payer, ctx.authority.pubkey());
    assert_eq!(schedule.rent_payer, ctx.authority.pubkey());
    assert_eq!((schedule.revoked, schedule.revoked_ts), (false, 0));
    assert_eq!(event.totals.schedule_count, 1);
    assert!(outcome.size <= 1_232);
}

#[tokio::test]
async fn grants_never_exceed_the_pool() {
    let ctx = &mut TestContext::with_vesting().await;
    let total = ctx.pool(SERIES_A_POOL).await.total;
    let who = Keypair::new().pubkey();
    assert_error(
        &ctx.create_schedule(SERIES_A_POOL, who, total + 1, false)
            .await,
        VestingError::ExceedsPool,
    );
    assert_ok(
        &ctx.create_schedule(SERIES_A_POOL, who, total - 5, false)
            .await,
    );
    assert_error(
        &ctx.create_schedule(SERIES_A_POOL, who, 6, false).await,
        VestingError::ExceedsPool,
    );
    assert_ok(&ctx.create_schedule(SERIES_A_POOL, who, 5, false).await);
    assert_eq!(ctx.pool(SERIES_A_POOL).await.allocated, total);
    assert_error(
        &ctx.create_schedule(SERIES_A_POOL, who, 1, false).await,
        VestingError::ExceedsPool,
    );
}

#[tokio::test]
async fn the_pool_decides_revocability() {
    let ctx = &mut TestContext::with_vesting().await;
    let who = Keypair::new().pubkey();
    for investors in [SEED_INVESTORS_POOL, SERIES_A_POOL] {
        let outcome = ctx.create_schedule(investors, who, IO, true).await;
        assert_error(&outcome, VestingError::RevocationNotAllowed);
    }
    for contributors in [CONTRIBUTORS_POOL, ECOSYSTEM_POOL] {
        assert_ok(&ctx.create_schedule(contributors, who, IO, true).await);
        assert_ok(&ctx.create_schedule(contributors, who, IO, false).await);
        assert!(ctx.schedule(contributors, 0).await.revocable);
        assert!(!ctx.schedule(contributors, 1).await.revocable);
        assert_eq!(ctx.schedule(contributors, 0).await.parts, 36);
    }
}

#[tokio::test]
async fn bad_grants_are_rejected() {
    let ctx = &mut TestContext::with_vesting().await;
    let who = Keypair::new().pubkey();
    assert_error(
        &ctx.create_schedule(SEED_INVESTORS_POOL, who, 0, false)
            .await,
        VestingError::ZeroAmount,
    );
    let nobody = Default::default();
    assert_error(
        &ctx.create_schedule(SEED_INVESTORS_POOL, nobody, IO, false)
            .await,
        VestingError::InvalidKey,
    );

    let intruder = ctx.chain.new_user().await;
    let args = CreateScheduleArgs {
        beneficiary: intruder.pubkey(),
        amount: IO,
        revocable: false,
    };
    let ix = ix::vesting::create_schedule(intruder.pubkey(), SEED_INVESTORS_POOL, 0, args);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        VestingError::Unauthorized,
    );
    assert_eq!(ctx.pool(SEED_INVESTORS_POOL).await.schedule_count, 0);
}

#[tokio::test]
async fn paused_blocks_creation_only() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, _, account) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, true).await;
    let authority = ctx.authority.insecure_clone();
    ctx.send_ok(
        &[ix::vesting::set_paused(authority.pubkey(), true)],
        &[&authority],
    )
    .await;
    let who = Keypair::new().pubkey();
    assert_error(
        &ctx.create_schedule(CONTRIBUTORS_POOL, who, IO, false).await,
        VestingError::Paused,
    );
    // Claims stay open while paused.
    let start = ctx.schedule(CONTRIBUTORS_POOL, id).await.start_ts;
    ctx.chain
        .set_time(ngpu_math::calendar::add_months(start, 13).unwrap())
        .await;
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, account).await);
    assert_eq!(ctx.chain.token_balance(account).await, IO);
    ctx.send_ok(
        &[ix::vesting::set_paused(authority.pubkey(), false)],
        &[&authority],
    )
    .await;
    assert_ok(&ctx.create_schedule(CONTRIBUTORS_POOL, who, IO, false).await);
}

/// RELIABILITY.md S18: a schedule address is predictable (pool, next id); pre-funding it or its
/// vault must not block the grant.
#[tokio::test]
async fn pre_funded_schedule_addresses_cannot_block_grants() {
    let ctx = &mut TestContext::with_vesting().await;
    let pool = pda::vesting::pool(CONTRIBUTORS_POOL);
    let schedule = pda::vesting::schedule(&pool, 0);
    ctx.chain.transfer_lamports(schedule, 890_880).await;
    ctx.chain
        .transfer_lamports(pda::vesting::vault(&schedule), 3_000_000)
        .await;
    let who = Keypair::new().pubkey();
    assert_ok(
        &ctx.create_schedule(CONTRIBUTORS_POOL, who, 10 * IO, true)
            .await,
    );
    assert_eq!(ctx.schedule(CONTRIBUTORS_POOL, 0).await.total, 10 * IO);
}
