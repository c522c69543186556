//! `ngpu emission --hour H | --year Y`: the schedule of SPEC section 3, from `ngpu-math`.

use clap::Args;
use ngpu_math::units::format_io;
use ngpu_math::{cumulative, hour_budget, EMISSION_HOURS};
use serde::Serialize;

use crate::Output;

/// Hours in a schedule year (365 days).
pub const HOURS_PER_YEAR: u64 = 8_760;

#[derive(Args)]
#[command(group(clap::ArgGroup::new("period").required(true).args(["hour", "year"])))]
pub struct EmissionArgs {
    /// Hour index after genesis (0 = the first hour).
    #[arg(long)]
    hour: Option<u64>,
    /// Schedule year (1 = hours 0..8760).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    year: Option<u64>,
    #[arg(long, value_enum, default_value_t)]
    output: Output,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct EmissionReport {
    pub period: String,
    pub first_hour: u64,
    /// Exclusive.
    pub end_hour: u64,
    /// Base units released in the period.
    pub budget: u64,
    /// Base units released from genesis to the end of the period.
    pub cumulative: u64,
    pub budget_io: String,
    pub cumulative_io: String,
    pub schedule_hours: u64,
}

pub fn report(first_hour: u64, end_hour: u64, period: String) -> EmissionReport {
    let budget = cumulative(end_hour) - cumulative(first_hour);
    let total = cumulative(end_hour);
    EmissionReport {
        period,
        first_hour,
        end_hour,
        budget,
        cumulative: total,
        budget_io: format_io(budget),
        cumulative_io: format_io(total),
        schedule_hours: EMISSION_HOURS,
    }
}

pub fn run(args: EmissionArgs) -> Result<(), String> {
    let report = match (args.hour, args.year) {
        (Some(hour), None) => {
            let end = hour.saturating_add(1);
            debug_assert_eq!(cumulative(end) - cumulative(hour), hour_budget(hour));
            report(hour, end, format!("hour {hour}"))
        }
        (None, Some(year)) => {
            let first = (year - 1).saturating_mul(HOURS_PER_YEAR);
            let end = year.saturating_mul(HOURS_PER_YEAR);
            report(first, end, format!("year {year}"))
        }
        _ => return Err("give exactly one of --hour or --year".into()),
    };
    match args.output {
        Output::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        ),
        Output::Text => {
            println!(
                "{} (hours {}..{})",
                report.period, report.first_hour, report.end_hour
            );
            println!(
                "  budget      {} IO ({} base units)",
                report.budget_io,
                group(report.budget)
            );
            println!(
                "  cumulative  {} IO ({} base units) emitted from genesis to the end of {}",
                report.cumulative_io,
                group(report.cumulative),
                report.period
            );
            if report.first_hour >= EMISSION_HOURS {
                println!(
                    "  the schedule ended after hour {}: nothing more is emitted",
                    EMISSION_HOURS - 1
                );
            }
        }
    }
    Ok(())
}

pub use ngpu_math::units::group_thousands as group;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_zero_is_the_published_first_hour() {
        let r = report(0, 1, "hour 0".into());
        assert_eq!(r.budget, 456_621_004_565);
        assert_eq!(r.budget_io, "4,566.21004565");
        assert_eq!(r.cumulative, r.budget);
        assert_eq!(group(r.budget), "456,621,004,565");
    }

    #[test]
    fn after_the_schedule_budget_is_zero_and_cumulative_is_300m() {
        let r = report(EMISSION_HOURS, EMISSION_HOURS + 1, "hour".into());
        assert_eq!((r.budget, r.cumulative), (0, 30_000_000_000_000_000));
        let last = report(EMISSION_HOURS - 1, EMISSION_HOURS, "hour".into());
        assert_eq!(last.cumulative, 30_000_000_000_000_000);
        assert_eq!(last.budget, hour_budget(EMISSION_HOURS - 1));
    }

    #[test]
    fn years_partition_the_supply() {
        let total: u64 = (1..=21)
            .map(|y| report((y - 1) * HOURS_PER_YEAR, y * HOURS_PER_YEAR, String::new()).budget)
            .sum();
        assert_eq!(total, 30_000_000_000_000_000);
    }
}
