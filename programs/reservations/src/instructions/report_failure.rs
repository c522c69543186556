use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_math::reservations::delivered_hours;

use crate::constants::IO_MINT;
use crate::errors::ReservationsError;
use crate::events::ReservationFailed;
use crate::hire::{node_state, HireAccounts};
use crate::settlement::SettleAccounts;
use crate::state::{add_to, Config, Listing, Reservation, CONFIG_ADDRESS};

#[event_cpi]
#[derive(Accounts)]
pub struct ReportFailure<'info> {
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: an open reservation (`ReservationNotOpen` otherwise); closed by the handler.
    #[account(mut)]
    pub reservation: UncheckedAccount<'info>,
    /// The reservation's listing (`WrongListing`).
    #[account(mut)]
    pub listing: Box<Account<'info, Listing>>,
    /// CHECK: the reservation's staking node (`WrongListing`).
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
    /// CHECK: the stored renter (`WrongRecipient`): receives the rent.
    #[account(mut)]
    pub renter: UncheckedAccount<'info>,
    /// CHECK: the stored renter token account (`WrongRecipient`): receives the refund.
    #[account(mut)]
    pub renter_token: UncheckedAccount<'info>,
    /// Staking's config: its node-oracle set and quorum.
    #[account(address = staking::CONFIG_ADDRESS)]
    pub staking_config: Box<Account<'info, staking::Config>>,
    /// CHECK: staking's hour ledger (pinned).
    #[account(mut, address = staking::LEDGER_ADDRESS)]
    pub staking_ledger: UncheckedAccount<'info>,
    /// CHECK: staking's reward vault (pinned): the node's unclaimed rewards are burned from it.
    #[account(mut, address = staking::REWARD_VAULT_ADDRESS)]
    pub staking_reward_vault: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned.
    #[account(mut, address = IO_MINT)]
    pub io_mint: UncheckedAccount<'info>,
    /// CHECK: staking's event authority (checked by staking).
    pub staking_event_authority: UncheckedAccount<'info>,
    pub staking_program: Program<'info, staking::program::Staking>,
    pub token_program: Program<'info, Token>,
}

/// A quorum of staking's node oracles (signers among the remaining accounts) reports the node
/// failed to deliver: the delivered hours are paid, every undelivered hour (the one in progress
/// included) is refunded with its fees, the node's unclaimed supplier rewards are burned and the
/// node is released. Never paused, no price.
pub fn handler(ctx: Context<ReportFailure>) -> Result<()> {
    let a = &ctx.accounts;
    a.staking_config
        .check_oracle_quorum(ctx.remaining_accounts)
        .map_err(|_| error!(ReservationsError::QuorumNotReached))?;
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
    let (reward_vault, io_mint, token_program) = (
        a.staking_reward_vault.to_account_info(),
        a.io_mint.to_account_info(),
        a.token_program.to_account_info(),
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
    settle.check(&a.config, &reservation)?;
    require_keys_eq!(
        renter_token.key(),
        reservation.renter_token,
        ReservationsError::WrongRecipient
    );
    let now = Clock::get()?.unix_timestamp;
    let (start, hours) = (reservation.start_ts, reservation.hours);
    let delivered = delivered_hours(start, now, hours);
    require_gt!(hours, delivered, ReservationsError::ReservationCompleted);
    // Only while this program is staking's hire authority and the node still exists (a node
    // deregistered after its termination has nothing to burn): the refund never waits on it.
    if settle.hire.is_hire_authority() && node_state(&node).is_some() {
        settle
            .hire
            .burn_node_rewards(&reward_vault, &io_mint, &token_program)?;
    }
    let config: &mut Config = &mut ctx.accounts.config;
    let outcome = settle.run(
        config,
        &mut reservation,
        delivered,
        true,
        Some(&renter_token),
    )?;
    ctx.accounts.listing.active_reservation = Pubkey::default();
    add_to(
        ctx.accounts.listing.owed_mut(reservation.currency),
        outcome.owed,
    )?;
    if reservation.refund_owed > 0 {
        add_to(&mut ctx.accounts.listing.refunds_owed, 1)?;
    }
    let config = &ctx.accounts.config;
    emit_cpi!(ReservationFailed {
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
        escrow_balance: outcome.escrow_balance,
        config: config.state(),
    });
    Ok(())
}
