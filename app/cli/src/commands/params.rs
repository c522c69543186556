//! `ngpu params [--file F]`: checks a deploy parameters file (default: the shipped
//! `migrations/params.toml`) and prints what the deploy's `initialize` and `set_device_class`
//! instructions will be given, in people's units.

use std::path::PathBuf;

use clap::Args;
use ngpu_math::units::{format_io, group_thousands};
use ngpu_sdk::params::{Params, DEFAULT_PARAMS_PATH};

use crate::Output;

#[derive(Args)]
pub struct ParamsArgs {
    /// A parameters file instead of the shipped migrations/params.toml.
    #[arg(long)]
    file: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    output: Output,
}

pub fn run(args: ParamsArgs) -> Result<(), String> {
    let (params, source) = match &args.file {
        Some(path) => (Params::load(path)?, path.display().to_string()),
        None => (Params::load_default(), DEFAULT_PARAMS_PATH.to_string()),
    };
    match args.output {
        Output::Json => println!(
            "{}",
            serde_json::to_string_pretty(&params).map_err(|e| e.to_string())?
        ),
        Output::Text => print_text(&params, &source),
    }
    Ok(())
}

fn duration(secs: i64) -> String {
    match secs {
        s if s > 0 && s % 86_400 == 0 => format!("{} days", s / 86_400),
        s if s > 0 && s % 3_600 == 0 => format!("{} hours", s / 3_600),
        s => format!("{s} s"),
    }
}

fn print_text(params: &Params, source: &str) {
    let s = &params.staking;
    println!("Deploy parameters from {source} (valid)");
    println!("  staking::initialize");
    let line = |label: &str, value: String| println!("    {label:<24} {value}");
    line("min_stake", format!("{} IO", format_io(s.min_stake)));
    line("lock_secs", duration(s.lock_secs));
    line("cooldown_secs", duration(s.cooldown_secs));
    line("reconnect_secs", duration(s.reconnect_secs));
    line(
        "max_stake_boost_bps",
        format!("{} bps", group_thousands(u64::from(s.max_stake_boost_bps))),
    );
    line(
        "offline_threshold_bps",
        format!(
            "{} bps",
            group_thousands(u64::from(s.offline_threshold_bps))
        ),
    );
    line("appeal_secs", duration(s.appeal_secs));
    line(
        "max_price_age_secs",
        duration(i64::from(s.max_price_age_secs)),
    );
    line(
        "max_confidence_bps",
        format!("{} bps", group_thousands(u64::from(s.max_confidence_bps))),
    );
    println!("    (oracles, quorum, price feed and hire authority are given at deploy time)");
    println!("  staking::set_device_class");
    for c in &params.device_classes {
        println!(
            "    {:>3}  {:<16} capex ${:>10}.{:02}  device max stake {:>20} IO",
            c.class_id,
            c.name,
            group_thousands(c.capex_micro_usd / 1_000_000),
            c.capex_micro_usd % 1_000_000 / 10_000,
            format_io(c.device_max_stake)
        );
    }
}
