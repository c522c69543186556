// The reservations program's `Reservation` account, decoded by hand: the IDL (idl/reservations.json)
// lists no `Reservation` account or type, so Codama generates none. Layout of
// programs/reservations/src/state/reservation.rs (Borsh after the 8-byte account discriminator).
import {
  assertAccountExists,
  decodeAccount,
  fetchEncodedAccount,
  fixDecoderSize,
  getAddressDecoder,
  getBytesDecoder,
  getI64Decoder,
  getStructDecoder,
  getU16Decoder,
  getU32Decoder,
  getU64Decoder,
  getU8Decoder,
  type Account,
  type Address,
  type Decoder,
  type EncodedAccount,
  type FetchAccountConfig,
  type GetAccountInfoApi,
  type ReadonlyUint8Array,
  type Rpc,
} from '@solana/kit';
import { getCurrencyDecoder, type Currency } from './generated/reservations/types/currency';

/** `sha256("account:Reservation")[..8]`. */
export const RESERVATION_DISCRIMINATOR = new Uint8Array([188, 235, 0, 111, 208, 253, 247, 212]);

export type Reservation = {
  discriminator: ReadonlyUint8Array;
  version: number;
  bump: number;
  currency: Currency;
  id: bigint;
  node: Address;
  listing: Address;
  renter: Address;
  /** The renter's token account it paid from: every refund goes back there. */
  renterToken: Address;
  /** The supplier's payout account of the currency (from the listing). */
  payout: Address;
  hours: number;
  /** Hour `i` of the reservation is `[startTs + 3600 i, + 3600)`. */
  startTs: bigint;
  priceMicroUsdPerHour: bigint;
  costMicroUsd: bigint;
  /** IO only: the low side of the price band used (micro-USD per IO); 0 for USDC. */
  ioPriceMicroUsd: bigint;
  /** The cost in the currency's base units. */
  principal: bigint;
  /** Principal plus the renter's fees: what `reserve` put in escrow. */
  deposit: bigint;
  reservationFeeBps: number;
  paymentFeeBps: number;
  settledHours: number;
  supplierPaid: bigint;
  feesPaid: bigint;
  /** Set when the reservation ended while the renter's token account was unusable (`claim_refund`). */
  refundOwed: bigint;
  reserved: ReadonlyUint8Array;
};

export function getReservationDecoder(): Decoder<Reservation> {
  const key = getAddressDecoder();
  return getStructDecoder([
    ['discriminator', fixDecoderSize(getBytesDecoder(), 8)],
    ['version', getU8Decoder()],
    ['bump', getU8Decoder()],
    ['currency', getCurrencyDecoder()],
    ['id', getU64Decoder()],
    ['node', key],
    ['listing', key],
    ['renter', key],
    ['renterToken', key],
    ['payout', key],
    ['hours', getU32Decoder()],
    ['startTs', getI64Decoder()],
    ['priceMicroUsdPerHour', getU64Decoder()],
    ['costMicroUsd', getU64Decoder()],
    ['ioPriceMicroUsd', getU64Decoder()],
    ['principal', getU64Decoder()],
    ['deposit', getU64Decoder()],
    ['reservationFeeBps', getU16Decoder()],
    ['paymentFeeBps', getU16Decoder()],
    ['settledHours', getU32Decoder()],
    ['supplierPaid', getU64Decoder()],
    ['feesPaid', getU64Decoder()],
    ['refundOwed', getU64Decoder()],
    ['reserved', fixDecoderSize(getBytesDecoder(), 56)],
  ]) as Decoder<Reservation>;
}

export function decodeReservation<T extends string = string>(account: EncodedAccount<T>): Account<Reservation, T> {
  if (!RESERVATION_DISCRIMINATOR.every((b, i) => account.data[i] === b)) {
    throw new Error(`${account.address} is not a reservation account`);
  }
  return decodeAccount(account, getReservationDecoder());
}

/** Fetches and decodes a reservation (throws if the account does not exist). */
export async function fetchReservation<T extends string = string>(
  rpc: Rpc<GetAccountInfoApi>,
  address: Address<T>,
  config?: FetchAccountConfig,
): Promise<Account<Reservation, T>> {
  const maybe = await fetchEncodedAccount(rpc, address, config);
  assertAccountExists(maybe);
  return decodeReservation(maybe);
}
