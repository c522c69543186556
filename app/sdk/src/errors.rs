//! Error names for custom program error codes, for humans reading a failed transaction.

use io_token::IoTokenError;
use reservations::ReservationsError;
use revenue::RevenueError;
use staking::StakingError;
use vesting::VestingError;

/// Every `io-token` error, in code order (6000 + index). Append with the enum.
pub const IO_TOKEN_ERRORS: [IoTokenError; 21] = [
    IoTokenError::Unauthorized,
    IoTokenError::NotPendingAuthority,
    IoTokenError::InvalidKey,
    IoTokenError::GenesisAmountMismatch,
    IoTokenError::InvalidHourCount,
    IoTokenError::InvalidParameter,
    IoTokenError::AlreadyInitialized,
    IoTokenError::GenesisAlreadyDone,
    IoTokenError::GenesisNotDone,
    IoTokenError::Paused,
    IoTokenError::HourNotEnded,
    IoTokenError::HourAlreadyProcessed,
    IoTokenError::HourOutOfOrder,
    IoTokenError::EmissionScheduleEnded,
    IoTokenError::ExceedsHourBudget,
    IoTokenError::CapExceeded,
    IoTokenError::WrongDestination,
    IoTokenError::MathOverflow,
    IoTokenError::LedgerMismatch,
    IoTokenError::EmissionControllerLocked,
    IoTokenError::NoEmissionController,
];

/// Every `vesting` error, in code order (6000 + index). Append with the enum.
pub const VESTING_ERRORS: [VestingError; 21] = [
    VestingError::Unauthorized,
    VestingError::NotPendingAuthority,
    VestingError::InvalidKey,
    VestingError::ZeroAmount,
    VestingError::InvalidMint,
    VestingError::WrongBeneficiaryAccount,
    VestingError::AlreadyInitialized,
    VestingError::Paused,
    VestingError::PoolAlreadyOpen,
    VestingError::PoolNotOpen,
    VestingError::GenesisNotDone,
    VestingError::PoolEmpty,
    VestingError::ExceedsPool,
    VestingError::RevocationNotAllowed,
    VestingError::NotRevocable,
    VestingError::AlreadyRevoked,
    VestingError::MathOverflow,
    VestingError::ScheduleNotSettled,
    VestingError::WrongRentPayer,
    VestingError::NothingToSweep,
    VestingError::WrongVault,
];

/// Every `staking` error, in code order (6000 + index). Append with the enum.
pub const STAKING_ERRORS: [StakingError; 49] = [
    StakingError::Unauthorized,
    StakingError::ZeroAmount,
    StakingError::InvalidParameter,
    StakingError::InvalidTokenAccount,
    StakingError::AlreadyInitialized,
    StakingError::Paused,
    StakingError::NodeNotActive,
    StakingError::StakeLocked,
    StakingError::CooldownNotEnded,
    StakingError::HourNotEnded,
    StakingError::HourAlreadyProcessed,
    StakingError::HourOutOfOrder,
    StakingError::AboveMaxStake,
    StakingError::InsufficientStake,
    StakingError::NothingToClaim,
    StakingError::InvalidHourCount,
    StakingError::WrongPriceAccount,
    StakingError::StalePrice,
    StakingError::PriceTooUncertain,
    StakingError::InvalidPrice,
    StakingError::MathOverflow,
    StakingError::NodeHired,
    StakingError::InvalidNodeState,
    StakingError::NodeCoolingDown,
    StakingError::CrankBehind,
    StakingError::NotPendingAuthority,
    StakingError::QuorumNotReached,
    StakingError::HourNotCranked,
    StakingError::ReportTooLate,
    StakingError::UptimeAlreadyReported,
    StakingError::HistoryNotInitialized,
    StakingError::SlashNotPending,
    StakingError::AppealWindowOpen,
    StakingError::NothingStaked,
    StakingError::SlashPending,
    StakingError::GenesisNotDone,
    StakingError::WrongPriceFeed,
    StakingError::PriceNotFullyVerified,
    StakingError::NonPositivePrice,
    StakingError::PriceOutOfRange,
    StakingError::StakeRemaining,
    StakingError::RewardsUnclaimed,
    StakingError::SupplierDebtOutstanding,
    StakingError::PositionsOpen,
    StakingError::SlashUndecided,
    StakingError::NothingToSweep,
    StakingError::TooManyLots,
    StakingError::PriceFeedIdPinned,
    StakingError::InvalidCompensation,
];

/// Every `revenue` error, in code order (6000 + index). Append with the enum.
pub const REVENUE_ERRORS: [RevenueError; 28] = [
    RevenueError::Unauthorized,
    RevenueError::NotPendingAuthority,
    RevenueError::ZeroAmount,
    RevenueError::InvalidParameter,
    RevenueError::InvalidTokenAccount,
    RevenueError::UsdcNotClassicToken,
    RevenueError::InvalidUsdcMint,
    RevenueError::UsdcFreezeAuthority,
    RevenueError::AlreadyInitialized,
    RevenueError::Paused,
    RevenueError::NothingToBurn,
    RevenueError::WrongDayRecord,
    RevenueError::QuoteExpired,
    RevenueError::AbovePriceBound,
    RevenueError::InsufficientVault,
    RevenueError::OutflowLimitExceeded,
    RevenueError::WrongPriceAccount,
    RevenueError::InvalidPrice,
    RevenueError::PriceNotFullyVerified,
    RevenueError::WrongPriceFeed,
    RevenueError::NonPositivePrice,
    RevenueError::StalePrice,
    RevenueError::PriceTooUncertain,
    RevenueError::PriceOutOfRange,
    RevenueError::MathOverflow,
    RevenueError::SellerBalanceTooLow,
    RevenueError::WrongVault,
    RevenueError::PriceFeedIdPinned,
];

/// Every `reservations` error, in code order (6000 + index). Append with the enum.
pub const RESERVATIONS_ERRORS: [ReservationsError; 32] = [
    ReservationsError::Unauthorized,
    ReservationsError::NotPendingAuthority,
    ReservationsError::InvalidParameter,
    ReservationsError::InvalidTokenAccount,
    ReservationsError::UsdcNotClassicToken,
    ReservationsError::InvalidUsdcMint,
    ReservationsError::UsdcFreezeAuthority,
    ReservationsError::InvalidHours,
    ReservationsError::SlippageExceeded,
    ReservationsError::WrongVault,
    ReservationsError::WrongListing,
    ReservationsError::WrongRecipient,
    ReservationsError::AlreadyInitialized,
    ReservationsError::Paused,
    ReservationsError::NodeTerminated,
    ReservationsError::NodeNotAvailable,
    ReservationsError::NodeAlreadyReserved,
    ReservationsError::ReservationNotOpen,
    ReservationsError::ReservationCompleted,
    ReservationsError::WrongPriceAccount,
    ReservationsError::InvalidPrice,
    ReservationsError::PriceNotFullyVerified,
    ReservationsError::WrongPriceFeed,
    ReservationsError::NonPositivePrice,
    ReservationsError::StalePrice,
    ReservationsError::PriceTooUncertain,
    ReservationsError::PriceOutOfRange,
    ReservationsError::MathOverflow,
    ReservationsError::QuorumNotReached,
    ReservationsError::PriceFeedIdPinned,
    ReservationsError::NothingOwed,
    ReservationsError::PayoutOwed,
];

/// `"IoTokenError::HourNotEnded (6010): The hour has not ended yet."` for an `io-token` code,
/// Anchor's own name for framework codes (< 6000), `None` if unknown.
pub fn describe(program_id: &anchor_lang::prelude::Pubkey, code: u32) -> Option<String> {
    if code < anchor_lang::error::ERROR_CODE_OFFSET {
        let name = anchor_error_name(code)?;
        return Some(format!("anchor::{name} ({code})"));
    }
    if *program_id == io_token::ID {
        let e = IO_TOKEN_ERRORS.iter().find(|e| u32::from(**e) == code)?;
        return Some(format!("IoTokenError::{} ({code}): {e}", e.name()));
    }
    if *program_id == staking::ID {
        let e = STAKING_ERRORS.iter().find(|e| u32::from(**e) == code)?;
        return Some(format!("StakingError::{} ({code}): {e}", e.name()));
    }
    if *program_id == revenue::ID {
        let e = REVENUE_ERRORS.iter().find(|e| u32::from(**e) == code)?;
        return Some(format!("RevenueError::{} ({code}): {e}", e.name()));
    }
    if *program_id == reservations::ID {
        let e = RESERVATIONS_ERRORS
            .iter()
            .find(|e| u32::from(**e) == code)?;
        return Some(format!("ReservationsError::{} ({code}): {e}", e.name()));
    }
    if *program_id == vesting::ID {
        let e = VESTING_ERRORS.iter().find(|e| u32::from(**e) == code)?;
        return Some(format!("VestingError::{} ({code}): {e}", e.name()));
    }
    None
}

fn anchor_error_name(code: u32) -> Option<String> {
    use anchor_lang::error::ErrorCode;
    // Anchor's framework errors that our instructions can return; others print as numbers.
    let known = [
        ErrorCode::ConstraintMut,
        ErrorCode::ConstraintHasOne,
        ErrorCode::ConstraintSigner,
        ErrorCode::ConstraintRaw,
        ErrorCode::ConstraintSeeds,
        ErrorCode::ConstraintAddress,
        ErrorCode::ConstraintTokenMint,
        ErrorCode::ConstraintDuplicateMutableAccount,
        ErrorCode::AccountNotEnoughKeys,
        ErrorCode::AccountNotSigner,
        ErrorCode::AccountNotInitialized,
        ErrorCode::AccountOwnedByWrongProgram,
        ErrorCode::AccountDiscriminatorMismatch,
        ErrorCode::AccountDidNotDeserialize,
        ErrorCode::InvalidProgramId,
        ErrorCode::AccountNotProgramData,
        ErrorCode::InstructionDidNotDeserialize,
        ErrorCode::InstructionFallbackNotFound,
    ];
    known
        .iter()
        .find(|e| u32::from(**e) == code)
        .map(|e| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_token_codes_are_dense_and_named() {
        for (i, e) in IO_TOKEN_ERRORS.iter().enumerate() {
            assert_eq!(u32::from(*e), 6000 + i as u32, "{}", e.name());
        }
        let text = describe(&io_token::ID, 6010).unwrap();
        assert_eq!(
            text,
            "IoTokenError::HourNotEnded (6010): The hour has not ended yet."
        );
        assert!(describe(&io_token::ID, 6021).is_none());
        for (i, e) in VESTING_ERRORS.iter().enumerate() {
            assert_eq!(u32::from(*e), 6000 + i as u32, "{}", e.name());
        }
        assert_eq!(
            describe(&vesting::ID, 6012).unwrap(),
            "VestingError::ExceedsPool (6012): The grant exceeds what the pool has left."
        );
        for (i, e) in STAKING_ERRORS.iter().enumerate() {
            assert_eq!(u32::from(*e), 6000 + i as u32, "{}", e.name());
        }
        assert_eq!(
            describe(&staking::ID, 6029).unwrap(),
            "StakingError::UptimeAlreadyReported (6029): This hour (or a later one) has already been reported for the node."
        );
        for (i, e) in REVENUE_ERRORS.iter().enumerate() {
            assert_eq!(u32::from(*e), 6000 + i as u32, "{}", e.name());
        }
        assert_eq!(
            describe(&revenue::ID, 6013).unwrap(),
            "RevenueError::AbovePriceBound (6013): The USDC asked exceeds the oracle's low price plus the premium."
        );
        for (i, e) in RESERVATIONS_ERRORS.iter().enumerate() {
            assert_eq!(u32::from(*e), 6000 + i as u32, "{}", e.name());
        }
        assert_eq!(
            describe(&reservations::ID, 6008).unwrap(),
            "ReservationsError::SlippageExceeded (6008): The total exceeds the renter's max_total (slippage guard)."
        );
        assert_eq!(
            describe(&io_token::ID, 2001).unwrap(),
            "anchor::ConstraintHasOne (2001)"
        );
    }
}
