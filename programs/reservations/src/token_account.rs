//! SPL Token accounts read in place (`ngpu_onchain::token_account`), with this program's error:
//! the handlers check each account against the config or the reservation by key.

use anchor_lang::prelude::*;

use crate::errors::ReservationsError;

pub use ngpu_onchain::token_account::usable;
pub use ngpu_onchain::token_account::TokenFields;

/// An initialised (or frozen) classic SPL Token account, else `InvalidTokenAccount`.
pub fn read(info: &AccountInfo) -> Result<TokenFields> {
    ngpu_onchain::token_account::read(info)?
        .ok_or_else(|| error!(ReservationsError::InvalidTokenAccount))
}
