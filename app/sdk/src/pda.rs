//! Every PDA of the suite, derived from the programs' own seed constants.

use ::io_token::state::{Config as IoTokenConfig, IO_MINT_SEED, MINT_AUTHORITY_SEED};
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_lang::solana_program::pubkey::Pubkey;

/// Anchor's `#[event_cpi]` signer PDA of a program.
pub fn event_authority(program_id: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[b"__event_authority"], program_id).0
}

/// The ProgramData account of an upgradeable program (holds its upgrade authority).
pub fn program_data(program_id: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[program_id.as_ref()], &bpf_loader_upgradeable::ID).0
}

pub mod io_token {
    use super::*;

    pub fn config() -> Pubkey {
        Pubkey::find_program_address(&[IoTokenConfig::SEED], &::io_token::ID).0
    }

    pub fn io_mint() -> Pubkey {
        Pubkey::find_program_address(&[IO_MINT_SEED], &::io_token::ID).0
    }

    pub fn mint_authority() -> Pubkey {
        Pubkey::find_program_address(&[MINT_AUTHORITY_SEED], &::io_token::ID).0
    }
}
