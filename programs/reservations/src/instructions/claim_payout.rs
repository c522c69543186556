use anchor_lang::prelude::*;
use anchor_spl::token::Token;

use crate::errors::ReservationsError;
use crate::events::PayoutClaimed;
use crate::state::{add_to, sub_from, Config, Currency, Listing, CONFIG_ADDRESS};
use crate::token_account;

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimPayout<'info> {
    /// The listing's supplier (`Unauthorized` otherwise).
    pub supplier: Signer<'info>,
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, has_one = supplier @ ReservationsError::Unauthorized)]
    pub listing: Box<Account<'info, Listing>>,
    /// CHECK: the escrow vault of the currency (`WrongVault`).
    #[account(mut)]
    pub escrow: UncheckedAccount<'info>,
    /// CHECK: a token account of the currency's mint owned by the supplier, not frozen
    /// (`InvalidTokenAccount`): the pull destination, chosen at claim time.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

/// Pays the supplier the pay owed to it in `currency` (credited by settle, end or failure while
/// the reservation's payout account was closed or frozen) to a token account it owns.
pub fn handler(ctx: Context<ClaimPayout>, currency: Currency) -> Result<()> {
    let a = &ctx.accounts;
    require_keys_eq!(
        a.escrow.key(),
        a.config.escrow(currency),
        ReservationsError::WrongVault
    );
    let destination = token_account::read(&a.destination)?;
    require!(
        destination.mint == a.config.mint(currency)
            && destination.owner == a.supplier.key()
            && token_account::usable(&a.destination, &destination.mint),
        ReservationsError::InvalidTokenAccount
    );
    let amount = a.listing.owed(currency);
    require_gt!(amount, 0, ReservationsError::NothingOwed);
    let before = token_account::read(&a.escrow)?.amount;
    Config::pay_from(
        a.config.to_account_info(),
        a.escrow.to_account_info(),
        a.destination.to_account_info(),
        amount,
    )?;
    *ctx.accounts.listing.owed_mut(currency) = 0;
    let totals = ctx.accounts.config.totals_mut(currency);
    sub_from(&mut totals.owed, amount)?;
    sub_from(&mut totals.escrowed, amount)?;
    add_to(&mut totals.supplier_paid, amount)?;
    let (listing, config) = (&ctx.accounts.listing, &ctx.accounts.config);
    emit_cpi!(PayoutClaimed {
        listing: listing.key(),
        node: listing.node,
        supplier: listing.supplier,
        currency,
        destination: ctx.accounts.destination.key(),
        amount,
        escrow_balance: before
            .checked_sub(amount)
            .ok_or_else(|| error!(ReservationsError::MathOverflow))?,
        config: config.state(),
    });
    Ok(())
}
