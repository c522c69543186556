// Text helpers (amounts are formatted by @ngpu/client's formatIo / formatUsdc).

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
