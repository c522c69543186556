//! NGPU `reservations` (SPEC §5): a supplier lists a staking node at a price per hour; a renter
//! reserves it for whole hours and pays the whole cost up front into an escrow owned by this
//! program, in USDC or IO (IO at the low side of the oracle's band). The supplier is paid as
//! hours are delivered (lazy, permissionless, idempotent settlement); the renter may end early
//! (the hour in progress is charged, the rest refunded with its fees). Every fee goes to the
//! revenue program's fee vaults. While a reservation is open the node is hired in staking
//! (this program's config PDA is staking's hire authority).
#![deny(clippy::arithmetic_side_effects)]
// Anchor's `Result` error is ~160 bytes; boxing it would cost heap on every failure for nothing.
#![allow(clippy::result_large_err)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod hire;
pub mod instructions;
pub mod settlement;
pub mod state;
pub mod token_account;

pub use constants::*;
pub use errors::ReservationsError;
pub use events::*;
pub use instructions::*;
pub use state::*;

declare_id!("F6cGQhbLSKkbkuirmTQEggaguh2C6N8Qz7pazTg49SFm");

#[program]
pub mod reservations {
    use super::*;

    /// Creates the config and the two escrow vaults `[b"escrow", config, mint]`, pinning the
    /// USDC mint (classic SPL Token, 6 decimals), the revenue fee vaults, the price feed and the
    /// parameters. Only the program's upgrade authority; it becomes the authority.
    pub fn initialize(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
        instructions::initialize::handler(ctx, args)
    }

    /// Replaces every parameter within the bounds of `initialize` (authority). Open
    /// reservations keep the terms they were made with.
    pub fn update_params(ctx: Context<UpdateParams>, params: InitializeArgs) -> Result<()> {
        instructions::update_params::handler(ctx, params)
    }

    /// Pauses or resumes new reservations; settle and end stay open (authority).
    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        instructions::set_paused::handler(ctx, paused)
    }

    /// Proposes a new authority; `Pubkey::default()` withdraws a proposal (authority).
    pub fn propose_authority(ctx: Context<ProposeAuthority>, new_authority: Pubkey) -> Result<()> {
        instructions::propose_authority::handler(ctx, new_authority)
    }

    /// Accepts a pending authority proposal (the proposed key).
    pub fn accept_authority(ctx: Context<AcceptAuthority>) -> Result<()> {
        instructions::accept_authority::handler(ctx)
    }

    /// Lists a staking node at a price per hour, with the supplier's payout accounts (the
    /// node's supplier; not a terminated node).
    pub fn list_node(ctx: Context<ListNode>, args: ListingArgs) -> Result<()> {
        instructions::list_node::handler(ctx, args)
    }

    /// Changes a listing's terms; open reservations keep theirs (the node's supplier).
    pub fn update_listing(ctx: Context<UpdateListing>, args: ListingArgs) -> Result<()> {
        instructions::update_listing::handler(ctx, args)
    }

    /// Closes a listing without an open reservation; rent to the supplier (the supplier).
    pub fn delist(ctx: Context<Delist>) -> Result<()> {
        instructions::delist::handler(ctx)
    }

    /// Reserves a listed node for `hours`, paying the whole cost and its fees into escrow in
    /// `currency`, at most `max_total` base units; marks the node hired (the renter).
    pub fn reserve(
        ctx: Context<Reserve>,
        hours: u32,
        currency: Currency,
        max_total: u64,
    ) -> Result<()> {
        instructions::reserve::handler(ctx, hours, currency, max_total)
    }

    /// Pays the supplier for the whole hours delivered since the last settle, fees to the
    /// revenue vaults; after the last hour releases the node and closes the reservation (anyone).
    pub fn settle(ctx: Context<Settle>) -> Result<()> {
        instructions::settle::handler(ctx)
    }

    /// Ends a reservation early: settles, charges the hour in progress, refunds the rest with
    /// its fees, releases the node and closes (the renter).
    pub fn end_early(ctx: Context<EndEarly>) -> Result<()> {
        instructions::end_early::handler(ctx)
    }

    /// The node oracles' quorum (staking's oracle set, as signers in the remaining accounts)
    /// reports the node failed to deliver: pays the delivered hours, refunds the rest with the
    /// hour in progress, burns the node's unclaimed supplier rewards, releases, closes (anyone
    /// with the quorum).
    pub fn report_failure(ctx: Context<ReportFailure>) -> Result<()> {
        instructions::report_failure::handler(ctx)
    }

    /// Pays the supplier what is owed to it in `currency` (pay credited to the listing while the
    /// reservation's payout account was closed or frozen) to a token account it owns (the
    /// listing's supplier).
    pub fn claim_payout(ctx: Context<ClaimPayout>, currency: Currency) -> Result<()> {
        instructions::claim_payout::handler(ctx, currency)
    }

    /// Pays the renter the refund of a reservation that ended while its token account was
    /// closed or frozen, to a token account it owns; closes the reservation (the stored renter).
    pub fn claim_refund(ctx: Context<ClaimRefund>) -> Result<()> {
        instructions::claim_refund::handler(ctx)
    }

    /// Delivers the fees kept in escrow while the revenue fee vault of `currency` was frozen,
    /// once it is usable again (anyone).
    pub fn sweep_fees(ctx: Context<SweepFees>, currency: Currency) -> Result<()> {
        instructions::sweep_fees::handler(ctx, currency)
    }
}
