//! Builders for every `revenue` instruction.

use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::pubkey::Pubkey;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::token;
use revenue::{accounts, instruction, InitializeArgs};

use crate::pda;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: revenue::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

fn event_authority() -> Pubkey {
    pda::event_authority(&revenue::ID)
}

pub fn initialize(authority: Pubkey, usdc_mint: Pubkey, args: InitializeArgs) -> Instruction {
    build(
        accounts::Initialize {
            authority,
            config: pda::revenue::config(),
            io_vault: pda::revenue::io_vault(),
            usdc_vault: pda::revenue::fee_vault(&usdc_mint),
            io_mint: revenue::IO_MINT,
            usdc_mint,
            program_data: pda::program_data(&revenue::ID),
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: revenue::ID,
        },
        instruction::Initialize { args },
    )
}

/// `burn_io_fees` into the record of UTC day `day` (the day of the cluster clock when it lands:
/// `ngpu_math::revenue::utc_day(now)`).
pub fn burn_io_fees(payer: Pubkey, day: u64) -> Instruction {
    build(
        accounts::BurnIoFees {
            payer,
            config: pda::revenue::config(),
            io_vault: pda::revenue::io_vault(),
            io_mint: revenue::IO_MINT,
            day_record: pda::revenue::day_record(day),
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: revenue::ID,
        },
        instruction::BurnIoFees {},
    )
}

/// The accounts of a fill besides the seller's: the pinned price account and USDC mint.
#[derive(Clone, Copy, Debug)]
pub struct FillAccounts {
    pub price_feed: Pubkey,
    pub usdc_mint: Pubkey,
    /// The seller's IO account (burned from) and any USDC account (paid to).
    pub seller_io: Pubkey,
    pub seller_usdc: Pubkey,
}

/// `fill_buyback` by `seller` into the record of UTC day `day`.
pub fn fill_buyback(
    seller: Pubkey,
    a: FillAccounts,
    day: u64,
    io_in: u64,
    usdc_out: u64,
    expire_at: i64,
) -> Instruction {
    build(
        accounts::FillBuyback {
            seller,
            config: pda::revenue::config(),
            price_feed: a.price_feed,
            usdc_vault: pda::revenue::fee_vault(&a.usdc_mint),
            seller_io: a.seller_io,
            seller_usdc: a.seller_usdc,
            io_mint: revenue::IO_MINT,
            day_record: pda::revenue::day_record(day),
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: revenue::ID,
        },
        instruction::FillBuyback {
            io_in,
            usdc_out,
            expire_at,
        },
    )
}

pub fn update_params(authority: Pubkey, params: InitializeArgs) -> Instruction {
    build(
        accounts::UpdateParams {
            authority,
            config: pda::revenue::config(),
            event_authority: event_authority(),
            program: revenue::ID,
        },
        instruction::UpdateParams { params },
    )
}

pub fn set_paused(authority: Pubkey, paused: bool) -> Instruction {
    build(
        accounts::SetPaused {
            authority,
            config: pda::revenue::config(),
            event_authority: event_authority(),
            program: revenue::ID,
        },
        instruction::SetPaused { paused },
    )
}

pub fn propose_authority(authority: Pubkey, new_authority: Pubkey) -> Instruction {
    build(
        accounts::ProposeAuthority {
            authority,
            config: pda::revenue::config(),
            event_authority: event_authority(),
            program: revenue::ID,
        },
        instruction::ProposeAuthority { new_authority },
    )
}

pub fn accept_authority(new_authority: Pubkey) -> Instruction {
    build(
        accounts::AcceptAuthority {
            new_authority,
            config: pda::revenue::config(),
            event_authority: event_authority(),
            program: revenue::ID,
        },
        instruction::AcceptAuthority {},
    )
}
