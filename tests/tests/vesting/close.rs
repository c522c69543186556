use anchor_lang::error::ErrorCode;
use anchor_lang::solana_program::system_instruction;
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_math::calendar::add_months;
use ngpu_sdk::ix::vesting::{CONTRIBUTORS_POOL, SEED_INVESTORS_POOL, SERIES_A_POOL};
use ngpu_sdk::{ix, pda, Pubkey};
use ngpu_tests::*;
use vesting::{ScheduleClosed, ScheduleTotals, VestingError, VestingSchedule};

use super::donate;

const IO: u64 = 100_000_000;
const TOKEN_ACCOUNT_LEN: usize = 165;

fn schedule_key(pool_id: u8, id: u64) -> Pubkey {
    pda::vesting::schedule(&pda::vesting::pool(pool_id), id)
}

async fn close(ctx: &mut TestContext, pool_id: u8, id: u64) -> ngpu_localnet::TxOutcome {
    let rent_payer = ctx.schedule(pool_id, id).await.rent_payer;
    ctx.send(&[ix::vesting::close_schedule(pool_id, id, rent_payer)], &[])
        .await
}

#[tokio::test]
async fn closing_a_fully_claimed_schedule_returns_the_rent_to_its_payer() {
    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.pubkey();
    let (id, _, account) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO + 5, false).await;
    let schedule = ctx.schedule(SEED_INVESTORS_POOL, id).await;
    // The authority signed create_schedule and paid both accounts' rent.
    assert_eq!(schedule.rent_payer, authority);
    let rent = ctx.chain.rent_exempt(VestingSchedule::SPACE).await
        + ctx.chain.rent_exempt(TOKEN_ACCOUNT_LEN).await;
    let key = schedule_key(SEED_INVESTORS_POOL, id);
    assert_eq!(
        ctx.chain.lamports(key).await + ctx.chain.lamports(schedule.vault).await,
        rent
    );

    ctx.chain.set_time(add_months(START_TS, 36).unwrap()).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    assert_eq!(ctx.chain.token_balance(account).await, 24 * IO + 5);
    let before = ctx.chain.lamports(authority).await;
    let pool_before = ctx.pool(SEED_INVESTORS_POOL).await;
    // Sent and paid by a third party (the harness payer): the authority does not sign.
    let outcome = close(ctx, SEED_INVESTORS_POOL, id).await;
    assert_ok(&outcome);
    assert_eq!(ctx.chain.lamports(authority).await, before + rent);
    assert!(ctx.chain.account(key).await.is_none());
    assert!(ctx.chain.account(schedule.vault).await.is_none());

    let pool = ctx.pool(SEED_INVESTORS_POOL).await;
    assert_eq!(pool.schedules_closed, 1);
    assert_eq!(
        (pool.total, pool.allocated, pool.claimed),
        (
            pool_before.total,
            pool_before.allocated,
            pool_before.claimed
        )
    );
    let event: ScheduleClosed = outcome.event();
    assert_eq!(
        (event.schedule, event.schedule_id, event.rent_payer),
        (key, id, authority)
    );
    assert_eq!((event.lamports, event.swept), (rent, 0));
    assert_eq!(
        event.schedule_totals,
        ScheduleTotals {
            total: 24 * IO + 5,
            claimed: 24 * IO + 5,
            returned: 0,
            outstanding: 0,
            revoked: false,
        }
    );
    assert_eq!(event.totals, pool.totals());

    // Once closed it is gone: a second close finds no account.
    let again = ix::vesting::close_schedule(SEED_INVESTORS_POOL, id, authority);
    assert_anchor_error(
        &ctx.send(&[again], &[]).await,
        ErrorCode::AccountNotInitialized,
    );
}

/// The rent goes back to whoever paid it, even after the authority changed hands.
#[tokio::test]
async fn the_rent_goes_to_the_payer_of_the_day_not_the_current_authority() {
    let ctx = &mut TestContext::with_vesting().await;
    let old = ctx.authority.insecure_clone();
    let (id, _, _) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, true).await;
    let new = ctx.chain.new_user().await;
    ctx.send_ok(
        &[ix::vesting::propose_authority(old.pubkey(), new.pubkey())],
        &[&old],
    )
    .await;
    ctx.send_ok(&[ix::vesting::accept_authority(new.pubkey())], &[&new])
        .await;
    // Revoked before the cliff: everything went back, nothing is owed.
    let revoke = ix::vesting::revoke(new.pubkey(), CONTRIBUTORS_POOL, id);
    ctx.send_ok(&[revoke], &[&new]).await;

    let rent = ctx.chain.rent_exempt(VestingSchedule::SPACE).await
        + ctx.chain.rent_exempt(TOKEN_ACCOUNT_LEN).await;
    let wrong = ix::vesting::close_schedule(CONTRIBUTORS_POOL, id, new.pubkey());
    assert_error(&ctx.send(&[wrong], &[]).await, VestingError::WrongRentPayer);
    let (old_before, new_before) = (
        ctx.chain.lamports(old.pubkey()).await,
        ctx.chain.lamports(new.pubkey()).await,
    );
    assert_ok(&close(ctx, CONTRIBUTORS_POOL, id).await);
    assert_eq!(ctx.chain.lamports(old.pubkey()).await, old_before + rent);
    assert_eq!(ctx.chain.lamports(new.pubkey()).await, new_before);
}

#[tokio::test]
async fn nothing_closes_while_anything_is_owed() {
    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.insecure_clone();
    let (live, _, live_account) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    let (revocable, _, revocable_account) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, true).await;

    // Before the cliff, after a partial claim, one second before the last part.
    assert_error(
        &close(ctx, SEED_INVESTORS_POOL, live).await,
        VestingError::ScheduleNotSettled,
    );
    ctx.chain.set_time(add_months(START_TS, 20).unwrap()).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, live, live_account).await);
    assert_error(
        &close(ctx, SEED_INVESTORS_POOL, live).await,
        VestingError::ScheduleNotSettled,
    );
    // Revoked at month 20 (8 parts unlocked, none claimed): owed until claimed.
    let revoke = ix::vesting::revoke(authority.pubkey(), CONTRIBUTORS_POOL, revocable);
    ctx.send_ok(&[revoke], &[&authority]).await;
    assert_error(
        &close(ctx, CONTRIBUTORS_POOL, revocable).await,
        VestingError::ScheduleNotSettled,
    );
    ctx.chain
        .set_time(add_months(START_TS, 36).unwrap() - 1)
        .await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, live, live_account).await);
    assert_error(
        &close(ctx, SEED_INVESTORS_POOL, live).await,
        VestingError::ScheduleNotSettled,
    );
    // The revoked schedule is settled once its frozen part is claimed (long after month 20).
    assert_ok(
        &ctx.claim(CONTRIBUTORS_POOL, revocable, revocable_account)
            .await,
    );
    assert_eq!(ctx.chain.token_balance(revocable_account).await, 8 * IO);
    assert_ok(&close(ctx, CONTRIBUTORS_POOL, revocable).await);
    assert_eq!(ctx.pool(CONTRIBUTORS_POOL).await.schedules_closed, 1);
    assert_eq!(
        ctx.schedule(SEED_INVESTORS_POOL, live).await.claimed,
        23 * IO
    );
}

#[tokio::test]
async fn close_checks_every_account_and_stays_open_while_paused() {
    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.insecure_clone();
    let (id, _, account) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    let (other, _, _) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    ctx.chain.set_time(add_months(START_TS, 36).unwrap()).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    let payer = authority.pubkey();

    // Another schedule's vault (accounts: schedule, pool, schedule vault, pool vault, payer).
    let mut ix = ix::vesting::close_schedule(SEED_INVESTORS_POOL, id, payer);
    ix.accounts[2].pubkey = ctx.schedule(SEED_INVESTORS_POOL, other).await.vault;
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintAddress);
    // Another pool.
    let mut ix = ix::vesting::close_schedule(SEED_INVESTORS_POOL, id, payer);
    ix.accounts[1].pubkey = pda::vesting::pool(SERIES_A_POOL);
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintHasOne);
    // Another pool's vault.
    let mut ix = ix::vesting::close_schedule(SEED_INVESTORS_POOL, id, payer);
    ix.accounts[3].pubkey = pda::vesting::vault(&pda::vesting::pool(SERIES_A_POOL));
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintAddress);
    // A stranger as the rent receiver.
    let thief = ctx.chain.new_user().await;
    let ix = ix::vesting::close_schedule(SEED_INVESTORS_POOL, id, thief.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&thief]).await,
        VestingError::WrongRentPayer,
    );

    // Paused only blocks grants.
    ctx.send_ok(&[ix::vesting::set_paused(payer, true)], &[&authority])
        .await;
    assert_ok(&close(ctx, SEED_INVESTORS_POOL, id).await);
}

/// RELIABILITY.md S6: close, send lamports back to the address and claim in one transaction:
/// the whole transaction fails and the schedule stays as it was.
#[tokio::test]
async fn a_closed_schedule_cannot_be_revived_in_the_same_transaction() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, _, account) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    ctx.chain.set_time(add_months(START_TS, 36).unwrap()).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    let key = schedule_key(SEED_INVESTORS_POOL, id);
    let payer = ctx.chain.payer().pubkey();
    let rent_payer = ctx.authority.pubkey();
    let outcome = ctx
        .send(
            &[
                ix::vesting::close_schedule(SEED_INVESTORS_POOL, id, rent_payer),
                system_instruction::transfer(&payer, &key, 3_000_000),
                ix::vesting::claim(SEED_INVESTORS_POOL, id, account),
            ],
            &[],
        )
        .await;
    // The refunded address is a plain system account now, not a schedule.
    assert_error_at(&outcome, 2, ErrorCode::AccountOwnedByWrongProgram);
    assert_eq!(ctx.schedule(SEED_INVESTORS_POOL, id).await.claimed, 24 * IO);
    assert_eq!(ctx.chain.token_balance(account).await, 24 * IO);
}

/// A donation to a settled schedule's vault cannot block its close: it goes to the pool.
#[tokio::test]
async fn a_donation_to_a_settled_vault_goes_to_the_pool_on_close() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, _, account) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    ctx.chain.set_time(add_months(START_TS, 36).unwrap()).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    let vault = ctx.schedule(SEED_INVESTORS_POOL, id).await.vault;
    donate(ctx, vault, 17).await;
    let pool_before = ctx.pool(SEED_INVESTORS_POOL).await;
    let outcome = close(ctx, SEED_INVESTORS_POOL, id).await;
    assert_ok(&outcome);
    let pool = ctx.pool(SEED_INVESTORS_POOL).await;
    assert_eq!(
        (pool.total, pool.swept),
        (pool_before.total + 17, pool_before.swept + 17)
    );
    assert_eq!(
        ctx.chain.token_balance(pool.vault).await,
        pool.total - pool.allocated
    );
    assert_eq!(outcome.event::<ScheduleClosed>().swept, 17);
}
