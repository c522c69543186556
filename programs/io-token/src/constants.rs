//! Limits and fixed values of the program. Supply figures live in `ngpu_math::units`.

pub use ngpu_math::units::{
    EMISSION_SUPPLY, GENESIS_SUPPLY, IO_DECIMALS, IO_UNIT, MAX_SUPPLY, SECONDS_PER_HOUR,
};
pub use ngpu_math::EMISSION_HOURS;

/// Upper bound of hours one `mint_emission` call may process (bounded work per call).
pub const MAX_HOURS_PER_CALL: u8 = 24;

/// Number of genesis allocation accounts (community, seed, series A, contributors, R&D).
pub const GENESIS_ALLOCATIONS: usize = 5;

/// Layout version of the accounts this program writes.
pub const ACCOUNT_VERSION: u8 = 1;
