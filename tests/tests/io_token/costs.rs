//! Per-instruction cost figures for BENCHMARKS.md: accounts, serialized transaction bytes and
//! the exact compute units of the SPL Token / system CPIs as program-test meters them (our
//! native code is charged ~1 CU plus sysvar reads). Sizes and CU are deterministic, so they are
//! pinned here as ceilings; print them with
//! `cargo test -p ngpu-tests --test all costs -- --nocapture`.

use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_localnet::TxOutcome;
use ngpu_math::hour_budget;
use ngpu_sdk::ix;
use ngpu_tests::*;

const TX_LIMIT: usize = 1_232;

struct Row {
    name: &'static str,
    accounts: usize,
    outcome: TxOutcome,
}

fn print(rows: &[Row]) {
    println!("| instruction | accounts | tx bytes | metered CU (CPIs) |");
    println!("|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} |",
            r.name, r.accounts, r.outcome.size, r.outcome.compute_units
        );
    }
}

#[tokio::test]
async fn every_instruction_fits_a_transaction_and_its_cpi_budget() {
    let mut ctx = TestContext::new().await;
    let authority = ctx.authority.insecure_clone();
    let mut rows = Vec::new();

    let ix = ix::io_token::initialize(authority.pubkey());
    let accounts = ix.accounts.len();
    let outcome = ctx.send_ok(&[ix], &[&authority]).await;
    rows.push(Row {
        name: "initialize",
        accounts,
        outcome,
    });

    ctx.create_allocation_accounts().await;
    let ix = ix::io_token::genesis(
        authority.pubkey(),
        ctx.allocation_array(),
        default_plan().amounts,
    );
    let accounts = ix.accounts.len();
    let outcome = ctx.send_ok(&[ix], &[&authority]).await;
    rows.push(Row {
        name: "genesis (5 MintTo)",
        accounts,
        outcome,
    });

    ctx.set_up_emission().await;
    let ix = ix::io_token::set_emission_controller(
        authority.pubkey(),
        ctx.controller.pubkey(),
        ctx.emission_destination,
    );
    let accounts = ix.accounts.len();
    let outcome = ctx.send_ok(&[ix], &[&authority]).await;
    rows.push(Row {
        name: "set_emission_controller",
        accounts,
        outcome,
    });

    let ix = ix::io_token::lock_emission_controller(authority.pubkey());
    let accounts = ix.accounts.len();
    let outcome = ctx.send_ok(&[ix], &[&authority]).await;
    rows.push(Row {
        name: "lock_emission_controller",
        accounts,
        outcome,
    });

    ctx.set_time_after_genesis(25 * 3_600).await;
    let controller = ctx.controller.insecure_clone();
    let ix = ix::io_token::mint_emission(
        controller.pubkey(),
        ctx.emission_destination,
        0,
        vec![hour_budget(0)],
    );
    let accounts = ix.accounts.len();
    let outcome = ctx.send_ok(&[ix], &[&controller]).await;
    rows.push(Row {
        name: "mint_emission (1 hour)",
        accounts,
        outcome,
    });

    let amounts: Vec<u64> = (1..25).map(hour_budget).collect();
    let ix = ix::io_token::mint_emission(controller.pubkey(), ctx.emission_destination, 1, amounts);
    let accounts = ix.accounts.len();
    let outcome = ctx.send_ok(&[ix], &[&controller]).await;
    rows.push(Row {
        name: "mint_emission (24 hours)",
        accounts,
        outcome,
    });

    for (name, ix) in [
        (
            "set_max_hours_per_call",
            ix::io_token::set_max_hours_per_call(authority.pubkey(), 12),
        ),
        (
            "set_paused",
            ix::io_token::set_paused(authority.pubkey(), true),
        ),
        (
            "propose_authority",
            ix::io_token::propose_authority(authority.pubkey(), controller.pubkey()),
        ),
    ] {
        let accounts = ix.accounts.len();
        let outcome = ctx.send_ok(&[ix], &[&authority]).await;
        rows.push(Row {
            name,
            accounts,
            outcome,
        });
    }
    let ix = ix::io_token::accept_authority(controller.pubkey());
    let accounts = ix.accounts.len();
    let outcome = ctx.send_ok(&[ix], &[&controller]).await;
    rows.push(Row {
        name: "accept_authority",
        accounts,
        outcome,
    });

    print(&rows);
    for r in &rows {
        assert!(
            r.outcome.size <= TX_LIMIT,
            "{}: {} bytes",
            r.name,
            r.outcome.size
        );
    }
    // Ceilings on the metered (CPI) part, from the figures in BENCHMARKS.md: a new CPI or a
    // second MintTo shows up here.
    let cu = |name: &str| {
        rows.iter()
            .find(|r| r.name == name)
            .unwrap()
            .outcome
            .compute_units
    };
    assert!(cu("initialize") < 5_000, "{}", cu("initialize"));
    assert!(
        cu("genesis (5 MintTo)") < 5 * 4_700,
        "{}",
        cu("genesis (5 MintTo)")
    );
    assert!(
        cu("mint_emission (1 hour)") < 4_700,
        "{}",
        cu("mint_emission (1 hour)")
    );
    assert_eq!(
        cu("mint_emission (24 hours)"),
        cu("mint_emission (1 hour)"),
        "one MintTo per call"
    );
    assert!(cu("set_paused") < 500, "{}", cu("set_paused"));
}
