//! `ngpu-localnet` (also `ngpu localnet`): a local JSON-RPC + WebSocket endpoint with the NGPU
//! programs deployed and initialised, a test USDC mint, a fresh IO/USD price and funded users.

use std::fs::File;
use std::io::Write;
use std::os::fd::FromRawFd;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anchor_lang::AccountDeserialize;
use clap::{Parser, Subcommand, ValueEnum};
use ngpu_localnet_rpc as localnet;
use ngpu_sdk::genesis::GenesisFile;
use ngpu_sdk::params::Params;
use ngpu_sdk::pda;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::signature::Signer;

#[derive(Parser)]
#[command(
    name = "ngpu-localnet",
    version,
    about = "A local Solana JSON-RPC endpoint with the NGPU programs deployed and initialised"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    start: StartArgs,
}

#[derive(clap::Args)]
struct StartArgs {
    /// JSON-RPC port (WebSocket: this + 1 unless --ws-port).
    #[arg(long, default_value_t = 8899)]
    rpc_port: u16,
    #[arg(long)]
    ws_port: Option<u16>,
    /// Folder for the keypairs (authority, staker, supplier, renter, keeper) and a Solana CLI
    /// config.yml pointing at this endpoint.
    #[arg(long, default_value = ".ngpu-localnet")]
    dir: PathBuf,
    /// Deploy parameters (default: the shipped migrations/params.toml).
    #[arg(long)]
    params: Option<PathBuf>,
    /// Genesis file (default: the shipped migrations/genesis/default.json).
    #[arg(long)]
    genesis: Option<PathBuf>,
    /// Slot time in milliseconds.
    #[arg(long, default_value_t = 100)]
    slot_ms: u64,
    #[arg(long, value_enum, default_value_t = Output::Text)]
    output: Output,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Publish a new IO/USD price on a running localnet (kept fresh from then on).
    SetPrice {
        /// USD per IO, e.g. 2.75.
        usd: String,
        #[arg(short = 'u', long, default_value = "http://127.0.0.1:8899")]
        url: String,
    },
    /// Move a running localnet's clock forward (the price is republished at the new time).
    Warp {
        /// Hours to move forward.
        #[arg(long, conflicts_with = "to")]
        hours: Option<u64>,
        /// Absolute UNIX timestamp to move to.
        #[arg(long)]
        to: Option<i64>,
        #[arg(short = 'u', long, default_value = "http://127.0.0.1:8899")]
        url: String,
    },
}

fn main() -> ExitCode {
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.start),
        Some(Command::SetPrice { usd, url }) => set_price(&url, &usd),
        Some(Command::Warp { hours, to, url }) => warp(&url, hours, to),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: StartArgs) -> Result<(), String> {
    let mut options = localnet::Options::new(
        args.dir.clone(),
        args.rpc_port,
        args.ws_port
            .unwrap_or_else(|| args.rpc_port.saturating_add(1)),
    );
    if let Some(path) = &args.params {
        options.params = Params::load(path)?;
    }
    if let Some(path) = &args.genesis {
        let json = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        options.genesis = GenesisFile::parse(&json)?;
    }
    options.slot_time_ms = args.slot_ms;
    // Natively our programs' `msg!` lines are println!s: keep them off the real stdout (they are
    // in each transaction's logs through RPC), which is ours.
    let mut out = private_stdout()?;
    let net = localnet::start(options)?;
    print_ready(&mut out, &net, args.output).map_err(|e| e.to_string())?;
    // Ctrl-C (or SIGTERM) stops the endpoint and exits cleanly.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(|e| e.to_string())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.map_err(|e| e.to_string()),
            _ = term.recv() => Ok(()),
        }
    })?;
    net.stop();
    eprintln!("ngpu-localnet: stopped");
    Ok(())
}

fn print_ready(
    out: &mut impl Write,
    net: &localnet::Localnet,
    output: Output,
) -> std::io::Result<()> {
    let programs = [
        ("io-token", io_token::ID),
        ("vesting", vesting::ID),
        ("staking", staking::ID),
        ("revenue", revenue::ID),
        ("reservations", reservations::ID),
    ];
    let mut keypairs = vec![(
        "authority".to_string(),
        net.keypair_path("authority"),
        net.authority.pubkey(),
    )];
    for (name, key) in &net.users {
        keypairs.push((name.clone(), net.keypair_path(name), key.pubkey()));
    }
    if output == Output::Json {
        let json = serde_json::json!({
            "rpc_url": net.rpc_url,
            "ws_url": net.ws_url,
            "ready_in_ms": net.ready_in.as_millis() as u64,
            "programs": programs.iter().map(|(n, id)| (n.to_string(), serde_json::Value::from(id.to_string()))).collect::<serde_json::Map<_, _>>(),
            "io_mint": pda::io_token::io_mint().to_string(),
            "usdc_mint": net.usdc_mint.to_string(),
            "price_feed": net.price_feed.to_string(),
            "reward_history": net.history.to_string(),
            "config": net.dir.join("config.yml"),
            "keypairs": keypairs.iter().map(|(n, p, k)| serde_json::json!({"name": n, "path": p, "pubkey": k.to_string()})).collect::<Vec<_>>(),
        });
        writeln!(out, "{json}")?;
    } else {
        writeln!(
            out,
            "NGPU localnet ready in {:.2} s",
            net.ready_in.as_secs_f64()
        )?;
        writeln!(out, "  JSON-RPC   {}", net.rpc_url)?;
        writeln!(out, "  WebSocket  {}", net.ws_url)?;
        for (name, id) in programs {
            writeln!(out, "  {name:<12} {id}")?;
        }
        writeln!(out, "  IO mint      {}", pda::io_token::io_mint())?;
        writeln!(out, "  USDC mint    {}", net.usdc_mint)?;
        writeln!(out, "  IO/USD price {} (kept fresh)", net.price_feed)?;
        writeln!(
            out,
            "Keypairs (each with {} SOL, {} IO, {} USDC except the authority):",
            localnet::USER_SOL,
            localnet::USER_IO,
            localnet::USER_USDC
        )?;
        for (name, path, key) in &keypairs {
            writeln!(out, "  {name:<10} {key}  {}", path.display())?;
        }
        writeln!(
            out,
            "Solana CLI config (staker as default keypair): {}",
            net.dir.join("config.yml").display()
        )?;
        writeln!(out, "Ctrl-C stops it.")?;
    }
    Ok(())
}

/// A handle on the process's stdout, which is then pointed at /dev/null.
fn private_stdout() -> Result<File, String> {
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    // SAFETY: plain POSIX fd calls on fds this process owns; every result is checked.
    unsafe {
        let saved = libc::dup(libc::STDOUT_FILENO);
        if saved < 0 {
            return Err("cannot duplicate stdout".into());
        }
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        if null < 0 || libc::dup2(null, libc::STDOUT_FILENO) < 0 {
            return Err("cannot redirect the programs' output".into());
        }
        libc::close(null);
        Ok(File::from_raw_fd(saved))
    }
}

fn price_feed(client: &RpcClient) -> Result<solana_sdk::pubkey::Pubkey, String> {
    let account = client
        .get_account(&pda::staking::config())
        .map_err(|e| format!("staking config: {e}"))?;
    let config = staking::Config::try_deserialize(&mut account.data.as_slice())
        .map_err(|e| format!("staking config: {e}"))?;
    Ok(config.price_feed)
}

fn set_price(url: &str, usd: &str) -> Result<(), String> {
    let price_e8 = parse_usd_e8(usd)?;
    let client = RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed());
    let feed = price_feed(&client)?;
    localnet::set_price(&client, &feed, price_e8)?;
    println!("IO/USD price set to {usd} at {feed}");
    Ok(())
}

fn warp(url: &str, hours: Option<u64>, to: Option<i64>) -> Result<(), String> {
    let client = RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed());
    let now = localnet::chain_time(&client)?;
    let target = match (hours, to) {
        (Some(h), None) => now
            .checked_add(i64::try_from(h.saturating_mul(3600)).map_err(|e| e.to_string())?)
            .ok_or("--hours too large")?,
        (None, Some(t)) if t > now => t,
        (None, Some(t)) => return Err(format!("--to {t} is not after the chain's time {now}")),
        _ => return Err("give --hours or --to".into()),
    };
    let feed = price_feed(&client)?;
    localnet::time_travel(&client, &feed, target)?;
    std::thread::sleep(Duration::from_millis(10));
    println!("clock moved from {now} to {target}");
    Ok(())
}

/// "2.75" → 275_000_000 (USD × 10^8); at most 8 decimals, positive.
fn parse_usd_e8(text: &str) -> Result<i64, String> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 8
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
    {
        return Err(format!("{text:?} is not a USD price like 2.75"));
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| format!("{text:?} is too large"))?
    };
    let frac: i64 = format!("{frac:0<8}").parse().map_err(|e| format!("{e}"))?;
    let price = whole
        .checked_mul(100_000_000)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(|| format!("{text:?} is too large"))?;
    if price == 0 {
        return Err("the price must be positive".into());
    }
    Ok(price)
}

#[cfg(test)]
mod tests {
    use super::parse_usd_e8;

    #[test]
    fn usd_prices_parse_exactly() {
        assert_eq!(parse_usd_e8("2.75"), Ok(275_000_000));
        assert_eq!(parse_usd_e8("3"), Ok(300_000_000));
        assert_eq!(parse_usd_e8(".5"), Ok(50_000_000));
        assert_eq!(parse_usd_e8("0.00000001"), Ok(1));
        assert!(parse_usd_e8("0").is_err());
        assert!(parse_usd_e8("-1").is_err());
        assert!(parse_usd_e8("1.123456789").is_err());
        assert!(parse_usd_e8("abc").is_err());
        assert!(parse_usd_e8("").is_err());
    }
}
