//! In-memory account sets for the staking cases: a config, the history ring, one earning node
//! with two positions' worth of stake, its vaults, the IO mint and a fresh Pyth price.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::{bpf_loader_upgradeable, system_program};
use anchor_lang::{AccountSerialize, Discriminator, InstructionData};
use anchor_spl::token::spl_token;
use ngpu_math::staking::{ACC_SCALE, INDEX_SCALE};
use solana_program_pack::Pack;
use staking::{
    Config, HourLedger, Ledger, LedgerState, Node, NodeState, RewardHistory, StakePosition,
    MAX_ORACLES,
};

use crate::Case;

const IO: u64 = 100_000_000;
const ORACLES: [Pubkey; 2] = [
    Pubkey::new_from_array([21; 32]),
    Pubkey::new_from_array([22; 32]),
];
const HISTORY: Pubkey = Pubkey::new_from_array([23; 32]);
const LEDGER: Pubkey = staking::LEDGER_ADDRESS;
/// The IO/USD feed id pinned in the config and carried by the price account.
const FEED_ID: [u8; 32] = [1; 32];
const PRICE_FEED: Pubkey = Pubkey::new_from_array([24; 32]);
const NODE: Pubkey = Pubkey::new_from_array([25; 32]);
const NODE_VAULT: Pubkey = Pubkey::new_from_array([26; 32]);
const CRANKER: Pubkey = Pubkey::new_from_array([27; 32]);
const SUPPLIER: Pubkey = Pubkey::new_from_array([30; 32]);
const STAKER: Pubkey = Pubkey::new_from_array([31; 32]);
const STAKER_TOKENS: Pubkey = Pubkey::new_from_array([32; 32]);

fn pda(seeds: &[&[u8]]) -> (Pubkey, u8) {
    Pubkey::find_program_address(seeds, &staking::ID)
}

fn serialize<T: AccountSerialize>(value: &T, space: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(space);
    value.try_serialize(&mut data).expect("serialize");
    data.resize(space, 0);
    data
}

fn token_account(owner: Pubkey, amount: u64) -> Vec<u8> {
    let mut data = vec![0u8; spl_token::state::Account::LEN];
    spl_token::state::Account {
        mint: staking::IO_MINT,
        owner,
        amount,
        state: spl_token::state::AccountState::Initialized,
        ..Default::default()
    }
    .pack_into_slice(&mut data);
    data
}

/// The IO mint after genesis (io-token's mint authority PDA, no freeze authority).
pub fn mint() -> Vec<u8> {
    let mut data = vec![0u8; spl_token::state::Mint::LEN];
    spl_token::state::Mint {
        mint_authority: Some(io_token::MINT_AUTHORITY_ADDRESS).into(),
        supply: io_token::constants::GENESIS_SUPPLY,
        decimals: 8,
        is_initialized: true,
        freeze_authority: None.into(),
    }
    .pack_into_slice(&mut data);
    data
}

/// The staking config, genesis at `genesis_ts`.
fn config(genesis_ts: i64) -> (Pubkey, Vec<u8>) {
    let (key, bump) = pda(&[Config::SEED]);
    let (_, emission_bump) = pda(&[staking::EMISSION_AUTHORITY_SEED]);
    let mut oracles = [Pubkey::default(); MAX_ORACLES];
    oracles[..2].copy_from_slice(&ORACLES);
    let config = Config {
        version: 1,
        bump,
        emission_authority_bump: emission_bump,
        reward_vault_bump: 255,
        paused: false,
        authority: Pubkey::new_unique(),
        pending_authority: Pubkey::default(),
        oracles,
        oracle_count: 2,
        oracle_quorum: 2,
        price_feed: PRICE_FEED,
        price_feed_id: FEED_ID,
        reward_vault: reward_vault(),
        max_price_age_secs: 120,
        max_confidence_bps: 200,
        max_stake_boost_bps: 5_000,
        min_stake: 100 * IO,
        lock_secs: 7 * 86_400,
        cooldown_secs: 7 * 86_400,
        reconnect_secs: 12 * 3_600,
        hire_authority: Pubkey::new_unique(),
        node_count: 1,
        history: HISTORY,
        escrow_vault: Pubkey::new_unique(),
        escrow_vault_bump: 255,
        offline_threshold_bps: 5_000,
        appeal_secs: 30 * 86_400,
        genesis_ts,
        ledger: LEDGER,
        _reserved: [0; 128],
    };
    (key, serialize(&config, Config::SPACE))
}

fn reward_vault() -> Pubkey {
    staking::REWARD_VAULT_ADDRESS
}

/// The ring with `delta` recorded for every hour.
fn history(delta: u128) -> Vec<u8> {
    let mut data = vec![0u8; RewardHistory::SPACE];
    data[..8].copy_from_slice(RewardHistory::DISCRIMINATOR);
    for slot in data[8..].chunks_exact_mut(16) {
        slot.copy_from_slice(&delta.to_le_bytes());
    }
    data
}

/// The hour-exact ledger from hour 0 with readings of `delta` per hour for `hours` hours and
/// no pending change (the crank case holds room for the hours it writes, so it does not grow),
/// cranked up to `next_hour` with one earning node of `weight`.
fn ledger(delta: u128, hours: u64, next_hour: u64, weight: u64) -> Vec<u8> {
    let mut data = vec![0u8; HourLedger::SPACE + 16 * hours as usize];
    HourLedger::init(&mut data, 0).expect("ledger");
    for (hour, slot) in data[HourLedger::SPACE..].chunks_exact_mut(16).enumerate() {
        let acc = delta * (hour as u128 + 1);
        slot.copy_from_slice(&acc.to_le_bytes());
    }
    Ledger::from_bytes(&mut data[..])
        .expect("ledger")
        .set_state(&LedgerState {
            next_hour,
            total_weight: weight,
            reward_per_weight: delta * u128::from(next_hour),
            ..LedgerState::default()
        });
    data
}

/// A node staked 200 IO (two positions), weight `weight` since hour 0, with rewards settled
/// up to `reward_per_weight_paid` and something unclaimed.
fn node(weight: u128, reward_per_weight_paid: u128) -> Vec<u8> {
    let node = Node {
        version: 1,
        bump: 255,
        vault_bump: 255,
        state: NodeState::Committed,
        modifiers_bps: [0; 4],
        supplier: SUPPLIER,
        device_class: Pubkey::new_unique(),
        vault: NODE_VAULT,
        node_id: 1,
        eligible_from: 0,
        capex_micro_usd: 13_140_000_000,
        max_stake: 2_000 * IO,
        weight,
        reward_per_weight_paid,
        schedule_hours: [0; 8],
        schedule_weights: [u64::try_from(weight).expect("weight"), 0, 0, 0, 0, 0, 0, 0],
        schedule_len: 1,
        reward_epoch: 0,
        reward_per_share_written_off: 0,
        stake_index: INDEX_SCALE,
        active_shares: u128::from(200 * IO),
        cooldown_shares: 0,
        reward_per_share: 0,
        reward_index: INDEX_SCALE,
        staker_units: 0,
        supplier_unclaimed: 10_000_000,
        supplier_debt: 0,
        burn_pending: 0,
        total_rewarded: 0,
        weight_log_hours: [0, 0, 0, 0],
        weight_log_weights: [0, 0, 0, u64::try_from(weight).expect("weight")],
        uptime_reported_until: 0,
        slash_count: 0,
        pending_slashes: 0,
        rewards_cut: 0,
        stake_slashed: 0,
        open_positions: 2,
        _reserved: [0; 60],
    };
    serialize(&node, Node::SPACE)
}

/// The staker's position: 100 IO of the node's 200, one deposit locked, settled at index 0.
fn position() -> (Pubkey, Vec<u8>) {
    let (key, bump) = pda(&[StakePosition::SEED, NODE.as_ref(), STAKER.as_ref()]);
    let mut lock_shares = [0u128; ngpu_math::lots::LOTS];
    let mut lock_until = [0i64; ngpu_math::lots::LOTS];
    lock_shares[0] = u128::from(100 * IO);
    lock_until[0] = 7 * 86_400;
    let position = StakePosition {
        version: 1,
        bump,
        node: NODE,
        staker: STAKER,
        shares: u128::from(100 * IO),
        cooldown_shares: 0,
        lock_shares,
        lock_until,
        cooldown_lot_shares: [0; ngpu_math::lots::LOTS],
        cooldown_lot_until: [0; ngpu_math::lots::LOTS],
        reward_per_share_paid: 0,
        owed_units: 0,
        reward_epoch: 0,
        _reserved: [0; 60],
    };
    (key, serialize(&position, StakePosition::SPACE))
}

fn program(id: Pubkey) -> (Pubkey, Pubkey, bool, bool, bool, Vec<u8>) {
    (id, bpf_loader_upgradeable::ID, false, false, true, vec![])
}

fn event_accounts() -> [(Pubkey, Pubkey, bool, bool, bool, Vec<u8>); 2] {
    [
        (
            pda(&[b"__event_authority"]).0,
            system_program::ID,
            false,
            false,
            false,
            vec![],
        ),
        (
            staking::ID,
            bpf_loader_upgradeable::ID,
            false,
            false,
            true,
            vec![],
        ),
    ]
}

pub fn build(case: &str, now: i64) -> Case {
    // One node of $1.0263/h at $2.50: each hour pays it 41,052,000 base units.
    let weight: u128 = 1_026_300;
    let delta = 41_052_000 * ACC_SCALE / weight;
    match case {
        "report_uptime_partial" | "report_uptime_offline" => {
            let uptime = if case == "report_uptime_offline" {
                0
            } else {
                7_500
            };
            let (config_key, config) = config(now - 2 * 3_600 - 1_800);
            let mut accounts = vec![
                (config_key, staking::ID, false, false, false, config),
                (
                    LEDGER,
                    staking::ID,
                    false,
                    true,
                    false,
                    ledger(delta, 2, 2, weight as u64),
                ),
                (HISTORY, staking::ID, false, false, false, history(delta)),
                (NODE, staking::ID, false, true, false, node(weight, delta)),
                (
                    NODE_VAULT,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(NODE, 200 * IO),
                ),
                (
                    reward_vault(),
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(config_key, 100 * IO),
                ),
                (staking::IO_MINT, spl_token::ID, false, true, false, mint()),
                (
                    spl_token::ID,
                    bpf_loader_upgradeable::ID,
                    false,
                    false,
                    true,
                    vec![],
                ),
            ];
            accounts.extend(event_accounts());
            for oracle in ORACLES {
                accounts.push((oracle, system_program::ID, true, false, false, vec![]));
            }
            Case {
                program: staking::ID,
                accounts,
                data: staking::instruction::ReportUptime {
                    hour: 1,
                    uptime_bps: uptime,
                }
                .data(),
            }
        }
        "crank_hour_1" | "crank_hour_24" => {
            let hours: u8 = if case == "crank_hour_1" { 1 } else { 24 };
            let (config_key, config) = config(now - 25 * 3_600);
            let price =
                staking::price::PriceUpdateV2::full(FEED_ID, 250_000_000, 0, -8, now).encode();
            let mut accounts = vec![
                (CRANKER, system_program::ID, true, true, false, vec![]),
                (config_key, staking::ID, false, false, false, config),
                (HISTORY, staking::ID, false, true, false, history(0)),
                (
                    LEDGER,
                    staking::ID,
                    false,
                    true,
                    false,
                    ledger(0, 24, 0, weight as u64),
                ),
                (
                    PRICE_FEED,
                    staking::PYTH_RECEIVER,
                    false,
                    false,
                    false,
                    price,
                ),
                (
                    pda(&[staking::EMISSION_AUTHORITY_SEED]).0,
                    system_program::ID,
                    false,
                    false,
                    false,
                    vec![],
                ),
                (
                    io_token::CONFIG_ADDRESS,
                    io_token::ID,
                    false,
                    true,
                    false,
                    crate::config_bytes(now - 25 * 3_600),
                ),
                (staking::IO_MINT, spl_token::ID, false, true, false, mint()),
                (
                    io_token::MINT_AUTHORITY_ADDRESS,
                    system_program::ID,
                    false,
                    false,
                    false,
                    vec![],
                ),
                (
                    reward_vault(),
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(config_key, 0),
                ),
                (
                    Pubkey::find_program_address(&[b"__event_authority"], &io_token::ID).0,
                    system_program::ID,
                    false,
                    false,
                    false,
                    vec![],
                ),
                (
                    io_token::ID,
                    bpf_loader_upgradeable::ID,
                    false,
                    false,
                    true,
                    vec![],
                ),
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
            ];
            accounts.extend(event_accounts());
            Case {
                program: staking::ID,
                accounts,
                data: staking::instruction::CrankHour {
                    first_hour: 0,
                    hours,
                }
                .data(),
            }
        }
        // A top-up of an existing position (the first stake also creates the position: + the
        // system CPI and one PDA derivation).
        "stake" => {
            let (config_key, config) = config(now - 2 * 3_600 - 1_800);
            let (position_key, position) = position();
            let mut accounts = vec![
                (STAKER, system_program::ID, true, true, false, vec![]),
                (config_key, staking::ID, false, false, false, config),
                (
                    LEDGER,
                    staking::ID,
                    false,
                    true,
                    false,
                    ledger(delta, 2, 2, weight as u64),
                ),
                (NODE, staking::ID, false, true, false, node(weight, delta)),
                (
                    NODE_VAULT,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(NODE, 200 * IO),
                ),
                (position_key, staking::ID, false, true, false, position),
                (
                    STAKER_TOKENS,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(STAKER, 1_000 * IO),
                ),
                program(spl_token::ID),
                program(system_program::ID),
            ];
            accounts.extend(event_accounts());
            Case {
                program: staking::ID,
                accounts,
                data: staking::instruction::Stake { amount: 50 * IO }.data(),
            }
        }
        "claim_stake_rewards" => {
            let (config_key, config) = config(now - 2 * 3_600 - 1_800);
            let (position_key, position) = position();
            let mut accounts = vec![
                (STAKER, system_program::ID, true, false, false, vec![]),
                (config_key, staking::ID, false, false, false, config),
                (
                    LEDGER,
                    staking::ID,
                    false,
                    false,
                    false,
                    ledger(delta, 2, 2, weight as u64),
                ),
                (NODE, staking::ID, false, true, false, node(weight, delta)),
                (position_key, staking::ID, false, true, false, position),
                (
                    reward_vault(),
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(config_key, 100 * IO),
                ),
                (
                    STAKER_TOKENS,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(STAKER, 0),
                ),
                program(spl_token::ID),
            ];
            accounts.extend(event_accounts());
            Case {
                program: staking::ID,
                accounts,
                data: staking::instruction::ClaimStakeRewards {}.data(),
            }
        }
        "claim_node_rewards" => {
            let (config_key, config) = config(now - 2 * 3_600 - 1_800);
            let mut accounts = vec![
                (SUPPLIER, system_program::ID, true, false, false, vec![]),
                (config_key, staking::ID, false, false, false, config),
                (
                    LEDGER,
                    staking::ID,
                    false,
                    true,
                    false,
                    ledger(delta, 2, 2, weight as u64),
                ),
                (NODE, staking::ID, false, true, false, node(weight, delta)),
                (
                    reward_vault(),
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(config_key, 100 * IO),
                ),
                (
                    STAKER_TOKENS,
                    spl_token::ID,
                    false,
                    true,
                    false,
                    token_account(SUPPLIER, 0),
                ),
                (staking::IO_MINT, spl_token::ID, false, true, false, mint()),
                program(spl_token::ID),
            ];
            accounts.extend(event_accounts());
            Case {
                program: staking::ID,
                accounts,
                data: staking::instruction::ClaimNodeRewards {}.data(),
            }
        }
        other => panic!("unknown case {other}"),
    }
}
