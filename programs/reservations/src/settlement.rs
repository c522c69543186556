//! What `settle` and `end_early` share: the account checks against the reservation's stored
//! terms, the payouts from escrow, and the close (refund, release of the node, rent to the
//! renter).

use anchor_lang::prelude::*;

use crate::errors::ReservationsError;
use crate::hire::HireAccounts;
use crate::state::{add_to, sub_from, Config, Movement, Reservation};
use crate::token_account;

pub struct SettleAccounts<'a, 'info> {
    pub config: &'a AccountInfo<'info>,
    pub reservation: &'a AccountInfo<'info>,
    pub listing: Pubkey,
    pub escrow: &'a AccountInfo<'info>,
    pub supplier_payout: &'a AccountInfo<'info>,
    pub fee_vault: &'a AccountInfo<'info>,
    /// The stored renter: receives the rent at close.
    pub renter: &'a AccountInfo<'info>,
    pub hire: HireAccounts<'a, 'info>,
}

/// What a settle or an end did.
pub struct Outcome {
    pub moved: Movement,
    /// Part of `moved.to_supplier` credited to the listing's `owed` balance (its payout account
    /// was unusable) instead of transferred; the caller adds it to the listing.
    pub owed: u64,
    /// Transferred to the renter (0 when its account was unusable: see the reservation's
    /// `refund_owed`).
    pub refunded: u64,
    pub closed: bool,
    /// The escrow vault's balance after it.
    pub escrow_balance: u64,
}

impl<'info> SettleAccounts<'_, 'info> {
    /// Every account against the reservation and the config: its listing and node, the escrow
    /// and fee vault of its currency (a USDC reservation never touches the IO escrow), its
    /// stored payout account and renter.
    pub fn check(&self, config: &Config, reservation: &Reservation) -> Result<()> {
        require!(
            self.listing == reservation.listing && self.hire.node.key() == reservation.node,
            ReservationsError::WrongListing
        );
        require!(
            self.escrow.key() == config.escrow(reservation.currency)
                && self.fee_vault.key() == config.fee_vault(reservation.currency),
            ReservationsError::WrongVault
        );
        require!(
            self.supplier_payout.key() == reservation.payout
                && self.renter.key() == reservation.renter,
            ReservationsError::WrongRecipient
        );
        Ok(())
    }

    /// Settles to `hours`; with `close`, also refunds what is left to `refund_to` (the stored
    /// renter token account, checked by the caller), releases the node and closes the
    /// reservation. Writes the reservation back when it stays open.
    pub fn run(
        &self,
        config: &mut Config,
        reservation: &mut Reservation,
        hours: u32,
        close: bool,
        refund_to: Option<&AccountInfo<'info>>,
    ) -> Result<Outcome> {
        let before = token_account::read(self.escrow)?.amount;
        let moved = reservation.advance(config, hours)?;
        // A closed or frozen payout account never blocks the renter's refund or the node's
        // release: the supplier's pay stays in escrow, owed to it (`claim_payout`).
        let owed = if moved.to_supplier == 0
            || token_account::usable(self.supplier_payout, &config.mint(reservation.currency))
        {
            Config::pay_from(
                self.config.clone(),
                self.escrow.clone(),
                self.supplier_payout.clone(),
                moved.to_supplier,
            )?;
            0
        } else {
            let totals = config.totals_mut(reservation.currency);
            sub_from(&mut totals.supplier_paid, moved.to_supplier)?;
            add_to(&mut totals.escrowed, moved.to_supplier)?;
            add_to(&mut totals.owed, moved.to_supplier)?;
            moved.to_supplier
        };
        // Likewise a frozen fee vault: the fees stay in escrow until `sweep_fees`.
        let fees_owed = if moved.to_fees == 0
            || token_account::usable(self.fee_vault, &config.mint(reservation.currency))
        {
            Config::pay_from(
                self.config.clone(),
                self.escrow.clone(),
                self.fee_vault.clone(),
                moved.to_fees,
            )?;
            0
        } else {
            let totals = config.totals_mut(reservation.currency);
            sub_from(&mut totals.fees, moved.to_fees)?;
            add_to(&mut totals.escrowed, moved.to_fees)?;
            add_to(&mut totals.owed, moved.to_fees)?;
            add_to(&mut totals.fees_owed, moved.to_fees)?;
            moved.to_fees
        };
        let mut out = moved
            .to_supplier
            .checked_sub(owed)
            .and_then(|v| v.checked_add(moved.to_fees))
            .and_then(|v| v.checked_sub(fees_owed))
            .ok_or_else(|| error!(ReservationsError::MathOverflow))?;
        let refunded = if close {
            let refund = reservation.refund_rest(config)?;
            let mint = config.mint(reservation.currency);
            let to = match refund_to {
                Some(to) if refund > 0 => Some(to),
                None if refund > 0 => return err!(ReservationsError::WrongRecipient),
                _ => None,
            };
            self.hire.release()?;
            match to {
                // A closed or frozen renter account never blocks the end (nor the node's
                // release): the refund stays in escrow, owed to the renter (`claim_refund`),
                // and the reservation stays (no longer open) as its record.
                Some(to) if !token_account::usable(to, &mint) => {
                    let totals = config.totals_mut(reservation.currency);
                    sub_from(&mut totals.refunded, refund)?;
                    add_to(&mut totals.owed, refund)?;
                    add_to(&mut totals.escrowed, refund)?;
                    reservation.refund_owed = refund;
                    ngpu_onchain::write_account(self.reservation, reservation)?;
                    0
                }
                to => {
                    if let Some(to) = to {
                        Config::pay_from(
                            self.config.clone(),
                            self.escrow.clone(),
                            to.clone(),
                            refund,
                        )?;
                        out = out
                            .checked_add(refund)
                            .ok_or_else(|| error!(ReservationsError::MathOverflow))?;
                    }
                    Reservation::close(self.reservation, self.renter)?;
                    refund
                }
            }
        } else {
            ngpu_onchain::write_account(self.reservation, reservation)?;
            0
        };
        Ok(Outcome {
            moved,
            owed,
            refunded,
            closed: close,
            escrow_balance: before
                .checked_sub(out)
                .ok_or_else(|| error!(ReservationsError::MathOverflow))?,
        })
    }
}
