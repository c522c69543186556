// Every PDA of the suite, named for users, with the programs' own seeds (the same as
// app/sdk/src/pda.rs, which derives them from the programs' seed constants). Each helper
// returns the address only (the bump is never needed off-chain).
import {
  address,
  getAddressEncoder,
  getProgramDerivedAddress,
  getU16Encoder,
  getU8Encoder,
  getU64Encoder,
  getUtf8Encoder,
  type Address,
  type ReadonlyUint8Array,
} from '@solana/kit';
import { IO_TOKEN_PROGRAM_ADDRESS } from './generated/io_token/programs';
import { VESTING_PROGRAM_ADDRESS } from './generated/vesting/programs';
import { STAKING_PROGRAM_ADDRESS } from './generated/staking/programs';
import { REVENUE_PROGRAM_ADDRESS } from './generated/revenue/programs';
import { RESERVATIONS_PROGRAM_ADDRESS } from './generated/reservations/programs';

export {
  IO_TOKEN_PROGRAM_ADDRESS,
  VESTING_PROGRAM_ADDRESS,
  STAKING_PROGRAM_ADDRESS,
  REVENUE_PROGRAM_ADDRESS,
  RESERVATIONS_PROGRAM_ADDRESS,
};

export const TOKEN_PROGRAM_ADDRESS = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
export const ASSOCIATED_TOKEN_PROGRAM_ADDRESS = address('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL');
export const SYSTEM_PROGRAM_ADDRESS = address('11111111111111111111111111111111');
export const BPF_LOADER_UPGRADEABLE_ADDRESS = address('BPFLoaderUpgradeab1e11111111111111111111111');

/** The IO mint, a PDA of io-token (`[b"io_mint"]`): the same on every cluster. */
export const IO_MINT = address('Dy1KUTgacRaiCAHnFFi3R5wtKQacztQwBCv2V5Tvh6Ei');

const utf8 = (s: string) => getUtf8Encoder().encode(s);
const key = (a: Address) => getAddressEncoder().encode(a);
/** An integer id that fits its seed (a wrapped or truncated id would be another account's seed). */
function id(n: number | bigint, bits: 8 | 16 | 64, what: string): bigint {
  const v = typeof n === 'bigint' ? n : Number.isSafeInteger(n) ? BigInt(n) : -1n;
  if (v < 0n || v >= 1n << BigInt(bits)) throw new Error(`${what} ${n} is not a u${bits}`);
  return v;
}
const u64 = (n: number | bigint, what: string) => getU64Encoder().encode(id(n, 64, what));
const u16 = (n: number, what: string) => getU16Encoder().encode(Number(id(n, 16, what)));
const u8 = (n: number, what: string) => getU8Encoder().encode(Number(id(n, 8, what)));

const cache = new Map<string, Address>();

/** `findProgramAddress(seeds, program)[0]`, memoised (a derivation costs SHA-256s). */
export async function findPda(programAddress: Address, seeds: ReadonlyUint8Array[]): Promise<Address> {
  const id = programAddress + ':' + seeds.map((s) => Array.from(s).join(',')).join('|');
  const hit = cache.get(id);
  if (hit) return hit;
  const [found] = await getProgramDerivedAddress({ programAddress, seeds });
  cache.set(id, found);
  return found;
}

/** Anchor's `#[event_cpi]` signer PDA (`[b"__event_authority"]`) of a program. */
export function findEventAuthorityPda(programAddress: Address): Promise<Address> {
  return findPda(programAddress, [utf8('__event_authority')]);
}

/** The ProgramData account of an upgradeable program (holds its upgrade authority). */
export function findProgramDataPda(programAddress: Address): Promise<Address> {
  return findPda(BPF_LOADER_UPGRADEABLE_ADDRESS, [key(programAddress)]);
}

/** An owner's associated token account of `mint` (SPL Token, not Token-2022). */
export function findAssociatedTokenPda(owner: Address, mint: Address): Promise<Address> {
  return findPda(ASSOCIATED_TOKEN_PROGRAM_ADDRESS, [key(owner), key(TOKEN_PROGRAM_ADDRESS), key(mint)]);
}

// ---- io-token

export const findIoTokenConfigPda = () => findPda(IO_TOKEN_PROGRAM_ADDRESS, [utf8('config')]);
export const findIoMintPda = () => findPda(IO_TOKEN_PROGRAM_ADDRESS, [utf8('io_mint')]);
export const findIoMintAuthorityPda = () => findPda(IO_TOKEN_PROGRAM_ADDRESS, [utf8('mint_authority')]);

// ---- vesting

export const findVestingConfigPda = () => findPda(VESTING_PROGRAM_ADDRESS, [utf8('config')]);
/** Vesting pool `poolId` (0..3: the genesis allocations other than the community's). */
export const findVestingPoolPda = async (poolId: number) => findPda(VESTING_PROGRAM_ADDRESS, [utf8('pool'), u8(poolId, 'pool id')]);
/** Schedule `scheduleId` of a pool (`[b"vesting", pool, id u64 LE]`). */
export const findVestingSchedulePda = async (pool: Address, scheduleId: number | bigint) =>
  findPda(VESTING_PROGRAM_ADDRESS, [utf8('vesting'), key(pool), u64(scheduleId, 'schedule id')]);
/** The IO vault of a pool or a schedule (`[b"vault", owner, IO mint]`). */
export const findVestingVaultPda = (owner: Address) => findPda(VESTING_PROGRAM_ADDRESS, [utf8('vault'), key(owner), key(IO_MINT)]);

// ---- staking

export const findStakingConfigPda = () => findPda(STAKING_PROGRAM_ADDRESS, [utf8('config')]);
/** The hour-exact ledger (next hour to crank, totals). */
export const findStakingLedgerPda = () => findPda(STAKING_PROGRAM_ADDRESS, [utf8('ledger')]);
/** io-token's emission controller once staking runs the crank. */
export const findEmissionAuthorityPda = () => findPda(STAKING_PROGRAM_ADDRESS, [utf8('emission')]);
/** A staking IO vault (`[b"vault", owner, IO mint]`): of the config (rewards) or of a node (stake). */
export const findStakingVaultPda = (owner: Address) => findPda(STAKING_PROGRAM_ADDRESS, [utf8('vault'), key(owner), key(IO_MINT)]);
export const findRewardVaultPda = async () => findStakingVaultPda(await findStakingConfigPda());
export const findNodeVaultPda = (node: Address) => findStakingVaultPda(node);
/** The appeal escrow of slashed stake (`[b"escrow", config, IO mint]`). */
export const findSlashEscrowVaultPda = async () =>
  findPda(STAKING_PROGRAM_ADDRESS, [utf8('escrow'), key(await findStakingConfigPda()), key(IO_MINT)]);
/** Device class `classId` (`[b"device_class", id u16 LE]`). */
export const findDeviceClassPda = async (classId: number) => findPda(STAKING_PROGRAM_ADDRESS, [utf8('device_class'), u16(classId, 'class id')]);
/** Node `nodeId` of a supplier (`[b"node", supplier, id u64 LE]`). */
export const findNodePda = async (supplier: Address, nodeId: number | bigint) =>
  findPda(STAKING_PROGRAM_ADDRESS, [utf8('node'), key(supplier), u64(nodeId, 'node id')]);
/** A staker's position on a node (`[b"stake", node, staker]`). */
export const findStakePositionPda = (node: Address, staker: Address) =>
  findPda(STAKING_PROGRAM_ADDRESS, [utf8('stake'), key(node), key(staker)]);
/** Slash record `slashId` of a node (its `slash_count` when slashed). */
export const findSlashRecordPda = async (node: Address, slashId: number | bigint) =>
  findPda(STAKING_PROGRAM_ADDRESS, [utf8('slash'), key(node), u64(slashId, 'slash id')]);

// ---- revenue

export const findRevenueConfigPda = () => findPda(REVENUE_PROGRAM_ADDRESS, [utf8('config')]);
/** Revenue's fee vault of `mint` (`[b"fees", config, mint]`): IO or USDC. */
export const findFeeVaultPda = async (mint: Address) =>
  findPda(REVENUE_PROGRAM_ADDRESS, [utf8('fees'), key(await findRevenueConfigPda()), key(mint)]);
/** The burn record of a UTC day (days since 1970-01-01). */
export const findDayRecordPda = async (day: number | bigint) =>
  findPda(REVENUE_PROGRAM_ADDRESS, [utf8('burns'), key(await findRevenueConfigPda()), u64(day, 'day')]);

// ---- reservations

/** The reservations config: also staking's hire authority. */
export const findReservationsConfigPda = () => findPda(RESERVATIONS_PROGRAM_ADDRESS, [utf8('config')]);
/** The reservations escrow of `mint` (`[b"escrow", config, mint]`): IO or USDC. */
export const findReservationEscrowPda = async (mint: Address) =>
  findPda(RESERVATIONS_PROGRAM_ADDRESS, [utf8('escrow'), key(await findReservationsConfigPda()), key(mint)]);
/** A node's listing (`[b"listing", node]`). */
export const findListingPda = (node: Address) => findPda(RESERVATIONS_PROGRAM_ADDRESS, [utf8('listing'), key(node)]);
/** Reservation `id` of a node: the listing's `reservationCount` when it was made. */
export const findReservationPda = async (node: Address, reservationId: number | bigint) =>
  findPda(RESERVATIONS_PROGRAM_ADDRESS, [utf8('reservation'), key(node), u64(reservationId, 'reservation id')]);
