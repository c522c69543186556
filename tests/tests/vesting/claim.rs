use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::calendar::{add_months, format_date, parse_date};
use ngpu_sdk::ix;
use ngpu_sdk::ix::vesting::{
    CONTRIBUTORS_POOL, ECOSYSTEM_POOL, SEED_INVESTORS_POOL, SERIES_A_POOL,
};
use ngpu_tests::*;
use vesting::{Claimed, ScheduleTotals, VestingError};

const IO: u64 = 100_000_000;
/// 62,500,000 IO would not divide evenly in 24 parts if it were odd: use a total with a remainder.
const ODD_TOTAL: u64 = 1_000_000 * IO + 7;

async fn balance(ctx: &mut TestContext, account: ngpu_sdk::Pubkey) -> u64 {
    ctx.chain.token_balance(account).await
}

#[tokio::test]
async fn investor_boundaries_to_the_second() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, _, account) = ctx.grant(SEED_INVESTORS_POOL, ODD_TOTAL, false).await;
    let start = START_TS;
    let part = |k: u64| ODD_TOTAL as u128 * k as u128 / 24;

    // One second before the month-13 anniversary: nothing.
    ctx.chain.set_time(add_months(start, 13).unwrap() - 1).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    assert_eq!(balance(ctx, account).await, 0);
    // On it: exactly one part.
    ctx.chain.set_time(add_months(start, 13).unwrap()).await;
    let outcome = ctx.claim(SEED_INVESTORS_POOL, id, account).await;
    assert_ok(&outcome);
    assert_eq!(balance(ctx, account).await as u128, part(1));
    let event: Claimed = outcome.event();
    assert_eq!(event.amount as u128, part(1));
    assert_eq!(event.destination, account);
    let one = part(1) as u64;
    assert_eq!(
        event.schedule_totals,
        ScheduleTotals {
            total: ODD_TOTAL,
            claimed: one,
            returned: 0,
            outstanding: ODD_TOTAL - one,
            revoked: false,
        }
    );
    let pool = ctx.pool(SEED_INVESTORS_POOL).await;
    assert_eq!(event.totals.claimed, one);
    assert_eq!(event.totals, pool.totals());
    // Again in the same month: nothing more.
    ctx.chain.set_time(add_months(start, 14).unwrap() - 1).await;
    let again = ctx.claim(SEED_INVESTORS_POOL, id, account).await;
    assert_ok(&again);
    assert!(again.events.is_empty());
    assert_eq!(balance(ctx, account).await as u128, part(1));
    // Month 35 (23 parts), then one second before month 36, then month 36: everything.
    ctx.chain.set_time(add_months(start, 35).unwrap()).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    assert_eq!(balance(ctx, account).await as u128, part(23));
    ctx.chain.set_time(add_months(start, 36).unwrap() - 1).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    assert_eq!(balance(ctx, account).await as u128, part(23));
    ctx.chain.set_time(add_months(start, 36).unwrap()).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    assert_eq!(balance(ctx, account).await, ODD_TOTAL);
    // Years later: still exactly the total.
    ctx.chain.set_time(add_months(start, 120).unwrap()).await;
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    assert_eq!(balance(ctx, account).await, ODD_TOTAL);
    let schedule = ctx.schedule(SEED_INVESTORS_POOL, id).await;
    assert_eq!(ctx.chain.token_balance(schedule.vault).await, 0);
}

#[tokio::test]
async fn contributor_schedule_completes_at_month_48() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, _, account) = ctx.grant(ECOSYSTEM_POOL, ODD_TOTAL, true).await;
    ctx.chain.set_time(add_months(START_TS, 47).unwrap()).await;
    assert_ok(&ctx.claim(ECOSYSTEM_POOL, id, account).await);
    assert_eq!(
        balance(ctx, account).await as u128,
        ODD_TOTAL as u128 * 35 / 36
    );
    ctx.chain
        .set_time(add_months(START_TS, 48).unwrap() - 1)
        .await;
    assert_ok(&ctx.claim(ECOSYSTEM_POOL, id, account).await);
    assert_eq!(
        balance(ctx, account).await as u128,
        ODD_TOTAL as u128 * 35 / 36
    );
    ctx.chain.set_time(add_months(START_TS, 48).unwrap()).await;
    assert_ok(&ctx.claim(ECOSYSTEM_POOL, id, account).await);
    assert_eq!(balance(ctx, account).await, ODD_TOTAL);
}

/// Genesis (the vesting start) on the 29th-31st: unlocks fall on the last day of shorter months.
#[tokio::test]
async fn starts_on_the_29th_to_31st_unlock_on_month_ends() {
    for (genesis, first_unlock, sixth_unlock) in [
        ("2024-01-31", "2025-02-28", "2025-07-31"),
        ("2023-01-29", "2024-02-29", "2024-07-29"),
        ("2024-03-30", "2025-04-30", "2025-09-30"),
        ("2024-08-31", "2025-09-30", "2026-02-28"),
    ] {
        let start = parse_date(genesis).unwrap() + 12 * 3_600; // noon UTC
        let ctx = &mut TestContext::with_vesting_at(start).await;
        let (id, _, account) = ctx.grant(SERIES_A_POOL, 24 * IO, false).await;
        let first = add_months(start, 13).unwrap();
        assert_eq!(format_date(first).unwrap(), first_unlock, "{genesis}");
        ctx.chain.set_time(first - 1).await;
        assert_ok(&ctx.claim(SERIES_A_POOL, id, account).await);
        assert_eq!(balance(ctx, account).await, 0, "{genesis}");
        ctx.chain.set_time(first).await;
        assert_ok(&ctx.claim(SERIES_A_POOL, id, account).await);
        assert_eq!(balance(ctx, account).await, IO, "{genesis}");
        let sixth = add_months(start, 18).unwrap();
        assert_eq!(format_date(sixth).unwrap(), sixth_unlock, "{genesis}");
        ctx.chain.set_time(sixth).await;
        assert_ok(&ctx.claim(SERIES_A_POOL, id, account).await);
        assert_eq!(balance(ctx, account).await, 6 * IO, "{genesis}");
    }
}

#[tokio::test]
async fn a_third_party_claim_lands_with_the_beneficiary() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, beneficiary, account) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    ctx.chain.set_time(add_months(START_TS, 15).unwrap()).await;
    // ctx.claim is signed and paid by the harness payer only, never by the beneficiary.
    assert_ne!(ctx.chain.payer().pubkey(), beneficiary.pubkey());
    assert_ok(&ctx.claim(SEED_INVESTORS_POOL, id, account).await);
    assert_eq!(balance(ctx, account).await, 3 * IO);
}

#[tokio::test]
async fn claims_only_into_the_beneficiarys_io_account() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, beneficiary, _) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    let (other_id, _, other_account) = ctx.grant(SEED_INVESTORS_POOL, 24 * IO, false).await;
    ctx.chain.set_time(add_months(START_TS, 13).unwrap()).await;

    // Someone else's IO account.
    let outcome = ctx.claim(SEED_INVESTORS_POOL, id, other_account).await;
    assert_error(&outcome, VestingError::WrongBeneficiaryAccount);
    // The beneficiary's account of another mint.
    let mint_owner = Keypair::new();
    let other_mint = ctx.chain.create_mint(8, &mint_owner.pubkey()).await;
    let wrong_mint = ctx
        .chain
        .create_token_account(&other_mint, &beneficiary.pubkey())
        .await;
    assert_error(
        &ctx.claim(SEED_INVESTORS_POOL, id, wrong_mint).await,
        VestingError::InvalidMint,
    );
    // Another schedule's vault in place of this one's.
    let mut ix = ix::vesting::claim(SEED_INVESTORS_POOL, id, other_account);
    let other_vault = ctx.schedule(SEED_INVESTORS_POOL, other_id).await.vault;
    ix.accounts[2].pubkey = other_vault;
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintAddress);
    // A schedule of another pool with this pool.
    let mut ix = ix::vesting::claim(SEED_INVESTORS_POOL, id, other_account);
    ix.accounts[1].pubkey = ngpu_sdk::pda::vesting::pool(SERIES_A_POOL);
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintHasOne);
    assert_eq!(ctx.schedule(SEED_INVESTORS_POOL, id).await.claimed, 0);
}

#[tokio::test]
async fn the_beneficiary_hands_the_schedule_over() {
    let ctx = &mut TestContext::with_vesting().await;
    let (id, old, old_account) = ctx.grant(CONTRIBUTORS_POOL, 36 * IO, false).await;
    let new = ctx.chain.new_user().await;
    let new_account = ctx.new_io_account(&new.pubkey()).await;

    let intruder = ctx.chain.new_user().await;
    let ix = ix::vesting::change_beneficiary(
        intruder.pubkey(),
        CONTRIBUTORS_POOL,
        id,
        intruder.pubkey(),
    );
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        VestingError::Unauthorized,
    );
    let ix =
        ix::vesting::change_beneficiary(old.pubkey(), CONTRIBUTORS_POOL, id, Default::default());
    assert_error(&ctx.send(&[ix], &[&old]).await, VestingError::InvalidKey);

    let ix = ix::vesting::change_beneficiary(old.pubkey(), CONTRIBUTORS_POOL, id, new.pubkey());
    let outcome = ctx.send_ok(&[ix], &[&old]).await;
    let event: vesting::BeneficiaryChanged = outcome.event();
    assert_eq!(
        (event.previous, event.beneficiary),
        (old.pubkey(), new.pubkey())
    );
    assert_eq!(
        event.schedule_totals,
        ScheduleTotals {
            total: 36 * IO,
            claimed: 0,
            returned: 0,
            outstanding: 36 * IO,
            revoked: false,
        }
    );

    ctx.chain.set_time(add_months(START_TS, 14).unwrap()).await;
    let outcome = ctx.claim(CONTRIBUTORS_POOL, id, old_account).await;
    assert_error(&outcome, VestingError::WrongBeneficiaryAccount);
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, id, new_account).await);
    assert_eq!(balance(ctx, new_account).await, 2 * IO);
}
