use anchor_lang::prelude::*;
use ngpu_math::lots::{Lots, LOTS};
use ngpu_math::staking::{mul_div_u128, ACC_SCALE};

use crate::errors::{math, StakingError};
use crate::state::Node;

/// A staker's stake on one node, PDA `[b"stake", node, staker]`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct StakePosition {
    pub version: u8,
    pub bump: u8,
    pub node: Pubkey,
    pub staker: Pubkey,
    /// Active stake, in node shares (value = shares * node.stake_index).
    pub shares: u128,
    /// Stake in cooldown, in node shares: earns nothing, stays slashable.
    pub cooldown_shares: u128,
    /// Each deposit's lock (SPEC §4: locked 7 days from its own time): shares and lock end, up
    /// to `LOTS` deposits still locked. Active shares beyond the locked ones can be unstaked.
    pub lock_shares: [u128; LOTS],
    pub lock_until: [i64; LOTS],
    /// Each unstake request's cooldown: shares and the time they become withdrawable. They add
    /// up to `cooldown_shares`.
    pub cooldown_lot_shares: [u128; LOTS],
    pub cooldown_lot_until: [i64; LOTS],
    /// `Node::reward_per_share` when the position last settled.
    pub reward_per_share_paid: u128,
    /// Settled, unclaimed reward in the node's reward units (value = units * node.reward_index
    /// / INDEX_SCALE, so a slash of the node reaches it in O(1)).
    pub owed_units: u128,
    /// `Node::reward_epoch` when the position last settled: units of an older epoch were
    /// written off by a slash.
    pub reward_epoch: u32,
    pub _reserved: [u8; 60],
}

impl StakePosition {
    pub const SEED: &'static [u8] = b"stake";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// The deposits still locked (or ended, until their slot is reused).
    pub fn locks(&self) -> Lots {
        Lots {
            shares: self.lock_shares,
            until: self.lock_until,
        }
    }

    pub fn set_locks(&mut self, lots: &Lots) {
        self.lock_shares = lots.shares;
        self.lock_until = lots.until;
    }

    /// The unstake requests in cooldown (or ended, until withdrawn).
    pub fn cooldowns(&self) -> Lots {
        Lots {
            shares: self.cooldown_lot_shares,
            until: self.cooldown_lot_until,
        }
    }

    pub fn set_cooldowns(&mut self, lots: &Lots) {
        self.cooldown_lot_shares = lots.shares;
        self.cooldown_lot_until = lots.until;
    }

    /// Active shares whose deposit lock has ended at `now`: what may be unstaked.
    pub fn unlocked_shares(&self, now: i64) -> u128 {
        self.shares.saturating_sub(self.locks().running(now))
    }

    /// Credits the position's share of the stakers' rewards since it last settled. Call after
    /// `Node::settle`.
    pub fn settle(&mut self, node: &Node) -> Result<()> {
        if self.reward_epoch != node.reward_epoch {
            // A slash took everything the stakers had unclaimed: what this position held, and
            // what it accrued before that, is void.
            self.owed_units = 0;
            self.reward_per_share_paid = self
                .reward_per_share_paid
                .max(node.reward_per_share_written_off);
            self.reward_epoch = node.reward_epoch;
        }
        let delta = node
            .reward_per_share
            .checked_sub(self.reward_per_share_paid)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        let units = math(mul_div_u128(self.shares, delta, ACC_SCALE))?;
        self.reward_per_share_paid = node.reward_per_share;
        self.owed_units = self
            .owed_units
            .checked_add(units)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        Ok(())
    }
}
