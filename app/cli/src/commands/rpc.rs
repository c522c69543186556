//! Sending one instruction to a cluster: shared by the commands that talk to JSON RPC.

use std::path::Path;

use ngpu_localnet::solana_sdk::signature::{read_keypair_file, Keypair, Signature, Signer};
use ngpu_localnet::solana_sdk::transaction::Transaction;
use ngpu_sdk::Instruction;
use solana_rpc_client::rpc_client::RpcClient;

pub fn read_keypair(path: &Path) -> Result<Keypair, String> {
    read_keypair_file(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Signs `instruction` with `signer` (also the fee payer), sends it and waits for confirmation.
pub fn send_instruction(
    url: &str,
    signer: &Keypair,
    instruction: Instruction,
) -> Result<Signature, String> {
    let client = RpcClient::new(url);
    let blockhash = client.get_latest_blockhash().map_err(|e| e.to_string())?;
    let tx = Transaction::new_signed_with_payer(
        &[instruction],
        Some(&signer.pubkey()),
        &[signer],
        blockhash,
    );
    client
        .send_and_confirm_transaction(&tx)
        .map_err(|e| e.to_string())
}
