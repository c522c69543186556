// Amounts are bigint base units everywhere; these only turn them into text and back.

export const IO_DECIMALS = 8;
export const USDC_DECIMALS = 6;

/** `1234567890n, 8` -> "12.34567890" (grouped integer part, every decimal kept). */
export function formatUnits(value: bigint, decimals: number, group = true): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString();
  const grouped = group ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole;
  const frac = decimals > 0 ? '.' + (abs % scale).toString().padStart(decimals, '0') : '';
  return (negative ? '-' : '') + grouped + frac;
}

export const formatIo = (v: bigint): string => formatUnits(v, IO_DECIMALS);
export const formatUsdc = (v: bigint): string => formatUnits(v, USDC_DECIMALS);
/** Micro-USD as dollars with 6 decimals. */
export const formatMicroUsd = (v: bigint): string => '$' + formatUnits(v, 6);

/**
 * "12.5" -> 1250000000n for 8 decimals. Rejects more decimals than the token has, signs,
 * exponents and anything that is not a plain decimal number: what is sent is exactly what was
 * typed, never a float.
 */
export function parseUnits(text: string, decimals: number): bigint {
  const s = text.trim().replace(/[,_\s]/g, '');
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new Error(`not an amount: "${text}"`);
  const frac = m[2] ?? '';
  if (frac.length > decimals) throw new Error(`at most ${decimals} decimals: "${text}"`);
  return BigInt(m[1] || '0') * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
}

/** Unix seconds (chain clock) as "2026-11-30 20:46 UTC". */
export function formatTs(ts: bigint): string {
  const d = new Date(Number(ts) * 1000);
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** Seconds as "6d 23h 59m" (negative or zero: "now"). */
export function formatDuration(secs: bigint): string {
  if (secs <= 0n) return 'now';
  const d = secs / 86400n;
  const h = (secs % 86400n) / 3600n;
  const m = (secs % 3600n) / 60n;
  return [d ? `${d}d` : '', h ? `${h}h` : '', `${m}m`].filter(Boolean).join(' ');
}

export function shortAddress(a: string): string {
  return a.length > 12 ? `${a.slice(0, 4)}…${a.slice(-4)}` : a;
}

/** HTML-escapes text for template strings. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
