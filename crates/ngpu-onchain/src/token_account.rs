//! SPL Token accounts read in place (mint, owner, amount at their fixed offsets), instead of
//! Anchor's `Account<TokenAccount>`: no unpack of all 165 bytes, no exit, and no duplicate-account
//! `HashSet` on the hot paths. SPL Token checks every account again in its CPIs. Each program maps
//! `None` to its own named error.

use anchor_lang::prelude::*;
use anchor_spl::token;

/// Bytes of an SPL Token account.
pub const LEN: usize = 165;
/// Offset of `AccountState`: 0 uninitialised, 1 initialised, 2 frozen.
const STATE: usize = 108;

/// The fields a handler checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenFields {
    pub mint: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
}

/// An initialised (or frozen) classic SPL Token account's fields; `None` when `info` is not one.
/// Errs only when its data is already borrowed.
pub fn read(info: &AccountInfo) -> Result<Option<TokenFields>> {
    if *info.owner != token::ID {
        return Ok(None);
    }
    let data = info.try_borrow_data()?;
    if data.len() != LEN || data.get(STATE).is_none_or(|s| *s == 0) {
        return Ok(None);
    }
    let key = |at: usize| {
        data.get(at..at.saturating_add(32))
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .map(Pubkey::new_from_array)
    };
    let amount = data
        .get(64..72)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes);
    Ok(match (key(0), key(32), amount) {
        (Some(mint), Some(owner), Some(amount)) => Some(TokenFields {
            mint,
            owner,
            amount,
        }),
        _ => None,
    })
}

/// Whether a transfer of `mint` into `info` can succeed now: a classic SPL Token account of
/// `mint`, initialised and not frozen.
pub fn usable(info: &AccountInfo, mint: &Pubkey) -> bool {
    if *info.owner != token::ID {
        return false;
    }
    let Ok(data) = info.try_borrow_data() else {
        return false;
    };
    data.len() == LEN && data.get(..32) == Some(mint.as_ref()) && data.get(STATE) == Some(&1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::solana_program::program_pack::Pack;
    use anchor_spl::token::spl_token::state::{Account, AccountState};

    #[test]
    fn offsets_match_spl_token() {
        let (mint, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
        for (state, fields, usable_now) in [
            (AccountState::Initialized, true, true),
            (AccountState::Frozen, true, false),
            (AccountState::Uninitialized, false, false),
        ] {
            let mut data = vec![0u8; Account::LEN];
            Account {
                mint,
                owner,
                amount: 123_456_789,
                state,
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
            let expected = fields.then_some(TokenFields {
                mint,
                owner,
                amount: 123_456_789,
            });
            assert_eq!(read(&info).unwrap(), expected);
            assert_eq!(usable(&info, &mint), usable_now);
            assert!(!usable(&info, &owner), "another mint");
        }
        assert_eq!(Account::LEN, LEN);
    }
}
