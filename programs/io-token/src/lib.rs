//! NGPU `io-token`: the capped IO mint (800M ever minted), the one-time genesis allocation and
//! the hourly emission schedule. The mint authority is a PDA of this program; only `genesis`
//! and `mint_emission` can sign with it, and both check the cap.
#![deny(clippy::arithmetic_side_effects)]
// Anchor's generated code and our handlers return `anchor_lang::Result`, whose error is ~160
// bytes; boxing every error would cost heap on each failure for no gain.
#![allow(clippy::result_large_err)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;

pub use constants::*;
pub use errors::IoTokenError;
pub use events::*;
pub use instructions::*;
pub use state::*;

declare_id!("47fNcvrmbQgrW9ZpBBkgDMJN3wbhCJfKruaZb1LvPxBB");

#[program]
pub mod io_token {
    use super::*;

    /// Creates the config and the IO mint (8 decimals, PDA mint authority, no freeze authority).
    /// Only the program's upgrade authority may call it; it becomes the config authority.
    pub fn initialize(ctx: Context<Initialize>) -> Result<()> {
        instructions::initialize::handler(ctx)
    }

    /// Mints the 500M IO genesis supply once, into the five allocation accounts (authority).
    pub fn genesis(ctx: Context<Genesis>, args: GenesisArgs) -> Result<()> {
        instructions::genesis::handler(ctx, args)
    }

    /// Mints up to each ended hour's budget, in order, at most `max_hours_per_call` hours per
    /// call; the unminted rest of each budget is forfeited for good (emission controller).
    pub fn mint_emission(ctx: Context<MintEmission>, args: MintEmissionArgs) -> Result<()> {
        instructions::mint_emission::handler(ctx, args)
    }

    /// Sets the emission controller and the token account emissions are minted to (authority;
    /// refused once `lock_emission_controller` ran).
    pub fn set_emission_controller(
        ctx: Context<SetEmissionController>,
        controller: Pubkey,
    ) -> Result<()> {
        instructions::set_emission_controller::handler(ctx, controller)
    }

    /// Fixes the emission controller and destination for good: afterwards
    /// `set_emission_controller` always fails (authority; irreversible).
    pub fn lock_emission_controller(ctx: Context<LockEmissionController>) -> Result<()> {
        instructions::lock_emission_controller::handler(ctx)
    }

    /// Sets how many hours one `mint_emission` call may process, 1..=24 (authority).
    pub fn set_max_hours_per_call(ctx: Context<SetMaxHoursPerCall>, hours: u8) -> Result<()> {
        instructions::set_max_hours_per_call::handler(ctx, hours)
    }

    /// Pauses or resumes genesis and emission; holders' tokens are never affected (authority).
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
