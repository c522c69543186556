//! `ngpu vesting show | claim` against a cluster's JSON RPC.

use std::path::Path;
use std::str::FromStr;

use ngpu_math::calendar::format_date;
use ngpu_math::units::format_io;
use ngpu_sdk::{ix, pda, Pubkey};
use serde::Serialize;
use solana_rpc_client::rpc_client::RpcClient;
use vesting::VestingSchedule;

use crate::Output;

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct ScheduleView {
    pub schedule: String,
    pub beneficiary: String,
    pub total: u64,
    pub unlocked: u64,
    pub claimed: u64,
    pub claimable: u64,
    pub returned: u64,
    pub revoked: bool,
    pub revocable: bool,
    pub start: String,
    pub next_unlock: Option<String>,
}

/// What a schedule looks like at `now` (pure: the RPC part only fetches the account).
pub fn view(key: &Pubkey, s: &VestingSchedule, now: i64) -> Result<ScheduleView, String> {
    let rule = s.rule();
    // Once revoked, what had unlocked then (frozen) stays claimable.
    let unlocked = s.unlocked(now).map_err(|e| e.to_string())?;
    let next_unlock = if s.revoked {
        None
    } else {
        (1..=rule.parts)
            .filter_map(|i| rule.unlock_time(s.start_ts, i).ok())
            .find(|t| *t > now)
            .and_then(|t| format_date(t).ok())
    };
    Ok(ScheduleView {
        schedule: key.to_string(),
        beneficiary: s.beneficiary.to_string(),
        total: s.total,
        unlocked,
        claimed: s.claimed,
        claimable: unlocked.saturating_sub(s.claimed),
        returned: s.returned,
        revoked: s.revoked,
        revocable: s.revocable,
        start: format_date(s.start_ts).map_err(|e| e.to_string())?,
        next_unlock,
    })
}

fn fetch(client: &RpcClient, pool: u8, schedule: u64) -> Result<(Pubkey, VestingSchedule), String> {
    let key = pda::vesting::schedule(&pda::vesting::pool(pool), schedule);
    let data = client
        .get_account_data(&key)
        .map_err(|e| format!("{key}: {e}"))?;
    let schedule = ngpu_sdk::decode_account(&data).map_err(|e| format!("{key}: {e}"))?;
    Ok((key, schedule))
}

pub fn show(pool: u8, schedule: u64, url: &str, output: Output) -> Result<(), String> {
    let client = RpcClient::new(url);
    let (key, s) = fetch(&client, pool, schedule)?;
    let slot = client.get_slot().map_err(|e| e.to_string())?;
    let now = client.get_block_time(slot).map_err(|e| e.to_string())?;
    let v = view(&key, &s, now)?;
    match output {
        Output::Json => println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?
        ),
        Output::Text => {
            println!("schedule {} (pool {pool}, id {schedule})", v.schedule);
            println!("  beneficiary  {}", v.beneficiary);
            println!("  granted      {} IO, from {}", format_io(v.total), v.start);
            println!("  unlocked     {} IO", format_io(v.unlocked));
            println!("  claimed      {} IO", format_io(v.claimed));
            println!("  claimable    {} IO", format_io(v.claimable));
            if v.revoked {
                println!(
                    "  revoked: {} IO returned to the pool",
                    format_io(v.returned)
                );
            } else if let Some(next) = &v.next_unlock {
                println!("  next unlock  {next}");
            }
        }
    }
    Ok(())
}

pub fn claim(
    pool: u8,
    schedule: u64,
    url: &str,
    destination: &str,
    keypair: &Path,
) -> Result<(), String> {
    let payer = crate::commands::rpc::read_keypair(keypair)?;
    let destination = Pubkey::from_str(destination).map_err(|e| format!("destination: {e}"))?;
    let instruction = ix::vesting::claim(pool, schedule, destination);
    let signature = crate::commands::rpc::send_instruction(url, &payer, instruction)?;
    println!("claimed: {signature}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngpu_math::calendar::{add_months, parse_date};

    fn schedule(total: u64) -> VestingSchedule {
        VestingSchedule {
            version: 1,
            bump: 255,
            vault_bump: 255,
            cliff_months: 12,
            parts: 24,
            revocable: false,
            revoked: false,
            pool: Pubkey::default(),
            beneficiary: Pubkey::new_unique(),
            vault: Pubkey::default(),
            schedule_id: 0,
            start_ts: parse_date("2024-06-11").unwrap(),
            total,
            claimed: 0,
            returned: 0,
            rent_payer: Pubkey::new_unique(),
            revoked_ts: 0,
            _reserved: [0; 24],
        }
    }

    #[test]
    fn view_before_and_after_the_cliff() {
        let s = schedule(24);
        let key = Pubkey::new_unique();
        let before = view(&key, &s, add_months(s.start_ts, 13).unwrap() - 1).unwrap();
        assert_eq!((before.unlocked, before.claimable), (0, 0));
        assert_eq!(before.next_unlock.as_deref(), Some("2025-07-11"));
        let mut s = schedule(24);
        s.claimed = 1;
        let later = view(&key, &s, add_months(s.start_ts, 15).unwrap()).unwrap();
        assert_eq!((later.unlocked, later.claimable), (3, 2));
        assert_eq!(later.next_unlock.as_deref(), Some("2025-10-11"));
        let end = view(&key, &s, add_months(s.start_ts, 40).unwrap()).unwrap();
        assert_eq!((end.unlocked, end.next_unlock), (24, None));
    }

    #[test]
    fn a_revoked_schedule_keeps_what_had_unlocked() {
        // Revoked at month 15 (3 of 24 parts), 1 claimed: 2 claimable, frozen for ever.
        let mut s = schedule(24);
        s.revocable = true;
        s.revoked = true;
        s.returned = 21;
        s.claimed = 1;
        s.revoked_ts = add_months(s.start_ts, 15).unwrap();
        let key = Pubkey::new_unique();
        let later = view(&key, &s, add_months(s.start_ts, 40).unwrap()).unwrap();
        assert_eq!((later.unlocked, later.claimable), (3, 2));
        assert_eq!(later.next_unlock, None);
    }
}
