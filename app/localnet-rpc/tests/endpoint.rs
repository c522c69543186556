//! The endpoint serves our programs over genuine JSON-RPC: deploy state readable, clock travel,
//! price moves, and the binary starts, prints its addresses and stops on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anchor_lang::AccountDeserialize;
use ngpu_localnet_rpc::{self as localnet, Options};
use ngpu_sdk::pda;
use solana_sdk::program_pack::Pack;
use solana_sdk::signature::Signer;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn deployed_initialised_and_funded_through_rpc() {
    let dir = std::env::temp_dir().join(format!("ngpu-localnet-test-{}", std::process::id()));
    let net = localnet::start(Options::new(dir.clone(), free_port(), free_port())).unwrap();
    eprintln!("ready in {:?}", net.ready_in);
    let client = net.client();

    // io-token: genesis done, 500M minted; staking is the locked emission controller.
    let mint = client.get_account(&pda::io_token::io_mint()).unwrap();
    let mint = anchor_spl::token::spl_token::state::Mint::unpack_from_slice(&mint.data).unwrap();
    assert_eq!(mint.supply, 500_000_000 * 100_000_000);
    let config = client.get_account(&pda::staking::config()).unwrap();
    let config = staking::Config::try_deserialize(&mut config.data.as_slice()).unwrap();
    assert_eq!(config.price_feed, net.price_feed);

    // Users: SOL, IO and USDC in their associated token accounts; keypair files written.
    for (name, user) in &net.users {
        let lamports = client.get_balance(&user.pubkey()).unwrap();
        assert_eq!(lamports, localnet::USER_SOL * 1_000_000_000, "{name}");
        let io = anchor_spl::associated_token::get_associated_token_address(
            &user.pubkey(),
            &pda::io_token::io_mint(),
        );
        let io = client.get_token_account_balance(&io).unwrap();
        assert_eq!(io.amount, (localnet::USER_IO * 100_000_000).to_string());
        let file = solana_sdk::signature::read_keypair_file(net.keypair_path(name)).unwrap();
        assert_eq!(file.pubkey(), user.pubkey());
    }
    assert!(dir.join("config.yml").exists());

    // Time travel: the clock moves 3 hours and the price is fresh at the new time.
    let before = localnet::chain_time(&client).unwrap();
    localnet::time_travel(&client, &net.price_feed, before + 3 * 3600).unwrap();
    let after = localnet::chain_time(&client).unwrap();
    assert!(after >= before + 3 * 3600, "{before} -> {after}");
    let price = client.get_account(&net.price_feed).unwrap();
    let update = staking::price::PriceUpdateV2::parse(&price.data).unwrap();
    assert!(update.publish_time >= before + 3 * 3600);
    assert_eq!(update.price, localnet::DEFAULT_PRICE_E8);

    // The price can be moved and stays moved.
    localnet::set_price(&client, &net.price_feed, 311_000_000).unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(
        localnet::current_price(&client, &net.price_feed).unwrap(),
        311_000_000
    );
    net.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_binary_prints_its_addresses_and_stops_cleanly() {
    let dir = std::env::temp_dir().join(format!("ngpu-localnet-bin-{}", std::process::id()));
    let port = free_port();
    let ws = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ngpu-localnet"))
        .args([
            "--rpc-port",
            &port.to_string(),
            "--ws-port",
            &ws.to_string(),
        ])
        .arg("--dir")
        .arg(&dir)
        .args(["--output", "json"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(ready["rpc_url"], format!("http://127.0.0.1:{port}"));
    assert_eq!(ready["programs"]["staking"], staking::ID.to_string());
    assert_eq!(ready["keypairs"].as_array().unwrap().len(), 5);
    eprintln!("binary ready in {:?}", started.elapsed());

    let client = solana_rpc_client::rpc_client::RpcClient::new(format!("http://127.0.0.1:{port}"));
    assert!(client.get_account(&pda::staking::ledger()).is_ok());

    // SIGTERM: a clean exit.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_dir_all(dir);
}
