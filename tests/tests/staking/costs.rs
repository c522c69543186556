//! Per-instruction figures of `staking` for BENCHMARKS.md (see io_token/costs.rs):
//! `cargo test -p ngpu-tests --test all staking::costs -- --nocapture`. The scaling benchmark
//! (crank with 10 vs 10,000 registered nodes) is `--ignored`:
//! `cargo test -p ngpu-tests --test all crank_cost_does_not_depend_on_nodes -- --ignored --nocapture`.

use std::time::Instant;

use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, Instruction};
use ngpu_tests::*;
use staking::NodeAction;

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;

#[tokio::test]
async fn every_staking_instruction_fits_a_transaction() {
    let ctx = &mut TestContext::with_staking().await;
    let authority = ctx.authority.insecure_clone();
    let oracle = ctx.oracles[0].insecure_clone();
    let oracle2 = ctx.oracles[1].insecure_clone();
    let hirer = ctx.hire_authority.insecure_clone();
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let mut rows: Vec<(&str, usize, usize, u64)> = Vec::new();
    let args = staking::DeviceClassArgs {
        class_id: 0,
        capex_micro_usd: 13_140_000_000,
        device_max_stake: 1_000 * IO,
    };
    let node = ngpu_sdk::pda::staking::node(&alice.pubkey(), 1);
    let feed = ctx.price_feed;
    let payer = ctx.chain.payer().pubkey();
    let oracles = [oracle.pubkey(), oracle2.pubkey()];
    let (slash0, slash1) = (
        ngpu_sdk::pda::staking::slash(&node, 0),
        ngpu_sdk::pda::staking::slash(&node, 1),
    );
    let steps: Vec<(&str, Instruction, Vec<&Keypair>, i64)> = vec![
        (
            "set_device_class (create)",
            ix::staking::set_device_class(authority.pubkey(), args),
            vec![&authority],
            0,
        ),
        (
            "register_node",
            ix::staking::register_node(alice.pubkey(), 0, 1),
            vec![&alice],
            0,
        ),
        (
            "set_modifiers",
            ix::staking::set_modifiers(&[oracle.pubkey(), oracle2.pubkey()], node, 0, [5_000; 4]),
            vec![&oracle, &oracle2],
            0,
        ),
        (
            "stake (new position)",
            ix::staking::stake(alice.pubkey(), node, tokens, 300 * IO),
            vec![&alice],
            0,
        ),
        (
            "stake (existing position)",
            ix::staking::stake(alice.pubkey(), node, tokens, 100 * IO),
            vec![&alice],
            0,
        ),
        (
            // Staked during hour 0: the node earns from hour 1.
            "crank_hour (1 hour, nothing earned)",
            ix::staking::crank_hour(payer, feed, ctx.history, 0, 1),
            vec![],
            HOUR,
        ),
        (
            "crank_hour (1 hour)",
            ix::staking::crank_hour(payer, feed, ctx.history, 1, 1),
            vec![],
            2 * HOUR,
        ),
        (
            "crank_hour (24 hours)",
            ix::staking::crank_hour(payer, feed, ctx.history, 2, 24),
            vec![],
            26 * HOUR,
        ),
        (
            "report_uptime (75%: cut burned)",
            ix::staking::report_uptime(&oracles, ctx.history, node, 1, 7_500),
            vec![&oracle, &oracle2],
            26 * HOUR,
        ),
        (
            "report_uptime (offline: cut + stake burned)",
            ix::staking::report_uptime(&oracles, ctx.history, node, 2, 0),
            vec![&oracle, &oracle2],
            26 * HOUR,
        ),
        (
            "claim_node_rewards",
            ix::staking::claim_node_rewards(alice.pubkey(), node, tokens),
            vec![&alice],
            26 * HOUR,
        ),
        (
            "claim_stake_rewards",
            ix::staking::claim_stake_rewards(alice.pubkey(), node, tokens),
            vec![&alice],
            26 * HOUR,
        ),
        (
            "set_hired",
            ix::staking::set_hired(hirer.pubkey(), node, true),
            vec![&hirer],
            26 * HOUR,
        ),
        (
            "set_hired (release)",
            ix::staking::set_hired(hirer.pubkey(), node, false),
            vec![&hirer],
            26 * HOUR,
        ),
        (
            "request_unstake",
            ix::staking::request_unstake(alice.pubkey(), node, 50 * IO),
            vec![&alice],
            8 * 86_400,
        ),
        (
            "cancel_unstake",
            ix::staking::cancel_unstake(alice.pubkey(), node),
            vec![&alice],
            8 * 86_400,
        ),
        (
            "set_node_state (pause)",
            ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Pause),
            vec![&alice],
            8 * 86_400,
        ),
        (
            "set_node_state (resume)",
            ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Resume),
            vec![&alice],
            8 * 86_400,
        ),
        (
            "request_unstake (again)",
            ix::staking::request_unstake(alice.pubkey(), node, 50 * IO),
            vec![&alice],
            8 * 86_400,
        ),
        (
            "withdraw",
            ix::staking::withdraw(alice.pubkey(), node, tokens),
            vec![&alice],
            16 * 86_400,
        ),
        (
            "slash_malicious (new record)",
            ix::staking::slash_malicious(authority.pubkey(), node, 0, 1_000),
            vec![&authority],
            16 * 86_400,
        ),
        (
            "uphold_appeal",
            ix::staking::uphold_appeal(authority.pubkey(), node, slash0),
            vec![&authority],
            16 * 86_400,
        ),
        (
            "slash_malicious (second record)",
            ix::staking::slash_malicious(authority.pubkey(), node, 1, 1_000),
            vec![&authority],
            16 * 86_400,
        ),
        (
            "finalize_slash (after 30 days)",
            ix::staking::finalize_slash(node, slash1),
            vec![],
            47 * 86_400,
        ),
    ];
    for (name, ix, signers, at) in steps {
        if at > 0 {
            ctx.set_time_after_genesis(at).await;
            ctx.set_price(250_000_000, 0).await;
        }
        let outcome = ctx.send(std::slice::from_ref(&ix), &signers).await;
        assert_ok(&outcome);
        rows.push((name, ix.accounts.len(), outcome.size, outcome.compute_units));
        if name == "register_node" {
            // From here on the invariants also cover the node, its vault and the position.
            ctx.staking_nodes.push(node);
            ctx.io_accounts.push(ngpu_sdk::pda::staking::vault(&node));
            ctx.staking_positions
                .push(ngpu_sdk::pda::staking::position(&node, &alice.pubkey()));
        }
    }
    println!("| instruction | accounts | tx bytes | metered CU (CPIs) |");
    println!("|---|---|---|---|");
    for (name, accounts, size, cu) in &rows {
        println!("| {name} | {accounts} | {size} | {cu} |");
        assert!(*size <= 1_232, "{name}: {size} bytes");
    }
    let cu = |n: &str| rows.iter().find(|r| r.0 == n).unwrap().3;
    // The crank: one MintTo inside io-token whatever the hours, and one system Transfer for the
    // rent of the ledger's new readings; claims: one Transfer.
    assert_eq!(cu("crank_hour (1 hour)"), cu("crank_hour (24 hours)"));
    assert!(
        cu("crank_hour (1 hour)") < 5_100,
        "{}",
        cu("crank_hour (1 hour)")
    );
    assert!(cu("claim_stake_rewards") < 4_800);
    assert!(cu("stake (existing position)") < 4_800);
    // Penalties: one Burn per burned vault, one Transfer (+ a create) for a slash.
    assert!(cu("report_uptime (75%: cut burned)") < 4_900);
    assert!(cu("report_uptime (offline: cut + stake burned)") < 9_700);
    assert!(cu("slash_malicious (new record)") < 5_100);
    assert!(cu("finalize_slash (after 30 days)") < 4_900);
}

/// The crank reads no node: its accounts and cost are the same with 10 or 10,000 nodes.
#[tokio::test]
#[ignore = "benchmark: registers 10,000 nodes (about a minute)"]
async fn crank_cost_does_not_depend_on_nodes() {
    let mut figures = Vec::new();
    for nodes in [10u64, 10_000] {
        let ctx = &mut TestContext::with_staking().await;
        ctx.check_after_each = false;
        ctx.device_class(0, 13_140, 1_000).await;
        let (alice, tokens) = ctx.funded_user(nodes * 100).await;
        let mut batch = Vec::new();
        for id in 0..nodes {
            batch.push(ix::staking::register_node(alice.pubkey(), 0, id));
            if batch.len() == 8 || id + 1 == nodes {
                assert_ok(&ctx.chain.send(&batch, &[&alice]).await);
                batch.clear();
            }
        }
        let node = ngpu_sdk::pda::staking::node(&alice.pubkey(), 0);
        assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
        ctx.set_time_after_genesis(24 * HOUR).await;
        ctx.set_price(250_000_000, 0).await;
        let payer = ctx.chain.payer().pubkey();
        let crank = ix::staking::crank_hour(payer, ctx.price_feed, ctx.history, 0, 24);
        let start = Instant::now();
        let outcome = ctx.chain.send(std::slice::from_ref(&crank), &[]).await;
        let wall = start.elapsed();
        assert_ok(&outcome);
        assert_eq!(ctx.staking_config().await.node_count, nodes);
        figures.push((nodes, crank.accounts.len(), outcome.compute_units, wall));
    }
    for (nodes, accounts, cu, wall) in &figures {
        println!("| {nodes} nodes | {accounts} accounts | {cu} CU (CPIs) | {wall:?} wall |");
    }
    assert_eq!(figures[0].1, figures[1].1);
    assert_eq!(figures[0].2, figures[1].2);
}
