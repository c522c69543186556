use anchor_lang::prelude::*;

use crate::state::Currency;

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
    /// Supplier pay credited here instead of paid because the reservation's payout account was
    /// unusable (closed, frozen, not a token account of the mint): held in the escrow of the
    /// currency until the supplier claims it (`claim_payout`). Counted in the config's
    /// `escrowed` and `owed`.
    pub owed_usdc: u64,
    pub owed_io: u64,
    /// Ended reservations of this listing kept with their refund owed to a renter whose token
    /// account was unusable (until `claim_refund`). `delist` waits for 0: relisting restarts the
    /// reservation ids, and a kept reservation must never squat the address of a new one.
    pub refunds_owed: u64,
    pub _reserved: [u8; 40],
}

impl Listing {
    pub const SEED: &'static [u8] = b"listing";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn owed(&self, currency: Currency) -> u64 {
        match currency {
            Currency::Usdc => self.owed_usdc,
            Currency::Io => self.owed_io,
        }
    }

    pub fn owed_mut(&mut self, currency: Currency) -> &mut u64 {
        match currency {
            Currency::Usdc => &mut self.owed_usdc,
            Currency::Io => &mut self.owed_io,
        }
    }
}
