// Sending through the connected wallet: the page builds the transaction with kit, the wallet
// signs it (Wallet Standard `solana:signTransaction`), the page sends it to its own RPC and
// polls its status; a wallet with only `solana:signAndSendTransaction` sends it itself.
import {
  appendTransactionMessageInstructions,
  compileTransaction,
  createTransactionMessage,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signAndSendTransactionMessageWithSigners,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type Signature,
} from '@solana/kit';
import type { Rpc } from './chain';
import { fetchTransactionEvents, namedProgramError, TOKEN_PROGRAM_ADDRESS, type EmittedEvent } from './client';
import type { Connection } from './wallet';

/** A confirmed transaction and its events (none, with `eventsError`, when they could not be read). */
export type Sent = { signature: Signature; events: EmittedEvent[]; eventsError?: unknown };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the signature until `confirmed` (or an error, or the blockhash expired). */
async function confirm(rpc: Rpc, signature: Signature, lastValidBlockHeight: bigint, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { value } = await rpc.getSignatureStatuses([signature]).send();
    const status = value[0];
    if (status?.err) throw new Error(`transaction failed: ${JSON.stringify(status.err, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    if (status && (status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized')) return;
    if (Date.now() > deadline) throw new Error(`transaction ${signature} not confirmed after ${timeoutMs / 1000} s`);
    const height = await rpc.getBlockHeight({ commitment: 'confirmed' }).send();
    if (height > lastValidBlockHeight) throw new Error(`transaction ${signature} expired (blockhash too old)`);
    await sleep(250);
  }
}

/** A readable reason for a failed send: the program's error name when there is one. */
export function describeError(error: unknown, instructions: readonly Instruction[]): string {
  const named = namedProgramError(error, instructions);
  if (named) {
    const who = named.program ?? (named.programAddress === TOKEN_PROGRAM_ADDRESS ? 'SPL Token' : named.programAddress) ?? 'program';
    return `${who} error ${named.name ?? named.code}${named.message ? `: ${named.message}` : ''}`;
  }
  const e = error as { message?: string; context?: { logs?: string[] } };
  const logs = e?.context?.logs?.filter((l) => /failed|Error/.test(l)).slice(-2).join(' | ');
  return (e?.message ?? String(error)) + (logs ? ` (${logs})` : '');
}

export async function sendWithWallet(rpc: Rpc, connection: Connection, instructions: readonly Instruction[]): Promise<Sent> {
  const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(connection.signer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  let signature: Signature;
  if (connection.mode === 'sign') {
    const tx = await signTransactionMessageWithSigners(message);
    signature = getSignatureFromTransaction(tx);
    await rpc
      .sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: 'base64', preflightCommitment: 'confirmed' })
      .send();
  } else {
    const bytes = await signAndSendTransactionMessageWithSigners(message);
    signature = getBase58Decoder().decode(bytes) as Signature;
  }
  await confirm(rpc, signature, blockhash.lastValidBlockHeight);
  // Confirmed: an endpoint without transaction history must not make it read as failed.
  try {
    return { signature, events: await fetchTransactionEvents(rpc, signature) };
  } catch (eventsError) {
    return { signature, events: [], eventsError };
  }
}

/**
 * Simulates `instructions` paid by `feePayer` without any signature (sigVerify off) and returns
 * the balances of `tokenAccounts` after it: the program itself says what a claim would pay.
 */
export async function simulateTokenBalances(
  rpc: Rpc,
  feePayer: Address,
  instructions: readonly Instruction[],
  tokenAccounts: Address[],
): Promise<bigint[] | null> {
  const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const wire = getBase64EncodedWireTransaction(compileTransaction(message));
  const { value } = await rpc
    .simulateTransaction(wire, {
      encoding: 'base64',
      sigVerify: false,
      replaceRecentBlockhash: true,
      commitment: 'confirmed',
      accounts: { addresses: tokenAccounts, encoding: 'base64' },
    })
    .send();
  if (value.err || !value.accounts) return null;
  return value.accounts.map((a) => {
    if (!a) return 0n;
    const data = Uint8Array.from(atob(a.data[0]), (c) => c.charCodeAt(0));
    // SPL token account: mint (32), owner (32), amount u64.
    let v = 0n;
    for (let i = 71; i >= 64; i--) v = (v << 8n) | BigInt(data[i] ?? 0);
    return v;
  });
}
