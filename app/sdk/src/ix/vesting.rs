//! Builders for every `vesting` instruction.

use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::pubkey::Pubkey;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::token;
use vesting::{accounts, instruction, CreateScheduleArgs, PoolRule};

use crate::pda;

/// Pool ids of the four vesting allocations, in genesis order after the community account.
pub const SEED_INVESTORS_POOL: u8 = 0;
pub const SERIES_A_POOL: u8 = 1;
pub const CONTRIBUTORS_POOL: u8 = 2;
pub const ECOSYSTEM_POOL: u8 = 3;
/// The four pools with their rules (SPEC §2).
pub const POOLS: [(u8, PoolRule); 4] = [
    (SEED_INVESTORS_POOL, PoolRule::Investor),
    (SERIES_A_POOL, PoolRule::Investor),
    (CONTRIBUTORS_POOL, PoolRule::Contributor),
    (ECOSYSTEM_POOL, PoolRule::Contributor),
];

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: vesting::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

fn event_authority() -> Pubkey {
    pda::event_authority(&vesting::ID)
}

pub fn initialize(authority: Pubkey) -> Instruction {
    build(
        accounts::Initialize {
            authority,
            config: pda::vesting::config(),
            program_data: pda::program_data(&vesting::ID),
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::Initialize {},
    )
}

pub fn create_pool(authority: Pubkey, pool_id: u8, rule: PoolRule) -> Instruction {
    let pool = pda::vesting::pool(pool_id);
    build(
        accounts::CreatePool {
            authority,
            config: pda::vesting::config(),
            pool,
            pool_vault: pda::vesting::vault(&pool),
            io_mint: vesting::IO_MINT,
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::CreatePool { pool_id, rule },
    )
}

pub fn open_pool(authority: Pubkey, pool_id: u8) -> Instruction {
    let pool = pda::vesting::pool(pool_id);
    build(
        accounts::OpenPool {
            authority,
            config: pda::vesting::config(),
            pool,
            pool_vault: pda::vesting::vault(&pool),
            io_token_config: pda::io_token::config(),
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::OpenPool {},
    )
}

/// `create_schedule` for the pool's next schedule id (`schedule_id` = the pool's
/// `schedule_count`, read from the chain by the caller).
pub fn create_schedule(
    authority: Pubkey,
    pool_id: u8,
    schedule_id: u64,
    args: CreateScheduleArgs,
) -> Instruction {
    let pool = pda::vesting::pool(pool_id);
    let schedule = pda::vesting::schedule(&pool, schedule_id);
    build(
        accounts::CreateSchedule {
            authority,
            config: pda::vesting::config(),
            pool,
            pool_vault: pda::vesting::vault(&pool),
            schedule,
            schedule_vault: pda::vesting::vault(&schedule),
            io_mint: vesting::IO_MINT,
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::CreateSchedule { args },
    )
}

/// `claim` of schedule `schedule_id` of pool `pool_id` into `destination` (the beneficiary's
/// IO account); any key may pay for it.
pub fn claim(pool_id: u8, schedule_id: u64, destination: Pubkey) -> Instruction {
    let pool = pda::vesting::pool(pool_id);
    let schedule = pda::vesting::schedule(&pool, schedule_id);
    build(
        accounts::Claim {
            schedule,
            pool,
            schedule_vault: pda::vesting::vault(&schedule),
            destination,
            token_program: token::ID,
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::Claim {},
    )
}

pub fn change_beneficiary(
    beneficiary: Pubkey,
    pool_id: u8,
    schedule_id: u64,
    new_beneficiary: Pubkey,
) -> Instruction {
    let pool = pda::vesting::pool(pool_id);
    build(
        accounts::ChangeBeneficiary {
            beneficiary,
            schedule: pda::vesting::schedule(&pool, schedule_id),
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::ChangeBeneficiary { new_beneficiary },
    )
}

/// `revoke` of a revocable schedule: needs no account of the beneficiary's.
pub fn revoke(authority: Pubkey, pool_id: u8, schedule_id: u64) -> Instruction {
    let pool = pda::vesting::pool(pool_id);
    let schedule = pda::vesting::schedule(&pool, schedule_id);
    build(
        accounts::Revoke {
            authority,
            config: pda::vesting::config(),
            schedule,
            pool,
            schedule_vault: pda::vesting::vault(&schedule),
            pool_vault: pda::vesting::vault(&pool),
            token_program: token::ID,
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::Revoke {},
    )
}

/// `close_schedule` of a settled schedule; `rent_payer` is the schedule's stored `rent_payer`
/// (read from the chain by the caller). Any key may pay for it.
pub fn close_schedule(pool_id: u8, schedule_id: u64, rent_payer: Pubkey) -> Instruction {
    let pool = pda::vesting::pool(pool_id);
    let schedule = pda::vesting::schedule(&pool, schedule_id);
    build(
        accounts::CloseSchedule {
            schedule,
            pool,
            schedule_vault: pda::vesting::vault(&schedule),
            pool_vault: pda::vesting::vault(&pool),
            rent_payer,
            token_program: token::ID,
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::CloseSchedule {},
    )
}

/// `sweep` of the pool vault's surplus, and of schedule `schedule_id`'s vault if given.
/// Any key may pay for it.
pub fn sweep(pool_id: u8, schedule_id: Option<u64>) -> Instruction {
    let pool = pda::vesting::pool(pool_id);
    let schedule = schedule_id.map(|id| pda::vesting::schedule(&pool, id));
    build(
        accounts::Sweep {
            pool,
            pool_vault: pda::vesting::vault(&pool),
            schedule,
            schedule_vault: schedule.map(|s| pda::vesting::vault(&s)),
            token_program: token::ID,
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::Sweep {},
    )
}

pub fn set_paused(authority: Pubkey, paused: bool) -> Instruction {
    build(
        accounts::SetPaused {
            authority,
            config: pda::vesting::config(),
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::SetPaused { paused },
    )
}

pub fn propose_authority(authority: Pubkey, new_authority: Pubkey) -> Instruction {
    build(
        accounts::ProposeAuthority {
            authority,
            config: pda::vesting::config(),
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::ProposeAuthority { new_authority },
    )
}

pub fn accept_authority(new_authority: Pubkey) -> Instruction {
    build(
        accounts::AcceptAuthority {
            new_authority,
            config: pda::vesting::config(),
            event_authority: event_authority(),
            program: vesting::ID,
        },
        instruction::AcceptAuthority {},
    )
}
