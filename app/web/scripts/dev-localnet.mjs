#!/usr/bin/env node
// `npm run dev:localnet`: one command for the dashboard against a local endpoint. Starts
// ngpu-localnet (NGPU_LOCALNET_BIN, default <repo>/target/debug/ngpu-localnet) on
// NGPU_RPC_PORT (default 8899; WebSocket on the next port) with its keypairs in
// app/web/.ngpu-localnet, then Vite's dev server pointed at it. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startLocalnet, stop, webDir } from './localnet.mjs';

const children = [];
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map((c) => stop(c)));
  process.exit(code);
}
process.on('SIGINT', () => shutdown(130));
process.on('SIGTERM', () => shutdown(143));

try {
  const rpcPort = Number(process.env.NGPU_RPC_PORT ?? 8899);
  const { banner } = await startLocalnet({ rpcPort, dir: join(webDir, '.ngpu-localnet'), children });
  console.log(`ngpu-localnet ready in ${banner.ready_in_ms} ms: ${banner.rpc_url} (ws ${banner.ws_url})`);
  for (const k of banner.keypairs) console.log(`  ${k.name.padEnd(9)} ${k.pubkey}  ${k.path}`);
  console.log('  import a keypair above into a Wallet Standard wallet (custom RPC: the URL above) to sign;');
  console.log(`  move the clock: ngpu-localnet warp --hours 1 -u ${banner.rpc_url}; crank: ngpu keeper --once -u ${banner.rpc_url} -k ${banner.keypairs.find((k) => k.name === 'keeper')?.path}`);
  const vite = spawn(join(webDir, 'node_modules', '.bin', 'vite'), process.argv.slice(2), {
    cwd: webDir,
    stdio: 'inherit',
    env: { ...process.env, VITE_NGPU_RPC: banner.rpc_url, NGPU_RPC_URL: banner.rpc_url },
  });
  children.push(vite);
  vite.once('exit', (code) => shutdown(code ?? 0));
  children[0].once('exit', (code) => {
    if (!stopping) console.error(`ngpu-localnet exited (${code}); stopping`);
    shutdown(1);
  });
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await shutdown(1);
}
