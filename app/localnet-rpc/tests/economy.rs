//! The economy over genuine JSON-RPC: a supplier registers and stakes, a staker stakes, the clock
//! travels, the crank mints through io-token (CPI into SPL Token) at the price account's price,
//! and both claims pay out; supply and vault balances reconcile.

use anchor_lang::AccountDeserialize;
use anchor_spl::associated_token::get_associated_token_address;
use ngpu_localnet_rpc::{self as localnet, Options};
use ngpu_sdk::{ix, pda};
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

const IO: u64 = 100_000_000;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn send(client: &RpcClient, payer: &Keypair, ixs: &[Instruction]) {
    let blockhash = client.get_latest_blockhash().unwrap();
    let tx = Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &[payer], blockhash);
    client.send_and_confirm_transaction(&tx).unwrap();
}

fn balance(client: &RpcClient, account: &solana_sdk::pubkey::Pubkey) -> u64 {
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

fn staking_next_hour(client: &RpcClient) -> u64 {
    let data = client.get_account_data(&pda::staking::ledger()).unwrap();
    staking::Ledger::from_bytes(&data[..]).unwrap().next_hour()
}

#[test]
fn stake_crank_and_claim_over_rpc() {
    let dir = std::env::temp_dir().join(format!("ngpu-localnet-economy-{}", std::process::id()));
    let net = localnet::start(Options::new(dir.clone(), free_port(), free_port())).unwrap();
    let client = net.client();
    let io_mint = pda::io_token::io_mint();
    let supplier = net.user("supplier");
    let staker = net.user("staker");
    let keeper = net.user("keeper");
    let supplier_io = get_associated_token_address(&supplier.pubkey(), &io_mint);
    let staker_io = get_associated_token_address(&staker.pubkey(), &io_mint);

    let node = pda::staking::node(&supplier.pubkey(), 0);
    send(
        &client,
        supplier,
        &[
            ix::staking::register_node(supplier.pubkey(), 0, 0),
            ix::staking::stake(supplier.pubkey(), node, supplier_io, 200 * IO),
        ],
    );
    send(
        &client,
        staker,
        &[ix::staking::stake(
            staker.pubkey(),
            node,
            staker_io,
            500 * IO,
        )],
    );
    let supplier_before = balance(&client, &supplier_io);
    let staker_before = balance(&client, &staker_io);

    // Three hours later (plus one so the node's first eligible hour has ended), crank them all.
    let genesis_ts = io_config(&client).genesis_ts;
    let now = localnet::chain_time(&client).unwrap();
    let ended = ngpu_math::emission::hours_ended(genesis_ts, now);
    localnet::time_travel(
        &client,
        &net.price_feed,
        genesis_ts + (ended as i64 + 4) * 3600,
    )
    .unwrap();
    let first = staking_next_hour(&client);
    let target =
        ngpu_math::emission::hours_ended(genesis_ts, localnet::chain_time(&client).unwrap());
    assert!(target >= first + 4, "{first}..{target}");
    let hours = u8::try_from(target - first).unwrap();
    send(
        &client,
        keeper,
        &[ix::staking::crank_hour(
            keeper.pubkey(),
            net.price_feed,
            net.history,
            first,
            hours,
        )],
    );
    assert_eq!(staking_next_hour(&client), target);
    let config = io_config(&client);
    assert_eq!(config.next_hour, target);
    assert_eq!(
        config.emission_minted + config.emission_forfeited,
        ngpu_math::emission::cumulative(target)
    );
    assert!(
        config.emission_minted > 0,
        "the node earned in its eligible hours"
    );
    let reward_vault = balance(&client, &pda::staking::reward_vault());
    assert_eq!(reward_vault, config.emission_minted);

    send(
        &client,
        supplier,
        &[ix::staking::claim_node_rewards(
            supplier.pubkey(),
            node,
            supplier_io,
        )],
    );
    send(
        &client,
        staker,
        &[ix::staking::claim_stake_rewards(
            staker.pubkey(),
            node,
            staker_io,
        )],
    );
    let supplier_gain = balance(&client, &supplier_io) - supplier_before;
    let staker_gain = balance(&client, &staker_io) - staker_before;
    assert!(
        supplier_gain > 0 && staker_gain > 0,
        "{supplier_gain} {staker_gain}"
    );
    // Rounding stays in the vault, never out of it.
    let left = balance(&client, &pda::staking::reward_vault());
    assert_eq!(left + supplier_gain + staker_gain, config.emission_minted);
    let supply = {
        let data = client.get_account_data(&io_mint).unwrap();
        <anchor_spl::token::spl_token::state::Mint as solana_sdk::program_pack::Pack>::unpack(&data)
            .unwrap()
            .supply
    };
    assert_eq!(supply, 500_000_000 * IO + config.emission_minted);
    net.stop();
    let _ = std::fs::remove_dir_all(dir);
}
