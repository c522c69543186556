//! One event per state change (all through `emit_cpi!`); each carries the resulting totals, so
//! an indexer can check the four-way conservation from the events alone.
use anchor_lang::prelude::*;

use crate::instructions::{InitializeArgs, ListingArgs};
use crate::state::{Currency, CurrencyTotals};

/// The config after the change.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigState {
    pub authority: Pubkey,
    pub pending_authority: Pubkey,
    pub paused: bool,
    pub open_reservations: u64,
    pub io_totals: CurrencyTotals,
    pub usdc_totals: CurrencyTotals,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Initialized {
    pub authority: Pubkey,
    pub usdc_mint: Pubkey,
    pub io_escrow: Pubkey,
    pub usdc_escrow: Pubkey,
    pub io_fee_vault: Pubkey,
    pub usdc_fee_vault: Pubkey,
    pub params: InitializeArgs,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ParamsUpdated {
    pub authority: Pubkey,
    pub params: InitializeArgs,
    pub config: ConfigState,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Paused {
    pub authority: Pubkey,
    pub config: ConfigState,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Unpaused {
    pub authority: Pubkey,
    pub config: ConfigState,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityProposed {
    pub authority: Pubkey,
    pub proposed: Pubkey,
    pub config: ConfigState,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityTransferred {
    pub previous: Pubkey,
    pub authority: Pubkey,
    pub config: ConfigState,
}

/// `list_node` or `update_listing`: the listing's terms after the change.
#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ListingUpdated {
    pub listing: Pubkey,
    pub node: Pubkey,
    pub supplier: Pubkey,
    pub created: bool,
    pub terms: ListingArgs,
    pub payout_usdc: Pubkey,
    pub payout_io: Pubkey,
    pub active_reservation: Pubkey,
    pub reservation_count: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct NodeDelisted {
    pub listing: Pubkey,
    pub node: Pubkey,
    pub supplier: Pubkey,
    pub reservation_count: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ReservationCreated {
    pub reservation: Pubkey,
    pub node: Pubkey,
    pub renter: Pubkey,
    pub currency: Currency,
    pub hours: u32,
    pub start_ts: i64,
    pub price_micro_usd_per_hour: u64,
    pub cost_micro_usd: u64,
    /// IO: the low side of the band used, micro-USD per IO; 0 for USDC.
    pub io_price_micro_usd: u64,
    pub principal: u64,
    /// Paid into escrow: principal + the renter's fees.
    pub deposit: u64,
    pub reservation_fee_bps: u16,
    pub payment_fee_bps: u16,
    pub escrow_balance: u64,
    pub config: ConfigState,
}

/// `settle`, `end_early`: what moved, the reservation's cumulative amounts after it, and the
/// config's totals.
#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ReservationSettled {
    pub reservation: Pubkey,
    pub node: Pubkey,
    pub currency: Currency,
    /// Hours settled (paid) in total after this call.
    pub settled_hours: u32,
    pub to_supplier: u64,
    pub to_fees: u64,
    /// Part of `to_supplier` credited to the listing's owed balance (the payout account was
    /// unusable: closed or frozen) instead of transferred; claimed by `claim_payout`.
    pub owed: u64,
    /// Refunded to the renter by this call (end early: the undelivered hours with their fees).
    pub refunded: u64,
    /// The refund kept in escrow for the renter (its token account was closed or frozen), to
    /// pull with `claim_refund`; the reservation account stays until then.
    pub refund_owed: u64,
    pub supplier_paid: u64,
    pub fees_paid: u64,
    /// Still in escrow for this reservation (0 once closed; its `refund_owed` when kept).
    pub escrowed: u64,
    /// The reservation ended (completed, ended early): the node is released and the account
    /// closed, unless `refund_owed` keeps it until `claim_refund`.
    pub closed: bool,
    pub ended_early: bool,
    pub escrow_balance: u64,
    pub config: ConfigState,
}

/// `report_failure`: the node oracles' quorum reported the node failed to deliver. The delivered
/// hours are paid; every undelivered hour (the one in progress included) is refunded with its
/// fees; the node's unclaimed supplier rewards are burned in staking; the node is released.
#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ReservationFailed {
    pub reservation: Pubkey,
    pub node: Pubkey,
    pub currency: Currency,
    pub settled_hours: u32,
    pub to_supplier: u64,
    pub to_fees: u64,
    /// Part of `to_supplier` credited to the listing's owed balance (unusable payout account).
    pub owed: u64,
    pub refunded: u64,
    /// The refund kept in escrow for the renter (unusable token account): `claim_refund`.
    pub refund_owed: u64,
    pub supplier_paid: u64,
    pub fees_paid: u64,
    pub escrow_balance: u64,
    pub config: ConfigState,
}

/// `claim_payout`: the supplier took the pay owed to it in a currency (credited while its payout
/// account was unusable) to a token account it owns.
#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct PayoutClaimed {
    pub listing: Pubkey,
    pub node: Pubkey,
    pub supplier: Pubkey,
    pub currency: Currency,
    pub destination: Pubkey,
    pub amount: u64,
    pub escrow_balance: u64,
    pub config: ConfigState,
}

/// `claim_refund`: the renter took the refund of a reservation that ended while its token account
/// was unusable; the reservation is closed.
#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct RefundClaimed {
    pub reservation: Pubkey,
    pub node: Pubkey,
    pub renter: Pubkey,
    pub currency: Currency,
    pub destination: Pubkey,
    pub amount: u64,
    pub escrow_balance: u64,
    pub config: ConfigState,
}

/// `sweep_fees`: fees kept in escrow while the revenue fee vault was frozen, delivered.
#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct FeesSwept {
    pub currency: Currency,
    pub fee_vault: Pubkey,
    pub amount: u64,
    pub escrow_balance: u64,
    pub config: ConfigState,
}
