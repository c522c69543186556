// The chain's clock, which is what the programs see (a local validator can be time-travelled,
// so the wall clock is not it).
import {
  address,
  fetchEncodedAccount,
  getI64Decoder,
  getU64Decoder,
  type GetAccountInfoApi,
  type ReadonlyUint8Array,
  type Rpc,
} from '@solana/kit';

export const SYSVAR_CLOCK_ADDRESS = address('SysvarC1ock11111111111111111111111111111111');
export const HOUR_SECS = 3_600n;

export type Clock = { slot: bigint; unixTimestamp: bigint };

/** The Clock sysvar's data: slot u64, epoch_start_timestamp i64, epoch u64,
 *  leader_schedule_epoch u64, unix_timestamp i64. */
export function decodeClock(data: ReadonlyUint8Array): Clock {
  return { slot: getU64Decoder().decode(data, 0), unixTimestamp: getI64Decoder().decode(data, 32) };
}

/** The Clock sysvar's `unix_timestamp` (seconds). */
export async function fetchChainTime(rpc: Rpc<GetAccountInfoApi>): Promise<bigint> {
  const clock = await fetchEncodedAccount(rpc, SYSVAR_CLOCK_ADDRESS, { commitment: 'confirmed' });
  if (!clock.exists) throw new Error('no Clock sysvar');
  return decodeClock(clock.data).unixTimestamp;
}

/** Emission hours ended at `now` since `genesisTs` (what the crank may process: hours `0..n`). */
export function hoursEnded(genesisTs: bigint, now: bigint): bigint {
  return now > genesisTs ? (now - genesisTs) / HOUR_SECS : 0n;
}
