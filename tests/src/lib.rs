//! NGPU integration-test harness: a [`TestContext`] over the in-process chain, with io-token
//! set-up helpers, error assertions by exact code and the supply invariants checked after
//! every transaction.

pub mod asserts;
pub mod context;
pub mod invariants;
pub mod reservations;
pub mod revenue;

pub use asserts::*;
pub use context::*;
