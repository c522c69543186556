import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// The page talks to the JSON-RPC endpoint straight from the browser (surfpool and Solana RPC
// nodes answer CORS preflights). `/rpc` is proxied to NGPU_RPC_URL for endpoints that do not.
const proxyTarget = process.env.NGPU_RPC_URL ?? 'http://127.0.0.1:8899';

export default defineConfig({
  base: './',
  resolve: {
    // @ngpu/client is a file: dependency (a symlink to clients/js): its imports of @solana/kit
    // must resolve to this package's copy, so the bundle carries one kit.
    dedupe: ['@solana/kit'],
  },
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: false,
    fs: { allow: [repoRoot] },
    proxy: { '/rpc': { target: proxyTarget, changeOrigin: true, rewrite: () => '/' } },
  },
  preview: {
    proxy: { '/rpc': { target: proxyTarget, changeOrigin: true, rewrite: () => '/' } },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
  },
});
