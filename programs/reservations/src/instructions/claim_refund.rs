use anchor_lang::prelude::*;
use anchor_spl::token::Token;

use crate::errors::ReservationsError;
use crate::events::RefundClaimed;
use crate::state::{add_to, sub_from, Config, Listing, Reservation, CONFIG_ADDRESS};
use crate::token_account;

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimRefund<'info> {
    /// The reservation's stored renter (`Unauthorized` otherwise); receives the rent.
    #[account(mut)]
    pub renter: Signer<'info>,
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: a reservation of this program that ended with its refund owed (`NothingOwed`
    /// otherwise); closed by the handler.
    #[account(mut)]
    pub reservation: UncheckedAccount<'info>,
    /// The reservation's listing (`WrongListing`): one refund less owed on it.
    #[account(mut)]
    pub listing: Box<Account<'info, Listing>>,
    /// CHECK: the escrow vault of the reservation's currency (`WrongVault`).
    #[account(mut)]
    pub escrow: UncheckedAccount<'info>,
    /// CHECK: a token account of the currency's mint owned by the renter, not frozen
    /// (`InvalidTokenAccount`): the pull destination, chosen at claim time.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

/// Pays the renter the refund of a reservation that ended (early or failed) while its token
/// account was closed or frozen, to a token account it owns, and closes the reservation (rent to
/// the renter).
pub fn handler(ctx: Context<ClaimRefund>) -> Result<()> {
    let a = &ctx.accounts;
    let info = a.reservation.to_account_info();
    require_keys_eq!(*info.owner, crate::ID, ReservationsError::NothingOwed);
    let reservation: Reservation = ngpu_onchain::read_account(&info)?;
    let amount = reservation.refund_owed;
    require_gt!(amount, 0, ReservationsError::NothingOwed);
    require_keys_eq!(
        a.renter.key(),
        reservation.renter,
        ReservationsError::Unauthorized
    );
    require_keys_eq!(
        a.listing.key(),
        reservation.listing,
        ReservationsError::WrongListing
    );
    require_keys_eq!(
        a.escrow.key(),
        a.config.escrow(reservation.currency),
        ReservationsError::WrongVault
    );
    let mint = a.config.mint(reservation.currency);
    let destination = token_account::read(&a.destination)?;
    require!(
        destination.mint == mint
            && destination.owner == a.renter.key()
            && token_account::usable(&a.destination, &mint),
        ReservationsError::InvalidTokenAccount
    );
    let before = token_account::read(&a.escrow)?.amount;
    Config::pay_from(
        a.config.to_account_info(),
        a.escrow.to_account_info(),
        a.destination.to_account_info(),
        amount,
    )?;
    Reservation::close(&info, &a.renter.to_account_info())?;
    sub_from(&mut ctx.accounts.listing.refunds_owed, 1)?;
    let totals = ctx.accounts.config.totals_mut(reservation.currency);
    sub_from(&mut totals.owed, amount)?;
    sub_from(&mut totals.escrowed, amount)?;
    add_to(&mut totals.refunded, amount)?;
    let config = &ctx.accounts.config;
    emit_cpi!(RefundClaimed {
        reservation: info.key(),
        node: reservation.node,
        renter: reservation.renter,
        currency: reservation.currency,
        destination: ctx.accounts.destination.key(),
        amount,
        escrow_balance: before
            .checked_sub(amount)
            .ok_or_else(|| error!(ReservationsError::MathOverflow))?,
        config: config.state(),
    });
    Ok(())
}
