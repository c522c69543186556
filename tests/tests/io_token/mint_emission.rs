use anchor_lang::error::ErrorCode;
use anchor_lang::AccountSerialize;
use anchor_spl::token::spl_token;
use io_token::constants::{EMISSION_HOURS, EMISSION_SUPPLY, GENESIS_SUPPLY, MAX_SUPPLY};
use io_token::{EmissionMinted, IoTokenError};
use ngpu_localnet::solana_sdk::account::AccountSharedData;
use ngpu_localnet::solana_sdk::program_pack::Pack;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::{cumulative, hour_budget};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;

const HOUR: i64 = 3_600;

fn budgets(first: u64, hours: u64) -> Vec<u64> {
    (first..first + hours).map(hour_budget).collect()
}

#[tokio::test]
async fn mints_an_ended_hour_into_the_destination() {
    let mut ctx = TestContext::with_emission().await;
    ctx.set_time_after_genesis(HOUR).await;
    let outcome = ctx.mint_emission(0, vec![hour_budget(0)]).await;
    assert_ok(&outcome);

    assert_eq!(hour_budget(0), 456_621_004_565);
    assert_eq!(
        ctx.chain.token_balance(ctx.emission_destination).await,
        456_621_004_565
    );
    let config = ctx.config().await;
    assert_eq!(
        (
            config.next_hour,
            config.emission_minted,
            config.emission_forfeited
        ),
        (1, 456_621_004_565, 0)
    );
    assert_eq!(
        ctx.chain.mint_state(ctx.io_mint).await.supply,
        GENESIS_SUPPLY + 456_621_004_565
    );

    let event: EmissionMinted = outcome.event();
    assert_eq!(
        (event.first_hour, event.hours, event.minted, event.forfeited),
        (0, 1, 456_621_004_565, 0)
    );
    assert_eq!(event.destination, ctx.emission_destination);
    assert_eq!(event.totals.next_hour, 1);
    assert_eq!(
        event.totals.remaining_to_cap,
        MAX_SUPPLY - GENESIS_SUPPLY - 456_621_004_565
    );
}

#[tokio::test]
async fn an_hour_must_have_ended() {
    let mut ctx = TestContext::with_emission().await;
    ctx.set_time_after_genesis(HOUR - 1).await;
    assert_error(
        &ctx.mint_emission(0, vec![1]).await,
        IoTokenError::HourNotEnded,
    );
    ctx.set_time_after_genesis(HOUR).await;
    assert_ok(&ctx.mint_emission(0, vec![1]).await);
    // Hour 1 ends at 2h; two hours cannot be processed at 2h - 1s either.
    ctx.set_time_after_genesis(3 * HOUR - 1).await;
    assert_error(
        &ctx.mint_emission(1, vec![1, 1]).await,
        IoTokenError::HourNotEnded,
    );
    // A clock that reads before genesis mints nothing and does not panic.
    ctx.set_time_after_genesis(-10 * HOUR).await;
    assert_error(
        &ctx.mint_emission(1, vec![1]).await,
        IoTokenError::HourNotEnded,
    );
}

#[tokio::test]
async fn an_hour_is_processed_once_and_in_order() {
    let mut ctx = TestContext::with_emission().await;
    ctx.set_time_after_genesis(5 * HOUR).await;
    assert_ok(&ctx.mint_emission(0, vec![hour_budget(0)]).await);
    assert_error(
        &ctx.mint_emission(0, vec![hour_budget(0)]).await,
        IoTokenError::HourAlreadyProcessed,
    );
    assert_error(
        &ctx.mint_emission(0, vec![1]).await,
        IoTokenError::HourAlreadyProcessed,
    );
    assert_error(
        &ctx.mint_emission(2, vec![1]).await,
        IoTokenError::HourOutOfOrder,
    );
    assert_ok(&ctx.mint_emission(1, vec![0]).await);
    assert_eq!(ctx.config().await.next_hour, 2);
}

#[tokio::test]
async fn never_more_than_the_hour_budget_and_the_rest_is_forfeited() {
    let mut ctx = TestContext::with_emission().await;
    ctx.set_time_after_genesis(3 * HOUR).await;
    let over = vec![hour_budget(0), hour_budget(1) + 1];
    assert_error(
        &ctx.mint_emission(0, over).await,
        IoTokenError::ExceedsHourBudget,
    );
    assert_eq!(ctx.config().await.next_hour, 0);

    // Mint a third of hour 0, nothing of hour 1, all of hour 2.
    let third = hour_budget(0) / 3;
    let outcome = ctx.mint_emission(0, vec![third, 0, hour_budget(2)]).await;
    assert_ok(&outcome);
    let forfeited = hour_budget(0) - third + hour_budget(1);
    let event: EmissionMinted = outcome.event();
    assert_eq!(
        (event.minted, event.forfeited, event.hours),
        (third + hour_budget(2), forfeited, 3)
    );
    let config = ctx.config().await;
    assert_eq!(config.emission_forfeited, forfeited);
    assert_eq!(
        config.emission_minted + config.emission_forfeited,
        cumulative(3)
    );
    assert_eq!(
        ctx.chain.token_balance(ctx.emission_destination).await,
        third + hour_budget(2)
    );
}

#[tokio::test]
async fn at_most_24_hours_per_call_and_catch_up() {
    let mut ctx = TestContext::with_emission().await;
    ctx.set_time_after_genesis(30 * HOUR).await;
    assert_error(
        &ctx.mint_emission(0, budgets(0, 25)).await,
        IoTokenError::InvalidHourCount,
    );
    assert_error(
        &ctx.mint_emission(0, vec![]).await,
        IoTokenError::InvalidHourCount,
    );
    let first = ctx.mint_emission(0, budgets(0, 24)).await;
    assert_ok(&first);
    assert!(first.size <= 1232, "{} bytes", first.size);
    assert_ok(&ctx.mint_emission(24, budgets(24, 6)).await);
    assert_error(
        &ctx.mint_emission(30, vec![1]).await,
        IoTokenError::HourNotEnded,
    );
    assert_eq!(
        ctx.chain.token_balance(ctx.emission_destination).await,
        cumulative(30)
    );
}

/// RELIABILITY.md I2: one call of 10 hours mints exactly what 10 calls of one hour mint.
#[tokio::test]
async fn batching_does_not_change_what_is_minted() {
    let mut batched = TestContext::with_emission().await;
    batched.set_time_after_genesis(10 * HOUR).await;
    assert_ok(&batched.mint_emission(0, budgets(0, 10)).await);

    let mut hourly = TestContext::with_emission().await;
    for h in 0..10u64 {
        hourly.set_time_after_genesis((h as i64 + 1) * HOUR).await;
        assert_ok(&hourly.mint_emission(h, vec![hour_budget(h)]).await);
    }
    let (a, b) = (batched.config().await, hourly.config().await);
    assert_eq!(
        (a.emission_minted, a.next_hour),
        (b.emission_minted, b.next_hour)
    );
    assert_eq!(a.emission_minted, cumulative(10));
    assert_eq!(
        batched
            .chain
            .token_balance(batched.emission_destination)
            .await,
        hourly
            .chain
            .token_balance(hourly.emission_destination)
            .await
    );
}

#[tokio::test]
async fn only_the_controller_into_the_destination() {
    let mut ctx = TestContext::with_emission().await;
    ctx.set_time_after_genesis(HOUR).await;
    let intruder = ctx.chain.new_user().await;
    let ix = ix::io_token::mint_emission(intruder.pubkey(), ctx.emission_destination, 0, vec![1]);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        IoTokenError::Unauthorized,
    );

    let controller = ctx.controller.pubkey();
    let ix = without_signature(
        ix::io_token::mint_emission(controller, ctx.emission_destination, 0, vec![1]),
        &controller,
    );
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::AccountNotSigner);

    let elsewhere = ctx.new_io_account(&intruder.pubkey()).await;
    let controller = ctx.controller.insecure_clone();
    let ix = ix::io_token::mint_emission(controller.pubkey(), elsewhere, 0, vec![1]);
    assert_error(
        &ctx.send(&[ix], &[&controller]).await,
        IoTokenError::WrongDestination,
    );
    assert_eq!(ctx.config().await.next_hour, 0);
}

#[tokio::test]
async fn nothing_before_genesis_or_a_controller() {
    let mut ctx = TestContext::initialized().await;
    ctx.create_allocation_accounts().await;
    ctx.set_up_emission().await;
    ctx.chain.advance_seconds(2 * HOUR).await;
    assert_error(
        &ctx.mint_emission(0, vec![1]).await,
        IoTokenError::GenesisNotDone,
    );

    // After genesis but before a controller is set, no key can mint.
    let mut ctx = TestContext::with_genesis().await;
    ctx.set_time_after_genesis(HOUR).await;
    let owner = Keypair::new();
    let destination = ctx.new_io_account(&owner.pubkey()).await;
    let anyone = ctx.chain.new_user().await;
    let ix = ix::io_token::mint_emission(anyone.pubkey(), destination, 0, vec![1]);
    assert_error(
        &ctx.send(&[ix], &[&anyone]).await,
        IoTokenError::Unauthorized,
    );
}

#[tokio::test]
async fn paused_blocks_emission_not_holders() {
    let mut ctx = TestContext::with_emission().await;
    ctx.set_time_after_genesis(2 * HOUR).await;
    assert_ok(&ctx.set_paused(true).await);
    assert_error(&ctx.mint_emission(0, vec![1]).await, IoTokenError::Paused);
    // Holders still move and burn their tokens: there is no freeze authority.
    let owner = ctx.allocation_owners[0].insecure_clone();
    let from = ctx.allocations[0];
    let to = ctx.new_io_account(&owner.pubkey()).await;
    let transfer =
        spl_token::instruction::transfer(&spl_token::ID, &from, &to, &owner.pubkey(), &[], 5)
            .unwrap();
    ctx.send_ok(&[transfer], &[&owner]).await;
    assert_eq!(ctx.chain.token_balance(to).await, 5);
    assert_ok(&ctx.set_paused(false).await);
    assert_ok(&ctx.mint_emission(0, budgets(0, 2)).await);
}

/// Burning lowers the supply but never makes room under the cap ("ever minted").
#[tokio::test]
async fn burning_does_not_make_room_to_mint_again() {
    let mut ctx = TestContext::with_emission().await;
    let owner = ctx.allocation_owners[0].insecure_clone();
    let from = ctx.allocations[0];
    let io_mint = ctx.io_mint;
    assert_ok(
        &ctx.chain
            .burn(&io_mint, &from, &owner, 1_000_000 * 100_000_000)
            .await,
    );
    ctx.burned += 1_000_000 * 100_000_000;
    ctx.set_time_after_genesis(HOUR).await;
    assert_error(
        &ctx.mint_emission(0, vec![hour_budget(0) + 1]).await,
        IoTokenError::ExceedsHourBudget,
    );
    assert_ok(&ctx.mint_emission(0, vec![hour_budget(0)]).await);
    let config = ctx.config().await;
    assert_eq!(
        config.genesis_minted + config.emission_minted,
        GENESIS_SUPPLY + hour_budget(0)
    );
}

/// The last hours of the 20-year schedule: the ledger ends at exactly 300M emitted and the cap
/// at exactly 800M; nothing can be processed after hour 175,318. The state of hour 175,317 is
/// written directly (processing 175k hours one transaction a day would take hours).
#[tokio::test]
async fn the_schedule_ends_exactly_at_the_cap() {
    let mut ctx = TestContext::with_emission().await;
    let start = EMISSION_HOURS - 2;
    let already = cumulative(start);
    // Config: hours 0..start processed and minted in full.
    let mut config = ctx.config().await;
    config.next_hour = start;
    config.emission_minted = already;
    let mut data = Vec::new();
    config.try_serialize(&mut data).unwrap();
    let config_key = pda::io_token::config();
    let mut account = ctx.chain.account(config_key).await.unwrap();
    account.data[..data.len()].copy_from_slice(&data);
    ctx.chain
        .set_account(&config_key, &AccountSharedData::from(account));
    // Mint and destination reflect what those hours minted.
    for (key, patch) in [(ctx.io_mint, true), (ctx.emission_destination, false)] {
        let mut account = ctx.chain.account(key).await.unwrap();
        if patch {
            let mut mint = spl_token::state::Mint::unpack(&account.data).unwrap();
            mint.supply += already;
            mint.pack_into_slice(&mut account.data);
        } else {
            let mut token = spl_token::state::Account::unpack(&account.data).unwrap();
            token.amount += already;
            token.pack_into_slice(&mut account.data);
        }
        ctx.chain
            .set_account(&key, &AccountSharedData::from(account));
    }

    ctx.set_time_after_genesis((EMISSION_HOURS as i64 + 5) * HOUR)
        .await;
    assert_error(
        &ctx.mint_emission(start, budgets(start, 3)).await,
        IoTokenError::EmissionScheduleEnded,
    );
    let outcome = ctx.mint_emission(start, budgets(start, 2)).await;
    assert_ok(&outcome);
    let event: EmissionMinted = outcome.event();
    assert_eq!(event.totals.remaining_to_cap, 0);
    let config = ctx.config().await;
    assert_eq!(config.emission_minted, EMISSION_SUPPLY);
    assert_eq!(config.genesis_minted + config.emission_minted, MAX_SUPPLY);
    assert_eq!(ctx.chain.mint_state(ctx.io_mint).await.supply, MAX_SUPPLY);
    assert_error(
        &ctx.mint_emission(EMISSION_HOURS, vec![0]).await,
        IoTokenError::EmissionScheduleEnded,
    );
}

/// RELIABILITY.md S3: another mint cannot stand in for the IO mint.
#[tokio::test]
async fn another_mint_cannot_stand_in_for_io() {
    let mut ctx = TestContext::with_emission().await;
    ctx.set_time_after_genesis(HOUR).await;
    let owner = Keypair::new();
    let other_mint = ctx.chain.create_mint(8, &owner.pubkey()).await;
    let controller = ctx.controller.insecure_clone();
    let mut ix =
        ix::io_token::mint_emission(controller.pubkey(), ctx.emission_destination, 0, vec![1]);
    ix.accounts[2].pubkey = other_mint;
    assert_anchor_error(
        &ctx.send(&[ix], &[&controller]).await,
        ErrorCode::ConstraintHasOne,
    );
}

/// Defence in depth: even if the on-chain supply disagreed with the ledger, minting past the
/// cap is refused (the supply is patched here; no instruction can do that).
#[tokio::test]
async fn the_on_chain_supply_is_checked_against_the_cap() {
    let mut ctx = TestContext::with_emission().await;
    ctx.check_after_each = false;
    let mut account = ctx.chain.account(ctx.io_mint).await.unwrap();
    let mut mint = spl_token::state::Mint::unpack(&account.data).unwrap();
    mint.supply = MAX_SUPPLY - hour_budget(0) + 1;
    mint.pack_into_slice(&mut account.data);
    let io_mint = ctx.io_mint;
    ctx.chain
        .set_account(&io_mint, &AccountSharedData::from(account));
    ctx.set_time_after_genesis(HOUR).await;
    assert_error(
        &ctx.mint_emission(0, vec![hour_budget(0)]).await,
        IoTokenError::CapExceeded,
    );
    assert_ok(&ctx.mint_emission(0, vec![hour_budget(0) - 1]).await);
}
