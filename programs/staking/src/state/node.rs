use anchor_lang::prelude::*;
use ngpu_math::penalties::{index_for_value, record_weight, repay, WEIGHT_LOG_LEN};
use ngpu_math::schedule::{WeightSchedule, SCHEDULE_LEN};
use ngpu_math::staking::{
    amount_to_shares, hourly_target, mul_div_u128, shares_to_amount, split_node_reward,
    stake_boost_bps, ACC_SCALE,
};
use ngpu_onchain::token_cpi;

use crate::errors::{add_to, math, StakingError};
use crate::state::{Config, Ledger, LEDGER_HOURS};

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
    /// The weight the node ends with once its scheduled changes are in force (its hourly
    /// target, micro-USD; 0 if not eligible). Hour by hour, the schedule below decides.
    pub weight: u128,
    /// `Config::reward_per_weight` when the node last settled (the reading after hour
    /// `Config::next_hour - 1` then).
    pub reward_per_weight_paid: u128,
    /// Hour-exact weights (SPEC §4): `schedule_weights[i]` from hour `schedule_hours[i]` on, for
    /// the first `schedule_len` entries; entry 0 is in force since the node last settled.
    pub schedule_hours: [u64; SCHEDULE_LEN],
    pub schedule_weights: [u64; SCHEDULE_LEN],
    pub schedule_len: u8,
    /// Stakers' reward write-offs so far: a position that settled under an older epoch holds
    /// units that were written off (see `write_off_stakers`).
    pub reward_epoch: u32,
    /// `reward_per_share` at the latest write-off: units accrued before it are void.
    pub reward_per_share_written_off: u128,
    /// Base units per share, scaled by `INDEX_SCALE` (lowered by slashing).
    pub stake_index: u128,
    pub active_shares: u128,
    pub cooldown_shares: u128,
    /// Stakers' reward units per active share, scaled by `ACC_SCALE`.
    pub reward_per_share: u128,
    /// Base units per stakers' reward unit, scaled by `INDEX_SCALE` (lowered by slashing, so
    /// the stakers' unclaimed rewards are slashed in O(1) like their stake).
    pub reward_index: u128,
    /// Stakers' reward units credited and not yet claimed (an upper bound of what positions
    /// hold: each position's share rounds down).
    pub staker_units: u128,
    /// The supplier's settled, unclaimed reward, base units.
    pub supplier_unclaimed: u64,
    /// Uptime cuts the supplier's unclaimed reward could not cover: repaid from its next rewards.
    pub supplier_debt: u64,
    /// Repaid debt sitting in the reward vault, burned at the supplier's next claim or report.
    pub burn_pending: u64,
    /// Rewards settled to this node in total (supplier + stakers), base units.
    pub total_rewarded: u64,
    /// The weight each range of cranked hours was paid with (oldest first): hours from
    /// `weight_log_hours[i]` on were cranked with `weight_log_weights[i]`. Uptime reports read it.
    pub weight_log_hours: [u64; WEIGHT_LOG_LEN],
    pub weight_log_weights: [u64; WEIGHT_LOG_LEN],
    /// Uptime reports are accepted for hours from this one on (each hour once, in order).
    pub uptime_reported_until: u64,
    /// Malicious slashes so far: the id of the next slash record.
    pub slash_count: u64,
    /// Slashes in their appeal window: no new stake meanwhile, so that nobody can buy into
    /// the stake an upheld appeal would give back.
    pub pending_slashes: u32,
    /// Totals for reporting: rewards cut by uptime reports, stake slashed (all causes).
    pub rewards_cut: u64,
    pub stake_slashed: u64,
    /// Stake positions on the node not yet closed: the node can only be deregistered (its
    /// rent returned) once none is left, so that no staker's claim is closed with it.
    pub open_positions: u32,
    pub _reserved: [u8; 60],
}

impl Node {
    pub const SEED: &'static [u8] = b"node";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn active_stake(&self) -> Result<u64> {
        math(shares_to_amount(self.active_shares, self.stake_index))
    }

    /// Active + cooling-down stake: what the vault must hold for the positions. Valued over all
    /// shares at once, so moving shares between active and cooldown never changes it (each
    /// position's value rounds down on its own, so together they never exceed it).
    pub fn staked(&self) -> Result<u64> {
        math(shares_to_amount(self.total_shares()?, self.stake_index))
    }

    /// Active + cooling-down shares: what a slash or an upheld appeal prices pro rata.
    fn total_shares(&self) -> Result<u128> {
        self.active_shares
            .checked_add(self.cooldown_shares)
            .ok_or_else(|| error!(StakingError::MathOverflow))
    }

    /// The stakers' unclaimed rewards in base units (what positions can claim, at most).
    pub fn stakers_unclaimed(&self) -> Result<u64> {
        math(shares_to_amount(self.staker_units, self.reward_index))
    }

    /// Shares `amount` among the active stake as stakers' reward units (pro rata to active
    /// shares, like the 5% of every reward). Returns false, crediting nothing, if there is no
    /// active stake to credit.
    pub fn credit_stakers(&mut self, amount: u64) -> Result<bool> {
        if self.active_shares == 0 {
            return Ok(amount == 0);
        }
        let units = math(amount_to_shares(amount, self.reward_index))?;
        let delta = math(mul_div_u128(units, ACC_SCALE, self.active_shares))?;
        self.reward_per_share = self
            .reward_per_share
            .checked_add(delta)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        self.staker_units = self
            .staker_units
            .checked_add(units)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        Ok(true)
    }

    /// Credits the supplier: its uptime debt is repaid first (the repayment waits in
    /// `burn_pending` for its burn), the rest becomes claimable.
    pub fn credit_supplier(&mut self, amount: u64) -> Result<()> {
        let (credited, debt, repaid) = repay(amount, self.supplier_debt);
        add_to(&mut self.supplier_unclaimed, credited)?;
        self.supplier_debt = debt;
        add_to(&mut self.burn_pending, repaid)
    }

    /// Takes `amount` (at most everything) from every position's active and cooling-down stake
    /// pro rata, by lowering the stake index. Returns what the positions lost in total: at least
    /// `amount` when that much is staked (the vault must send out exactly this).
    pub fn take_stake(&mut self, amount: u64) -> Result<u64> {
        let before = self.staked()?;
        let shares = self.total_shares()?;
        if before == 0 || amount == 0 {
            return Ok(0);
        }
        self.stake_index = math(index_for_value(shares, before.saturating_sub(amount)))?;
        let taken = before.saturating_sub(self.staked()?);
        add_to(&mut self.stake_slashed, taken)?;
        // Nothing left to price shares at: the node is done (an upheld appeal can still give
        // the stake back, but it earns no more).
        if self.stake_index == 0 {
            self.state = NodeState::Terminated;
        }
        Ok(taken)
    }

    /// Gives `amount` back to whoever holds shares of the node now, pro rata, by raising the
    /// stake index (never by more than `amount`). Errors if the node has no shares at all.
    pub fn return_stake(&mut self, amount: u64) -> Result<()> {
        let shares = self.total_shares()?;
        require_gt!(shares, 0, StakingError::NothingStaked);
        let target = self
            .staked()?
            .checked_add(amount)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        self.stake_index = math(index_for_value(shares, target))?;
        Ok(())
    }

    /// Signer seeds of the node PDA (owner of its vault).
    pub fn with_signer_seeds<R>(&self, f: impl FnOnce(&[&[u8]]) -> R) -> R {
        let id = self.node_id.to_le_bytes();
        f(&[Self::SEED, self.supplier.as_ref(), &id, &[self.bump]])
    }

    /// Pays `amount` out of the node's stake vault, signed by the node PDA `node` (this
    /// account); nothing for 0. The twin of `Config::pay_from`.
    pub fn pay_from_vault<'info>(
        &self,
        node: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        to: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        self.with_signer_seeds(|seeds| token_cpi::transfer(&vault, &to, &node, amount, &[seeds]))
    }

    /// Burns `amount` from the node's stake vault, signed by the node PDA `node`; nothing for
    /// 0. The twin of `Config::burn_from`.
    pub fn burn_from_vault<'info>(
        &self,
        node: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        mint: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        self.with_signer_seeds(|seeds| token_cpi::burn(&vault, &mint, &node, amount, &[seeds]))
    }

    /// The node's hour-exact weight schedule.
    pub fn schedule(&self) -> WeightSchedule {
        WeightSchedule {
            hours: self.schedule_hours,
            weights: self.schedule_weights,
            len: self.schedule_len,
        }
    }

    fn set_schedule(&mut self, schedule: &WeightSchedule) {
        self.schedule_hours = schedule.hours;
        self.schedule_weights = schedule.weights;
        self.schedule_len = schedule.len;
    }

    /// Credits what the node earned in the hours cranked since it last settled, each hour at the
    /// weight it had during that hour: 95% to the supplier, 5% into the stakers'
    /// reward-per-share. Records the cranked weights in the log uptime reports read.
    pub fn settle<D: core::ops::Deref<Target = [u8]>>(&mut self, ledger: &Ledger<D>) -> Result<()> {
        let next = ledger.next_hour();
        let acc_now = ledger.reward_per_weight();
        let mut schedule = self.schedule();
        let (log_hours, log_weights) = (&mut self.weight_log_hours, &mut self.weight_log_weights);
        let reward = math(schedule.settle(
            next,
            acc_now,
            self.reward_per_weight_paid,
            |h| ledger.acc_end(h),
            |hour, weight| record_weight(log_hours, log_weights, hour, weight),
        ))?;
        self.set_schedule(&schedule);
        self.reward_per_weight_paid = acc_now;
        if reward == 0 {
            return Ok(());
        }
        let (supplier, stakers) = split_node_reward(reward);
        self.credit_supplier(supplier)?;
        // A node earns only with the minimum active stake, but with a late crank its stakers may
        // all have left (unstake requests) before the hours they served were cranked: then the
        // stakers' 5% has nobody to go to and goes to the supplier.
        if !self.credit_stakers(stakers)? {
            self.credit_supplier(stakers)?;
        }
        self.total_rewarded = self
            .total_rewarded
            .checked_add(reward)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        Ok(())
    }

    /// Recomputes the node's weight from its state and stake, and schedules it hour-exactly: a
    /// lower weight counts from the hour in progress, a higher one from the next whole hour (or
    /// the node's eligible hour after a reconnect). The network's per-hour total follows through
    /// the ledger. Call after `settle` and after the change.
    pub fn refresh_weight<D: core::ops::DerefMut<Target = [u8]>>(
        &mut self,
        config: &Config,
        ledger: &mut Ledger<D>,
        now: i64,
    ) -> Result<()> {
        let active = self.active_stake()?;
        let weight = if self.state == NodeState::Committed && active >= config.min_stake {
            let boost = stake_boost_bps(
                active,
                config.min_stake,
                self.max_stake,
                config.max_stake_boost_bps,
            );
            math(hourly_target(self.capex_micro_usd, boost))?
        } else {
            0
        };
        let mut hour = ngpu_math::hours_ended(config.genesis_ts, now);
        // `eligible_from` is an hour start: the first hour the node may earn in.
        let eligible_hour = ngpu_math::hours_ended(config.genesis_ts, self.eligible_from);
        let next = ledger.next_hour();
        let mut schedule = self.schedule();
        // With the crank more than the ledger's span behind, the hour in progress has no slot
        // yet. A change that only lowers the weight (an unstake request, a pause) must still go
        // through, so that nobody's exit waits on the crank: it counts from the ledger's last
        // hour instead (earlier than the hour it was made: the protocol's side). A raise waits.
        let last = next.saturating_add(LEDGER_HOURS.saturating_sub(2));
        if hour > last {
            require!(
                schedule.only_lowers_from(last, weight, eligible_hour),
                StakingError::CrankBehind
            );
            hour = last;
        }
        let mut result = Ok(());
        let mut record = |h: u64, delta: u64| {
            if result.is_ok() {
                result = ledger.add_delta(h, delta, next);
            }
        };
        if schedule
            .change(hour, weight, eligible_hour, &mut record)
            .is_err()
        {
            // Full: the crank lags behind many changes. A change that only lowers the weight
            // (a pause, an unstake request) must not wait on it: the pending changes before
            // this hour merge at their lowest weight (lowering only), which makes room.
            require!(
                schedule.only_lowers_from(hour, weight, eligible_hour)
                    && schedule.compress(next, hour, &mut record),
                StakingError::CrankBehind
            );
            schedule
                .change(hour, weight, eligible_hour, &mut record)
                .map_err(|_| error!(StakingError::CrankBehind))?;
        }
        result?;
        self.set_schedule(&schedule);
        self.weight = u128::from(weight);
        Ok(())
    }

    /// Writes off the stakers' unclaimed rewards when a slash leaves them worth nothing: the
    /// units are voided (positions still holding some drop them when they next settle) and the
    /// index starts afresh, so the node's stakers can be credited again.
    pub fn write_off_stakers(&mut self) -> Result<()> {
        self.staker_units = 0;
        self.reward_index = ngpu_math::staking::INDEX_SCALE;
        self.reward_per_share_written_off = self.reward_per_share;
        self.reward_epoch = self
            .reward_epoch
            .checked_add(1)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        Ok(())
    }
}
