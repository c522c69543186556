//! NGPU RPC client, shared by the `ngpu` CLI and the keeper.
//!
//! - [`cluster`]: the Solana CLI conventions: `~/.config/solana/cli/config.yml` (or `-C FILE`),
//!   `-u/--url` with monikers, `-k/--keypair` signer paths, `--commitment`, through
//!   `solana-cli-config` and `solana-clap-utils`; [`ClusterArgs`] is the clap struct that every
//!   network command flattens.
//! - [`send`]: instructions to a confirmed transaction: simulation for the compute units,
//!   compute budget (units × 1.2, optional price), `--dry-run`, `--sign-only`, a spinner.
//! - [`error`]: failures in words: program errors by name (from the IDLs), refused connections.
//! - [`token`]: associated token accounts, created when missing.
//! - [`format`]: amounts as base units beside formatted strings, UTC times.

// `Error` carries the named program error and its logs by value: it is built once per failed
// command, never on a hot path.
#![allow(clippy::result_large_err)]

pub mod cluster;
pub mod error;
pub mod format;
pub mod send;
pub mod token;

pub use cluster::{Cluster, ClusterArgs, Output};
pub use error::Error;
pub use send::{Client, Outcome, Simulation};

pub use solana_rpc_client::rpc_client::RpcClient;
pub use solana_sdk;
