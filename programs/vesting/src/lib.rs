//! NGPU `vesting`: the investor and contributor allocations of genesis, released as a 12-month
//! cliff then equal monthly calendar parts (SPEC §2). Pools hold each allocation; schedules grant
//! a beneficiary part of a pool, in a vault of their own; anyone may push a claim.
#![deny(clippy::arithmetic_side_effects)]
// Anchor's `Result` error is ~160 bytes; boxing it would cost heap on every failure for nothing.
#![allow(clippy::result_large_err)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;

pub use constants::*;
pub use errors::VestingError;
pub use events::*;
pub use instructions::*;
pub use state::*;

declare_id!("WmzVdpXNbt582EJ4U56spBkun9C7UMZmMArhpjrEhEg");

#[program]
pub mod vesting {
    use super::*;

    /// Creates the config. Only the program's upgrade authority; it becomes the authority.
    pub fn initialize(ctx: Context<Initialize>) -> Result<()> {
        instructions::initialize::handler(ctx)
    }

    /// Creates an allocation pool and its vault, with its rule (authority). Genesis mints into
    /// the vault.
    pub fn create_pool(ctx: Context<CreatePool>, pool_id: u8, rule: PoolRule) -> Result<()> {
        instructions::create_pool::handler(ctx, pool_id, rule)
    }

    /// After genesis: records the pool's total and the vesting start (io-token's genesis time).
    pub fn open_pool(ctx: Context<OpenPool>) -> Result<()> {
        instructions::open_pool::handler(ctx)
    }

    /// Grants a beneficiary part of a pool, moved into the schedule's own vault (authority).
    pub fn create_schedule(ctx: Context<CreateSchedule>, args: CreateScheduleArgs) -> Result<()> {
        instructions::create_schedule::handler(ctx, args)
    }

    /// Sends everything unlocked and unclaimed to the beneficiary's IO account (anyone).
    pub fn claim(ctx: Context<Claim>) -> Result<()> {
        instructions::claim::handler(ctx)
    }

    /// Hands the schedule to a new wallet (the current beneficiary).
    pub fn change_beneficiary(
        ctx: Context<ChangeBeneficiary>,
        new_beneficiary: Pubkey,
    ) -> Result<()> {
        instructions::change_beneficiary::handler(ctx, new_beneficiary)
    }

    /// Ends a revocable schedule: what has unlocked stays claimable, the rest returns to the
    /// pool; touches nothing the beneficiary controls (authority).
    pub fn revoke(ctx: Context<Revoke>) -> Result<()> {
        instructions::revoke::handler(ctx)
    }

    /// Closes a settled schedule and its vault, rent to whoever paid it (anyone).
    pub fn close_schedule(ctx: Context<CloseSchedule>) -> Result<()> {
        instructions::close_schedule::handler(ctx)
    }

    /// Adds vault surpluses (donations, dust) of the pool and optionally one schedule to the
    /// pool (anyone).
    pub fn sweep(ctx: Context<Sweep>) -> Result<()> {
        instructions::sweep::handler(ctx)
    }

    /// Pauses or resumes schedule creation; claims are never paused (authority).
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
