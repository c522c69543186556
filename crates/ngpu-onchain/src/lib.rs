//! Program-side helpers shared by the NGPU programs.
//!
//! [`pyth`]: the IO/USD price from a Pyth PriceUpdateV2 account, checked (owner, verification,
//! feed id, sign, staleness, confidence), with both sides of its confidence band.
//!
//! Creating PDA accounts so that pre-funding the address cannot block us (RELIABILITY.md S18).
//!
//! Anchor 1.2.2 `init` on an address that already holds lamports sends
//! `CreateAccountAllowPrefund`, which the current system program rejects: anyone could block a
//! predictable PDA for 0.0009 SOL. Here a funded but empty system account is topped up to
//! rent-exemption, then allocated and assigned, which the system program accepts.

#![deny(clippy::arithmetic_side_effects)]

pub mod pyth;
pub mod token_account;
pub mod token_cpi;
pub mod usdc;

use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Allocate, Assign, CreateAccount, Transfer};

use anchor_spl::token;

/// Creates `target` (a PDA of the calling program, signed by `signer_seeds`) with `space` bytes
/// owned by `owner`, whether or not someone sent lamports to the address beforehand. Fails with
/// `AccountAlreadyInitialized` if the address already holds data or belongs to a program.
pub fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    owner: &Pubkey,
    space: usize,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    let space_u64 = u64::try_from(space).map_err(|_| ProgramError::InvalidArgument)?;
    let rent = Rent::get()?.minimum_balance(space);
    let current = target.lamports();
    let program_id = system_program.key();
    if current == 0 {
        return system_program::create_account(
            CpiContext::new_with_signer(
                program_id,
                CreateAccount {
                    from: payer.clone(),
                    to: target.clone(),
                },
                &[signer_seeds],
            ),
            rent,
            space_u64,
            owner,
        );
    }
    // Funded by someone else: it must still be a plain system account with no data.
    if target.owner != &system_program::ID || !target.data_is_empty() {
        return Err(ProgramError::AccountAlreadyInitialized.into());
    }
    let top_up = rent.saturating_sub(current);
    if top_up > 0 {
        system_program::transfer(
            CpiContext::new(
                program_id,
                Transfer {
                    from: payer.clone(),
                    to: target.clone(),
                },
            ),
            top_up,
        )?;
    }
    system_program::allocate(
        CpiContext::new_with_signer(
            program_id,
            Allocate {
                account_to_allocate: target.clone(),
            },
            &[signer_seeds],
        ),
        space_u64,
    )?;
    system_program::assign(
        CpiContext::new_with_signer(
            program_id,
            Assign {
                account_to_assign: target.clone(),
            },
            &[signer_seeds],
        ),
        owner,
    )
}

/// Creates an SPL Token account at the PDA `target` for `mint`, owned (token authority) by
/// `authority`, pre-funding safe like [`create_pda_account`].
#[allow(clippy::too_many_arguments)]
pub fn create_pda_token_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    authority: &Pubkey,
    system_program: &AccountInfo<'info>,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    create_pda_account(
        payer,
        target,
        system_program,
        &token::ID,
        token::TokenAccount::LEN,
        signer_seeds,
    )?;
    // InitializeAccount3 takes the authority as data, not as an account.
    let ix = token::spl_token::instruction::initialize_account3(
        &token::ID,
        target.key,
        mint.key,
        authority,
    )?;
    anchor_lang::solana_program::program::invoke(&ix, &[target.clone(), mint.clone()])
        .map_err(Into::into)
}

/// Reads a program account the way Anchor's `Account<T>` does (initialized, owner, then
/// discriminator and Borsh), with the same errors. For the hot instructions that write the account
/// back once with [`write_account`]: Anchor's exit re-serializes an `Account<T>` field by field
/// through one `sol_memcpy` syscall each, which cost a claim more than all its logic.
pub fn read_account<T: AccountDeserialize + Owner>(info: &AccountInfo<'_>) -> Result<T> {
    if *info.owner == system_program::ID && info.lamports() == 0 {
        return Err(ErrorCode::AccountNotInitialized.into());
    }
    if *info.owner != T::owner() {
        return Err(Error::from(ErrorCode::AccountOwnedByWrongProgram)
            .with_pubkeys((*info.owner, T::owner())));
    }
    let data = info.try_borrow_data()?;
    T::try_deserialize(&mut &data[..])
}

/// Writes an Anchor account (discriminator + Borsh) into an account created by
/// [`create_pda_account`] with enough space, or read by [`read_account`]. Plain slice writes,
/// no syscall per field.
pub fn write_account<T: AccountSerialize>(target: &AccountInfo<'_>, value: &T) -> Result<()> {
    let mut data = target.try_borrow_mut_data()?;
    value.try_serialize(&mut SliceWriter {
        data: &mut data,
        at: 0,
    })
}

/// A `Write` into a byte slice whose `write_all` inlines: each Borsh field then becomes a
/// fixed-size store (`&mut [u8]`'s own `write` takes a run-time minimum and calls `memcpy`).
struct SliceWriter<'a> {
    data: &'a mut [u8],
    at: usize,
}

impl std::io::Write for SliceWriter<'_> {
    #[inline(always)]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    #[inline(always)]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let end = self
            .at
            .checked_add(buf.len())
            .filter(|end| *end <= self.data.len())
            .ok_or(std::io::ErrorKind::WriteZero)?;
        self.data[self.at..end].copy_from_slice(buf);
        self.at = end;
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
