//! Builders for every `reservations` instruction.

use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::pubkey::Pubkey;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::token;
use reservations::{accounts, instruction, Currency, InitializeArgs, ListingArgs};

use crate::pda;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: reservations::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

fn event_authority() -> Pubkey {
    pda::event_authority(&reservations::ID)
}

pub fn initialize(authority: Pubkey, usdc_mint: Pubkey, args: InitializeArgs) -> Instruction {
    build(
        accounts::Initialize {
            authority,
            config: pda::reservations::config(),
            io_escrow: pda::reservations::io_escrow(),
            usdc_escrow: pda::reservations::escrow(&usdc_mint),
            io_mint: reservations::IO_MINT,
            usdc_mint,
            io_fee_vault: pda::revenue::io_vault(),
            usdc_fee_vault: pda::revenue::fee_vault(&usdc_mint),
            program_data: pda::program_data(&reservations::ID),
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::Initialize { args },
    )
}

pub fn update_params(authority: Pubkey, params: InitializeArgs) -> Instruction {
    build(
        accounts::UpdateParams {
            authority,
            config: pda::reservations::config(),
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::UpdateParams { params },
    )
}

pub fn set_paused(authority: Pubkey, paused: bool) -> Instruction {
    build(
        accounts::SetPaused {
            authority,
            config: pda::reservations::config(),
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::SetPaused { paused },
    )
}

pub fn propose_authority(authority: Pubkey, new_authority: Pubkey) -> Instruction {
    build(
        accounts::ProposeAuthority {
            authority,
            config: pda::reservations::config(),
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::ProposeAuthority { new_authority },
    )
}

pub fn accept_authority(new_authority: Pubkey) -> Instruction {
    build(
        accounts::AcceptAuthority {
            new_authority,
            config: pda::reservations::config(),
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::AcceptAuthority {},
    )
}

/// `list_node` by the node's supplier, paid to `payout_usdc` / `payout_io`.
pub fn list_node(
    supplier: Pubkey,
    node: Pubkey,
    payout_usdc: Pubkey,
    payout_io: Pubkey,
    args: ListingArgs,
) -> Instruction {
    build(
        accounts::ListNode {
            supplier,
            config: pda::reservations::config(),
            node,
            listing: pda::reservations::listing(&node),
            payout_usdc,
            payout_io,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::ListNode { args },
    )
}

pub fn update_listing(
    supplier: Pubkey,
    node: Pubkey,
    payout_usdc: Pubkey,
    payout_io: Pubkey,
    args: ListingArgs,
) -> Instruction {
    build(
        accounts::UpdateListing {
            supplier,
            config: pda::reservations::config(),
            listing: pda::reservations::listing(&node),
            payout_usdc,
            payout_io,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::UpdateListing { args },
    )
}

pub fn delist(supplier: Pubkey, node: Pubkey) -> Instruction {
    build(
        accounts::Delist {
            supplier,
            listing: pda::reservations::listing(&node),
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::Delist {},
    )
}

/// The accounts of a reservation that the program pins in its config: the escrow and fee
/// vaults of a currency, given the USDC mint.
pub fn vaults(usdc_mint: &Pubkey, currency: Currency) -> (Pubkey, Pubkey) {
    match currency {
        Currency::Usdc => (
            pda::reservations::escrow(usdc_mint),
            pda::revenue::fee_vault(usdc_mint),
        ),
        Currency::Io => (pda::reservations::io_escrow(), pda::revenue::io_vault()),
    }
}

/// What `reserve` needs besides the renter: the node, the listing's next reservation id, the
/// renter's token account of the currency, the USDC mint (for the escrow) and the price account.
#[derive(Clone, Copy, Debug)]
pub struct ReserveAccounts {
    pub node: Pubkey,
    pub id: u64,
    pub renter_token: Pubkey,
    pub usdc_mint: Pubkey,
    pub price_feed: Pubkey,
}

pub fn reserve(
    renter: Pubkey,
    a: ReserveAccounts,
    hours: u32,
    currency: Currency,
    max_total: u64,
) -> Instruction {
    build(
        accounts::Reserve {
            renter,
            config: pda::reservations::config(),
            listing: pda::reservations::listing(&a.node),
            node: a.node,
            reservation: pda::reservations::reservation(&a.node, a.id),
            renter_token: a.renter_token,
            escrow: vaults(&a.usdc_mint, currency).0,
            price_feed: a.price_feed,
            staking_config: pda::staking::config(),
            staking_ledger: pda::staking::ledger(),
            staking_event_authority: pda::event_authority(&staking::ID),
            staking_program: staking::ID,
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::Reserve {
            hours,
            currency,
            max_total,
        },
    )
}

/// `settle` (anyone) of a stored reservation at `address`.
pub fn settle(address: Pubkey, r: &reservations::Reservation, usdc_mint: &Pubkey) -> Instruction {
    let (escrow, fee_vault) = vaults(usdc_mint, r.currency);
    build(
        accounts::Settle {
            config: pda::reservations::config(),
            reservation: address,
            listing: r.listing,
            node: r.node,
            escrow,
            supplier_payout: r.payout,
            fee_vault,
            renter: r.renter,
            staking_config: pda::staking::config(),
            staking_ledger: pda::staking::ledger(),
            staking_event_authority: pda::event_authority(&staking::ID),
            staking_program: staking::ID,
            token_program: token::ID,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::Settle {},
    )
}

/// `end_early` by the stored renter of a reservation at `address`.
pub fn end_early(
    address: Pubkey,
    r: &reservations::Reservation,
    usdc_mint: &Pubkey,
) -> Instruction {
    let (escrow, fee_vault) = vaults(usdc_mint, r.currency);
    build(
        accounts::EndEarly {
            renter: r.renter,
            config: pda::reservations::config(),
            reservation: address,
            listing: r.listing,
            node: r.node,
            escrow,
            supplier_payout: r.payout,
            fee_vault,
            renter_token: r.renter_token,
            staking_config: pda::staking::config(),
            staking_ledger: pda::staking::ledger(),
            staking_event_authority: pda::event_authority(&staking::ID),
            staking_program: staking::ID,
            token_program: token::ID,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::EndEarly {},
    )
}

/// `report_failure` of a reservation at `address`, signed by `oracles` (a quorum of staking's
/// node-oracle set, appended as signer accounts).
pub fn report_failure(
    address: Pubkey,
    r: &reservations::Reservation,
    usdc_mint: &Pubkey,
    oracles: &[Pubkey],
) -> Instruction {
    let (escrow, fee_vault) = vaults(usdc_mint, r.currency);
    let mut ix = build(
        accounts::ReportFailure {
            config: pda::reservations::config(),
            reservation: address,
            listing: r.listing,
            node: r.node,
            escrow,
            supplier_payout: r.payout,
            fee_vault,
            renter: r.renter,
            renter_token: r.renter_token,
            staking_config: pda::staking::config(),
            staking_ledger: pda::staking::ledger(),
            staking_reward_vault: pda::staking::reward_vault(),
            io_mint: reservations::IO_MINT,
            staking_event_authority: pda::event_authority(&staking::ID),
            staking_program: staking::ID,
            token_program: token::ID,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::ReportFailure {},
    );
    ix.accounts.extend(
        oracles
            .iter()
            .map(|k| anchor_lang::solana_program::instruction::AccountMeta::new_readonly(*k, true)),
    );
    ix
}

/// `claim_payout` by the listing's supplier of what is owed to it in `currency`, to
/// `destination` (a token account of the currency it owns).
pub fn claim_payout(
    supplier: Pubkey,
    node: Pubkey,
    currency: Currency,
    destination: Pubkey,
    usdc_mint: &Pubkey,
) -> Instruction {
    build(
        accounts::ClaimPayout {
            supplier,
            config: pda::reservations::config(),
            listing: pda::reservations::listing(&node),
            escrow: vaults(usdc_mint, currency).0,
            destination,
            token_program: token::ID,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::ClaimPayout { currency },
    )
}

/// `claim_refund` by the stored renter of a reservation at `address` that ended with its refund
/// owed, to `destination` (a token account of the currency it owns).
pub fn claim_refund(
    address: Pubkey,
    r: &reservations::Reservation,
    destination: Pubkey,
    usdc_mint: &Pubkey,
) -> Instruction {
    build(
        accounts::ClaimRefund {
            renter: r.renter,
            config: pda::reservations::config(),
            reservation: address,
            listing: r.listing,
            escrow: vaults(usdc_mint, r.currency).0,
            destination,
            token_program: token::ID,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::ClaimRefund {},
    )
}

/// `sweep_fees` (anyone) of the fees kept in escrow while the fee vault of `currency` was frozen.
pub fn sweep_fees(currency: Currency, usdc_mint: &Pubkey) -> Instruction {
    let (escrow, fee_vault) = vaults(usdc_mint, currency);
    build(
        accounts::SweepFees {
            config: pda::reservations::config(),
            escrow,
            fee_vault,
            token_program: token::ID,
            event_authority: event_authority(),
            program: reservations::ID,
        },
        instruction::SweepFees { currency },
    )
}
