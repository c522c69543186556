use anchor_lang::prelude::*;

/// Errors of `io-token`. Append only: codes follow declaration order (6000 + index).
#[error_code]
pub enum IoTokenError {
    // --- authority ---
    /// 6000
    #[msg("The signer is not allowed to perform this action.")]
    Unauthorized,
    /// 6001
    #[msg("The signer is not the pending authority.")]
    NotPendingAuthority,
    // --- input ---
    /// 6002
    #[msg("A key must not be the default (all-zero) public key.")]
    InvalidKey,
    /// 6003
    #[msg("Genesis amounts must sum to exactly 500,000,000 IO.")]
    GenesisAmountMismatch,
    /// 6004
    #[msg("The number of hours must be between 1 and the configured maximum per call.")]
    InvalidHourCount,
    /// 6005
    #[msg("A parameter is outside its allowed bounds.")]
    InvalidParameter,
    // --- state ---
    /// 6006
    #[msg("The account is already initialized.")]
    AlreadyInitialized,
    /// 6007
    #[msg("Genesis has already been minted.")]
    GenesisAlreadyDone,
    /// 6008
    #[msg("Genesis has not been minted yet.")]
    GenesisNotDone,
    /// 6009
    #[msg("The program is paused.")]
    Paused,
    // --- timing ---
    /// 6010
    #[msg("The hour has not ended yet.")]
    HourNotEnded,
    /// 6011
    #[msg("The hour has already been processed.")]
    HourAlreadyProcessed,
    /// 6012
    #[msg("Hours must be processed in order: an earlier hour is still unprocessed.")]
    HourOutOfOrder,
    /// 6013
    #[msg("The emission schedule has ended: no hour is left to process.")]
    EmissionScheduleEnded,
    // --- limits ---
    /// 6014
    #[msg("The amount exceeds the hour's emission budget.")]
    ExceedsHourBudget,
    /// 6015
    #[msg("Minting would exceed the 800,000,000 IO cap.")]
    CapExceeded,
    // --- accounts ---
    /// 6016
    #[msg("The destination is not the configured emission destination.")]
    WrongDestination,
    // --- maths ---
    /// 6017
    #[msg("Arithmetic overflow.")]
    MathOverflow,
    /// 6018
    #[msg("The emission ledger does not match the schedule.")]
    LedgerMismatch,
    // --- emission controller lock ---
    /// 6019
    #[msg("The emission controller is locked: it can never change again.")]
    EmissionControllerLocked,
    /// 6020
    #[msg("No emission controller is set.")]
    NoEmissionController,
}

impl From<ngpu_math::MathError> for IoTokenError {
    fn from(_: ngpu_math::MathError) -> Self {
        IoTokenError::MathOverflow
    }
}
