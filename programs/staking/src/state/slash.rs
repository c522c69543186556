use anchor_lang::prelude::*;

use crate::errors::StakingError;

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlashStatus {
    /// In the appeal escrow until `appeal_until`.
    Pending,
    /// Burned by `finalize_slash` after the appeal window.
    Burned,
    /// Given back by `uphold_appeal`.
    Returned,
}

/// One malicious-behaviour slash of a node, PDA `[b"slash", node, id]`: what was taken (held in
/// the config's escrow vault) and until when it can be appealed.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct SlashRecord {
    pub version: u8,
    pub bump: u8,
    pub status: SlashStatus,
    pub bps: u16,
    pub node: Pubkey,
    pub id: u64,
    /// Taken from the node's active and cooling-down stake, base units.
    pub stake_amount: u64,
    /// Taken from the supplier's unclaimed reward.
    pub supplier_reward_amount: u64,
    /// Taken from the stakers' unclaimed rewards.
    pub staker_reward_amount: u64,
    pub slashed_at: i64,
    /// `finalize_slash` burns from this time on; `uphold_appeal` returns until it is burned.
    pub appeal_until: i64,
    /// Paid at once to the harmed renter out of the slashed tokens (taken from the stake first,
    /// then the supplier's and the stakers' rewards); the three amounts above are what is left
    /// for the escrow. An upheld appeal returns those, not this.
    pub renter_compensation: u64,
    pub _reserved: [u8; 24],
}

impl SlashRecord {
    pub const SEED: &'static [u8] = b"slash";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Everything this slash holds in the escrow.
    pub fn total(&self) -> Result<u64> {
        self.stake_amount
            .checked_add(self.supplier_reward_amount)
            .and_then(|t| t.checked_add(self.staker_reward_amount))
            .ok_or_else(|| error!(StakingError::MathOverflow))
    }
}
