//! NGPU `staking`: GPU nodes, stake on nodes in per-node vaults, and the hourly availability
//! rewards: a permissionless crank mints each hour's paid emission through io-token (this
//! program's emission PDA is io-token's emission controller) and advances a global
//! reward-per-weight accumulator; nodes and positions settle lazily, O(1) per instruction.
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

pub use constants::*;
pub use errors::StakingError;
pub use events::*;
pub use instructions::*;
pub use state::*;

declare_id!("DdV1ZMCXtyPHjwFxHbZYR3tWp6s7ry16x88Hom3VYSfY");

#[program]
pub mod staking {
    use super::*;

    /// Creates the config, the emission PDA and the reward vault (upgrade authority only).
    pub fn initialize(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
        instructions::initialize::handler(ctx, args)
    }

    /// Replaces the parameters, within the bounds of `initialize` (authority).
    pub fn update_params(ctx: Context<UpdateParams>, params: InitializeArgs) -> Result<()> {
        instructions::update_params::handler(ctx, params)
    }

    /// Pauses or resumes new stake and node registration; exits and claims stay open (authority).
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

    /// Creates or updates a device class: capex and device max stake (authority).
    pub fn set_device_class(ctx: Context<SetDeviceClass>, args: DeviceClassArgs) -> Result<()> {
        instructions::set_device_class::handler(ctx, args)
    }

    /// Registers a node (one GPU device) of a device class, with its stake vault (supplier).
    pub fn register_node(ctx: Context<RegisterNode>, node_id: u64) -> Result<()> {
        instructions::register_node::handler(ctx, node_id)
    }

    /// Sets a node's four modifiers in bps (the oracle).
    pub fn set_modifiers(ctx: Context<SetModifiers>, modifiers_bps: [u16; 4]) -> Result<()> {
        instructions::set_modifiers::handler(ctx, modifiers_bps)
    }

    /// Pauses, resumes or terminates a node (the supplier).
    pub fn set_node_state(ctx: Context<SetNodeState>, action: NodeAction) -> Result<()> {
        instructions::set_node_state::handler(ctx, action)
    }

    /// Makes a resumed node earn again once its reconnect cooldown has passed (anyone).
    pub fn activate_node(ctx: Context<ActivateNode>) -> Result<()> {
        instructions::activate_node::handler(ctx)
    }

    /// Marks a node hired or released (the hire authority: the reservations program's PDA).
    pub fn set_hired(ctx: Context<SetHired>, hired: bool) -> Result<()> {
        instructions::set_hired::handler(ctx, hired)
    }

    /// Burns a node's unclaimed supplier rewards after a failed delivery (the hire authority:
    /// the reservations program's PDA, from `report_failure`).
    pub fn burn_node_rewards(ctx: Context<BurnNodeRewards>) -> Result<()> {
        instructions::burn_node_rewards::handler(ctx)
    }

    /// Stakes IO on a node (anyone); locked for `lock_secs`.
    pub fn stake(ctx: Context<Stake>, amount: u64) -> Result<()> {
        instructions::stake::handler(ctx, amount)
    }

    /// Moves unlocked active stake into cooldown; it stops earning at once (the staker).
    pub fn request_unstake(ctx: Context<RequestUnstake>, amount: u64) -> Result<()> {
        instructions::request_unstake::handler(ctx, amount)
    }

    /// Puts the stake in cooldown back to active (the staker).
    pub fn cancel_unstake(ctx: Context<CancelUnstake>) -> Result<()> {
        instructions::cancel_unstake::handler(ctx)
    }

    /// Withdraws stake whose cooldown has ended (the staker).
    pub fn withdraw(ctx: Context<Withdraw>) -> Result<()> {
        instructions::withdraw::handler(ctx)
    }

    /// Mints and distributes the next ended hours (permissionless, at most 24 per call).
    pub fn crank_hour(ctx: Context<CrankHour>, first_hour: u64, hours: u8) -> Result<()> {
        instructions::crank_hour::handler(ctx, first_hour, hours)
    }

    /// Pins the 30-day reward history ring, created at a keypair address (authority, once).
    pub fn init_history(ctx: Context<InitHistory>) -> Result<()> {
        instructions::init_history::handler(ctx)
    }

    /// Reports a node's uptime for one cranked hour (a quorum of the oracle set): cuts that
    /// hour's reward pro rata; offline forfeits it and slashes stake by one hour's reward.
    pub fn report_uptime(ctx: Context<ReportUptime>, hour: u64, uptime_bps: u16) -> Result<()> {
        instructions::report_uptime::handler(ctx, hour, uptime_bps)
    }

    /// Slashes `bps` of a node's stake and unclaimed rewards (authority): `renter_compensation`
    /// of them goes at once to the harmed renter's IO account, the rest into the appeal escrow.
    pub fn slash_malicious(
        ctx: Context<SlashMalicious>,
        bps: u16,
        renter_compensation: u64,
    ) -> Result<()> {
        instructions::slash_malicious::handler(ctx, bps, renter_compensation)
    }

    /// Burns a slash once its appeal window has ended (anyone).
    pub fn finalize_slash(ctx: Context<FinalizeSlash>) -> Result<()> {
        instructions::finalize_slash::handler(ctx)
    }

    /// Returns a pending slash to the node's stakers and supplier (authority).
    pub fn uphold_appeal(ctx: Context<UpholdAppeal>) -> Result<()> {
        instructions::uphold_appeal::handler(ctx)
    }

    /// Pays the supplier its 95% of the node's rewards (the supplier).
    pub fn claim_node_rewards(ctx: Context<ClaimNodeRewards>) -> Result<()> {
        instructions::claim_node_rewards::handler(ctx)
    }

    /// Pays a staker its share of the node's 5% (the staker).
    pub fn claim_stake_rewards(ctx: Context<ClaimStakeRewards>) -> Result<()> {
        instructions::claim_stake_rewards::handler(ctx)
    }

    /// Closes an empty stake position (no stake, no claimable reward); rent to the staker.
    pub fn close_position(ctx: Context<ClosePosition>) -> Result<()> {
        instructions::close_position::handler(ctx)
    }

    /// Closes a decided slash record (burned or returned); rent to the authority.
    pub fn close_slash(ctx: Context<CloseSlash>) -> Result<()> {
        instructions::close_slash::handler(ctx)
    }

    /// Closes a terminated node that owes and is owed nothing, with its vault (any dust goes
    /// to the reward vault); rent to the supplier.
    pub fn deregister_node(ctx: Context<DeregisterNode>) -> Result<()> {
        instructions::deregister_node::handler(ctx)
    }

    /// Moves a node vault's tokens beyond its stake to the reward vault (anyone).
    pub fn sweep_node_vault(ctx: Context<SweepNodeVault>) -> Result<()> {
        instructions::sweep_node_vault::handler(ctx)
    }

    /// Moves the escrow's tokens beyond its pending slashes to the reward vault (anyone).
    pub fn sweep_escrow_vault(ctx: Context<SweepEscrowVault>) -> Result<()> {
        instructions::sweep_escrow_vault::handler(ctx)
    }
}
