use anchor_lang::prelude::*;

/// A node offered for rent, PDA `[b"listing", node]`, created by the node's supplier.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Listing {
    pub version: u8,
    pub bump: u8,
    /// The staking `Node` listed.
    pub node: Pubkey,
    /// The node's supplier (staking's `Node::supplier`): the only key that may change the listing.
    pub supplier: Pubkey,
    /// Micro-USD per hour (> 0).
    pub price_micro_usd_per_hour: u64,
    /// The longest reservation the supplier accepts, hours (also bounded by the config).
    pub max_hours: u32,
    /// Where the supplier is paid: a USDC and an IO token account (any owner: the supplier
    /// chooses), copied onto each reservation.
    pub payout_usdc: Pubkey,
    pub payout_io: Pubkey,
    /// The open reservation of the node; default when none (one at a time).
    pub active_reservation: Pubkey,
    /// Reservations made on this listing: the id of the next one (its PDA seed).
    pub reservation_count: u64,
    pub _reserved: [u8; 64],
}

impl Listing {
    pub const SEED: &'static [u8] = b"listing";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}
