//! In-memory account sets for the reservations cases: a config with totals, a listing, an open
//! USDC reservation of 10 hours started 1.5 hours ago (nothing settled yet), the escrow, payout
//! and fee vault, and staking's accounts (only their keys are checked: the release CPI is
//! stubbed). Cases: `reservations_settle` (one delivered hour paid: two Transfers, the reservation
//! written back; the closing path adds the `set_hired` CPI and the close) and
//! `reservations_reserve_usdc` / `_io` (10 hours; a pre-funded reservation address, so the
//! creation takes the top-up / Allocate / Assign path, whose Allocate the stubs emulate; IO reads
//! a Pyth price with a band).

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::{bpf_loader_upgradeable, system_program};
use anchor_lang::{AccountSerialize, Discriminator, InstructionData};
use anchor_spl::token::spl_token;
use reservations::{Config, Currency, CurrencyTotals, Listing, Reservation, CONFIG_ADDRESS};
use solana_program_pack::Pack;

use crate::Case;

const USDC: u64 = 1_000_000;
const USDC_MINT: Pubkey = Pubkey::new_from_array([41; 32]);
const USDC_ESCROW: Pubkey = Pubkey::new_from_array([42; 32]);
const USDC_FEES: Pubkey = Pubkey::new_from_array([43; 32]);
const NODE: Pubkey = Pubkey::new_from_array([44; 32]);
const LISTING: Pubkey = Pubkey::new_from_array([45; 32]);
const RESERVATION: Pubkey = Pubkey::new_from_array([46; 32]);
const RENTER: Pubkey = Pubkey::new_from_array([47; 32]);
const RENTER_USDC: Pubkey = Pubkey::new_from_array([48; 32]);
const PAYOUT: Pubkey = Pubkey::new_from_array([49; 32]);
const PRICE_FEED: Pubkey = Pubkey::new_from_array([50; 32]);
const RENTER_IO: Pubkey = Pubkey::new_from_array([51; 32]);
const IO: u64 = 100_000_000;

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

fn config() -> Vec<u8> {
    let totals = CurrencyTotals {
        deposited: 10_000 * USDC,
        supplier_paid: 5_000 * USDC,
        fees: 400 * USDC,
        refunded: 600 * USDC,
        escrowed: 4_000 * USDC,
        reservations: 12,
        owed: 0,
        fees_owed: 0,
    };
    let config = Config {
        version: 1,
        bump: reservations::CONFIG_BUMP,
        io_escrow_bump: 255,
        usdc_escrow_bump: 255,
        paused: false,
        authority: Pubkey::new_unique(),
        pending_authority: Pubkey::default(),
        usdc_mint: USDC_MINT,
        io_escrow: reservations::IO_ESCROW_ADDRESS,
        usdc_escrow: USDC_ESCROW,
        io_fee_vault: revenue::IO_VAULT_ADDRESS,
        usdc_fee_vault: USDC_FEES,
        price_feed: PRICE_FEED,
        price_feed_id: [1; 32],
        max_price_age_secs: 120,
        max_confidence_bps: 200,
        reservation_fee_bps: 25,
        usdc_payment_fee_bps: 200,
        io_payment_fee_bps: 0,
        max_hours: 720,
        open_reservations: 3,
        io_totals: totals,
        usdc_totals: totals,
        _reserved: [0; 96],
    };
    serialize(&config, Config::SPACE)
}

fn listing(active_reservation: Pubkey) -> Vec<u8> {
    let listing = Listing {
        version: 1,
        bump: 255,
        node: NODE,
        supplier: Pubkey::new_unique(),
        price_micro_usd_per_hour: 2_500_000,
        max_hours: 720,
        payout_usdc: PAYOUT,
        payout_io: Pubkey::new_unique(),
        active_reservation,
        reservation_count: 5,
        owed_usdc: 0,
        owed_io: 0,
        refunds_owed: 0,
        _reserved: [0; 40],
    };
    serialize(&listing, Listing::SPACE)
}

fn reservation(now: i64) -> Vec<u8> {
    let r = Reservation {
        version: 1,
        bump: 255,
        currency: Currency::Usdc,
        id: 4,
        node: NODE,
        listing: LISTING,
        renter: RENTER,
        renter_token: RENTER_USDC,
        payout: PAYOUT,
        hours: 10,
        start_ts: now - 5_400,
        price_micro_usd_per_hour: 2_500_000,
        cost_micro_usd: 25_000_000,
        io_price_micro_usd: 0,
        principal: 25_000_000,
        deposit: 25_562_500,
        reservation_fee_bps: 25,
        payment_fee_bps: 200,
        settled_hours: 0,
        supplier_paid: 0,
        fees_paid: 0,
        refund_owed: 0,
        _reserved: [0; 56],
    };
    serialize(&r, Reservation::SPACE)
}

type Account = (Pubkey, Pubkey, bool, bool, bool, Vec<u8>);

pub fn build(case: &str, now: i64) -> Case {
    match case {
        "reservations_settle" => {
            let program = |key| (key, bpf_loader_upgradeable::ID, false, false, true, vec![]);
            let accounts: Vec<Account> = vec![
                (
                    CONFIG_ADDRESS,
                    reservations::ID,
                    false,
                    true,
                    false,
                    config(),
                ),
                (
                    RESERVATION,
                    reservations::ID,
                    false,
                    true,
                    false,
                    reservation(now),
                ),
                (
                    LISTING,
                    reservations::ID,
                    false,
                    true,
                    false,
                    listing(RESERVATION),
                ),
                (NODE, staking::ID, false, true, false, vec![]),
                (
                    USDC_ESCROW,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(USDC_MINT, CONFIG_ADDRESS, 4_000 * USDC),
                ),
                (
                    PAYOUT,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(USDC_MINT, Pubkey::new_unique(), 0),
                ),
                (
                    USDC_FEES,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(USDC_MINT, revenue::CONFIG_ADDRESS, 0),
                ),
                (RENTER, system_program::ID, false, true, false, vec![]),
                (
                    staking::CONFIG_ADDRESS,
                    staking::ID,
                    false,
                    false,
                    false,
                    vec![],
                ),
                (
                    staking::LEDGER_ADDRESS,
                    staking::ID,
                    false,
                    true,
                    false,
                    vec![],
                ),
                (
                    Pubkey::find_program_address(&[b"__event_authority"], &staking::ID).0,
                    system_program::ID,
                    false,
                    false,
                    false,
                    vec![],
                ),
                program(staking::ID),
                program(spl_token::ID),
                (
                    Pubkey::find_program_address(&[b"__event_authority"], &reservations::ID).0,
                    system_program::ID,
                    false,
                    false,
                    false,
                    vec![],
                ),
                program(reservations::ID),
            ];
            Case {
                program: reservations::ID,
                accounts,
                data: reservations::instruction::Settle {}.data(),
            }
        }
        "reservations_reserve_usdc" | "reservations_reserve_io" => {
            let io = case.ends_with("_io");
            let program = |key| (key, bpf_loader_upgradeable::ID, false, false, true, vec![]);
            let reservation = Pubkey::find_program_address(
                &[Reservation::SEED, NODE.as_ref(), &5u64.to_le_bytes()],
                &reservations::ID,
            )
            .0;
            let mut node = vec![0u8; staking::Node::SPACE];
            node[..8].copy_from_slice(staking::Node::DISCRIMINATOR);
            let (renter_token, escrow) = if io {
                (
                    (
                        RENTER_IO,
                        spl_token::ID,
                        false,
                        true,
                        false,
                        token_account(reservations::IO_MINT, RENTER, 1_000 * IO),
                    ),
                    (
                        reservations::IO_ESCROW_ADDRESS,
                        spl_token::ID,
                        false,
                        true,
                        false,
                        token_account(reservations::IO_MINT, CONFIG_ADDRESS, 4_000 * IO),
                    ),
                )
            } else {
                (
                    (
                        RENTER_USDC,
                        spl_token::ID,
                        false,
                        true,
                        false,
                        token_account(USDC_MINT, RENTER, 1_000 * USDC),
                    ),
                    (
                        USDC_ESCROW,
                        spl_token::ID,
                        false,
                        true,
                        false,
                        token_account(USDC_MINT, CONFIG_ADDRESS, 4_000 * USDC),
                    ),
                )
            };
            let price =
                staking::price::PriceUpdateV2::full([1; 32], 250_000_000, 1_000_000, -8, now)
                    .encode();
            let accounts: Vec<Account> = vec![
                (RENTER, system_program::ID, true, true, false, vec![]),
                (
                    CONFIG_ADDRESS,
                    reservations::ID,
                    false,
                    true,
                    false,
                    config(),
                ),
                (
                    LISTING,
                    reservations::ID,
                    false,
                    true,
                    false,
                    listing(Pubkey::default()),
                ),
                (NODE, staking::ID, false, true, false, node),
                // Pre-funded (the case gives every account lamports): created by the
                // top-up / Allocate / Assign path, whose CPIs are stubbed.
                (reservation, system_program::ID, false, true, false, vec![]),
                renter_token,
                escrow,
                (
                    PRICE_FEED,
                    staking::PYTH_RECEIVER,
                    false,
                    false,
                    false,
                    price,
                ),
                (
                    staking::CONFIG_ADDRESS,
                    staking::ID,
                    false,
                    false,
                    false,
                    vec![],
                ),
                (
                    staking::LEDGER_ADDRESS,
                    staking::ID,
                    false,
                    true,
                    false,
                    vec![],
                ),
                (
                    Pubkey::find_program_address(&[b"__event_authority"], &staking::ID).0,
                    system_program::ID,
                    false,
                    false,
                    false,
                    vec![],
                ),
                program(staking::ID),
                program(spl_token::ID),
                program(system_program::ID),
                (
                    Pubkey::find_program_address(&[b"__event_authority"], &reservations::ID).0,
                    system_program::ID,
                    false,
                    false,
                    false,
                    vec![],
                ),
                program(reservations::ID),
            ];
            let currency = if io { Currency::Io } else { Currency::Usdc };
            Case {
                program: reservations::ID,
                accounts,
                data: reservations::instruction::Reserve {
                    hours: 10,
                    currency,
                    max_total: u64::MAX,
                }
                .data(),
            }
        }
        other => panic!("unknown case {other}"),
    }
}
