// Fast checks of the page's pure modules (no browser, no endpoint): URL parameters and
// reservation quotes. The TypeScript sources are loaded through Vite's SSR module loader, so
// they run exactly as written (and @ngpu/client resolves as in the build).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createServer } from 'vite';
import { webDir } from '../scripts/localnet.mjs';

let server;
let params;
let quote;
let chain;
let wallet;
before(async () => {
  server = await createServer({ root: webDir, configFile: `${webDir}/vite.config.ts`, server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
  [params, quote, chain, wallet] = await Promise.all(['/src/params.ts', '/src/quote.ts', '/src/chain.ts', '/src/wallet.ts'].map((m) => server.ssrLoadModule(m)));
});
after(async () => {
  await server?.close();
});

const HREF = 'http://127.0.0.1:5173/';

test('URL parameters are bounded: a link cannot raise the slippage, hammer the endpoint or stop the page', () => {
  const p = (search) => params.pageParams(search, HREF);
  assert.deepEqual(
    (({ rpcUrl, refreshMs, slippageBps, timeoutMs, warnings }) => ({ rpcUrl, refreshMs, slippageBps, timeoutMs, warnings }))(p('')),
    { rpcUrl: 'http://127.0.0.1:8899/', refreshMs: 10_000, slippageBps: 100n, timeoutMs: 30_000, warnings: [] },
  );
  assert.equal(p('?slippageBps=250').slippageBps, 250n);
  for (const [search, bps] of [['?slippageBps=100000', 1_000n], ['?slippageBps=1e3', 100n], ['?slippageBps=abc', 100n], ['?slippageBps=-5', 100n], ['?slippageBps=', 100n]]) {
    const got = p(search);
    assert.equal(got.slippageBps, bps, search);
    assert.equal(got.warnings.length, 1, `${search}: said so`);
  }
  assert.equal(p('?refresh=0').refreshMs, 0);
  assert.equal(p('?refresh=1').refreshMs, 1_000);
  assert.equal(p('?refresh=abc').refreshMs, 10_000);
  assert.equal(p('?timeoutMs=1').timeoutMs, 500);
  assert.equal(p('?timeoutMs=1000').timeoutMs, 1_000);
  // The endpoint is the user's choice (shown on the page), resolved against the page.
  assert.equal(p('?rpc=/rpc').rpcUrl, 'http://127.0.0.1:5173/rpc');
  assert.equal(p('?rpc=https%3A%2F%2Fapi.devnet.solana.com').rpcUrl, 'https://api.devnet.solana.com/');
});

const NO_RESERVATION = '11111111111111111111111111111111';
const config = {
  paused: false,
  maxHours: 720,
  reservationFeeBps: 25,
  usdcPaymentFeeBps: 200,
  ioPaymentFeeBps: 100,
  maxPriceAgeSecs: 120,
  maxConfidenceBps: 200,
};
const listing = { priceMicroUsdPerHour: 2_500_000n, maxHours: 24, activeReservation: NO_RESERVATION };
// $2.50 ± $0.01 (exponent -8), published at t = 1000.
const price = { lowMicroUsd: 2_490_000n, highMicroUsd: 2_510_000n, publishTime: 1_000n, price: 250_000_000n, conf: 1_000_000n };
const q = (over = {}) =>
  quote.reservationQuote({ listing, nodeState: 0, config, price, now: 1_030n, hoursText: '2', currency: 'usdc', slippageBps: 100n, ...over });

test('quotes: the exact USDC deposit; an IO bound of the deposit plus the slippage', () => {
  const usdc = q();
  assert.equal(usdc.maxTotal, 5_000_000n + 12_500n + 100_000n);
  assert.equal(usdc.hours, 2);
  const io = q({ currency: 'io' });
  const principal = (5_000_000n * 100_000_000n + 2_490_000n - 1n) / 2_490_000n;
  assert.equal(io.deposit, quote.deposit(principal, 25, 100));
  assert.equal(io.maxTotal, (io.deposit * 10_100n) / 10_000n);
  assert.match(io.text, /^about [\d,.]+ IO, at most [\d,.]+ IO$/);
});

test('quotes: nothing to pay when the program would refuse the reservation', () => {
  for (const [what, over] of [
    ['0 hours', { hoursText: '0' }],
    ['more than the listing takes', { hoursText: '25' }],
    ['more than the config takes', { hoursText: '24', config: { ...config, maxHours: 12 } }],
    ['a huge number', { hoursText: '99999999999999999999' }],
    ['a fraction', { hoursText: '1.5' }],
    ['an exponent', { hoursText: '1e1' }],
    ['paused', { config: { ...config, paused: true } }],
    ['reserved', { listing: { ...listing, activeReservation: 'Dy1KUTgacRaiCAHnFFi3R5wtKQacztQwBCv2V5Tvh6Ei' } }],
    ['node paused', { nodeState: 2 }],
    ['no IO price', { currency: 'io', price: null }],
    ['stale IO price', { currency: 'io', now: 1_121n }],
    ['uncertain IO price', { currency: 'io', price: { ...price, conf: 5_000_001n } }],
  ]) {
    const got = q(over);
    assert.equal(got.maxTotal, undefined, `${what}: ${got.text}`);
    assert.ok(got.text.length > 0, `${what}: says why`);
  }
  // At the limits the program accepts: a price exactly max_age old, a band exactly at the limit.
  assert.ok(q({ currency: 'io', now: 1_120n }).maxTotal);
  assert.ok(q({ currency: 'io', price: { ...price, conf: 5_000_000n } }).maxTotal);
  assert.ok(q({ hoursText: ' 24 ' }).maxTotal);
});

test('the oracle account is read as the programs read it (low side floored, high side ceiled)', () => {
  const data = new Uint8Array(134);
  const view = new DataView(data.buffer);
  data[40] = 1; // fully verified
  view.setBigInt64(73, 250_000_001n, true); // price
  view.setBigUint64(81, 1_000_000n, true); // conf
  view.setInt32(89, -8, true); // exponent
  view.setBigInt64(93, 1_000n, true); // publish time
  const p = chain.readPrice(data);
  assert.deepEqual(p, { lowMicroUsd: 2_490_000n, highMicroUsd: 2_510_001n, publishTime: 1_000n, price: 250_000_001n, conf: 1_000_000n });
  data[40] = 0;
  assert.equal(chain.readPrice(data), null, 'partially verified');
});

test("the wallet's chain comes from the endpoint's genesis hash, whatever its URL says", () => {
  assert.equal(wallet.chainOfGenesis('5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d'), 'solana:mainnet');
  assert.equal(wallet.chainOfGenesis('EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG'), 'solana:devnet');
  assert.equal(wallet.chainOfGenesis('4uhcVJyU9pJkvQyS88uRDiswHXSCkY3zQawwpjk2NsNY'), 'solana:testnet');
  assert.equal(wallet.chainOfGenesis('2y6HWh7dzevWrBxhfyALB4bnL9Gq2TGgN7aLinzpYHxm'), 'solana:localnet');
});

test('a transaction the wallet sent and the chain confirmed is reported as sent even if its events cannot be read', async () => {
  // The endpoint confirms the signature but serves no transaction history (a common RPC setup):
  // the page must not say "failed" (the user would send it again).
  const tx = await server.ssrLoadModule('/src/tx.ts');
  const kit = await server.ssrLoadModule('@solana/kit');
  const signature = new Uint8Array(64).fill(7);
  const call = (value) => ({ send: async () => value });
  const rpc = {
    getLatestBlockhash: () => call({ value: { blockhash: '11111111111111111111111111111111', lastValidBlockHeight: 100n } }),
    getSignatureStatuses: () => call({ value: [{ err: null, confirmationStatus: 'confirmed' }] }),
    getBlockHeight: () => call(1n),
    getTransaction: () => ({ send: async () => Promise.reject(new Error('Transaction history is not available from this node')) }),
  };
  const payer = kit.address('Ccon7N2mpn1ksx5FbHPiGEdiZt45MNkYUXPNMz73CER9');
  const connection = { mode: 'signAndSend', signer: { address: payer, signAndSendTransactions: async (txs) => txs.map(() => signature) } };
  const sent = await tx.sendWithWallet(rpc, connection, []);
  assert.equal(sent.signature, kit.getBase58Decoder().decode(signature));
  assert.deepEqual(sent.events, []);
  assert.match(String(sent.eventsError), /history is not available/);
});
