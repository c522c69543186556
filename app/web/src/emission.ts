// The emission schedule (SPEC §3), ported from crates/ngpu-math/src/emission.rs to bigint with
// the same fixed point and the same floors, so C(t) here equals the on-chain value to the base
// unit (the e2e test checks it against `ngpu emission`).
//
//   C(t) = 300M * (1 - q^t) / (1 - q^N),  q = 1 - d,  C(t) = 300M for t >= N
//   budget(h) = C(h + 1) - C(h)

/** Emission hours (fixed by the spec). */
export const EMISSION_HOURS = 175_319n;
/** 300,000,000 IO in base units (8 decimals). */
export const EMISSION_SUPPLY = 300_000_000n * 100_000_000n;
/** The fixed cap: 800,000,000 IO in base units. */
export const MAX_SUPPLY = 800_000_000n * 100_000_000n;

const DECAY_NUM = 138_869_523_959_793n;
const DECAY_DEN = 10_000_000_000_000_000_000n;
const ONE = 1n << 127n;
const Q = ((): bigint => {
  const product = ONE * DECAY_NUM;
  const ceil = (product + DECAY_DEN - 1n) / DECAY_DEN;
  return ONE - ceil;
})();
const DIGIT_BITS = 6n;
const DIGIT_BASE = 64;
const DIGITS = 3;
const MASK = 63n;

/** floor(a * b / 2^127): the Rust `mul_fixed` (exact 256-bit product, floored). */
function mulFixed(a: bigint, b: bigint): bigint {
  return (a * b) >> 127n;
}

let table: bigint[][] | undefined;
function powTable(): bigint[][] {
  if (table) return table;
  const t: bigint[][] = [];
  let step = Q;
  for (let k = 0; k < DIGITS; k++) {
    const row: bigint[] = [ONE];
    for (let j = 1; j < DIGIT_BASE; j++) row.push(mulFixed(row[j - 1]!, step));
    step = mulFixed(row[DIGIT_BASE - 1]!, step);
    t.push(row);
  }
  table = t;
  return t;
}

function powQ(t: bigint): bigint {
  const tab = powTable();
  const x = t < EMISSION_HOURS ? t : EMISSION_HOURS;
  const d0 = Number(x & MASK);
  const d1 = Number((x >> DIGIT_BITS) & MASK);
  const d2 = Number((x >> (2n * DIGIT_BITS)) & MASK);
  return mulFixed(mulFixed(tab[0]![d0]!, tab[1]![d1]!), tab[2]![d2]!);
}

let denominator: bigint | undefined;

/** Cumulative emission target after `t` whole hours, base units (rounds down). */
export function cumulative(t: bigint): bigint {
  if (t <= 0n) return 0n;
  if (t >= EMISSION_HOURS) return EMISSION_SUPPLY;
  denominator ??= (ONE - powQ(EMISSION_HOURS)) >> 64n;
  const numerator = (ONE - powQ(t)) >> 64n;
  const value = (EMISSION_SUPPLY * numerator) / denominator;
  return value < EMISSION_SUPPLY ? value : EMISSION_SUPPLY;
}

/** Budget of hour `h` (the hour `[h, h + 1)` after genesis), base units. */
export function hourBudget(h: bigint): bigint {
  return cumulative(h + 1n) - cumulative(h);
}
