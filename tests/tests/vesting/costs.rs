//! Per-instruction cost figures of `vesting` for BENCHMARKS.md (see io_token/costs.rs):
//! `cargo test -p ngpu-tests --test all vesting::costs -- --nocapture`.

use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_math::calendar::add_months;
use ngpu_sdk::ix;
use ngpu_sdk::ix::vesting::CONTRIBUTORS_POOL;
use ngpu_tests::*;
use vesting::{CreateScheduleArgs, PoolRule};

#[tokio::test]
async fn every_vesting_instruction_fits_a_transaction() {
    let ctx = &mut TestContext::initialized().await;
    let authority = ctx.authority.insecure_clone();
    let mut rows: Vec<(&str, usize, usize, u64)> = Vec::new();
    let mut measure = |name, ix: &ngpu_sdk::Instruction, outcome: &ngpu_localnet::TxOutcome| {
        assert_ok(outcome);
        rows.push((name, ix.accounts.len(), outcome.size, outcome.compute_units));
    };

    let ix = ix::vesting::initialize(authority.pubkey());
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&authority]).await;
    measure("initialize", &ix, &outcome);
    let ix = ix::vesting::create_pool(authority.pubkey(), 9, PoolRule::Contributor);
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&authority]).await;
    measure("create_pool", &ix, &outcome);

    let ctx = &mut TestContext::with_vesting().await;
    let authority = ctx.authority.insecure_clone();
    let mut rows2: Vec<(&str, usize, usize, u64)> = Vec::new();
    let beneficiary = ctx.chain.new_user().await;
    let account = ctx.new_io_account(&beneficiary.pubkey()).await;
    let args = CreateScheduleArgs {
        beneficiary: beneficiary.pubkey(),
        amount: 36_000,
        revocable: true,
    };
    let steps: Vec<(&str, ngpu_sdk::Instruction, bool)> = vec![
        (
            "create_schedule",
            ix::vesting::create_schedule(authority.pubkey(), CONTRIBUTORS_POOL, 0, args),
            true,
        ),
        (
            "claim (after month 13)",
            ix::vesting::claim(CONTRIBUTORS_POOL, 0, account),
            false,
        ),
        (
            "revoke",
            ix::vesting::revoke(authority.pubkey(), CONTRIBUTORS_POOL, 0),
            true,
        ),
    ];
    for (name, ix, signed) in steps {
        if name.starts_with("claim") {
            ctx.chain.set_time(add_months(START_TS, 13).unwrap()).await;
        }
        if name == "revoke" {
            ctx.chain.set_time(add_months(START_TS, 14).unwrap()).await;
        }
        let signers: Vec<&ngpu_localnet::solana_sdk::signature::Keypair> =
            if signed { vec![&authority] } else { vec![] };
        let outcome = ctx.send(std::slice::from_ref(&ix), &signers).await;
        assert_ok(&outcome);
        rows2.push((name, ix.accounts.len(), outcome.size, outcome.compute_units));
    }
    // open_pool on an extra pool funded from the community allocation.
    let create = ix::vesting::create_pool(authority.pubkey(), 9, PoolRule::Investor);
    ctx.send_ok(&[create], &[&authority]).await;
    let vault = ngpu_sdk::pda::vesting::vault(&ngpu_sdk::pda::vesting::pool(9));
    ctx.io_accounts.push(vault);
    let owner = ctx.allocation_owners[0].insecure_clone();
    let fund = anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::ID,
        &ctx.allocations[0],
        &vault,
        &owner.pubkey(),
        &[],
        1_000,
    )
    .unwrap();
    ctx.send_ok(&[fund], &[&owner]).await;
    let ix = ix::vesting::open_pool(authority.pubkey(), 9);
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&authority]).await;
    assert_ok(&outcome);
    rows2.push((
        "open_pool",
        ix.accounts.len(),
        outcome.size,
        outcome.compute_units,
    ));

    let new = ngpu_localnet::solana_sdk::signature::Keypair::new();
    let ix =
        ix::vesting::change_beneficiary(beneficiary.pubkey(), CONTRIBUTORS_POOL, 0, new.pubkey());
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&beneficiary]).await;
    assert_ok(&outcome);
    rows2.push((
        "change_beneficiary",
        ix.accounts.len(),
        outcome.size,
        outcome.compute_units,
    ));

    // The new beneficiary claims the part left by the revocation, then anyone closes.
    let new_account = ctx.new_io_account(&new.pubkey()).await;
    assert_ok(&ctx.claim(CONTRIBUTORS_POOL, 0, new_account).await);
    let ix = ix::vesting::close_schedule(CONTRIBUTORS_POOL, 0, authority.pubkey());
    let outcome = ctx.send(std::slice::from_ref(&ix), &[]).await;
    assert_ok(&outcome);
    rows2.push((
        "close_schedule",
        ix.accounts.len(),
        outcome.size,
        outcome.compute_units,
    ));
    // Sweep of a donation to a schedule vault (the larger of the two forms).
    let args = CreateScheduleArgs {
        beneficiary: new.pubkey(),
        amount: 36_000,
        revocable: false,
    };
    let grant = ix::vesting::create_schedule(authority.pubkey(), CONTRIBUTORS_POOL, 1, args);
    ctx.send_ok(&[grant], &[&authority]).await;
    let pool = ngpu_sdk::pda::vesting::pool(CONTRIBUTORS_POOL);
    let vault = ngpu_sdk::pda::vesting::vault(&ngpu_sdk::pda::vesting::schedule(&pool, 1));
    super::donate(ctx, vault, 10).await;
    let ix = ix::vesting::sweep(CONTRIBUTORS_POOL, Some(1));
    let outcome = ctx.send(std::slice::from_ref(&ix), &[]).await;
    assert_ok(&outcome);
    rows2.push((
        "sweep (schedule vault)",
        ix.accounts.len(),
        outcome.size,
        outcome.compute_units,
    ));

    rows.extend(rows2);
    println!("| instruction | accounts | tx bytes | metered CU (CPIs) |");
    println!("|---|---|---|---|");
    for (name, accounts, size, cu) in &rows {
        println!("| {name} | {accounts} | {size} | {cu} |");
        assert!(*size <= 1_232, "{name}: {size} bytes");
    }
    let cu = |n: &str| rows.iter().find(|r| r.0 == n).unwrap().3;
    // create_schedule: 2 x create_account (150) + InitializeAccount3 (4,214) + Transfer (4,645)
    // + sysvar reads; claim and revoke: one Transfer each; close_schedule: CloseAccount;
    // sweep: one Transfer.
    assert!(cu("create_schedule") < 9_500, "{}", cu("create_schedule"));
    assert!(
        cu("claim (after month 13)") < 4_800,
        "{}",
        cu("claim (after month 13)")
    );
    assert!(cu("revoke") < 4_800, "{}", cu("revoke"));
    assert!(cu("close_schedule") < 4_800, "{}", cu("close_schedule"));
    assert!(
        cu("sweep (schedule vault)") < 4_800,
        "{}",
        cu("sweep (schedule vault)")
    );
}
