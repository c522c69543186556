//! Failures in words: a refused connection says so; a program error is named from the IDLs.

use ngpu_sdk::errors::NamedError;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};
use solana_sdk::instruction::InstructionError;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::transaction::TransactionError;

/// A failure of the client, with the words a user needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The endpoint cannot be reached: `reason` is e.g. "connection refused".
    Unreachable { url: String, reason: String },
    /// One of our programs (or Anchor for it) refused instruction `instruction`.
    Program {
        program_id: Pubkey,
        instruction: u8,
        error: NamedError,
        logs: Vec<String>,
    },
    /// Any other failed transaction (`InsufficientFundsForFee`, another program's custom code …).
    Transaction {
        error: TransactionError,
        logs: Vec<String>,
    },
    /// An account the command reads does not exist.
    AccountNotFound { address: Pubkey, what: String },
    /// Anything else from the endpoint.
    Rpc(String),
    /// Bad input or configuration.
    Input(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Unreachable { url, reason } => write!(
                f,
                "cannot reach {url}: {reason} (is a validator / ngpu localnet running?)"
            ),
            Error::Program {
                error, instruction, ..
            } => write!(f, "{error} (instruction {instruction})"),
            Error::Transaction { error, .. } => write!(f, "transaction failed: {error}"),
            Error::AccountNotFound { address, what } => {
                write!(f, "{what} {address} does not exist on this cluster")
            }
            Error::Rpc(text) | Error::Input(text) => f.write_str(text),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for String {
    fn from(e: Error) -> String {
        e.to_string()
    }
}

impl Error {
    /// The program error's name (`"HourAlreadyProcessed"`), for callers that treat some
    /// errors as success (the keeper's "already done").
    pub fn program_error_name(&self) -> Option<&str> {
        match self {
            Error::Program { error, .. } => Some(&error.name),
            _ => None,
        }
    }

    /// The program logs of a failed transaction or simulation.
    pub fn logs(&self) -> &[String] {
        match self {
            Error::Program { logs, .. } | Error::Transaction { logs, .. } => logs,
            _ => &[],
        }
    }
}

/// Names a failed transaction: `instructions[i]`'s program id resolves a custom code.
pub fn from_transaction_error(
    error: TransactionError,
    program_ids: &[Pubkey],
    logs: Vec<String>,
) -> Error {
    if let TransactionError::InstructionError(index, InstructionError::Custom(code)) = &error {
        if let Some(program_id) = program_ids.get(usize::from(*index)) {
            if let Some(named) = ngpu_sdk::errors::lookup(program_id, *code) {
                return Error::Program {
                    program_id: *program_id,
                    instruction: *index,
                    error: named,
                    logs,
                };
            }
        }
    }
    Error::Transaction { error, logs }
}

/// A client error from talking to `url`, in words; transaction errors are named with
/// `program_ids` (one per instruction of the transaction sent, empty for reads).
pub fn from_client_error(url: &str, error: ClientError, program_ids: &[Pubkey]) -> Error {
    if let Some(reason) = unreachable_reason(&error) {
        return Error::Unreachable {
            url: url.to_string(),
            reason,
        };
    }
    match error.kind() {
        ErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(sim),
            ..
        }) => match &sim.err {
            Some(err) => from_transaction_error(
                err.clone().into(),
                program_ids,
                sim.logs.clone().unwrap_or_default(),
            ),
            None => Error::Rpc(error.to_string()),
        },
        ErrorKind::TransactionError(e) => from_transaction_error(e.clone(), program_ids, vec![]),
        _ => Error::Rpc(error.to_string()),
    }
}

/// "connection refused", "timed out", … when the endpoint was not reached at all.
fn unreachable_reason(error: &ClientError) -> Option<String> {
    let io_reason = |e: &(dyn std::error::Error + 'static)| {
        let mut source = Some(e);
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                return Some(match io.kind() {
                    std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
                    std::io::ErrorKind::TimedOut => "timed out".to_string(),
                    _ => io.to_string(),
                });
            }
            source = s.source();
        }
        None
    };
    match error.kind() {
        ErrorKind::Reqwest(e) if e.is_connect() || e.is_timeout() => Some(
            io_reason(e)
                .or_else(|| e.is_timeout().then(|| "timed out".to_string()))
                .unwrap_or_else(|| "cannot connect".to_string()),
        ),
        ErrorKind::Io(e) => io_reason(e),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_rpc_client::rpc_client::RpcClient;

    #[test]
    fn a_custom_code_is_named_with_its_program() {
        let code = u32::from(staking::StakingError::SlashPending);
        let error = TransactionError::InstructionError(1, InstructionError::Custom(code));
        let e = from_transaction_error(error, &[Pubkey::new_unique(), staking::ID], vec![]);
        assert_eq!(e.program_error_name(), Some("SlashPending"));
        let text = e.to_string();
        assert!(
            text.starts_with(&format!("staking: SlashPending ({code}): ")),
            "{text}"
        );
        assert!(text.contains(&staking::StakingError::SlashPending.to_string()));
        // Every IDL error of every program comes back by name.
        for (program_id, errors) in ngpu_sdk::errors::program_errors() {
            for named in errors {
                let error =
                    TransactionError::InstructionError(0, InstructionError::Custom(named.code));
                let e = from_transaction_error(error, &[*program_id], vec![]);
                assert_eq!(e.program_error_name(), Some(named.name.as_str()));
                assert!(e.to_string().starts_with(&format!(
                    "{}: {} ({})",
                    named.program, named.name, named.code
                )));
            }
        }
        // Anchor's framework error through one of our programs.
        let error = TransactionError::InstructionError(0, InstructionError::Custom(2006));
        let e = from_transaction_error(error, &[revenue::ID], vec![]);
        assert_eq!(e.program_error_name(), Some("ConstraintSeeds"));
        // Another program's code stays a plain transaction error.
        let error = TransactionError::InstructionError(0, InstructionError::Custom(6000));
        let e = from_transaction_error(error.clone(), &[Pubkey::new_unique()], vec![]);
        assert_eq!(
            e,
            Error::Transaction {
                error,
                logs: vec![]
            }
        );
    }

    #[test]
    fn a_refused_connection_says_so() {
        // A port nobody listens on: bind, note it, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let client = RpcClient::new(url.clone());
        let e = client.get_slot().unwrap_err();
        let e = from_client_error(&url, e, &[]);
        assert_eq!(
            e.to_string(),
            format!(
                "cannot reach {url}: connection refused (is a validator / ngpu localnet running?)"
            )
        );
    }
}
