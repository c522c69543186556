//! Per-instruction cost figures of `revenue` for BENCHMARKS.md (see io_token/costs.rs): accounts,
//! transaction bytes and metered CU (the SPL Token / system CPIs; our native code is not
//! metered), pinned as ceilings:
//! `cargo test -p ngpu-tests --test all revenue::costs -- --nocapture`.

use anchor_spl::token::spl_token;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::TxOutcome;
use ngpu_sdk::{ix, Instruction, Pubkey};
use ngpu_tests::revenue::USDC;
use ngpu_tests::*;

const IO: u64 = 100_000_000;

#[tokio::test]
async fn every_revenue_instruction_fits_a_transaction() {
    let mut rows: Vec<(&str, usize, usize, u64)> = Vec::new();
    let mut measure = |name, ix: &Instruction, outcome: &TxOutcome| {
        assert_ok(outcome);
        rows.push((name, ix.accounts.len(), outcome.size, outcome.compute_units));
    };
    let ctx = &mut TestContext::with_genesis().await;
    let usdc = ctx.create_mint_with(spl_token::ID, 6, None).await;
    let authority = ctx.authority.insecure_clone();
    let ix = ix::revenue::initialize(authority.pubkey(), usdc, ctx.revenue_args());
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&authority]).await;
    measure("initialize", &ix, &outcome);

    let ctx = &mut TestContext::with_revenue().await;
    let authority = ctx.authority.insecure_clone();
    ctx.deposit_io_fees(100 * IO).await;
    ctx.deposit_usdc_fees(1_000 * USDC).await;
    let seller = ctx.seller(100).await;
    let payer = ctx.chain.payer().pubkey();
    let day = ctx.today().await;
    let now = ctx.chain.now().await;
    let steps: Vec<(&str, Instruction, Option<&Keypair>)> = vec![
        (
            "burn_io_fees (creates the day record)",
            ix::revenue::burn_io_fees(payer, day),
            None,
        ),
        (
            "fill_buyback (existing day record)",
            ix::revenue::fill_buyback(
                seller.key.pubkey(),
                ctx.fill_accounts(&seller),
                day,
                10 * IO,
                25 * USDC,
                now,
            ),
            Some(&seller.key),
        ),
        (
            "update_params",
            ix::revenue::update_params(authority.pubkey(), ctx.revenue_args()),
            Some(&authority),
        ),
        (
            "set_paused",
            ix::revenue::set_paused(authority.pubkey(), false),
            Some(&authority),
        ),
        (
            "propose_authority",
            ix::revenue::propose_authority(authority.pubkey(), Pubkey::new_unique()),
            Some(&authority),
        ),
    ];
    for (name, ix, signer) in steps {
        let signers: Vec<&Keypair> = signer.into_iter().collect();
        let outcome = ctx.send(std::slice::from_ref(&ix), &signers).await;
        measure(name, &ix, &outcome);
    }
    // The other two paths: a fill that creates the day's record, a burn into an existing one.
    let tomorrow = (day as i64 + 1) * 86_400;
    ctx.chain.set_time(tomorrow).await;
    ctx.set_price(250_000_000, 0).await;
    let ix = ix::revenue::fill_buyback(
        seller.key.pubkey(),
        ctx.fill_accounts(&seller),
        day + 1,
        10 * IO,
        25 * USDC,
        tomorrow,
    );
    let outcome = ctx.send(std::slice::from_ref(&ix), &[&seller.key]).await;
    measure("fill_buyback (creates the day record)", &ix, &outcome);
    ctx.deposit_io_fees(IO).await;
    let ix = ix::revenue::burn_io_fees(payer, day + 1);
    let outcome = ctx.send(std::slice::from_ref(&ix), &[]).await;
    measure("burn_io_fees (existing day record)", &ix, &outcome);

    println!("| instruction | accounts | tx bytes | metered CU (CPIs) |");
    for (name, accounts, size, cu) in &rows {
        println!("| `{name}` | {accounts} | {size} | {cu} |");
    }
    for (name, accounts, size, cu) in &rows {
        assert!(*size <= 1_232, "{name}: {size} bytes");
        assert!(*accounts <= 13, "{name}: {accounts} accounts");
        // Ceilings: Burn 4,707 (+ Transfer 4,645 for a fill) + create_account 150 + sysvars.
        let ceiling = match *name {
            "initialize" => 9_500,
            n if n.starts_with("fill_buyback") => 10_000,
            n if n.starts_with("burn_io_fees") => 5_200,
            _ => 200,
        };
        assert!(*cu <= ceiling, "{name}: {cu} CU > {ceiling}");
    }
}
