// HTML of each view, as strings (no framework). Every figure the tests compare carries
// `data-testid` and its exact base-unit value in `data-value`.
import type { Address } from '@solana/kit';
import { barChart, lineChart, type Series } from './charts';
import type { Network, NodeRow, PositionRow, ReservationRow } from './chain';
import { Currency, hoursEnded, formatIo as layerFormatIo, formatMicroUsd as layerFormatMicroUsd, formatUsdc as layerFormatUsdc, NodeState } from './client';
import { cumulative } from './emission';
import { esc, formatDuration, formatTs, shortAddress } from './format';
import type { History } from './history';

export const formatIo = (v: bigint) => layerFormatIo(v, { thousands: ',' });
export const formatUsdc = (v: bigint) => layerFormatUsdc(v, { thousands: ',' });
export const formatUsd = (v: bigint) => '$' + layerFormatMicroUsd(v, { thousands: ',' });
/** Whole IO for chart axes. */
const axisIo = (v: bigint) => (v / 100_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function figure(id: string, label: string, value: bigint, text: string, hint = ''): string {
  return `<div class="figure"><dt>${esc(label)}</dt><dd data-testid="${id}" data-value="${value}">${esc(text)}</dd>${
    hint ? `<small>${esc(hint)}</small>` : ''
  }</div>`;
}

const io = (id: string, label: string, v: bigint, hint = '') => figure(id, label, v, `${formatIo(v)} IO`, hint);

export function networkFigures(n: Network): string {
  const processed = n.emissionMinted + n.emissionForfeited;
  return `<dl class="figures">
${figure('current-hour', 'Current hour', n.currentHour, n.currentHour.toString(), `chain clock ${formatTs(n.now)}, slot ${n.slot}`)}
${figure('next-hour', 'Next hour to crank', n.nextHour, n.nextHour.toString(), 'hours before it are processed')}
${figure('crank-lag', 'Crank lag', n.crankLag, `${n.crankLag} h`, n.crankLag > 1n ? 'ended hours waiting for the crank' : 'up to date')}
${io('emission-processed', 'Emission so far', processed, `minted ${formatIo(n.emissionMinted)} + forfeited ${formatIo(n.emissionForfeited)}`)}
${io('schedule-due', 'Schedule for ended hours', n.scheduleDue, `C(${n.currentHour}); behind by ${formatIo(n.scheduleDue - processed)} IO`)}
${io('emission-minted', 'Emission minted', n.emissionMinted, 'paid to nodes through the reward vault')}
${io('emission-forfeited', 'Emission forfeited', n.emissionForfeited, 'budget of hours without enough eligible targets; never mintable')}
${io('genesis-minted', 'Genesis', n.genesisMinted)}
${io('supply', 'Supply', n.supply, 'IO mint supply now')}
${io('burned', 'Burned', n.burned, 'ever minted − supply')}
${io('remaining-to-cap', 'Left to the 800M cap', n.remainingToCap)}
${io('revenue-burned', 'Revenue burns', n.revenueBurnedFees + n.revenueBurnedBuyback, `fees ${formatIo(n.revenueBurnedFees)} + buyback ${formatIo(n.revenueBurnedBuyback)} IO (USDC spent ${formatUsdc(n.revenueUsdcSpent)})`)}
${io('staking-burned', 'Staking burns', n.ledger.rewardsBurned + n.ledger.stakeBurned, `rewards ${formatIo(n.ledger.rewardsBurned)} + stake ${formatIo(n.ledger.stakeBurned)} IO`)}
${figure('node-count', 'Nodes', n.nodeCount, n.nodeCount.toString(), `total weight ${formatUsd(n.ledger.totalWeight)}/h`)}
${figure('open-reservations', 'Open reservations', n.openReservations, n.openReservations.toString())}
${
  n.price
    ? figure('io-price', 'IO price (low–high)', n.price.lowMicroUsd, `${formatUsd(n.price.lowMicroUsd)} – ${formatUsd(n.price.highMicroUsd)}`, `published ${formatTs(n.price.publishTime)}`)
    : figure('io-price', 'IO price', 0n, 'no price')
}
</dl>`;
}

/** Cumulative emission vs the schedule, and IO burned per hour. */
export function networkCharts(n: Network, h: History | null): string {
  const window = 168n;
  const x1 = n.currentHour > 1n ? n.currentHour : 1n;
  const x0 = x1 > window ? x1 - window : 0n;
  const steps = 48n;
  const schedule: [bigint, bigint][] = [];
  for (let i = 0n; i <= steps; i++) {
    const hour = x0 + ((x1 - x0) * i) / steps;
    schedule.push([hour, cumulative(hour)]);
  }
  const processed: [bigint, bigint][] = [];
  const minted: [bigint, bigint][] = [];
  // With the whole history read, nothing was processed before hour 0.
  if (h && !h.truncated) {
    processed.push([0n, 0n]);
    minted.push([0n, 0n]);
  }
  for (const p of h?.emission ?? []) {
    processed.push([p.nextHour, p.emissionMinted + p.emissionForfeited]);
    minted.push([p.nextHour, p.emissionMinted]);
  }
  // The current totals close both lines (also when the scan saw no crank in the window).
  processed.push([n.nextHour, n.emissionMinted + n.emissionForfeited]);
  minted.push([n.nextHour, n.emissionMinted]);
  const series: Series[] = [
    { name: 'schedule C(h)', color: '#8a8f98', points: schedule, dashed: true },
    { name: 'processed (minted + forfeited)', color: '#2f6fde', points: processed, step: true },
    { name: 'minted', color: '#1a9e5c', points: minted, step: true },
  ];
  const byHour = new Map<bigint, bigint>();
  for (const b of h?.burns ?? []) {
    const hour = hoursEnded(n.genesisTs, b.blockTime);
    byHour.set(hour, (byHour.get(hour) ?? 0n) + b.amount);
  }
  const burnWindowStart = x1 > 48n ? x1 - 48n : 0n;
  const scan = h ? `${h.scanned} IO mint transactions read${h.truncated ? ' (newest only)' : ''}` : 'loading history…';
  return `${lineChart({ id: 'chart-emission', title: 'Emission: cumulative vs schedule (IO)', series, x0, x1, formatY: axisIo, xLabel: 'hour since genesis' })}
${barChart({
  id: 'chart-burns',
  title: 'IO burned per hour',
  name: 'burned (SPL Token burns of IO)',
  color: '#d9480f',
  bars: [...byHour.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  x0: burnWindowStart,
  x1,
  formatY: (v) => layerFormatIo(v, { thousands: ',', trim: true }),
  xLabel: 'hour since genesis',
  emptyMax: 100_000_000n,
})}
<p class="note" data-testid="history-scan">${esc(scan)}</p>`;
}

const STATE = ['committed', 'hired', 'paused', 'terminated'];

export function nodesTable(nodes: NodeRow[], n: Network): string {
  if (nodes.length === 0) return '<p class="empty">No node registered yet.</p>';
  const rows = nodes
    .map((r) => {
      const x = r.node;
      const eligible = x.eligibleFrom > n.now ? `from ${formatTs(x.eligibleFrom)}` : '';
      return `<tr data-node="${r.address}">
<td title="${r.address}">${esc(shortAddress(r.address))}<small>#${x.nodeId} · ${esc(shortAddress(x.supplier))}</small></td>
<td>${r.classId ?? '?'}<small>capex ${formatUsd(x.capexMicroUsd)}</small></td>
<td data-testid="node-state">${STATE[x.state] ?? x.state}${eligible ? `<small>${esc(eligible)}</small>` : ''}</td>
<td class="num" data-testid="node-stake" data-value="${r.activeStake}">${formatIo(r.activeStake)}<small>max ${formatIo(x.maxStake)}${r.coolingDown ? ` · cooling ${formatIo(r.coolingDown)}` : ''}</small></td>
<td class="num" data-testid="node-weight" data-value="${x.weight}">${formatUsd(x.weight)}/h</td>
<td class="num" data-testid="node-rewards" data-value="${x.totalRewarded}">${formatIo(x.totalRewarded)}<small>supplier ${formatIo(x.supplierUnclaimed)} · stakers ${formatIo(r.stakersUnclaimed)} unclaimed</small></td>
</tr>`;
    })
    .join('');
  return `<table class="table"><thead><tr><th>Node</th><th>Class</th><th>State</th><th class="num">Active stake (IO)</th><th class="num">Weight</th><th class="num">Rewarded (IO)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export type WalletView = {
  address: Address;
  ioBalance: bigint;
  usdcBalance: bigint;
  positions: PositionRow[];
  /** Exact claimable per position (simulated claim), when known. */
  claimable: Map<string, bigint>;
  reservations: ReservationRow[];
  lastClaim?: bigint;
};

export function walletBalances(w: WalletView): string {
  return `<dl class="figures compact">
${figure('wallet-io', 'IO balance', w.ioBalance, `${formatIo(w.ioBalance)} IO`)}
${figure('wallet-usdc', 'USDC balance', w.usdcBalance, `${formatUsdc(w.usdcBalance)} USDC`)}
${w.lastClaim !== undefined ? figure('last-claim', 'Last claim', w.lastClaim, `${formatIo(w.lastClaim)} IO`) : ''}
</dl>`;
}

export function stakeForm(nodes: NodeRow[]): string {
  if (!nodes.some((r) => r.node.state !== NodeState.Terminated)) return '<p class="empty">No node to stake on yet.</p>';
  const options = nodes
    .filter((r) => r.node.state !== NodeState.Terminated)
    .map((r) => `<option value="${r.address}">${esc(shortAddress(r.address))} · #${r.node.nodeId} · ${STATE[r.node.state]}</option>`)
    .join('');
  return `<form class="row" data-form="stake">
<label>Node <select name="node" data-testid="stake-node" required>${options}</select></label>
<label>Amount (IO) <input name="amount" data-testid="stake-amount" inputmode="decimal" placeholder="100" required></label>
<button type="submit" data-testid="stake-submit">Stake</button>
</form>`;
}

function lots(list: { amount: bigint; until: bigint }[], now: bigint, what: string): string {
  if (list.length === 0) return '';
  return list
    .map((l) => `<small>${formatIo(l.amount)} ${what} ${l.until > now ? `until ${formatTs(l.until)} (${formatDuration(l.until - now)})` : 'ended'}</small>`)
    .join('');
}

export function positionsTable(w: WalletView, now: bigint): string {
  if (w.positions.length === 0) return '<p class="empty" data-testid="no-positions">No stake position for this wallet.</p>';
  const rows = w.positions
    .map((p) => {
      const claimable = w.claimable.get(p.address);
      const unclaimed = claimable ?? p.unclaimedSettled;
      return `<tr data-position="${p.address}" data-node="${p.position.node}">
<td title="${p.position.node}">${esc(shortAddress(p.position.node))}</td>
<td class="num" data-testid="position-active" data-value="${p.active}">${formatIo(p.active)}${lots(p.locks, now, 'locked')}</td>
<td class="num" data-testid="position-cooldown" data-value="${p.coolingDown}">${formatIo(p.coolingDown)}${lots(p.cooldowns, now, 'cooling')}</td>
<td class="num" data-testid="position-unclaimed" data-value="${unclaimed}" data-exact="${claimable !== undefined}">${formatIo(unclaimed)}<small>${claimable !== undefined ? 'claimable now' : 'as of last settlement'}</small></td>
<td class="actions">
<span class="row"><input data-testid="unstake-amount" name="unstake-${p.address}" inputmode="decimal" placeholder="IO" size="8"><button data-action="unstake" data-testid="unstake" ${p.unstakable > 0n ? '' : 'disabled title="all stake is locked"'}>Unstake</button></span>
<button data-action="withdraw" data-testid="withdraw" ${p.withdrawable > 0n ? '' : 'disabled title="no cooldown has ended"'}>Withdraw ${p.withdrawable > 0n ? formatIo(p.withdrawable) : ''}</button>
<button data-action="claim" data-testid="claim" ${unclaimed > 0n ? '' : 'disabled title="nothing to claim"'}>Claim</button>
</td></tr>`;
    })
    .join('');
  return `<table class="table"><thead><tr><th>Node</th><th class="num">Active (IO)</th><th class="num">Cooling down (IO)</th><th class="num">Unclaimed (IO)</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function listingsTable(nodes: NodeRow[], n: Network): string {
  const listed = nodes.filter((r) => r.listing);
  if (listed.length === 0) return '<p class="empty">No node is listed for rent.</p>';
  const rows = listed
    .map((r) => {
      const l = r.listing!.data;
      const busy = l.activeReservation !== '11111111111111111111111111111111';
      const max = Math.min(l.maxHours, n.reservations.maxHours);
      return `<tr data-node="${r.address}" data-listing="${r.listing!.address}">
<td title="${r.address}">${esc(shortAddress(r.address))}<small>class ${r.classId ?? '?'} · ${STATE[r.node.state]}</small></td>
<td class="num" data-value="${l.priceMicroUsdPerHour}">${formatUsd(l.priceMicroUsdPerHour)}/h</td>
<td class="num">${max} h</td>
<td>${busy ? `<small>reserved (${esc(shortAddress(l.activeReservation))})</small>` : '<small>free</small>'}</td>
<td class="actions"><span class="row">
<input data-testid="reserve-hours" name="hours-${r.address}" inputmode="numeric" placeholder="hours" size="5">
<select data-testid="reserve-currency" name="currency-${r.address}"><option value="usdc">USDC</option><option value="io">IO</option></select>
<button data-action="reserve" data-testid="reserve" ${busy ? 'disabled title="already reserved"' : ''}>Reserve</button></span>
<small data-testid="reserve-quote"></small></td></tr>`;
    })
    .join('');
  return `<table class="table"><thead><tr><th>Node</th><th class="num">Price</th><th class="num">Longest</th><th>Status</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function reservationsTable(w: WalletView, now: bigint): string {
  if (w.reservations.length === 0) return '<p class="empty" data-testid="no-reservations">No reservation for this wallet.</p>';
  const rows = w.reservations
    .map(({ address, data: r }) => {
      const cur = r.currency === Currency.Io ? 'IO' : 'USDC';
      const fmt = r.currency === Currency.Io ? formatIo : formatUsdc;
      const end = r.startTs + BigInt(r.hours) * 3600n;
      const open = r.refundOwed === 0n;
      const delivered = now > r.startTs ? (now - r.startTs) / 3600n : 0n;
      return `<tr data-reservation="${address}">
<td title="${r.node}">${esc(shortAddress(r.node))}<small>#${r.id}</small></td>
<td>${r.hours} h<small>${formatTs(r.startTs)} → ${formatTs(end)}${now < end ? ` · ${delivered < BigInt(r.hours) ? delivered : r.hours} delivered` : ' · ended'}</small></td>
<td class="num" data-testid="reservation-deposit" data-value="${r.deposit}">${fmt(r.deposit)} ${cur}<small>settled ${r.settledHours} h · paid ${fmt(r.supplierPaid)} + fees ${fmt(r.feesPaid)}</small></td>
<td class="actions">${open ? `<button data-action="end-early" data-testid="end-early">End early</button>` : `<small>refund owed ${fmt(r.refundOwed)}</small>`}</td>
</tr>`;
    })
    .join('');
  return `<table class="table"><thead><tr><th>Node</th><th>Hours</th><th class="num">Deposit</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}
