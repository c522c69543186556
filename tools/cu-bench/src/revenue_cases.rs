//! In-memory account sets for the revenue cases: a config with history, the fee vaults, today's
//! existing burn record, the IO mint, a seller's accounts and a fresh Pyth price. Cases:
//! `burn_io_fees` and `fill_buyback` (both into an existing day record: the creating path adds
//! one `find_program_address` and the system CPIs, metered in program-test).

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::{bpf_loader_upgradeable, system_program};
use anchor_lang::{AccountSerialize, InstructionData};
use anchor_spl::token::spl_token;
use revenue::{BurnTotals, Config, DayRecord, CONFIG_ADDRESS, IO_VAULT_ADDRESS};
use solana_program_pack::Pack;

use crate::Case;

const IO: u64 = 100_000_000;
const USDC: u64 = 1_000_000;
const FEED_ID: [u8; 32] = [1; 32];
const PRICE_FEED: Pubkey = Pubkey::new_from_array([31; 32]);
const USDC_MINT: Pubkey = Pubkey::new_from_array([32; 32]);
const USDC_VAULT: Pubkey = Pubkey::new_from_array([33; 32]);
const SELLER: Pubkey = Pubkey::new_from_array([34; 32]);
const SELLER_IO: Pubkey = Pubkey::new_from_array([35; 32]);
const SELLER_USDC: Pubkey = Pubkey::new_from_array([36; 32]);
const PAYER: Pubkey = Pubkey::new_from_array([37; 32]);

fn serialize<T: AccountSerialize>(value: &T, space: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(space);
    value.try_serialize(&mut data).expect("serialize");
    data.resize(space, 0);
    data
}

fn token_account(mint: Pubkey, owner: Pubkey, amount: u64) -> Vec<u8> {
    let mut data = vec![0u8; spl_token::state::Account::LEN];
    spl_token::state::Account {
        mint,
        owner,
        amount,
        state: spl_token::state::AccountState::Initialized,
        ..Default::default()
    }
    .pack_into_slice(&mut data);
    data
}

fn totals() -> BurnTotals {
    BurnTotals {
        io_burned_fees: 1_000 * IO,
        io_burned_buyback: 500 * IO,
        usdc_spent: 1_250 * USDC,
        fee_burns: 3,
        fills: 7,
        min_price_micro_usd: 2_400_000,
        max_price_micro_usd: 2_600_000,
    }
}

fn config(now: i64) -> Vec<u8> {
    let config = Config {
        version: 1,
        bump: Pubkey::find_program_address(&[Config::SEED], &revenue::ID).1,
        io_vault_bump: 255,
        usdc_vault_bump: 255,
        paused: false,
        authority: Pubkey::new_unique(),
        pending_authority: Pubkey::default(),
        usdc_mint: USDC_MINT,
        io_vault: IO_VAULT_ADDRESS,
        usdc_vault: USDC_VAULT,
        price_feed: PRICE_FEED,
        price_feed_id: FEED_ID,
        max_price_age_secs: 120,
        max_confidence_bps: 200,
        max_premium_bps: 100,
        window_secs: 86_400,
        window_limit: 10_000 * USDC,
        window_outflow: 1_000 * USDC,
        window_last_ts: now - 3_600,
        totals: totals(),
        day_records: 1,
        first_day: ngpu_math::revenue::utc_day(now).expect("day"),
        last_day: ngpu_math::revenue::utc_day(now).expect("day"),
        _reserved: [0; 128],
    };
    serialize(&config, Config::SPACE)
}

fn day_record(now: i64) -> (Pubkey, Vec<u8>) {
    let day = ngpu_math::revenue::utc_day(now).expect("day");
    let (key, bump) = Pubkey::find_program_address(
        &[DayRecord::SEED, CONFIG_ADDRESS.as_ref(), &day.to_le_bytes()],
        &revenue::ID,
    );
    let record = DayRecord {
        version: 1,
        bump,
        day,
        totals: totals(),
        _reserved: [0; 64],
    };
    (key, serialize(&record, DayRecord::SPACE))
}

type Account = (Pubkey, Pubkey, bool, bool, bool, Vec<u8>);

fn tail(now: i64) -> Vec<Account> {
    let (record_key, record) = day_record(now);
    vec![
        (
            revenue::IO_MINT,
            spl_token::ID,
            false,
            true,
            false,
            crate::staking_cases::mint(),
        ),
        (record_key, revenue::ID, false, true, false, record),
        (
            spl_token::ID,
            bpf_loader_upgradeable::ID,
            false,
            false,
            true,
            vec![],
        ),
        (
            system_program::ID,
            bpf_loader_upgradeable::ID,
            false,
            false,
            true,
            vec![],
        ),
        (
            Pubkey::find_program_address(&[b"__event_authority"], &revenue::ID).0,
            system_program::ID,
            false,
            false,
            false,
            vec![],
        ),
        (
            revenue::ID,
            bpf_loader_upgradeable::ID,
            false,
            false,
            true,
            vec![],
        ),
    ]
}

pub fn build(case: &str, now: i64) -> Case {
    match case {
        "revenue_burn_io_fees" => {
            let mut accounts: Vec<Account> = vec![
                (PAYER, system_program::ID, true, true, false, vec![]),
                (CONFIG_ADDRESS, revenue::ID, false, true, false, config(now)),
                (
                    IO_VAULT_ADDRESS,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(revenue::IO_MINT, CONFIG_ADDRESS, 100 * IO),
                ),
            ];
            accounts.extend(tail(now));
            Case {
                program: revenue::ID,
                accounts,
                data: revenue::instruction::BurnIoFees {}.data(),
            }
        }
        "revenue_fill_buyback" => {
            let price =
                revenue::price::PriceUpdateV2::full(FEED_ID, 250_000_000, 1_000_000, -8, now)
                    .encode();
            let mut accounts: Vec<Account> = vec![
                (SELLER, system_program::ID, true, true, false, vec![]),
                (CONFIG_ADDRESS, revenue::ID, false, true, false, config(now)),
                (
                    PRICE_FEED,
                    revenue::price::PYTH_RECEIVER,
                    false,
                    false,
                    false,
                    price,
                ),
                (
                    USDC_VAULT,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(USDC_MINT, CONFIG_ADDRESS, 5_000 * USDC),
                ),
                (
                    SELLER_IO,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(revenue::IO_MINT, SELLER, 1_000 * IO),
                ),
                (
                    SELLER_USDC,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(USDC_MINT, SELLER, 0),
                ),
            ];
            accounts.extend(tail(now));
            Case {
                program: revenue::ID,
                accounts,
                data: revenue::instruction::FillBuyback {
                    io_in: 100 * IO,
                    usdc_out: 250 * USDC,
                    expire_at: now + 60,
                }
                .data(),
            }
        }
        other => panic!("unknown case {other}"),
    }
}
