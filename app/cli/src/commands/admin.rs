//! `ngpu config show --program P` (any program's on-chain configuration) and the authority's
//! commands `ngpu admin …` (pause, unpause, initialize, device classes). Every authority command
//! takes `--sign-only` with `-k <AUTHORITY_PUBKEY>` to export the transaction for a multisig.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use ngpu_sdk::params::{Params, StakingKeys};
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
    /// Update a program's economic parameters from a parameters file (staking, revenue,
    /// reservations); the deployment's keys (oracles, price account, feed id, hire authority)
    /// are kept as they are on chain.
    Params {
        #[arg(long, value_enum)]
        program: Program,
        /// Parameters file (default: the shipped migrations/params.toml).
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Staking's oracles: the uptime oracle set and quorum, and the pinned Pyth price account
    /// (each kept as it is unless given); the parameters are kept as they are on chain.
    Oracle {
        #[command(subcommand)]
        command: OracleCommand,
    },
    /// io-token `genesis` from a genesis file: community to the authority's associated IO
    /// account (created if missing), the rest into the four vesting pool vaults.
    Genesis {
        /// Genesis file (e.g. migrations/genesis/default.json).
        #[arg(long)]
        file: PathBuf,
    },
    /// Vesting `open_pool`: record what genesis put in pool `--pool`'s vault.
    OpenPool {
        #[arg(long)]
        pool: u8,
    },
    /// Accept a proposed authority (signed by the new authority).
    AcceptAuthority {
        #[arg(long, value_enum)]
        program: Program,
    },
    /// Propose a new authority for a program (it accepts with `accept-authority`).
    ProposeAuthority {
        #[arg(long, value_enum)]
        program: Program,
        #[arg(long)]
        new_authority: String,
    },
}

#[derive(Subcommand)]
pub enum OracleCommand {
    /// Set the oracle set, its quorum and/or the price account.
    Set {
        /// Comma-separated oracle keys (1 to 5, distinct).
        #[arg(long, value_delimiter = ',')]
        oracles: Vec<String>,
        #[arg(long)]
        quorum: Option<u8>,
        /// The Pyth PriceUpdateV2 account of the IO/USD feed.
        #[arg(long)]
        price_feed: Option<String>,
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
        AdminCommand::Params { program, file } => {
            let params = match file {
                Some(path) => Params::load(&path)?,
                None => Params::load_default(),
            };
            let what = format!("{} config", program.name());
            let instruction = match program {
                Program::Staking => {
                    let c = client.account::<staking::Config>(&program.config(), &what)?;
                    let oracles = c.oracles[..usize::from(c.oracle_count)].to_vec();
                    ix::staking::update_params(
                        authority,
                        params.staking.initialize_args(StakingKeys {
                            oracles,
                            oracle_quorum: c.oracle_quorum,
                            price_feed: c.price_feed,
                            price_feed_id: c.price_feed_id,
                            hire_authority: c.hire_authority,
                        }),
                    )
                }
                Program::Revenue => {
                    let c = client.account::<revenue::Config>(&program.config(), &what)?;
                    ix::revenue::update_params(
                        authority,
                        params
                            .revenue
                            .initialize_args(c.price_feed, c.price_feed_id),
                    )
                }
                Program::Reservations => {
                    let c = client.account::<reservations::Config>(&program.config(), &what)?;
                    ix::reservations::update_params(
                        authority,
                        params
                            .reservations
                            .initialize_args(c.price_feed, c.price_feed_id),
                    )
                }
                Program::IoToken | Program::Vesting => {
                    return Err(format!("{} has no parameters to update", program.name()))
                }
            };
            (instruction, json!({ "program": program.name() }))
        }
        AdminCommand::Oracle {
            command:
                OracleCommand::Set {
                    oracles,
                    quorum,
                    price_feed,
                },
        } => {
            let c = client.account::<staking::Config>(&pda::staking::config(), "staking config")?;
            let oracles = if oracles.is_empty() {
                c.oracles[..usize::from(c.oracle_count)].to_vec()
            } else {
                oracles
                    .iter()
                    .map(|k| rpc::key(k))
                    .collect::<Result<_, _>>()?
            };
            let quorum = quorum.unwrap_or(c.oracle_quorum);
            if quorum == 0 || usize::from(quorum) > oracles.len() {
                return Err(format!(
                    "--quorum must be 1..={} (the number of oracles)",
                    oracles.len()
                ));
            }
            let price_feed = match price_feed {
                Some(k) => rpc::key(&k)?,
                None => c.price_feed,
            };
            let args = staking::InitializeArgs {
                oracles: oracles.clone(),
                oracle_quorum: quorum,
                price_feed,
                price_feed_id: c.price_feed_id,
                max_price_age_secs: c.max_price_age_secs,
                max_confidence_bps: c.max_confidence_bps,
                max_stake_boost_bps: c.max_stake_boost_bps,
                min_stake: c.min_stake,
                lock_secs: c.lock_secs,
                cooldown_secs: c.cooldown_secs,
                reconnect_secs: c.reconnect_secs,
                hire_authority: c.hire_authority,
                offline_threshold_bps: c.offline_threshold_bps,
                appeal_secs: c.appeal_secs,
            };
            (
                ix::staking::update_params(authority, args),
                json!({
                    "oracles": oracles.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "quorum": quorum,
                    "price_feed": price_feed.to_string(),
                }),
            )
        }
        AdminCommand::Genesis { file } => {
            let json =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let plan = ngpu_sdk::genesis::GenesisFile::parse(&json)?;
            let io_mint = pda::io_token::io_mint();
            let community =
                anchor_spl::associated_token::get_associated_token_address(&authority, &io_mint);
            let mut allocations = [community; 5];
            for (i, (pool_id, _)) in ix::vesting::POOLS.iter().enumerate() {
                allocations[i + 1] = pda::vesting::vault(&pda::vesting::pool(*pool_id));
            }
            let create = anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
                &authority,
                &authority,
                &io_mint,
                &anchor_spl::token::ID,
            );
            let genesis = ix::io_token::genesis(authority, allocations, plan.amounts);
            return rpc::send(
                &client,
                &[create, genesis],
                json!({
                    "genesis": plan.name,
                    "community": community.to_string(),
                    "amounts": plan.amounts.iter().map(|a| rpc::io_json(*a)).collect::<Vec<_>>(),
                }),
                "",
            );
        }
        AdminCommand::OpenPool { pool } => {
            if !ix::vesting::POOLS.iter().any(|(id, _)| *id == pool) {
                return Err(format!("no vesting pool {pool} (0..=3)"));
            }
            (
                ix::vesting::open_pool(authority, pool),
                json!({ "pool": pool }),
            )
        }
        AdminCommand::AcceptAuthority { program } => (
            match program {
                Program::IoToken => ix::io_token::accept_authority(authority),
                Program::Vesting => ix::vesting::accept_authority(authority),
                Program::Staking => ix::staking::accept_authority(authority),
                Program::Revenue => ix::revenue::accept_authority(authority),
                Program::Reservations => ix::reservations::accept_authority(authority),
            },
            json!({ "program": program.name(), "authority": authority.to_string() }),
        ),
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
