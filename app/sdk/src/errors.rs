//! Error names for custom program error codes, for humans reading a failed transaction.
//!
//! The tables of our five programs are read from the IDL files (`idl/*.json`, generated from
//! the programs by `cargo run -p idl-gen`), so that a new error is named as soon as the IDL is
//! regenerated; Anchor's framework errors (codes below 6000) come from `anchor_lang` itself.

use std::sync::OnceLock;

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::Pubkey;
use serde::Deserialize;

/// One named error: the program's short name (`"staking"`, or `"anchor"` for the framework's),
/// the error's name and its one-line message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedError {
    pub program: &'static str,
    pub code: u32,
    pub name: String,
    pub msg: String,
}

impl std::fmt::Display for NamedError {
    /// `staking: SlashPending (6034): A slash is pending on this node.`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.program, self.name, self.code)?;
        if !self.msg.is_empty() {
            write!(f, ": {}", self.msg)?;
        }
        Ok(())
    }
}

/// The IDLs shipped with the crate: (short name, program id, IDL text).
pub const IDLS: [(&str, Pubkey, &str); 5] = [
    (
        "io-token",
        io_token::ID,
        include_str!("../../../idl/io_token.json"),
    ),
    (
        "vesting",
        vesting::ID,
        include_str!("../../../idl/vesting.json"),
    ),
    (
        "staking",
        staking::ID,
        include_str!("../../../idl/staking.json"),
    ),
    (
        "revenue",
        revenue::ID,
        include_str!("../../../idl/revenue.json"),
    ),
    (
        "reservations",
        reservations::ID,
        include_str!("../../../idl/reservations.json"),
    ),
];

#[derive(Deserialize)]
struct Idl {
    address: String,
    #[serde(default)]
    errors: Vec<IdlError>,
}

#[derive(Deserialize)]
struct IdlError {
    code: u32,
    name: String,
    #[serde(default)]
    msg: String,
}

/// Every program's errors, from its IDL: (program id, errors in code order).
pub fn program_errors() -> &'static [(Pubkey, Vec<NamedError>)] {
    static TABLE: OnceLock<Vec<(Pubkey, Vec<NamedError>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        IDLS.iter()
            .map(|(program, id, text)| {
                // The IDLs are compiled in and checked by the tests below: a broken one is a
                // build defect, and an empty table only costs the names.
                let idl: Option<Idl> = serde_json::from_str(text).ok();
                let errors = idl
                    .filter(|idl| idl.address == id.to_string())
                    .map(|idl| idl.errors)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| NamedError {
                        program,
                        code: e.code,
                        name: e.name,
                        msg: e.msg,
                    })
                    .collect();
                (*id, errors)
            })
            .collect()
    })
}

/// The short name of one of our programs (`"staking"`), `None` for another program.
pub fn program_name(program_id: &Pubkey) -> Option<&'static str> {
    IDLS.iter()
        .find(|(_, id, _)| id == program_id)
        .map(|(name, _, _)| *name)
}

/// Anchor's framework errors (codes 100..6000), named by `anchor_lang`.
pub const ANCHOR_ERRORS: [ErrorCode; 81] = [
    ErrorCode::InstructionMissing,
    ErrorCode::InstructionFallbackNotFound,
    ErrorCode::InstructionDidNotDeserialize,
    ErrorCode::InstructionDidNotSerialize,
    ErrorCode::IdlInstructionStub,
    ErrorCode::IdlInstructionInvalidProgram,
    ErrorCode::IdlAccountNotEmpty,
    ErrorCode::EventInstructionStub,
    ErrorCode::ConstraintMut,
    ErrorCode::ConstraintHasOne,
    ErrorCode::ConstraintSigner,
    ErrorCode::ConstraintRaw,
    ErrorCode::ConstraintOwner,
    ErrorCode::ConstraintRentExempt,
    ErrorCode::ConstraintSeeds,
    ErrorCode::ConstraintExecutable,
    ErrorCode::ConstraintState,
    ErrorCode::ConstraintAssociated,
    ErrorCode::ConstraintAssociatedInit,
    ErrorCode::ConstraintClose,
    ErrorCode::ConstraintAddress,
    ErrorCode::ConstraintZero,
    ErrorCode::ConstraintTokenMint,
    ErrorCode::ConstraintTokenOwner,
    ErrorCode::ConstraintMintMintAuthority,
    ErrorCode::ConstraintMintFreezeAuthority,
    ErrorCode::ConstraintMintDecimals,
    ErrorCode::ConstraintSpace,
    ErrorCode::ConstraintAccountIsNone,
    ErrorCode::ConstraintTokenTokenProgram,
    ErrorCode::ConstraintMintTokenProgram,
    ErrorCode::ConstraintAssociatedTokenTokenProgram,
    ErrorCode::ConstraintMintGroupPointerExtension,
    ErrorCode::ConstraintMintGroupPointerExtensionAuthority,
    ErrorCode::ConstraintMintGroupPointerExtensionGroupAddress,
    ErrorCode::ConstraintMintGroupMemberPointerExtension,
    ErrorCode::ConstraintMintGroupMemberPointerExtensionAuthority,
    ErrorCode::ConstraintMintGroupMemberPointerExtensionMemberAddress,
    ErrorCode::ConstraintMintMetadataPointerExtension,
    ErrorCode::ConstraintMintMetadataPointerExtensionAuthority,
    ErrorCode::ConstraintMintMetadataPointerExtensionMetadataAddress,
    ErrorCode::ConstraintMintCloseAuthorityExtension,
    ErrorCode::ConstraintMintCloseAuthorityExtensionAuthority,
    ErrorCode::ConstraintMintPermanentDelegateExtension,
    ErrorCode::ConstraintMintPermanentDelegateExtensionDelegate,
    ErrorCode::ConstraintMintTransferHookExtension,
    ErrorCode::ConstraintMintTransferHookExtensionAuthority,
    ErrorCode::ConstraintMintTransferHookExtensionProgramId,
    ErrorCode::ConstraintDuplicateMutableAccount,
    ErrorCode::AccountAlreadyMigrated,
    ErrorCode::AccountNotMigrated,
    ErrorCode::ConstraintMintPausableExtension,
    ErrorCode::ConstraintMintPausableAuthority,
    ErrorCode::RequireViolated,
    ErrorCode::RequireEqViolated,
    ErrorCode::RequireKeysEqViolated,
    ErrorCode::RequireNeqViolated,
    ErrorCode::RequireKeysNeqViolated,
    ErrorCode::RequireGtViolated,
    ErrorCode::RequireGteViolated,
    ErrorCode::AccountDiscriminatorAlreadySet,
    ErrorCode::AccountDiscriminatorNotFound,
    ErrorCode::AccountDiscriminatorMismatch,
    ErrorCode::AccountDidNotDeserialize,
    ErrorCode::AccountDidNotSerialize,
    ErrorCode::AccountNotEnoughKeys,
    ErrorCode::AccountNotMutable,
    ErrorCode::AccountOwnedByWrongProgram,
    ErrorCode::InvalidProgramId,
    ErrorCode::InvalidProgramExecutable,
    ErrorCode::AccountNotSigner,
    ErrorCode::AccountNotSystemOwned,
    ErrorCode::AccountNotInitialized,
    ErrorCode::AccountNotProgramData,
    ErrorCode::AccountNotAssociatedTokenAccount,
    ErrorCode::AccountSysvarMismatch,
    ErrorCode::AccountReallocExceedsLimit,
    ErrorCode::AccountDuplicateReallocs,
    ErrorCode::DeclaredProgramIdMismatch,
    ErrorCode::TryingToInitPayerAsProgramAccount,
    ErrorCode::InvalidNumericConversion,
];

/// Anchor's framework error `code`, if it has one.
pub fn anchor_error(code: u32) -> Option<NamedError> {
    ANCHOR_ERRORS
        .iter()
        .find(|e| u32::from(**e) == code)
        .map(|e| NamedError {
            program: "anchor",
            code,
            name: e.name(),
            msg: e.to_string(),
        })
}

/// The named error that program `program_id` returned as custom code `code`: its own (from its
/// IDL) for codes from 6000, Anchor's for framework codes. `None` if unknown.
pub fn lookup(program_id: &Pubkey, code: u32) -> Option<NamedError> {
    if code < anchor_lang::error::ERROR_CODE_OFFSET {
        return anchor_error(code);
    }
    program_errors()
        .iter()
        .find(|(id, _)| id == program_id)?
        .1
        .iter()
        .find(|e| e.code == code)
        .cloned()
}

/// `"staking: SlashPending (6034): A slash is pending …"`, `None` if unknown.
pub fn describe(program_id: &Pubkey, code: u32) -> Option<String> {
    lookup(program_id, code).map(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_idl_error_resolves_by_name() {
        let mut total = 0;
        for (program, id, _) in IDLS {
            let table = &program_errors().iter().find(|(p, _)| *p == id).unwrap().1;
            assert!(!table.is_empty(), "{program}: no errors read from its IDL");
            for (i, e) in table.iter().enumerate() {
                // Dense from 6000, each one found again by code with its name and message.
                assert_eq!(e.code, 6000 + i as u32, "{program} {}", e.name);
                let found = lookup(&id, e.code).unwrap();
                assert_eq!((found.program, &found.name), (program, &e.name));
                assert!(!e.msg.is_empty(), "{program} {} has no message", e.name);
                assert_eq!(
                    describe(&id, e.code).unwrap(),
                    format!("{program}: {} ({}): {}", e.name, e.code, e.msg)
                );
                total += 1;
            }
            assert!(lookup(&id, 6000 + table.len() as u32).is_none());
        }
        assert!(total >= 151, "{total}");
        assert!(lookup(&Pubkey::new_unique(), 6000).is_none());
    }

    #[test]
    fn the_idl_tables_match_the_programs() {
        use staking::StakingError;
        let e = lookup(&staking::ID, u32::from(StakingError::SlashPending)).unwrap();
        assert_eq!(e.name, "SlashPending");
        assert_eq!(e.msg, StakingError::SlashPending.to_string());
        let e = lookup(&io_token::ID, 6010).unwrap();
        assert_eq!(
            e.to_string(),
            "io-token: HourNotEnded (6010): The hour has not ended yet."
        );
        let last = |id: &Pubkey| {
            program_errors()
                .iter()
                .find(|(p, _)| p == id)
                .unwrap()
                .1
                .len()
        };
        assert_eq!(
            last(&staking::ID) as u32 + 6000 - 1,
            u32::from(StakingError::InvalidCompensation)
        );
        assert_eq!(
            last(&vesting::ID) as u32 + 6000 - 1,
            u32::from(vesting::VestingError::WrongVault)
        );
        assert_eq!(
            last(&revenue::ID) as u32 + 6000 - 1,
            u32::from(revenue::RevenueError::PriceFeedIdPinned)
        );
        assert_eq!(
            last(&reservations::ID) as u32 + 6000 - 1,
            u32::from(reservations::ReservationsError::PayoutOwed)
        );
        assert_eq!(
            describe(&reservations::ID, 6008).unwrap(),
            "reservations: SlippageExceeded (6008): The total exceeds the renter's max_total (slippage guard)."
        );
    }

    #[test]
    fn anchor_framework_errors_are_named() {
        assert_eq!(
            describe(&io_token::ID, 2001).unwrap(),
            "anchor: ConstraintHasOne (2001): A has one constraint was violated"
        );
        assert_eq!(
            lookup(&staking::ID, 3012).unwrap().name,
            "AccountNotInitialized"
        );
        assert_eq!(
            lookup(&staking::ID, 101).unwrap().name,
            "InstructionFallbackNotFound"
        );
        assert!(lookup(&staking::ID, 1).is_none());
        for e in ANCHOR_ERRORS {
            assert_eq!(anchor_error(u32::from(e)).unwrap().name, e.name());
        }
    }
}
