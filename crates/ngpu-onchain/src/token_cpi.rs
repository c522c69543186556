//! SPL Token `Transfer`, `Burn` and `MintTo` CPIs built directly: the same instruction as
//! `spl_token::instruction::*` (tested below), without anchor-spl's `CpiContext`, which clones
//! every account into two vectors and packs the data through a third. The hot instructions
//! (stake, claims, uptime reports) make one or two of these each.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::solana_program::program::invoke_signed;
use anchor_spl::token;

/// SPL Token instruction tags.
const TRANSFER: u8 = 3;
const MINT_TO: u8 = 7;
const BURN: u8 = 8;

fn data(tag: u8, amount: u64) -> Vec<u8> {
    let mut data = Vec::with_capacity(9);
    data.push(tag);
    data.extend_from_slice(&amount.to_le_bytes());
    data
}

/// The three instructions' common shape: two writable accounts, then the signing authority.
fn invoke<'info>(
    tag: u8,
    first: &AccountInfo<'info>,
    second: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    amount: u64,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let instruction = Instruction {
        program_id: token::ID,
        accounts: vec![
            AccountMeta::new(*first.key, false),
            AccountMeta::new(*second.key, false),
            AccountMeta::new_readonly(*authority.key, true),
        ],
        data: data(tag, amount),
    };
    invoke_signed(
        &instruction,
        &[first.clone(), second.clone(), authority.clone()],
        signer_seeds,
    )
    .map_err(Into::into)
}

/// `amount` from `from` to `to`, signed by `authority` (with `signer_seeds` when a PDA).
pub fn transfer<'info>(
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    amount: u64,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    invoke(TRANSFER, from, to, authority, amount, signer_seeds)
}

/// Burns `amount` of `mint` from `from`, signed by `authority`.
pub fn burn<'info>(
    from: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    amount: u64,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    invoke(BURN, from, mint, authority, amount, signer_seeds)
}

/// Mints `amount` of `mint` into `to`, signed by the mint `authority`.
pub fn mint_to<'info>(
    mint: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    amount: u64,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    invoke(MINT_TO, mint, to, authority, amount, signer_seeds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::token::spl_token::instruction as spl;

    #[test]
    fn the_data_is_spl_tokens_own_encoding() {
        let (a, b, c) = (
            Pubkey::new_unique(),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
        );
        let amount = 0x0102_0304_0506_0708;
        let transfer = spl::transfer(&token::ID, &a, &b, &c, &[], amount).unwrap();
        assert_eq!(transfer.data, data(TRANSFER, amount));
        let burn = spl::burn(&token::ID, &a, &b, &c, &[], amount).unwrap();
        assert_eq!(burn.data, data(BURN, amount));
        let mint_to = spl::mint_to(&token::ID, &a, &b, &c, &[], amount).unwrap();
        assert_eq!(mint_to.data, data(MINT_TO, amount));
        // The same accounts, in the same order, with the same flags.
        for ix in [&transfer, &burn, &mint_to] {
            let flags: Vec<(bool, bool)> = ix
                .accounts
                .iter()
                .map(|m| (m.is_writable, m.is_signer))
                .collect();
            assert_eq!(flags, vec![(true, false), (true, false), (false, true)]);
        }
    }
}
