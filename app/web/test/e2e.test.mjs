// Browser test of the dashboard: builds it (vite build), starts ngpu-localnet on free ports,
// serves the build, opens it in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core) and checks the figures against what the chain says, then runs the staker's
// flow (stake, warp + crank, claim; unstake, withdraw) and the renter's (reserve, end early)
// through the page's Wallet Standard path with a test wallet backed by the staker's keypair.
// Writes test-output/dashboard.png (the CI artifact) and test-output/metrics.json.
//
// Env: NGPU_LOCALNET_BIN, NGPU_BIN (default <repo>/target/debug/...), CHROMIUM_BIN
// (default /usr/bin/chromium), NGPU_WEB_SKIP_BUILD=1 to reuse dist/.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  address,
  createKeyPairFromBytes,
  getAddressEncoder,
  getProgramDerivedAddress,
  getTransactionDecoder,
  getTransactionEncoder,
  partiallySignTransaction,
} from '@solana/kit';
import { chromium } from 'playwright-core';
import { binary, startLocalnet, stop, webDir } from '../scripts/localnet.mjs';

const run = promisify(execFile);
const outDir = join(webDir, 'test-output');
const distDir = join(webDir, 'dist');
const IO = 100_000_000n;
const TOKEN_PROGRAM = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
const ATA_PROGRAM = address('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL');

/** Every child process and server, ended on every exit path. */
const children = [];
const closers = [];
async function cleanup() {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
  await Promise.allSettled(children.splice(0).map((c) => stop(c)));
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => cleanup().finally(() => process.exit(130)));
}
process.once('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

function measureBundle() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(distDir);
  let raw = 0;
  let gzip = 0;
  const byFile = {};
  for (const f of files) {
    const bytes = readFileSync(f);
    const g = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += g;
    byFile[f.slice(distDir.length + 1)] = { raw: bytes.length, gzip: g };
  }
  return { raw, gzip, files: byFile };
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** A tiny static server for dist/ on a free port. */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, path);
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      statSync(file);
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

async function rpcCall(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const le = (bytes) => bytes.reduceRight((v, b) => (v << 8n) | BigInt(b), 0n);

async function chainNow(url) {
  const r = await rpcCall(url, 'getAccountInfo', ['SysvarC1ock11111111111111111111111111111111', { encoding: 'base64' }]);
  const data = Buffer.from(r.value.data[0], 'base64');
  return BigInt.asIntN(64, le([...data.subarray(32, 40)]));
}

async function ata(owner, mint) {
  const enc = getAddressEncoder();
  const [a] = await getProgramDerivedAddress({
    programAddress: ATA_PROGRAM,
    seeds: [enc.encode(address(owner)), enc.encode(TOKEN_PROGRAM), enc.encode(address(mint))],
  });
  return a;
}

async function balance(url, account) {
  try {
    return BigInt((await rpcCall(url, 'getTokenAccountBalance', [account, { commitment: 'confirmed' }])).value.amount);
  } catch {
    return 0n;
  }
}

test('dashboard: network figures, staker and renter flows through a Wallet Standard wallet', { timeout: 600_000 }, async () => {
  const started = Date.now();
  const metrics = { started: new Date(started).toISOString() };
  mkdirSync(outDir, { recursive: true });
  let page;
  let localnetDir;
  let passed = false;
  try {
    // 1. Build.
    if (process.env.NGPU_WEB_SKIP_BUILD !== '1') {
      const t = Date.now();
      const built = spawnSync(join(webDir, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: webDir, encoding: 'utf8' });
      assert.equal(built.status, 0, `vite build failed:\n${built.stdout}\n${built.stderr}`);
      metrics.buildMs = Date.now() - t;
    }
    metrics.bundle = measureBundle();

    // 2. Local endpoint, 3. static server, 4. browser.
    const ngpu = binary('NGPU_BIN', 'ngpu');
    const t1 = Date.now();
    const { banner, keypair, dir } = await startLocalnet({ children });
    localnetDir = dir;
    metrics.localnetReadyMs = Date.now() - t1;
    const url = banner.rpc_url;
    const cli = async (...args) => {
      const { stdout } = await run(ngpu, args, { maxBuffer: 16 << 20 });
      return stdout;
    };
    const cliJson = async (...args) => JSON.parse(await cli(...args, '-u', url, '--output', 'json'));
    const server = await serve(distDir);
    closers.push(() => new Promise((done) => server.close(done)));
    const base = `http://127.0.0.1:${server.address().port}`;

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
    closers.push(() => browser.close());
    const walletSource = readFileSync(join(webDir, 'test', 'test-wallet.js'), 'utf8').trim().replace(/;$/, '');
    let signatures = 0;
    /**
     * A browser context whose page sees a Wallet Standard wallet for `who` (a banner keypair):
     * mode 'sign' (the page sends) or 'signAndSend' (the wallet, i.e. this process, sends).
     */
    const walletPage = async (who, mode, { tamper = false, name, chains } = {}) => {
      const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
      const secret = Uint8Array.from(JSON.parse(readFileSync(who.path, 'utf8')));
      const keyPair = await createKeyPairFromBytes(secret);
      const sign = async (base64) => {
        let tx = getTransactionDecoder().decode(Buffer.from(base64, 'base64'));
        if (tamper) {
          // A wallet that rewrites what it was given and signs its own version: the low byte of
          // the last instruction's u64 argument (a v0 message ends with it, then the lookup
          // table count), e.g. a stake of 1 IO becomes 1 IO + 255 base units.
          const bytes = new Uint8Array(tx.messageBytes);
          bytes[bytes.length - 9] ^= 0xff;
          tx = { ...tx, messageBytes: bytes };
        }
        signatures += 1;
        return partiallySignTransaction([keyPair], tx);
      };
      await context.exposeBinding('__ngpuTestWalletSign', async (_source, base64) =>
        Buffer.from(getTransactionEncoder().encode(await sign(base64))).toString('base64'),
      );
      await context.exposeBinding('__ngpuTestWalletSignAndSend', async (_source, base64) => {
        const signed = await sign(base64);
        await rpcCall(url, 'sendTransaction', [Buffer.from(getTransactionEncoder().encode(signed)).toString('base64'), { encoding: 'base64', preflightCommitment: 'confirmed' }]);
        return Buffer.from(signed.signatures[who.pubkey]).toString('base64');
      });
      const arg = { address: who.pubkey, publicKey: [...secret.subarray(32)], name: name ?? (mode === 'sign' ? 'NGPU Test Wallet' : 'NGPU Test Sender'), mode, chains };
      await context.addInitScript({ content: `(${walletSource})(${JSON.stringify(arg)});` });
      return context.newPage();
    };

    // The test wallet: the staker's keypair signs in this process, the page sees a Wallet
    // Standard wallet.
    const staker = keypair('staker');
    page = await walletPage(staker, 'sign');
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    // 5. Load: navigation to the network figures visible.
    const t2 = Date.now();
    await page.goto(`${base}/?rpc=${encodeURIComponent(url)}&refresh=0`);
    await page.waitForSelector('[data-testid="current-hour"]', { timeout: 30_000 });
    metrics.pageLoadMs = Date.now() - t2;
    metrics.pageFiguresAtMs = await page.evaluate(() => Math.round(window.__ngpu.figuresAt));
    metrics.pageDomContentLoadedMs = await page.evaluate(() => Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));
    // Again with a warm browser (the first navigation also pays the renderer's start).
    const t3 = Date.now();
    await page.reload();
    await page.waitForSelector('[data-testid="current-hour"]', { timeout: 30_000 });
    metrics.pageReloadMs = Date.now() - t3;
    metrics.pageReloadFiguresAtMs = await page.evaluate(() => Math.round(window.__ngpu.figuresAt));

    // 5b. Endpoints that are down, answer garbage (with HTML in their error text) or never
    // answer: the page says so in its status line, renders none of it as HTML, and a request
    // that hangs times out (?timeoutMs) instead of freezing every later refresh.
    const hostile = async (handler) => {
      const server = createServer((req, res) => {
        res.setHeader('access-control-allow-origin', '*');
        res.setHeader('access-control-allow-headers', '*');
        if (req.method === 'OPTIONS') return res.writeHead(204).end();
        handler(req, res);
      });
      await new Promise((done) => server.listen(0, '127.0.0.1', done));
      closers.push(() => new Promise((done) => (server.closeAllConnections(), server.close(done))));
      return `http://127.0.0.1:${server.address().port}/`;
    };
    const down = await hostile(() => {});
    closers.pop()();
    const garbage = await hostile((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: '<img src=x onerror="window.__xss=1">no such thing' } }));
    });
    const hang = await hostile(() => {});
    const probe = await browser.newPage();
    for (const [what, endpoint] of [['down', down], ['garbage', garbage], ['hang', hang]]) {
      await probe.goto(`${base}/?rpc=${encodeURIComponent(endpoint)}&refresh=0&timeoutMs=1000`);
      const shown = await probe
        .waitForFunction(() => document.getElementById('status').dataset.state === 'error', null, { timeout: 5_000 })
        .then(() => true, () => false);
      assert.ok(shown, `RPC ${what}: the page shows no error after 5 s (status: ${JSON.stringify(await probe.textContent('[data-testid="status"]'))}, figures: ${JSON.stringify(await probe.textContent('#network-figures'))})`);
      const status = await probe.textContent('[data-testid="status"]');
      assert.match(status, /Cannot read/, `RPC ${what}: ${status}`);
      assert.equal(await probe.locator('#status img, #status script').count(), 0, `RPC ${what}: no markup from the endpoint`);
      assert.equal(await probe.evaluate(() => window.__xss), undefined, `RPC ${what}: no script ran`);
    }
    assert.match(await probe.textContent('[data-testid="status"]'), /1 s|timed out|timeout/i, 'the hanging endpoint timed out');
    await probe.close();

    const value = async (testid, scope = page) => BigInt(await scope.locator(`[data-testid="${testid}"]`).first().getAttribute('data-value'));
    const text = async (testid) => (await page.locator(`[data-testid="${testid}"]`).first().textContent()).trim();
    const refreshes = async () => Number((await page.evaluate(() => document.body.dataset.refreshes)) ?? 0);
    const refresh = async () => {
      const n = await refreshes();
      await page.click('[data-testid="refresh"]');
      await page.waitForFunction((k) => Number(document.body.dataset.refreshes) > k, n, { timeout: 30_000 });
    };
    const waitTx = async (what) => {
      await page.waitForFunction(() => ['confirmed', 'error'].includes(document.getElementById('status').dataset.state), null, { timeout: 60_000 });
      const state = await page.getAttribute('[data-testid="status"]', 'data-state');
      const status = await text('status');
      assert.equal(state, 'confirmed', `${what}: ${status}`);
      // `run` refreshes after a confirmed transaction; wait for it to finish.
      await page.waitForFunction(() => !document.body.dataset.busy, null, { timeout: 30_000 });
      return status;
    };

    /** The network figures against the chain: the CLI's reading of io-token, RPC for the rest. */
    const checkNetwork = async () => {
      await refresh();
      const cfg = (await cliJson('config', 'show', '--program', 'io-token')).config;
      const field = (name) => BigInt(new RegExp(`${name}: (-?\\d+)`).exec(cfg)[1]);
      const supply = BigInt((await rpcCall(url, 'getTokenSupply', [banner.io_mint])).value.amount);
      const hour = (await chainNow(url) - field('genesis_ts')) / 3600n;
      const shown = {
        genesis: await value('genesis-minted'),
        minted: await value('emission-minted'),
        forfeited: await value('emission-forfeited'),
        nextHour: await value('next-hour'),
        supply: await value('supply'),
        burned: await value('burned'),
        currentHour: await value('current-hour'),
        scheduleDue: await value('schedule-due'),
      };
      assert.equal(shown.genesis, field('genesis_minted'), 'genesis minted');
      assert.equal(shown.minted, field('emission_minted'), 'emission minted');
      assert.equal(shown.forfeited, field('emission_forfeited'), 'emission forfeited');
      assert.equal(shown.nextHour, field('next_hour'), 'next hour');
      assert.equal(shown.supply, supply, 'supply');
      assert.equal(shown.burned, field('genesis_minted') + field('emission_minted') - supply, 'burned');
      // The clock may tick into the next hour between the page's read and ours.
      assert.ok(shown.currentHour === hour || shown.currentHour + 1n === hour, `current hour ${shown.currentHour} vs ${hour}`);
      // C(h) is the cumulative total at the end of hour h - 1.
      const due = shown.currentHour === 0n
        ? 0n
        : BigInt(JSON.parse(await cli('emission', '--hour', String(shown.currentHour - 1n), '--output', 'json')).cumulative);
      assert.equal(shown.scheduleDue, due, 'schedule C(current hour) equals `ngpu emission`');
      assert.equal(await text('supply'), `${formatIo(supply)} IO`, 'supply as text');
      return shown;
    };
    const before = await checkNetwork();
    metrics.networkAtStart = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, String(v)]));

    // 6. Staker: a node to stake on (registered by the supplier through the CLI).
    const supplier = keypair('supplier');
    const registered = await cliJson('node', 'register', '--id', '1', '--class', '0', '-k', supplier.path);
    const node = registered.node;
    await refresh();
    await page.waitForSelector(`#nodes-table tr[data-node="${node}"]`);

    await page.click('[data-testid="connect-wallet"]');
    await page.waitForSelector(`[data-testid="wallet-address"][data-value="${staker.pubkey}"]`);
    await page.waitForSelector('[data-testid="wallet-io"]');
    const ioAta = await ata(staker.pubkey, banner.io_mint);
    const io0 = await balance(url, ioAta);
    assert.equal(await value('wallet-io'), io0, 'page IO balance = chain');

    await page.selectOption('[data-testid="stake-node"]', node);
    await page.fill('[data-testid="stake-amount"]', '500');
    // A double click submits twice: one transaction only.
    await page.dblclick('[data-testid="stake-submit"]');
    await waitTx('stake');
    const io1 = await balance(url, ioAta);
    assert.equal(io0 - io1, 500n * IO, 'stake moved exactly 500 IO');
    const position = `tr[data-node="${node}"][data-position]`;
    await page.waitForSelector(position);
    assert.equal(await value('position-active', page.locator(position)), 500n * IO, 'position shows 500 IO active');
    const chainPosition = (await cliJson('position', 'show', '-k', staker.path))[0];
    assert.equal(BigInt(chainPosition.active.base), 500n * IO, 'CLI sees the same position');
    assert.equal(await value('wallet-io'), io1, 'page IO balance after the stake');

    // 7. Hours pass, the keeper cranks them.
    const keeper = keypair('keeper');
    const crank = () => cli('keeper', '--once', '-u', url, '-k', keeper.path, '--metrics-addr', '127.0.0.1:0');
    await run(binary('NGPU_LOCALNET_BIN', 'ngpu-localnet'), ['warp', '--hours', '3', '-u', url]);
    await crank();
    const afterCrank = await checkNetwork();
    assert.ok(afterCrank.nextHour > before.nextHour, 'the crank processed the ended hours');
    assert.ok(afterCrank.minted > before.minted, 'rewards were minted for the staked node');
    const claimable = await value('position-unclaimed', page.locator(position));
    assert.equal(await page.getAttribute(`${position} [data-testid="position-unclaimed"]`, 'data-exact'), 'true', 'claimable from a simulated claim');
    assert.ok(claimable > 0n, 'something to claim');

    // 8. Claim through the page: the balance change on chain equals what the page shows.
    await page.click(`${position} [data-testid="claim"]`);
    await waitTx('claim');
    const io2 = await balance(url, ioAta);
    const claimed = io2 - io1;
    assert.ok(claimed > 0n, 'the claim paid IO');
    assert.equal(claimed, claimable, 'the claim paid what the page said was claimable');
    assert.equal(await value('last-claim'), claimed, 'page: last claim = balance change on chain');
    assert.equal(await value('wallet-io'), io2, 'page IO balance = chain after the claim');
    metrics.claimedBaseUnits = String(claimed);
    await page.screenshot({ path: join(outDir, 'dashboard.png'), fullPage: true });

    // 9. Unstake (after the 7-day lock) and withdraw (after the 7-day cooldown).
    await run(binary('NGPU_LOCALNET_BIN', 'ngpu-localnet'), ['warp', '--hours', '169', '-u', url]);
    await crank();
    await refresh();
    await page.fill(`${position} [data-testid="unstake-amount"]`, '100');
    await page.click(`${position} [data-testid="unstake"]`);
    await waitTx('unstake');
    assert.equal(await value('position-cooldown', page.locator(position)), 100n * IO, '100 IO cooling down');
    assert.equal(await value('position-active', page.locator(position)), 400n * IO, '400 IO still active');
    await run(binary('NGPU_LOCALNET_BIN', 'ngpu-localnet'), ['warp', '--hours', '169', '-u', url]);
    await crank();
    await refresh();
    const io3 = await balance(url, ioAta);
    await page.click(`${position} [data-testid="withdraw"]`);
    await waitTx('withdraw');
    const io4 = await balance(url, ioAta);
    assert.equal(io4 - io3, 100n * IO, 'withdraw returned the 100 IO');
    assert.equal(await value('wallet-io'), io4, 'page IO balance = chain after the withdrawal');

    // 10. Renter: the supplier lists the node; the wallet reserves 2 hours in USDC, then ends early.
    await cliJson('listing', 'set', '--node', node, '--price', '2.5', '--max-hours', '24', '-k', supplier.path);
    await refresh();
    const listingRow = `#listings tr[data-node="${node}"]`;
    await page.waitForSelector(listingRow);
    // 10'. Quotes: a link's ?slippageBps cannot raise the IO bound past 10% (nor break the page
    // when it is not a number), and hours the program refuses get no price.
    const quotes = await browser.newPage();
    const quoteOf = async (hours, currency) => {
      await quotes.fill(`${listingRow} [data-testid="reserve-hours"]`, hours);
      await quotes.selectOption(`${listingRow} [data-testid="reserve-currency"]`, currency);
      return (await quotes.textContent(`${listingRow} [data-testid="reserve-quote"]`)).trim();
    };
    const ioAmounts = (quote) => [...quote.matchAll(/([\d,]+\.\d{8}) IO/g)].map((m) => BigInt(m[1].replace(/[,.]/g, '')));
    for (const slippage of ['100000', '1e3', 'abc']) {
      await quotes.goto(`${base}/?rpc=${encodeURIComponent(url)}&refresh=0&slippageBps=${slippage}`);
      await quotes.waitForSelector(listingRow, { timeout: 10_000 });
      const [about, most] = ioAmounts(await quoteOf('2', 'io'));
      assert.ok(about > 0n && most <= (about * 11_000n) / 10_000n, `slippageBps=${slippage}: at most ${most} for about ${about}`);
    }
    for (const hours of ['25', '0', '99999999999999999999']) {
      assert.doesNotMatch(await quoteOf(hours, 'usdc'), /pay|USDC/, `${hours} hours: no price (the listing takes up to 24)`);
    }
    await quotes.close();

    // 10a. Another renter reserves it behind the page's back (no refresh): the page's attempt
    // fails by name, and the page then shows the listing as reserved without a manual refresh.
    const renter = keypair('renter');
    const cliReserve = async () => (await cliJson('reserve', '--node', node, '--hours', '1', '--pay', 'usdc', '-k', renter.path)).reservation;
    const cliEnd = (r) => cliJson('reservation', 'end', r, '-k', renter.path);
    const taken = await cliReserve();
    await page.fill(`${listingRow} [data-testid="reserve-hours"]`, '1');
    await page.click(`${listingRow} [data-testid="reserve"]`);
    await page.waitForFunction(() => ['confirmed', 'error'].includes(document.getElementById('status').dataset.state), null, { timeout: 30_000 });
    assert.match(await text('status'), /NodeAlreadyReserved|reserved meanwhile/, 'refused');
    await page.waitForSelector(`${listingRow} [data-testid="reserve"][disabled]`, { timeout: 5_000 });
    consoleErrors.length = 0; // the refusal was logged
    // 10b. It ends that one (the page refreshes and sees the listing free), then reserves and
    // ends again without the page refreshing: the page's next reservation id (the listing's
    // count) is stale, yet the page's reservation goes through.
    await cliEnd(taken);
    await refresh();
    await cliEnd(await cliReserve());
    await page.fill(`${listingRow} [data-testid="reserve-hours"]`, '2');
    await page.selectOption(`${listingRow} [data-testid="reserve-currency"]`, 'usdc');
    const usdcAta = await ata(staker.pubkey, banner.usdc_mint);
    const usdc0 = await balance(url, usdcAta);
    assert.equal(await value('wallet-usdc'), usdc0, 'page USDC balance = chain');
    await page.click(`${listingRow} [data-testid="reserve"]`);
    await waitTx('reserve');
    const usdc1 = await balance(url, usdcAta);
    // $5.00 for 2 hours + 0.25% + 2% fees, each rounded up.
    const expectedDeposit = 5_000_000n + 12_500n + 100_000n;
    assert.equal(usdc0 - usdc1, expectedDeposit, 'the reservation took the quoted deposit');
    const reservationRow = '#reservations tr[data-reservation]';
    await page.waitForSelector(reservationRow);
    assert.equal(await value('reservation-deposit', page.locator(reservationRow)), expectedDeposit, 'page shows the deposit');
    await page.click(`${reservationRow} [data-testid="end-early"]`);
    await waitTx('end early');
    const usdc2 = await balance(url, usdcAta);
    assert.ok(usdc2 > usdc1, 'ending early refunded the undelivered hour');
    assert.equal(await value('wallet-usdc'), usdc2, 'page USDC balance = chain after the refund');
    await page.waitForSelector('[data-testid="no-reservations"]');

    // 11. The same in IO (quoted at the oracle's low price, with a slippage bound), then the
    // keeper burns the IO fees: burns appear in the figures and the chart.
    await page.fill(`${listingRow} [data-testid="reserve-hours"]`, '3');
    await page.selectOption(`${listingRow} [data-testid="reserve-currency"]`, 'io');
    assert.match(await page.locator(`${listingRow} [data-testid="reserve-quote"]`).textContent(), /IO, at most/);
    const ioBeforeReserve = await balance(url, ioAta);
    await page.click(`${listingRow} [data-testid="reserve"]`);
    await waitTx('reserve in IO');
    const ioDeposit = ioBeforeReserve - (await balance(url, ioAta));
    assert.ok(ioDeposit > 0n, 'the IO reservation took a deposit');
    assert.equal(await value('reservation-deposit', page.locator(reservationRow)), ioDeposit, 'page shows the IO deposit');
    await page.click(`${reservationRow} [data-testid="end-early"]`);
    await waitTx('end early (IO)');
    await cli('keeper', '--once', '-u', url, '-k', keeper.path, '--metrics-addr', '127.0.0.1:0', '--burn-min-amount', '1');
    const end = await checkNetwork();
    assert.ok(end.burned > 0n, 'the keeper burned the IO fees');
    assert.equal(await value('revenue-burned'), end.burned, 'every burn so far is a revenue fee burn');
    // The history reloads after the refresh: a bar for the burn.
    await page.waitForFunction((k) => Number(document.body.dataset.history) >= k, await refreshes(), { timeout: 30_000 });
    assert.ok((await page.locator('#chart-burns rect').count()) >= 1, 'the burn chart has a bar');
    metrics.burnedBaseUnits = String(end.burned);

    // 12. A wallet that signs a message other than the one it was given (and shows HTML in its
    // name): the page refuses to send it, nothing moves, no markup of the name is rendered.
    const evil = await walletPage(renter, 'sign', { tamper: true, name: '<img src=x onerror="window.__xss=1">Evil' });
    await evil.goto(`${base}/?rpc=${encodeURIComponent(url)}&refresh=0`);
    await evil.click('[data-testid="connect-wallet"]');
    await evil.waitForSelector(`[data-testid="wallet-address"][data-value="${renter.pubkey}"]`);
    await evil.waitForSelector('[data-testid="stake-node"]');
    const renterIo = await balance(url, await ata(renter.pubkey, banner.io_mint));
    const signedBefore = signatures;
    await evil.selectOption('[data-testid="stake-node"]', node);
    await evil.fill('[data-testid="stake-amount"]', '1');
    await evil.click('[data-testid="stake-submit"]');
    await evil.waitForFunction(() => ['confirmed', 'error'].includes(document.getElementById('status').dataset.state), null, { timeout: 30_000 });
    assert.equal(signatures, signedBefore + 1, 'the wallet signed');
    assert.equal(await evil.getAttribute('[data-testid="status"]', 'data-state'), 'error', await evil.textContent('[data-testid="status"]'));
    assert.match(await evil.textContent('[data-testid="status"]'), /changed the transaction message; refusing/);
    assert.equal(await balance(url, await ata(renter.pubkey, banner.io_mint)), renterIo, 'nothing was staked');
    assert.equal(await evil.locator('img[src="x"]').count(), 0, 'the wallet name is text');
    assert.equal(await evil.evaluate(() => window.__xss), undefined, 'no script ran');
    // The user switches to another account in the wallet: the page no longer shows (nor acts
    // for) the first one.
    const supplierKey = [...Uint8Array.from(JSON.parse(readFileSync(supplier.path, 'utf8'))).subarray(32)];
    await evil.evaluate(([address, key]) => window.__ngpuTestWalletSwitch(address, key), [supplier.pubkey, supplierKey]);
    await evil.waitForSelector(`[data-testid="wallet-address"][data-value="${renter.pubkey}"]`, { state: 'detached', timeout: 3_000 });
    await evil.close();

    // 12a. A wallet with only solana:signAndSendTransaction (it sends itself): the renter's key
    // stakes 100 IO through a second page. The wallet signs for solana:localnet only, and the
    // endpoint's URL says "mainnet-beta": the page names the chain from the endpoint's genesis
    // hash, not from words in its URL.
    const other = await walletPage(renter, 'signAndSend', { chains: ['solana:localnet'] });
    await other.goto(`${base}/?rpc=${encodeURIComponent(`${url.replace(/\/$/, '')}/mainnet-beta`)}&refresh=0`);
    await other.click('[data-testid="connect-wallet"]');
    await other.waitForSelector(`[data-testid="wallet-address"][data-value="${renter.pubkey}"]`);
    await other.waitForSelector('[data-testid="stake-node"]');
    await other.selectOption('[data-testid="stake-node"]', node);
    await other.fill('[data-testid="stake-amount"]', '100');
    await other.click('[data-testid="stake-submit"]');
    await other.waitForFunction(() => ['confirmed', 'error'].includes(document.getElementById('status').dataset.state), null, { timeout: 60_000 });
    assert.equal(await other.getAttribute('[data-testid="status"]', 'data-state'), 'confirmed', await other.textContent('[data-testid="status"]'));
    const renterPosition = (await cliJson('position', 'show', '-k', renter.path))[0];
    assert.equal(BigInt(renterPosition.active.base), 100n * IO, "the renter's stake, sent by its wallet");
    await other.close();
    await page.waitForFunction(() => document.body.dataset.history !== undefined, null, { timeout: 30_000 });
    metrics.walletSignatures = signatures;
    assert.deepEqual(consoleErrors, [], 'no console error in the page');
    passed = true;
    await page.screenshot({ path: join(outDir, 'dashboard-end.png'), fullPage: true });
  } catch (e) {
    if (page) await page.screenshot({ path: join(outDir, 'failure.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    metrics.testWallMs = Date.now() - started;
    writeFileSync(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    console.log(`metrics: ${JSON.stringify({ bundle: metrics.bundle && { raw: metrics.bundle.raw, gzip: metrics.bundle.gzip }, buildMs: metrics.buildMs, localnetReadyMs: metrics.localnetReadyMs, pageLoadMs: metrics.pageLoadMs, pageFiguresAtMs: metrics.pageFiguresAtMs, pageReloadMs: metrics.pageReloadMs, pageReloadFiguresAtMs: metrics.pageReloadFiguresAtMs, testWallMs: metrics.testWallMs })}`);
    await cleanup();
    // Nothing left behind: the localnet's temporary folder holds its funded keypairs.
    if (passed) assert.equal(existsSync(localnetDir), false, `${localnetDir} (keypairs, ledger) is left behind`);
  }
});

function formatIo(v) {
  const whole = (v / IO).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${(v % IO).toString().padStart(8, '0')}`;
}
