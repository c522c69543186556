// A small sending helper: build, sign, send and confirm a transaction of instructions, then
// read back its events. Callers with a wallet (no key in memory) build the message themselves
// and use decodeTransactionEvents / fetchTransactionEvents.
import {
  appendTransactionMessageInstructions,
  fetchEncodedAccount,
  getU64Decoder,
  assertIsTransactionWithBlockhashLifetime,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  getSignatureFromTransaction,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Commitment,
  type GetAccountInfoApi,
  type Instruction,
  type Rpc,
  type RpcSubscriptions,
  type Signature,
  type SolanaRpcApi,
  type SolanaRpcSubscriptionsApi,
  type TransactionSigner,
} from '@solana/kit';
import { fetchTransactionEvents, type EmittedEvent } from './events';
import { TOKEN_PROGRAM_ADDRESS } from './pdas';

export type NgpuClient = {
  rpc: Rpc<SolanaRpcApi>;
  rpcSubscriptions: RpcSubscriptions<SolanaRpcSubscriptionsApi>;
};

/** An RPC and a subscriptions client for a JSON-RPC URL and its WebSocket URL. */
export function createNgpuClient(rpcUrl: string, wsUrl: string): NgpuClient {
  return { rpc: createSolanaRpc(rpcUrl), rpcSubscriptions: createSolanaRpcSubscriptions(wsUrl) };
}

export type SentTransaction = {
  signature: Signature;
  events: EmittedEvent[];
  /**
   * Set when the transaction landed but its events could not be read (an RPC node without
   * transaction history, or one that serves it late): `events` is then empty. The transaction
   * is not to be sent again.
   */
  eventsError?: unknown;
};

/**
 * Sends `instructions` in one transaction paid by `feePayer` (every signer the instructions
 * carry signs too), waits for `commitment` and returns its signature and decoded events (none,
 * with `eventsError`, when it landed but they could not be read). A program error is thrown as
 * kit's SolanaError: name it with `namedProgramError(e, instructions)`.
 */
export async function sendInstructions(
  client: NgpuClient,
  feePayer: TransactionSigner,
  instructions: readonly Instruction[],
  { commitment = 'confirmed' }: { commitment?: Exclude<Commitment, 'processed'> } = {},
): Promise<SentTransaction> {
  const { value: blockhash } = await client.rpc.getLatestBlockhash({ commitment }).send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const transaction = await signTransactionMessageWithSigners(message);
  assertIsTransactionWithBlockhashLifetime(transaction);
  await sendAndConfirmTransactionFactory(client)(transaction, { commitment });
  const signature = getSignatureFromTransaction(transaction);
  // Confirmed: from here on nothing may read as a failure.
  try {
    return { signature, events: await fetchTransactionEvents(client.rpc, signature, { commitment }) };
  } catch (eventsError) {
    return { signature, events: [], eventsError };
  }
}

/** A token account's balance in base units (0n when the account does not exist). */
export async function tokenBalance(
  rpc: Rpc<GetAccountInfoApi>,
  account: Address,
  commitment: Commitment = 'confirmed',
): Promise<bigint> {
  const maybe = await fetchEncodedAccount(rpc, account, { commitment });
  if (!maybe.exists) return 0n;
  if (maybe.programAddress !== TOKEN_PROGRAM_ADDRESS || maybe.data.length < 72) {
    throw new Error(`${account} is not an SPL token account`);
  }
  // SPL Token account: mint (32), owner (32), amount (u64 LE).
  return getU64Decoder().decode(maybe.data, 64);
}
