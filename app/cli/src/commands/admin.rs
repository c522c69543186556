//! `ngpu config show --program P` (any program's on-chain configuration) and the authority's
//! commands `ngpu admin …` (pause, unpause, initialize, device classes). Every authority command
//! takes `--sign-only` with `-k <AUTHORITY_PUBKEY>` to export the transaction for a multisig.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use ngpu_sdk::params::Params;
use ngpu_sdk::{ix, pda, Instruction, Pubkey};
use serde_json::json;

use crate::commands::rpc::{self, print_json, Client, ClusterArgs};
use crate::Output;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Program {
    IoToken,
    Vesting,
    Staking,
    Revenue,
    Reservations,
}

impl Program {
    fn config(self) -> Pubkey {
        match self {
            Program::IoToken => pda::io_token::config(),
            Program::Vesting => pda::vesting::config(),
            Program::Staking => pda::staking::config(),
            Program::Revenue => pda::revenue::config(),
            Program::Reservations => pda::reservations::config(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Program::IoToken => "io-token",
            Program::Vesting => "vesting",
            Program::Staking => "staking",
            Program::Revenue => "revenue",
            Program::Reservations => "reservations",
        }
    }

    fn set_paused(self, authority: Pubkey, paused: bool) -> Instruction {
        match self {
            Program::IoToken => ix::io_token::set_paused(authority, paused),
            Program::Vesting => ix::vesting::set_paused(authority, paused),
            Program::Staking => ix::staking::set_paused(authority, paused),
            Program::Revenue => ix::revenue::set_paused(authority, paused),
            Program::Reservations => ix::reservations::set_paused(authority, paused),
        }
    }
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Print a program's configuration account.
    Show {
        #[arg(long, value_enum)]
        program: Program,
    },
}

#[derive(Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    command: ConfigCommand,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Pause a program (the authority).
    Pause {
        #[arg(long, value_enum)]
        program: Program,
    },
    /// Unpause a program (the authority).
    Unpause {
        #[arg(long, value_enum)]
        program: Program,
    },
    /// `initialize` io-token or vesting (signed by the upgrade authority).
    Initialize {
        #[arg(long, value_enum)]
        program: Program,
    },
    /// Create or update device class `--class` from a parameters file (staking authority).
    DeviceClass {
        #[arg(long)]
        class: u16,
        /// Parameters file (default: the shipped migrations/params.toml).
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Propose a new authority for a program (it accepts with `accept-authority`).
    ProposeAuthority {
        #[arg(long, value_enum)]
        program: Program,
        #[arg(long)]
        new_authority: String,
    },
}

#[derive(Args)]
pub struct AdminArgs {
    #[command(subcommand)]
    command: AdminCommand,
    #[command(flatten)]
    cluster: ClusterArgs,
}

fn debug_config(client: &Client, program: Program) -> Result<String, String> {
    let address = program.config();
    let what = format!("{} config", program.name());
    Ok(match program {
        Program::IoToken => format!(
            "{:#?}",
            client.account::<io_token::Config>(&address, &what)?
        ),
        Program::Vesting => format!("{:#?}", client.account::<vesting::Config>(&address, &what)?),
        Program::Staking => format!("{:#?}", client.account::<staking::Config>(&address, &what)?),
        Program::Revenue => format!("{:#?}", client.account::<revenue::Config>(&address, &what)?),
        Program::Reservations => format!(
            "{:#?}",
            client.account::<reservations::Config>(&address, &what)?
        ),
    })
}

pub fn config(args: ConfigArgs) -> Result<(), String> {
    let ConfigCommand::Show { program } = args.command;
    let client = rpc::reader(&args.cluster)?;
    let text = debug_config(&client, program)?;
    match args.cluster.output {
        Output::Json => print_json(&json!({
            "program": program.name(),
            "address": program.config().to_string(),
            "config": text,
        })),
        Output::Text => {
            println!("{} config {}", program.name(), program.config());
            println!("{text}");
            Ok(())
        }
    }
}

pub fn admin(args: AdminArgs) -> Result<(), String> {
    let client = rpc::client(&args.cluster)?;
    let authority = client.payer();
    let (instruction, details) = match args.command {
        AdminCommand::Pause { program } => (
            program.set_paused(authority, true),
            json!({ "program": program.name(), "paused": true }),
        ),
        AdminCommand::Unpause { program } => (
            program.set_paused(authority, false),
            json!({ "program": program.name(), "paused": false }),
        ),
        AdminCommand::Initialize { program } => {
            let instruction = match program {
                Program::IoToken => ix::io_token::initialize(authority),
                Program::Vesting => ix::vesting::initialize(authority),
                _ => {
                    return Err(format!(
                        "{} is initialized from the parameters file by the deploy (migrations)",
                        program.name()
                    ))
                }
            };
            (instruction, json!({ "program": program.name() }))
        }
        AdminCommand::DeviceClass { class, file } => {
            let params = match file {
                Some(path) => Params::load(&path)?,
                None => Params::load_default(),
            };
            let class_params = params
                .device_class(class)
                .ok_or_else(|| format!("the parameters file has no device class {class}"))?;
            (
                ix::staking::set_device_class(authority, class_params.args()),
                json!({ "class": class }),
            )
        }
        AdminCommand::ProposeAuthority {
            program,
            new_authority,
        } => {
            let new = rpc::key(&new_authority)?;
            let instruction = match program {
                Program::IoToken => ix::io_token::propose_authority(authority, new),
                Program::Vesting => ix::vesting::propose_authority(authority, new),
                Program::Staking => ix::staking::propose_authority(authority, new),
                Program::Revenue => ix::revenue::propose_authority(authority, new),
                Program::Reservations => ix::reservations::propose_authority(authority, new),
            };
            (
                instruction,
                json!({ "program": program.name(), "new_authority": new.to_string() }),
            )
        }
    };
    rpc::send(&client, &[instruction], details, "")
}
