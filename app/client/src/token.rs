//! Associated token accounts: derived, and created (idempotently) when missing, so that users
//! never have to pass token-account addresses.

use anchor_spl::associated_token::{get_associated_token_address, spl_associated_token_account};
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;

use crate::error::Error;
use crate::send::Client;

/// The classic SPL Token associated account of `owner` for `mint`.
pub fn ata(owner: &Pubkey, mint: &Pubkey) -> Pubkey {
    get_associated_token_address(owner, mint)
}

/// The idempotent "create associated token account" instruction (payer funds the rent).
pub fn create_ata_idempotent(payer: &Pubkey, owner: &Pubkey, mint: &Pubkey) -> Instruction {
    spl_associated_token_account::instruction::create_associated_token_account_idempotent(
        payer,
        owner,
        mint,
        &anchor_spl::token::ID,
    )
}

/// The IO mint (an io-token PDA).
pub fn io_mint() -> Pubkey {
    ngpu_sdk::pda::io_token::io_mint()
}

impl Client {
    /// `explicit` if given, else `owner`'s associated account for `mint`; when that one does not
    /// exist yet and `create` is set, the idempotent create instruction is pushed on `prelude`
    /// (to run before the command's instruction, paid by the fee payer).
    pub fn token_account(
        &self,
        explicit: Option<&str>,
        owner: &Pubkey,
        mint: &Pubkey,
        create: bool,
        prelude: &mut Vec<Instruction>,
    ) -> Result<Pubkey, Error> {
        if let Some(text) = explicit {
            return text
                .parse()
                .map_err(|e| Error::Input(format!("token account `{text}`: {e}")));
        }
        let address = ata(owner, mint);
        if create && !self.exists(&address)? {
            prelude.push(create_ata_idempotent(&self.payer(), owner, mint));
        }
        Ok(address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ata_is_the_spl_derivation() {
        let (owner, mint) = (Pubkey::new_unique(), Pubkey::new_unique());
        let (expected, _) = Pubkey::find_program_address(
            &[
                owner.as_ref(),
                anchor_spl::token::ID.as_ref(),
                mint.as_ref(),
            ],
            &anchor_spl::associated_token::ID,
        );
        assert_eq!(ata(&owner, &mint), expected);
        let payer = Pubkey::new_unique();
        let ix = create_ata_idempotent(&payer, &owner, &mint);
        assert_eq!(ix.program_id, anchor_spl::associated_token::ID);
        assert_eq!(ix.data, vec![1]); // CreateIdempotent
        assert_eq!(ix.accounts[1].pubkey, expected);
    }
}
