use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_math::{cumulative, hour_budget};
use ngpu_sdk::{ix, Pubkey};
use ngpu_tests::*;
use staking::{HoursCranked, StakingError};

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;

async fn one_node(ctx: &mut TestContext) -> Pubkey {
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    node
}

#[tokio::test]
async fn catch_up_of_30_missed_hours_in_two_calls() {
    let ctx = &mut TestContext::with_staking().await;
    one_node(ctx).await;
    ctx.set_time_after_genesis(30 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_error(&ctx.crank(0, 25).await, StakingError::InvalidHourCount);
    let first: HoursCranked = ctx.crank(0, 24).await.event();
    let second: HoursCranked = ctx.crank(24, 6).await.event();
    // $1/h at $2.50 = 0.4 IO each hour, far below every budget; staked during hour 0, the node
    // earns from hour 1.
    assert_eq!((first.paid, second.paid), (23 * 40_000_000, 6 * 40_000_000));
    assert_eq!((first.next_hour, second.next_hour), (24, 30));
    assert_eq!(second.rewards_minted, 29 * 40_000_000);
    assert_eq!(
        first.paid + first.forfeited + second.paid + second.forfeited,
        cumulative(30)
    );
    let io = ctx.config().await;
    assert_eq!((io.next_hour, io.emission_minted), (30, 29 * 40_000_000));
    assert_eq!(ctx.staking_state().await.next_hour, 30);
    assert_error(&ctx.crank(30, 1).await, StakingError::HourNotEnded);
}

#[tokio::test]
async fn the_crank_refuses_unfinished_processed_or_skipped_hours() {
    let ctx = &mut TestContext::with_staking().await;
    one_node(ctx).await;
    ctx.set_time_after_genesis(HOUR - 1).await;
    ctx.set_price(250_000_000, 0).await;
    assert_error(&ctx.crank(0, 1).await, StakingError::HourNotEnded);
    ctx.set_time_after_genesis(3 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(0, 1).await);
    assert_error(&ctx.crank(0, 1).await, StakingError::HourAlreadyProcessed);
    assert_error(&ctx.crank(2, 1).await, StakingError::HourOutOfOrder);
    assert_ok(&ctx.crank(1, 2).await);
}

#[tokio::test]
async fn stale_uncertain_or_foreign_prices_are_refused() {
    let ctx = &mut TestContext::with_staking().await;
    one_node(ctx).await;
    // The node earns from hour 1: hour 1 is the one priced here.
    ctx.set_time_after_genesis(2 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(0, 1).await);
    // Published 121 s ago, limit 120 s.
    let now = ctx.chain.now().await;
    let feed = ctx.price_feed;
    ctx.chain
        .set_pyth_price(feed, 250_000_000, 0, -8, now - 121);
    assert_error(&ctx.crank(1, 1).await, StakingError::StalePrice);
    ctx.chain
        .set_pyth_price(feed, 250_000_000, 0, -8, now - 120);
    // Confidence 2.01% with a 2% limit.
    ctx.chain
        .set_pyth_price(feed, 250_000_000, 5_025_000, -8, now);
    assert_error(&ctx.crank(1, 1).await, StakingError::PriceTooUncertain);
    // Another account than the pinned feed.
    let other = Pubkey::new_unique();
    ctx.chain.set_pyth_price(other, 250_000_000, 0, -8, now);
    let payer = ctx.chain.payer().pubkey();
    let crank = ix::staking::crank_hour(payer, other, ctx.history, 1, 1);
    assert_error(
        &ctx.send(&[crank], &[]).await,
        StakingError::WrongPriceAccount,
    );
    // With the confidence inside the band, the high side is used: $2.55 pays less IO.
    ctx.chain
        .set_pyth_price(feed, 250_000_000, 5_000_000, -8, now);
    let event: HoursCranked = ctx.crank(1, 1).await.event();
    assert_eq!(event.price_micro_usd, 2_550_000);
    assert_eq!(event.paid, 1_000_000 * IO / 2_550_000);
}

#[tokio::test]
async fn with_no_eligible_node_the_whole_budget_is_forfeited() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.set_time_after_genesis(2 * HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    let event: HoursCranked = ctx.crank(0, 2).await.event();
    assert_eq!(
        (event.paid, event.forfeited),
        (0, hour_budget(0) + hour_budget(1))
    );
    assert_eq!(ctx.config().await.emission_forfeited, cumulative(2));
}

/// The crank needs the pinned history ring; `init_history` is the authority's, once, before the
/// first crank, on a blank account of this program.
#[tokio::test]
async fn the_history_ring_is_pinned_once_before_the_first_crank() {
    use ngpu_localnet::solana_sdk::signature::Keypair;
    let ctx = &mut TestContext::with_staking_without_history().await;
    ctx.set_time_after_genesis(HOUR).await;
    ctx.set_price(250_000_000, 0).await;
    let payer = ctx.chain.payer().pubkey();
    let crank = ix::staking::crank_hour(payer, ctx.price_feed, Pubkey::new_unique(), 0, 1);
    assert_error(
        &ctx.send(&[crank], &[]).await,
        StakingError::HistoryNotInitialized,
    );

    let authority = ctx.authority.insecure_clone();
    let stranger = ctx.chain.new_user().await;
    let rent = ctx.chain.rent_exempt(staking::RewardHistory::SPACE).await;
    let history = Keypair::new();
    let create = ix::staking::create_history_account(payer, history.pubkey(), rent);
    let ix = ix::staking::init_history(stranger.pubkey(), history.pubkey());
    assert_error_at(
        &ctx.send(&[create.clone(), ix], &[&stranger, &history])
            .await,
        1,
        StakingError::Unauthorized,
    );
    // A wallet is refused (`zero` needs a blank account of this program's, of the ring's size).
    let foreign = ctx.chain.new_user().await;
    let ix = ix::staking::init_history(authority.pubkey(), foreign.pubkey());
    assert_anchor_error(
        &ctx.send(&[ix], &[&authority]).await,
        anchor_lang::error::ErrorCode::AccountDidNotDeserialize,
    );
    // A larger account would pass `zero` but brick the crank that reads the exact ring.
    let larger = Keypair::new();
    let space = staking::RewardHistory::SPACE + 8;
    let rent_larger = ctx.chain.rent_exempt(space).await;
    let create_larger = anchor_lang::solana_program::system_instruction::create_account(
        &payer,
        &larger.pubkey(),
        rent_larger,
        space as u64,
        &staking::ID,
    );
    let ix = ix::staking::init_history(authority.pubkey(), larger.pubkey());
    assert_error_at(
        &ctx.send(&[create_larger, ix], &[&authority, &larger]).await,
        1,
        StakingError::InvalidParameter,
    );
    let ix = ix::staking::init_history(authority.pubkey(), history.pubkey());
    let outcome = ctx.send_ok(&[create, ix], &[&authority, &history]).await;
    let event: staking::HistoryInitialized = outcome.event();
    assert_eq!(event.history, history.pubkey());
    assert_eq!(ctx.staking_config().await.history, history.pubkey());
    // Once only.
    let again = Keypair::new();
    let create = ix::staking::create_history_account(payer, again.pubkey(), rent);
    let ix = ix::staking::init_history(authority.pubkey(), again.pubkey());
    assert_error_at(
        &ctx.send(&[create, ix], &[&authority, &again]).await,
        1,
        StakingError::AlreadyInitialized,
    );
    let crank = ix::staking::crank_hour(payer, ctx.price_feed, again.pubkey(), 0, 1);
    assert_anchor_error(
        &ctx.send(&[crank], &[]).await,
        anchor_lang::error::ErrorCode::ConstraintAddress,
    );
    ctx.history = history.pubkey();
    assert_ok(&ctx.crank(0, 1).await);
}
