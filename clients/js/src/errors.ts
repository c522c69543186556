// Program errors by name: from a failed send / simulation (kit's SolanaError chain) to
// `{ program: 'staking', code: 6007, name: 'StakeLocked', message }`.
import {
  isSolanaError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  type Address,
} from '@solana/kit';
import { IO_TOKEN_ERROR_NAMES } from './generated/io_token/errorNames';
import { VESTING_ERROR_NAMES } from './generated/vesting/errorNames';
import { STAKING_ERROR_NAMES } from './generated/staking/errorNames';
import { REVENUE_ERROR_NAMES } from './generated/revenue/errorNames';
import { RESERVATIONS_ERROR_NAMES } from './generated/reservations/errorNames';
import { getIoTokenErrorMessage, type IoTokenError } from './generated/io_token/errors';
import { getVestingErrorMessage, type VestingError } from './generated/vesting/errors';
import { getStakingErrorMessage, type StakingError } from './generated/staking/errors';
import { getRevenueErrorMessage, type RevenueError } from './generated/revenue/errors';
import { getReservationsErrorMessage, type ReservationsError } from './generated/reservations/errors';
import { ANCHOR_ERRORS } from './anchorErrors';
import { programName, type ProgramName } from './events';
import { TOKEN_PROGRAM_ADDRESS } from './pdas';

/** SPL Token's errors (spl-token-interface 2.0.0 `TokenError`), which the suite's programs' token CPIs raise. */
const TOKEN_ERRORS: readonly (readonly [string, string])[] = [
  ['NotRentExempt', 'Lamport balance below rent-exempt threshold'],
  ['InsufficientFunds', 'Insufficient funds'],
  ['InvalidMint', 'Invalid Mint'],
  ['MintMismatch', 'Account not associated with this Mint'],
  ['OwnerMismatch', 'Owner does not match'],
  ['FixedSupply', 'Fixed supply'],
  ['AlreadyInUse', 'Already in use'],
  ['InvalidNumberOfProvidedSigners', 'Invalid number of provided signers'],
  ['InvalidNumberOfRequiredSigners', 'Invalid number of required signers'],
  ['UninitializedState', 'State is uninitialized'],
  ['NativeNotSupported', 'Instruction does not support native tokens'],
  ['NonNativeHasBalance', 'Non-native account can only be closed if its balance is zero'],
  ['InvalidInstruction', 'Invalid instruction'],
  ['InvalidState', 'State is invalid for requested operation'],
  ['Overflow', 'Operation overflowed'],
  ['AuthorityTypeNotSupported', 'Account does not support specified authority type'],
  ['MintCannotFreeze', 'This token mint cannot freeze accounts'],
  ['AccountFrozen', 'Account is frozen'],
  ['MintDecimalsMismatch', 'The provided decimals value different from the Mint decimals'],
  ['NonNativeNotSupported', 'Instruction does not support non-native tokens'],
];

const names: Record<ProgramName, Readonly<Record<number, string>>> = {
  ioToken: IO_TOKEN_ERROR_NAMES,
  vesting: VESTING_ERROR_NAMES,
  staking: STAKING_ERROR_NAMES,
  revenue: REVENUE_ERROR_NAMES,
  reservations: RESERVATIONS_ERROR_NAMES,
};

/**
 * The name of a custom error code of one of the suite's programs: its IDL name (6000 and up), or
 * Anchor's framework error name (below 6000, e.g. 2006 ConstraintSeeds); undefined if none.
 */
export function programErrorName(program: ProgramName, code: number): string | undefined {
  return names[program][code] ?? (code < 6000 ? ANCHOR_ERRORS[code]?.[0] : undefined);
}

function message(program: ProgramName, code: number): string | undefined {
  if (!(code in names[program])) return code < 6000 ? ANCHOR_ERRORS[code]?.[1] : undefined;
  switch (program) {
    case 'ioToken':
      return getIoTokenErrorMessage(code as IoTokenError);
    case 'vesting':
      return getVestingErrorMessage(code as VestingError);
    case 'staking':
      return getStakingErrorMessage(code as StakingError);
    case 'revenue':
      return getRevenueErrorMessage(code as RevenueError);
    case 'reservations':
      return getReservationsErrorMessage(code as ReservationsError);
  }
}

export type NamedProgramError = {
  /** The program that failed (undefined when it is not one of the suite's; SPL Token's errors are named all the same). */
  program?: ProgramName;
  programAddress?: Address;
  /** Index of the top-level instruction that failed. */
  instructionIndex: number;
  code: number;
  /** The IDL name, e.g. "StakeLocked", or Anchor's, e.g. "ConstraintSeeds" (undefined for a foreign program or an unknown code). */
  name?: string;
  message?: string;
};

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 16; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

/**
 * The program that raised custom error `code` according to the logs: the first
 * `Program <id> failed: custom program error: 0x<code>` line. A failed CPI can not be caught, so
 * the error climbs the invoke stack and every caller logs the same line after the callee: the
 * first one is the program that raised it, the last one the top-level program.
 */
function failingProgramFromLogs(logs: readonly string[] | undefined, code: number): Address | undefined {
  for (const line of logs ?? []) {
    const m = /^Program (\w+) failed: custom program error: 0x([0-9a-f]+)$/i.exec(line);
    if (m && parseInt(m[2]!, 16) === code) return m[1] as Address;
  }
  return undefined;
}

/**
 * Names the custom program error inside `error` (a send, send-and-confirm or simulation
 * failure), or returns null when it holds none. `instructions` are the transaction's top-level
 * instructions (or its message): they tell which program failed. When the error carries the
 * simulation's logs, the program named there wins, so an error raised inside a CPI (e.g.
 * staking's, under a reservations instruction) is attributed to the program that raised it.
 */
export function namedProgramError(
  error: unknown,
  instructions?: readonly { programAddress: Address }[] | { instructions: readonly { programAddress: Address }[] },
): NamedProgramError | null {
  const chain = causes(error);
  const custom = chain.find((e) => isSolanaError(e, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM));
  if (!custom || !isSolanaError(custom, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) return null;
  const { code, index } = custom.context;
  let logs: readonly string[] | undefined;
  for (const e of chain) {
    const l = (e as { context?: { logs?: unknown } }).context?.logs;
    if (Array.isArray(l)) logs = l as string[];
  }
  const list = instructions && 'instructions' in instructions ? instructions.instructions : instructions;
  const programAddress = failingProgramFromLogs(logs, code) ?? list?.[index]?.programAddress;
  const program = programAddress ? programName(programAddress) : undefined;
  const token = programAddress === TOKEN_PROGRAM_ADDRESS ? TOKEN_ERRORS[code] : undefined;
  return {
    program,
    programAddress,
    instructionIndex: index,
    code,
    name: program ? programErrorName(program, code) : token?.[0],
    message: program ? message(program, code) : token?.[1],
  };
}
