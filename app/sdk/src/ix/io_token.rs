//! Builders for every `io-token` instruction.

use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::pubkey::Pubkey;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::token;
use io_token::constants::GENESIS_ALLOCATIONS;
use io_token::{accounts, instruction, GenesisArgs, MintEmissionArgs};

use crate::pda;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: io_token::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

fn event_authority() -> Pubkey {
    pda::event_authority(&io_token::ID)
}

/// `initialize`, signed by the program's upgrade authority.
pub fn initialize(authority: Pubkey) -> Instruction {
    build(
        accounts::Initialize {
            authority,
            config: pda::io_token::config(),
            io_mint: pda::io_token::io_mint(),
            mint_authority: pda::io_token::mint_authority(),
            program_data: pda::program_data(&io_token::ID),
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: io_token::ID,
        },
        instruction::Initialize {},
    )
}

/// `genesis`: `destinations` are the five allocation token accounts in genesis-file order
/// (community, seed investors, series A investors, contributors, R&D / ecosystem).
pub fn genesis(
    authority: Pubkey,
    destinations: [Pubkey; GENESIS_ALLOCATIONS],
    amounts: [u64; GENESIS_ALLOCATIONS],
) -> Instruction {
    let [community, seed_investors, series_a_investors, contributors, ecosystem] = destinations;
    build(
        accounts::Genesis {
            authority,
            config: pda::io_token::config(),
            io_mint: pda::io_token::io_mint(),
            mint_authority: pda::io_token::mint_authority(),
            community,
            seed_investors,
            series_a_investors,
            contributors,
            ecosystem,
            token_program: token::ID,
            event_authority: event_authority(),
            program: io_token::ID,
        },
        instruction::Genesis {
            args: GenesisArgs { amounts },
        },
    )
}

/// `mint_emission` for hours `first_hour..first_hour + amounts.len()`.
pub fn mint_emission(
    emission_controller: Pubkey,
    emission_destination: Pubkey,
    first_hour: u64,
    amounts: Vec<u64>,
) -> Instruction {
    build(
        accounts::MintEmission {
            emission_controller,
            config: pda::io_token::config(),
            io_mint: pda::io_token::io_mint(),
            mint_authority: pda::io_token::mint_authority(),
            emission_destination,
            token_program: token::ID,
            event_authority: event_authority(),
            program: io_token::ID,
        },
        instruction::MintEmission {
            args: MintEmissionArgs {
                first_hour,
                amounts,
            },
        },
    )
}

pub fn set_emission_controller(
    authority: Pubkey,
    controller: Pubkey,
    emission_destination: Pubkey,
) -> Instruction {
    build(
        accounts::SetEmissionController {
            authority,
            config: pda::io_token::config(),
            io_mint: pda::io_token::io_mint(),
            emission_destination,
            event_authority: event_authority(),
            program: io_token::ID,
        },
        instruction::SetEmissionController { controller },
    )
}

/// `lock_emission_controller`: fixes the current controller and destination for good.
pub fn lock_emission_controller(authority: Pubkey) -> Instruction {
    build(
        accounts::LockEmissionController {
            authority,
            config: pda::io_token::config(),
            event_authority: event_authority(),
            program: io_token::ID,
        },
        instruction::LockEmissionController {},
    )
}

pub fn set_max_hours_per_call(authority: Pubkey, hours: u8) -> Instruction {
    build(
        accounts::SetMaxHoursPerCall {
            authority,
            config: pda::io_token::config(),
            event_authority: event_authority(),
            program: io_token::ID,
        },
        instruction::SetMaxHoursPerCall { hours },
    )
}

pub fn set_paused(authority: Pubkey, paused: bool) -> Instruction {
    build(
        accounts::SetPaused {
            authority,
            config: pda::io_token::config(),
            event_authority: event_authority(),
            program: io_token::ID,
        },
        instruction::SetPaused { paused },
    )
}

pub fn propose_authority(authority: Pubkey, new_authority: Pubkey) -> Instruction {
    build(
        accounts::ProposeAuthority {
            authority,
            config: pda::io_token::config(),
            event_authority: event_authority(),
            program: io_token::ID,
        },
        instruction::ProposeAuthority { new_authority },
    )
}

pub fn accept_authority(new_authority: Pubkey) -> Instruction {
    build(
        accounts::AcceptAuthority {
            new_authority,
            config: pda::io_token::config(),
            event_authority: event_authority(),
            program: io_token::ID,
        },
        instruction::AcceptAuthority {},
    )
}
