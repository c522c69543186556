//! Per-instruction cost figures of `reservations` for BENCHMARKS.md (see revenue/costs.rs):
//! accounts, transaction bytes and metered CU (the SPL Token / system CPIs and staking's
//! `set_hired`, whose own native code is not metered), pinned as ceilings:
//! `cargo test -p ngpu-tests --test all reservations::costs -- --nocapture`.

use ::reservations::{Currency, ListingArgs};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::TxOutcome;
use ngpu_sdk::{ix, pda, Instruction, Pubkey};
use ngpu_tests::*;

const USDC: u64 = 1_000_000;
const HOUR: i64 = 3_600;

#[tokio::test]
async fn every_reservations_instruction_fits_a_transaction() {
    let mut rows: Vec<(String, usize, usize, u64)> = Vec::new();
    let mut measure = |name: &str, ix: &Instruction, outcome: &TxOutcome| {
        assert_ok(outcome);
        rows.push((
            name.into(),
            ix.accounts.len(),
            outcome.size,
            outcome.compute_units,
        ));
    };
    let ctx = &mut TestContext::with_staking().await;
    ctx.init_revenue().await;
    let authority = ctx.authority.insecure_clone();
    let ix = ix::reservations::initialize(
        authority.pubkey(),
        ctx.revenue.usdc_mint,
        ctx.reservations_args(),
    );
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&authority]).await;
    measure("initialize", &ix, &outcome);

    let ctx = &mut TestContext::with_reservations().await;
    let authority = ctx.authority.insecure_clone();
    let (supplier, payout_io) = ctx.funded_user(0).await;
    let node = ctx.register_node(&supplier, 2, 0).await;
    let mint = ctx.revenue.usdc_mint;
    let payout_usdc = ctx
        .chain
        .create_token_account(&mint, &supplier.pubkey())
        .await;
    let args = ListingArgs {
        price_micro_usd_per_hour: 2_500_000,
        max_hours: 720,
    };
    let ix = ix::reservations::list_node(supplier.pubkey(), node, payout_usdc, payout_io, args);
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&supplier]).await;
    measure("list_node", &ix, &outcome);
    let ix =
        ix::reservations::update_listing(supplier.pubkey(), node, payout_usdc, payout_io, args);
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&supplier]).await;
    measure("update_listing", &ix, &outcome);

    let renter = ctx.renter(1_000 * USDC, 1_000).await;
    for (label, currency) in [("USDC", Currency::Usdc), ("IO", Currency::Io)] {
        ctx.set_price(250_000_000, 0).await;
        let a = ctx.reserve_accounts(node, renter.token(currency)).await;
        let address = pda::reservations::reservation(&node, a.id);
        let ix = ix::reservations::reserve(renter.key.pubkey(), a, 10, currency, u64::MAX);
        ctx.reservations.addresses.push(address);
        let outcome = ctx.send(std::slice::from_ref(&ix), &[&renter.key]).await;
        measure(&format!("reserve ({label})"), &ix, &outcome);
        ctx.chain.advance_seconds(HOUR).await;
        let r = ctx.reservation(address).await.unwrap();
        let ix = ix::reservations::settle(address, &r, &mint);
        let outcome = ctx.send(std::slice::from_ref(&ix), &[]).await;
        measure(&format!("settle ({label}, 1 hour)"), &ix, &outcome);
        if currency == Currency::Usdc {
            let ix = ix::reservations::end_early(address, &r, &mint);
            let outcome = ctx.send(std::slice::from_ref(&ix), &[&renter.key]).await;
            measure("end_early (USDC)", &ix, &outcome);
        } else {
            let keys = [ctx.oracles[0].pubkey(), ctx.oracles[1].pubkey()];
            let (o0, o1) = (
                ctx.oracles[0].insecure_clone(),
                ctx.oracles[1].insecure_clone(),
            );
            let ix = ix::reservations::report_failure(address, &r, &mint, &keys);
            let outcome = ctx.send(std::slice::from_ref(&ix), &[&o0, &o1]).await;
            measure("report_failure (IO, 2 oracles)", &ix, &outcome);
        }
    }
    // Settle of the last hour: pays, releases the node, closes the reservation.
    let (outcome, address) = ctx
        .reserve(&renter, node, 1, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    ctx.chain.advance_seconds(HOUR).await;
    let r = ctx.reservation(address).await.unwrap();
    let ix = ix::reservations::settle(address, &r, &mint);
    let outcome = ctx.send(std::slice::from_ref(&ix), &[]).await;
    measure("settle (last hour: release + close)", &ix, &outcome);

    let ix = ix::reservations::delist(supplier.pubkey(), node);
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&supplier]).await;
    measure("delist", &ix, &outcome);
    let admin: Vec<(&str, Instruction)> = vec![
        (
            "update_params",
            ix::reservations::update_params(authority.pubkey(), ctx.reservations_args()),
        ),
        (
            "set_paused",
            ix::reservations::set_paused(authority.pubkey(), false),
        ),
        (
            "propose_authority",
            ix::reservations::propose_authority(authority.pubkey(), Pubkey::new_unique()),
        ),
    ];
    for (name, ix) in admin {
        let signers: Vec<&Keypair> = vec![&authority];
        let outcome = ctx.send(std::slice::from_ref(&ix), &signers).await;
        measure(name, &ix, &outcome);
    }

    println!("| instruction | accounts | tx bytes | metered CU (CPIs) |");
    for (name, accounts, size, cu) in &rows {
        println!("| `{name}` | {accounts} | {size} | {cu} |");
    }
    for (name, accounts, size, cu) in &rows {
        assert!(*size <= 1_232, "{name}: {size} bytes");
        assert!(*accounts <= 20, "{name}: {accounts} accounts");
        // Ceilings: up to three Transfers (4,645 each) + InitializeAccount3 x2 at initialize.
        let ceiling = match name.as_str() {
            "initialize" => 12_000,
            n if n.starts_with("reserve") => 5_600,
            n if n.starts_with("settle") => 9_800,
            n if n.starts_with("end_early") || n.starts_with("report_failure") => 19_500,
            _ => 400,
        };
        assert!(*cu <= ceiling, "{name}: {cu} CU > {ceiling}");
    }
}
