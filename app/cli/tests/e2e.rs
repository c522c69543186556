//! End to end over a genuine JSON-RPC endpoint (`ngpu-localnet`, in this process): the `ngpu`
//! binary registers, stakes, unstakes, claims and cranks as users would, and `ngpu keeper` runs
//! for 48+ simulated hours with time travel, is killed mid-way and catches up after a restart
//! with nothing paid twice. Balances and ledgers are read back through RPC.

use std::io::Read;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anchor_lang::AccountDeserialize;
use ngpu_localnet_rpc::{self as localnet, Localnet, Options};
use ngpu_math::emission::{cumulative, hours_ended};
use ngpu_sdk::{ix, pda, Pubkey};
use serde_json::Value;
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::signature::Signer;
use solana_sdk::transaction::Transaction;

const IO: u64 = 100_000_000;
const HOUR: i64 = 3_600;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `ngpu args… -C <localnet config>` (the staker is the config's default keypair).
fn ngpu(net: &Localnet, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_ngpu"))
        .args(args)
        .arg("-C")
        .arg(net.dir.join("config.yml"))
        .output()
        .unwrap();
    eprintln!(
        "$ ngpu {}\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `ngpu args… --output json`, which must succeed; its JSON document.
fn ngpu_json(net: &Localnet, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--output", "json"]);
    let out = ngpu(net, &all);
    assert!(out.status.success(), "ngpu {} failed", args.join(" "));
    serde_json::from_slice(&out.stdout).expect("one JSON document on stdout")
}

fn base(v: &Value) -> u64 {
    v["base"]
        .as_u64()
        .unwrap_or_else(|| panic!("no base units in {v}"))
}

fn token_balance(client: &RpcClient, account: &Pubkey) -> u64 {
    client
        .get_token_account_balance(account)
        .unwrap()
        .amount
        .parse()
        .unwrap()
}

fn io_config(client: &RpcClient) -> io_token::Config {
    let data = client.get_account_data(&pda::io_token::config()).unwrap();
    io_token::Config::try_deserialize(&mut data.as_slice()).unwrap()
}

fn ledger_state(client: &RpcClient) -> staking::LedgerState {
    let data = client.get_account_data(&pda::staking::ledger()).unwrap();
    staking::Ledger::from_bytes(&data[..]).unwrap().state()
}

/// A running `ngpu keeper`, killed when dropped (a failing test must not leave it behind).
struct KeeperProcess(Child);

impl KeeperProcess {
    /// Killed without warning (SIGKILL), as a crash or an OOM kill would.
    fn kill(mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }
}

impl Drop for KeeperProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn keeper(net: &Localnet, metrics: u16) -> KeeperProcess {
    let child = Command::new(env!("CARGO_BIN_EXE_ngpu"))
        .args(["keeper", "--interval", "1", "--metrics-addr"])
        .arg(format!("127.0.0.1:{metrics}"))
        .args(["-u", &net.rpc_url])
        .arg("-k")
        .arg(net.keypair_path("keeper"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    KeeperProcess(child)
}

fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    use std::io::Write;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

/// Moves the clock `hours` forward and waits until the keeper has cranked every ended hour.
fn advance_and_wait(net: &Localnet, client: &RpcClient, genesis_ts: i64, hours: i64) -> u64 {
    let now = localnet::chain_time(client).unwrap();
    localnet::time_travel(client, &net.price_feed, now + hours * HOUR).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ended = hours_ended(genesis_ts, localnet::chain_time(client).unwrap());
        let next = ledger_state(client).next_hour;
        if next >= ended {
            return next;
        }
        assert!(
            Instant::now() < deadline,
            "the keeper is stuck at hour {next} of {ended}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn metric(body: &str, name: &str) -> f64 {
    body.lines()
        .filter(|l| l.starts_with(name))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

#[test]
fn users_and_the_keeper_over_json_rpc() {
    let dir = std::env::temp_dir().join(format!("ngpu-e2e-{}", std::process::id()));
    let net = localnet::start(Options::new(dir.clone(), free_port(), free_port())).unwrap();
    let client = net.client();
    let supplier_key = net.keypair_path("supplier");
    let supplier_key = supplier_key.to_str().unwrap();
    let io_mint = pda::io_token::io_mint();
    let staker = net.user("staker").pubkey();
    let supplier = net.user("supplier").pubkey();
    let staker_io = anchor_spl::associated_token::get_associated_token_address(&staker, &io_mint);
    let supplier_io =
        anchor_spl::associated_token::get_associated_token_address(&supplier, &io_mint);

    // A supplier registers a node and stakes on it; a staker (the config's default keypair)
    // stakes too and asks for part of it back.
    let registered = ngpu_json(
        &net,
        &[
            "node",
            "register",
            "--class",
            "0",
            "--id",
            "0",
            "-k",
            supplier_key,
        ],
    );
    let node = registered["node"].as_str().unwrap().to_string();
    assert_eq!(node, pda::staking::node(&supplier, 0).to_string());
    ngpu_json(
        &net,
        &[
            "stake",
            "--node",
            &node,
            "--amount",
            "200",
            "-k",
            supplier_key,
        ],
    );
    let staked = ngpu_json(&net, &["stake", "--node", &node, "--amount", "500"]);
    assert_eq!(base(&staked["amount"]), 500 * IO);
    assert!(staked["signature"].as_str().is_some());
    let staker_after_stake = token_balance(&client, &staker_io);
    assert_eq!(staker_after_stake, (localnet::USER_IO - 500) * IO);

    // Errors by name: a deposit is locked for 7 days, and no hour has ended yet.
    let locked = ngpu(&net, &["unstake", "--node", &node, "--amount", "100"]);
    assert!(!locked.status.success());
    assert!(String::from_utf8_lossy(&locked.stderr).contains("staking: StakeLocked (6007)"));
    let refused = ngpu(&net, &["crank", "--hours", "1"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("staking: HourNotEnded"),
        "the error is named"
    );

    // The keeper, for 24 hours.
    let genesis_ts = io_config(&client).genesis_ts;
    let metrics = free_port();
    let keeper_process = keeper(&net, metrics);
    let mut next = 0;
    for _ in 0..6 {
        next = advance_and_wait(&net, &client, genesis_ts, 4);
    }
    assert!(next >= 24, "{next}");
    let (status, body) = http_get(metrics, "/metrics").expect("metrics served");
    assert_eq!(status, 200);
    assert!(
        metric(&body, "ngpu_keeper_transactions_landed_total") >= 1.0,
        "{body}"
    );
    let (health, _) = http_get(metrics, "/healthz").unwrap();
    assert_eq!(health, 200);

    // Killed without warning; 12 hours pass; restarted, it catches up.
    keeper_process.kill();
    let now = localnet::chain_time(&client).unwrap();
    localnet::time_travel(&client, &net.price_feed, now + 12 * HOUR).unwrap();
    let stalled = ledger_state(&client).next_hour;
    assert!(
        hours_ended(genesis_ts, localnet::chain_time(&client).unwrap()) >= stalled + 12,
        "nothing cranked while the keeper was down"
    );
    let keeper_process = keeper(&net, metrics);
    next = advance_and_wait(&net, &client, genesis_ts, 0);
    for _ in 0..4 {
        next = advance_and_wait(&net, &client, genesis_ts, 4);
    }
    assert!(next >= 48, "{next}");

    // Nothing paid twice: io-token's schedule and staking's ledger agree to the base unit, and
    // every minted unit is in the reward vault.
    let config = io_config(&client);
    let state = ledger_state(&client);
    assert_eq!(config.next_hour, state.next_hour);
    assert_eq!(
        config.emission_minted + config.emission_forfeited,
        cumulative(config.next_hour)
    );
    assert_eq!(state.rewards_minted, config.emission_minted);
    assert!(config.emission_minted > 0);
    assert_eq!(
        token_balance(&client, &pda::staking::reward_vault()),
        config.emission_minted
    );
    // The gauge is the keeper's own view at its last pass: it reaches 0 at the pass after the
    // catch-up.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = http_get(metrics, "/metrics").unwrap();
        if metric(&body, "ngpu_keeper_hours_behind") == 0.0 {
            assert!(
                metric(&body, "ngpu_keeper_hours_cranked_total") >= 16.0,
                "{body}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "{body}");
        std::thread::sleep(Duration::from_millis(250));
    }
    keeper_process.kill();

    // Rewards arrive: both claims pay, a second claim pays nothing more.
    let supplier_before = token_balance(&client, &supplier_io);
    let claimed_supplier = ngpu_json(
        &net,
        &["claim", "--node", &node, "--supplier", "-k", supplier_key],
    );
    let claimed_staker = ngpu_json(&net, &["claim", "--node", &node]);
    let supplier_gain = token_balance(&client, &supplier_io) - supplier_before;
    let staker_gain = token_balance(&client, &staker_io) - staker_after_stake;
    assert!(supplier_gain > 0 && staker_gain > 0);
    assert_eq!(base(&claimed_supplier["claimed"]), supplier_gain);
    assert_eq!(base(&claimed_staker["claimed"]), staker_gain);
    eprintln!("claimed: supplier {claimed_supplier}, staker {claimed_staker}");
    let again = ngpu(&net, &["claim", "--node", &node]);
    assert_eq!(
        token_balance(&client, &staker_io) - staker_after_stake,
        staker_gain
    );
    drop(again);
    assert_eq!(
        token_balance(&client, &pda::staking::reward_vault()) + supplier_gain + staker_gain,
        config.emission_minted
    );

    // Vesting: a grant to the staker; nothing before the cliff, its first part 13 months later.
    let grant = ix::vesting::create_schedule(
        net.authority.pubkey(),
        ix::vesting::POOLS[0].0,
        0,
        vesting::CreateScheduleArgs {
            beneficiary: staker,
            amount: 1_200 * IO,
            revocable: false,
        },
    );
    let blockhash = client.get_latest_blockhash().unwrap();
    let tx = Transaction::new_signed_with_payer(
        &[grant],
        Some(&net.authority.pubkey()),
        &[&net.authority],
        blockhash,
    );
    client.send_and_confirm_transaction(&tx).unwrap();
    let pool = ix::vesting::POOLS[0].0.to_string();
    let before_cliff = token_balance(&client, &staker_io);
    let early = ngpu_json(
        &net,
        &["vesting", "claim", "--pool", &pool, "--schedule", "0"],
    );
    eprintln!("before the cliff: {early}");
    assert_eq!(
        token_balance(&client, &staker_io),
        before_cliff,
        "nothing unlocked yet"
    );
    assert_eq!(base(&early["claimed"]), 0);

    // The lock ends after 7 days: unstake; the cooldown ends 7 days later. The keeper, restarted
    // after two weeks away, catches up 336 hours (14 transactions) before the withdrawal.
    let now = localnet::chain_time(&client).unwrap();
    localnet::time_travel(&client, &net.price_feed, now + 7 * 24 * HOUR + HOUR).unwrap();
    let unstaked = ngpu_json(&net, &["unstake", "--node", &node, "--amount", "100"]);
    assert_eq!(base(&unstaked["amount"]), 100 * IO);
    let now = localnet::chain_time(&client).unwrap();
    localnet::time_travel(&client, &net.price_feed, now + 7 * 24 * HOUR + HOUR).unwrap();
    let keeper_process = keeper(&net, metrics);
    advance_and_wait(&net, &client, genesis_ts, 0);
    keeper_process.kill();
    let before = token_balance(&client, &staker_io);
    let withdrawn = ngpu_json(&net, &["withdraw", "--node", &node]);
    assert_eq!(token_balance(&client, &staker_io) - before, 100 * IO);
    assert_eq!(base(&withdrawn["withdrawn"]), 100 * IO);
    let config = io_config(&client);
    assert_eq!(
        config.emission_minted + config.emission_forfeited,
        cumulative(config.next_hour)
    );
    assert_eq!(ledger_state(&client).rewards_minted, config.emission_minted);

    // The vesting cliff: 12 months after genesis, the first part is claimable.
    let now = localnet::chain_time(&client).unwrap();
    localnet::time_travel(&client, &net.price_feed, now + 400 * 24 * HOUR).unwrap();
    let before = token_balance(&client, &staker_io);
    let vested = ngpu_json(
        &net,
        &["vesting", "claim", "--pool", &pool, "--schedule", "0"],
    );
    let received = token_balance(&client, &staker_io) - before;
    assert!(received > 0);
    assert_eq!(base(&vested["claimed"]), received);

    net.stop();
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}

/// The authority's commands through the endpoint: oracle set, parameters, pause (and what a
/// paused program says), a wrong signer, a multisig export with `--sign-only`, a `--dry-run`,
/// and an authority handover.
#[test]
fn authority_commands_over_json_rpc() {
    let dir = std::env::temp_dir().join(format!("ngpu-e2e-admin-{}", std::process::id()));
    let net = localnet::start(Options::new(dir.clone(), free_port(), free_port())).unwrap();
    let client = net.client();
    let authority_key = net.keypair_path("authority");
    let authority_key = authority_key.to_str().unwrap();
    let keeper_key = net.keypair_path("keeper");
    let keeper_key = keeper_key.to_str().unwrap();
    let authority = net.authority.pubkey().to_string();
    let keeper = net.user("keeper").pubkey();
    let staking_config = || {
        let data = client.get_account_data(&pda::staking::config()).unwrap();
        staking::Config::try_deserialize(&mut data.as_slice()).unwrap()
    };

    // Oracle set: two oracles, both needed; everything else kept as it was.
    let before = staking_config();
    let oracles = format!("{authority},{keeper}");
    let set = ngpu_json(
        &net,
        &[
            "admin",
            "oracle",
            "set",
            "--oracles",
            &oracles,
            "--quorum",
            "2",
            "-k",
            authority_key,
        ],
    );
    assert_eq!(set["quorum"], 2);
    let after = staking_config();
    assert_eq!((after.oracle_count, after.oracle_quorum), (2, 2));
    assert_eq!(after.oracles[1], keeper);
    assert_eq!(after.min_stake, before.min_stake);
    assert_eq!(after.price_feed, before.price_feed);
    // A quorum above the set is the CLI's own refusal, before anything is sent.
    let refused = ngpu(
        &net,
        &[
            "admin",
            "oracle",
            "set",
            "--quorum",
            "3",
            "-k",
            authority_key,
        ],
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--quorum must be 1..=2"));

    // Parameters from the shipped file: the keys stay.
    ngpu_json(
        &net,
        &[
            "admin",
            "params",
            "--program",
            "staking",
            "-k",
            authority_key,
        ],
    );
    assert_eq!(staking_config().oracle_quorum, 2);
    ngpu_json(
        &net,
        &[
            "admin",
            "params",
            "--program",
            "revenue",
            "-k",
            authority_key,
        ],
    );

    // Only the authority pauses; a paused staking program refuses a stake by name.
    let wrong = ngpu(
        &net,
        &["admin", "pause", "--program", "staking", "-k", keeper_key],
    );
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("staking: Unauthorized"));
    ngpu_json(
        &net,
        &[
            "admin",
            "pause",
            "--program",
            "staking",
            "-k",
            authority_key,
        ],
    );
    assert!(staking_config().paused);
    let registered = ngpu(&net, &["node", "register", "--class", "0", "--id", "0"]);
    assert!(String::from_utf8_lossy(&registered.stderr).contains("staking: Paused"));
    ngpu_json(
        &net,
        &[
            "admin",
            "unpause",
            "--program",
            "staking",
            "-k",
            authority_key,
        ],
    );

    // --dry-run simulates and sends nothing: the error is named, the chain is unchanged.
    let dry = ngpu(&net, &["crank", "--hours", "2", "--dry-run"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&dry.stdout),
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(text.contains("HourNotEnded"), "{text}");

    // A multisig export: signed by nobody present, the authority's key only named.
    let exported = ngpu_json(
        &net,
        &[
            "admin",
            "propose-authority",
            "--program",
            "revenue",
            "--new-authority",
            &keeper.to_string(),
            "-k",
            &authority,
            "--sign-only",
        ],
    );
    let exported_text = exported.to_string();
    assert!(exported_text.contains(&authority), "{exported_text}");
    let revenue_config = || {
        let data = client.get_account_data(&pda::revenue::config()).unwrap();
        revenue::Config::try_deserialize(&mut data.as_slice()).unwrap()
    };
    assert_eq!(revenue_config().pending_authority, Pubkey::default());

    // The handover: proposed by the authority, accepted by the new one.
    ngpu_json(
        &net,
        &[
            "admin",
            "propose-authority",
            "--program",
            "revenue",
            "--new-authority",
            &keeper.to_string(),
            "-k",
            authority_key,
        ],
    );
    ngpu_json(
        &net,
        &[
            "admin",
            "accept-authority",
            "--program",
            "revenue",
            "-k",
            keeper_key,
        ],
    );
    assert_eq!(revenue_config().authority, keeper);

    net.stop();
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}
