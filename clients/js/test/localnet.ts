// Starts `ngpu-localnet` (a real JSON-RPC + WebSocket endpoint with the NGPU programs deployed
// and initialised) for a test file: free ports, a temporary folder, and the process killed in
// every exit path (test end, failure, Ctrl-C, process exit).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { address, createKeyPairSignerFromBytes, type Address, type KeyPairSigner } from '@solana/kit';
import { createNgpuClient, type NgpuClient } from '../src';

const run = promisify(execFile);

/** `NGPU_LOCALNET_BIN`, else the workspace's debug build (clients/js → ../../target/debug). */
export function localnetBinary(): string {
  const bin = process.env.NGPU_LOCALNET_BIN ?? resolve(__dirname, '../../../../target/debug/ngpu-localnet');
  if (!existsSync(bin)) {
    throw new Error(`${bin} not found: build it (cargo build -p ngpu-localnet-rpc) or set NGPU_LOCALNET_BIN`);
  }
  return bin;
}

/** A port nobody listens on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

type Banner = {
  rpc_url: string;
  ws_url: string;
  ready_in_ms: number;
  io_mint: string;
  usdc_mint: string;
  price_feed: string;
  reward_history: string;
  keypairs: { name: string; path: string; pubkey: string }[];
};

export type Localnet = NgpuClient & {
  rpcUrl: string;
  usdcMint: Address;
  priceFeed: Address;
  history: Address;
  readyInMs: number;
  authority: KeyPairSigner;
  staker: KeyPairSigner;
  supplier: KeyPairSigner;
  renter: KeyPairSigner;
  keeper: KeyPairSigner;
  /** Moves the chain's clock `hours` forward (the price is republished at the new time). */
  warp(hours: number): Promise<void>;
  /** Publishes a new IO/USD price, e.g. "2.75". */
  setPrice(usd: string): Promise<void>;
  stop(): Promise<void>;
};

const running = new Map<ChildProcess, string>();
let hooked = false;
function killAllOnExit() {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const [child, dir] of running) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Starts a localnet; resolves once its JSON banner is out (everything deployed and funded). */
export async function startLocalnet(): Promise<Localnet> {
  const bin = localnetBinary();
  const dir = mkdtempSync(join(tmpdir(), 'ngpu-ts-'));
  // Two distinct free ports: JSON-RPC and WebSocket.
  const rpcPort = await freePort();
  let wsPort = await freePort();
  while (wsPort === rpcPort) wsPort = await freePort();
  killAllOnExit();
  const child = spawn(
    bin,
    ['--rpc-port', String(rpcPort), '--ws-port', String(wsPort), '--dir', dir, '--output', 'json'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.set(child, dir);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  let banner: Banner;
  try {
    banner = await new Promise<Banner>((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`ngpu-localnet not ready in 90 s:\n${stderr}`)), 90_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const line = out.split('\n')[0];
        if (out.includes('\n') && line) {
          clearTimeout(timer);
          try {
            ok(JSON.parse(line) as Banner);
          } catch (e) {
            fail(new Error(`unexpected banner ${line}: ${e}`));
          }
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`ngpu-localnet exited (${code ?? signal}):\n${stderr}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const signer = async (name: string) => {
    const entry = banner.keypairs.find((k) => k.name === name);
    if (!entry) throw new Error(`no keypair ${name}`);
    const bytes = Uint8Array.from(JSON.parse(readFileSync(entry.path, 'utf8')) as number[]);
    return createKeyPairSignerFromBytes(bytes);
  };
  const cli = async (...args: string[]) => {
    await run(bin, [...args, '--url', banner.rpc_url], { timeout: 60_000 });
  };
  return {
    ...createNgpuClient(banner.rpc_url, banner.ws_url),
    rpcUrl: banner.rpc_url,
    usdcMint: address(banner.usdc_mint),
    priceFeed: address(banner.price_feed),
    history: address(banner.reward_history),
    readyInMs: banner.ready_in_ms,
    authority: await signer('authority'),
    staker: await signer('staker'),
    supplier: await signer('supplier'),
    renter: await signer('renter'),
    keeper: await signer('keeper'),
    warp: (hours) => cli('warp', '--hours', String(hours)),
    setPrice: (usd) => cli('set-price', usd),
    stop,
  };
}
