//! `ngpu`: the NGPU command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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

pub use ngpu_client::Output;

#[derive(Subcommand)]
enum Command {
    /// Start a local JSON-RPC endpoint with the NGPU programs deployed (runs `ngpu-localnet`).
    #[command(disable_help_flag = true)]
    Localnet {
        /// Arguments for ngpu-localnet (`ngpu localnet --help` shows them).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Run the keeper: crank ended hours, activate nodes, settle reservations, burn IO fees,
    /// finalize slashes (the same as `ngpu-keeper`).
    Keeper(Box<ngpu_keeper::Args>),
    /// Run the economy on an in-process chain (our programs + SPL Token) and print a report.
    Simulate(commands::simulate::SimulateArgs),
    /// Budget and cumulative total of the emission schedule for an hour or a year.
    Emission(commands::emission::EmissionArgs),
    /// Vesting calendars and schedules.
    Vesting(commands::vesting::VestingArgs),
    /// Check a deploy parameters file and print what `initialize` and `set_device_class` get.
    Params(commands::params::ParamsArgs),
    /// Nodes on a cluster: register, show, pause, resume.
    Node(commands::staking_rpc::NodeArgs),
    /// Stake IO on a node.
    Stake(commands::staking_rpc::StakeArgs),
    /// Request an unstake (starts the 7-day cooldown).
    Unstake(commands::staking_rpc::UnstakeArgs),
    /// Withdraw stake whose cooldown has ended.
    Withdraw(commands::staking_rpc::WithdrawArgs),
    /// Claim staking rewards (`--supplier` for a node's 95%).
    Claim(commands::staking_rpc::ClaimArgs),
    /// Crank the next ended hours (permissionless).
    Crank(commands::staking_rpc::CrankArgs),
    /// Revenue: fee vaults, burn totals and day records; burn the IO fees.
    Revenue(commands::revenue_rpc::RevenueArgs),
    /// Buybacks: quote and fill (sell IO for USDC from the fee vault; the IO is burned).
    Buyback(commands::revenue_rpc::BuybackArgs),
    /// Listings: a supplier's node for rent (set, show).
    Listing(commands::reservations_rpc::ListingCliArgs),
    /// Reserve a listed node for whole hours, paying in USDC or IO into escrow.
    Reserve(commands::reservations_rpc::ReserveArgs),
    /// Reservations: show, settle (anyone), end early (the renter), list.
    Reservation(commands::reservations_rpc::ReservationArgs),
    /// Stake positions: show a staker's positions with locks, cooldowns and unclaimed rewards.
    Position(commands::staking_rpc::PositionArgs),
    /// Malicious-behaviour slashes: create and appeal (the authority), finalize (anyone), show.
    Slash(commands::staking_rpc::SlashArgs),
    /// A program's on-chain configuration: io-token, vesting, staking, revenue, reservations.
    Config(commands::admin::ConfigArgs),
    /// The authority's commands (use --sign-only to export a transaction for a multisig).
    Admin(commands::admin::AdminArgs),
}

fn main() -> ExitCode {
    // program-test logs every instruction at debug level unless told otherwise.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let cli = Cli::parse_from(hoist_global_flags(std::env::args_os().collect()));
    let result = match cli.command {
        Command::Localnet { args } => {
            return match commands::external::run("localnet", args) {
                Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Keeper(args) => commands::keeper::run(*args),
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Emission(args) => commands::emission::run(args),
        Command::Vesting(args) => commands::vesting::run(args),
        Command::Params(args) => commands::params::run(args),
        Command::Node(args) => commands::staking_rpc::node(args),
        Command::Stake(args) => commands::staking_rpc::stake(args),
        Command::Unstake(args) => commands::staking_rpc::unstake(args),
        Command::Withdraw(args) => commands::staking_rpc::withdraw(args),
        Command::Claim(args) => commands::staking_rpc::claim(args),
        Command::Crank(args) => commands::staking_rpc::crank(args),
        Command::Revenue(args) => commands::revenue_rpc::revenue(args),
        Command::Buyback(args) => commands::revenue_rpc::buyback(args),
        Command::Listing(args) => commands::reservations_rpc::listing(args),
        Command::Reserve(args) => commands::reservations_rpc::reserve(args),
        Command::Reservation(args) => commands::reservations_rpc::reservation(args),
        Command::Position(args) => commands::staking_rpc::position(args),
        Command::Slash(args) => commands::staking_rpc::slash(args),
        Command::Config(args) => commands::admin::config(args),
        Command::Admin(args) => commands::admin::admin(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The cluster flags each network command takes, which the Solana CLI also accepts before the
/// subcommand (`ngpu -u localhost stake …`): (flag, takes a value).
const GLOBAL_FLAGS: [(&str, bool); 11] = [
    ("-u", true),
    ("--url", true),
    ("-k", true),
    ("--keypair", true),
    ("-C", true),
    ("--config", true),
    ("--commitment", true),
    ("--output", true),
    ("--with-compute-unit-price", true),
    ("--dry-run", false),
    ("--sign-only", false),
];

/// Moves cluster flags given before the subcommand to the end, where the subcommand's parser
/// takes them (`ngpu -u l -k id.json stake …` = `ngpu stake … -u l -k id.json`).
fn hoist_global_flags(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut rest = args.into_iter();
    let mut out: Vec<std::ffi::OsString> = rest.next().into_iter().collect();
    let mut hoisted = Vec::new();
    while let Some(arg) = rest.next() {
        let text = arg.to_string_lossy().into_owned();
        let (flag, inline_value) = match text.split_once('=') {
            Some((f, _)) if f.starts_with("--") => (f.to_string(), true),
            _ => (text.clone(), false),
        };
        match GLOBAL_FLAGS.iter().find(|(f, _)| *f == flag) {
            Some((_, takes_value)) => {
                hoisted.push(arg);
                if *takes_value && !inline_value {
                    hoisted.extend(rest.next());
                }
            }
            None => {
                out.push(arg);
                break;
            }
        }
    }
    out.extend(rest);
    out.extend(hoisted);
    out
}

#[cfg(test)]
mod tests {
    use super::hoist_global_flags;

    fn hoist(args: &str) -> String {
        let v = hoist_global_flags(args.split(' ').map(Into::into).collect());
        v.iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn cluster_flags_before_the_subcommand_move_after_it() {
        assert_eq!(
            hoist("ngpu -u localhost -k id.json stake --node N --amount 5"),
            "ngpu stake --node N --amount 5 -u localhost -k id.json"
        );
        assert_eq!(
            hoist("ngpu --url=l --dry-run crank --hours 2"),
            "ngpu crank --hours 2 --url=l --dry-run"
        );
        // Nothing to move, or flags of the subcommand itself: unchanged.
        assert_eq!(
            hoist("ngpu stake --node N -k id.json"),
            "ngpu stake --node N -k id.json"
        );
        assert_eq!(hoist("ngpu --help"), "ngpu --help");
        assert_eq!(hoist("ngpu emission --hour 0"), "ngpu emission --hour 0");
    }
}
