//! `ngpu`: the NGPU command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod commands;
mod plot;
mod quiet;

#[derive(Parser)]
#[command(
    name = "ngpu",
    version,
    about = "NGPU token economy: simulate the chain, inspect the emission schedule"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    /// Human-readable text.
    #[default]
    Text,
    /// One JSON document on stdout, for machines.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run the economy on an in-process chain (our programs + SPL Token) and print a report.
    Simulate(commands::simulate::SimulateArgs),
    /// Budget and cumulative total of the emission schedule for an hour or a year.
    Emission(commands::emission::EmissionArgs),
    /// Vesting calendars and schedules.
    Vesting(commands::vesting::VestingArgs),
}

fn main() -> ExitCode {
    // program-test logs every instruction at debug level unless told otherwise.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Emission(args) => commands::emission::run(args),
        Command::Vesting(args) => commands::vesting::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
