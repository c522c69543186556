use anchor_lang::prelude::*;

/// A hardware model, PDA `[b"device_class", class_id]`, set by the authority.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct DeviceClass {
    pub version: u8,
    pub bump: u8,
    pub class_id: u16,
    /// Purchase cost of one device, micro-USD: the node's target pays it back over 13,140 h.
    pub capex_micro_usd: u64,
    /// Stake base of the node maximum: `device_max_stake * (2 + 3 * Σ modifiers)`.
    pub device_max_stake: u64,
    pub _reserved: [u8; 32],
}

impl DeviceClass {
    pub const SEED: &'static [u8] = b"device_class";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}
