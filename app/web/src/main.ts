import { createDefaultRpcTransport, createSolanaRpcFromTransport, type Address, type Instruction, type RpcTransport } from '@solana/kit';
import type { IdentifierString } from '@wallet-standard/base';
import './style.css';
import {
  loadNetwork,
  loadNodes,
  loadPositions,
  loadReservations,
  type Network,
  type NodeRow,
  type Rpc,
} from './chain';
import {
  claimStakeRewards,
  Currency,
  endEarly,
  eventsNamed,
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  IO_MINT,
  nextReservation,
  parseIo,
  requestUnstake,
  reserve,
  stake,
  tokenBalance,
  withdraw,
} from './client';
import { esc, shortAddress } from './format';
import { loadHistory, type History } from './history';
import { pageParams } from './params';
import { NO_RESERVATION, reservationQuote, type Quote } from './quote';
import { describeError, sendWithWallet, simulateTokenBalances } from './tx';
import {
  formatIo,
  listingsTable,
  networkCharts,
  networkFigures,
  nodesTable,
  positionsTable,
  reservationsTable,
  stakeForm,
  walletBalances,
  type WalletView,
} from './views';
import { chainOfGenesis, connect, onWalletsChanged, usableWallets, type Connection } from './wallet';

// ---- configuration (params.ts): ?rpc=URL, ?refresh=ms, ?slippageBps=, ?timeoutMs=, bounded.
const { rpcUrl, refreshMs, slippageBps, timeoutMs, warnings } = pageParams(location.search, location.href, import.meta.env.VITE_NGPU_RPC);

/** The default HTTP transport, with every request abandoned after `timeoutMs`: an endpoint that
 * never answers fails the refresh (and frees the page) instead of holding it forever. */
function timedTransport(url: string, ms: number): RpcTransport {
  const base = createDefaultRpcTransport({ url });
  return (async (config: Parameters<RpcTransport>[0]) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = config.signal ? AbortSignal.any([config.signal, timeout]) : timeout;
    try {
      return await base({ ...config, signal });
    } catch (e) {
      if (timeout.aborted) throw new Error(`no answer in ${ms / 1000} s (timed out)`);
      throw e;
    }
  }) as RpcTransport;
}
const rpc: Rpc = createSolanaRpcFromTransport(timedTransport(rpcUrl, timeoutMs));
/** The endpoint's chain id for wallets, from its genesis hash (asked once, at the first connect). */
let chain: Promise<IdentifierString> | undefined;
const chainId = () =>
  (chain ??= rpc
    .getGenesisHash()
    .send()
    .then(chainOfGenesis)
    .catch((e) => {
      chain = undefined;
      throw e;
    }));

// ---- state
let network: Network | undefined;
let nodes: NodeRow[] = [];
let history: History | null = null;
let connection: Connection | undefined;
let wallet: WalletView | undefined;
let lastClaim: bigint | undefined;
let busy = false;
let refreshes = 0;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Debug hooks the browser test reads (timings); nothing sensitive. */
const hooks = ((window as unknown as { __ngpu: Record<string, unknown> }).__ngpu = { rpcUrl } as Record<string, unknown>);

function setStatus(state: 'idle' | 'pending' | 'confirmed' | 'error', text: string) {
  const el = $('status');
  el.dataset.state = state;
  el.innerHTML = text;
}

/** Replaces a region's HTML, keeping what the user typed in its inputs (by name). */
function render(id: string, html: string) {
  const el = $(id);
  const kept = new Map<string, string>();
  el.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[name], select[name]').forEach((i) => kept.set(i.name, i.value));
  const focused = (document.activeElement as HTMLInputElement | null)?.name;
  el.innerHTML = html;
  el.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[name], select[name]').forEach((i) => {
    const v = kept.get(i.name);
    if (v !== undefined && (i.tagName === 'INPUT' || [...(i as HTMLSelectElement).options].some((o) => o.value === v))) i.value = v;
    if (focused && i.name === focused) i.focus();
  });
}

// ---- loading
async function loadWallet(c: Connection, n: Network): Promise<WalletView> {
  const usdcMint = n.reservations.usdcMint;
  const [ioAta, usdcAta] = await Promise.all([findAssociatedTokenPda(c.address, IO_MINT), findAssociatedTokenPda(c.address, usdcMint)]);
  const [ioBalance, usdcBalance, positions, reservations] = await Promise.all([
    tokenBalance(rpc, ioAta),
    tokenBalance(rpc, usdcAta),
    loadPositions(rpc, c.address, nodes, n.now),
    loadReservations(rpc, c.address),
  ]);
  // What a claim would pay right now, hours cranked since the node's last settlement included:
  // the program's own answer, from a simulation of the claim (no signature needed).
  const claimable = new Map<string, bigint>();
  await Promise.all(
    positions
      .filter((p) => p.active > 0n || p.unclaimedSettled > 0n)
      .map(async (p) => {
        try {
          const ixs = [
            await getCreateAssociatedTokenIdempotentInstruction({ payer: c.signer, owner: c.address, mint: IO_MINT }),
            await claimStakeRewards({ staker: c.signer, node: p.position.node }),
          ];
          const after = await simulateTokenBalances(rpc, c.address, ixs, [ioAta]);
          if (after) claimable.set(p.address, after[0]! - ioBalance);
        } catch {
          /* the settled figure stays */
        }
      }),
  );
  return { address: c.address, ioBalance, usdcBalance, positions, claimable, reservations, lastClaim };
}

let refreshing: Promise<void> | undefined;
let again = false;

async function refreshOnce() {
  const t0 = performance.now();
  network = await loadNetwork(rpc);
  render('network-figures', networkFigures(network));
  if (hooks.figuresAt === undefined) hooks.figuresAt = performance.now();
  nodes = await loadNodes(rpc);
  render('nodes-table', nodesTable(nodes, network));
  render('listings', listingsTable(nodes, network));
  updateQuotes();
  if (connection) {
    wallet = await loadWallet(connection, network);
    renderWallet();
  }
  render('network-charts', networkCharts(network, history));
  refreshes += 1;
  document.body.dataset.refreshes = String(refreshes);
  hooks.lastRefreshMs = performance.now() - t0;
  // History last: it never holds up the figures.
  const n = network;
  loadHistory(rpc)
    .then((h) => {
      history = h;
      if (network === n) render('network-charts', networkCharts(n, h));
      document.body.dataset.history = String(refreshes);
    })
    .catch((e) => console.warn('history', e));
}

function refresh(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      do {
        again = false;
        await refreshOnce();
      } while (again);
      document.body.dataset.error = '';
    } catch (e) {
      document.body.dataset.error = String(e);
      setStatus('error', `Cannot read ${esc(rpcUrl)}: ${esc((e as Error).message ?? e)}`);
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

// ---- wallet
function renderWalletBar() {
  const el = $('wallet');
  if (connection) {
    el.innerHTML = `<span data-testid="wallet-address" data-value="${connection.address}" title="${connection.address}">${esc(connection.wallet.name)} · ${esc(shortAddress(connection.address))}</span> <button data-action="disconnect">Disconnect</button>`;
    return;
  }
  const wallets = usableWallets();
  el.innerHTML = wallets.length
    ? wallets
        .map((w, i) => `<button data-action="connect" data-wallet="${i}" data-testid="connect-wallet" title="${esc(w.name)}">${w.icon ? `<img src="${esc(w.icon)}" alt="">` : ''}Connect ${esc(w.name)}</button>`)
        .join(' ')
    : '<small>No Wallet Standard wallet found</small>';
}

function renderWallet() {
  if (!connection || !wallet || !network) {
    render('staker-body', '<p class="empty">Connect a wallet to stake, unstake, withdraw and claim.</p>');
    render('reservations', '<p class="empty">Connect a wallet to reserve nodes.</p>');
    return;
  }
  render(
    'staker-body',
    `${walletBalances(wallet)}${stakeForm(nodes)}<div id="positions">${positionsTable(wallet, network.now)}</div>`,
  );
  render('reservations', reservationsTable(wallet, network.now));
}

/** Forgets the connection (its figures included); `why` goes to the status line. */
function dropConnection(why?: string) {
  connection = undefined;
  wallet = undefined;
  lastClaim = undefined;
  renderWalletBar();
  renderWallet();
  if (why) setStatus('idle', esc(why));
}

// ---- transactions
async function run(label: string, build: (c: Connection) => Promise<Instruction[]>, after?: (events: Awaited<ReturnType<typeof sendWithWallet>>['events']) => void) {
  if (!connection) return setStatus('error', 'Connect a wallet first.');
  if (busy) return;
  busy = true;
  document.body.dataset.busy = '1';
  let instructions: Instruction[] = [];
  try {
    setStatus('pending', `${esc(label)}: building…`);
    instructions = await build(connection);
    setStatus('pending', `${esc(label)}: waiting for ${esc(connection.wallet.name)}…`);
    const sent = await sendWithWallet(rpc, connection, instructions);
    after?.(sent.events);
    const unread = sent.eventsError ? ` (its events could not be read: ${esc((sent.eventsError as Error).message ?? sent.eventsError)})` : '';
    setStatus('confirmed', `${esc(label)}: confirmed <code data-testid="tx-signature">${esc(sent.signature)}</code>${unread}`);
    await refresh();
  } catch (e) {
    console.error(e);
    setStatus('error', `${esc(label)} failed: ${esc(describeError(e, instructions))}`);
    // What made it fail (a listing reserved meanwhile, a lock, a spent balance) shows at once.
    await refresh();
  } finally {
    busy = false;
    document.body.dataset.busy = '';
  }
}

/** Empties an input after its action went through (before the refresh re-renders it). */
function clearInput(selector: string) {
  const input = document.querySelector<HTMLInputElement>(selector);
  if (input) input.value = '';
}

function rowOf(el: Element, attr: string): string {
  const row = el.closest(`[data-${attr}]`) as HTMLElement | null;
  const v = row?.dataset[attr];
  if (!v) throw new Error(`no ${attr} for this row`);
  return v;
}

function quoteFor(node: Address, hoursText: string, currency: string): Quote {
  const row = nodes.find((r) => r.address === node);
  if (!row?.listing || !network) return { text: '' };
  return reservationQuote({
    listing: row.listing.data,
    nodeState: row.node.state,
    config: network.reservations,
    price: network.price,
    now: network.now,
    hoursText,
    currency: currency === 'io' ? 'io' : 'usdc',
    slippageBps,
  });
}

function updateQuotes() {
  document.querySelectorAll<HTMLElement>('#listings tr[data-node]').forEach((row) => {
    const node = row.dataset.node as Address;
    const hours = row.querySelector<HTMLInputElement>('[data-testid="reserve-hours"]')?.value ?? '';
    const cur = row.querySelector<HTMLSelectElement>('[data-testid="reserve-currency"]')?.value ?? 'usdc';
    const out = row.querySelector<HTMLElement>('[data-testid="reserve-quote"]');
    if (out) out.textContent = quoteFor(node, hours, cur).text;
  });
}

document.addEventListener('input', (e) => {
  if ((e.target as HTMLElement).closest('#listings')) updateQuotes();
});

document.addEventListener('submit', (e) => {
  const form = e.target as HTMLFormElement;
  if (form.dataset.form !== 'stake') return;
  e.preventDefault();
  const data = new FormData(form);
  const node = String(data.get('node')) as Address;
  let amount: bigint;
  try {
    amount = parseIo(String(data.get('amount')));
    if (amount <= 0n) throw new Error('the amount must be more than zero');
  } catch (err) {
    return setStatus('error', esc((err as Error).message));
  }
  void run(
    `Stake ${formatIo(amount)} IO on ${shortAddress(node)}`,
    async (c) => [await stake({ staker: c.signer, node, amount })],
    () => clearInput('[data-testid="stake-amount"]'),
  );
});

document.addEventListener('click', (e) => {
  const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
  if (!button || button.disabled) return;
  const action = button.dataset.action;
  try {
    switch (action) {
      case 'connect': {
        const w = usableWallets()[Number(button.dataset.wallet)];
        if (!w) return;
        setStatus('pending', `Connecting ${esc(w.name)}…`);
        chainId()
          .then((id) => connect(w, id, () => void refresh(), () => dropConnection(`${w.name} switched accounts: connect again`)))
          .then(async (c) => {
            connection = c;
            renderWalletBar();
            setStatus('idle', `Connected ${esc(c.address)} (${esc(await chainId())})`);
            await refresh();
          })
          .catch((err) => setStatus('error', `Connection refused: ${esc((err as Error).message ?? err)}`));
        return;
      }
      case 'disconnect':
        void connection?.disconnect();
        dropConnection();
        return;
      case 'refresh':
        void refresh();
        return;
      case 'unstake': {
        const node = rowOf(button, 'node') as Address;
        const input = button.parentElement?.querySelector<HTMLInputElement>('input');
        const amount = parseIo(input?.value ?? '');
        if (amount <= 0n) throw new Error('the amount must be more than zero');
        void run(
          `Unstake ${formatIo(amount)} IO`,
          async (c) => [await requestUnstake({ staker: c.signer, node, amount })],
          () => clearInput(`#positions tr[data-node="${node}"] [data-testid="unstake-amount"]`),
        );
        return;
      }
      case 'withdraw': {
        const node = rowOf(button, 'node') as Address;
        void run('Withdraw', async (c) => [
          await getCreateAssociatedTokenIdempotentInstruction({ payer: c.signer, owner: c.address, mint: IO_MINT }),
          await withdraw({ staker: c.signer, node }),
        ]);
        return;
      }
      case 'claim': {
        const node = rowOf(button, 'node') as Address;
        void run(
          'Claim rewards',
          async (c) => [
            await getCreateAssociatedTokenIdempotentInstruction({ payer: c.signer, owner: c.address, mint: IO_MINT }),
            await claimStakeRewards({ staker: c.signer, node }),
          ],
          (events) => {
            const claims = eventsNamed(events, 'staking', 'RewardsClaimed');
            // No event read (an endpoint without history): the amount is unknown, not zero.
            lastClaim = claims.length ? claims.reduce((s, ev) => s + ev.amount, 0n) : undefined;
          },
        );
        return;
      }
      case 'reserve': {
        const node = rowOf(button, 'node') as Address;
        const row = button.closest('tr')!;
        const hoursText = row.querySelector<HTMLInputElement>('[data-testid="reserve-hours"]')?.value ?? '';
        const cur = row.querySelector<HTMLSelectElement>('[data-testid="reserve-currency"]')?.value ?? 'usdc';
        const q = quoteFor(node, hoursText, cur);
        if (q.maxTotal === undefined || q.hours === undefined) throw new Error(q.text || 'enter whole hours');
        if (!network) throw new Error('listing not loaded');
        const { usdcMint, priceFeed } = network.reservations;
        const currency = cur === 'io' ? Currency.Io : Currency.Usdc;
        const mint = currency === Currency.Io ? IO_MINT : usdcMint;
        void run(`Reserve ${q.hours} h of ${shortAddress(node)} (${q.text})`, async (c) => {
          // The reservation's id (its address seed) is the listing's count now, not at the last
          // refresh: another renter may have reserved since.
          const { id, listing } = await nextReservation(rpc, node);
          if (listing.data.activeReservation !== NO_RESERVATION) throw new Error('the node was reserved meanwhile');
          return [
            await getCreateAssociatedTokenIdempotentInstruction({ payer: c.signer, owner: c.address, mint }),
            await reserve({
              renter: c.signer,
              node,
              id,
              hours: q.hours!,
              currency,
              maxTotal: q.maxTotal!,
              usdcMint,
              priceFeed,
            }),
          ];
        }, () => clearInput(`#listings tr[data-node="${node}"] [data-testid="reserve-hours"]`));
        return;
      }
      case 'end-early': {
        const address = rowOf(button, 'reservation');
        const r = wallet?.reservations.find((x) => x.address === address);
        if (!r || !network) throw new Error('reservation not loaded');
        const usdcMint = network.reservations.usdcMint;
        const account = { address: r.address, data: r.data } as unknown as Parameters<typeof endEarly>[0]['reservation'];
        void run('End reservation early', async (c) => [await endEarly({ renter: c.signer, reservation: account, usdcMint })]);
        return;
      }
    }
  } catch (err) {
    setStatus('error', esc((err as Error).message ?? err));
  }
});

// ---- start
$('rpc-url').textContent = rpcUrl;
if (warnings.length) setStatus('idle', esc(warnings.join('; ')));
renderWalletBar();
renderWallet();
onWalletsChanged(renderWalletBar);
void refresh();
if (refreshMs > 0) setInterval(() => void refresh(), refreshMs);
