// The page's URL parameters, read once and bounded: a link can point the page at an endpoint and
// tune it, but not make it overpay (slippage), hammer the endpoint (refresh) or fail to load.

export type PageParams = {
  /** JSON-RPC endpoint: ?rpc=URL, else VITE_NGPU_RPC at build time, else the local default. */
  rpcUrl: string;
  /** Refresh period, ms (0: off; otherwise at least 1 s). ?refresh= */
  refreshMs: number;
  /** Slippage allowed on an IO reservation's quote, 0..MAX_SLIPPAGE_BPS. ?slippageBps= */
  slippageBps: bigint;
  /** A JSON-RPC request without an answer after this long fails, ms. ?timeoutMs= */
  timeoutMs: number;
  /** What was ignored or bounded, for the status line. */
  warnings: string[];
};

export const DEFAULT_RPC = 'http://127.0.0.1:8899';
export const DEFAULT_SLIPPAGE_BPS = 100n;
/** 10%: the most a quote may allow above itself, whatever a link says. */
export const MAX_SLIPPAGE_BPS = 1_000n;

function int(params: URLSearchParams, name: string, fallback: number, min: number, max: number, warnings: string[]): number {
  const text = params.get(name);
  if (text === null) return fallback;
  if (!/^\d{1,9}$/.test(text.trim())) {
    warnings.push(`?${name}=${text} is not a whole number: ${fallback} used`);
    return fallback;
  }
  const v = Number(text.trim());
  if (v < min || v > max) {
    const bounded = v < min ? min : max;
    warnings.push(`?${name}=${text} is outside ${min}..${max}: ${bounded} used`);
    return bounded;
  }
  return v;
}

export function pageParams(search: string, href: string, buildRpc?: string): PageParams {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  const rpcUrl = new URL(params.get('rpc') ?? buildRpc ?? DEFAULT_RPC, href).href;
  let refreshMs = int(params, 'refresh', 10_000, 0, 3_600_000, warnings);
  if (refreshMs > 0 && refreshMs < 1_000) {
    warnings.push(`?refresh=${refreshMs} is below 1000 ms: 1000 used`);
    refreshMs = 1_000;
  }
  const slippageBps = BigInt(int(params, 'slippageBps', Number(DEFAULT_SLIPPAGE_BPS), 0, Number(MAX_SLIPPAGE_BPS), warnings));
  const timeoutMs = int(params, 'timeoutMs', 30_000, 500, 120_000, warnings);
  return { rpcUrl, refreshMs, slippageBps, timeoutMs, warnings };
}
