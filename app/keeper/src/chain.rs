//! What the keeper reads from and sends to the cluster, behind a trait: the JSON-RPC
//! implementation below, an in-memory fake in the tests.

use ngpu_sdk::Pubkey;
use solana_instruction_error::InstructionError;

// The types a `Chain` implementation handles, re-exported for implementations elsewhere.
pub use solana_hash::Hash;
pub use solana_signature::Signature;
pub use solana_transaction::Transaction;
pub use solana_transaction_error::TransactionError;

/// The Clock sysvar's address.
pub const CLOCK_SYSVAR: Pubkey =
    anchor_lang::prelude::pubkey!("SysvarC1ock11111111111111111111111111111111");

/// An account as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountData {
    pub owner: Pubkey,
    pub lamports: u64,
    pub data: Vec<u8>,
}

/// The cluster's clock: every "is it due" decision reads this, never the local clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainClock {
    pub slot: u64,
    pub unix_timestamp: i64,
}

impl ChainClock {
    /// Decodes the Clock sysvar (slot, epoch_start_timestamp, epoch, leader_schedule_epoch,
    /// unix_timestamp; 8 bytes each).
    pub fn decode(data: &[u8]) -> Option<Self> {
        let word = |at: usize| -> Option<[u8; 8]> { data.get(at..at + 8)?.try_into().ok() };
        Some(ChainClock {
            slot: u64::from_le_bytes(word(0)?),
            unix_timestamp: i64::from_le_bytes(word(32)?),
        })
    }
}

/// Why a transaction (simulated or landed) failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxFailure {
    /// Custom error `code` returned by the instruction of `program`.
    Program { program: Pubkey, code: u32 },
    /// Another instruction error (missing account, not a signer, …).
    Instruction { program: Pubkey, error: String },
    /// The blockhash is unknown or expired: re-sign.
    BlockhashNotFound,
    /// The fee payer cannot pay the fee (or the rent the transaction needs).
    InsufficientFunds,
    /// Any other transaction-level error (`AccountInUse`, …).
    Other(String),
}

impl TxFailure {
    /// Maps a cluster's error, naming the program of the failed instruction from `tx`.
    pub fn from_error(error: TransactionError, tx: &Transaction) -> Self {
        let program_of = |index: u8| -> Pubkey {
            let message = &tx.message;
            message
                .instructions
                .get(usize::from(index))
                .and_then(|ix| message.account_keys.get(usize::from(ix.program_id_index)))
                .map(|k| Pubkey::new_from_array(k.to_bytes()))
                .unwrap_or_default()
        };
        match error {
            TransactionError::InstructionError(index, InstructionError::Custom(code)) => {
                TxFailure::Program {
                    program: program_of(index),
                    code,
                }
            }
            TransactionError::InstructionError(index, e) => TxFailure::Instruction {
                program: program_of(index),
                error: format!("{e:?}"),
            },
            TransactionError::BlockhashNotFound => TxFailure::BlockhashNotFound,
            // `AccountNotFound` at the transaction level: the fee payer has never been funded.
            TransactionError::InsufficientFundsForFee
            | TransactionError::InsufficientFundsForRent { .. }
            | TransactionError::AccountNotFound => TxFailure::InsufficientFunds,
            other => TxFailure::Other(format!("{other:?}")),
        }
    }
}

/// A landed or pending transaction's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxStatus {
    /// Not seen (yet): still valid until its blockhash expires.
    Pending,
    Landed,
    /// Landed with an error (map it with `TxFailure::from_error` and the transaction).
    Failed(TransactionError),
}

/// A failed RPC call (transport, node error): always worth retrying.
pub type RpcError = String;

/// The cluster, as the keeper needs it.
pub trait Chain {
    fn clock(&self) -> Result<ChainClock, RpcError>;
    fn account(&self, key: &Pubkey) -> Result<Option<AccountData>, RpcError>;
    /// Accounts of `program` whose data starts with `discriminator`.
    fn program_accounts(
        &self,
        program: &Pubkey,
        discriminator: &[u8],
    ) -> Result<Vec<(Pubkey, AccountData)>, RpcError>;
    /// A fresh blockhash and the last block height at which it is valid.
    fn latest_blockhash(&self) -> Result<(Hash, u64), RpcError>;
    fn block_height(&self) -> Result<u64, RpcError>;
    /// Compute units consumed, or why it fails.
    fn simulate(&self, tx: &Transaction) -> Result<Result<u64, TxFailure>, RpcError>;
    fn send(&self, tx: &Transaction) -> Result<Signature, RpcError>;
    fn status(&self, signature: &Signature) -> Result<TxStatus, RpcError>;
    /// Recent prioritization fees (micro-lamports per CU) of slots writing `accounts`.
    fn recent_fees(&self, accounts: &[Pubkey]) -> Result<Vec<u64>, RpcError>;
}

/// The JSON-RPC implementation (blocking client; the keeper's loop is sequential).
pub struct RpcChain {
    client: solana_rpc_client::rpc_client::RpcClient,
}

impl RpcChain {
    pub fn new(url: &str, commitment: solana_commitment_config::CommitmentConfig) -> Self {
        RpcChain {
            client: solana_rpc_client::rpc_client::RpcClient::new_with_timeout_and_commitment(
                url.to_string(),
                std::time::Duration::from_secs(30),
                commitment,
            ),
        }
    }
}

fn rpc<E: std::fmt::Display>(e: E) -> RpcError {
    let text = e.to_string();
    // The client reports a refused connection as "AccountNotFound: … error sending request".
    if text.contains("error sending request") {
        return format!("cannot reach the RPC endpoint: {text}");
    }
    text
}

impl Chain for RpcChain {
    fn clock(&self) -> Result<ChainClock, RpcError> {
        let account = self
            .account(&CLOCK_SYSVAR)?
            .ok_or_else(|| "the cluster has no Clock sysvar".to_string())?;
        ChainClock::decode(&account.data).ok_or_else(|| "the Clock sysvar is too short".to_string())
    }

    fn account(&self, key: &Pubkey) -> Result<Option<AccountData>, RpcError> {
        let response = self
            .client
            .get_account_with_commitment(key, self.client.commitment())
            .map_err(rpc)?;
        Ok(response.value.map(|a| AccountData {
            owner: a.owner,
            lamports: a.lamports,
            data: a.data,
        }))
    }

    fn program_accounts(
        &self,
        program: &Pubkey,
        discriminator: &[u8],
    ) -> Result<Vec<(Pubkey, AccountData)>, RpcError> {
        use solana_account_decoder_client_types::UiAccountEncoding;
        use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
        use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
        let config = RpcProgramAccountsConfig {
            filters: Some(vec![RpcFilterType::Memcmp(Memcmp::new_base58_encoded(
                0,
                discriminator,
            ))]),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                commitment: Some(self.client.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        let accounts = self
            .client
            .get_program_ui_accounts_with_config(program, config)
            .map_err(rpc)?;
        accounts
            .into_iter()
            .map(|(key, a)| {
                let data = a
                    .data
                    .decode()
                    .ok_or_else(|| format!("account {key}: undecodable data"))?;
                let owner = a
                    .owner
                    .parse()
                    .map_err(|_| format!("account {key}: bad owner {}", a.owner))?;
                Ok((
                    key,
                    AccountData {
                        owner,
                        lamports: a.lamports,
                        data,
                    },
                ))
            })
            .collect()
    }

    fn latest_blockhash(&self) -> Result<(Hash, u64), RpcError> {
        self.client
            .get_latest_blockhash_with_commitment(self.client.commitment())
            .map_err(rpc)
    }

    fn block_height(&self) -> Result<u64, RpcError> {
        self.client.get_block_height().map_err(rpc)
    }

    fn simulate(&self, tx: &Transaction) -> Result<Result<u64, TxFailure>, RpcError> {
        use solana_rpc_client_api::config::RpcSimulateTransactionConfig;
        let result = self
            .client
            .simulate_transaction_with_config(
                tx,
                RpcSimulateTransactionConfig {
                    sig_verify: false,
                    replace_recent_blockhash: true,
                    commitment: Some(self.client.commitment()),
                    ..RpcSimulateTransactionConfig::default()
                },
            )
            .map_err(rpc)?
            .value;
        Ok(match result.err {
            Some(e) => Err(TxFailure::from_error(e.into(), tx)),
            None => Ok(result.units_consumed.unwrap_or(0)),
        })
    }

    fn send(&self, tx: &Transaction) -> Result<Signature, RpcError> {
        use solana_rpc_client_api::config::RpcSendTransactionConfig;
        // Simulated just before: no preflight, the keeper follows the status itself.
        self.client
            .send_transaction_with_config(
                tx,
                RpcSendTransactionConfig {
                    skip_preflight: true,
                    max_retries: Some(0),
                    ..RpcSendTransactionConfig::default()
                },
            )
            .map_err(rpc)
    }

    fn status(&self, signature: &Signature) -> Result<TxStatus, RpcError> {
        let statuses = self
            .client
            .get_signature_statuses(&[*signature])
            .map_err(rpc)?
            .value;
        let Some(Some(status)) = statuses.into_iter().next() else {
            return Ok(TxStatus::Pending);
        };
        if !status.satisfies_commitment(self.client.commitment()) {
            return Ok(TxStatus::Pending);
        }
        Ok(match status.err {
            None => TxStatus::Landed,
            Some(e) => TxStatus::Failed(e),
        })
    }

    fn recent_fees(&self, accounts: &[Pubkey]) -> Result<Vec<u64>, RpcError> {
        Ok(self
            .client
            .get_recent_prioritization_fees(accounts)
            .map_err(rpc)?
            .into_iter()
            .map(|f| f.prioritization_fee)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_sysvar_decodes() {
        let mut data = vec![0u8; 40];
        data[..8].copy_from_slice(&77u64.to_le_bytes());
        data[32..40].copy_from_slice(&1_700_000_123i64.to_le_bytes());
        assert_eq!(
            ChainClock::decode(&data),
            Some(ChainClock {
                slot: 77,
                unix_timestamp: 1_700_000_123
            })
        );
        assert_eq!(ChainClock::decode(&data[..39]), None);
    }
}
