//! SPL Token accounts read in place (mint, owner, amount at their fixed offsets), instead of
//! Anchor's `Account<TokenAccount>`: no unpack of all 165 bytes and no exit. The handlers check
//! each account against the config or the reservation by key; SPL Token checks them again in
//! its Transfer CPIs.

use anchor_lang::prelude::*;
use anchor_spl::token;

use crate::errors::ReservationsError;

/// Bytes of an SPL Token account.
const LEN: usize = 165;

/// The fields a handler checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenFields {
    pub mint: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
}

/// An initialised (or frozen) classic SPL Token account, else `InvalidTokenAccount`.
pub fn read(info: &AccountInfo) -> Result<TokenFields> {
    require_keys_eq!(
        *info.owner,
        token::ID,
        ReservationsError::InvalidTokenAccount
    );
    let data = info.try_borrow_data()?;
    require_eq!(data.len(), LEN, ReservationsError::InvalidTokenAccount);
    let key = |at: usize| -> Result<Pubkey> {
        data.get(at..at.saturating_add(32))
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .map(Pubkey::new_from_array)
            .ok_or_else(|| error!(ReservationsError::InvalidTokenAccount))
    };
    let amount = data
        .get(64..72)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes)
        .ok_or_else(|| error!(ReservationsError::InvalidTokenAccount))?;
    // AccountState: 0 uninitialised, 1 initialised, 2 frozen.
    require!(
        data.get(108).is_some_and(|s| *s != 0),
        ReservationsError::InvalidTokenAccount
    );
    Ok(TokenFields {
        mint: key(0)?,
        owner: key(32)?,
        amount,
    })
}

/// Whether a transfer of `mint` into `info` can succeed now: a classic SPL Token account of
/// `mint`, initialised and not frozen. A payout account failing this (closed by its owner,
/// frozen by the mint's freeze authority) must never block a settlement: its amount is credited
/// to the listing's `owed` balance instead.
pub fn usable(info: &AccountInfo, mint: &Pubkey) -> bool {
    if *info.owner != token::ID {
        return false;
    }
    let Ok(data) = info.try_borrow_data() else {
        return false;
    };
    data.len() == LEN && data.get(..32) == Some(mint.as_ref()) && data.get(108) == Some(&1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::solana_program::program_pack::Pack;
    use anchor_spl::token::spl_token::state::{Account, AccountState};

    #[test]
    fn offsets_match_spl_token() {
        let (mint, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
        let mut data = vec![0u8; Account::LEN];
        Account {
            mint,
            owner,
            amount: 123_456_789,
            state: AccountState::Initialized,
            ..Default::default()
        }
        .pack_into_slice(&mut data);
        let key = Pubkey::new_unique();
        let mut lamports = 0;
        let info = AccountInfo::new(
            &key,
            false,
            false,
            &mut lamports,
            &mut data,
            &token::ID,
            false,
        );
        assert_eq!(
            read(&info).unwrap(),
            TokenFields {
                mint,
                owner,
                amount: 123_456_789
            }
        );
        assert_eq!(Account::LEN, LEN);
    }
}
