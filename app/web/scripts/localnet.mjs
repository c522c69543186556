// Starts `ngpu-localnet` (a local Solana JSON-RPC endpoint with the NGPU programs deployed) and
// returns its JSON banner. Shared by `npm run dev:localnet` and the browser test.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = resolve(webDir, '../..');

/** A binary from env `envName`, else `<repo>/target/debug/<name>`. */
export function binary(envName, name) {
  const path = process.env[envName] ?? join(repoDir, 'target', 'debug', name);
  if (!existsSync(path)) {
    throw new Error(`${path} not found: build it (cargo build -p ${name === 'ngpu' ? 'ngpu-cli' : 'ngpu-localnet-rpc'}) or set ${envName}`);
  }
  return path;
}

/** Resolves whether `port` can be bound on 127.0.0.1. */
export function portFree(port) {
  return new Promise((done) => {
    const s = createServer();
    s.once('error', () => done(false));
    s.listen(port, '127.0.0.1', () => s.close(() => done(true)));
  });
}

/** A free port (the OS picks it). */
export function freePort() {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

/** Two consecutive free ports (JSON-RPC and WebSocket). */
export async function freePortPair() {
  for (let i = 0; i < 50; i++) {
    const p = await freePort();
    if (p < 65535 && (await portFree(p + 1))) return p;
  }
  throw new Error('no two consecutive free ports');
}

/** Temporary folders made here, removed once their localnet exits (or with this process). */
const temporary = new Set();
process.once('exit', () => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * Spawns ngpu-localnet and waits for its JSON banner. `children` collects the process so the
 * caller kills it on every exit path. Without `dir`, a temporary folder holds its keypairs and
 * ledger and is removed when it exits. Returns `{ banner, child, dir, keypair }`.
 */
export async function startLocalnet({ rpcPort, dir, log = () => {}, children = [], timeoutMs = 120_000 } = {}) {
  const bin = binary('NGPU_LOCALNET_BIN', 'ngpu-localnet');
  const port = rpcPort ?? (await freePortPair());
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'ngpu-web-localnet-'));
  const child = spawn(bin, ['--rpc-port', String(port), '--ws-port', String(port + 1), '--dir', folder, '--output', 'json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  if (!dir) {
    temporary.add(folder);
    child.once('exit', () => {
      rmSync(folder, { recursive: true, force: true });
      temporary.delete(folder);
    });
  }
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
    log(String(d));
  });
  const banner = await new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`ngpu-localnet printed no banner in ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (line) {
        try {
          const parsed = JSON.parse(line);
          clearTimeout(timer);
          done(parsed);
        } catch {
          /* partial line: wait for more */
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`ngpu-localnet exited (${code ?? signal}) before its banner\n${stderr}`));
    });
  });
  child.stdout.resume();
  const keypair = (name) => banner.keypairs.find((k) => k.name === name);
  return { banner, child, dir: folder, keypair };
}

/** Ends a child: SIGTERM, then SIGKILL after `graceMs`. Resolves once it has exited. */
export function stop(child, graceMs = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}
