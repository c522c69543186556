use anchor_lang::prelude::*;

/// Errors of `vesting`. Append only: codes follow declaration order (6000 + index).
#[error_code]
pub enum VestingError {
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
    #[msg("The amount must be greater than zero.")]
    ZeroAmount,
    /// 6004
    #[msg("The token account is not an IO token account.")]
    InvalidMint,
    /// 6005
    #[msg("The token account does not belong to the schedule's beneficiary.")]
    WrongBeneficiaryAccount,
    // --- state ---
    /// 6006
    #[msg("The account is already initialized.")]
    AlreadyInitialized,
    /// 6007
    #[msg("The program is paused.")]
    Paused,
    /// 6008
    #[msg("The pool is already open.")]
    PoolAlreadyOpen,
    /// 6009
    #[msg("The pool is not open yet: genesis must fund it and open_pool record it.")]
    PoolNotOpen,
    /// 6010
    #[msg("io-token genesis has not been minted yet.")]
    GenesisNotDone,
    /// 6011
    #[msg("The pool vault holds nothing.")]
    PoolEmpty,
    // --- limits ---
    /// 6012
    #[msg("The grant exceeds what the pool has left.")]
    ExceedsPool,
    /// 6013
    #[msg("This pool's schedules cannot be revocable.")]
    RevocationNotAllowed,
    /// 6014
    #[msg("The schedule is not revocable.")]
    NotRevocable,
    /// 6015
    #[msg("The schedule has already been revoked.")]
    AlreadyRevoked,
    // --- maths ---
    /// 6016
    #[msg("Arithmetic overflow.")]
    MathOverflow,
    // --- closing and sweeping ---
    /// 6017
    #[msg("The schedule still holds tokens for its beneficiary: claim them before closing.")]
    ScheduleNotSettled,
    /// 6018
    #[msg("The account is not the one that paid the schedule's rent.")]
    WrongRentPayer,
    /// 6019
    #[msg("The vaults hold nothing beyond their ledger.")]
    NothingToSweep,
    /// 6020
    #[msg(
        "The token account is not the schedule's vault (pass the schedule and its vault together)."
    )]
    WrongVault,
}

impl From<ngpu_math::MathError> for VestingError {
    fn from(_: ngpu_math::MathError) -> Self {
        VestingError::MathOverflow
    }
}
