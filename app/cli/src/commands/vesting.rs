//! `ngpu vesting preview | show | claim`.

use clap::{Args, Subcommand, ValueEnum};
use ngpu_math::calendar::{format_date, parse_date};
use ngpu_math::units::format_io;
use ngpu_math::VestingRule;
use ngpu_sdk::genesis::parse_io;
use serde::Serialize;

use crate::commands::rpc::ClusterArgs;
use crate::Output;

#[derive(Args)]
pub struct VestingArgs {
    #[command(subcommand)]
    command: VestingCommand,
}

#[derive(Subcommand)]
enum VestingCommand {
    /// The full unlock calendar of a grant: date, part, amount, cumulative.
    Preview(PreviewArgs),
    /// A schedule on a cluster: grant, unlocked, claimed, claimable now, next unlock.
    Show(ScheduleArgs),
    /// Claim a schedule's unlocked tokens into the beneficiary's IO account (anyone may send it).
    Claim(ClaimArgs),
    /// A beneficiary's schedules on a cluster (default: the keypair's).
    List(ListArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Rule {
    /// 12-month cliff, then 24 monthly parts (seed and series A).
    Investor,
    /// 12-month cliff, then 36 monthly parts (contributors, R&D).
    Contributor,
}

impl Rule {
    fn vesting_rule(self) -> VestingRule {
        match self {
            Rule::Investor => VestingRule::INVESTOR,
            Rule::Contributor => VestingRule::CONTRIBUTOR,
        }
    }
}

#[derive(Args)]
struct PreviewArgs {
    /// Amount granted, in IO (up to 8 decimals).
    #[arg(long)]
    total: String,
    /// Vesting start (the genesis date), YYYY-MM-DD, UTC.
    #[arg(long)]
    start: String,
    #[arg(long, value_enum)]
    rule: Rule,
    #[arg(long, value_enum, default_value_t)]
    output: Output,
}

#[derive(Args)]
struct ScheduleArgs {
    /// Pool id: 0 seed investors, 1 series A, 2 contributors, 3 R&D / ecosystem.
    #[arg(long)]
    pool: u8,
    /// Schedule id within the pool.
    #[arg(long)]
    schedule: u64,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Args)]
struct ClaimArgs {
    #[command(flatten)]
    schedule: ScheduleArgs,
    /// The beneficiary's IO token account (default: its associated account, created if
    /// missing). The keypair only pays the fee: claims are permissionless.
    #[arg(long)]
    destination: Option<String>,
}

#[derive(Args)]
struct ListArgs {
    /// The beneficiary (default: the keypair's public key).
    #[arg(long)]
    beneficiary: Option<String>,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct UnlockRow {
    pub part: u8,
    pub date: String,
    pub unix_time: i64,
    pub amount: u64,
    pub cumulative: u64,
    pub amount_io: String,
    pub cumulative_io: String,
}

/// Every unlock of a grant of `total` base units starting at `start`.
pub fn calendar(total: u64, start: i64, rule: VestingRule) -> Result<Vec<UnlockRow>, String> {
    let mut rows = Vec::with_capacity(usize::from(rule.parts));
    let mut previous = 0u64;
    for part in 1..=rule.parts {
        let at = rule.unlock_time(start, part).map_err(|e| e.to_string())?;
        let cumulative = rule.unlocked(total, start, at).map_err(|e| e.to_string())?;
        let amount = cumulative - previous;
        previous = cumulative;
        rows.push(UnlockRow {
            part,
            date: format_date(at).map_err(|e| e.to_string())?,
            unix_time: at,
            amount,
            cumulative,
            amount_io: format_io(amount),
            cumulative_io: format_io(cumulative),
        });
    }
    Ok(rows)
}

pub fn run(args: VestingArgs) -> Result<(), String> {
    match args.command {
        VestingCommand::Preview(a) => preview(a),
        VestingCommand::Show(a) => {
            crate::commands::vesting_rpc::show(a.pool, a.schedule, &a.cluster)
        }
        VestingCommand::Claim(a) => crate::commands::vesting_rpc::claim(
            a.schedule.pool,
            a.schedule.schedule,
            &a.schedule.cluster,
            a.destination.as_deref(),
        ),
        VestingCommand::List(a) => {
            crate::commands::vesting_rpc::list(a.beneficiary.as_deref(), &a.cluster)
        }
    }
}

fn preview(args: PreviewArgs) -> Result<(), String> {
    let total = parse_io(&args.total)?;
    let start = parse_date(&args.start)
        .map_err(|_| format!("`{}` is not a date YYYY-MM-DD", args.start))?;
    let rows = calendar(total, start, args.rule.vesting_rule())?;
    match args.output {
        Output::Json => println!(
            "{}",
            serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?
        ),
        Output::Text => {
            let rule = args.rule.vesting_rule();
            println!(
                "{} IO from {} ({:?}: {}-month cliff, then {} monthly parts)",
                format_io(total),
                args.start,
                args.rule,
                rule.cliff_months,
                rule.parts
            );
            println!(
                "  {:>4}  {:<10}  {:>24}  {:>26}",
                "part", "date", "amount (IO)", "cumulative (IO)"
            );
            for r in &rows {
                println!(
                    "  {:>4}  {:<10}  {:>24}  {:>26}",
                    r.part, r.date, r.amount_io, r.cumulative_io
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn investor_preview_of_the_issue() {
        let start = parse_date("2024-06-11").unwrap();
        let rows = calendar(62_500_000 * 100_000_000, start, VestingRule::INVESTOR).unwrap();
        assert_eq!(rows.len(), 24);
        assert_eq!(rows[0].date, "2025-07-11");
        assert_eq!(rows[23].date, "2027-06-11");
        assert_eq!(
            rows.iter().map(|r| r.amount).sum::<u64>(),
            62_500_000 * 100_000_000
        );
        assert_eq!(rows[23].cumulative_io, "62,500,000.00000000");
        // 62.5M / 24 = 2,604,166.66666666 and a bit: the parts round down and the last catches up.
        assert_eq!(rows[0].amount_io, "2,604,166.66666666");
    }

    #[test]
    fn contributor_preview_has_36_parts_ending_month_48() {
        let start = parse_date("2024-01-31").unwrap();
        let rows = calendar(7, start, VestingRule::CONTRIBUTOR).unwrap();
        assert_eq!(rows.len(), 36);
        assert_eq!(rows[0].date, "2025-02-28");
        assert_eq!(rows[35].date, "2028-01-31");
        assert_eq!(rows.iter().map(|r| r.amount).sum::<u64>(), 7);
    }
}
