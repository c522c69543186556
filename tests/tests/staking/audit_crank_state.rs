//! Outside audit of `8a3966a` (the crank's running state moved into the ledger header, the
//! config left read-only by the crank and every weight change, io-token's next hour read from
//! raw bytes with a hand-built `mint_emission`, stake top-ups recognised by the position's
//! fields). Each test is an attack that held, kept as a regression test.

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::Pubkey;
use ngpu_localnet::solana_sdk::account::AccountSharedData;
use ngpu_localnet::solana_sdk::instruction::Instruction;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::{HoursCranked, NodeAction, StakingError};

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;
/// One $1/h node at $2.50 earns 0.4 IO an hour.
const NODE_HOUR: u64 = 40_000_000;

/// `ix` with every occurrence of account `from` replaced by `to`.
fn swap(mut ix: Instruction, from: Pubkey, to: Pubkey) -> Instruction {
    let mut found = false;
    for meta in ix.accounts.iter_mut().filter(|m| m.pubkey == from) {
        meta.pubkey = to;
        found = true;
    }
    assert!(found, "{from} is not an account of the instruction");
    ix
}

async fn raw(ctx: &mut TestContext, address: Pubkey) -> Vec<u8> {
    ctx.chain.account(address).await.expect("account").data
}

async fn ledger_acc_end(ctx: &mut TestContext, hour: u64) -> Option<u128> {
    let data = raw(ctx, pda::staking::ledger()).await;
    staking::Ledger::from_bytes(&data[..])
        .expect("ledger")
        .acc_end(hour)
}

/// `stake` no longer binds `position` by seeds: an existing account owned by staking is taken
/// as the position if it deserializes as one (discriminator) and names this node and staker.
/// Every substitute an outsider can produce is refused: another staker's position on the node,
/// the staker's own position on another node, a node, a slash record, the ledger, a blank
/// account the attacker created owned by staking, a plain wallet address. Nothing moves.
#[tokio::test]
async fn audit_cs_stake_refuses_every_substitute_position() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, alice_tokens) = ctx.funded_user(1_000).await;
    let (bob, bob_tokens) = ctx.funded_user(1_000).await;
    let a = ctx.register_node(&alice, 0, 1).await;
    let b = ctx.register_node(&alice, 0, 2).await;
    assert_ok(&ctx.stake(&alice, alice_tokens, a, 100 * IO).await);
    assert_ok(&ctx.stake(&alice, alice_tokens, b, 100 * IO).await);
    assert_ok(&ctx.stake(&bob, bob_tokens, a, 100 * IO).await);

    let alice_on_a = pda::staking::position(&a, &alice.pubkey());
    let alice_on_b = pda::staking::position(&b, &alice.pubkey());
    let bob_on_a = pda::staking::position(&a, &bob.pubkey());
    let node_before = ctx.node(a).await;
    let vault_before = ctx.chain.token_balance(pda::staking::vault(&a)).await;
    let alice_pos_before = raw(ctx, alice_on_a).await;

    // Bob tops up "his" position with Alice's.
    let ix = swap(
        ix::staking::stake(bob.pubkey(), a, bob_tokens, 10 * IO),
        bob_on_a,
        alice_on_a,
    );
    assert_anchor_error(&ctx.send(&[ix], &[&bob]).await, ErrorCode::ConstraintSeeds);
    // Alice stakes on A through her position on B.
    let ix = swap(
        ix::staking::stake(alice.pubkey(), a, alice_tokens, 10 * IO),
        alice_on_a,
        alice_on_b,
    );
    assert_anchor_error(
        &ctx.send(&[ix], &[&alice]).await,
        ErrorCode::ConstraintSeeds,
    );
    // Bob's position on node A passed while staking on node B (a position of another node).
    let ix = swap(
        ix::staking::stake(bob.pubkey(), b, bob_tokens, 10 * IO),
        pda::staking::position(&b, &bob.pubkey()),
        bob_on_a,
    );
    assert_anchor_error(&ctx.send(&[ix], &[&bob]).await, ErrorCode::ConstraintSeeds);
    // Accounts of staking's other types (a slash record of node B: a slash by the authority).
    let (slash_outcome, slash) = ctx.slash(b, 100).await;
    assert_ok(&slash_outcome);
    for other in [b, slash, pda::staking::config()] {
        let ix = swap(
            ix::staking::stake(alice.pubkey(), a, alice_tokens, 10 * IO),
            alice_on_a,
            other,
        );
        assert_anchor_error(
            &ctx.send(&[ix], &[&alice]).await,
            ErrorCode::AccountDiscriminatorMismatch,
        );
    }
    // The ledger: already borrowed by the handler (the position is read after it).
    let ix = swap(
        ix::staking::stake(alice.pubkey(), a, alice_tokens, 10 * IO),
        alice_on_a,
        pda::staking::ledger(),
    );
    let outcome = ctx.send(&[ix], &[&alice]).await;
    assert!(
        format!("{:?}", outcome.result).contains("AccountBorrowFailed"),
        "{:?}",
        outcome.result
    );
    // A blank account owned by staking at an address of the attacker's choice (anyone can
    // create one with the system program).
    let blank = Keypair::new();
    let rent = ctx.chain.rent_exempt(staking::RewardHistory::SPACE).await;
    let create = ix::staking::create_history_account(alice.pubkey(), blank.pubkey(), rent);
    ctx.send_ok(&[create], &[&alice, &blank]).await;
    let ix = swap(
        ix::staking::stake(alice.pubkey(), a, alice_tokens, 10 * IO),
        alice_on_a,
        blank.pubkey(),
    );
    assert_anchor_error(
        &ctx.send(&[ix], &[&alice]).await,
        ErrorCode::AccountDiscriminatorMismatch,
    );
    // A fresh address (not the PDA): the creation path re-derives the PDA and refuses.
    let ix = swap(
        ix::staking::stake(alice.pubkey(), a, alice_tokens, 10 * IO),
        alice_on_a,
        Keypair::new().pubkey(),
    );
    assert_anchor_error(
        &ctx.send(&[ix], &[&alice]).await,
        ErrorCode::ConstraintSeeds,
    );
    assert_eq!(ctx.node(a).await, node_before);
    assert_eq!(
        ctx.chain.token_balance(pda::staking::vault(&a)).await,
        vault_before
    );
    assert_eq!(raw(ctx, alice_on_a).await, alice_pos_before);
    // The genuine top-ups still work, and count no new position.
    assert_ok(&ctx.stake(&alice, alice_tokens, a, 10 * IO).await);
    assert_ok(&ctx.stake(&bob, bob_tokens, a, 10 * IO).await);
    assert_eq!(ctx.node(a).await.open_positions, 2);
}

/// The crank reads io-token's next hour from raw bytes of an `UncheckedAccount` and invokes
/// `mint_emission` by hand. A look-alike io-token config (io-token's owner and bytes, another
/// next hour), a wrong reward vault, emission authority, io-token event authority or program
/// are all refused, and the genuine crank then pays exactly.
#[tokio::test]
async fn audit_cs_crank_refuses_forged_io_token_accounts() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    ctx.set_time_after_genesis(3 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    let payer = ctx.chain.payer().pubkey();
    let crank = ix::staking::crank_hour(payer, ctx.price_feed, ctx.history, 0, 3);

    // io-token's config bytes at another address, owned by io-token, claiming next hour 1.
    let mut fake = ctx
        .chain
        .account(pda::io_token::config())
        .await
        .expect("io config");
    let at = io_token::Config::NEXT_HOUR_OFFSET;
    fake.data[at..at + 8].copy_from_slice(&1u64.to_le_bytes());
    let fake_key = Pubkey::new_unique();
    ctx.chain
        .set_account(&fake_key, &AccountSharedData::from(fake));
    let ix = swap(crank.clone(), pda::io_token::config(), fake_key);
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintAddress);
    // The reward vault: any other IO account (the staker's own).
    let ix = swap(crank.clone(), pda::staking::reward_vault(), tokens);
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintAddress);
    // The emission authority.
    let ix = swap(
        crank.clone(),
        pda::staking::emission_authority(),
        alice.pubkey(),
    );
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintAddress);
    // io-token's event authority: staking forwards it unchecked; io-token pins its address.
    let ix = swap(
        crank.clone(),
        pda::event_authority(&io_token::ID),
        Pubkey::new_unique(),
    );
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintAddress);
    // io-token's program id.
    let ix = swap(crank.clone(), io_token::ID, vesting::ID);
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::InvalidProgramId);

    let supply_before = ctx.chain.mint_state(pda::io_token::io_mint()).await.supply;
    let outcome = ctx.send(&[crank], &[]).await;
    assert_ok(&outcome);
    let event: HoursCranked = outcome.event();
    // Staked during hour 0: paid from hour 1.
    assert_eq!(event.paid, 2 * NODE_HOUR);
    assert_eq!(
        ctx.chain.mint_state(pda::io_token::io_mint()).await.supply - supply_before,
        2 * NODE_HOUR
    );
    let crank_state = ctx.staking_state().await;
    assert_eq!(crank_state.next_hour, 3);
    assert_eq!(crank_state.rewards_minted, 2 * NODE_HOUR);
    assert_eq!(ctx.config().await.next_hour, 3);
}

/// The controller away for 1,100 hours (more than two skip passes of 500): the first two calls
/// only skip (no mint, `hours: 0`), their running state persisted in the ledger header
/// (`skip_hours` + `set_crank_state`), the third skips the last 100 and pays. Weight changes
/// made while staking is far behind, including one between two skip calls, are taken once; the
/// skipped hours' readings are the unchanged accumulator; nobody is paid for them.
#[tokio::test]
async fn audit_cs_skip_over_three_calls_keeps_the_running_state() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, alice_tokens) = ctx.funded_user(1_000).await;
    let (bob, bob_tokens) = ctx.funded_user(1_000).await;
    let a = ctx.register_node(&alice, 0, 1).await;
    let b = ctx.register_node(&bob, 0, 2).await;
    assert_ok(&ctx.stake(&alice, alice_tokens, a, 100 * IO).await);
    assert_ok(&ctx.stake(&bob, bob_tokens, b, 100 * IO).await);
    ctx.set_time_after_genesis(3 * HOUR).await;
    assert_eq!(ctx.catch_up().await, 4 * NODE_HOUR);
    let acc_before = ctx.staking_state().await.reward_per_weight;
    let alice_early = ctx.claim_rewards(&alice, alice_tokens, a, true).await;
    let bob_early = ctx.claim_rewards(&bob, bob_tokens, b, true).await;
    ctx.set_up_emission().await;
    ctx.set_time_after_genesis(10 * HOUR + 1_800).await;
    assert_ok(&ctx.stake(&bob, bob_tokens, b, 50 * IO).await);
    ctx.set_time_after_genesis(20 * HOUR + 600).await;
    ctx.send_ok(
        &[ix::staking::set_node_state(
            alice.pubkey(),
            a,
            NodeAction::Pause,
        )],
        &[&alice],
    )
    .await;
    // The other controller mints hours 3..1103.
    ctx.set_time_after_genesis(1_104 * HOUR).await;
    ctx.check_after_each = false;
    let mut h = 3;
    while h < 1_103 {
        let n = (1_103 - h).min(24);
        assert_ok(&ctx.mint_emission(h, vec![0; n as usize]).await);
        h += n;
    }
    ctx.check_after_each = true;
    invariants::check(ctx).await;
    ctx.set_time_after_genesis(1_104 * HOUR + 100).await;
    let unstake = ix::staking::request_unstake(bob.pubkey(), b, 10 * IO);
    ctx.send_ok(&[unstake], &[&bob]).await;
    let authority = ctx.authority.insecure_clone();
    let back = ix::io_token::set_emission_controller(
        authority.pubkey(),
        pda::staking::emission_authority(),
        pda::staking::reward_vault(),
    );
    ctx.send_ok(&[back], &[&authority]).await;
    ctx.emission_destination = pda::staking::reward_vault();
    ctx.set_time_after_genesis(1_106 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    let vault = pda::staking::reward_vault();
    let vault_before = ctx.chain.token_balance(vault).await;
    let config_before = raw(ctx, pda::staking::config()).await;

    assert_error(&ctx.crank(3, 1).await, StakingError::HourAlreadyProcessed);
    assert_error(&ctx.crank(1_104, 1).await, StakingError::HourOutOfOrder);
    // Call 1: skips 3..503 only.
    let first: HoursCranked = ctx.crank(1_103, 3).await.event();
    assert_eq!(
        (first.first_hour, first.hours, first.paid, first.next_hour),
        (3, 0, 0, 503)
    );
    let state = ctx.staking_state().await;
    assert_eq!(
        (
            state.next_hour,
            state.reward_per_weight,
            state.rewards_minted
        ),
        (503, acc_before, 4 * NODE_HOUR)
    );
    assert_eq!(ctx.chain.token_balance(vault).await, vault_before);
    // A lowering change between two skip calls: clamped to the new span's end.
    let unstake = ix::staking::request_unstake(bob.pubkey(), b, 5 * IO);
    ctx.send_ok(&[unstake], &[&bob]).await;
    // Call 2: skips 503..1003 only.
    let second: HoursCranked = ctx.crank(1_103, 3).await.event();
    assert_eq!(
        (
            second.first_hour,
            second.hours,
            second.paid,
            second.next_hour
        ),
        (503, 0, 0, 1_003)
    );
    assert_eq!(ctx.chain.token_balance(vault).await, vault_before);
    // Call 3: skips 1003..1103 and pays 1103..1106, Bob alone.
    let outcome = ctx.crank(1_103, 3).await;
    assert_ok(&outcome);
    let third: HoursCranked = outcome.event();
    assert_eq!(
        (third.first_hour, third.hours, third.next_hour),
        (1_103, 3, 1_106)
    );
    assert!(
        third.paid > 3 * NODE_HOUR && third.paid < 4 * NODE_HOUR,
        "{}",
        third.paid
    );
    assert_eq!(
        ctx.chain.token_balance(vault).await,
        vault_before + third.paid
    );
    // Skipped hours read the unchanged accumulator; the config never changed.
    for hour in [3, 502, 503, 887, 1_002, 1_102] {
        assert_eq!(ledger_acc_end(ctx, hour).await, Some(acc_before), "{hour}");
    }
    assert_eq!(raw(ctx, pda::staking::config()).await, config_before);
    let state = ctx.staking_state().await;
    assert_eq!(state.rewards_minted, 4 * NODE_HOUR + third.paid);
    assert_eq!(ctx.config().await.next_hour, 1_106);
    assert_eq!(ctx.claim_rewards(&alice, alice_tokens, a, true).await, 0);
    let bob_paid = ctx.claim_rewards(&bob, bob_tokens, b, true).await;
    assert!(
        bob_paid <= third.paid && bob_paid + 3 >= third.paid,
        "{bob_paid} {}",
        third.paid
    );
    assert!(alice_early + bob_early <= 4 * NODE_HOUR);
}

/// Config became read-only in stake, request_unstake, cancel_unstake, set_node_state,
/// set_hired, set_modifiers, activate_node and the crank: a write to a non-`mut` `Account` would
/// be dropped silently. None of them needs one: the config's bytes are unchanged after each, and
/// each event's `total_weight` is the ledger's (the harness checks Σ node weights against the
/// ledger after every transaction).
#[tokio::test]
async fn audit_cs_weight_changes_and_the_crank_leave_the_config_unchanged() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(10_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    let config = raw(ctx, pda::staking::config()).await;
    let hirer = ctx.hire_authority.insecure_clone();
    let (o1, o2) = (
        ctx.oracles[0].insecure_clone(),
        ctx.oracles[1].insecure_clone(),
    );
    let steps: Vec<(&str, Instruction, Vec<&Keypair>)> = vec![
        (
            "stake (new)",
            ix::staking::stake(alice.pubkey(), node, tokens, 100 * IO),
            vec![&alice],
        ),
        (
            "stake (top-up)",
            ix::staking::stake(alice.pubkey(), node, tokens, 100 * IO),
            vec![&alice],
        ),
        (
            "set_modifiers",
            ix::staking::set_modifiers(&[o1.pubkey(), o2.pubkey()], node, 0, [5_000; 4]),
            vec![&o1, &o2],
        ),
        (
            "set_hired",
            ix::staking::set_hired(hirer.pubkey(), node, true),
            vec![&hirer],
        ),
        (
            "set_hired (release)",
            ix::staking::set_hired(hirer.pubkey(), node, false),
            vec![&hirer],
        ),
        (
            "pause",
            ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Pause),
            vec![&alice],
        ),
        (
            "resume",
            ix::staking::set_node_state(alice.pubkey(), node, NodeAction::Resume),
            vec![&alice],
        ),
    ];
    ctx.staking_positions
        .push(pda::staking::position(&node, &alice.pubkey()));
    for (name, ix, signers) in steps {
        let outcome = ctx.send(&[ix], &signers).await;
        assert_ok(&outcome);
        assert_eq!(raw(ctx, pda::staking::config()).await, config, "{name}");
    }
    // After the lock: activate, unstake, cancel, crank.
    ctx.set_time_after_genesis(8 * 24 * HOUR).await;
    for (name, ix, signers) in [
        ("activate_node", ix::staking::activate_node(node), vec![]),
        (
            "request_unstake",
            ix::staking::request_unstake(alice.pubkey(), node, 50 * IO),
            vec![&alice],
        ),
        (
            "cancel_unstake",
            ix::staking::cancel_unstake(alice.pubkey(), node),
            vec![&alice],
        ),
    ] {
        let outcome = ctx.send(&[ix], &signers).await;
        assert_ok(&outcome);
        assert_eq!(raw(ctx, pda::staking::config()).await, config, "{name}");
    }
    let paid = ctx.catch_up().await;
    assert!(paid > 0);
    assert_eq!(raw(ctx, pda::staking::config()).await, config, "crank");
    assert_eq!(ctx.staking_state().await.next_hour, 8 * 24);
}

/// `init_history` lost its `config.next_hour == 0` check (the field is gone). It was wrong
/// anyway: staking initialised after io-token processed hours starts at io-token's next hour,
/// and the ring could then never be pinned. Now it is pinned once, at any time before the first
/// crank (the crank refuses to run without it), and the crank starts at io-token's next hour.
#[tokio::test]
async fn audit_cs_history_pinned_after_io_token_processed_hours() {
    let ctx = &mut TestContext::with_emission().await;
    ctx.set_time_after_genesis(6 * HOUR).await;
    assert_ok(&ctx.mint_emission(0, vec![0; 4]).await);
    let authority = ctx.authority.insecure_clone();
    let params = ngpu_sdk::params::Params::load_default().staking;
    let args = params.initialize_args(ngpu_sdk::params::StakingKeys {
        oracles: ctx.oracles.iter().map(|k| k.pubkey()).collect(),
        oracle_quorum: 2,
        price_feed: ctx.price_feed,
        price_feed_id: ctx.price_feed_id,
        hire_authority: ctx.hire_authority.pubkey(),
    });
    ctx.send_ok(
        &[
            ix::staking::initialize(authority.pubkey(), args),
            ix::io_token::set_emission_controller(
                authority.pubkey(),
                pda::staking::emission_authority(),
                pda::staking::reward_vault(),
            ),
        ],
        &[&authority],
    )
    .await;
    ctx.io_accounts.push(pda::staking::reward_vault());
    ctx.io_accounts.push(pda::staking::escrow_vault());
    ctx.emission_destination = pda::staking::reward_vault();
    ctx.set_price(250_000_000, 0).await;
    // Nodes may register and stake before the ring is pinned; they start at hour 4.
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_eq!(ctx.node(node).await.uptime_reported_until, 4);
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    let payer = ctx.chain.payer().pubkey();
    let early = ix::staking::crank_hour(payer, ctx.price_feed, Pubkey::new_unique(), 4, 1);
    assert_error(
        &ctx.send(&[early], &[]).await,
        StakingError::HistoryNotInitialized,
    );

    let history = Keypair::new();
    let rent = ctx.chain.rent_exempt(staking::RewardHistory::SPACE).await;
    ctx.send_ok(
        &[
            ix::staking::create_history_account(authority.pubkey(), history.pubkey(), rent),
            ix::staking::init_history(authority.pubkey(), history.pubkey()),
        ],
        &[&authority, &history],
    )
    .await;
    ctx.history = history.pubkey();
    assert_error(&ctx.crank(3, 1).await, StakingError::HourAlreadyProcessed);
    // Staked at the start of hour 6: weight from hour 7, so hours 4 and 5 pay nothing.
    let event: HoursCranked = ctx.crank(4, 2).await.event();
    assert_eq!((event.paid, event.next_hour), (0, 6));
    ctx.set_time_after_genesis(9 * HOUR).await;
    let paid = ctx.catch_up().await;
    assert_eq!(paid, 2 * NODE_HOUR);
    // Once pinned, never again.
    let again = Keypair::new();
    ctx.send_ok(
        &[ix::staking::create_history_account(
            authority.pubkey(),
            again.pubkey(),
            rent,
        )],
        &[&authority, &again],
    )
    .await;
    assert_error(
        &ctx.send(
            &[ix::staking::init_history(
                authority.pubkey(),
                again.pubkey(),
            )],
            &[&authority],
        )
        .await,
        StakingError::AlreadyInitialized,
    );
}
