//! Instruction builders, one module per program.
pub mod io_token;
pub mod vesting;
