//! NGPU `revenue`: network fees arrive in two vaults (IO and USDC) owned by the config PDA;
//! IO fees are burned by anyone; USDC buys IO back from sellers (RFQ fills) at no more than the
//! oracle's low price plus a premium, under a rolling-window outflow limit, and that IO is
//! burned at once. Every burn is recorded per UTC day and in all-time totals (SPEC §6, §7).
#![deny(clippy::arithmetic_side_effects)]
// Anchor's `Result` error is ~160 bytes; boxing it would cost heap on every failure for nothing.
#![allow(clippy::result_large_err)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod price;
pub mod state;
pub mod token_account;

pub use constants::*;
pub use errors::RevenueError;
pub use events::*;
pub use instructions::*;
pub use state::*;

declare_id!("FLQB15ubUb799R7iLCm3Kw3zmjowT3Rdg6rZk2C9Vpay");

#[program]
pub mod revenue {
    use super::*;

    /// Creates the config and the two fee vaults `[b"fees", config, mint]`, pinning the USDC
    /// mint (classic SPL Token, 6 decimals), the price feed and the parameters. Only the
    /// program's upgrade authority; it becomes the authority.
    pub fn initialize(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
        instructions::initialize::handler(ctx, args)
    }

    /// Burns the whole IO fee vault into today's burn record (anyone; never paused).
    pub fn burn_io_fees(ctx: Context<BurnIoFees>) -> Result<()> {
        instructions::burn_io_fees::handler(ctx)
    }

    /// RFQ buyback: the seller's `io_in` IO is burned and `usdc_out` USDC paid from the fee
    /// vault, within the oracle bound, before `expire_at`, under the outflow window (the seller).
    pub fn fill_buyback(
        ctx: Context<FillBuyback>,
        io_in: u64,
        usdc_out: u64,
        expire_at: i64,
    ) -> Result<()> {
        instructions::fill_buyback::handler(ctx, io_in, usdc_out, expire_at)
    }

    /// Replaces every parameter within the bounds of `initialize` (authority).
    pub fn update_params(ctx: Context<UpdateParams>, params: InitializeArgs) -> Result<()> {
        instructions::update_params::handler(ctx, params)
    }

    /// Pauses or resumes buybacks; fee burns are never paused (authority).
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
}
