//! What the network commands share: the cluster flags ([`ClusterArgs`], flattened into each
//! command), a client from them, and printing a transaction's outcome as text or JSON.

use std::str::FromStr;

pub use ngpu_client::{Client, ClusterArgs};
use ngpu_sdk::{Instruction, Pubkey};
use serde::Serialize;

/// A client that signs with `-k` (or the config's keypair).
pub fn client(args: &ClusterArgs) -> Result<Client, String> {
    Ok(Client::new(args.resolve()?)?)
}

/// A client for reads only: no keypair needed.
pub fn reader(args: &ClusterArgs) -> Result<Client, String> {
    Ok(Client::read_only(args.resolve()?))
}

pub fn key(text: &str) -> Result<Pubkey, String> {
    Pubkey::from_str(text).map_err(|e| format!("`{text}`: {e}"))
}

pub fn print_json<T: Serialize>(value: &T) -> Result<(), String> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// Sends `instructions` through the client's pipeline (simulate, compute budget, then send,
/// dry-run or sign-only) and prints the outcome: in JSON the outcome's fields (`mode`,
/// `signature`, `slot`, …) merged with `details`; in text the outcome, then `text` lines if sent.
pub fn send(
    client: &Client,
    instructions: &[Instruction],
    details: serde_json::Value,
    text: &str,
) -> Result<(), String> {
    let outcome = client.send(instructions, &[])?;
    if client.cluster.json() {
        let mut v = serde_json::to_value(&outcome).map_err(|e| e.to_string())?;
        if let (Some(map), serde_json::Value::Object(extra)) = (v.as_object_mut(), details) {
            for (k, val) in extra {
                map.entry(k).or_insert(val);
            }
        }
        return print_json(&v);
    }
    println!("{}", outcome.text());
    if matches!(outcome, ngpu_client::Outcome::Sent { .. }) && !text.is_empty() {
        println!("{text}");
    }
    Ok(())
}

/// An amount for JSON: base units and the formatted string.
pub fn io_json(base: u64) -> serde_json::Value {
    serde_json::to_value(ngpu_client::format::io(base)).unwrap_or_default()
}

pub fn usdc_json(base: u64) -> serde_json::Value {
    serde_json::to_value(ngpu_client::format::usdc(base)).unwrap_or_default()
}
