//! From instructions to a confirmed transaction: simulate for the compute units, set the compute
//! budget (units × 1.2, optional price), then send and confirm with a spinner — or stop after
//! the simulation (`--dry-run`) or after signing (`--sign-only`).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use base64::Engine;
use serde::Serialize;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{RpcSendTransactionConfig, RpcSimulateTransactionConfig};
use solana_sdk::hash::Hash;
use solana_sdk::instruction::Instruction;
use solana_sdk::message::Message;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Signature, Signer};
use solana_sdk::transaction::Transaction;

use crate::cluster::{Cluster, Mode};
use crate::error::{from_client_error, from_transaction_error, Error};

/// The most compute units a transaction may ask for.
pub const MAX_COMPUTE_UNIT_LIMIT: u32 = 1_400_000;

/// The compute-unit limit for a transaction that used `units` in simulation: `units × 1.2`,
/// rounded up, at most [`MAX_COMPUTE_UNIT_LIMIT`].
pub fn compute_unit_limit(units: u64) -> u32 {
    let limit = units.saturating_mul(6).div_ceil(5);
    u32::try_from(limit)
        .unwrap_or(MAX_COMPUTE_UNIT_LIMIT)
        .min(MAX_COMPUTE_UNIT_LIMIT)
}

/// `instructions` behind the compute-budget instructions (limit, then price if any).
pub fn with_compute_budget(
    instructions: &[Instruction],
    limit: u32,
    price: Option<u64>,
) -> Vec<Instruction> {
    let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(limit)];
    if let Some(price) = price {
        all.push(ComputeBudgetInstruction::set_compute_unit_price(price));
    }
    all.extend_from_slice(instructions);
    all
}

/// What a simulation said.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Simulation {
    pub units_consumed: u64,
    /// The limit a real send would set (units × 1.2).
    pub compute_unit_limit: u32,
    /// The error in words (program errors by name), `None` if it would succeed.
    pub error: Option<String>,
    /// The program error's name, if it is one of ours.
    pub error_name: Option<String>,
    pub logs: Vec<String>,
}

/// A signer's place in a `--sign-only` transaction.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SignerStatus {
    pub pubkey: String,
    /// `None` while the signature is still missing.
    pub signature: Option<String>,
}

/// A `--sign-only` transaction: serialized (bincode) in base58 and base64.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SignOnly {
    pub blockhash: String,
    pub fee_payer: String,
    pub signers: Vec<SignerStatus>,
    pub compute_unit_limit: u32,
    pub transaction_base58: String,
    pub transaction_base64: String,
}

/// What [`Client::send`] did.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Outcome {
    /// Sent and confirmed at the cluster's commitment.
    Sent {
        signature: String,
        slot: u64,
        units_consumed: u64,
        compute_unit_limit: u32,
    },
    /// `--dry-run`.
    Simulated(Simulation),
    /// `--sign-only`.
    SignOnly(SignOnly),
}

impl Outcome {
    pub fn signature(&self) -> Option<Signature> {
        match self {
            Outcome::Sent { signature, .. } => signature.parse().ok(),
            _ => None,
        }
    }

    /// Text lines for people (the JSON form is the serialized enum).
    pub fn text(&self) -> String {
        match self {
            Outcome::Sent {
                signature,
                slot,
                units_consumed,
                ..
            } => format!("signature {signature} (slot {slot}, {units_consumed} compute units)"),
            Outcome::Simulated(s) => {
                let mut out = String::new();
                out.push_str(&format!(
                    "dry run: {} compute units (limit {})\n",
                    s.units_consumed, s.compute_unit_limit
                ));
                match &s.error {
                    Some(e) => out.push_str(&format!("would fail: {e}\n")),
                    None => out.push_str("would succeed\n"),
                }
                for line in &s.logs {
                    out.push_str(&format!("  {line}\n"));
                }
                out.trim_end().to_string()
            }
            Outcome::SignOnly(s) => {
                let mut out = format!("blockhash {}\nfee payer {}\n", s.blockhash, s.fee_payer);
                for signer in &s.signers {
                    match &signer.signature {
                        Some(sig) => out.push_str(&format!("signer {}={sig}\n", signer.pubkey)),
                        None => out.push_str(&format!("absent signer {}\n", signer.pubkey)),
                    }
                }
                out.push_str(&format!("transaction (base58) {}\n", s.transaction_base58));
                out.push_str(&format!("transaction (base64) {}", s.transaction_base64));
                out
            }
        }
    }
}

/// An RPC client, the resolved cluster settings and the fee payer.
pub struct Client {
    pub cluster: Cluster,
    pub rpc: RpcClient,
    payer: Box<dyn Signer>,
    /// Show a spinner on stderr while confirming (text output to a terminal only).
    pub spinner: bool,
}

impl Client {
    /// Loads the signer named by the cluster settings.
    pub fn new(cluster: Cluster) -> Result<Self, Error> {
        let payer = cluster.signer().map_err(Error::Input)?;
        Ok(Self::with_signer(cluster, payer))
    }

    pub fn with_signer(cluster: Cluster, payer: Box<dyn Signer>) -> Self {
        let spinner = !cluster.json() && std::io::stderr().is_terminal();
        Self {
            rpc: cluster.rpc(),
            cluster,
            payer,
            spinner,
        }
    }

    /// A client that only reads (no signer needed).
    pub fn read_only(cluster: Cluster) -> Self {
        let payer = Box::new(solana_sdk::signer::null_signer::NullSigner::new(
            &Pubkey::default(),
        ));
        Self::with_signer(cluster, payer)
    }

    pub fn payer(&self) -> Pubkey {
        self.payer.pubkey()
    }

    pub fn payer_signer(&self) -> &dyn Signer {
        self.payer.as_ref()
    }

    /// A client error in words (transaction errors named after `instructions`' programs).
    pub fn error(&self, e: solana_rpc_client_api::client_error::Error) -> Error {
        let error = from_client_error(&self.cluster.url, e, &[]);
        // Some calls (getAccountInfo) fold a transport failure into a sentence such as
        // "AccountNotFound: pubkey=…: error sending request": ask the endpoint once more with a
        // plain call to find out why.
        if let Error::Rpc(text) = &error {
            if text.contains("error sending request") {
                if let Err(probe) = self.rpc.get_slot() {
                    let probe = from_client_error(&self.cluster.url, probe, &[]);
                    if matches!(probe, Error::Unreachable { .. }) {
                        return probe;
                    }
                }
            }
        }
        error
    }

    /// Raw data of `address`; `what` names it if it does not exist.
    pub fn account_data(&self, address: &Pubkey, what: &str) -> Result<Vec<u8>, Error> {
        let account = self
            .rpc
            .get_account_with_commitment(address, self.cluster.commitment)
            .map_err(|e| self.error(e))?
            .value;
        account
            .map(|a| a.data)
            .ok_or_else(|| Error::AccountNotFound {
                address: *address,
                what: what.to_string(),
            })
    }

    /// An Anchor account of ours, decoded (discriminator checked).
    pub fn account<T: anchor_lang::AccountDeserialize>(
        &self,
        address: &Pubkey,
        what: &str,
    ) -> Result<T, Error> {
        let data = self.account_data(address, what)?;
        ngpu_sdk::decode_account(&data).map_err(|e| Error::Rpc(format!("{what} {address}: {e}")))
    }

    /// Whether `address` exists.
    pub fn exists(&self, address: &Pubkey) -> Result<bool, Error> {
        Ok(self
            .rpc
            .get_account_with_commitment(address, self.cluster.commitment)
            .map_err(|e| self.error(e))?
            .value
            .is_some())
    }

    /// Accounts of `program` whose data matches every `(offset, bytes)` filter
    /// (getProgramAccounts with memcmp filters), as (address, data).
    pub fn program_accounts(
        &self,
        program: &Pubkey,
        filters: &[(usize, Vec<u8>)],
    ) -> Result<Vec<(Pubkey, Vec<u8>)>, Error> {
        use solana_account_decoder_client_types::UiAccountEncoding;
        use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
        use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
        let config = RpcProgramAccountsConfig {
            filters: Some(
                filters
                    .iter()
                    .map(|(offset, bytes)| {
                        RpcFilterType::Memcmp(Memcmp::new_raw_bytes(*offset, bytes.clone()))
                    })
                    .collect(),
            ),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                commitment: Some(self.cluster.commitment),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        #[allow(deprecated)]
        let accounts = self
            .rpc
            .get_program_accounts_with_config(program, config)
            .map_err(|e| self.error(e))?;
        Ok(accounts.into_iter().map(|(k, a)| (k, a.data)).collect())
    }

    /// The cluster's clock (`unix_timestamp` of the Clock sysvar), never the local one.
    pub fn now(&self) -> Result<i64, Error> {
        let data = self.account_data(&solana_sdk::sysvar::clock::ID, "the Clock sysvar")?;
        let bytes: [u8; 8] = data
            .get(32..40)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| Error::Rpc("the Clock sysvar is too short".into()))?;
        Ok(i64::from_le_bytes(bytes))
    }

    fn message(&self, instructions: &[Instruction], blockhash: Hash) -> Message {
        Message::new_with_blockhash(instructions, Some(&self.payer()), &blockhash)
    }

    /// Simulates `instructions` (behind the largest compute-unit limit and the price).
    pub fn simulate(&self, instructions: &[Instruction]) -> Result<Simulation, Error> {
        let all = with_compute_budget(
            instructions,
            MAX_COMPUTE_UNIT_LIMIT,
            self.cluster.compute_unit_price,
        );
        let program_ids: Vec<Pubkey> = all.iter().map(|i| i.program_id).collect();
        let blockhash = self.rpc.get_latest_blockhash().map_err(|e| self.error(e))?;
        let tx = Transaction::new_unsigned(self.message(&all, blockhash));
        let result = self
            .rpc
            .simulate_transaction_with_config(
                &tx,
                RpcSimulateTransactionConfig {
                    sig_verify: false,
                    replace_recent_blockhash: true,
                    commitment: Some(self.cluster.commitment),
                    ..RpcSimulateTransactionConfig::default()
                },
            )
            .map_err(|e| from_client_error(&self.cluster.url, e, &program_ids))?
            .value;
        let units = result.units_consumed.unwrap_or(0);
        let logs = result.logs.unwrap_or_default();
        let (error, error_name) = match result.err {
            None => (None, None),
            Some(err) => {
                let e = from_transaction_error(err.into(), &program_ids, logs.clone());
                (
                    Some(e.to_string()),
                    e.program_error_name().map(str::to_string),
                )
            }
        };
        Ok(Simulation {
            units_consumed: units,
            compute_unit_limit: compute_unit_limit(units),
            error,
            error_name,
            logs,
        })
    }

    /// Simulates, sets the compute budget, then sends and confirms (or stops, per the mode).
    /// `extra_signers` sign beside the fee payer (e.g. a new account's keypair).
    pub fn send(
        &self,
        instructions: &[Instruction],
        extra_signers: &[&dyn Signer],
    ) -> Result<Outcome, Error> {
        let simulation = self.simulate(instructions)?;
        if self.cluster.mode == Mode::DryRun {
            return Ok(Outcome::Simulated(simulation));
        }
        if simulation.error.is_some() {
            // The same error, named, with the logs.
            let all = with_compute_budget(
                instructions,
                MAX_COMPUTE_UNIT_LIMIT,
                self.cluster.compute_unit_price,
            );
            return Err(self.replay_error(&all, simulation));
        }
        let limit = simulation.compute_unit_limit;
        let all = with_compute_budget(instructions, limit, self.cluster.compute_unit_price);
        let program_ids: Vec<Pubkey> = all.iter().map(|i| i.program_id).collect();
        let blockhash = self.rpc.get_latest_blockhash().map_err(|e| self.error(e))?;
        let mut signers: Vec<&dyn Signer> = vec![self.payer.as_ref()];
        signers.extend_from_slice(extra_signers);
        let mut tx = Transaction::new_unsigned(self.message(&all, blockhash));
        if self.cluster.mode == Mode::SignOnly {
            tx.try_partial_sign(&signers, blockhash)
                .map_err(|e| Error::Input(e.to_string()))?;
            return Ok(Outcome::SignOnly(sign_only(&tx, limit)?));
        }
        tx.try_sign(&signers, blockhash)
            .map_err(|e| Error::Input(e.to_string()))?;
        let (signature, slot) = self.send_and_confirm(&tx, &program_ids)?;
        Ok(Outcome::Sent {
            signature: signature.to_string(),
            slot,
            units_consumed: simulation.units_consumed,
            compute_unit_limit: limit,
        })
    }

    fn replay_error(&self, all: &[Instruction], simulation: Simulation) -> Error {
        let text = simulation.error.unwrap_or_default();
        match simulation.error_name {
            Some(name) => {
                // Find the program that named it again for a structured error.
                let found = all.iter().enumerate().find_map(|(i, ix)| {
                    ngpu_sdk::errors::program_errors()
                        .iter()
                        .find(|(id, _)| *id == ix.program_id)
                        .and_then(|(_, errors)| errors.iter().find(|e| e.name == name))
                        .map(|e| (i, ix.program_id, e.clone()))
                });
                match found {
                    Some((i, program_id, error)) => Error::Program {
                        program_id,
                        instruction: u8::try_from(i).unwrap_or(u8::MAX),
                        error,
                        logs: simulation.logs,
                    },
                    None => Error::Rpc(text),
                }
            }
            None => Error::Rpc(if simulation.logs.is_empty() {
                text
            } else {
                format!("{text}\n  {}", simulation.logs.join("\n  "))
            }),
        }
    }

    /// Sends a signed transaction and waits until it reaches the cluster's commitment, with a
    /// spinner; returns the signature and the slot it landed in.
    pub fn send_and_confirm(
        &self,
        tx: &Transaction,
        program_ids: &[Pubkey],
    ) -> Result<(Signature, u64), Error> {
        let url = &self.cluster.url;
        let signature = self
            .rpc
            .send_transaction_with_config(
                tx,
                RpcSendTransactionConfig {
                    skip_preflight: false,
                    preflight_commitment: Some(self.cluster.commitment.commitment),
                    ..RpcSendTransactionConfig::default()
                },
            )
            .map_err(|e| from_client_error(url, e, program_ids))?;
        let spinner = self.spinner.then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar.set_message(format!(
                "confirming {signature} ({:?})",
                self.cluster.commitment.commitment
            ));
            bar
        });
        let result = self.confirm(&signature, &tx.message.recent_blockhash, program_ids);
        if let Some(bar) = spinner {
            bar.finish_and_clear();
        }
        result.map(|slot| (signature, slot))
    }

    fn confirm(
        &self,
        signature: &Signature,
        blockhash: &Hash,
        program_ids: &[Pubkey],
    ) -> Result<u64, Error> {
        let start = Instant::now();
        let mut polls = 0u32;
        loop {
            let statuses = self
                .rpc
                .get_signature_statuses(&[*signature])
                .map_err(|e| self.error(e))?
                .value;
            if let Some(Some(status)) = statuses.into_iter().next() {
                if let Some(err) = status.err.clone() {
                    return Err(from_transaction_error(err, program_ids, vec![]));
                }
                if status.satisfies_commitment(self.cluster.commitment) {
                    return Ok(status.slot);
                }
            }
            polls = polls.saturating_add(1);
            if polls.is_multiple_of(10) {
                let valid = self
                    .rpc
                    .is_blockhash_valid(blockhash, self.cluster.commitment)
                    .map_err(|e| self.error(e))?;
                if !valid {
                    return Err(Error::Rpc(format!(
                        "transaction {signature} was not confirmed before its blockhash \
                         expired (after {} s); it will not land: send the command again",
                        start.elapsed().as_secs()
                    )));
                }
            }
            std::thread::sleep(Duration::from_millis(400));
        }
    }
}

/// The `--sign-only` view of a partially signed transaction.
pub fn sign_only(tx: &Transaction, compute_unit_limit: u32) -> Result<SignOnly, Error> {
    let bytes = bincode::serialize(tx).map_err(|e| Error::Input(e.to_string()))?;
    let required = usize::from(tx.message.header.num_required_signatures);
    let signers = tx
        .message
        .account_keys
        .iter()
        .take(required)
        .zip(&tx.signatures)
        .map(|(key, sig)| SignerStatus {
            pubkey: key.to_string(),
            signature: (*sig != Signature::default()).then(|| sig.to_string()),
        })
        .collect();
    Ok(SignOnly {
        blockhash: tx.message.recent_blockhash.to_string(),
        fee_payer: tx
            .message
            .account_keys
            .first()
            .map(ToString::to_string)
            .unwrap_or_default(),
        signers,
        compute_unit_limit,
        transaction_base58: bs58::encode(&bytes).into_string(),
        transaction_base64: base64::engine::general_purpose::STANDARD.encode(&bytes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_sdk::signature::Keypair;
    use solana_sdk::signer::null_signer::NullSigner;

    #[test]
    fn a_read_from_a_closed_port_says_the_endpoint_is_unreachable() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let cluster = crate::ClusterArgs {
            url: Some(url.clone()),
            ..Default::default()
        }
        .resolve_with_home(None)
        .unwrap();
        let client = Client::read_only(cluster);
        let e = client
            .account_data(&Pubkey::new_unique(), "node")
            .unwrap_err();
        assert_eq!(
            e,
            Error::Unreachable {
                url,
                reason: "connection refused".into()
            }
        );
        assert!(matches!(client.now(), Err(Error::Unreachable { .. })));
    }

    #[test]
    fn the_limit_is_the_simulated_units_plus_a_fifth_rounded_up() {
        assert_eq!(compute_unit_limit(0), 0);
        assert_eq!(compute_unit_limit(1), 2);
        assert_eq!(compute_unit_limit(5), 6);
        assert_eq!(compute_unit_limit(10_000), 12_000);
        assert_eq!(compute_unit_limit(10_001), 12_002);
        assert_eq!(compute_unit_limit(4_647), 5_577);
        assert_eq!(compute_unit_limit(1_166_666), 1_400_000);
        assert_eq!(compute_unit_limit(1_166_667), MAX_COMPUTE_UNIT_LIMIT);
        assert_eq!(compute_unit_limit(u64::MAX), MAX_COMPUTE_UNIT_LIMIT);
    }

    #[test]
    fn the_budget_goes_first() {
        let ix = ngpu_sdk::ix::staking::activate_node(Pubkey::new_unique());
        let all = with_compute_budget(std::slice::from_ref(&ix), 12_000, Some(5));
        assert_eq!(all.len(), 3);
        assert_eq!(
            all[0],
            ComputeBudgetInstruction::set_compute_unit_limit(12_000)
        );
        assert_eq!(all[1], ComputeBudgetInstruction::set_compute_unit_price(5));
        assert_eq!(all[2], ix);
        assert_eq!(with_compute_budget(&[ix], 1, None).len(), 2);
    }

    #[test]
    fn sign_only_leaves_the_absent_signer_blank() {
        let payer = Keypair::new();
        let authority = Pubkey::new_unique();
        let ix = ngpu_sdk::ix::staking::set_paused(authority, true);
        let all = with_compute_budget(&[ix], 10, None);
        let blockhash = Hash::new_unique();
        let message = Message::new_with_blockhash(&all, Some(&payer.pubkey()), &blockhash);
        let mut tx = Transaction::new_unsigned(message);
        let null = NullSigner::new(&authority);
        tx.try_partial_sign(&[&payer as &dyn Signer, &null], blockhash)
            .unwrap();
        let s = sign_only(&tx, 10).unwrap();
        assert_eq!(s.fee_payer, payer.pubkey().to_string());
        assert_eq!(s.signers.len(), 2);
        assert!(s.signers[0].signature.is_some());
        assert_eq!(s.signers[1].pubkey, authority.to_string());
        assert_eq!(s.signers[1].signature, None);
        let bytes = bs58::decode(&s.transaction_base58).into_vec().unwrap();
        let back: Transaction = bincode::deserialize(&bytes).unwrap();
        assert_eq!(back, tx);
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(&s.transaction_base64)
                .unwrap(),
            bytes
        );
    }
}
