//! What a failure means for the keeper: already done (a success), not yet (try at a later
//! pass), never (drop with a reason) or transient (retry now, with backoff).

use ngpu_sdk::Pubkey;

use crate::chain::TxFailure;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Someone (this keeper earlier, another keeper) did it: count as success, send nothing.
    AlreadyDone,
    /// Not due yet on the cluster's clock, or waiting on something outside the keeper (a stale
    /// price, a pause, a frozen vault, the payer's SOL): the next pass plans again.
    NotYet,
    /// Can never succeed as built (unauthorized, wrong account, bad parameter): dropped.
    Never,
    /// The cluster or the network: retry with backoff.
    Transient,
}

/// `StakingError::HourNotEnded`, `anchor::ConstraintHasOne`, `custom(6099)`: the metric label
/// and log field of a failure.
pub fn failure_name(failure: &TxFailure) -> String {
    match failure {
        TxFailure::Program { program, code } => program_error_name(program, *code),
        TxFailure::Instruction { error, .. } => format!("instruction::{error}"),
        TxFailure::BlockhashNotFound => "BlockhashNotFound".into(),
        TxFailure::InsufficientFunds => "InsufficientFunds".into(),
        TxFailure::Other(e) => {
            // `AccountInUse`, `AlreadyProcessed { .. }`: the variant name only.
            let end = e
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .unwrap_or(e.len());
            e[..end].to_string()
        }
    }
}

/// The error's enum name: `StakingError::HourAlreadyProcessed` (from the SDK's tables, which
/// are read from the IDLs), `anchor::ConstraintHasOne` for the framework's, `custom(N)` if unknown.
pub fn program_error_name(program: &Pubkey, code: u32) -> String {
    match ngpu_sdk::errors::lookup(program, code) {
        Some(e) => {
            let prefix = match e.program {
                "io-token" => "IoTokenError",
                "vesting" => "VestingError",
                "staking" => "StakingError",
                "revenue" => "RevenueError",
                "reservations" => "ReservationsError",
                other => other,
            };
            format!("{prefix}::{}", e.name)
        }
        None => format!("custom({code})"),
    }
}

/// Program errors that mean "already done": the state the transaction would create is there.
const ALREADY_DONE: &[&str] = &[
    // crank_hour: another crank (ours before a restart, or another keeper's) got there first.
    "StakingError::HourAlreadyProcessed",
    "StakingError::HourOutOfOrder",
    "IoTokenError::HourAlreadyProcessed",
    "IoTokenError::HourOutOfOrder",
    // finalize_slash: burned already, or returned by an upheld appeal.
    "StakingError::SlashNotPending",
    // burn_io_fees: the vault is empty (burned already).
    "RevenueError::NothingToBurn",
    // settle: the reservation is closed (settled to the end, ended early, failed).
    "ReservationsError::ReservationNotOpen",
    // sweep_fees: nothing owed any more.
    "ReservationsError::NothingOwed",
];

/// Program errors that mean "not yet" (the cluster's clock, a price, a pause, a frozen vault).
const NOT_YET: &[&str] = &[
    "StakingError::HourNotEnded",
    // burn_io_fees planned just before a UTC midnight, landing just after.
    "RevenueError::WrongDayRecord",
    "StakingError::AppealWindowOpen",
    "StakingError::StalePrice",
    "StakingError::PriceTooUncertain",
    "StakingError::PriceNotFullyVerified",
    "StakingError::CrankBehind",
    "StakingError::HistoryNotInitialized",
    "StakingError::GenesisNotDone",
    "StakingError::Paused",
    "IoTokenError::HourNotEnded",
    "IoTokenError::Paused",
    "IoTokenError::GenesisNotDone",
    "RevenueError::Paused",
    "ReservationsError::Paused",
    // sweep_fees while revenue's fee vault is still frozen.
    "ReservationsError::InvalidTokenAccount",
    "VestingError::Paused",
    "VestingError::PoolNotOpen",
    "VestingError::GenesisNotDone",
];

/// Classifies a failure of a transaction (simulated or landed).
pub fn classify(failure: &TxFailure) -> Class {
    match failure {
        TxFailure::Program { .. } => {
            let name = failure_name(failure);
            if ALREADY_DONE.contains(&name.as_str()) {
                Class::AlreadyDone
            } else if NOT_YET.contains(&name.as_str()) {
                Class::NotYet
            } else {
                Class::Never
            }
        }
        // An account that does not exist (closed since the plan) or a signer missing: the
        // transaction as built will never pass.
        TxFailure::Instruction { .. } => Class::Never,
        TxFailure::BlockhashNotFound => Class::Transient,
        TxFailure::InsufficientFunds => Class::NotYet,
        TxFailure::Other(e) => {
            if e.starts_with("AlreadyProcessed") {
                // This very transaction landed already.
                Class::AlreadyDone
            } else if e.starts_with("AccountInUse")
                || e.starts_with("WouldExceed")
                || e.starts_with("TooManyAccountLocks")
                || e.starts_with("ClusterMaintenance")
            {
                Class::Transient
            } else {
                Class::Never
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(program: Pubkey, code: u32) -> TxFailure {
        TxFailure::Program { program, code }
    }

    fn code_of(e: impl Into<u32>) -> u32 {
        e.into()
    }

    #[test]
    fn already_done_errors_count_as_success() {
        use reservations::ReservationsError as R;
        use revenue::RevenueError as V;
        use staking::StakingError as S;
        for (p, c, name) in [
            (
                staking::ID,
                code_of(S::HourAlreadyProcessed),
                "StakingError::HourAlreadyProcessed",
            ),
            (
                staking::ID,
                code_of(S::HourOutOfOrder),
                "StakingError::HourOutOfOrder",
            ),
            (
                staking::ID,
                code_of(S::SlashNotPending),
                "StakingError::SlashNotPending",
            ),
            (
                revenue::ID,
                code_of(V::NothingToBurn),
                "RevenueError::NothingToBurn",
            ),
            (
                reservations::ID,
                code_of(R::ReservationNotOpen),
                "ReservationsError::ReservationNotOpen",
            ),
            (
                reservations::ID,
                code_of(R::NothingOwed),
                "ReservationsError::NothingOwed",
            ),
        ] {
            let f = program(p, c);
            assert_eq!(failure_name(&f), name);
            assert_eq!(classify(&f), Class::AlreadyDone, "{name}");
        }
        // The same transaction landing twice: the cluster says so.
        assert_eq!(
            classify(&TxFailure::Other("AlreadyProcessed".into())),
            Class::AlreadyDone
        );
    }

    #[test]
    fn never_succeeding_errors_are_dropped() {
        use staking::StakingError as S;
        for f in [
            program(staking::ID, code_of(S::Unauthorized)),
            program(staking::ID, code_of(S::WrongPriceAccount)),
            program(staking::ID, 2001), // anchor::ConstraintHasOne
            TxFailure::Instruction {
                program: staking::ID,
                error: "MissingRequiredSignature".into(),
            },
            TxFailure::Other("ProgramAccountNotFound".into()),
        ] {
            assert_eq!(classify(&f), Class::Never, "{f:?}");
        }
        assert_eq!(
            failure_name(&program(staking::ID, 2001)),
            "anchor::ConstraintHasOne"
        );
        assert_eq!(
            failure_name(&program(Pubkey::default(), 6000)),
            "custom(6000)"
        );
    }

    #[test]
    fn not_yet_and_transient_errors() {
        use staking::StakingError as S;
        assert_eq!(
            classify(&program(staking::ID, code_of(S::HourNotEnded))),
            Class::NotYet
        );
        assert_eq!(
            classify(&program(staking::ID, code_of(S::AppealWindowOpen))),
            Class::NotYet
        );
        assert_eq!(classify(&TxFailure::InsufficientFunds), Class::NotYet);
        assert_eq!(classify(&TxFailure::BlockhashNotFound), Class::Transient);
        assert_eq!(
            classify(&TxFailure::Other("AccountInUse".into())),
            Class::Transient
        );
    }
}
