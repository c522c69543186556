import * as assert from 'node:assert/strict';
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type Signature,
  type TransactionSigner,
} from '@solana/kit';
import {
  IO_MINT,
  findAssociatedTokenPda,
  namedProgramError,
  sendInstructions,
  tokenBalance,
  type NgpuClient,
  type ProgramName,
  type SentTransaction,
} from '../src';

export const IO = 100_000_000n;
export const USDC = 1_000_000n;

export const ioAccount = (owner: Address) => findAssociatedTokenPda(owner, IO_MINT);

export async function balance(client: NgpuClient, account: Address): Promise<bigint> {
  return tokenBalance(client.rpc, account);
}

export async function send(
  client: NgpuClient,
  payer: TransactionSigner,
  ...instructions: (Instruction | Promise<Instruction>)[]
): Promise<SentTransaction> {
  return sendInstructions(client, payer, await Promise.all(instructions));
}

/** Sends and expects the named program error (its name decoded from the code by the layer). */
export async function rejects(
  client: NgpuClient,
  payer: TransactionSigner,
  instruction: Instruction | Promise<Instruction>,
  expected: { program: ProgramName; name: string; code: number },
): Promise<void> {
  const ix = await instruction;
  try {
    await sendInstructions(client, payer, [ix]);
  } catch (e) {
    const named = namedProgramError(e, [ix]);
    assert.ok(named, `not a program error: ${e}`);
    assert.deepEqual(
      { program: named.program, name: named.name, code: named.code },
      expected,
      `${named.program}: ${named.name} (${named.code}) ${named.message ?? ''}`,
    );
    return;
  }
  assert.fail(`expected ${expected.program}: ${expected.name} (${expected.code}), the transaction landed`);
}

/** Sends without preflight (a failing transaction lands, fee paid) and waits for its status. */
export async function sendSkippingPreflight(
  client: NgpuClient,
  payer: TransactionSigner,
  instructions: Instruction[],
): Promise<{ signature: Signature; err: unknown }> {
  const { value: blockhash } = await client.rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const tx = await signTransactionMessageWithSigners(message);
  const signature = getSignatureFromTransaction(tx);
  await client.rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: 'base64', skipPreflight: true }).send();
  for (let i = 0; i < 100; i++) {
    const { value } = await client.rpc.getSignatureStatuses([signature]).send();
    const status = value[0];
    if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') return { signature, err: status.err };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${signature} not confirmed`);
}
