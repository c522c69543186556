//! `ngpu vesting show | claim | list` against a cluster's JSON RPC.

use ngpu_client::solana_sdk::signature::Signer;
use ngpu_math::calendar::format_date;
use ngpu_math::units::format_io;
use ngpu_sdk::{ix, pda, Pubkey};
use serde::Serialize;
use serde_json::json;
use vesting::VestingSchedule;

use crate::commands::rpc::{self, key, print_json, Client, ClusterArgs};
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

fn fetch(client: &Client, pool: u8, schedule: u64) -> Result<(Pubkey, VestingSchedule), String> {
    let key = pda::vesting::schedule(&pda::vesting::pool(pool), schedule);
    Ok((key, client.account(&key, "vesting schedule")?))
}

fn print_text(v: &ScheduleView, title: &str) {
    println!("schedule {} {title}", v.schedule);
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

pub fn show(pool: u8, schedule: u64, cluster: &ClusterArgs) -> Result<(), String> {
    let client = rpc::reader(cluster)?;
    let (key, s) = fetch(&client, pool, schedule)?;
    let now = client.now()?;
    let v = view(&key, &s, now)?;
    match cluster.output {
        Output::Json => print_json(&v),
        Output::Text => {
            print_text(&v, &format!("(pool {pool}, id {schedule})"));
            Ok(())
        }
    }
}

/// Byte offset of `VestingSchedule::beneficiary` (discriminator, 7 one-byte fields, pool).
const SCHEDULE_BENEFICIARY_OFFSET: usize = 8 + 7 + 32;

pub fn list(beneficiary: Option<&str>, cluster: &ClusterArgs) -> Result<(), String> {
    let resolved = cluster.resolve()?;
    let beneficiary = match beneficiary {
        Some(b) => key(b)?,
        None => resolved.signer()?.pubkey(),
    };
    let client = Client::read_only(resolved);
    let now = client.now()?;
    use anchor_lang::Discriminator;
    let accounts = client.program_accounts(
        &vesting::ID,
        &[
            (0, VestingSchedule::DISCRIMINATOR.to_vec()),
            (SCHEDULE_BENEFICIARY_OFFSET, beneficiary.to_bytes().to_vec()),
        ],
    )?;
    let mut views = Vec::new();
    for (address, data) in accounts {
        let s: VestingSchedule = ngpu_sdk::decode_account(&data).map_err(|e| e.to_string())?;
        views.push(view(&address, &s, now)?);
    }
    views.sort_by(|a, b| a.start.cmp(&b.start).then(a.schedule.cmp(&b.schedule)));
    match cluster.output {
        Output::Json => print_json(&views),
        Output::Text => {
            if views.is_empty() {
                println!("no vesting schedule of {beneficiary}");
            }
            for v in &views {
                print_text(v, "");
            }
            Ok(())
        }
    }
}

pub fn claim(
    pool: u8,
    schedule: u64,
    cluster: &ClusterArgs,
    destination: Option<&str>,
) -> Result<(), String> {
    let client = rpc::client(cluster)?;
    let (address, s) = fetch(&client, pool, schedule)?;
    let mut ixs = Vec::new();
    let destination = client.token_account(
        destination,
        &s.beneficiary,
        &ngpu_client::token::io_mint(),
        true,
        &mut ixs,
    )?;
    ixs.push(ix::vesting::claim(pool, schedule, destination));
    let before = rpc::token_amount(&client, &destination)?;
    rpc::send_then(
        &client,
        &ixs,
        json!({ "schedule": address.to_string(), "destination": destination.to_string() }),
        "",
        rpc::io_received(destination, before, "claimed"),
    )
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
    fn the_beneficiary_offset_matches_the_layout() {
        use anchor_lang::AccountSerialize;
        let s = schedule(24);
        let mut data = Vec::new();
        s.try_serialize(&mut data).unwrap();
        assert_eq!(
            &data[SCHEDULE_BENEFICIARY_OFFSET..SCHEDULE_BENEFICIARY_OFFSET + 32],
            s.beneficiary.as_ref()
        );
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
