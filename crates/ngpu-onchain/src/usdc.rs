//! The USDC mint check the revenue and reservations programs make at `initialize`.

use anchor_lang::prelude::*;
use anchor_spl::token;

/// Why a mint cannot be pinned as USDC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsdcMintFault {
    /// Not owned by the classic SPL Token program (a Token-2022 mint of the same layout, say).
    NotClassicToken,
    /// Not an initialised mint with `decimals` decimals.
    InvalidMint,
    /// A freeze authority other than none or USDC's own.
    FreezeAuthority,
}

/// Classic SPL Token, initialised, `decimals` decimals, freeze authority none or
/// `freeze_authority`; `fault` names the program's error for each refusal.
pub fn check_usdc_mint(
    mint: &AccountInfo,
    decimals: u8,
    freeze_authority: &Pubkey,
    fault: impl Fn(UsdcMintFault) -> Error,
) -> Result<()> {
    if *mint.owner != token::ID {
        return Err(fault(UsdcMintFault::NotClassicToken));
    }
    let data = mint.try_borrow_data()?;
    let state = token::Mint::try_deserialize(&mut &data[..])
        .map_err(|_| fault(UsdcMintFault::InvalidMint))?;
    if state.decimals != decimals {
        return Err(fault(UsdcMintFault::InvalidMint));
    }
    let freeze: Option<Pubkey> = state.freeze_authority.into();
    if freeze.is_some_and(|f| f != *freeze_authority) {
        return Err(fault(UsdcMintFault::FreezeAuthority));
    }
    Ok(())
}
