// Inline SVG charts (no chart library). Values are bigint base units; only pixel positions are
// computed as numbers, from bigint ratios.
import { esc } from './format';

export type Series = {
  name: string;
  color: string;
  /** [hour, value] pairs, hours ascending. */
  points: [bigint, bigint][];
  /** Draw as a step line (value holds until the next point). */
  step?: boolean;
  dashed?: boolean;
};

type Frame = { width: number; height: number; left: number; right: number; top: number; bottom: number };
const FRAME: Frame = { width: 640, height: 220, left: 72, right: 12, top: 12, bottom: 36 };

/** `v` in [lo, hi] to [0, 1] with 1e-6 resolution, bigint all the way. */
function ratio(v: bigint, lo: bigint, hi: bigint): number {
  if (hi <= lo) return 0;
  return Number(((v - lo) * 1_000_000n) / (hi - lo)) / 1_000_000;
}

function axes(
  f: Frame,
  x0: bigint,
  x1: bigint,
  yMax: bigint,
  formatY: (v: bigint) => string,
  xLabel: string,
): string {
  const w = f.width - f.left - f.right;
  const h = f.height - f.top - f.bottom;
  let out = `<line x1="${f.left}" y1="${f.top + h}" x2="${f.left + w}" y2="${f.top + h}" class="axis"/>`;
  out += `<line x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.top + h}" class="axis"/>`;
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * BigInt(i)) / 4n;
    const y = f.top + h - (h * i) / 4;
    out += `<line x1="${f.left}" y1="${y}" x2="${f.left + w}" y2="${y}" class="grid"/>`;
    out += `<text x="${f.left - 6}" y="${y + 4}" text-anchor="end" class="tick">${esc(formatY(v))}</text>`;
  }
  const span = x1 - x0;
  const ticks = span < 6n ? Number(span) : 6;
  for (let i = 0; i <= ticks; i++) {
    const xv = x0 + (span * BigInt(i)) / BigInt(Math.max(ticks, 1));
    const x = f.left + w * ratio(xv, x0, x1);
    out += `<text x="${x}" y="${f.top + h + 16}" text-anchor="middle" class="tick">${xv}</text>`;
  }
  out += `<text x="${f.left + w / 2}" y="${f.height - 4}" text-anchor="middle" class="label">${esc(xLabel)}</text>`;
  return out;
}

function legend(series: { name: string; color: string }[]): string {
  return `<div class="legend">${series
    .map((s) => `<span><i style="background:${s.color}"></i>${esc(s.name)}</span>`)
    .join('')}</div>`;
}

export function lineChart(opts: {
  id: string;
  title: string;
  series: Series[];
  x0: bigint;
  x1: bigint;
  formatY: (v: bigint) => string;
  xLabel: string;
}): string {
  const f = FRAME;
  const w = f.width - f.left - f.right;
  const h = f.height - f.top - f.bottom;
  let yMax = 1n;
  for (const s of opts.series) for (const [, v] of s.points) if (v > yMax) yMax = v;
  const px = (x: bigint) => (f.left + w * ratio(x < opts.x0 ? opts.x0 : x > opts.x1 ? opts.x1 : x, opts.x0, opts.x1)).toFixed(1);
  const py = (v: bigint) => (f.top + h - h * ratio(v, 0n, yMax)).toFixed(1);
  let body = axes(f, opts.x0, opts.x1, yMax, opts.formatY, opts.xLabel);
  for (const s of opts.series) {
    if (s.points.length === 0) continue;
    let d = '';
    s.points.forEach(([x, v], i) => {
      if (i === 0) d += `M${px(x)},${py(v)}`;
      else if (s.step) d += `H${px(x)}V${py(v)}`;
      else d += `L${px(x)},${py(v)}`;
    });
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
    body += `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`;
    if (s.points.length === 1) {
      const [x, v] = s.points[0]!;
      body += `<circle cx="${px(x)}" cy="${py(v)}" r="3" fill="${s.color}"/>`;
    }
  }
  return `<figure class="chart" id="${opts.id}"><figcaption>${esc(opts.title)}</figcaption>
<svg viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${esc(opts.title)}">${body}</svg>${legend(opts.series)}</figure>`;
}

export function barChart(opts: {
  id: string;
  title: string;
  name: string;
  color: string;
  bars: [bigint, bigint][];
  x0: bigint;
  x1: bigint;
  formatY: (v: bigint) => string;
  xLabel: string;
  /** The y scale when there is no bar. */
  emptyMax?: bigint;
}): string {
  const f = FRAME;
  const w = f.width - f.left - f.right;
  const h = f.height - f.top - f.bottom;
  let yMax = 0n;
  for (const [, v] of opts.bars) if (v > yMax) yMax = v;
  if (yMax === 0n) yMax = opts.emptyMax ?? 1n;
  const slots = Number(opts.x1 - opts.x0) + 1;
  const bw = Math.max(1, w / slots - 1);
  let body = axes(f, opts.x0, opts.x1, yMax, opts.formatY, opts.xLabel);
  for (const [x, v] of opts.bars) {
    if (x < opts.x0 || x > opts.x1 || v <= 0n) continue;
    const bh = h * ratio(v, 0n, yMax);
    const bx = f.left + (w * Number(x - opts.x0)) / slots;
    body += `<rect x="${bx.toFixed(1)}" y="${(f.top + h - bh).toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${opts.color}"><title>hour ${x}: ${esc(opts.formatY(v))}</title></rect>`;
  }
  if (opts.bars.length === 0) {
    body += `<text x="${f.left + w / 2}" y="${f.top + h / 2}" text-anchor="middle" class="label">no burns in this window</text>`;
  }
  return `<figure class="chart" id="${opts.id}"><figcaption>${esc(opts.title)}</figcaption>
<svg viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${esc(opts.title)}">${body}</svg>${legend([{ name: opts.name, color: opts.color }])}</figure>`;
}
