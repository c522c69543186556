// A reservation's quote: what the page offers to pay, and only when the program would take it
// (hours within the listing's and the config's maximum, reservations open, the listing free, the
// node committed, for IO a price the program accepts). Bigint all the way.
import type { Price } from './chain';
import { NodeState, type reservations } from './client';
import { formatIo, formatUsdc } from './views';

export type Quote = {
  text: string;
  /** The `max_total` to send: the exact deposit (USDC) or the deposit plus the slippage (IO). */
  maxTotal?: bigint;
  hours?: number;
  /** The deposit at the quoted price. */
  deposit?: bigint;
};

export type QuoteInput = {
  listing: reservations.Listing;
  nodeState: number;
  config: reservations.Config;
  price: Price | null;
  /** Chain clock, unix seconds. */
  now: bigint;
  hoursText: string;
  currency: 'usdc' | 'io';
  slippageBps: bigint;
};

/** A listing's `activeReservation` when it has none. */
export const NO_RESERVATION = '11111111111111111111111111111111';

/** Deposit of a reservation: principal plus the renter's fees, each rounded up. */
export function deposit(principal: bigint, reservationFeeBps: number, paymentFeeBps: number): bigint {
  const fee = (bps: number) => (principal * BigInt(bps) + 9_999n) / 10_000n;
  return principal + fee(reservationFeeBps) + fee(paymentFeeBps);
}

/** IO principal of a USD cost at the low side of the band: ceil(C * 10^8 / p_low). */
export function ioPrincipal(costMicroUsd: bigint, lowMicroUsd: bigint): bigint {
  return (costMicroUsd * 100_000_000n + lowMicroUsd - 1n) / lowMicroUsd;
}

export function reservationQuote(q: QuoteInput): Quote {
  const text = q.hoursText.trim();
  if (text === '') return { text: '' };
  const max = Math.min(q.listing.maxHours, q.config.maxHours);
  if (!/^\d+$/.test(text)) return { text: `whole hours, 1 to ${max}` };
  const asked = BigInt(text);
  if (asked < 1n || asked > BigInt(max)) return { text: `1 to ${max} hours` };
  const hours = Number(asked);
  if (q.config.paused) return { text: 'reservations are paused' };
  if (q.listing.activeReservation !== NO_RESERVATION) return { text: 'already reserved' };
  if (q.nodeState !== NodeState.Committed) return { text: 'the node is not available' };
  const cost = q.listing.priceMicroUsdPerHour * asked;
  const c = q.config;
  if (q.currency === 'usdc') {
    const d = deposit(cost, c.reservationFeeBps, c.usdcPaymentFeeBps);
    return { text: `pay ${formatUsdc(d)} USDC (cost ${formatUsdc(cost)} + fees)`, maxTotal: d, hours, deposit: d };
  }
  const p = q.price;
  if (!p || p.lowMicroUsd === 0n) return { text: 'no IO price' };
  if (q.now - p.publishTime > BigInt(c.maxPriceAgeSecs)) return { text: 'the IO price is stale: pay in USDC or wait for an update' };
  if (p.conf * 10_000n > p.price * BigInt(c.maxConfidenceBps)) return { text: 'the IO price is too uncertain: pay in USDC' };
  const d = deposit(ioPrincipal(cost, p.lowMicroUsd), c.reservationFeeBps, c.ioPaymentFeeBps);
  const slippage = q.slippageBps < 0n ? 0n : q.slippageBps;
  const most = (d * (10_000n + slippage)) / 10_000n;
  return { text: `about ${formatIo(d)} IO, at most ${formatIo(most)} IO`, maxTotal: most, hours, deposit: d };
}
