use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_math::reservations::delivered_hours;

use ngpu_onchain::{read_account, write_account};

use crate::events::ReservationSettled;
use crate::hire::HireAccounts;
use crate::settlement::SettleAccounts;
use crate::state::{add_to, Config, Listing, Reservation, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct Settle<'info> {
    /// CHECK: the pinned config, read and written back once by the handler (`read_account`:
    /// owner and discriminator, as `Account` would).
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: UncheckedAccount<'info>,
    /// CHECK: an open reservation (`ReservationNotOpen` otherwise), read and written back (or
    /// closed) by the handler.
    #[account(mut)]
    pub reservation: UncheckedAccount<'info>,
    /// CHECK: the reservation's listing (`WrongListing`), read by the handler and written back
    /// when the reservation closes.
    #[account(mut)]
    pub listing: UncheckedAccount<'info>,
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
    /// CHECK: the reservation's stored renter (`WrongRecipient`): the rent goes back to it at
    /// close.
    #[account(mut)]
    pub renter: UncheckedAccount<'info>,
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

/// Pays the whole hours delivered since the last settle (idempotent: nothing moves twice);
/// after the last hour, releases the node and closes the reservation (rent to the renter).
/// Never needs a price, never paused.
pub fn handler(ctx: Context<Settle>) -> Result<()> {
    let a = &ctx.accounts;
    let (config_info, reservation_info) =
        (a.config.to_account_info(), a.reservation.to_account_info());
    let (escrow, payout, fee_vault, renter) = (
        a.escrow.to_account_info(),
        a.supplier_payout.to_account_info(),
        a.fee_vault.to_account_info(),
        a.renter.to_account_info(),
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
    let mut config: Config = read_account(&config_info)?;
    let mut reservation = Reservation::load_open(&reservation_info)?;
    settle.check(&config, &reservation)?;
    let now = Clock::get()?.unix_timestamp;
    let delivered = delivered_hours(reservation.start_ts, now, reservation.hours);
    let complete = delivered == reservation.hours;
    let outcome = settle.run(&mut config, &mut reservation, delivered, complete, None)?;
    if outcome.closed || outcome.owed > 0 {
        let listing_info = a.listing.to_account_info();
        let mut listing: Listing = read_account(&listing_info)?;
        if outcome.closed {
            listing.active_reservation = Pubkey::default();
        }
        add_to(listing.owed_mut(reservation.currency), outcome.owed)?;
        write_account(&listing_info, &listing)?;
    }
    write_account(&config_info, &config)?;
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
        escrowed: if outcome.closed {
            0
        } else {
            reservation.escrowed()?
        },
        closed: outcome.closed,
        ended_early: false,
        escrow_balance: outcome.escrow_balance,
        config: config.state(),
    });
    Ok(())
}
