//! `ngpu-localnet`: a genuine Solana JSON-RPC + WebSocket endpoint on 127.0.0.1 serving the NGPU
//! programs (as native builtins) and SPL Token, deployed and initialised like mainnet would be.
//!
//! The endpoint is surfpool over LiteSVM (`../shared/LOCALNET.md`, route A). Everything after the
//! programs themselves (initialize, genesis, parameters, the test USDC mint, funded users) is sent
//! as ordinary transactions through the endpoint, so the deploy path is exercised too.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use anchor_spl::associated_token::{get_associated_token_address, spl_associated_token_account};
use anchor_spl::token::spl_token;
use io_token::constants::GENESIS_ALLOCATIONS;
use ngpu_sdk::genesis::GenesisPlan;
use ngpu_sdk::params::{Params, StakingKeys};
use ngpu_sdk::{ix, pda};
use serde_json::json;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::request::RpcRequest;
use solana_sdk::account::Account;
use solana_sdk::instruction::Instruction;
use solana_sdk::program_pack::Pack;
use solana_sdk::signature::{write_keypair_file, Keypair, Signer};
use solana_sdk::transaction::Transaction;
use surfpool_core::surfnet::svm::{SurfnetSvm, SurfnetSvmConfig};
use surfpool_types::{
    types::{BlockProductionMode, RpcConfig, SimnetConfig},
    SimnetCommand, SimnetEvent, SurfpoolConfig,
};

/// The IO/USD feed id written into the test price account (also what the programs pin).
pub const FEED_ID: [u8; 32] = ngpu_localnet::TEST_FEED_ID;
/// Pyth's exponent for the test price: USD with 8 decimals.
pub const PRICE_EXPONENT: i32 = -8;
/// Starting IO/USD price: $2.50.
pub const DEFAULT_PRICE_E8: i64 = 250_000_000;
/// SOL given to each named user.
pub const USER_SOL: u64 = 100;
/// IO given to each named user (from the community allocation).
pub const USER_IO: u64 = 100_000;
/// Test USDC given to each named user.
pub const USER_USDC: u64 = 100_000;

const IO: u64 = 100_000_000;
const USDC: u64 = 1_000_000;
const LAMPORTS_PER_SOL: u64 = 1_000_000_000;

/// The users written to the keypair folder, besides `authority.json` (the deployer, upgrade
/// authority, oracle and USDC mint authority).
pub const USERS: [&str; 4] = ["staker", "supplier", "renter", "keeper"];

/// What to start.
#[derive(Clone, Debug)]
pub struct Options {
    pub rpc_port: u16,
    pub ws_port: u16,
    /// Folder the keypairs and a Solana CLI `config.yml` are written to.
    pub dir: PathBuf,
    pub params: Params,
    pub genesis: GenesisPlan,
    /// Slot time in milliseconds (surfpool's default is 400; shorter confirms faster).
    pub slot_time_ms: u64,
    /// How often the price account is republished at the chain's clock.
    pub price_refresh: Duration,
}

impl Options {
    pub fn new(dir: PathBuf, rpc_port: u16, ws_port: u16) -> Self {
        Self {
            rpc_port,
            ws_port,
            dir,
            params: Params::load_default(),
            genesis: default_genesis(),
            slot_time_ms: 100,
            price_refresh: Duration::from_millis(500),
        }
    }
}

/// The shipped default genesis plan (`migrations/genesis/default.json`).
pub fn default_genesis() -> GenesisPlan {
    ngpu_sdk::genesis::GenesisFile::parse(include_str!("../../../migrations/genesis/default.json"))
        .expect("the shipped genesis file parses")
}

/// A running endpoint. Dropping it stops the price refresher; the endpoint itself lives until
/// [`Localnet::stop`] or the end of the process.
pub struct Localnet {
    pub rpc_url: String,
    pub ws_url: String,
    pub dir: PathBuf,
    pub authority: Keypair,
    pub usdc_mint: Pubkey,
    pub price_feed: Pubkey,
    /// The staking reward history account (needed by the crank).
    pub history: Pubkey,
    /// Named users (`USERS`), funded with SOL, IO and USDC in their associated token accounts.
    pub users: Vec<(String, Keypair)>,
    /// Seconds from start to ready (deploy and setup included).
    pub ready_in: Duration,
    stop: Arc<AtomicBool>,
    commands: crossbeam_channel::Sender<SimnetCommand>,
}

impl Localnet {
    pub fn user(&self, name: &str) -> &Keypair {
        &self
            .users
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no user {name}"))
            .1
    }

    pub fn keypair_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    pub fn client(&self) -> RpcClient {
        RpcClient::new_with_commitment(self.rpc_url.clone(), CommitmentConfig::confirmed())
    }

    /// Stops the price refresher and the endpoint.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.commands.send(SimnetCommand::Terminate(None));
    }
}

impl Drop for Localnet {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts the endpoint, deploys and initialises the programs, funds the users and writes their
/// keypairs; returns once everything is confirmed.
pub fn start(options: Options) -> Result<Localnet, String> {
    let started = Instant::now();
    options.params.validate()?;
    // program-test logs every instruction at debug level unless told otherwise.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    ngpu_localnet::install_syscall_stubs();

    let authority = Keypair::new();
    let price_feed = Pubkey::new_unique();
    let (mut svm, events, geyser) = SurfnetSvm::new(SurfnetSvmConfig {
        slot_time: options.slot_time_ms,
        instruction_profiling_enabled: false,
        ..SurfnetSvmConfig::default()
    })
    .map_err(|e| format!("surfnet: {e}"))?;
    ngpu_localnet::add_programs(&mut svm.inner.svm);
    // As after `solana program deploy`: each program's upgrade authority is the deployer.
    for program in ngpu_localnet::PROGRAMS {
        svm.set_account(
            &pda::program_data(&program),
            ngpu_localnet::program_data_account(&authority.pubkey()),
        )
        .map_err(|e| format!("program data: {e}"))?;
    }
    svm.set_account(
        &authority.pubkey(),
        Account::new(
            1_000_000 * LAMPORTS_PER_SOL,
            0,
            &anchor_lang::solana_program::system_program::ID,
        ),
    )
    .map_err(|e| format!("authority: {e}"))?;
    let now = svm
        .inner
        .get_sysvar::<solana_sdk::clock::Clock>()
        .unix_timestamp;
    svm.set_account(&price_feed, price_account(DEFAULT_PRICE_E8, now))
        .map_err(|e| format!("price account: {e}"))?;

    let config = SurfpoolConfig {
        simnets: vec![SimnetConfig {
            offline_mode: true,
            remote_rpc_url: None,
            slot_time: options.slot_time_ms,
            block_production_mode: BlockProductionMode::Clock,
            instruction_profiling_enabled: false,
            ..SimnetConfig::default()
        }],
        rpc: RpcConfig {
            bind_host: "127.0.0.1".into(),
            bind_port: options.rpc_port,
            ws_port: options.ws_port,
            ..RpcConfig::default()
        },
        ..SurfpoolConfig::default()
    };
    let (commands_tx, commands_rx) = crossbeam_channel::unbounded();
    let runloop_commands = commands_tx.clone();
    std::thread::Builder::new()
        .name("surfnet".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime");
            if let Err(e) = runtime.block_on(surfpool_core::start_local_surfnet(
                svm,
                config,
                runloop_commands,
                commands_rx,
                geyser,
            )) {
                eprintln!("ngpu-localnet: the endpoint stopped: {e}");
            }
        })
        .map_err(|e| e.to_string())?;
    // Wait for Ready, then keep draining events (the channel is unbounded).
    loop {
        match events.recv_timeout(Duration::from_secs(30)) {
            Ok(SimnetEvent::Ready(_)) => break,
            Ok(SimnetEvent::Aborted(e)) => return Err(format!("surfnet aborted: {e}")),
            Ok(_) => {}
            Err(e) => return Err(format!("surfnet did not start: {e}")),
        }
    }
    std::thread::spawn(move || while events.recv().is_ok() {});

    let rpc_url = format!("http://127.0.0.1:{}", options.rpc_port);
    let ws_url = format!("ws://127.0.0.1:{}", options.ws_port);
    let client = RpcClient::new_with_commitment(rpc_url.clone(), CommitmentConfig::confirmed());
    let stop = Arc::new(AtomicBool::new(false));
    spawn_price_refresher(
        rpc_url.clone(),
        price_feed,
        options.price_refresh,
        stop.clone(),
    );

    let users: Vec<(String, Keypair)> = USERS
        .iter()
        .map(|name| (name.to_string(), Keypair::new()))
        .collect();
    let deployed = deploy(&client, &options, &authority, price_feed, &users)?;
    write_keypairs(&options.dir, &authority, &users, &rpc_url)?;
    Ok(Localnet {
        rpc_url,
        ws_url,
        dir: options.dir,
        authority,
        usdc_mint: deployed.usdc_mint,
        price_feed,
        history: deployed.history,
        users,
        ready_in: started.elapsed(),
        stop,
        commands: commands_tx,
    })
}

struct Deployed {
    usdc_mint: Pubkey,
    history: Pubkey,
}

/// Initialize, genesis, parameters, the USDC mint and the users: the deploy procedure of
/// `migrations/README.md`, sent through the endpoint.
fn deploy(
    client: &RpcClient,
    options: &Options,
    authority: &Keypair,
    price_feed: Pubkey,
    users: &[(String, Keypair)],
) -> Result<Deployed, String> {
    let a = authority.pubkey();
    let io_mint = pda::io_token::io_mint();
    let send = |ixs: &[Instruction], extra: &[&Keypair]| send(client, authority, ixs, extra);

    send(
        &[
            ix::io_token::initialize(a),
            ix::vesting::initialize(a),
            ix::vesting::create_pool(a, ix::vesting::POOLS[0].0, ix::vesting::POOLS[0].1),
            ix::vesting::create_pool(a, ix::vesting::POOLS[1].0, ix::vesting::POOLS[1].1),
            ix::vesting::create_pool(a, ix::vesting::POOLS[2].0, ix::vesting::POOLS[2].1),
            ix::vesting::create_pool(a, ix::vesting::POOLS[3].0, ix::vesting::POOLS[3].1),
        ],
        &[],
    )?;
    // Community: the authority's associated account; the other four: the vesting pool vaults.
    let community = get_associated_token_address(&a, &io_mint);
    let mut allocations = [Pubkey::default(); GENESIS_ALLOCATIONS];
    allocations[0] = community;
    for (i, (pool_id, _)) in ix::vesting::POOLS.iter().enumerate() {
        allocations[i + 1] = pda::vesting::vault(&pda::vesting::pool(*pool_id));
    }
    send(
        &[
            create_ata(&a, &a, &io_mint),
            ix::io_token::genesis(a, allocations, options.genesis.amounts),
        ],
        &[],
    )?;
    // Each pool records what genesis put in its vault: schedules can be granted from then on.
    send(
        &ix::vesting::POOLS
            .iter()
            .map(|(pool_id, _)| ix::vesting::open_pool(a, *pool_id))
            .collect::<Vec<_>>(),
        &[],
    )?;

    let history = Keypair::new();
    let rent = client
        .get_minimum_balance_for_rent_exemption(staking::RewardHistory::SPACE)
        .map_err(|e| e.to_string())?;
    let args = options.params.staking.initialize_args(StakingKeys {
        oracles: vec![a],
        oracle_quorum: 1,
        price_feed,
        price_feed_id: FEED_ID,
        hire_authority: pda::reservations::config(),
    });
    let mut staking_ixs = vec![
        ix::staking::initialize(a, args),
        ix::staking::create_history_account(a, history.pubkey(), rent),
        ix::staking::init_history(a, history.pubkey()),
        ix::io_token::set_emission_controller(
            a,
            pda::staking::emission_authority(),
            pda::staking::reward_vault(),
        ),
        ix::io_token::lock_emission_controller(a),
    ];
    for class in &options.params.device_classes {
        staking_ixs.push(ix::staking::set_device_class(a, class.args()));
    }
    send(&staking_ixs, &[&history])?;

    let usdc = Keypair::new();
    let mint_rent = client
        .get_minimum_balance_for_rent_exemption(spl_token::state::Mint::LEN)
        .map_err(|e| e.to_string())?;
    send(
        &[
            anchor_lang::solana_program::system_instruction::create_account(
                &a,
                &usdc.pubkey(),
                mint_rent,
                spl_token::state::Mint::LEN as u64,
                &spl_token::ID,
            ),
            spl_token::instruction::initialize_mint2(&spl_token::ID, &usdc.pubkey(), &a, None, 6)
                .map_err(|e| e.to_string())?,
        ],
        &[&usdc],
    )?;
    let usdc_mint = usdc.pubkey();
    send(
        &[
            ix::revenue::initialize(
                a,
                usdc_mint,
                options.params.revenue.initialize_args(price_feed, FEED_ID),
            ),
            ix::reservations::initialize(
                a,
                usdc_mint,
                options
                    .params
                    .reservations
                    .initialize_args(price_feed, FEED_ID),
            ),
        ],
        &[],
    )?;

    for (_, user) in users {
        let u = user.pubkey();
        send(
            &[
                anchor_lang::solana_program::system_instruction::transfer(
                    &a,
                    &u,
                    USER_SOL * LAMPORTS_PER_SOL,
                ),
                create_ata(&a, &u, &io_mint),
                create_ata(&a, &u, &usdc_mint),
                spl_token::instruction::transfer(
                    &spl_token::ID,
                    &community,
                    &get_associated_token_address(&u, &io_mint),
                    &a,
                    &[],
                    USER_IO * IO,
                )
                .map_err(|e| e.to_string())?,
                spl_token::instruction::mint_to(
                    &spl_token::ID,
                    &usdc_mint,
                    &get_associated_token_address(&u, &usdc_mint),
                    &a,
                    &[],
                    USER_USDC * USDC,
                )
                .map_err(|e| e.to_string())?,
            ],
            &[],
        )?;
    }
    Ok(Deployed {
        usdc_mint,
        history: history.pubkey(),
    })
}

fn create_ata(payer: &Pubkey, owner: &Pubkey, mint: &Pubkey) -> Instruction {
    spl_associated_token_account::instruction::create_associated_token_account_idempotent(
        payer,
        owner,
        mint,
        &spl_token::ID,
    )
}

/// Sends one transaction paid by `payer` and waits for its confirmation.
fn send(
    client: &RpcClient,
    payer: &Keypair,
    instructions: &[Instruction],
    extra: &[&Keypair],
) -> Result<(), String> {
    let blockhash = client.get_latest_blockhash().map_err(|e| e.to_string())?;
    let mut signers = vec![payer];
    signers.extend_from_slice(extra);
    let tx = Transaction::new_signed_with_payer(
        instructions,
        Some(&payer.pubkey()),
        &signers,
        blockhash,
    );
    client
        .send_and_confirm_transaction(&tx)
        .map(|_| ())
        .map_err(|e| format!("deploy transaction failed: {e}"))
}

/// A fully verified Pyth PriceUpdateV2 account of [`FEED_ID`] owned by the Pyth receiver.
pub fn price_account(price_e8: i64, publish_time: i64) -> Account {
    // A 0.2% confidence band: narrow enough for every program's check.
    let conf = u64::try_from(price_e8 / 500).unwrap_or(0);
    let update =
        staking::price::PriceUpdateV2::full(FEED_ID, price_e8, conf, PRICE_EXPONENT, publish_time);
    ngpu_localnet::pyth_update_account(staking::PYTH_RECEIVER, &update)
}

/// The chain's clock (the Clock sysvar read through RPC): what the programs see.
pub fn chain_time(client: &RpcClient) -> Result<i64, String> {
    let account = client
        .get_account(&solana_sdk::sysvar::clock::ID)
        .map_err(|e| e.to_string())?;
    let clock: solana_sdk::clock::Clock = account
        .deserialize_data()
        .map_err(|e| format!("malformed Clock sysvar: {e}"))?;
    Ok(clock.unix_timestamp)
}

/// The price currently published in `price_feed`, in USD × 10^8.
pub fn current_price(client: &RpcClient, price_feed: &Pubkey) -> Result<i64, String> {
    let account = client.get_account(price_feed).map_err(|e| e.to_string())?;
    let update = staking::price::PriceUpdateV2::parse(&account.data)
        .map_err(|e| format!("the price account is not a PriceUpdateV2: {e:?}"))?;
    Ok(update.price)
}

/// Publishes `price_e8` (USD × 10^8) at the chain's current time (surfpool's `surfnet_setAccount`)
/// and makes sure it stays: the refresher republishes what it read, so a refresh that read the
/// old price just before this write puts the old price back just after it. The price is written
/// again until it has been seen in place for two checks in a row.
pub fn set_price(client: &RpcClient, price_feed: &Pubkey, price_e8: i64) -> Result<(), String> {
    let mut published = publish_price(client, price_feed, price_e8)?;
    let mut seen = 0;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(150));
        let account = client.get_account(price_feed).map_err(|e| e.to_string())?;
        let update = staking::price::PriceUpdateV2::parse(&account.data)
            .map_err(|e| format!("the price account is not a PriceUpdateV2: {e:?}"))?;
        // The price, at the time written or later (a refresh from before a time travel would
        // put an hours-old publish time back).
        if update.price == price_e8 && update.publish_time >= published {
            seen += 1;
            if seen == 2 {
                return Ok(());
            }
        } else {
            seen = 0;
            published = publish_price(client, price_feed, price_e8)?;
        }
    }
    Err("the price did not stay in place (another writer?)".into())
}

/// One write of `price_e8` at the chain's current time (the refresher's republishing); returns
/// the publish time written.
fn publish_price(client: &RpcClient, price_feed: &Pubkey, price_e8: i64) -> Result<i64, String> {
    let now = chain_time(client)?;
    let account = price_account(price_e8, now);
    client
        .send::<serde_json::Value>(
            RpcRequest::Custom {
                method: "surfnet_setAccount",
            },
            json!([
                price_feed.to_string(),
                {
                    "lamports": account.lamports,
                    "data": hex(&account.data),
                    "owner": account.owner.to_string(),
                    "executable": false,
                    "rentEpoch": 0,
                }
            ]),
        )
        .map(|_| now)
        .map_err(|e| format!("surfnet_setAccount: {e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Moves the chain's clock to `unix_timestamp` (surfpool's `surfnet_timeTravel`) and republishes
/// the price at the new time, so that the crank finds it fresh.
pub fn time_travel(
    client: &RpcClient,
    price_feed: &Pubkey,
    unix_timestamp: i64,
) -> Result<(), String> {
    let target_ms = u64::try_from(unix_timestamp)
        .ok()
        .and_then(|s| s.checked_mul(1000))
        .ok_or("timestamp out of range")?;
    // surfpool waits 2 s for its runloop to apply the clock: a busy machine can miss that, and
    // an absolute target is safe to send again.
    let mut attempt = 0;
    loop {
        match client.send::<serde_json::Value>(
            RpcRequest::Custom {
                method: "surfnet_timeTravel",
            },
            json!([{ "absoluteTimestamp": target_ms }]),
        ) {
            Ok(_) => break,
            Err(_) if chain_time(client)? >= unix_timestamp => break,
            Err(e) if attempt >= 4 => return Err(format!("surfnet_timeTravel: {e}")),
            Err(_) => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(250));
            }
        }
    }
    // Wait until a slot at the new time is visible at the confirmed commitment.
    let deadline = Instant::now() + Duration::from_secs(10);
    while chain_time(client)? < unix_timestamp {
        if Instant::now() > deadline {
            return Err("the clock did not move".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let price = current_price(client, price_feed)?;
    set_price(client, price_feed, price)
}

/// Republishes the current price at the chain's time every `every`, as Pyth's pushers do.
fn spawn_price_refresher(url: String, price_feed: Pubkey, every: Duration, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let client = RpcClient::new_with_commitment(url, CommitmentConfig::confirmed());
        while !stop.load(Ordering::SeqCst) {
            if let Ok(price) = current_price(&client, &price_feed) {
                let _ = publish_price(&client, &price_feed, price);
            }
            std::thread::sleep(every);
        }
    });
}

/// Writes `authority.json`, one `<user>.json` per user and a Solana CLI `config.yml` pointing at
/// the endpoint with the staker as the default keypair.
fn write_keypairs(
    dir: &Path,
    authority: &Keypair,
    users: &[(String, Keypair)],
    rpc_url: &str,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let write = |name: &str, key: &Keypair| {
        let path = dir.join(format!("{name}.json"));
        write_keypair_file(key, &path)
            .map(|_| ())
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    write("authority", authority)?;
    for (name, key) in users {
        write(name, key)?;
    }
    let config = format!(
        "---\njson_rpc_url: \"{rpc_url}\"\nwebsocket_url: \"\"\nkeypair_path: {}\naddress_labels:\n  \"11111111111111111111111111111111\": System Program\ncommitment: confirmed\n",
        dir.join("staker.json").display()
    );
    let path = dir.join("config.yml");
    std::fs::write(&path, config).map_err(|e| format!("{}: {e}", path.display()))
}
