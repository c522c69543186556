import * as assert from 'node:assert/strict';
import type { Address, Instruction, TransactionSigner } from '@solana/kit';
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
