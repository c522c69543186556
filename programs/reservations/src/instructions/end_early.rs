use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_math::reservations::{charged_on_end, delivered_hours};

use crate::errors::ReservationsError;
use crate::events::ReservationSettled;
use crate::hire::HireAccounts;
use crate::settlement::SettleAccounts;
use crate::state::{add_to, Config, Listing, Reservation, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct EndEarly<'info> {
    /// The reservation's stored renter (`Unauthorized` otherwise); receives the rent.
    #[account(mut)]
    pub renter: Signer<'info>,
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: an open reservation (`ReservationNotOpen` otherwise); closed by the handler.
    #[account(mut)]
    pub reservation: UncheckedAccount<'info>,
    /// The reservation's listing (`WrongListing`).
    #[account(mut)]
    pub listing: Box<Account<'info, Listing>>,
    /// CHECK: the reservation's staking node (`WrongListing`); released by `set_hired(false)`.
    #[account(mut)]
    pub node: UncheckedAccount<'info>,
    /// CHECK: the escrow vault of the reservation's currency (`WrongVault`).
    #[account(mut)]
    pub escrow: UncheckedAccount<'info>,
    /// CHECK: the reservation's stored payout account (`WrongRecipient`).
    #[account(mut)]
    pub supplier_payout: UncheckedAccount<'info>,
    /// CHECK: revenue's fee vault of the currency, as pinned in the config (`WrongVault`).
    #[account(mut)]
    pub fee_vault: UncheckedAccount<'info>,
    /// CHECK: the token account the renter paid from, stored on the reservation
    /// (`WrongRecipient`): the refund goes there and nowhere else.
    #[account(mut)]
    pub renter_token: UncheckedAccount<'info>,
    /// CHECK: staking's config (pinned).
    #[account(address = staking::CONFIG_ADDRESS)]
    pub staking_config: UncheckedAccount<'info>,
    /// CHECK: staking's hour ledger (pinned).
    #[account(mut, address = staking::LEDGER_ADDRESS)]
    pub staking_ledger: UncheckedAccount<'info>,
    /// CHECK: staking's event authority (checked by staking).
    pub staking_event_authority: UncheckedAccount<'info>,
    pub staking_program: Program<'info, staking::program::Staking>,
    pub token_program: Program<'info, Token>,
}

/// Ends early: settles the delivered hours and charges the hour in progress, refunds the
/// undelivered hours with their fees to the stored renter, releases the node and closes. A
/// reservation whose hours are all delivered is `ReservationCompleted` (settle closes it).
pub fn handler(ctx: Context<EndEarly>) -> Result<()> {
    let a = &ctx.accounts;
    let (config_info, reservation_info) =
        (a.config.to_account_info(), a.reservation.to_account_info());
    let (escrow, payout, fee_vault, renter, renter_token) = (
        a.escrow.to_account_info(),
        a.supplier_payout.to_account_info(),
        a.fee_vault.to_account_info(),
        a.renter.to_account_info(),
        a.renter_token.to_account_info(),
    );
    let (staking_config, ledger, node, event_authority, staking_program) = (
        a.staking_config.to_account_info(),
        a.staking_ledger.to_account_info(),
        a.node.to_account_info(),
        a.staking_event_authority.to_account_info(),
        a.staking_program.to_account_info(),
    );
    let settle = SettleAccounts {
        config: &config_info,
        reservation: &reservation_info,
        listing: a.listing.key(),
        escrow: &escrow,
        supplier_payout: &payout,
        fee_vault: &fee_vault,
        renter: &renter,
        hire: HireAccounts {
            config: &config_info,
            staking_config: &staking_config,
            staking_ledger: &ledger,
            node: &node,
            staking_event_authority: &event_authority,
            staking_program: &staking_program,
        },
    };
    let mut reservation = Reservation::load_open(&reservation_info)?;
    require_keys_eq!(
        renter.key(),
        reservation.renter,
        ReservationsError::Unauthorized
    );
    settle.check(&a.config, &reservation)?;
    require_keys_eq!(
        renter_token.key(),
        reservation.renter_token,
        ReservationsError::WrongRecipient
    );
    let now = Clock::get()?.unix_timestamp;
    let (start, hours) = (reservation.start_ts, reservation.hours);
    require_gt!(
        hours,
        delivered_hours(start, now, hours),
        ReservationsError::ReservationCompleted
    );
    let charged = charged_on_end(start, now, hours);
    let config = &mut ctx.accounts.config;
    let outcome = settle.run(config, &mut reservation, charged, true, Some(&renter_token))?;
    ctx.accounts.listing.active_reservation = Pubkey::default();
    add_to(
        ctx.accounts.listing.owed_mut(reservation.currency),
        outcome.owed,
    )?;
    if reservation.refund_owed > 0 {
        add_to(&mut ctx.accounts.listing.refunds_owed, 1)?;
    }
    let config = &ctx.accounts.config;
    emit_cpi!(ReservationSettled {
        reservation: reservation_info.key(),
        node: reservation.node,
        currency: reservation.currency,
        settled_hours: reservation.settled_hours,
        to_supplier: outcome.moved.to_supplier,
        to_fees: outcome.moved.to_fees,
        owed: outcome.owed,
        refunded: outcome.refunded,
        refund_owed: reservation.refund_owed,
        supplier_paid: reservation.supplier_paid,
        fees_paid: reservation.fees_paid,
        escrowed: reservation.refund_owed,
        closed: true,
        ended_early: true,
        escrow_balance: outcome.escrow_balance,
        config: config.state(),
    });
    Ok(())
}
