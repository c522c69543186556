use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::calendar::add_months;
use ngpu_sdk::ix::vesting::{CONTRIBUTORS_POOL, SEED_INVESTORS_POOL, SERIES_A_POOL};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use vesting::{PoolRule, Swept, VestingError};

use super::donate;

const IO: u64 = 100_000_000;

/// Donations to the pool vault and to a schedule vault become part of the pool (grantable),
/// whoever sends the sweep (here the harness payer, which has no IO account: the instruction
/// takes none from the caller).
#[tokio::test]
async fn a_donation_is_swept_into_the_pool_never_to_the_caller() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, _, account) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, true).await;
    let pool_before = ctx.pool(CONTRIBUTORS_POOL).await;
    let donor = ctx.allocations[0];
    let donor_before = ctx.chain.token_balance(donor).await;

    // Into the pool vault.
    donate(ctx, pool_before.vault, 1_234).await;
    let sweep = ix::vesting::sweep(CONTRIBUTORS_POOL, None);
    let outcome = ctx.send(&[sweep], &[]).await;
    assert_ok(&outcome);
    let pool = ctx.pool(CONTRIBUTORS_POOL).await;
    assert_eq!(
        (pool.total, pool.swept, pool.allocated),
        (pool_before.total + 1_234, 1_234, pool_before.allocated)
    );
    let event: Swept = outcome.event();
    assert_eq!(
        (event.schedule, event.from_schedule, event.amount),
        (None, 0, 1_234)
    );
    assert_eq!(event.totals, pool.totals());

    // Into a schedule vault: back to its ledger, the surplus in the pool.
    let vault = ctx.schedule(CONTRIBUTORS_POOL, id).await.vault;
    donate(ctx, vault, 99).await;
    let outcome = ctx
        .send(&[ix::vesting::sweep(CONTRIBUTORS_POOL, Some(id))], &[])
        .await;
    assert_ok(&outcome);
    assert_eq!(ctx.chain.token_balance(vault).await, 36 * IO);
    let pool = ctx.pool(CONTRIBUTORS_POOL).await;
    assert_eq!((pool.total, pool.swept), (pool_before.total + 1_333, 1_333));
    let event: Swept = outcome.event();
    let schedule = pda::vesting::schedule(&pda::vesting::pool(CONTRIBUTORS_POOL), id);
    assert_eq!(
        (event.schedule, event.from_schedule, event.amount),
        (Some(schedule), 99, 99)
    );
    assert_eq!(ctx.chain.token_balance(donor).await, donor_before - 1_333);

    // Nothing left to sweep, with or without the schedule.
    let again = ix::vesting::sweep(CONTRIBUTORS_POOL, Some(id));
    assert_error(&ctx.send(&[again], &[]).await, VestingError::NothingToSweep);
    let again = ix::vesting::sweep(CONTRIBUTORS_POOL, None);
    assert_error(&ctx.send(&[again], &[]).await, VestingError::NothingToSweep);

    // The schedule still vests normally; the swept units can be granted.
    ctx.chain.set_time(add_months(START_TS, 13).unwrap()).await;
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, account).await);
    assert_eq!(ctx.chain.token_balance(account).await, IO);
    let unallocated = ctx.pool(CONTRIBUTORS_POOL).await.unallocated().unwrap();
    let who = Keypair::new().pubkey();
    assert_ok(
        &ctx.create_schedule(CONTRIBUTORS_POOL, who, unallocated, false)
            .await,
    );
    assert_eq!(ctx.chain.token_balance(pool.vault).await, 0);
}

/// A revoked schedule's vault keeps what the beneficiary may still claim: only the surplus moves.
#[tokio::test]
async fn sweeping_a_revoked_schedule_leaves_the_beneficiary_s_part() {
    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.insecure_clone();
    let (id, _, account) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, true).await;
    ctx.chain.set_time(add_months(START_TS, 16).unwrap()).await;
    let revoke = ix::vesting::revoke(authority.pubkey(), CONTRIBUTORS_POOL, id);
    ctx.send_ok(&[revoke], &[&authority]).await;
    let vault = ctx.schedule(CONTRIBUTORS_POOL, id).await.vault;
    donate(ctx, vault, 5).await;
    let outcome = ctx
        .send(&[ix::vesting::sweep(CONTRIBUTORS_POOL, Some(id))], &[])
        .await;
    assert_eq!(outcome.event::<Swept>().amount, 5);
    assert_eq!(ctx.chain.token_balance(vault).await, 4 * IO);
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, account).await);
    assert_eq!(ctx.chain.token_balance(account).await, 4 * IO);
}

#[tokio::test]
async fn sweep_checks_its_accounts() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, _, _) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, true).await;
    let (other, _, _) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, true).await;
    let (investor, _, _) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    let vault = ctx.schedule(CONTRIBUTORS_POOL, id).await.vault;
    donate(ctx, vault, 7).await;
    ctx.check_after_each = false;

    // Accounts: pool, pool vault, schedule, schedule vault.
    let mut ix = ix::vesting::sweep(CONTRIBUTORS_POOL, Some(id));
    ix.accounts[3].pubkey = ctx.schedule(CONTRIBUTORS_POOL, other).await.vault;
    assert_error(&ctx.send(&[ix], &[]).await, VestingError::WrongVault);
    // The schedule without its vault (an absent optional account is the program id).
    let mut ix = ix::vesting::sweep(CONTRIBUTORS_POOL, Some(id));
    ix.accounts[3].pubkey = vesting::ID;
    ix.accounts[3].is_writable = false;
    assert_error(&ctx.send(&[ix], &[]).await, VestingError::WrongVault);
    // A schedule of another pool.
    let mut ix = ix::vesting::sweep(CONTRIBUTORS_POOL, Some(id));
    let investors = pda::vesting::pool(SEED_INVESTORS_POOL);
    ix.accounts[2].pubkey = pda::vesting::schedule(&investors, investor);
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintHasOne);
    // Another pool's vault.
    let mut ix = ix::vesting::sweep(CONTRIBUTORS_POOL, Some(id));
    ix.accounts[1].pubkey = pda::vesting::vault(&pda::vesting::pool(SERIES_A_POOL));
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintAddress);

    ctx.check_after_each = true;
    assert_ok(
        &ctx.send(&[ix::vesting::sweep(CONTRIBUTORS_POOL, Some(id))], &[])
            .await,
    );
    assert_eq!(ctx.chain.token_balance(vault).await, 36 * IO);
}

/// Before `open_pool` the vault's balance is not a ledger yet: nothing to sweep.
#[tokio::test]
async fn an_unopened_pool_is_not_swept() {
    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.insecure_clone();
    let create = ix::vesting::create_pool(authority.pubkey(), 9, PoolRule::Investor);
    ctx.send_ok(&[create], &[&authority]).await;
    let vault = pda::vesting::vault(&pda::vesting::pool(9));
    ctx.io_accounts.push(vault);
    donate(ctx, vault, 1_000).await;
    let sweep = ix::vesting::sweep(9, None);
    assert_error(&ctx.send(&[sweep], &[]).await, VestingError::PoolNotOpen);
}
