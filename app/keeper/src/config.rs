//! The keeper's configuration: defaults, then the Solana CLI config (URL and keypair), then a
//! TOML file (`--config-file`), then `NGPU_KEEPER_*` environment variables, then flags.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use solana_commitment_config::CommitmentConfig;

use crate::jobs::{Job, VestingClaim};
use crate::log::LogFormat;
use crate::retry::Backoff;

/// The resolved configuration `run` takes.
#[derive(Clone, Debug)]
pub struct Config {
    pub url: String,
    pub keypair_path: PathBuf,
    pub commitment: CommitmentConfig,
    /// Time between passes (the loop's cadence only: what is due is read from the cluster clock).
    pub interval: Duration,
    /// Where `/metrics` and `/healthz` are served; `None`: not served.
    pub metrics_addr: Option<SocketAddr>,
    /// Cap of the compute-unit price, micro-lamports per CU.
    pub max_priority_fee: u64,
    /// Percentile of the recent prioritization fees of the written accounts paid (0-100).
    pub priority_fee_percentile: u8,
    /// Compute-unit limit = simulated units × this / 100.
    pub cu_margin_percent: u64,
    /// One pass, then exit.
    pub once: bool,
    pub log_format: LogFormat,
    pub jobs: BTreeSet<Job>,
    /// A reservation is settled once this many hours are delivered and unsettled (always at
    /// its end).
    pub settle_min_hours: u32,
    /// The IO fee vault is burned once it holds this many base units.
    pub burn_min_amount: u64,
    /// At most one fee burn per this many seconds (≥ 1 day: once per UTC day).
    pub burn_interval_secs: i64,
    pub vesting_claims: Vec<VestingClaim>,
    /// Sends of one action before giving up until the next pass.
    pub max_attempts: u32,
    pub backoff: Backoff,
    /// How long to wait for a sent transaction before leaving it in flight for the next pass.
    pub confirm_timeout: Duration,
    /// Actions per job per pass.
    pub max_actions: usize,
    /// Cluster seconds an action dropped as never-succeeding is not retried.
    pub drop_cooldown_secs: i64,
}

impl Config {
    /// Built-in defaults with the given endpoint and keypair.
    pub fn new(url: impl Into<String>, keypair_path: impl Into<PathBuf>) -> Self {
        Config {
            url: url.into(),
            keypair_path: keypair_path.into(),
            commitment: CommitmentConfig::confirmed(),
            interval: Duration::from_secs(10),
            metrics_addr: Some(SocketAddr::from(([127, 0, 0, 1], 9464))),
            max_priority_fee: 100_000,
            priority_fee_percentile: 50,
            cu_margin_percent: 120,
            once: false,
            log_format: LogFormat::Text,
            jobs: default_jobs(),
            settle_min_hours: 24,
            burn_min_amount: ngpu_math::units::IO_UNIT,
            burn_interval_secs: 86_400,
            vesting_claims: Vec::new(),
            max_attempts: 5,
            backoff: Backoff::default(),
            confirm_timeout: Duration::from_secs(60),
            max_actions: 64,
            drop_cooldown_secs: 3_600,
        }
    }
}

/// Every job but the vesting claims.
pub fn default_jobs() -> BTreeSet<Job> {
    Job::ALL
        .into_iter()
        .filter(|j| *j != Job::Vesting)
        .collect()
}

/// The keeper's flags (also `ngpu keeper`'s: flatten them into a clap command). Each flag can be
/// given as `NGPU_KEEPER_<NAME>` in the environment; flags win over the environment, which wins
/// over the file.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct Args {
    /// TOML configuration file (same keys as the flags, with underscores).
    #[arg(long, env = "NGPU_KEEPER_CONFIG_FILE", value_name = "PATH")]
    pub config_file: Option<PathBuf>,
    /// JSON RPC URL or moniker (mainnet-beta, devnet, testnet, localhost) [default: the Solana
    /// CLI config's json_rpc_url].
    #[arg(
        short = 'u',
        long,
        env = "NGPU_KEEPER_URL",
        value_name = "URL_OR_MONIKER"
    )]
    pub url: Option<String>,
    /// Fee payer keypair file [default: the Solana CLI config's keypair_path].
    #[arg(short = 'k', long, env = "NGPU_KEEPER_KEYPAIR", value_name = "PATH")]
    pub keypair: Option<PathBuf>,
    /// Solana CLI config file [default: ~/.config/solana/cli/config.yml].
    #[arg(long, env = "NGPU_KEEPER_SOLANA_CONFIG", value_name = "PATH")]
    pub solana_config: Option<PathBuf>,
    /// Seconds between passes [default: 10].
    #[arg(long, env = "NGPU_KEEPER_INTERVAL", value_name = "SECS")]
    pub interval: Option<u64>,
    /// Address of /metrics and /healthz, or `off` [default: 127.0.0.1:9464].
    #[arg(long, env = "NGPU_KEEPER_METRICS_ADDR", value_name = "ADDR")]
    pub metrics_addr: Option<String>,
    /// Cap of the priority fee, micro-lamports per compute unit [default: 100000].
    #[arg(
        long,
        env = "NGPU_KEEPER_MAX_PRIORITY_FEE",
        value_name = "MICRO_LAMPORTS"
    )]
    pub max_priority_fee: Option<u64>,
    /// Percentile of the recent fees of the written accounts to pay [default: 50].
    #[arg(
        long,
        env = "NGPU_KEEPER_PRIORITY_FEE_PERCENTILE",
        value_name = "0-100"
    )]
    pub priority_fee_percentile: Option<u8>,
    /// processed, confirmed or finalized [default: confirmed].
    #[arg(long, env = "NGPU_KEEPER_COMMITMENT")]
    pub commitment: Option<String>,
    /// One pass, then exit.
    #[arg(long, env = "NGPU_KEEPER_ONCE")]
    pub once: bool,
    /// text (key=value) or json [default: text].
    #[arg(long, env = "NGPU_KEEPER_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// Jobs to turn on (comma-separated), e.g. `--enable vesting`.
    #[arg(long, env = "NGPU_KEEPER_ENABLE", value_enum, value_delimiter = ',')]
    pub enable: Vec<Job>,
    /// Jobs to turn off (comma-separated), e.g. `--disable burn,sweep`.
    #[arg(long, env = "NGPU_KEEPER_DISABLE", value_enum, value_delimiter = ',')]
    pub disable: Vec<Job>,
    /// Settle a reservation once this many hours are delivered unsettled [default: 24].
    #[arg(long, env = "NGPU_KEEPER_SETTLE_MIN_HOURS", value_name = "HOURS")]
    pub settle_min_hours: Option<u32>,
    /// Burn the IO fee vault once it holds this many base units [default: 1 IO].
    #[arg(long, env = "NGPU_KEEPER_BURN_MIN_AMOUNT", value_name = "BASE_UNITS")]
    pub burn_min_amount: Option<u64>,
    /// At most one fee burn per this many seconds [default: 86400, once per UTC day].
    #[arg(long, env = "NGPU_KEEPER_BURN_INTERVAL", value_name = "SECS")]
    pub burn_interval: Option<i64>,
    /// A vesting schedule to push claims for (repeatable; with `--enable vesting`).
    #[arg(
        long = "vesting-claim",
        env = "NGPU_KEEPER_VESTING_CLAIMS",
        value_delimiter = ',',
        value_name = "POOL:SCHEDULE[:DESTINATION]"
    )]
    pub vesting_claims: Vec<VestingClaim>,
    /// Sends of one action per pass [default: 5].
    #[arg(long, env = "NGPU_KEEPER_MAX_ATTEMPTS")]
    pub max_attempts: Option<u32>,
    /// Seconds to wait for a confirmation [default: 60].
    #[arg(long, env = "NGPU_KEEPER_CONFIRM_TIMEOUT", value_name = "SECS")]
    pub confirm_timeout: Option<u64>,
}

/// The TOML file: every key optional.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub url: Option<String>,
    pub keypair: Option<PathBuf>,
    pub solana_config: Option<PathBuf>,
    pub interval: Option<u64>,
    pub metrics_addr: Option<String>,
    pub max_priority_fee: Option<u64>,
    pub priority_fee_percentile: Option<u8>,
    pub cu_margin_percent: Option<u64>,
    pub commitment: Option<String>,
    pub log_format: Option<LogFormat>,
    #[serde(default)]
    pub enable: Vec<Job>,
    #[serde(default)]
    pub disable: Vec<Job>,
    pub settle_min_hours: Option<u32>,
    pub burn_min_amount: Option<u64>,
    pub burn_interval: Option<i64>,
    #[serde(default)]
    pub vesting_claims: Vec<VestingClaim>,
    pub max_attempts: Option<u32>,
    pub backoff_base_ms: Option<u64>,
    pub backoff_max_ms: Option<u64>,
    pub confirm_timeout: Option<u64>,
    pub max_actions: Option<usize>,
    pub drop_cooldown_secs: Option<i64>,
}

impl FileConfig {
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

fn parse_metrics_addr(text: &str) -> Result<Option<SocketAddr>, String> {
    if text.eq_ignore_ascii_case("off") || text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|e| format!("--metrics-addr `{text}`: {e}"))
}

fn parse_commitment(text: &str) -> Result<CommitmentConfig, String> {
    match text {
        "processed" => Ok(CommitmentConfig::processed()),
        "confirmed" => Ok(CommitmentConfig::confirmed()),
        "finalized" => Ok(CommitmentConfig::finalized()),
        other => Err(format!(
            "--commitment `{other}`: expected processed, confirmed or finalized"
        )),
    }
}

/// The Solana CLI config's `(json_rpc_url, keypair_path)`; its defaults when the file is
/// missing (as the `solana` CLI does).
pub fn solana_cli_defaults(path: Option<&std::path::Path>) -> Result<(String, String), String> {
    let path = match path {
        Some(p) => Some(p.to_string_lossy().into_owned()),
        None => solana_cli_config::CONFIG_FILE.clone(),
    };
    let config = match path {
        Some(p) if std::path::Path::new(&p).exists() => solana_cli_config::Config::load(&p)
            .map_err(|e| format!("Solana CLI config {p}: {e}"))?,
        _ => solana_cli_config::Config::default(),
    };
    Ok((config.json_rpc_url, config.keypair_path))
}

impl Args {
    /// Merges defaults, the Solana CLI config, the file and these flags (environment included).
    pub fn resolve(&self) -> Result<Config, String> {
        let file = match &self.config_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                FileConfig::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let needs_cli_config = self.url.is_none() && file.url.is_none()
            || self.keypair.is_none() && file.keypair.is_none();
        let (cli_url, cli_keypair) = if needs_cli_config {
            solana_cli_defaults(
                self.solana_config
                    .as_deref()
                    .or(file.solana_config.as_deref()),
            )?
        } else {
            (String::new(), String::new())
        };
        let url = self
            .url
            .clone()
            .or_else(|| file.url.clone())
            .unwrap_or(cli_url);
        let keypair = self
            .keypair
            .clone()
            .or_else(|| file.keypair.clone())
            .unwrap_or_else(|| PathBuf::from(cli_keypair));
        let mut c = Config::new(
            solana_clap_utils::input_validators::normalize_to_url_if_moniker(url),
            keypair,
        );
        if let Some(v) = self.interval.or(file.interval) {
            if v == 0 {
                return Err("--interval must be at least 1 second".into());
            }
            c.interval = Duration::from_secs(v);
        }
        if let Some(v) = self.metrics_addr.as_ref().or(file.metrics_addr.as_ref()) {
            c.metrics_addr = parse_metrics_addr(v)?;
        }
        if let Some(v) = self.max_priority_fee.or(file.max_priority_fee) {
            c.max_priority_fee = v;
        }
        if let Some(v) = self
            .priority_fee_percentile
            .or(file.priority_fee_percentile)
        {
            if v > 100 {
                return Err("--priority-fee-percentile must be 0..=100".into());
            }
            c.priority_fee_percentile = v;
        }
        if let Some(v) = file.cu_margin_percent {
            c.cu_margin_percent = v.max(100);
        }
        if let Some(v) = self.commitment.as_ref().or(file.commitment.as_ref()) {
            c.commitment = parse_commitment(v)?;
        }
        c.once = self.once;
        if let Some(v) = self.log_format.or(file.log_format) {
            c.log_format = v;
        }
        for (enable, disable) in [(&file.enable, &file.disable), (&self.enable, &self.disable)] {
            c.jobs.extend(enable.iter().copied());
            for job in disable {
                c.jobs.remove(job);
            }
        }
        if let Some(v) = self.settle_min_hours.or(file.settle_min_hours) {
            c.settle_min_hours = v.max(1);
        }
        if let Some(v) = self.burn_min_amount.or(file.burn_min_amount) {
            c.burn_min_amount = v.max(1);
        }
        if let Some(v) = self.burn_interval.or(file.burn_interval) {
            c.burn_interval_secs = v.max(0);
        }
        c.vesting_claims = if self.vesting_claims.is_empty() {
            file.vesting_claims
        } else {
            self.vesting_claims.clone()
        };
        if let Some(v) = self.max_attempts.or(file.max_attempts) {
            c.max_attempts = v.max(1);
        }
        if let Some(v) = file.backoff_base_ms {
            c.backoff.base_ms = v;
        }
        if let Some(v) = file.backoff_max_ms {
            c.backoff.max_ms = v;
        }
        if let Some(v) = self.confirm_timeout.or(file.confirm_timeout) {
            c.confirm_timeout = Duration::from_secs(v.max(1));
        }
        if let Some(v) = file.max_actions {
            c.max_actions = v.max(1);
        }
        if let Some(v) = file.drop_cooldown_secs {
            c.drop_cooldown_secs = v.max(0);
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_flags() {
        let dir = std::env::temp_dir().join(format!("ngpu-keeper-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("keeper.toml");
        std::fs::write(
            &path,
            r#"
url = "devnet"
keypair = "/keys/keeper.json"
interval = 30
metrics_addr = "off"
enable = ["vesting"]
disable = ["burn"]
burn_min_amount = 5
log_format = "json"
[[vesting_claims]]
pool = 1
schedule = 7
"#,
        )
        .unwrap();
        let args = Args {
            config_file: Some(path.clone()),
            interval: Some(2),
            disable: vec![Job::Sweep],
            ..Args::default()
        };
        let c = args.resolve().unwrap();
        assert_eq!(c.url, "https://api.devnet.solana.com");
        assert_eq!(c.keypair_path, PathBuf::from("/keys/keeper.json"));
        assert_eq!(c.interval, Duration::from_secs(2));
        assert_eq!(c.metrics_addr, None);
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(c.burn_min_amount, 5);
        assert!(c.jobs.contains(&Job::Vesting));
        assert!(!c.jobs.contains(&Job::Burn) && !c.jobs.contains(&Job::Sweep));
        assert!(c.jobs.contains(&Job::Crank));
        assert_eq!(c.vesting_claims.len(), 1);
        assert_eq!(c.vesting_claims[0].schedule, 7);
        // Unknown keys are refused.
        assert!(FileConfig::parse("intervall = 3").is_err());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn url_and_keypair_default_to_the_solana_cli_config() {
        let dir = std::env::temp_dir().join(format!("ngpu-keeper-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.yml");
        std::fs::write(
            &path,
            "---\njson_rpc_url: http://127.0.0.1:8899\nwebsocket_url: ''\nkeypair_path: /k/id.json\naddress_labels: {}\ncommitment: confirmed\n",
        )
        .unwrap();
        let args = Args {
            solana_config: Some(path),
            ..Args::default()
        };
        let c = args.resolve().unwrap();
        assert_eq!(c.url, "http://127.0.0.1:8899");
        assert_eq!(c.keypair_path, PathBuf::from("/k/id.json"));
        assert_eq!(c.interval, Duration::from_secs(10));
        assert_eq!(
            c.metrics_addr,
            Some("127.0.0.1:9464".parse::<SocketAddr>().unwrap())
        );
        assert_eq!(c.jobs, default_jobs());
        // A moniker flag wins over the file.
        let c = Args {
            url: Some("localhost".into()),
            ..args
        }
        .resolve()
        .unwrap();
        assert_eq!(c.url, "http://localhost:8899");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn vesting_claims_parse_from_flags() {
        let c: VestingClaim = "2:9".parse().unwrap();
        assert_eq!((c.pool, c.schedule, c.destination), (2, 9, None));
        let d = Pubkey::new_unique();
        let c: VestingClaim = format!("0:1:{d}").parse().unwrap();
        assert_eq!(c.destination, Some(d));
        assert!("x:1".parse::<VestingClaim>().is_err());
        assert!("1".parse::<VestingClaim>().is_err());
    }

    use ngpu_sdk::Pubkey;
}
