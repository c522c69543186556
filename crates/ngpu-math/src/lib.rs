//! NGPU pure integer maths, shared by the on-chain programs and the clients.
//!
//! No Solana dependency, no floats, no panics: every function is total or returns
//! [`MathError`]. Rounding directions are stated on each function and always favour the protocol.
#![forbid(unsafe_code)]
#![deny(clippy::arithmetic_side_effects)]
// Tests compute expectations with plain operators; the library itself is checked without this.
#![cfg_attr(test, allow(clippy::arithmetic_side_effects))]

pub mod calendar;
pub mod emission;
pub mod fixed;
pub mod lots;
pub mod penalties;
pub mod reservations;
pub mod revenue;
pub mod schedule;
pub mod staking;
pub mod units;
pub mod vesting;

pub use emission::{cumulative, hour_budget, hours_ended, pow_q, EMISSION_HOURS};
pub use fixed::{mul_div_ceil, mul_div_floor};
pub use vesting::{unlocked, VestingRule};

/// Errors of the pure maths. Programs map them to their own named error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// A result does not fit its type.
    Overflow,
    /// A division by zero was requested.
    DivisionByZero,
}

impl core::fmt::Display for MathError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            MathError::Overflow => f.write_str("arithmetic overflow"),
            MathError::DivisionByZero => f.write_str("division by zero"),
        }
    }
}

impl std::error::Error for MathError {}
