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
    send_then(client, instructions, details, text, |_| Ok(None))
}

/// [`send`], and once the transaction is confirmed, `after` may add a result read back from
/// the chain (JSON fields, and a text line), e.g. the amount a claim paid.
pub fn send_then(
    client: &Client,
    instructions: &[Instruction],
    details: serde_json::Value,
    text: &str,
    after: impl FnOnce(&Client) -> Result<Option<(serde_json::Value, String)>, String>,
) -> Result<(), String> {
    let outcome = client.send(instructions, &[])?;
    let sent = matches!(outcome, ngpu_client::Outcome::Sent { .. });
    let result = if sent { after(client)? } else { None };
    if client.cluster.json() {
        let mut v = serde_json::to_value(&outcome).map_err(|e| e.to_string())?;
        for extra in [Some(details), result.map(|(json, _)| json)]
            .into_iter()
            .flatten()
        {
            if let (Some(map), serde_json::Value::Object(extra)) = (v.as_object_mut(), extra) {
                for (k, val) in extra {
                    map.entry(k).or_insert(val);
                }
            }
        }
        return print_json(&v);
    }
    println!("{}", outcome.text());
    if sent && !text.is_empty() {
        println!("{text}");
    }
    if let Some((_, line)) = result {
        println!("{line}");
    }
    Ok(())
}

/// The base units in token account `account` (0 if it does not exist yet).
pub fn token_amount(client: &Client, account: &Pubkey) -> Result<u64, String> {
    if !client.exists(account)? {
        return Ok(0);
    }
    let data = client.account_data(account, "token account")?;
    let amount = data
        .get(64..72)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .ok_or("not a token account")?;
    Ok(amount)
}

/// An `after` for [`send_then`]: what `destination` received, as `field` (IO).
pub fn io_received(
    destination: Pubkey,
    before: u64,
    field: &'static str,
) -> impl FnOnce(&Client) -> Result<Option<(serde_json::Value, String)>, String> {
    move |client| {
        let received = token_amount(client, &destination)?.saturating_sub(before);
        Ok(Some((
            serde_json::json!({ field: io_json(received) }),
            format!("{field} {} IO", ngpu_client::format::io(received).formatted),
        )))
    }
}

/// An amount for JSON: base units and the formatted string.
pub fn io_json(base: u64) -> serde_json::Value {
    serde_json::to_value(ngpu_client::format::io(base)).unwrap_or_default()
}

pub fn usdc_json(base: u64) -> serde_json::Value {
    serde_json::to_value(ngpu_client::format::usdc(base)).unwrap_or_default()
}
