//! Assertions by exact error code, never by message substring.

use anchor_lang::error::ErrorCode;
use ngpu_localnet::{custom_error_code, TxOutcome};

/// Asserts the transaction failed with `expected` (a program error enum or Anchor's ErrorCode)
/// raised by instruction `index`.
pub fn assert_error_at(
    outcome: &TxOutcome,
    index: u8,
    expected: impl Into<u32> + std::fmt::Debug + Copy,
) {
    let code: u32 = expected.into();
    match custom_error_code(&outcome.result) {
        Some((at, got)) if at == index && got == code => {}
        _ => panic!(
            "expected {expected:?} ({code}) at instruction {index}, got {:?}\n{}",
            outcome.result,
            outcome.logs.join("\n")
        ),
    }
}

/// Asserts the first (only) instruction failed with `expected`.
pub fn assert_error(outcome: &TxOutcome, expected: impl Into<u32> + std::fmt::Debug + Copy) {
    assert_error_at(outcome, 0, expected)
}

/// Asserts an Anchor framework error (account constraints and the like).
pub fn assert_anchor_error(outcome: &TxOutcome, expected: ErrorCode) {
    assert_error(outcome, expected)
}

pub fn assert_ok(outcome: &TxOutcome) {
    if let Err(e) = &outcome.result {
        panic!("expected success, got {e:?}\n{}", outcome.logs.join("\n"));
    }
}
