// Everything the page reads from the chain, decoded with @ngpu/client's generated decoders.
// All amounts stay bigint base units; the chain's Clock sysvar (not the browser's clock) says
// what time and which hour it is, so a warped local clock shows correctly.
import {
  createSolanaRpc,
  fetchEncodedAccounts,
  getAddressEncoder,
  getBase58Decoder,
  parseBase64RpcAccount,
  type Address,
  type ReadonlyUint8Array,
} from '@solana/kit';
import {
  decodeClock,
  decodeReservation,
  hoursEnded,
  IO_MINT,
  ioToken,
  ledgerState,
  RESERVATION_DISCRIMINATOR,
  reservations,
  revenue,
  staking,
  type LedgerState,
  type Reservation,
  SYSVAR_CLOCK_ADDRESS,
} from './client';
import { cumulative, MAX_SUPPLY } from './emission';

export type Rpc = ReturnType<typeof createSolanaRpc>;

/** Fixed-point scales of the staking program (crates/ngpu-math/src/staking.rs). */
export const INDEX_SCALE = 1_000_000_000_000n;
export const ACC_SCALE = 1_000_000_000_000_000_000n;

const b58 = getBase58Decoder();
const addressBytes = getAddressEncoder();

/** Little-endian unsigned bytes (the zero-copy ledger's fields) as a bigint. */
export function le(bytes: ReadonlyUint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** `shares * index / INDEX_SCALE`, rounded down (the programs' `shares_to_amount`). */
export const sharesToAmount = (shares: bigint, index: bigint): bigint => (shares * index) / INDEX_SCALE;

type Addresses = {
  ioConfig: Address;
  stakingConfig: Address;
  ledger: Address;
  revenueConfig: Address;
  reservationsConfig: Address;
};
let addresses: Promise<Addresses> | undefined;
export function programAddresses(): Promise<Addresses> {
  addresses ??= (async () => ({
    ioConfig: (await ioToken.findConfigPda())[0],
    stakingConfig: (await staking.findConfigPda())[0],
    ledger: (await staking.findLedgerPda())[0],
    revenueConfig: (await revenue.findConfigPda())[0],
    reservationsConfig: (await reservations.findConfigPda())[0],
  }))();
  return addresses;
}

export type Network = {
  slot: bigint;
  /** Chain clock, unix seconds. */
  now: bigint;
  genesisTs: bigint;
  /** Hours fully ended since genesis (the hour in progress is this index). */
  currentHour: bigint;
  /** io-token's next hour to process: hours `0..nextHour` are done. */
  nextHour: bigint;
  /** Ended hours not processed yet. */
  crankLag: bigint;
  genesisMinted: bigint;
  emissionMinted: bigint;
  emissionForfeited: bigint;
  /** C(currentHour): what the schedule allows for every ended hour. */
  scheduleDue: bigint;
  /** IO mint supply now. */
  supply: bigint;
  /** Ever minted minus supply: every IO burned, whatever burned it. */
  burned: bigint;
  /** 800M minus ever minted minus forfeited (forfeited hours never mint). */
  remainingToCap: bigint;
  revenueBurnedFees: bigint;
  revenueBurnedBuyback: bigint;
  revenueUsdcSpent: bigint;
  ledger: LedgerState;
  nodeCount: bigint;
  openReservations: bigint;
  /** The IO/USD oracle as stored (staleness and confidence are the programs' to judge). */
  price: Price | null;
  io: ioToken.Config;
  staking: staking.Config;
  revenue: revenue.Config;
  reservations: reservations.Config;
};

/** One `getMultipleAccounts` for every figure of the network view. */
export async function loadNetwork(rpc: Rpc): Promise<Network> {
  const a = await programAddresses();
  const [ioAcc, stAcc, ledAcc, revAcc, resAcc, mintAcc, clockAcc, priceAcc] = await fetchEncodedAccounts(rpc, [
    a.ioConfig,
    a.stakingConfig,
    a.ledger,
    a.revenueConfig,
    a.reservationsConfig,
    IO_MINT,
    SYSVAR_CLOCK_ADDRESS,
    await priceFeedAddress(rpc, a.stakingConfig),
  ]);
  const must = <T extends { exists: boolean }>(acc: T, what: string): Extract<T, { exists: true }> => {
    if (!acc.exists) throw new Error(`${what} not found: are the NGPU programs deployed on this endpoint?`);
    return acc as Extract<T, { exists: true }>;
  };
  const io = ioToken.decodeConfig(must(ioAcc!, 'io-token config')).data;
  const st = staking.decodeConfig(must(stAcc!, 'staking config')).data;
  const ledger = ledgerState(staking.decodeHourLedger(must(ledAcc!, 'staking ledger')).data);
  const rev = revenue.decodeConfig(must(revAcc!, 'revenue config')).data;
  const res = reservations.decodeConfig(must(resAcc!, 'reservations config')).data;
  const mint = must(mintAcc!, 'IO mint');
  const clock = decodeClock(must(clockAcc!, 'Clock sysvar').data);
  // SPL Mint: mint_authority COption<Pubkey> (36 bytes), then supply u64.
  const supply = le(mint.data.slice(36, 44));
  const now = clock.unixTimestamp;
  const price = priceAcc?.exists ? readPrice(priceAcc.data) : null;
  const currentHour = hoursEnded(io.genesisTs, now);
  const everMinted = io.genesisMinted + io.emissionMinted;
  return {
    slot: clock.slot,
    now,
    genesisTs: io.genesisTs,
    currentHour,
    nextHour: io.nextHour,
    crankLag: currentHour > io.nextHour ? currentHour - io.nextHour : 0n,
    genesisMinted: io.genesisMinted,
    emissionMinted: io.emissionMinted,
    emissionForfeited: io.emissionForfeited,
    scheduleDue: cumulative(currentHour),
    supply,
    burned: everMinted - supply,
    remainingToCap: MAX_SUPPLY - everMinted - io.emissionForfeited,
    revenueBurnedFees: rev.totals.ioBurnedFees,
    revenueBurnedBuyback: rev.totals.ioBurnedBuyback,
    revenueUsdcSpent: rev.totals.usdcSpent,
    ledger,
    nodeCount: st.nodeCount,
    openReservations: res.openReservations,
    price,
    io,
    staking: st,
    revenue: rev,
    reservations: res,
  };
}

/** Accounts of `program` starting with `discriminator` (and optional memcmp filters). */
async function programAccounts(
  rpc: Rpc,
  program: Address,
  discriminator: ReadonlyUint8Array,
  more: { offset: bigint; bytes: ReadonlyUint8Array }[] = [],
) {
  const filters = [{ offset: 0n, bytes: discriminator }, ...more].map((f) => ({
    memcmp: { offset: f.offset, bytes: b58.decode(f.bytes) as never, encoding: 'base58' as const },
  }));
  const found = await rpc.getProgramAccounts(program, { encoding: 'base64', filters }).send();
  return found.map((f) => parseBase64RpcAccount(f.pubkey, f.account));
}

export type NodeRow = {
  address: Address;
  node: staking.Node;
  classId: number | undefined;
  activeStake: bigint;
  coolingDown: bigint;
  stakersUnclaimed: bigint;
  listing?: { address: Address; data: reservations.Listing };
};

export async function loadNodes(rpc: Rpc): Promise<NodeRow[]> {
  const [nodes, classes, listings] = await Promise.all([
    programAccounts(rpc, staking.STAKING_PROGRAM_ADDRESS, staking.NODE_DISCRIMINATOR),
    programAccounts(rpc, staking.STAKING_PROGRAM_ADDRESS, staking.DEVICE_CLASS_DISCRIMINATOR),
    programAccounts(rpc, reservations.RESERVATIONS_PROGRAM_ADDRESS, reservations.LISTING_DISCRIMINATOR),
  ]);
  const classOf = new Map(classes.map((c) => [c.address, staking.decodeDeviceClass(c).data.classId]));
  const listingOf = new Map(
    listings.map((l) => {
      const data = reservations.decodeListing(l).data;
      return [data.node as string, { address: l.address, data }];
    }),
  );
  return nodes
    .map((acc) => {
      const n = staking.decodeNode(acc).data;
      return {
        address: acc.address,
        node: n,
        classId: classOf.get(n.deviceClass),
        activeStake: sharesToAmount(n.activeShares, n.stakeIndex),
        coolingDown: sharesToAmount(n.cooldownShares, n.stakeIndex),
        stakersUnclaimed: sharesToAmount(n.stakerUnits, n.rewardIndex),
        listing: listingOf.get(acc.address),
      };
    })
    .sort((x, y) => (x.node.supplier === y.node.supplier ? Number(x.node.nodeId - y.node.nodeId) : x.node.supplier < y.node.supplier ? -1 : 1));
}

export type Lot = { amount: bigint; until: bigint };

export type PositionRow = {
  address: Address;
  position: staking.StakePosition;
  node: NodeRow | undefined;
  active: bigint;
  coolingDown: bigint;
  /** Deposits still locked at the chain's `now`. */
  locks: Lot[];
  cooldowns: Lot[];
  /** Active stake whose lock has ended: what an unstake request may take. */
  unstakable: bigint;
  /** Cooldowns ended: what `withdraw` pays. */
  withdrawable: bigint;
  /** Unclaimed reward as of the node's last settlement (the claim adds hours cranked since). */
  unclaimedSettled: bigint;
};

/** StakePosition: discriminator (8), version, bump, node (32), then the staker. */
const POSITION_STAKER_OFFSET = 8n + 1n + 1n + 32n;

export async function loadPositions(rpc: Rpc, staker: Address, nodes: NodeRow[], now: bigint): Promise<PositionRow[]> {
  const accounts = await programAccounts(rpc, staking.STAKING_PROGRAM_ADDRESS, staking.STAKE_POSITION_DISCRIMINATOR, [
    { offset: POSITION_STAKER_OFFSET, bytes: addressBytes.encode(staker) },
  ]);
  const byAddress = new Map(nodes.map((n) => [n.address as string, n]));
  return accounts.map((acc) => {
    const p = staking.decodeStakePosition(acc).data;
    const row = byAddress.get(p.node);
    const index = row?.node.stakeIndex ?? INDEX_SCALE;
    const value = (s: bigint) => sharesToAmount(s, index);
    const lots = (shares: bigint[], until: bigint[]) =>
      shares.map((s, i) => ({ amount: value(s), until: until[i]! })).filter((l) => l.amount > 0n);
    const locks = lots(p.lockShares, p.lockUntil).filter((l) => l.until > now);
    const cooldowns = lots(p.cooldownLotShares, p.cooldownLotUntil);
    let lockedShares = 0n;
    p.lockShares.forEach((s, i) => {
      if (p.lockUntil[i]! > now) lockedShares += s;
    });
    let withdrawableShares = 0n;
    p.cooldownLotShares.forEach((s, i) => {
      if (p.cooldownLotUntil[i]! <= now) withdrawableShares += s;
    });
    // `StakePosition::settle` against the node as stored.
    let owed = p.owedUnits;
    let paid = p.rewardPerSharePaid;
    if (row) {
      const n = row.node;
      if (p.rewardEpoch !== n.rewardEpoch) {
        owed = 0n;
        paid = paid > n.rewardPerShareWrittenOff ? paid : n.rewardPerShareWrittenOff;
      }
      owed += (p.shares * (n.rewardPerShare - paid)) / ACC_SCALE;
    }
    return {
      address: acc.address,
      position: p,
      node: row,
      active: value(p.shares),
      coolingDown: value(p.cooldownShares),
      locks,
      cooldowns,
      unstakable: value(p.shares > lockedShares ? p.shares - lockedShares : 0n),
      withdrawable: value(withdrawableShares),
      unclaimedSettled: row ? sharesToAmount(owed, row.node.rewardIndex) : 0n,
    };
  });
}


/** The price feed is pinned in the staking config; read once (it never moves). */
let feed: Address | undefined;
async function priceFeedAddress(rpc: Rpc, stakingConfig: Address): Promise<Address> {
  if (!feed) {
    const [acc] = await fetchEncodedAccounts(rpc, [stakingConfig]);
    feed = acc?.exists ? staking.decodeConfig(acc).data.priceFeed : SYSVAR_CLOCK_ADDRESS;
  }
  return feed;
}

export type Price = {
  /** Both sides of the confidence band, micro-USD per IO, rounded against the user. */
  lowMicroUsd: bigint;
  highMicroUsd: bigint;
  publishTime: bigint;
  /** The feed's price and confidence as published (units of 10^exponent USD). */
  price: bigint;
  conf: bigint;
};

/** `value * 10^exponent` USD in micro-USD, floored or ceiled (crates/ngpu-onchain/src/pyth.rs). */
function toMicroUsd(value: bigint, exponent: number, roundUp: boolean): bigint {
  const shift = exponent + 6;
  if (shift >= 0) return value * 10n ** BigInt(shift);
  const d = 10n ** BigInt(-shift);
  return roundUp ? (value + d - 1n) / d : value / d;
}

/**
 * A Pyth PriceUpdateV2 (fully verified): discriminator (8), write_authority (32), verification
 * (1: Full), feed_id (32), price i64, conf u64, exponent i32, publish_time i64, ...
 */
export function readPrice(data: ReadonlyUint8Array): Price | null {
  if (data.length < 133 || data[40] !== 1) return null;
  const price = BigInt.asIntN(64, le(data.slice(73, 81)));
  const conf = le(data.slice(81, 89));
  const exponent = Number(BigInt.asIntN(32, le(data.slice(89, 93))));
  const publishTime = BigInt.asIntN(64, le(data.slice(93, 101)));
  if (price <= 0n) return null;
  const low = price > conf ? price - conf : 0n;
  return { lowMicroUsd: toMicroUsd(low, exponent, false), highMicroUsd: toMicroUsd(price + conf, exponent, true), publishTime, price, conf };
}

export type ReservationRow = { address: Address; data: Reservation };

/** Reservation: discriminator (8), version, bump, currency, id (8), node, listing, then the renter. */
const RESERVATION_RENTER_OFFSET = 8n + 1n + 1n + 1n + 8n + 32n + 32n;

export async function loadReservations(rpc: Rpc, renter: Address): Promise<ReservationRow[]> {
  const accounts = await programAccounts(rpc, reservations.RESERVATIONS_PROGRAM_ADDRESS, RESERVATION_DISCRIMINATOR, [
    { offset: RESERVATION_RENTER_OFFSET, bytes: addressBytes.encode(renter) },
  ]);
  return accounts
    .map((acc) => ({ address: acc.address, data: decodeReservation(acc).data }))
    .sort((x, y) => (x.data.startTs < y.data.startTs ? 1 : -1));
}
