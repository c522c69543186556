//! Outside audit of the off-chain side over a genuine JSON-RPC endpoint (`ngpu-localnet`, in
//! this process): `--dry-run` / `--sign-only` send nothing, JSON output is one document with
//! base units, a refused connection reads as unreachable, the keeper stops cleanly on SIGTERM,
//! an unfunded keeper is not reported healthy, time travel leaves the price fresh.
//!
//! Every child process is killed by a guard: it inherits the cargo lock's descriptor.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use ngpu_localnet_rpc::{self as localnet, Localnet, Options};
use ngpu_sdk::pda;
use serde_json::Value;
use solana_sdk::signature::{write_keypair_file, Keypair, Signer};

const HOUR: i64 = 3_600;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(name: &str) -> Localnet {
    let dir = std::env::temp_dir().join(format!("ngpu-audit-{name}-{}", std::process::id()));
    localnet::start(Options::new(dir, free_port(), free_port())).unwrap()
}

fn ngpu(net: &Localnet, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_ngpu"))
        .args(args)
        .arg("-C")
        .arg(net.dir.join("config.yml"))
        .stdin(Stdio::null())
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

/// A child killed (and reaped) when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn keeper(net: &Localnet, keypair: &std::path::Path, metrics: u16) -> Guard {
    Guard(
        Command::new(env!("CARGO_BIN_EXE_ngpu"))
            .args(["keeper", "--interval", "1", "--metrics-addr"])
            .arg(format!("127.0.0.1:{metrics}"))
            .args(["-u", &net.rpc_url])
            .arg("-k")
            .arg(keypair)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    )
}

fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
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

fn metric(body: &str, name: &str) -> f64 {
    body.lines()
        .filter(|l| l.starts_with(name))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

#[test]
fn audit_dry_run_and_sign_only_send_nothing_and_print_one_json_document() {
    let net = start("modes");
    let client = net.client();
    let supplier = net.user("supplier").pubkey();
    let key = net.keypair_path("supplier");
    let key = key.to_str().unwrap();
    let node = pda::staking::node(&supplier, 7);
    let lamports = client.get_balance(&supplier).unwrap();
    for mode in ["--dry-run", "--sign-only"] {
        let out = ngpu(
            &net,
            &[
                "node", "register", "--class", "0", "--id", "7", "-k", key, mode, "--output",
                "json",
            ],
        );
        assert!(out.status.success(), "{mode}");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
        assert!(doc.is_object(), "{doc}");
        assert!(doc
            .get("signature")
            .is_none_or(|s| mode == "--sign-only" || s.is_null()));
    }
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        client.get_account(&node).is_err(),
        "a node was registered under --dry-run / --sign-only"
    );
    assert_eq!(client.get_balance(&supplier).unwrap(), lamports);
    // The real thing, for comparison: the node exists; a stake's JSON carries base units.
    let out = ngpu(
        &net,
        &[
            "node", "register", "--class", "0", "--id", "7", "-k", key, "--output", "json",
        ],
    );
    assert!(out.status.success());
    assert!(client.get_account(&node).is_ok());
    let out = ngpu(
        &net,
        &[
            "stake",
            "--node",
            &node.to_string(),
            "--amount",
            "1.5",
            "--output",
            "json",
        ],
    );
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["amount"]["base"].as_u64(), Some(150_000_000), "{doc}");
    // A program error is named, not a raw code only.
    let out = ngpu(
        &net,
        &["unstake", "--node", &node.to_string(), "--amount", "1"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("StakeLocked"), "{err}");
}

#[test]
fn audit_refused_connection_reads_as_unreachable() {
    let net = start("refused");
    let closed = format!("http://127.0.0.1:{}", free_port());
    let node = pda::staking::node(&net.user("staker").pubkey(), 0).to_string();
    let out = ngpu(
        &net,
        &["stake", "--node", &node, "--amount", "1", "-u", &closed],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot reach"), "{err}");
    assert!(!err.contains("AccountNotFound"), "{err}");
}

#[test]
fn audit_keeper_stops_cleanly_on_sigterm_and_price_is_fresh_after_time_travel() {
    let net = start("sigterm");
    let client = net.client();
    let metrics = free_port();
    let mut k = keeper(&net, &net.keypair_path("keeper"), metrics);
    let now = localnet::chain_time(&client).unwrap();
    localnet::time_travel(&client, &net.price_feed, now + 3 * HOUR).unwrap();
    // The crank goes through: the price was republished at the new time.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some((200, body)) = http_get(metrics, "/metrics") {
            if metric(&body, "ngpu_keeper_hours_cranked_total") >= 3.0 {
                break;
            }
        }
        assert!(Instant::now() < deadline, "no crank after time travel");
        std::thread::sleep(Duration::from_millis(250));
    }
    assert_eq!(http_get(metrics, "/healthz").unwrap().0, 200);
    let pid = k.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = k.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the keeper ignores SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "a clean shutdown exits {status}");
    assert!(
        http_get(metrics, "/healthz").is_none(),
        "metrics still served"
    );
}

#[test]
fn audit_an_unfunded_keeper_is_not_healthy_over_rpc() {
    let net = start("unfunded");
    let client = net.client();
    let path = net.dir.join("unfunded.json");
    write_keypair_file(&Keypair::new(), &path).unwrap();
    let metrics = free_port();
    let _k = keeper(&net, &path, metrics);
    let now = localnet::chain_time(&client).unwrap();
    localnet::time_travel(&client, &net.price_feed, now + 2 * HOUR).unwrap();
    // Several passes (1 s apart): nothing can be sent.
    std::thread::sleep(Duration::from_secs(6));
    let (_, body) = http_get(metrics, "/metrics").expect("metrics served");
    assert_eq!(metric(&body, "ngpu_keeper_transactions_landed_total"), 0.0);
    assert!(metric(&body, "ngpu_keeper_hours_behind") >= 2.0, "{body}");
    let (status, text) = http_get(metrics, "/healthz").unwrap();
    assert_eq!(status, 503, "an unfunded keeper says {text}: {body}");
}

/// The processes whose command line mentions `needle` (a unique folder of this test).
fn pids_with(needle: &str) -> Vec<u32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            if String::from_utf8_lossy(&cmdline).contains(needle) {
                pids.push(pid);
            }
        }
    }
    pids
}

/// Kills (by id) every process this test started through `ngpu localnet`, even orphans.
struct KillAll(String);

impl Drop for KillAll {
    fn drop(&mut self) {
        for pid in pids_with(&self.0) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

#[test]
fn audit_sigterm_to_ngpu_localnet_leaves_no_endpoint_behind() {
    let dir = std::env::temp_dir().join(format!("ngpu-audit-wrapper-{}", std::process::id()));
    let _cleanup = KillAll(dir.to_string_lossy().into_owned());
    let port = free_port();
    let mut parent = Guard(
        Command::new(env!("CARGO_BIN_EXE_ngpu"))
            .args(["localnet", "--rpc-port", &port.to_string()])
            .args(["--ws-port", &free_port().to_string(), "--dir"])
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    while !dir.join("config.yml").exists() || TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the localnet did not start");
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(1));
    // A service manager stops `ngpu localnet` with SIGTERM.
    assert!(Command::new("kill")
        .args(["-TERM", &parent.0.id().to_string()])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(15);
    while parent.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "ngpu localnet ignores SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(3));
    let left = pids_with(&dir.to_string_lossy());
    assert!(
        left.is_empty() && TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the endpoint outlived `ngpu localnet` (pids {left:?} still serve port {port})"
    );
}

/// `set_price` while the refresher republishes: a new price must never be overwritten by the
/// old one (the refresher reads the price, then writes it back at the chain's time).
#[test]
fn audit_set_price_is_not_reverted_by_the_price_refresher() {
    let net = start("price");
    let client = net.client();
    let mut reverted = Vec::new();
    for i in 0..150i64 {
        let price = 200_000_000 + i;
        localnet::set_price(&client, &net.price_feed, price).unwrap();
        std::thread::sleep(Duration::from_millis(40));
        let seen = localnet::current_price(&client, &net.price_feed).unwrap();
        if seen != price {
            reverted.push((price, seen));
        }
    }
    assert!(
        reverted.is_empty(),
        "prices set then reverted by the refresher (set, seen): {reverted:?}"
    );
}

/// `ngpu claim --output json` must say what was claimed, in base units (as `stake` does).
#[test]
fn audit_claim_json_reports_the_amount_claimed() {
    let net = start("claim");
    let client = net.client();
    let key = net.keypair_path("supplier");
    let key = key.to_str().unwrap();
    let out = ngpu(
        &net,
        &["node", "register", "--class", "0", "--id", "0", "-k", key],
    );
    assert!(out.status.success());
    let node = pda::staking::node(&net.user("supplier").pubkey(), 0).to_string();
    assert!(ngpu(
        &net,
        &["stake", "--node", &node, "--amount", "200", "-k", key]
    )
    .status
    .success());
    assert!(ngpu(&net, &["stake", "--node", &node, "--amount", "500"])
        .status
        .success());
    let now = localnet::chain_time(&client).unwrap();
    localnet::time_travel(&client, &net.price_feed, now + 6 * HOUR).unwrap();
    assert!(ngpu(&net, &["crank", "--hours", "5"]).status.success());
    let staker_io = anchor_spl::associated_token::get_associated_token_address(
        &net.user("staker").pubkey(),
        &pda::io_token::io_mint(),
    );
    let balance = |c: &solana_rpc_client::rpc_client::RpcClient| -> u64 {
        c.get_token_account_balance(&staker_io)
            .unwrap()
            .amount
            .parse()
            .unwrap()
    };
    let before = balance(&client);
    let out = ngpu(&net, &["claim", "--node", &node, "--output", "json"]);
    assert!(out.status.success());
    let gained = balance(&client) - before;
    assert!(gained > 0, "nothing to claim: the PoC needs rewards");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let reported = doc
        .get("amount")
        .or_else(|| doc.get("claimed"))
        .and_then(|a| a["base"].as_u64());
    assert_eq!(
        reported,
        Some(gained),
        "the claim's JSON does not say how much was claimed: {doc}"
    );
}
