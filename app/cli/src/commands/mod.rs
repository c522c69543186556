pub mod emission;
pub mod simulate;
pub mod vesting;
pub mod vesting_rpc;
