use anchor_lang::prelude::*;

use crate::events::ConfigState;

/// The program's configuration, PDA `[b"config"]`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Config {
    pub version: u8,
    pub bump: u8,
    /// Blocks `create_schedule` only: claims, beneficiary changes and revocations stay open.
    pub paused: bool,
    /// The network multisig: creates and opens pools, grants and revokes schedules.
    pub authority: Pubkey,
    /// Proposed new authority awaiting `accept_authority`; default when none.
    pub pending_authority: Pubkey,
    /// Pools created so far (ids are chosen by the authority; this only counts them).
    pub pool_count: u16,
    pub _reserved: [u8; 126],
}

impl Config {
    pub const SEED: &'static [u8] = b"config";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// The config after a change, as events carry it.
    pub fn state(&self) -> ConfigState {
        ConfigState {
            authority: self.authority,
            pending_authority: self.pending_authority,
            paused: self.paused,
            pool_count: self.pool_count,
        }
    }
}
