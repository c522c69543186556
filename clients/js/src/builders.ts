// Instruction builders for the user flows, named for users: every account that can be derived
// (PDAs, vaults, associated token accounts, Anchor's event accounts) is filled in, so a caller
// passes the signer and what the flow is about. Each returns a kit `Instruction` built by the
// generated client (src/generated), so encoding stays Codama's.
import {
  AccountRole,
  type AccountSignerMeta,
  fetchEncodedAccount,
  type Account,
  type Address,
  type GetAccountInfoApi,
  type Instruction,
  type Rpc,
  type TransactionSigner,
} from '@solana/kit';
import * as staking from './generated/staking';
import * as reservations from './generated/reservations';
import { Currency } from './generated/reservations/types/currency';
import {
  ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
  IO_MINT,
  SYSTEM_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
  findAssociatedTokenPda,
  findDeviceClassPda,
  findFeeVaultPda,
  findListingPda,
  findNodePda,
  findNodeVaultPda,
  findReservationEscrowPda,
  findReservationPda,
  findStakePositionPda,
  findStakingConfigPda,
  findStakingLedgerPda,
  findReservationsConfigPda,
} from './pdas';
import type { Reservation } from './reservation';

type Amount = number | bigint;

// ---- SPL helpers (no dependency on @solana-program/token)

/** The associated token program's `CreateIdempotent`: creates `owner`'s account of `mint` if missing. */
export async function getCreateAssociatedTokenIdempotentInstruction(input: {
  payer: TransactionSigner;
  owner: Address;
  mint: Address;
}): Promise<Instruction> {
  const ata = await findAssociatedTokenPda(input.owner, input.mint);
  return {
    programAddress: ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
    accounts: [
      { address: input.payer.address, role: AccountRole.WRITABLE_SIGNER, signer: input.payer } as AccountSignerMeta,
      { address: ata, role: AccountRole.WRITABLE },
      { address: input.owner, role: AccountRole.READONLY },
      { address: input.mint, role: AccountRole.READONLY },
      { address: SYSTEM_PROGRAM_ADDRESS, role: AccountRole.READONLY },
      { address: TOKEN_PROGRAM_ADDRESS, role: AccountRole.READONLY },
    ],
    data: new Uint8Array([1]),
  };
}

// ---- staking

/** `register_node`: node `nodeId` of device class `classId` for the signing supplier. */
export async function registerNode(input: { supplier: TransactionSigner; classId: number; nodeId: Amount }) {
  const node = await findNodePda(input.supplier.address, input.nodeId);
  return staking.getRegisterNodeInstruction({
    supplier: input.supplier,
    deviceClass: await findDeviceClassPda(input.classId),
    node,
    nodeVault: await findNodeVaultPda(node),
    nodeId: input.nodeId,
  });
}

/** `stake` `amount` IO base units on `node` from the staker's IO account (default: its associated one). */
export async function stake(input: { staker: TransactionSigner; node: Address; amount: Amount; stakerTokens?: Address }) {
  return staking.getStakeInstruction({
    staker: input.staker,
    node: input.node,
    nodeVault: await findNodeVaultPda(input.node),
    position: await findStakePositionPda(input.node, input.staker.address),
    stakerTokens: input.stakerTokens ?? (await findAssociatedTokenPda(input.staker.address, IO_MINT)),
    amount: input.amount,
  });
}

/** `request_unstake`: moves `amount` of unlocked stake into the cooldown. */
export async function requestUnstake(input: { staker: TransactionSigner; node: Address; amount: Amount }) {
  return staking.getRequestUnstakeInstruction({
    staker: input.staker,
    node: input.node,
    position: await findStakePositionPda(input.node, input.staker.address),
    amount: input.amount,
  });
}

/** `cancel_unstake`: the cooling-down stake earns again. */
export async function cancelUnstake(input: { staker: TransactionSigner; node: Address }) {
  return staking.getCancelUnstakeInstruction({
    staker: input.staker,
    node: input.node,
    position: await findStakePositionPda(input.node, input.staker.address),
  });
}

/** `withdraw` of the stake whose cooldown ended, to `destination` (default: the staker's IO ATA). */
export async function withdraw(input: { staker: TransactionSigner; node: Address; destination?: Address }) {
  return staking.getWithdrawInstruction({
    staker: input.staker,
    node: input.node,
    nodeVault: await findNodeVaultPda(input.node),
    position: await findStakePositionPda(input.node, input.staker.address),
    destination: input.destination ?? (await findAssociatedTokenPda(input.staker.address, IO_MINT)),
  });
}

/** `claim_stake_rewards`: the staker's rewards on `node`, to `destination` (default: its IO ATA). */
export async function claimStakeRewards(input: { staker: TransactionSigner; node: Address; destination?: Address }) {
  return staking.getClaimStakeRewardsInstruction({
    staker: input.staker,
    node: input.node,
    position: await findStakePositionPda(input.node, input.staker.address),
    destination: input.destination ?? (await findAssociatedTokenPda(input.staker.address, IO_MINT)),
  });
}

/** `claim_node_rewards`: the supplier's share of its node's rewards (default: to its IO ATA). */
export async function claimNodeRewards(input: { supplier: TransactionSigner; node: Address; destination?: Address }) {
  return staking.getClaimNodeRewardsInstruction({
    supplier: input.supplier,
    node: input.node,
    destination: input.destination ?? (await findAssociatedTokenPda(input.supplier.address, IO_MINT)),
  });
}

/** `set_node_state` (pause / resume) by the node's supplier. */
export function setNodeState(input: { supplier: TransactionSigner; node: Address; action: staking.NodeAction }) {
  return staking.getSetNodeStateInstruction(input);
}

/** `activate_node` (permissionless) once its waiting time has passed. */
export function activateNode(input: { node: Address }) {
  return staking.getActivateNodeInstruction(input);
}

/** `crank_hour` for hours `firstHour .. firstHour + hours` (1..24); price feed and history as in the config. */
export function crankHour(input: {
  cranker: TransactionSigner;
  priceFeed: Address;
  history: Address;
  firstHour: Amount;
  hours: number;
}) {
  return staking.getCrankHourInstruction(input);
}

/** The ledger's running state (its fixed header), as bigints. */
export type LedgerState = {
  baseHour: bigint;
  /** The next hour to crank. */
  nextHour: bigint;
  totalWeight: bigint;
  rewardPerWeight: bigint;
  rewardsMinted: bigint;
  rewardsForfeited: bigint;
  rewardsBurned: bigint;
  stakeBurned: bigint;
  escrowHeld: bigint;
};

const le = (bytes: ArrayLike<number>) => {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
};

/** The staking ledger's state (`HourLedger` stores its numbers as little-endian byte arrays). */
export function ledgerState(ledger: staking.HourLedger): LedgerState {
  return {
    baseHour: le(ledger.baseHour),
    nextHour: le(ledger.nextHour),
    totalWeight: le(ledger.totalWeight),
    rewardPerWeight: le(ledger.rewardPerWeight),
    rewardsMinted: le(ledger.rewardsMinted),
    rewardsForfeited: le(ledger.rewardsForfeited),
    rewardsBurned: le(ledger.rewardsBurned),
    stakeBurned: le(ledger.stakeBurned),
    escrowHeld: le(ledger.escrowHeld),
  };
}

/** Reads the staking ledger's state. */
export async function fetchLedgerState(rpc: Rpc<GetAccountInfoApi>): Promise<LedgerState> {
  return ledgerState((await staking.fetchHourLedger(rpc, await findStakingLedgerPda())).data);
}

/**
 * A `crank_hour` of the next `hours` unprocessed hours, reading the staking config (price feed,
 * history) and the ledger (next hour) first.
 */
export async function crankNextHours(rpc: Rpc<GetAccountInfoApi>, cranker: TransactionSigner, hours = 1) {
  const config = (await staking.fetchConfig(rpc, await findStakingConfigPda())).data;
  const { nextHour } = await fetchLedgerState(rpc);
  return {
    firstHour: nextHour,
    instruction: crankHour({ cranker, priceFeed: config.priceFeed, history: config.history, firstHour: nextHour, hours }),
  };
}

// ---- reservations

/** The escrow and revenue fee vault of a currency. */
export async function reservationVaults(currency: Currency, usdcMint: Address): Promise<{ escrow: Address; feeVault: Address }> {
  const mint = currency === Currency.Io ? IO_MINT : usdcMint;
  return { escrow: await findReservationEscrowPda(mint), feeVault: await findFeeVaultPda(mint) };
}

/** `list_node`: the supplier lists its node at `priceMicroUsdPerHour` for up to `maxHours` (payouts default to its ATAs). */
export async function listNode(input: {
  supplier: TransactionSigner;
  node: Address;
  priceMicroUsdPerHour: Amount;
  maxHours: number;
  usdcMint: Address;
  payoutUsdc?: Address;
  payoutIo?: Address;
}) {
  return reservations.getListNodeInstruction({
    supplier: input.supplier,
    node: input.node,
    listing: await findListingPda(input.node),
    payoutUsdc: input.payoutUsdc ?? (await findAssociatedTokenPda(input.supplier.address, input.usdcMint)),
    payoutIo: input.payoutIo ?? (await findAssociatedTokenPda(input.supplier.address, IO_MINT)),
    args: { priceMicroUsdPerHour: input.priceMicroUsdPerHour, maxHours: input.maxHours },
  });
}

/**
 * `reserve` `hours` of `node` paying in `currency` at most `maxTotal` base units (the deposit:
 * principal and fees). `id` is the listing's `reservationCount` (the new reservation's address
 * is `findReservationPda(node, id)`); the renter's token account defaults to its ATA.
 */
export async function reserve(input: {
  renter: TransactionSigner;
  node: Address;
  id: Amount;
  hours: number;
  currency: Currency;
  maxTotal: Amount;
  usdcMint: Address;
  priceFeed: Address;
  renterToken?: Address;
}) {
  const mint = input.currency === Currency.Io ? IO_MINT : input.usdcMint;
  return reservations.getReserveInstruction({
    renter: input.renter,
    listing: await findListingPda(input.node),
    node: input.node,
    reservation: await findReservationPda(input.node, input.id),
    renterToken: input.renterToken ?? (await findAssociatedTokenPda(input.renter.address, mint)),
    escrow: (await reservationVaults(input.currency, input.usdcMint)).escrow,
    priceFeed: input.priceFeed,
    hours: input.hours,
    currency: input.currency,
    maxTotal: input.maxTotal,
  });
}

/** `settle` (anyone) of the delivered hours of a stored reservation. */
export async function settle(input: { reservation: Account<Reservation>; usdcMint: Address }) {
  const r = input.reservation.data;
  const { escrow, feeVault } = await reservationVaults(r.currency, input.usdcMint);
  return reservations.getSettleInstruction({
    reservation: input.reservation.address,
    listing: r.listing,
    node: r.node,
    escrow,
    supplierPayout: r.payout,
    feeVault,
    renter: r.renter,
  });
}

/** `end_early` by the reservation's renter: delivered hours paid, the rest refunded. */
export async function endEarly(input: { renter: TransactionSigner; reservation: Account<Reservation>; usdcMint: Address }) {
  const r = input.reservation.data;
  if (r.renter !== input.renter.address) throw new Error(`the renter of ${input.reservation.address} is ${r.renter}`);
  const { escrow, feeVault } = await reservationVaults(r.currency, input.usdcMint);
  return reservations.getEndEarlyInstruction({
    renter: input.renter,
    reservation: input.reservation.address,
    listing: r.listing,
    node: r.node,
    escrow,
    supplierPayout: r.payout,
    feeVault,
    renterToken: r.renterToken,
  });
}

/** `claim_payout` by the supplier of what the listing owes it in `currency` (default: to its ATA). */
export async function claimPayout(input: {
  supplier: TransactionSigner;
  node: Address;
  currency: Currency;
  usdcMint: Address;
  destination?: Address;
}) {
  const mint = input.currency === Currency.Io ? IO_MINT : input.usdcMint;
  return reservations.getClaimPayoutInstruction({
    supplier: input.supplier,
    listing: await findListingPda(input.node),
    escrow: (await reservationVaults(input.currency, input.usdcMint)).escrow,
    destination: input.destination ?? (await findAssociatedTokenPda(input.supplier.address, mint)),
    currency: input.currency,
  });
}

/** `claim_refund` by the renter of a reservation that ended with its refund owed (default: to its ATA). */
export async function claimRefund(input: {
  renter: TransactionSigner;
  reservation: Account<Reservation>;
  usdcMint: Address;
  destination?: Address;
}) {
  const r = input.reservation.data;
  const mint = r.currency === Currency.Io ? IO_MINT : input.usdcMint;
  return reservations.getClaimRefundInstruction({
    renter: input.renter,
    reservation: input.reservation.address,
    listing: r.listing,
    escrow: (await reservationVaults(r.currency, input.usdcMint)).escrow,
    destination: input.destination ?? (await findAssociatedTokenPda(input.renter.address, mint)),
  });
}

/** The reservations config (USDC mint, price feed, fee rates, totals). */
export async function fetchReservationsConfig(rpc: Rpc<GetAccountInfoApi>) {
  return reservations.fetchConfig(rpc, await findReservationsConfigPda());
}

/** The next reservation of a node: its id (the listing's `reservationCount`) and address. */
export async function nextReservation(rpc: Rpc<GetAccountInfoApi>, node: Address) {
  const listing = await reservations.fetchListing(rpc, await findListingPda(node));
  const id = listing.data.reservationCount;
  return { id, address: await findReservationPda(node, id), listing };
}

/** Whether an account exists (e.g. a listing, to choose `list_node` or `update_listing`). */
export async function accountExists(rpc: Rpc<GetAccountInfoApi>, address: Address): Promise<boolean> {
  return (await fetchEncodedAccount(rpc, address)).exists;
}
