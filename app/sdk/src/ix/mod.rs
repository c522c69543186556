//! Instruction builders, one module per program.
pub mod io_token;
pub mod reservations;
pub mod revenue;
pub mod staking;
pub mod vesting;
