use anchor_lang::prelude::*;

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
    pub _reserved: [u8; 128],
}

impl Config {
    pub const SEED: &'static [u8] = b"config";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}
