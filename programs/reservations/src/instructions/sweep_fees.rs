use anchor_lang::prelude::*;
use anchor_spl::token::Token;

use crate::errors::ReservationsError;
use crate::events::FeesSwept;
use crate::state::{add_to, sub_from, Config, Currency, CONFIG_ADDRESS};
use crate::token_account;

#[event_cpi]
#[derive(Accounts)]
pub struct SweepFees<'info> {
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: the escrow vault of the currency (`WrongVault`).
    #[account(mut)]
    pub escrow: UncheckedAccount<'info>,
    /// CHECK: revenue's fee vault of the currency, as pinned in the config (`WrongVault`); usable
    /// again (`InvalidTokenAccount` while frozen).
    #[account(mut)]
    pub fee_vault: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

/// Delivers the fees kept in escrow while the revenue fee vault of `currency` was frozen (anyone,
/// once it is usable again).
pub fn handler(ctx: Context<SweepFees>, currency: Currency) -> Result<()> {
    let a = &ctx.accounts;
    require!(
        a.escrow.key() == a.config.escrow(currency)
            && a.fee_vault.key() == a.config.fee_vault(currency),
        ReservationsError::WrongVault
    );
    require!(
        token_account::usable(&a.fee_vault, &a.config.mint(currency)),
        ReservationsError::InvalidTokenAccount
    );
    let amount = match currency {
        Currency::Usdc => a.config.usdc_totals.fees_owed,
        Currency::Io => a.config.io_totals.fees_owed,
    };
    require_gt!(amount, 0, ReservationsError::NothingOwed);
    let before = token_account::read(&a.escrow)?.amount;
    Config::pay_from(
        a.config.to_account_info(),
        a.escrow.to_account_info(),
        a.fee_vault.to_account_info(),
        amount,
    )?;
    let totals = ctx.accounts.config.totals_mut(currency);
    totals.fees_owed = 0;
    sub_from(&mut totals.owed, amount)?;
    sub_from(&mut totals.escrowed, amount)?;
    add_to(&mut totals.fees, amount)?;
    let config = &ctx.accounts.config;
    emit_cpi!(FeesSwept {
        currency,
        fee_vault: ctx.accounts.fee_vault.key(),
        amount,
        escrow_balance: before
            .checked_sub(amount)
            .ok_or_else(|| error!(ReservationsError::MathOverflow))?,
        config: config.state(),
    });
    Ok(())
}
