pub mod emission;
pub mod params;
pub mod rpc;
pub mod simulate;
pub mod simulate_staking;
pub mod staking_rpc;
pub mod vesting;
pub mod vesting_rpc;
