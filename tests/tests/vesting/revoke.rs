use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::calendar::add_months;
use ngpu_sdk::ix;
use ngpu_sdk::ix::vesting::{CONTRIBUTORS_POOL, SEED_INVESTORS_POOL};
use ngpu_tests::*;
use vesting::{ScheduleRevoked, ScheduleTotals, VestingError};

const IO: u64 = 100_000_000;
/// A total with a remainder in 36 parts.
const ODD_TOTAL: u64 = 1_000_000 * IO + 7;

fn parts(k: u64) -> u64 {
    (ODD_TOTAL as u128 * k as u128 / 36) as u64
}

/// Issue 8, item 3 (RELIABILITY.md "NGPU vesting, found 2026-11-30"): the beneficiary of a
/// revocable contributor schedule sees the multisig's revoke proposal and hands the schedule to
/// a fresh key (with no IO account) before each attempt, at months 14, 20 and 30. On `ef25f92`
/// all three revokes failed (`WrongBeneficiaryAccount`: the proposal's destination belonged to
/// the previous beneficiary) while claims continued. Now the first one goes through: the
/// schedule is frozen at month 14, its unlocked part stays claimable by whoever holds it, and
/// the pool gets the rest back, to the base unit.
#[tokio::test]
async fn a_beneficiary_handing_the_schedule_on_cannot_block_revocation() {
    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.insecure_clone();
    let (id, first, first_account) = ctx.grant(CONTRIBUTORS_POOL, ODD_TOTAL, true).await;
    let pool_before = ctx.pool(CONTRIBUTORS_POOL).await;
    let pool_vault_before = ctx.chain.token_balance(pool_before.vault).await;

    // Month 13: the first part is claimed.
    ctx.chain.set_time(add_months(START_TS, 13).unwrap()).await;
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, first_account).await);
    assert_eq!(ctx.chain.token_balance(first_account).await, parts(1));

    // The multisig prepares its proposal now; it is executed at month 14, 20 and 30.
    let proposal = ix::vesting::revoke(authority.pubkey(), CONTRIBUTORS_POOL, id);
    let mut holder = first;
    let mut outcomes = Vec::new();
    for month in [14, 20, 30] {
        ctx.chain
            .set_time(add_months(START_TS, month).unwrap())
            .await;
        // Front-run: the schedule goes to a fresh key that has no token account at all.
        let fresh = ctx.chain.new_user().await;
        let hand_over =
            ix::vesting::change_beneficiary(holder.pubkey(), CONTRIBUTORS_POOL, id, fresh.pubkey());
        ctx.send_ok(&[hand_over], &[&holder]).await;
        holder = fresh;
        outcomes.push(
            ctx.send(std::slice::from_ref(&proposal), &[&authority])
                .await,
        );
    }

    // Month 14: 2 parts unlocked, 1 claimed; the other 34 parts go back to the pool.
    assert_ok(&outcomes[0]);
    let revoked_at = add_months(START_TS, 14).unwrap();
    let event: ScheduleRevoked = outcomes[0].event();
    assert_eq!(
        (event.claimable, event.returned, event.revoked_ts),
        (parts(2) - parts(1), ODD_TOTAL - parts(2), revoked_at)
    );
    assert_eq!(
        event.schedule_totals,
        ScheduleTotals {
            total: ODD_TOTAL,
            claimed: parts(1),
            returned: ODD_TOTAL - parts(2),
            outstanding: parts(2) - parts(1),
            revoked: true,
        }
    );
    // Months 20 and 30: already revoked, nothing moved.
    assert_error(&outcomes[1], VestingError::AlreadyRevoked);
    assert_error(&outcomes[2], VestingError::AlreadyRevoked);

    let pool = ctx.pool(CONTRIBUTORS_POOL).await;
    assert_eq!(event.totals, pool.totals());
    assert_eq!(
        pool.allocated,
        pool_before.allocated - (ODD_TOTAL - parts(2))
    );
    assert_eq!(pool.returned, ODD_TOTAL - parts(2));
    assert_eq!(pool.claimed, parts(1));
    assert_eq!(
        ctx.chain.token_balance(pool.vault).await,
        pool_vault_before + ODD_TOTAL - parts(2)
    );
    let schedule = ctx.schedule(CONTRIBUTORS_POOL, id).await;
    assert_eq!(
        ctx.chain.token_balance(schedule.vault).await,
        parts(2) - parts(1)
    );
    assert_eq!(schedule.beneficiary, holder.pubkey());

    // Month 30: the current holder opens an IO account and claims exactly what had unlocked at
    // month 14 and was not claimed; the previous holders' accounts are refused.
    let account = ctx.new_io_account(&holder.pubkey()).await;
    assert_error(
        &ctx.claim(CONTRIBUTORS_POOL, id, first_account).await,
        VestingError::WrongBeneficiaryAccount,
    );
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, account).await);
    assert_eq!(ctx.chain.token_balance(account).await, parts(2) - parts(1));
    // Nothing more ever unlocks: month 60, after the schedule's natural end.
    ctx.chain.set_time(add_months(START_TS, 60).unwrap()).await;
    let late = ctx.claim(CONTRIBUTORS_POOL, id, account).await;
    assert_ok(&late);
    assert!(late.events.is_empty());
    assert_eq!(ctx.chain.token_balance(account).await, parts(2) - parts(1));
    assert_eq!(ctx.chain.token_balance(first_account).await, parts(1));
    let schedule = ctx.schedule(CONTRIBUTORS_POOL, id).await;
    assert_eq!(ctx.chain.token_balance(schedule.vault).await, 0);
    let pool = ctx.pool(CONTRIBUTORS_POOL).await;
    assert_eq!(pool.claimed, parts(2));
    assert_eq!(
        pool.allocated,
        pool_before.allocated - (ODD_TOTAL - parts(2))
    );
}

#[tokio::test]
async fn revoke_keeps_what_unlocked_claimable_and_returns_the_rest() {
    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.insecure_clone();
    let (id, _, account) = ctx.grant(CONTRIBUTORS_POOL, ODD_TOTAL, true).await;
    let pool_before = ctx.pool(CONTRIBUTORS_POOL).await;

    // Month 15: 3 parts unlocked, 1 claimed already at month 13.
    ctx.chain.set_time(add_months(START_TS, 13).unwrap()).await;
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, account).await);
    ctx.chain.set_time(add_months(START_TS, 15).unwrap()).await;
    let revoke = ix::vesting::revoke(authority.pubkey(), CONTRIBUTORS_POOL, id);
    let outcome = ctx.send(&[revoke], &[&authority]).await;
    assert_ok(&outcome);
    let event: ScheduleRevoked = outcome.event();
    assert_eq!(
        (event.claimable, event.returned),
        (parts(3) - parts(1), ODD_TOTAL - parts(3))
    );
    // Revoking pays nothing: the beneficiary still holds only month 13's part.
    assert_eq!(ctx.chain.token_balance(account).await, parts(1));
    let pool = ctx.pool(CONTRIBUTORS_POOL).await;
    assert_eq!(
        pool.allocated,
        pool_before.allocated - (ODD_TOTAL - parts(3))
    );
    assert_eq!(
        ctx.chain.token_balance(pool.vault).await,
        pool.total - pool.allocated
    );

    // The two unlocked parts are claimed later; nothing more, ever; a second revoke is
    // refused; the returned part can be granted again.
    ctx.chain.set_time(add_months(START_TS, 60).unwrap()).await;
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, account).await);
    assert_eq!(ctx.chain.token_balance(account).await, parts(3));
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, account).await);
    assert_eq!(ctx.chain.token_balance(account).await, parts(3));
    let again = ix::vesting::revoke(authority.pubkey(), CONTRIBUTORS_POOL, id);
    assert_error(
        &ctx.send(&[again], &[&authority]).await,
        VestingError::AlreadyRevoked,
    );
    let who = Keypair::new().pubkey();
    assert_ok(
        &ctx.create_schedule(CONTRIBUTORS_POOL, who, ODD_TOTAL - parts(3), false)
            .await,
    );
}

/// Revoking after the last part (nothing to return) still freezes the schedule.
#[tokio::test]
async fn revoking_a_fully_vested_schedule_returns_nothing() {
    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.insecure_clone();
    let (id, _, account) = ctx.grant(CONTRIBUTORS_POOL, ODD_TOTAL, true).await;
    ctx.chain.set_time(add_months(START_TS, 48).unwrap()).await;
    let revoke = ix::vesting::revoke(authority.pubkey(), CONTRIBUTORS_POOL, id);
    let event: ScheduleRevoked = ctx.send_ok(&[revoke], &[&authority]).await.event();
    assert_eq!((event.claimable, event.returned), (ODD_TOTAL, 0));
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, account).await);
    assert_eq!(ctx.chain.token_balance(account).await, ODD_TOTAL);
}

#[tokio::test]
async fn revoke_is_authority_only_and_never_for_irrevocable_schedules() {
    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.insecure_clone();
    let (investor, _, _) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    let ix = ix::vesting::revoke(authority.pubkey(), SEED_INVESTORS_POOL, investor);
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        VestingError::NotRevocable,
    );
    let (fixed, _, _) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, false).await;
    let ix = ix::vesting::revoke(authority.pubkey(), CONTRIBUTORS_POOL, fixed);
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        VestingError::NotRevocable,
    );

    let (id, _, _) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, true).await;
    let intruder = ctx.chain.new_user().await;
    let ix = ix::vesting::revoke(intruder.pubkey(), CONTRIBUTORS_POOL, id);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        VestingError::Unauthorized,
    );
    let authority_key = authority.pubkey();
    let unsigned = without_signature(
        ix::vesting::revoke(authority_key, CONTRIBUTORS_POOL, id),
        &authority_key,
    );
    assert_anchor_error(
        &ctx.send(&[unsigned], &[]).await,
        ErrorCode::AccountNotSigner,
    );
    // Another pool's vault in place of this pool's.
    let mut ix = ix::vesting::revoke(authority_key, CONTRIBUTORS_POOL, id);
    ix.accounts[5].pubkey =
        ngpu_sdk::pda::vesting::vault(&ngpu_sdk::pda::vesting::pool(SEED_INVESTORS_POOL));
    assert_anchor_error(
        &ctx.send(&[ix], &[&authority]).await,
        ErrorCode::ConstraintAddress,
    );
    // Revoking before the cliff returns everything.
    let ix = ix::vesting::revoke(authority.pubkey(), CONTRIBUTORS_POOL, id);
    let event: ScheduleRevoked = ctx.send_ok(&[ix], &[&authority]).await.event();
    assert_eq!((event.claimable, event.returned), (0, 36 * IO));
}
