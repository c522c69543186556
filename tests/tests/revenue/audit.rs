//! Outside audit of `revenue` (2026-11-30): proof-of-concept attacks. Each test asserts the
//! attack fails (a finding's test failed before its fix; the others pin what was found sound).

use ::revenue::price::PriceUpdateV2;
use ::revenue::{BuybackFilled, DayRecord, IoFeesBurned, RevenueError};
use anchor_lang::error::ErrorCode;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token::spl_token;
use ngpu_localnet::solana_sdk::account::{Account, AccountSharedData};
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::{ix, pda, Pubkey};
use ngpu_tests::revenue::{Seller, USDC};
use ngpu_tests::*;

const IO: u64 = 100_000_000;
const DAY: i64 = 86_400;

async fn set_up(usdc: u64) -> (TestContext, Seller) {
    let mut ctx = TestContext::with_revenue().await;
    ctx.deposit_usdc_fees(usdc * USDC).await;
    let seller = ctx.seller(1_000).await;
    (ctx, seller)
}

/// FINDING (medium): `update_params` let the authority replace the feed id. Re-pointed at any
/// other Pyth feed (BTC/USD at $100,000, a genuine fully verified update) with the window limit
/// at `u64::MAX`, the authority's own fill of 1 IO took the whole USDC vault, in the same
/// transaction as the update. Fixed: the feed id is pinned (`PriceFeedIdPinned`); the price
/// account may still move, and then the bound still prices IO.
#[tokio::test]
async fn audit_the_authority_cannot_repoint_the_feed_to_drain_the_vault() {
    let (mut ctx, accomplice) = set_up(10_000).await;
    let ctx = &mut ctx;
    let authority = ctx.authority.insecure_clone();
    let now = ctx.chain.now().await;
    let day = ctx.today().await;
    let btc_feed_id = [0xe6; 32];
    let btc_account = Pubkey::new_unique();
    ctx.chain.set_pyth_update(
        btc_account,
        ::revenue::price::PYTH_RECEIVER,
        &PriceUpdateV2::full(btc_feed_id, 10_000_000_000_000, 0, -8, now),
    );
    let (base, own) = (ctx.revenue_args(), ctx.fill_accounts(&accomplice));
    let drain = |feed: Pubkey, feed_id: [u8; 32], usdc_out: u64| {
        let params = ::revenue::InitializeArgs {
            price_feed: feed,
            price_feed_id: feed_id,
            max_premium_bps: 1_000,
            window_limit: u64::MAX,
            ..base.clone()
        };
        let accounts = ix::revenue::FillAccounts {
            price_feed: feed,
            ..own
        };
        [
            ix::revenue::update_params(authority.pubkey(), params),
            ix::revenue::fill_buyback(accomplice.key.pubkey(), accounts, day, IO, usdc_out, now),
        ]
    };
    let outcome = ctx
        .send(
            &drain(btc_account, btc_feed_id, 10_000 * USDC),
            &[&authority, &accomplice.key],
        )
        .await;
    assert_error_at(&outcome, 0, RevenueError::PriceFeedIdPinned);
    assert_eq!(
        ctx.chain.token_balance(ctx.usdc_vault()).await,
        10_000 * USDC
    );
    assert_eq!(ctx.chain.token_balance(accomplice.usdc).await, 0);
    // Another account carrying the pinned feed id is accepted, and prices IO: 1 IO at $2.50
    // plus 10% is at most $2.75, whatever the window.
    let moved = Pubkey::new_unique();
    let feed_id = ctx.price_feed_id;
    ctx.chain.set_pyth_update(
        moved,
        ::revenue::price::PYTH_RECEIVER,
        &PriceUpdateV2::full(feed_id, 250_000_000, 0, -8, now),
    );
    let outcome = ctx
        .send(
            &drain(moved, feed_id, 2_750_001),
            &[&authority, &accomplice.key],
        )
        .await;
    assert_error_at(&outcome, 1, RevenueError::AbovePriceBound);
    let outcome = ctx
        .send(
            &drain(moved, feed_id, 2_750_000),
            &[&authority, &accomplice.key],
        )
        .await;
    assert_ok(&outcome);
    assert_eq!(ctx.chain.token_balance(accomplice.usdc).await, 2_750_000);
}

/// Sound: a delegate of someone else's IO account cannot sell that IO (the account's owner must
/// be the signer), nor can anyone name the IO fee vault or the USDC vault as its IO.
#[tokio::test]
async fn audit_nobody_burns_io_it_does_not_own() {
    let (mut ctx, attacker) = set_up(100).await;
    let ctx = &mut ctx;
    let victim = ctx.seller(50).await;
    let approve = spl_token::instruction::approve(
        &spl_token::ID,
        &victim.io,
        &attacker.key.pubkey(),
        &victim.key.pubkey(),
        &[],
        50 * IO,
    )
    .unwrap();
    ctx.send_ok(&[approve], &[&victim.key]).await;
    ctx.deposit_io_fees(7 * IO).await;
    let now = ctx.chain.now().await;
    let day = ctx.today().await;
    let config = ctx.revenue_config().await;
    for stolen in [victim.io, config.io_vault, config.usdc_vault] {
        let accounts = ix::revenue::FillAccounts {
            seller_io: stolen,
            ..ctx.fill_accounts(&attacker)
        };
        let ix = ix::revenue::fill_buyback(attacker.key.pubkey(), accounts, day, IO, USDC, now);
        assert_error(
            &ctx.send(&[ix], &[&attacker.key]).await,
            RevenueError::InvalidTokenAccount,
        );
    }
    assert_eq!(ctx.chain.token_balance(victim.io).await, 50 * IO);
    // The fee burn only ever burns the pinned vault.
    let payer = ctx.chain.payer().pubkey();
    let mut ix = ix::revenue::burn_io_fees(payer, day);
    ix.accounts[2].pubkey = victim.io;
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::ConstraintAddress);
    assert_eq!(ctx.chain.token_balance(victim.io).await, 50 * IO);
}

/// A 165-byte account with SPL Token's layout at `address`, owned by `program`.
fn forge_token_account(
    ctx: &mut TestContext,
    address: Pubkey,
    program: Pubkey,
    mint: Pubkey,
    owner: Pubkey,
    state: spl_token::state::AccountState,
) {
    let mut data = vec![0u8; spl_token::state::Account::LEN];
    spl_token::state::Account {
        mint,
        owner,
        amount: 1_000 * IO,
        state,
        ..Default::default()
    }
    .pack_into_slice(&mut data);
    let account = Account {
        lamports: 10_000_000,
        data,
        owner: program,
        executable: false,
        rent_epoch: 0,
    };
    ctx.chain
        .set_account(&address, &AccountSharedData::from(account));
}

/// Sound: the hand-read token accounts refuse a Token-2022 account with SPL Token's exact
/// layout (for the IO and the USDC side) and an uninitialised SPL Token account.
#[tokio::test]
async fn audit_look_alike_token_accounts_are_refused() {
    let (mut ctx, seller) = set_up(100).await;
    let ctx = &mut ctx;
    let now = ctx.chain.now().await;
    let day = ctx.today().await;
    let usdc_mint = ctx.revenue.usdc_mint;
    let owner = seller.key.pubkey();
    let t22 = anchor_spl::token_2022::ID;
    let initialized = spl_token::state::AccountState::Initialized;
    let uninitialized = spl_token::state::AccountState::Uninitialized;
    let (fake_io, fake_usdc, blank_io) = (
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
    );
    forge_token_account(ctx, fake_io, t22, ::revenue::IO_MINT, owner, initialized);
    forge_token_account(ctx, fake_usdc, t22, usdc_mint, owner, initialized);
    forge_token_account(
        ctx,
        blank_io,
        spl_token::ID,
        ::revenue::IO_MINT,
        owner,
        uninitialized,
    );
    let own = ctx.fill_accounts(&seller);
    for accounts in [
        ix::revenue::FillAccounts {
            seller_io: fake_io,
            ..own
        },
        ix::revenue::FillAccounts {
            seller_usdc: fake_usdc,
            ..own
        },
        ix::revenue::FillAccounts {
            seller_io: blank_io,
            ..own
        },
    ] {
        let ix = ix::revenue::fill_buyback(owner, accounts, day, IO, USDC, now);
        assert_error(
            &ctx.send(&[ix], &[&seller.key]).await,
            RevenueError::InvalidTokenAccount,
        );
    }
    // A Token-2022 account in the vault slot is not the pinned vault.
    let mut ix = ix::revenue::fill_buyback(owner, own, day, IO, USDC, now);
    ix.accounts[3].pubkey = fake_usdc;
    assert_error(
        &ctx.send(&[ix], &[&seller.key]).await,
        RevenueError::WrongVault,
    );
    assert_ok(&ctx.fill(&seller, IO, USDC, now).await);
}

/// Sound: exponent edge cases of the price pay exactly the bound; absurd exponents are refused
/// by name; a huge `io_in` saturates the bound and is refused by the seller's balance.
#[tokio::test]
async fn audit_price_exponent_edges_and_huge_amounts() {
    let (mut ctx, seller) = set_up(1_000).await;
    let ctx = &mut ctx;
    let now = ctx.chain.now().await;
    let feed = ctx.price_feed_id;
    // $300 as 3 x 10^2: 1 IO + 1% is at most $303.
    ctx.set_price_update(&PriceUpdateV2::full(feed, 3, 0, 2, now));
    assert_error(
        &ctx.fill(&seller, IO, 303 * USDC + 1, now).await,
        RevenueError::AbovePriceBound,
    );
    assert_ok(&ctx.fill(&seller, IO, 303 * USDC, now).await);
    // $2.50 as 2.5 x 10^12 x 10^-12: same bound as at exponent -8 (10 IO -> $25.25).
    ctx.set_price_update(&PriceUpdateV2::full(feed, 2_500_000_000_000, 0, -12, now));
    assert_error(
        &ctx.fill(&seller, 10 * IO, 25_250_001, now).await,
        RevenueError::AbovePriceBound,
    );
    assert_ok(&ctx.fill(&seller, 10 * IO, 25_250_000, now).await);
    // 10^-44 USD per IO: worth nothing, one base unit of USDC is above the bound.
    ctx.set_price_update(&PriceUpdateV2::full(feed, 1, 0, -44, now));
    assert_error(
        &ctx.fill(&seller, 100 * IO, 1, now).await,
        RevenueError::AbovePriceBound,
    );
    // Exponents whose micro-USD value cannot be represented are refused, not wrapped.
    for (price, expo) in [(1, -45), (3, 14), (i64::MAX, 0)] {
        ctx.set_price_update(&PriceUpdateV2::full(feed, price, 0, expo, now));
        assert_error(
            &ctx.fill(&seller, IO, 1, now).await,
            RevenueError::PriceOutOfRange,
        );
    }
    // io_in = u64::MAX: the bound saturates, the vault and the seller's balance refuse.
    ctx.set_price(250_000_000, 0).await;
    assert_error(
        &ctx.fill(&seller, u64::MAX, 10_000 * USDC, now).await,
        RevenueError::InsufficientVault,
    );
    assert_error(
        &ctx.fill(&seller, u64::MAX, 1, now).await,
        RevenueError::SellerBalanceTooLow,
    );
    // The band is at most 20% (2,000 bps): it can never reach the price.
    let authority = ctx.authority.insecure_clone();
    let params = ::revenue::InitializeArgs {
        max_confidence_bps: 2_000,
        ..ctx.revenue_args()
    };
    ctx.send_ok(
        &[ix::revenue::update_params(authority.pubkey(), params)],
        &[&authority],
    )
    .await;
    ctx.set_price(250_000_000, 250_000_000).await;
    assert_error(
        &ctx.fill(&seller, IO, 1, now).await,
        RevenueError::PriceTooUncertain,
    );
    // At 20% the low side is $2.00: 10 IO + 1% -> $20.20.
    ctx.set_price(250_000_000, 50_000_000).await;
    assert_error(
        &ctx.fill(&seller, 10 * IO, 20_200_001, now).await,
        RevenueError::AbovePriceBound,
    );
    assert_ok(&ctx.fill(&seller, 10 * IO, 20_200_000, now).await);
}

async fn fill_at(
    ctx: &mut TestContext,
    seller: &Seller,
    at: i64,
    usdc: u64,
) -> ngpu_localnet::TxOutcome {
    ctx.chain.set_time(at).await;
    ctx.set_price(250_000_000, 0).await;
    ctx.fill(seller, 100 * IO, usdc, at).await
}

/// Sound: the window holds when the clock goes back (no reset, no decay, and the earlier day's
/// record is opened consistently), when the limit is lowered below what is counted, and when
/// many small fills follow a full one.
#[tokio::test]
async fn audit_the_window_survives_clock_moves_param_changes_and_small_fills() {
    let (mut ctx, seller) = set_up(1_000).await;
    let ctx = &mut ctx;
    let authority = ctx.authority.insecure_clone();
    let base = ctx.revenue_args();
    let set_window = |limit: u64, secs: u32| {
        ix::revenue::update_params(
            authority.pubkey(),
            ::revenue::InitializeArgs {
                window_limit: limit,
                window_secs: secs,
                ..base.clone()
            },
        )
    };
    let ix = set_window(100 * USDC, 86_400);
    ctx.send_ok(&[ix], &[&authority]).await;
    let today = ctx.today().await;
    let t0 = today as i64 * DAY + 3_600;
    assert_ok(&fill_at(ctx, &seller, t0, 100 * USDC).await);
    // Back by a day: nothing decays and the stamp stays.
    let back = t0 - DAY;
    assert_error(
        &fill_at(ctx, &seller, back, 1).await,
        RevenueError::OutflowLimitExceeded,
    );
    let config = ctx.revenue_config().await;
    assert_eq!(
        (config.window_outflow, config.window_last_ts),
        (100 * USDC, t0)
    );
    // A fee burn then opens yesterday's record; the totals stay the sum of the records.
    ctx.deposit_io_fees(IO).await;
    let outcome = ctx.burn_io_fees().await;
    assert_ok(&outcome);
    assert_eq!(outcome.event::<IoFeesBurned>().day, today - 1);
    let config = ctx.revenue_config().await;
    assert_eq!(
        (config.day_records, config.first_day, config.last_day),
        (2, today - 1, today)
    );
    // Half a window after t0: 50 counted. Lowered to 40, nothing can go out.
    ctx.chain.set_time(t0 + 43_200).await;
    let ix = set_window(40 * USDC, 86_400);
    ctx.send_ok(&[ix], &[&authority]).await;
    assert_error(
        &fill_at(ctx, &seller, t0 + 43_200, 1).await,
        RevenueError::OutflowLimitExceeded,
    );
    // At 80% of the window 20 are counted: 20 of room.
    assert_error(
        &fill_at(ctx, &seller, t0 + 69_120, 20 * USDC + 1).await,
        RevenueError::OutflowLimitExceeded,
    );
    // Many small fills in the same second: 30 fills of 1 base unit fit in the last 30 units of
    // room, the 31st does not.
    assert_ok(&fill_at(ctx, &seller, t0 + 69_120, 20 * USDC - 30).await);
    for i in 0..30 {
        assert_ok(&ctx.fill(&seller, 41 + i, 1, t0 + 69_120).await);
    }
    assert_error(
        &ctx.fill(&seller, 71, 1, t0 + 69_120).await,
        RevenueError::OutflowLimitExceeded,
    );
    let config = ctx.revenue_config().await;
    assert_eq!(config.window_outflow, 40 * USDC);
}

/// Sound: a day-record address funded far above its rent still opens (no top-up needed), and
/// the record keeps every lamport sent to it.
#[tokio::test]
async fn audit_an_over_funded_day_record_address_still_opens() {
    let (mut ctx, seller) = set_up(100).await;
    let ctx = &mut ctx;
    let day = ctx.today().await;
    let record = pda::revenue::day_record(day);
    ctx.chain.transfer_lamports(record, 5_000_000_000).await;
    let now = ctx.chain.now().await;
    let outcome = ctx.fill(&seller, 10 * IO, USDC, now).await;
    assert_ok(&outcome);
    assert!(outcome.event::<BuybackFilled>().day_record_created);
    let account = ctx.chain.account(record).await.unwrap();
    assert_eq!(
        (account.owner, account.lamports, account.data.len()),
        (::revenue::ID, 5_000_000_000, DayRecord::SPACE)
    );
}
