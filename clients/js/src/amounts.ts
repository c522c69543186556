// Token amounts as bigint base units, formatted and parsed exactly (no floating point).
// IO has 8 decimals (SPEC "Units"; io-token creates its mint with 8), USDC 6, micro-USD 6.

export const IO_DECIMALS = 8;
export const USDC_DECIMALS = 6;
/** 1 IO in base units. */
export const IO = 100_000_000n;
/** 1 USDC in base units (also 1 USD in micro-USD). */
export const USDC = 1_000_000n;

export type FormatOptions = {
  /** Group the whole part by thousands with this separator (e.g. ","); none by default. */
  thousands?: string;
  /** Drop trailing zeros of the fraction (and the point when nothing is left); false by default. */
  trim?: boolean;
};

/** `amount` base units with `decimals` decimals: formatUnits(123n, 8) → "0.00000123". */
export function formatUnits(amount: bigint, decimals: number, options: FormatOptions = {}): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const digits = abs.toString().padStart(decimals + 1, '0');
  let whole = digits.slice(0, digits.length - decimals);
  let fraction = digits.slice(digits.length - decimals);
  if (options.thousands) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, options.thousands);
  if (options.trim) fraction = fraction.replace(/0+$/, '');
  return (negative ? '-' : '') + whole + (fraction ? '.' + fraction : '');
}

/** The largest token amount (every program amount is a u64). */
export const U64_MAX = 18_446_744_073_709_551_615n;

/**
 * Parses a decimal text into base units: parseUnits("1.5", 8) → 150000000n. Accepts an optional
 * leading "-", surrounding whitespace, thousands separators "," / "_" / " " in the whole part
 * ("1,500,000", "1 500"), and at most `decimals` decimals (more is an error, never rounded).
 * A single "," group without a fraction ("1,500") is refused as ambiguous: it is 1500 in
 * English and 1.5 in most of Europe. ASCII digits only; throws on anything else.
 */
export function parseUnits(text: string, decimals: number): bigint {
  const trimmed = text.trim();
  const m = /^(-)?(\d{1,3}(?:[,_ ]\d{3})+|\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw new Error(`"${text}" is not an amount like 1.5`);
  }
  if (m[3] === undefined && /^\d{1,3},\d{3}$/.test(m[2]!)) {
    const [whole, frac] = m[2]!.split(',');
    throw new Error(`"${text}" is ambiguous: write ${whole}${frac} or ${whole}.${frac}`);
  }
  const whole = m[2]!.replace(/[,_ ]/g, '');
  const fraction = m[3] ?? '';
  if (fraction.length > decimals) {
    throw new Error(`"${text}" has more than ${decimals} decimals`);
  }
  const units = BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  return m[1] ? -units : units;
}

/** parseUnits, for a token amount: refuses a negative amount and one above u64::MAX. */
export function parseAmount(text: string, decimals: number): bigint {
  const units = parseUnits(text, decimals);
  if (units < 0n) throw new Error(`"${text}" is negative`);
  if (units > U64_MAX) throw new Error(`"${text}" is above the largest amount (u64::MAX base units)`);
  return units;
}

/** formatIo(123n) → "0.00000123"; formatIo(150000000n, { trim: true }) → "1.5". */
export const formatIo = (amount: bigint, options?: FormatOptions) => formatUnits(amount, IO_DECIMALS, options);
/** parseIo("1.5") → 150000000n; parseIo("1,000,000") → 100000000000000n (0..=u64::MAX). */
export const parseIo = (text: string) => parseAmount(text, IO_DECIMALS);
/** formatUsdc(1234567n) → "1.234567". */
export const formatUsdc = (amount: bigint, options?: FormatOptions) => formatUnits(amount, USDC_DECIMALS, options);
/** parseUsdc("2.5") → 2500000n. */
export const parseUsdc = (text: string) => parseAmount(text, USDC_DECIMALS);
/** Micro-USD (prices, costs) as dollars: formatMicroUsd(2500000n) → "2.500000". */
export const formatMicroUsd = (amount: bigint, options?: FormatOptions) => formatUnits(amount, 6, options);
export const parseMicroUsd = (text: string) => parseAmount(text, 6);
