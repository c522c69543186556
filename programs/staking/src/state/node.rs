use anchor_lang::prelude::*;
use ngpu_math::staking::{
    accrued, accumulator_delta, hourly_target, shares_to_amount, split_node_reward, stake_boost_bps,
};

use crate::errors::{math, StakingError};
use crate::state::Config;

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeState {
    /// Available: earns when staked enough and past its reconnect cooldown.
    Committed,
    /// Rented through the reservations program: earns nothing from availability.
    Hired,
    Paused,
    Terminated,
}

/// One GPU device of a supplier, PDA `[b"node", supplier, node_id]`. Its vault
/// `[b"vault", node, IO mint]` holds every position's active and cooling-down stake.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Node {
    pub version: u8,
    pub bump: u8,
    pub vault_bump: u8,
    pub state: NodeState,
    pub modifiers_bps: [u16; 4],
    pub supplier: Pubkey,
    pub device_class: Pubkey,
    pub vault: Pubkey,
    pub node_id: u64,
    /// Earns from this time on (a reconnected node waits 12 hours).
    pub eligible_from: i64,
    pub capex_micro_usd: u64,
    pub max_stake: u64,
    /// This node's share of `Config::total_weight` (its hourly target, micro-USD; 0 if not eligible).
    pub weight: u128,
    /// `Config::reward_per_weight` when the node last settled.
    pub reward_per_weight_paid: u128,
    /// Base units per share, scaled by `INDEX_SCALE` (lowered by slashing).
    pub stake_index: u128,
    pub active_shares: u128,
    pub cooldown_shares: u128,
    /// Stakers' reward per active share, scaled by `ACC_SCALE`.
    pub reward_per_share: u128,
    /// The supplier's settled, unclaimed reward, base units.
    pub supplier_unclaimed: u64,
    /// Rewards settled to this node in total (supplier + stakers), base units.
    pub total_rewarded: u64,
    pub _reserved: [u8; 64],
}

impl Node {
    pub const SEED: &'static [u8] = b"node";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn active_stake(&self) -> Result<u64> {
        math(shares_to_amount(self.active_shares, self.stake_index))
    }

    /// Credits what the node's weight earned since it last settled: 95% to the supplier, 5%
    /// into the stakers' reward-per-share.
    pub fn settle(&mut self, config: &Config) -> Result<()> {
        let reward = math(accrued(
            self.weight,
            config.reward_per_weight,
            self.reward_per_weight_paid,
        ))?;
        self.reward_per_weight_paid = config.reward_per_weight;
        if reward == 0 {
            return Ok(());
        }
        let (supplier, stakers) = split_node_reward(reward);
        self.supplier_unclaimed = self
            .supplier_unclaimed
            .checked_add(supplier)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        // An earning node has at least the minimum stake, so active_shares > 0.
        let delta = math(accumulator_delta(stakers, self.active_shares))?;
        self.reward_per_share = self
            .reward_per_share
            .checked_add(delta)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        self.total_rewarded = self
            .total_rewarded
            .checked_add(reward)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        Ok(())
    }

    /// Recomputes the node's weight from its state and stake and moves the difference into
    /// `config.total_weight`. Call after `settle` and after the change.
    pub fn refresh_weight(&mut self, config: &mut Config, now: i64) -> Result<()> {
        let active = self.active_stake()?;
        let eligible = self.state == NodeState::Committed
            && active >= config.min_stake
            && now >= self.eligible_from;
        let weight = if eligible {
            let boost = stake_boost_bps(
                active,
                config.min_stake,
                self.max_stake,
                config.max_stake_boost_bps,
            );
            u128::from(math(hourly_target(self.capex_micro_usd, boost))?)
        } else {
            0
        };
        config.total_weight = config
            .total_weight
            .checked_sub(self.weight)
            .and_then(|t| t.checked_add(weight))
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        self.weight = weight;
        Ok(())
    }
}
