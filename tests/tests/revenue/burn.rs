use ::revenue::{BurnTotals, BuybackFilled, DayRecord, IoFeesBurned, RevenueError};
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::{ix, pda, Pubkey};
use ngpu_tests::revenue::USDC;
use ngpu_tests::*;

const IO: u64 = 100_000_000;
const DAY: i64 = 86_400;

#[tokio::test]
async fn burning_fees_burns_the_whole_vault_into_todays_record() {
    let ctx = &mut TestContext::with_revenue().await;
    // Nothing to burn is a named refusal, not an empty record.
    assert_error(&ctx.burn_io_fees().await, RevenueError::NothingToBurn);
    let day = ctx.today().await;
    assert!(ctx.day_record(day).await.is_none());

    ctx.deposit_io_fees(1_234 * IO + 5).await;
    let supply = ctx.chain.mint_state(::revenue::IO_MINT).await.supply;
    let outcome = ctx.burn_io_fees().await;
    assert_ok(&outcome);
    assert_eq!(
        ctx.chain.mint_state(::revenue::IO_MINT).await.supply,
        supply - (1_234 * IO + 5)
    );
    assert_eq!(ctx.chain.token_balance(pda::revenue::io_vault()).await, 0);
    let totals = BurnTotals {
        io_burned_fees: 1_234 * IO + 5,
        fee_burns: 1,
        ..BurnTotals::default()
    };
    assert_eq!(
        outcome.event::<IoFeesBurned>(),
        IoFeesBurned {
            payer: ctx.chain.payer().pubkey(),
            day,
            amount: 1_234 * IO + 5,
            day_record: pda::revenue::day_record(day),
            day_record_created: true,
            day_totals: totals,
            totals,
            day_records: 1,
        }
    );
    let record = ctx.day_record(day).await.unwrap();
    assert_eq!((record.day, record.totals), (day, totals));
    // The record pays its own rent.
    let rent = ctx.chain.rent_exempt(DayRecord::SPACE).await;
    assert_eq!(
        ctx.chain.lamports(pda::revenue::day_record(day)).await,
        rent
    );
    assert_error(&ctx.burn_io_fees().await, RevenueError::NothingToBurn);

    ctx.deposit_io_fees(7).await;
    let outcome = ctx.burn_io_fees().await;
    let event = outcome.event::<IoFeesBurned>();
    assert_eq!(
        (
            event.amount,
            event.day_record_created,
            event.day_totals.fee_burns,
            event.totals.io_burned_fees
        ),
        (7, false, 2, 1_234 * IO + 12)
    );
    let config = ctx.revenue_config().await;
    assert_eq!(
        (config.day_records, config.first_day, config.last_day),
        (1, day, day)
    );
}

#[tokio::test]
async fn a_new_utc_day_opens_a_new_record() {
    let ctx = &mut TestContext::with_revenue().await;
    ctx.deposit_usdc_fees(100 * USDC).await;
    let seller = ctx.seller(100).await;
    let day = ctx.today().await;
    let midnight = (day as i64 + 1) * DAY;
    // The last second of the day.
    ctx.chain.set_time(midnight - 1).await;
    ctx.deposit_io_fees(10 * IO).await;
    assert_ok(&ctx.burn_io_fees().await);
    ctx.set_price(250_000_000, 0).await;
    let outcome = ctx.fill(&seller, 10 * IO, 20 * USDC, midnight).await;
    assert!(!outcome.event::<BuybackFilled>().day_record_created);
    // The first second of the next.
    ctx.chain.set_time(midnight).await;
    ctx.set_price(250_000_000, 0).await;
    let outcome = ctx.fill(&seller, 4 * IO, 10 * USDC, midnight).await;
    let event = outcome.event::<BuybackFilled>();
    assert_eq!(
        (event.day, event.day_record_created, event.day_records),
        (day + 1, true, 2)
    );
    assert_eq!(
        event.day_totals,
        BurnTotals {
            io_burned_buyback: 4 * IO,
            usdc_spent: 10 * USDC,
            fills: 1,
            min_price_micro_usd: 2_500_000,
            max_price_micro_usd: 2_500_000,
            ..BurnTotals::default()
        }
    );
    assert_eq!(
        event.totals,
        BurnTotals {
            io_burned_fees: 10 * IO,
            io_burned_buyback: 14 * IO,
            usdc_spent: 30 * USDC,
            fee_burns: 1,
            fills: 2,
            min_price_micro_usd: 2_000_000,
            max_price_micro_usd: 2_500_000,
        }
    );
    ctx.deposit_io_fees(IO).await;
    let outcome = ctx.burn_io_fees().await;
    assert!(!outcome.event::<IoFeesBurned>().day_record_created);
    let first = ctx.day_record(day).await.unwrap().totals;
    let second = ctx.day_record(day + 1).await.unwrap().totals;
    assert_eq!((first.fee_burns, first.fills), (1, 1));
    assert_eq!((second.fee_burns, second.fills), (1, 1));
    let config = ctx.revenue_config().await;
    assert_eq!(
        (config.day_records, config.first_day, config.last_day),
        (2, day, day + 1)
    );
}

#[tokio::test]
async fn a_pre_funded_day_record_address_still_works() {
    let ctx = &mut TestContext::with_revenue().await;
    let day = ctx.today().await;
    let record = pda::revenue::day_record(day);
    // More than rent-exempt for an empty account, less than the record needs.
    ctx.chain.transfer_lamports(record, 1_000_000).await;
    ctx.deposit_io_fees(3 * IO).await;
    let outcome = ctx.burn_io_fees().await;
    assert_ok(&outcome);
    assert!(outcome.event::<IoFeesBurned>().day_record_created);
    let account = ctx.chain.account(record).await.unwrap();
    assert_eq!(account.owner, ::revenue::ID);
    assert_eq!(
        account.lamports,
        ctx.chain.rent_exempt(DayRecord::SPACE).await
    );
    // A fill's record too (an empty account's rent-exempt minimum sent to tomorrow's address).
    ctx.deposit_usdc_fees(10 * USDC).await;
    let seller = ctx.seller(10).await;
    let tomorrow = (day as i64 + 1) * DAY;
    ctx.chain
        .transfer_lamports(pda::revenue::day_record(day + 1), 890_880)
        .await;
    ctx.chain.set_time(tomorrow).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.fill(&seller, IO, USDC, tomorrow).await);
    assert_eq!(ctx.day_record(day + 1).await.unwrap().totals.fills, 1);
}

#[tokio::test]
async fn only_todays_record_is_accepted() {
    let ctx = &mut TestContext::with_revenue().await;
    let day = ctx.today().await;
    ctx.deposit_io_fees(IO).await;
    assert_ok(&ctx.burn_io_fees().await);
    ctx.chain.set_time((day as i64 + 1) * DAY).await;
    ctx.deposit_io_fees(IO).await;
    let payer = ctx.chain.payer().pubkey();
    // Yesterday's record (exists), tomorrow's address, a random address.
    for wrong in [day, day + 2] {
        let ix = ix::revenue::burn_io_fees(payer, wrong);
        assert_error(&ctx.send(&[ix], &[]).await, RevenueError::WrongDayRecord);
    }
    let mut ix = ix::revenue::burn_io_fees(payer, day + 1);
    ix.accounts[4].pubkey = Pubkey::new_unique();
    assert_error(&ctx.send(&[ix], &[]).await, RevenueError::WrongDayRecord);
    // Another program's account in the slot: the IO fee vault.
    let mut ix = ix::revenue::burn_io_fees(payer, day + 1);
    ix.accounts[4].pubkey = ctx.revenue_config().await.usdc_vault;
    assert_error(&ctx.send(&[ix], &[]).await, RevenueError::WrongDayRecord);
    // The config itself (ours, but not a record).
    let mut ix = ix::revenue::burn_io_fees(payer, day + 1);
    ix.accounts[4].pubkey = pda::revenue::config();
    assert_error(&ctx.send(&[ix], &[]).await, RevenueError::WrongDayRecord);
    assert_ok(&ctx.burn_io_fees().await);
}
