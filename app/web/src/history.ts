// Emission and burns over hours, from the IO mint's transactions: every mint and every burn of
// IO writes the mint account, so `getSignaturesForAddress(IO mint)` lists them all (the newest
// `limit`). Emission points come from io-token's `EmissionMinted` events (hour-exact: the hours
// each call processed and the totals after it); burns from the SPL Token `Burn` / `BurnChecked`
// instructions on the IO mint (top-level or inner), placed in the hour of their block time.
// Transactions are immutable: each is fetched once and cached.
import { getBase58Encoder, type Address, type Signature } from '@solana/kit';
import type { Rpc } from './chain';
import { decodeTransactionEvents, eventsNamed, IO_MINT, TOKEN_PROGRAM_ADDRESS, type TransactionWithInnerInstructions } from './client';

export type EmissionPoint = { nextHour: bigint; emissionMinted: bigint; emissionForfeited: bigint };
export type BurnEntry = { signature: Signature; blockTime: bigint; amount: bigint };

type Parsed = { emission: EmissionPoint[]; burns: bigint; slot: bigint; blockTime: bigint | null };

type Ix = { programIdIndex: number; accounts: readonly number[]; data: string };
type JsonTx = TransactionWithInnerInstructions & {
  slot: bigint;
  transaction: { message: { accountKeys: readonly Address[]; instructions: readonly Ix[] } };
  meta: { err: unknown; innerInstructions?: readonly { index: number; instructions: readonly Ix[] }[] | null } | null;
};

const TOKEN_BURN = 8;
const TOKEN_BURN_CHECKED = 15;
const cache = new Map<string, Parsed | null>();
const blockTimes = new Map<bigint, bigint | null>();

function le64(bytes: Uint8Array, offset: number): bigint {
  let v = 0n;
  for (let i = offset + 7; i >= offset; i--) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  return v;
}

/** IO burned by a transaction's SPL Token instructions (top-level and inner). */
function burnedIn(tx: JsonTx): bigint {
  const keys = [
    ...tx.transaction.message.accountKeys,
    ...(tx.meta?.loadedAddresses?.writable ?? []),
    ...(tx.meta?.loadedAddresses?.readonly ?? []),
  ];
  const base58 = getBase58Encoder();
  const all: Ix[] = [...tx.transaction.message.instructions];
  for (const inner of tx.meta?.innerInstructions ?? []) all.push(...inner.instructions);
  let burned = 0n;
  for (const ix of all) {
    if (keys[ix.programIdIndex] !== TOKEN_PROGRAM_ADDRESS) continue;
    const data = base58.encode(ix.data) as Uint8Array;
    // Burn / BurnChecked: accounts [source, mint, owner, ...]; data: tag, amount u64 (, decimals).
    if ((data[0] === TOKEN_BURN || data[0] === TOKEN_BURN_CHECKED) && keys[ix.accounts[1] ?? -1] === IO_MINT) {
      burned += le64(data, 1);
    }
  }
  return burned;
}

async function blockTimeOf(rpc: Rpc, slot: bigint, fromSignature: bigint | null): Promise<bigint | null> {
  if (fromSignature !== null) return fromSignature;
  if (!blockTimes.has(slot)) {
    try {
      blockTimes.set(slot, BigInt(await rpc.getBlockTime(slot).send()));
    } catch {
      blockTimes.set(slot, null);
    }
  }
  return blockTimes.get(slot) ?? null;
}

async function parse(rpc: Rpc, signature: Signature, slot: bigint, sigBlockTime: bigint | null): Promise<Parsed | null> {
  const raw = await rpc
    .getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: 'confirmed' })
    .send();
  if (!raw) return null;
  const tx = raw as unknown as JsonTx;
  if (tx.meta?.err) return { emission: [], burns: 0n, slot, blockTime: null };
  const emission = eventsNamed(decodeTransactionEvents(tx), 'ioToken', 'EmissionMinted').map((e) => ({
    nextHour: e.totals.nextHour,
    emissionMinted: e.totals.emissionMinted,
    emissionForfeited: e.totals.emissionForfeited,
  }));
  const burns = burnedIn(tx);
  // The block time only matters for burns (emission points carry their hour).
  const blockTime = burns > 0n ? await blockTimeOf(rpc, slot, sigBlockTime) : null;
  return { emission, burns, slot, blockTime };
}

async function pool<T, R>(items: T[], size: number, run: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await run(items[i]!);
      }
    }),
  );
  return out;
}

export type History = {
  emission: EmissionPoint[];
  burns: BurnEntry[];
  /** Transactions read (the newest `limit` of the IO mint). */
  scanned: number;
  /** Whether older transactions exist beyond the scan. */
  truncated: boolean;
};

export async function loadHistory(rpc: Rpc, limit = 1000): Promise<History> {
  const sigs = await rpc.getSignaturesForAddress(IO_MINT, { limit, commitment: 'confirmed' }).send();
  const fresh = sigs.filter((s) => !cache.has(s.signature));
  await pool(fresh, 8, async (s) => {
    const parsed = await parse(rpc, s.signature, BigInt(s.slot), s.blockTime === null ? null : BigInt(s.blockTime));
    // Not found yet (visible later): try again next time.
    if (parsed) cache.set(s.signature, parsed);
  });
  const emission: EmissionPoint[] = [];
  const burns: BurnEntry[] = [];
  for (const s of sigs) {
    const p = cache.get(s.signature);
    if (!p) continue;
    emission.push(...p.emission);
    if (p.burns > 0n && p.blockTime !== null) burns.push({ signature: s.signature, blockTime: p.blockTime, amount: p.burns });
  }
  emission.sort((a, b) => (a.nextHour < b.nextHour ? -1 : a.nextHour > b.nextHour ? 1 : 0));
  return { emission, burns, scanned: sigs.length, truncated: sigs.length === limit };
}
