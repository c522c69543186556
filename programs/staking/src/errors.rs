use anchor_lang::prelude::*;

/// Errors of `staking`. Append only: codes follow declaration order (6000 + index).
#[error_code]
pub enum StakingError {
    // --- authority ---
    /// 6000
    #[msg("The signer is not allowed to perform this action.")]
    Unauthorized,
    // --- input ---
    /// 6001
    #[msg("The amount must be greater than zero.")]
    ZeroAmount,
    /// 6002
    #[msg("A parameter is outside its allowed bounds.")]
    InvalidParameter,
    /// 6003
    #[msg("The token account is not an IO token account of the expected owner.")]
    InvalidTokenAccount,
    // --- state ---
    /// 6004
    #[msg("The account is already initialized.")]
    AlreadyInitialized,
    /// 6005
    #[msg("The program is paused.")]
    Paused,
    /// 6006
    #[msg("The node is not accepting stake.")]
    NodeNotActive,
    // --- timing ---
    /// 6007
    #[msg("The stake is still locked.")]
    StakeLocked,
    /// 6008
    #[msg("The unstake cooldown has not ended.")]
    CooldownNotEnded,
    /// 6009
    #[msg("The hour has not ended yet.")]
    HourNotEnded,
    /// 6010
    #[msg("The hour has already been processed.")]
    HourAlreadyProcessed,
    /// 6011
    #[msg("Hours must be processed in order: an earlier hour is still unprocessed.")]
    HourOutOfOrder,
    // --- limits ---
    /// 6012
    #[msg("The stake would exceed the node's maximum.")]
    AboveMaxStake,
    /// 6013
    #[msg("The amount exceeds the position's unlocked active stake.")]
    InsufficientStake,
    /// 6014
    #[msg("Nothing to withdraw or claim.")]
    NothingToClaim,
    /// 6015
    #[msg("The number of hours must be between 1 and 24.")]
    InvalidHourCount,
    // --- oracle ---
    /// 6016
    #[msg("The price account is not the configured Pyth feed.")]
    WrongPriceAccount,
    /// 6017
    #[msg("The price is too old.")]
    StalePrice,
    /// 6018
    #[msg("The price's confidence interval is too wide.")]
    PriceTooUncertain,
    /// 6019
    #[msg("The price account cannot be read.")]
    InvalidPrice,
    // --- maths ---
    /// 6020
    #[msg("Arithmetic overflow.")]
    MathOverflow,
    // --- state ---
    /// 6021
    #[msg("No unstake request while the node is hired.")]
    NodeHired,
    /// 6022
    #[msg("The node is not in a state that allows this.")]
    InvalidNodeState,
    /// 6023
    #[msg("The node's reconnect cooldown has not ended.")]
    NodeCoolingDown,
    /// 6024
    #[msg("The crank is too far behind for this change: crank the ended hours first.")]
    CrankBehind,
    /// 6025
    #[msg("The signer is not the pending authority.")]
    NotPendingAuthority,
    /// 6026
    #[msg("Not enough members of the oracle set signed.")]
    QuorumNotReached,
    // --- uptime and slashing ---
    /// 6027
    #[msg("The hour has not been cranked yet.")]
    HourNotCranked,
    /// 6028
    #[msg("The hour is too old to report: outside the 30-day history.")]
    ReportTooLate,
    /// 6029
    #[msg("This hour (or a later one) has already been reported for the node.")]
    UptimeAlreadyReported,
    /// 6030
    #[msg("The reward history account is not initialized.")]
    HistoryNotInitialized,
    /// 6031
    #[msg("The slash is no longer pending.")]
    SlashNotPending,
    /// 6032
    #[msg("The slash's appeal window has not ended.")]
    AppealWindowOpen,
    /// 6033
    #[msg("Nothing is staked on the node.")]
    NothingStaked,
    /// 6034
    #[msg("A slash of the node awaits its appeal decision: no new stake until then.")]
    SlashPending,
    /// 6035
    #[msg("io-token's genesis has not happened yet.")]
    GenesisNotDone,
    // --- oracle (shared Pyth reader, `ngpu_onchain::pyth`) ---
    /// 6036
    #[msg("The price update is for another feed than the configured IO/USD feed id.")]
    WrongPriceFeed,
    /// 6037
    #[msg("The price update is only partially verified.")]
    PriceNotFullyVerified,
    /// 6038
    #[msg("The price is zero or negative.")]
    NonPositivePrice,
    /// 6039
    #[msg("The price does not fit in micro-USD per IO.")]
    PriceOutOfRange,
    // --- closing accounts ---
    /// 6040
    #[msg("Stake (active or cooling down) is still held: unstake and withdraw it first.")]
    StakeRemaining,
    /// 6041
    #[msg("Rewards are still unclaimed: claim them first.")]
    RewardsUnclaimed,
    /// 6042
    #[msg("The supplier still owes uptime cuts from its node's future rewards.")]
    SupplierDebtOutstanding,
    /// 6043
    #[msg("Stake positions of the node are still open: their stakers close them first.")]
    PositionsOpen,
    /// 6044
    #[msg("A slash awaits its appeal decision.")]
    SlashUndecided,
    /// 6045
    #[msg("The vault holds no more than its ledger: nothing to sweep.")]
    NothingToSweep,
    /// 6046
    #[msg(
        "Too many deposits still locked, or unstake requests still cooling down, on this position."
    )]
    TooManyLots,
    /// 6047
    #[msg("The price feed id is pinned at initialize: update_params cannot change it.")]
    PriceFeedIdPinned,
    /// 6048
    #[msg("A renter compensation needs the renter's IO account, and is at most what is slashed.")]
    InvalidCompensation,
}

impl From<ngpu_math::MathError> for StakingError {
    fn from(_: ngpu_math::MathError) -> Self {
        StakingError::MathOverflow
    }
}

/// `?`-friendly conversion of the pure maths' errors.
pub fn math<T>(r: core::result::Result<T, ngpu_math::MathError>) -> Result<T> {
    r.map_err(|e| error!(StakingError::from(e)))
}

/// `*total += amount`, or `MathOverflow`.
pub fn add_to(total: &mut u64, amount: u64) -> Result<()> {
    *total = total
        .checked_add(amount)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    Ok(())
}

/// `*total -= amount`, or `MathOverflow` if it would go below zero.
pub fn sub_from(total: &mut u64, amount: u64) -> Result<()> {
    *total = total
        .checked_sub(amount)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    Ok(())
}
