use anchor_lang::prelude::*;
use ngpu_math::reservations::{FeeRates, Terms};

use crate::errors::{math, ReservationsError};
use crate::state::{add_to, sub_from, Config};

/// The currency a reservation is paid (and refunded, and settled) in.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Currency {
    Usdc,
    Io,
}

/// One rental, PDA `[b"reservation", node, id (u64 LE)]`. Every term a settlement needs is
/// copied here when it is made: no later parameter or price change alters it. Closed (rent to
/// the renter) once it completes, ends early or fails.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Reservation {
    pub version: u8,
    pub bump: u8,
    pub currency: Currency,
    pub id: u64,
    pub node: Pubkey,
    pub listing: Pubkey,
    pub renter: Pubkey,
    /// The renter's token account it paid from: every refund goes back there.
    pub renter_token: Pubkey,
    /// The supplier's payout account of the currency (from the listing).
    pub payout: Pubkey,
    pub hours: u32,
    /// Hour `i` of the reservation is `[start_ts + 3,600 i, + 3,600)`.
    pub start_ts: i64,
    pub price_micro_usd_per_hour: u64,
    /// `C = price * hours`, micro-USD.
    pub cost_micro_usd: u64,
    /// IO only: the low side of the band used (micro-USD per IO); 0 for USDC.
    pub io_price_micro_usd: u64,
    /// `P`: the cost in the currency's base units (USDC: C; IO: ceil(C / p_low)).
    pub principal: u64,
    /// `D = P + ceil(P r) + ceil(P p)`: paid into escrow.
    pub deposit: u64,
    pub reservation_fee_bps: u16,
    pub payment_fee_bps: u16,
    /// Hours settled so far, and what they paid (cumulative).
    pub settled_hours: u32,
    pub supplier_paid: u64,
    pub fees_paid: u64,
    /// Set when the reservation ended (end early or failure) while the renter's token account
    /// was unusable (closed, frozen): the refund stays in escrow (counted in the config's `owed`)
    /// and the account stays, no longer open, until the renter pulls it (`claim_refund`). The
    /// node is released and the listing free meanwhile.
    pub refund_owed: u64,
    pub _reserved: [u8; 56],
}

/// What one settle / end moved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Movement {
    pub to_supplier: u64,
    pub to_fees: u64,
}

impl Reservation {
    pub const SEED: &'static [u8] = b"reservation";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn terms(&self) -> Terms {
        Terms {
            principal: self.principal,
            hours: self.hours,
            rates: FeeRates {
                reservation_bps: self.reservation_fee_bps,
                payment_bps: self.payment_fee_bps,
            },
        }
    }

    /// What the escrow still holds for this reservation.
    pub fn escrowed(&self) -> Result<u64> {
        self.deposit
            .checked_sub(self.supplier_paid)
            .and_then(|v| v.checked_sub(self.fees_paid))
            .ok_or_else(|| error!(ReservationsError::MathOverflow))
    }

    /// Settles up to `hours` (never back): cumulative amounts differenced, recorded here and in
    /// the config's totals. The caller makes the transfers.
    pub fn advance(&mut self, config: &mut Config, hours: u32) -> Result<Movement> {
        if hours <= self.settled_hours {
            return Ok(Movement::default());
        }
        let (to_supplier, to_fees) = math(self.terms().step(self.settled_hours, hours))?;
        self.settled_hours = hours;
        add_to(&mut self.supplier_paid, to_supplier)?;
        add_to(&mut self.fees_paid, to_fees)?;
        let totals = config.totals_mut(self.currency);
        add_to(&mut totals.supplier_paid, to_supplier)?;
        add_to(&mut totals.fees, to_fees)?;
        sub_from(
            &mut totals.escrowed,
            to_supplier
                .checked_add(to_fees)
                .ok_or_else(|| error!(ReservationsError::MathOverflow))?,
        )?;
        Ok(Movement {
            to_supplier,
            to_fees,
        })
    }

    /// Records the refund of everything left in escrow (the reservation closes): returns it.
    pub fn refund_rest(&self, config: &mut Config) -> Result<u64> {
        let refund = self.escrowed()?;
        let totals = config.totals_mut(self.currency);
        add_to(&mut totals.refunded, refund)?;
        sub_from(&mut totals.escrowed, refund)?;
        config.open_reservations = config
            .open_reservations
            .checked_sub(1)
            .ok_or_else(|| error!(ReservationsError::MathOverflow))?;
        Ok(refund)
    }

    /// Reads an open reservation: anything else (closed, ended with its refund owed, another
    /// program's, never created) is `ReservationNotOpen`.
    pub fn load_open(info: &AccountInfo) -> Result<Self> {
        require_keys_eq!(
            *info.owner,
            crate::ID,
            ReservationsError::ReservationNotOpen
        );
        let reservation: Self = ngpu_onchain::read_account(info)?;
        require_eq!(
            reservation.refund_owed,
            0,
            ReservationsError::ReservationNotOpen
        );
        Ok(reservation)
    }

    /// Closes the account: lamports to `renter` (the stored renter), data cleared, owner back to
    /// the system program (a revived address is not ours).
    pub fn close<'info>(info: &AccountInfo<'info>, renter: &AccountInfo<'info>) -> Result<()> {
        let lamports = info.lamports();
        renter.add_lamports(lamports)?;
        info.sub_lamports(lamports)?;
        info.assign(&anchor_lang::system_program::ID);
        info.resize(0).map_err(Into::into)
    }
}
