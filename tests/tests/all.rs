//! The single integration-test binary (one link step on 2 cores).
mod anchor_toml;
mod io_token;
mod keeper;
mod reservations;
mod revenue;
mod stack_frames;
mod staking;
mod vesting;
