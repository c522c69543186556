//! One event per state change, with the resulting totals.
use anchor_lang::prelude::*;

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Initialized {
    pub authority: Pubkey,
    pub reward_vault: Pubkey,
    pub emission_authority: Pubkey,
    pub escrow_vault: Pubkey,
    pub ledger: Pubkey,
    /// The first hour staking cranks (io-token's next hour) and io-token's genesis time.
    pub next_hour: u64,
    pub genesis_ts: i64,
    /// Every parameter the config starts with.
    pub params: crate::instructions::InitializeArgs,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceClassSet {
    pub device_class: Pubkey,
    pub class_id: u16,
    pub capex_micro_usd: u64,
    pub device_max_stake: u64,
    /// True when this call created the class, false when it updated an existing one.
    pub created: bool,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct NodeRegistered {
    pub node: Pubkey,
    pub supplier: Pubkey,
    pub device_class: Pubkey,
    pub vault: Pubkey,
    pub node_count: u64,
    pub node_id: u64,
    /// From its device class; modifiers start at 0.
    pub capex_micro_usd: u64,
    pub max_stake: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ModifiersSet {
    pub node: Pubkey,
    pub modifiers_bps: [u16; 4],
    pub max_stake: u64,
    pub weight: u128,
    pub total_weight: u128,
    /// Refreshed from the device class.
    pub capex_micro_usd: u64,
    pub node_active: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Staked {
    pub node: Pubkey,
    pub staker: Pubkey,
    pub amount: u64,
    pub position_active: u64,
    pub node_active: u64,
    pub locked_until: i64,
    pub weight: u128,
    pub total_weight: u128,
    /// Active + cooling-down stake (what the node vault holds for the positions).
    pub node_staked: u64,
    pub open_positions: u32,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct UnstakeRequested {
    pub node: Pubkey,
    pub staker: Pubkey,
    pub amount: u64,
    pub cooldown_until: i64,
    pub node_active: u64,
    pub weight: u128,
    pub total_weight: u128,
    /// The position's stake after the request: active, and cooling down (all of it until
    /// `cooldown_until`).
    pub position_active: u64,
    pub position_cooldown: u64,
    /// Active + cooling-down stake (unchanged by a request).
    pub node_staked: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Withdrawn {
    pub node: Pubkey,
    pub staker: Pubkey,
    /// Paid to the destination: the withdrawn stake less the debt burned.
    pub amount: u64,
    /// The supplier's uptime debt burned out of its own withdrawn stake.
    pub debt_burned: u64,
    /// Debt the stake did not cover, written off (the supplier's position is empty and the node
    /// terminated: nothing could repay it).
    pub debt_written_off: u64,
    /// The node's uptime debt left.
    pub supplier_debt: u64,
    /// The program's running total of burned rewards (repaid debt included).
    pub rewards_burned: u64,
    pub vault_balance: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct HoursCranked {
    pub first_hour: u64,
    pub hours: u8,
    /// micro-USD per IO used (Pyth price + confidence).
    pub price_micro_usd: u64,
    pub total_weight: u128,
    pub paid: u64,
    pub forfeited: u64,
    pub reward_per_weight: u128,
    pub rewards_minted: u64,
    pub rewards_forfeited: u64,
    /// The next hour to crank (`first_hour + hours`).
    pub next_hour: u64,
}

impl HoursCranked {
    /// The event of a crank call that paid `hours` hours from `first_hour` and left `state`.
    pub fn new(
        first_hour: u64,
        hours: u8,
        price_micro_usd: u64,
        state: &crate::state::LedgerState,
        paid: u64,
        forfeited: u64,
    ) -> Self {
        HoursCranked {
            first_hour,
            hours,
            price_micro_usd,
            total_weight: u128::from(state.total_weight),
            paid,
            forfeited,
            reward_per_weight: state.reward_per_weight,
            rewards_minted: state.rewards_minted,
            rewards_forfeited: state.rewards_forfeited,
            next_hour: state.next_hour,
        }
    }
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct RewardsClaimed {
    pub node: Pubkey,
    /// The supplier, or the staker of a position.
    pub claimant: Pubkey,
    pub destination: Pubkey,
    pub amount: u64,
    pub supplier: bool,
    /// Repaid uptime debt burned by this claim (supplier claims only).
    pub burned: u64,
    /// The program's running total of burned forfeited rewards.
    pub rewards_burned: u64,
    /// The node's totals after the claim: its supplier's unclaimed reward (0 after a supplier
    /// claim) and uptime debt, its stakers' unclaimed rewards, and everything it was paid.
    /// (A position's own unclaimed reward is always 0 after its claim.)
    pub supplier_unclaimed: u64,
    pub supplier_debt: u64,
    pub stakers_unclaimed: u64,
    pub total_rewarded: u64,
    /// The program's running total of rewards minted into the reward vault.
    pub rewards_minted: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct NodeStateChanged {
    pub node: Pubkey,
    pub state: crate::state::NodeState,
    pub eligible_from: i64,
    pub weight: u128,
    pub total_weight: u128,
    pub node_active: u64,
    /// Active + cooling-down stake (what the node vault holds for the positions).
    pub node_staked: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct UnstakeCancelled {
    pub node: Pubkey,
    pub staker: Pubkey,
    pub amount: u64,
    pub node_active: u64,
    pub weight: u128,
    pub total_weight: u128,
    pub position_active: u64,
    /// Active + cooling-down stake (unchanged by a cancellation).
    pub node_staked: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct ParamsUpdated {
    pub params: crate::instructions::InitializeArgs,
    pub authority: Pubkey,
    pub node_count: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Paused {
    pub authority: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct Unpaused {
    pub authority: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityProposed {
    pub authority: Pubkey,
    pub proposed: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityTransferred {
    pub previous: Pubkey,
    pub authority: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct HistoryInitialized {
    pub history: Pubkey,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct UptimeReported {
    pub node: Pubkey,
    pub hour: u64,
    pub uptime_bps: u16,
    /// The node's weight when the hour was cranked, and what the hour paid it.
    pub weight: u64,
    pub hour_reward: u64,
    /// Taken from the hour's reward (all of it when offline).
    pub reward_cut: u64,
    pub offline: bool,
    /// Burned now from the reward vault (the cut the supplier's unclaimed covered, and any
    /// repaid debt); the rest of the cut is now the supplier's debt.
    pub rewards_burned: u64,
    pub supplier_unclaimed: u64,
    pub supplier_debt: u64,
    /// Stake burned from the node vault (offline: one hour's reward).
    pub stake_burned: u64,
    /// Terminated if the offline slash took all of its stake.
    pub node_state: crate::state::NodeState,
    pub node_staked: u64,
    pub total_weight: u128,
    pub config_rewards_burned: u64,
    pub config_stake_burned: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct NodeSlashed {
    pub node: Pubkey,
    pub slash: Pubkey,
    pub bps: u16,
    pub stake_amount: u64,
    pub supplier_reward_amount: u64,
    pub staker_reward_amount: u64,
    pub appeal_until: i64,
    /// Paid at once to `renter_tokens` (0 and `None` when no renter was harmed).
    pub renter_compensation: u64,
    pub renter_tokens: Option<Pubkey>,
    pub node_staked: u64,
    pub terminated: bool,
    /// What is left unclaimed after the slash, and the node's slashes awaiting a decision.
    pub supplier_unclaimed: u64,
    pub stakers_unclaimed: u64,
    pub pending_slashes: u32,
    pub total_weight: u128,
    pub escrow_held: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct SlashFinalized {
    pub node: Pubkey,
    pub slash: Pubkey,
    pub burned: u64,
    pub escrow_held: u64,
    pub stake_burned: u64,
    pub rewards_burned: u64,
    pub pending_slashes: u32,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct AppealUpheld {
    pub node: Pubkey,
    pub slash: Pubkey,
    /// Back into the node vault as stake (pro rata over what is staked now).
    pub stake_returned: u64,
    /// Back into the reward vault, to the supplier's and the stakers' unclaimed rewards.
    pub supplier_reward_returned: u64,
    pub staker_reward_returned: u64,
    pub node_staked: u64,
    pub supplier_unclaimed: u64,
    pub supplier_debt: u64,
    pub pending_slashes: u32,
    pub total_weight: u128,
    pub escrow_held: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct PositionClosed {
    pub node: Pubkey,
    pub staker: Pubkey,
    pub position: Pubkey,
    /// Lamports returned to the staker.
    pub rent: u64,
    /// Reward units left on the position, worth nothing (rounding), and shares worth nothing
    /// (a node slashed to zero for good), both dropped from the node's totals.
    pub dropped_units: u128,
    pub dropped_shares: u128,
    pub open_positions: u32,
    pub node_staker_units: u128,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct SlashRecordClosed {
    pub node: Pubkey,
    pub slash: Pubkey,
    pub id: u64,
    pub status: crate::state::SlashStatus,
    /// Lamports returned to the authority.
    pub rent: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct NodeDeregistered {
    pub node: Pubkey,
    pub supplier: Pubkey,
    /// Lamports of the node and its vault returned to the supplier.
    pub rent: u64,
    /// Tokens the vault held beyond its (zero) stake, moved to the reward vault.
    pub swept: u64,
    pub node_count: u64,
    pub reward_vault_balance: u64,
}

#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct VaultSwept {
    /// The node vault or the appeal escrow vault that held more than its ledger.
    pub vault: Pubkey,
    /// What the vault owes (the node's stake; the pending slashes) and now holds exactly.
    pub ledger: u64,
    /// Moved to the reward vault.
    pub amount: u64,
    pub reward_vault_balance: u64,
}

/// `burn_node_rewards`: a node reported failed to deliver a reservation lost its supplier's
/// unclaimed rewards.
#[event]
#[derive(Debug, PartialEq, Eq)]
pub struct NodeRewardsBurned {
    pub node: Pubkey,
    /// The supplier's unclaimed reward burned.
    pub supplier_rewards_burned: u64,
    /// In all: that reward and any repaid debt awaiting its burn.
    pub burned: u64,
    pub supplier_debt: u64,
    /// The ledger's total of rewards burned after it.
    pub config_rewards_burned: u64,
}
