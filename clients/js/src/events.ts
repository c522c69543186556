// Anchor `emit_cpi!` events, decoded from a transaction's inner instructions.
//
// `emit_cpi!` makes the program invoke itself, signed by its event authority PDA, with data
// EVENT_IX_TAG (0x1d9acb512ea545e4, u64 little-endian) + the event's 8-byte discriminator +
// its Borsh fields. The codecs and discriminators are generated from idl/*.json
// (scripts/generate.mjs → src/generated/<program>/events.ts).
import {
  getBase58Encoder,
  type Address,
  type ReadonlyUint8Array,
  type Rpc,
  type GetTransactionApi,
  type Signature,
  type Commitment,
} from '@solana/kit';
import { decodeIoTokenEvent, type IoTokenEvent } from './generated/io_token/events';
import { decodeVestingEvent, type VestingEvent } from './generated/vesting/events';
import { decodeStakingEvent, type StakingEvent } from './generated/staking/events';
import { decodeRevenueEvent, type RevenueEvent } from './generated/revenue/events';
import { decodeReservationsEvent, type ReservationsEvent } from './generated/reservations/events';
import {
  IO_TOKEN_PROGRAM_ADDRESS,
  VESTING_PROGRAM_ADDRESS,
  STAKING_PROGRAM_ADDRESS,
  REVENUE_PROGRAM_ADDRESS,
  RESERVATIONS_PROGRAM_ADDRESS,
} from './pdas';

/** Anchor's EVENT_IX_TAG as it appears in instruction data (u64 0x1d9acb512ea545e4, little-endian). */
export const EVENT_IX_TAG = new Uint8Array([0xe4, 0x45, 0xa5, 0x2e, 0x51, 0xcb, 0x9a, 0x1d]);

export type ProgramName = 'ioToken' | 'vesting' | 'staking' | 'revenue' | 'reservations';

/** Any event of the suite, tagged with its program: narrow on `program` then `name`. */
export type NgpuEvent =
  | ({ program: 'ioToken' } & IoTokenEvent)
  | ({ program: 'vesting' } & VestingEvent)
  | ({ program: 'staking' } & StakingEvent)
  | ({ program: 'revenue' } & RevenueEvent)
  | ({ program: 'reservations' } & ReservationsEvent);

/** An event and where it was emitted: the index of the transaction's top-level instruction. */
export type EmittedEvent = NgpuEvent & { instructionIndex: number };

const programs: ReadonlyArray<readonly [Address, ProgramName, (b: ReadonlyUint8Array) => object | null]> = [
  [IO_TOKEN_PROGRAM_ADDRESS, 'ioToken', decodeIoTokenEvent],
  [VESTING_PROGRAM_ADDRESS, 'vesting', decodeVestingEvent],
  [STAKING_PROGRAM_ADDRESS, 'staking', decodeStakingEvent],
  [REVENUE_PROGRAM_ADDRESS, 'revenue', decodeRevenueEvent],
  [RESERVATIONS_PROGRAM_ADDRESS, 'reservations', decodeReservationsEvent],
];

/** The name the layer uses for a program address (undefined for a foreign program). */
export function programName(programAddress: Address): ProgramName | undefined {
  return programs.find(([a]) => a === programAddress)?.[1];
}

/**
 * Decodes one `emit_cpi!` inner instruction of `programAddress` (its raw data). Returns null
 * for an instruction that is not an event of one of the suite's programs (a foreign program's
 * instruction with the same bytes included: the program address decides) or does not decode.
 */
export function decodeEventInstruction(programAddress: Address, data: ReadonlyUint8Array): NgpuEvent | null {
  const entry = programs.find(([a]) => a === programAddress);
  if (!entry || data.length < 16 || !EVENT_IX_TAG.every((b, i) => data[i] === b)) return null;
  let event: object | null;
  try {
    event = entry[2](data.subarray(8));
  } catch {
    // Data that does not decode as the IDL says (a program newer than this client): no event,
    // never an exception (a caller reading the events of a landed transaction must not fail).
    return null;
  }
  return event ? ({ program: entry[1], ...event } as NgpuEvent) : null;
}

/** The parts of a `getTransaction` (encoding "json", the default) result the decoder reads. */
export type TransactionWithInnerInstructions = {
  transaction: { message: { accountKeys: readonly Address[] } };
  meta: {
    /** Set when the transaction failed: nothing it emitted happened. */
    err?: unknown;
    innerInstructions?: readonly {
      index: number;
      instructions: readonly { programIdIndex: number; data: string }[];
    }[] | null;
    loadedAddresses?: { writable: readonly Address[]; readonly: readonly Address[] } | null;
  } | null;
};

/**
 * Every event a transaction emitted, in order. A failed transaction has none: its meta may still
 * list the inner instructions that ran before the failure, but all of it was rolled back.
 */
export function decodeTransactionEvents(tx: TransactionWithInnerInstructions): EmittedEvent[] {
  if (tx.meta?.err) return [];
  const keys = [
    ...tx.transaction.message.accountKeys,
    ...(tx.meta?.loadedAddresses?.writable ?? []),
    ...(tx.meta?.loadedAddresses?.readonly ?? []),
  ];
  const base58 = getBase58Encoder();
  const events: EmittedEvent[] = [];
  for (const inner of tx.meta?.innerInstructions ?? []) {
    for (const ix of inner.instructions) {
      const program = keys[ix.programIdIndex];
      // Only the suite's programs' instructions are read (another program's data is not ours).
      if (!program || !programName(program)) continue;
      let data: ReadonlyUint8Array;
      try {
        data = base58.encode(ix.data);
      } catch {
        continue;
      }
      const event = decodeEventInstruction(program, data);
      if (event) events.push({ ...event, instructionIndex: inner.index });
    }
  }
  return events;
}

/**
 * Fetches a confirmed transaction and decodes its events (waits up to `timeoutMs` for it to be
 * visible at `commitment`: an RPC node can serve a signature status before the transaction).
 * Throws if the transaction failed (it emitted nothing that happened).
 */
export async function fetchTransactionEvents(
  rpc: Rpc<GetTransactionApi>,
  signature: Signature,
  { commitment = 'confirmed', timeoutMs = 10_000 }: { commitment?: Exclude<Commitment, 'processed'>; timeoutMs?: number } = {},
): Promise<EmittedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tx = await rpc
      .getTransaction(signature, { commitment, maxSupportedTransactionVersion: 0, encoding: 'json' })
      .send();
    if (tx) {
      if (tx.meta?.err) {
        throw new Error(`transaction ${signature} failed: ${JSON.stringify(tx.meta.err, (_, v) => (typeof v === 'bigint' ? Number(v) : v))}`);
      }
      return decodeTransactionEvents(tx as unknown as TransactionWithInnerInstructions);
    }
    if (Date.now() > deadline) throw new Error(`transaction ${signature} not found`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The events of one program and name, typed: `eventsNamed(events, 'staking', 'Staked')`. */
export function eventsNamed<P extends NgpuEvent['program'], N extends Extract<NgpuEvent, { program: P }>['name']>(
  events: readonly NgpuEvent[],
  program: P,
  name: N,
): EventData<P, N>[] {
  return events.filter((e) => e.program === program && e.name === name).map((e) => e.data as EventData<P, N>);
}

/** The data type of event `N` of program `P`. */
export type EventData<P extends NgpuEvent['program'], N extends string> = Extract<NgpuEvent, { program: P; name: N }>['data'];
