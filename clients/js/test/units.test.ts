// Offline checks of the layer: amounts, PDAs against addresses the IDL pins (derived by the
// Rust programs' own seeds), event and error decoding.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { getBase58Decoder, SolanaError, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM } from '@solana/kit';
import {
  decodeClock,
  EVENT_IX_TAG,
  IO_MINT,
  RESERVATIONS_PROGRAM_ADDRESS,
  STAKING_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
  decodeEventInstruction,
  decodeTransactionEvents,
  findDeviceClassPda,
  findEmissionAuthorityPda,
  findNodePda,
  findVestingPoolPda,
  findFeeVaultPda,
  findIoMintAuthorityPda,
  findIoMintPda,
  findIoTokenConfigPda,
  findReservationsConfigPda,
  findRewardVaultPda,
  findStakingConfigPda,
  findStakingLedgerPda,
  formatIo,
  formatUsdc,
  parseIo,
  parseMicroUsd,
  parseUnits,
  parseUsdc,
  namedProgramError,
  programErrorName,
  staking,
} from '../src';

test('IO and USDC amounts format and parse exactly', () => {
  assert.equal(formatIo(123n), '0.00000123');
  assert.equal(formatIo(0n), '0.00000000');
  assert.equal(formatIo(150_000_000n, { trim: true }), '1.5');
  assert.equal(formatIo(100_000n * 100_000_000n, { thousands: ',' }), '100,000.00000000');
  assert.equal(formatIo(-5n), '-0.00000005');
  assert.equal(formatIo(18_446_744_073_709_551_615n, { thousands: ',' }), '184,467,440,737.09551615');
  assert.equal(parseIo('1.5'), 150_000_000n);
  assert.equal(parseIo('0.00000001'), 1n);
  assert.equal(parseIo('1,000,000'), 100_000_000_000_000n);
  assert.equal(parseIo('.5'), 50_000_000n);
  assert.equal(parseIo('7.'), 700_000_000n);
  assert.equal(parseIo('184467440737.09551615'), 18_446_744_073_709_551_615n);
  assert.throws(() => parseIo('1.000000001'), /more than 8 decimals/);
  assert.throws(() => parseIo('abc'));
  assert.throws(() => parseIo(''));
  assert.throws(() => parseIo('.'));
  assert.throws(() => parseIo('1,00'));
  assert.throws(() => parseIo('1e3'));
  assert.equal(formatUsdc(1_234_567n), '1.234567');
  assert.equal(parseUsdc('2.5'), 2_500_000n);
  assert.throws(() => parseUsdc('0.0000001'));
});

test('token amounts outside u64 are refused by the parsers (negative, above u64::MAX)', () => {
  // Every program amount is a u64: a parsed "-1" or 2^64 is never a valid amount to send.
  for (const text of ['-1', '-0.5', '-.00000001', '184467440737.09551616', '99999999999999999999999']) {
    assert.throws(() => parseIo(text), /negative|u64|more than/, `parseIo(${JSON.stringify(text)})`);
  }
  assert.throws(() => parseUsdc('-2.5'), /negative/);
  assert.throws(() => parseUsdc('18446744073709.551616'), /u64/);
  assert.throws(() => parseMicroUsd('-1'), /negative/);
  assert.equal(parseIo('184467440737.09551615'), 18_446_744_073_709_551_615n);
  assert.equal(parseUsdc('18446744073709.551615'), 18_446_744_073_709_551_615n);
  assert.equal(parseIo('-0'), 0n);
  // The generic parser keeps its sign (it is not an amount to send).
  assert.equal(parseUnits('-1.5', 2), -150n);
});

test('a lone comma group ("1,500": 1500 in English, 1.5 in most of Europe) is refused as ambiguous', () => {
  for (const text of ['1,500', '12,000', '999,999', '-1,500']) {
    assert.throws(() => parseIo(text), /ambiguous/, `parseIo(${JSON.stringify(text)})`);
  }
  // Unambiguous forms still parse.
  assert.equal(parseIo('1,500.5'), 150_050_000_000n);
  assert.equal(parseIo('1,500,000'), 150_000_000_000_000n);
  assert.equal(parseIo('1 500'), 150_000_000_000n);
  assert.equal(parseIo('1_500'), 150_000_000_000n);
  assert.equal(parseIo('1500'), 150_000_000_000n);
  // Other oddities: refused, never rounded or guessed.
  for (const text of ['1e3', '0x10', '+1', 'NaN', 'Infinity', '１', '٣', '1\u00a0000', '1,0000', '1__000', '1.5.5', '-', '1,5', '1.000,5']) {
    assert.throws(() => parseIo(text), Error, `parseIo(${JSON.stringify(text)})`);
  }
  assert.equal(parseIo(' 1 '), 100_000_000n);
  assert.equal(parseIo('1.'), 100_000_000n);
  assert.equal(parseIo('.5'), 50_000_000n);
});

test('the Clock sysvar decodes: slot at 0, a negative unix_timestamp at 32', () => {
  const data = new Uint8Array(40);
  const view = new DataView(data.buffer);
  view.setBigUint64(0, 108_058n, true);
  view.setBigInt64(8, 1_700_000_000n, true);
  view.setBigInt64(32, -5n, true);
  assert.deepEqual(decodeClock(data), { slot: 108_058n, unixTimestamp: -5n });
  view.setBigInt64(32, 1_764_550_000n, true);
  assert.equal(decodeClock(data).unixTimestamp, 1_764_550_000n);
});

test('PDAs match the addresses the IDL pins', async () => {
  assert.equal(await findIoMintPda(), IO_MINT);
  assert.equal(await findIoTokenConfigPda(), 'GS54bVFcFopvDHPN9AmWpQE1bGDMTkwsh1Txva6LUyHG');
  assert.equal(await findIoMintAuthorityPda(), '8qfpZUgha5nj7wRAymaTrgARKSC8rKQbx84GfNaQ5WFW');
  assert.equal(await findStakingConfigPda(), 'Ho96uFGyWg8aeBsnL9RgDLbYDtE5HYVD7itEwrYmJXf8');
  assert.equal(await findStakingLedgerPda(), '8SwfcYP8Yd5eBWmP3USBym73XXvxLZTGs3ZdjMa61ra');
  assert.equal(await findRewardVaultPda(), 'DRHsQQKdFM3pCdxXDgvtYiWBFYsgnopuqPgLhLdbz3Uc');
  assert.equal(await findEmissionAuthorityPda(), '4zPk9j6hsJbAuMTWdXsZ7uiMuthSBbEpi9SDpjQbTkPy');
  assert.equal(await findFeeVaultPda(IO_MINT), 'DksYap57EP6etkpToQq2MT5MN1zHXvjX5VNSnitJhTWd');
  assert.equal(await findReservationsConfigPda(), 'Dffvs6vKzZqgs976yUzHyBp5XWhvcM32fcRbxxyBJWdD');
});

test('PDA helpers refuse ids their seed cannot hold (no silent wrap to another account)', async () => {
  // `[b"pool", &[pool_id]]` with pool_id: u8: 256 would be pool 0's address, -1 pool 255's.
  for (const id of [256, -1, 1.5]) {
    await assert.rejects(findVestingPoolPda(id), Error, `findVestingPoolPda(${id})`);
  }
  for (const id of [65_536, -1, 1.5]) {
    await assert.rejects(findDeviceClassPda(id), Error, `findDeviceClassPda(${id})`);
  }
  await assert.rejects(findNodePda(IO_MINT, -1), Error);
  await assert.rejects(findNodePda(IO_MINT, 2n ** 64n), Error);
  assert.notEqual(await findVestingPoolPda(255), await findVestingPoolPda(0));
});

test('an emit_cpi instruction decodes to its typed event', () => {
  const data = staking.getHoursCrankedEncoder().encode({
    firstHour: 5n,
    hours: 2,
    priceMicroUsd: 2_500_000n,
    totalWeight: 7n,
    paid: 11n,
    forfeited: 13n,
    rewardPerWeight: 17n,
    rewardsMinted: 19n,
    rewardsForfeited: 23n,
    nextHour: 7n,
  });
  const bytes = new Uint8Array([...EVENT_IX_TAG, ...staking.STAKING_EVENT_DISCRIMINATORS.HoursCranked, ...data]);
  const event = decodeEventInstruction(STAKING_PROGRAM_ADDRESS, bytes);
  if (event?.program !== 'staking' || event.name !== 'HoursCranked') return assert.fail(`decoded ${event?.name}`);
  assert.equal(event.data.paid, 11n);
  assert.equal(event.data.firstHour, 5n);
  // Through a transaction's inner instructions (base58 data, program by account index).
  const events = decodeTransactionEvents({
    transaction: { message: { accountKeys: [IO_MINT, STAKING_PROGRAM_ADDRESS] } },
    meta: {
      innerInstructions: [
        { index: 3, instructions: [{ programIdIndex: 1, data: getBase58Decoder().decode(bytes) }, { programIdIndex: 0, data: '' }] },
      ],
    },
  });
  assert.equal(events.length, 1);
  assert.equal(events[0]!.instructionIndex, 3);
  // Not an event: no tag, or another program.
  assert.equal(decodeEventInstruction(STAKING_PROGRAM_ADDRESS, bytes.subarray(8)), null);
  assert.equal(decodeEventInstruction(IO_MINT, bytes), null);
});

test("event decoding never throws on malformed or other programs' inner instructions", () => {
  const full = new Uint8Array([...EVENT_IX_TAG, ...staking.STAKING_EVENT_DISCRIMINATORS.HoursCranked, ...new Uint8Array(8)]);
  // A suite program's event whose data is cut short (e.g. an older client than the program):
  // no event, not an exception (sendInstructions would throw after the transaction landed).
  assert.equal(decodeEventInstruction(STAKING_PROGRAM_ADDRESS, full), null);
  assert.equal(decodeEventInstruction(STAKING_PROGRAM_ADDRESS, full.subarray(0, 16)), null);
  // Another program's instruction with the same tag and discriminator is not the suite's event.
  const real = new Uint8Array([...full.subarray(0, 16), ...new Uint8Array(200)]);
  assert.ok(decodeEventInstruction(STAKING_PROGRAM_ADDRESS, real));
  assert.equal(decodeEventInstruction(IO_MINT, real), null);
  const b58 = getBase58Decoder().decode(real);
  const events = decodeTransactionEvents({
    transaction: { message: { accountKeys: [IO_MINT, STAKING_PROGRAM_ADDRESS] } },
    meta: {
      innerInstructions: [
        {
          index: 0,
          instructions: [
            { programIdIndex: 0, data: b58 }, // foreign program, same bytes
            { programIdIndex: 0, data: '0OIl+/' }, // foreign program, not base58 (a garbage RPC)
            { programIdIndex: 9, data: b58 }, // no such account
            { programIdIndex: 1, data: getBase58Decoder().decode(full) }, // truncated
            { programIdIndex: 1, data: b58 }, // the one real event
          ],
        },
      ],
    },
  });
  assert.equal(events.length, 1);
  assert.equal(events[0]!.program, 'staking');
  assert.equal(events[0]!.name, 'HoursCranked');
});

test('a failed transaction has no events (what its inner instructions emitted was rolled back)', () => {
  const data = new Uint8Array([...EVENT_IX_TAG, ...staking.STAKING_EVENT_DISCRIMINATORS.HoursCranked, ...new Uint8Array(200)]);
  // A getTransaction result as the RPC returns it (its meta carries `err`).
  const tx = {
    transaction: { message: { accountKeys: [STAKING_PROGRAM_ADDRESS] } },
    meta: {
      err: { InstructionError: [1, { Custom: 6007 }] },
      innerInstructions: [{ index: 0, instructions: [{ programIdIndex: 0, data: getBase58Decoder().decode(data) }] }],
    },
  };
  const events = decodeTransactionEvents(tx as Parameters<typeof decodeTransactionEvents>[0]);
  assert.deepEqual(events, []);
});

test("Anchor's framework errors raised by a suite program are named (as the Rust SDK names them)", () => {
  // A reserve built with a stale reservation id fails Anchor's ConstraintSeeds (2006).
  const stale = new SolanaError(SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM, { code: 2006, index: 1 });
  const named = namedProgramError(stale, [{ programAddress: IO_MINT }, { programAddress: RESERVATIONS_PROGRAM_ADDRESS }]);
  assert.equal(named?.program, 'reservations');
  assert.equal(named?.name, 'ConstraintSeeds');
  assert.equal(named?.message, 'A seeds constraint was violated');
  assert.equal(programErrorName('staking', 3012), 'AccountNotInitialized');
  // A foreign program's code is never named after Anchor's or ours.
  const foreign = namedProgramError(new SolanaError(SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM, { code: 2006, index: 0 }), [{ programAddress: IO_MINT }]);
  assert.equal(foreign?.program, undefined);
  assert.equal(foreign?.name, undefined);
});

test('a token error raised under a suite program is the Token program\'s, and named', () => {
  // A stake above the balance: staking's CPI into SPL Token fails with its InsufficientFunds (1).
  const logs = [
    `Program ${STAKING_PROGRAM_ADDRESS} invoke [1]`,
    'Program log: Instruction: Stake',
    `Program ${TOKEN_PROGRAM_ADDRESS} invoke [2]`,
    'Program log: Error: insufficient funds',
    `Program ${TOKEN_PROGRAM_ADDRESS} consumed 2975 of 180000 compute units`,
    `Program ${TOKEN_PROGRAM_ADDRESS} failed: custom program error: 0x1`,
    `Program ${STAKING_PROGRAM_ADDRESS} consumed 22000 of 200000 compute units`,
    `Program ${STAKING_PROGRAM_ADDRESS} failed: custom program error: 0x1`,
  ];
  const error = { message: 'preflight failed', context: { logs }, cause: new SolanaError(SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM, { code: 1, index: 0 }) };
  const named = namedProgramError(error, [{ programAddress: STAKING_PROGRAM_ADDRESS }]);
  assert.equal(named?.programAddress, TOKEN_PROGRAM_ADDRESS);
  assert.equal(named?.program, undefined, 'not one of the suite');
  assert.equal(named?.name, 'InsufficientFunds');
  assert.equal(named?.message, 'Insufficient funds');
});

test('error codes have their IDL names', () => {
  assert.equal(programErrorName('staking', 6007), 'StakeLocked');
  assert.equal(programErrorName('staking', 6009), 'HourNotEnded');
  assert.equal(programErrorName('staking', 1), undefined);
});
