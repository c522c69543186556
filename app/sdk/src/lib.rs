//! NGPU client SDK: PDAs, instruction builders, account decoding, genesis and parameters files
//! and error names, shared by the tests, the CLI and the keeper so that account lists cannot
//! drift between them.

pub mod errors;
pub mod genesis;
pub mod ix;
pub mod params;
pub mod pda;
pub mod reservations;
pub mod revenue;

pub use anchor_lang::solana_program::instruction::Instruction;
pub use anchor_lang::solana_program::pubkey::Pubkey;

/// Decodes an Anchor account (discriminator checked) from raw account data.
pub fn decode_account<T: anchor_lang::AccountDeserialize>(data: &[u8]) -> anchor_lang::Result<T> {
    let mut slice = data;
    T::try_deserialize(&mut slice)
}
