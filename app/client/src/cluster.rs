//! The Solana CLI conventions: config file, `-u/--url` monikers, `-k/--keypair` signer paths,
//! `--commitment`, and the flags of the send pipeline, as one clap struct ([`ClusterArgs`]) that
//! each network command flattens, resolved into a [`Cluster`].

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use solana_cli_config::{Config, ConfigInput};
use solana_commitment_config::CommitmentConfig;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signer;
use solana_sdk::signer::null_signer::NullSigner;
use std::str::FromStr;

/// The endpoint used when neither `--url` nor a config file names one: the local validator
/// (`ngpu localnet`), not mainnet, since the programs are not deployed there yet.
pub const DEFAULT_URL: &str = "http://127.0.0.1:8899";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    /// Human-readable text.
    #[default]
    Text,
    /// One JSON document on stdout, for machines.
    Json,
}

/// The flags every network command takes (flattened with `#[command(flatten)]`).
#[derive(Args, Clone, Debug, Default)]
pub struct ClusterArgs {
    /// JSON RPC URL or moniker: mainnet-beta, devnet, testnet, localhost (or m, d, t, l).
    /// Default: the Solana CLI config's `json_rpc_url`, else http://127.0.0.1:8899.
    #[arg(
        short = 'u',
        long = "url",
        value_name = "URL_OR_MONIKER",
        global = true
    )]
    pub url: Option<String>,
    /// Signer (and fee payer): a keypair file, `stdin`, `ASK`/`prompt://` (seed phrase), or with
    /// --sign-only a public key. Default: the config's keypair, ~/.config/solana/id.json.
    #[arg(short = 'k', long = "keypair", value_name = "KEYPAIR", global = true)]
    pub keypair: Option<String>,
    /// Solana CLI configuration file. Default: ~/.config/solana/cli/config.yml.
    #[arg(short = 'C', long = "config", value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Commitment: processed, confirmed or finalized. Default: the config's, else confirmed.
    #[arg(long, value_name = "LEVEL", global = true)]
    pub commitment: Option<String>,
    /// Priority fee: compute-unit price in micro-lamports.
    #[arg(
        long = "with-compute-unit-price",
        value_name = "MICRO_LAMPORTS",
        global = true
    )]
    pub compute_unit_price: Option<u64>,
    /// Simulate the transaction and print the simulation (logs, units, error); send nothing.
    #[arg(long, global = true, conflicts_with = "sign_only")]
    pub dry_run: bool,
    /// Sign with the signers present and print the (partially signed) transaction in base58
    /// and base64 for the other signers (e.g. a multisig); send nothing.
    #[arg(long, global = true)]
    pub sign_only: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t, global = true)]
    pub output: Output,
}

/// What the send pipeline does with a built transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Send,
    DryRun,
    SignOnly,
}

/// Where the URL came from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `-u/--url`.
    Flag,
    /// The Solana CLI config file.
    ConfigFile,
    /// [`DEFAULT_URL`].
    Default,
}

/// A resolved cluster: everything a command needs to talk to it.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub url: String,
    pub url_source: Source,
    /// The signer path (file, `stdin`, `prompt://`, a pubkey with --sign-only …).
    pub keypair: String,
    pub commitment: CommitmentConfig,
    pub compute_unit_price: Option<u64>,
    pub mode: Mode,
    pub output: Output,
    /// The config file read, if one was.
    pub config_file: Option<PathBuf>,
}

/// `HOME/.config/solana/cli/config.yml`.
pub fn default_config_file(home: &Path) -> PathBuf {
    home.join(".config")
        .join("solana")
        .join("cli")
        .join("config.yml")
}

/// `HOME/.config/solana/id.json`.
pub fn default_keypair_path(home: &Path) -> PathBuf {
    home.join(".config").join("solana").join("id.json")
}

/// The user's home directory (`$HOME`).
pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// `mainnet-beta`, `m`, `devnet`, … to their URL; anything else unchanged.
pub fn resolve_moniker(url_or_moniker: &str) -> String {
    ConfigInput::compute_json_rpc_url_setting(url_or_moniker, "").1
}

impl ClusterArgs {
    /// Resolves against `$HOME`.
    pub fn resolve(&self) -> Result<Cluster, String> {
        self.resolve_with_home(home_dir().as_deref())
    }

    /// Resolves the flags, the config file (`-C`, else `HOME/.config/solana/cli/config.yml` if
    /// it exists) and the defaults, in that order of precedence. `home` is explicit so that
    /// tests need not change the environment.
    pub fn resolve_with_home(&self, home: Option<&Path>) -> Result<Cluster, String> {
        let (config, config_file) = match (&self.config, home) {
            (Some(path), _) => {
                let text = path.to_str().ok_or("the config path is not UTF-8")?;
                let config = Config::load(text)
                    .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
                (Some(config), Some(path.clone()))
            }
            (None, Some(home)) => {
                let path = default_config_file(home);
                match path.to_str().map(Config::load) {
                    Some(Ok(config)) if path.exists() => (Some(config), Some(path)),
                    Some(Err(e)) if path.exists() => {
                        return Err(format!("cannot read config file {}: {e}", path.display()))
                    }
                    _ => (None, None),
                }
            }
            (None, None) => (None, None),
        };
        let cfg_url = config.as_ref().map_or("", |c| c.json_rpc_url.as_str());
        let cfg_keypair = config.as_ref().map_or("", |c| c.keypair_path.as_str());
        let cfg_commitment = config.as_ref().map_or("", |c| c.commitment.as_str());
        let cmd_url = self.url.as_deref().unwrap_or("");
        let (url_source, url) = if cmd_url.is_empty() && cfg_url.is_empty() {
            (Source::Default, DEFAULT_URL.to_string())
        } else {
            let source = if cmd_url.is_empty() {
                Source::ConfigFile
            } else {
                Source::Flag
            };
            (
                source,
                ConfigInput::compute_json_rpc_url_setting(cmd_url, cfg_url).1,
            )
        };
        let default_keypair = home
            .map(default_keypair_path)
            .and_then(|p| p.to_str().map(str::to_string))
            .unwrap_or_default();
        let cmd_keypair = self.keypair.as_deref().unwrap_or("");
        let keypair = if !cmd_keypair.is_empty() {
            cmd_keypair.to_string()
        } else if !cfg_keypair.is_empty() {
            cfg_keypair.to_string()
        } else {
            default_keypair
        };
        let cmd_commitment = self.commitment.as_deref().unwrap_or("");
        if !cmd_commitment.is_empty() && CommitmentConfig::from_str(cmd_commitment).is_err() {
            return Err(format!(
                "--commitment `{cmd_commitment}`: expected processed, confirmed or finalized"
            ));
        }
        let (_, commitment) =
            ConfigInput::compute_commitment_config(cmd_commitment, cfg_commitment);
        let mode = if self.dry_run {
            Mode::DryRun
        } else if self.sign_only {
            Mode::SignOnly
        } else {
            Mode::Send
        };
        Ok(Cluster {
            url,
            url_source,
            keypair,
            commitment,
            compute_unit_price: self.compute_unit_price,
            mode,
            output: self.output,
            config_file,
        })
    }
}

impl Cluster {
    /// An RPC client at the chosen commitment.
    pub fn rpc(&self) -> solana_rpc_client::rpc_client::RpcClient {
        solana_rpc_client::rpc_client::RpcClient::new_with_commitment(
            self.url.clone(),
            self.commitment,
        )
    }

    /// The signer named by `-k` (or the config's / default keypair). With `--sign-only` a public
    /// key stands for a signer whose signature is added later.
    pub fn signer(&self) -> Result<Box<dyn Signer>, String> {
        load_signer(&self.keypair, "keypair", self.mode == Mode::SignOnly)
    }

    pub fn json(&self) -> bool {
        self.output == Output::Json
    }
}

/// Loads a signer from a Solana signer path: a keypair file, `stdin`, `ASK` / `prompt://`
/// (seed phrase), `usb://` (if a wallet is found); with `allow_pubkey` a base58 public key
/// (a [`NullSigner`], for partially signed transactions).
pub fn load_signer(
    path: &str,
    keypair_name: &str,
    allow_pubkey: bool,
) -> Result<Box<dyn Signer>, String> {
    if path.is_empty() {
        return Err("no keypair: pass -k/--keypair or set one in the Solana CLI config".into());
    }
    if allow_pubkey {
        if let Ok(pubkey) = Pubkey::from_str(path) {
            return Ok(Box::new(NullSigner::new(&pubkey)));
        }
    }
    let matches = clap2::ArgMatches::default();
    let config = solana_clap_utils::keypair::SignerFromPathConfig {
        allow_null_signer: allow_pubkey,
    };
    solana_clap_utils::keypair::signer_from_path_with_config(
        &matches,
        path,
        keypair_name,
        &mut None,
        &config,
    )
    .map_err(|e| format!("{keypair_name} `{path}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use solana_sdk::signature::{write_keypair_file, Keypair};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        cluster: ClusterArgs,
    }

    fn args(argv: &[&str]) -> ClusterArgs {
        Cli::try_parse_from(std::iter::once("ngpu").chain(argv.iter().copied()))
            .unwrap()
            .cluster
    }

    #[test]
    fn monikers_resolve_to_urls() {
        let home = tempfile::tempdir().unwrap();
        let url = |argv: &[&str]| args(argv).resolve_with_home(Some(home.path())).unwrap().url;
        assert_eq!(
            url(&["-u", "mainnet-beta"]),
            "https://api.mainnet-beta.solana.com"
        );
        assert_eq!(url(&["-u", "m"]), "https://api.mainnet-beta.solana.com");
        assert_eq!(url(&["--url", "devnet"]), "https://api.devnet.solana.com");
        assert_eq!(url(&["-u", "d"]), "https://api.devnet.solana.com");
        assert_eq!(url(&["-u", "testnet"]), "https://api.testnet.solana.com");
        assert_eq!(url(&["-u", "t"]), "https://api.testnet.solana.com");
        assert_eq!(url(&["-u", "localhost"]), "http://localhost:8899");
        assert_eq!(url(&["-u", "l"]), "http://localhost:8899");
        assert_eq!(url(&["-u", "http://10.0.0.1:9000"]), "http://10.0.0.1:9000");
        assert_eq!(resolve_moniker("devnet"), "https://api.devnet.solana.com");
    }

    #[test]
    fn defaults_without_a_config_file() {
        let home = tempfile::tempdir().unwrap();
        let c = args(&[]).resolve_with_home(Some(home.path())).unwrap();
        assert_eq!(c.url, DEFAULT_URL);
        assert_eq!(c.url_source, Source::Default);
        assert_eq!(
            PathBuf::from(&c.keypair),
            home.path().join(".config/solana/id.json")
        );
        assert_eq!(c.commitment, CommitmentConfig::confirmed());
        assert_eq!(
            (c.mode, c.output, c.compute_unit_price),
            (Mode::Send, Output::Text, None)
        );
        assert!(c.config_file.is_none());
    }

    fn write_config(path: &Path, url: &str, keypair: &str, commitment: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            path,
            format!(
                "---\njson_rpc_url: \"{url}\"\nwebsocket_url: \"\"\nkeypair_path: {keypair}\n\
                 address_labels: {{}}\ncommitment: {commitment}\n"
            ),
        )
        .unwrap();
    }

    #[test]
    fn the_config_file_is_read_and_flags_win() {
        let home = tempfile::tempdir().unwrap();
        // The default location under HOME.
        write_config(
            &default_config_file(home.path()),
            "http://127.0.0.1:1234",
            "/keys/me.json",
            "finalized",
        );
        let c = args(&[]).resolve_with_home(Some(home.path())).unwrap();
        assert_eq!(c.url, "http://127.0.0.1:1234");
        assert_eq!(c.url_source, Source::ConfigFile);
        assert_eq!(c.keypair, "/keys/me.json");
        assert_eq!(c.commitment, CommitmentConfig::finalized());
        assert_eq!(c.config_file, Some(default_config_file(home.path())));
        // -C FILE instead, with a moniker in it.
        let other = home.path().join("other.yml");
        write_config(&other, "devnet", "/keys/other.json", "processed");
        let c = args(&["-C", other.to_str().unwrap()])
            .resolve_with_home(Some(home.path()))
            .unwrap();
        assert_eq!(c.url, "https://api.devnet.solana.com");
        assert_eq!(c.keypair, "/keys/other.json");
        assert_eq!(c.commitment, CommitmentConfig::processed());
        // Flags beat the file.
        let c = args(&[
            "-C",
            other.to_str().unwrap(),
            "-u",
            "l",
            "-k",
            "/k.json",
            "--commitment",
            "confirmed",
            "--with-compute-unit-price",
            "7",
            "--output",
            "json",
            "--dry-run",
        ])
        .resolve_with_home(Some(home.path()))
        .unwrap();
        assert_eq!(c.url, "http://localhost:8899");
        assert_eq!(c.keypair, "/k.json");
        assert_eq!(c.commitment, CommitmentConfig::confirmed());
        assert_eq!(
            (c.compute_unit_price, c.mode, c.output),
            (Some(7), Mode::DryRun, Output::Json)
        );
        // A missing -C file is an error that names it.
        let missing = home.path().join("missing.yml");
        let err = args(&["-C", missing.to_str().unwrap()])
            .resolve_with_home(Some(home.path()))
            .unwrap_err();
        assert!(err.contains("missing.yml"), "{err}");
        let err = args(&["--commitment", "fast"])
            .resolve_with_home(None)
            .unwrap_err();
        assert!(err.contains("processed, confirmed or finalized"), "{err}");
    }

    #[test]
    fn signer_paths() {
        let dir = tempfile::tempdir().unwrap();
        let keypair = Keypair::new();
        let file = dir.path().join("id.json");
        write_keypair_file(&keypair, &file).unwrap();
        let signer = load_signer(file.to_str().unwrap(), "keypair", false).unwrap();
        assert_eq!(signer.pubkey(), keypair.pubkey());
        let err = load_signer(
            dir.path().join("none.json").to_str().unwrap(),
            "keypair",
            false,
        )
        .err()
        .unwrap();
        assert!(err.contains("none.json"), "{err}");
        // A public key signs only with --sign-only.
        let pubkey = Pubkey::new_unique().to_string();
        assert!(load_signer(&pubkey, "keypair", false).is_err());
        assert_eq!(
            load_signer(&pubkey, "keypair", true)
                .unwrap()
                .pubkey()
                .to_string(),
            pubkey
        );
        assert!(load_signer("", "keypair", false).is_err());
    }
}
