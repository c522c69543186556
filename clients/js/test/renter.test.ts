// The renter flow over JSON-RPC with only the generated client, the layer and @solana/kit:
// a supplier lists its node, a renter reserves hours paying USDC, the delivered hours are
// settled, the renter ends early; then a reservation paid in IO runs to completion. Every
// amount is checked three ways: the reservation maths (SPEC §5, as ngpu-math computes it), the
// decoded events and the token accounts' balances.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Address } from '@solana/kit';
import {
  Currency,
  IO_MINT,
  NodeState,
  endEarly,
  eventsNamed,
  fetchReservation,
  fetchReservationsConfig,
  findAssociatedTokenPda,
  findFeeVaultPda,
  findNodePda,
  findReservationEscrowPda,
  findReservationPda,
  listNode,
  nextReservation,
  registerNode,
  reserve,
  settle,
  staking,
  accountExists,
} from '../src';
import { startLocalnet, type Localnet } from './localnet';
import { IO, USDC, balance, rejects, send } from './helpers';

let net: Localnet;
before(async () => {
  net = await startLocalnet();
});
after(async () => {
  await net?.stop();
});

// ---- The reservation maths (crates/ngpu-math/src/reservations.rs), in bigint.
const BPS = 10_000n;
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
type Terms = { principal: bigint; hours: bigint; r: bigint; p: bigint };
const renterFees = (t: Terms, base: bigint) => ceilDiv(base * t.r, BPS) + ceilDiv(base * t.p, BPS);
const deposit = (t: Terms) => t.principal + renterFees(t, t.principal);
function after_(t: Terms, k: bigint) {
  const base = k >= t.hours ? t.principal : (t.principal * k) / t.hours;
  const consumed = base + renterFees(t, base);
  const supplier = (base * (BPS - t.r - t.p)) / BPS;
  return { consumed, supplier, fees: consumed - supplier };
}
const step = (t: Terms, from: bigint, to: bigint) => {
  const [a, b] = [after_(t, from), after_(t, to)];
  return { supplier: b.supplier - a.supplier, fees: b.fees - a.fees };
};

const nodeState = async (node: Address) => (await staking.fetchNode(net.rpc, node)).data.state;

test('renter flow: list, reserve in USDC, settle, end early; reserve in IO, complete', async (t) => {
  const { supplier, renter, keeper, usdcMint } = net;
  const node = await findNodePda(supplier.address, 0);
  const config = (await fetchReservationsConfig(net.rpc)).data;
  const price = 1_500_000n; // $1.50 per hour
  const renterUsdc = await findAssociatedTokenPda(renter.address, usdcMint);
  const renterIo = await findAssociatedTokenPda(renter.address, IO_MINT);
  const supplierUsdc = await findAssociatedTokenPda(supplier.address, usdcMint);
  const supplierIo = await findAssociatedTokenPda(supplier.address, IO_MINT);
  const usdcEscrow = await findReservationEscrowPda(usdcMint);
  const usdcFees = await findFeeVaultPda(usdcMint);
  const ioFees = await findFeeVaultPda(IO_MINT);

  await t.test('the supplier registers and lists its node', async () => {
    await send(net, supplier, registerNode({ supplier, classId: 0, nodeId: 0 }));
    const { events } = await send(
      net,
      supplier,
      listNode({ supplier, node, priceMicroUsdPerHour: price, maxHours: 48, usdcMint }),
    );
    const [listed] = eventsNamed(events, 'reservations', 'ListingUpdated');
    assert.ok(listed);
    assert.equal(listed.created, true);
    assert.equal(listed.node, node);
    assert.equal(listed.terms.priceMicroUsdPerHour, price);
    assert.equal(listed.terms.maxHours, 48);
    assert.equal(listed.payoutUsdc, supplierUsdc);
    assert.equal(listed.reservationCount, 0n);
  });

  const usdcTerms: Terms = { principal: price * 10n, hours: 10n, r: BigInt(config.reservationFeeBps), p: BigInt(config.usdcPaymentFeeBps) };
  const usdcDeposit = deposit(usdcTerms);

  await t.test('refusals by name: above max total, too many hours', async () => {
    const { id } = await nextReservation(net.rpc, node);
    const base = { renter, node, id, currency: Currency.Usdc, usdcMint, priceFeed: net.priceFeed };
    await rejects(net, renter, reserve({ ...base, hours: 10, maxTotal: usdcDeposit - 1n }), {
      program: 'reservations',
      name: 'SlippageExceeded',
      code: codeOf('SlippageExceeded'),
    });
    await rejects(net, renter, reserve({ ...base, hours: 49, maxTotal: usdcDeposit * 10n }), {
      program: 'reservations',
      name: 'InvalidHours',
      code: codeOf('InvalidHours'),
    });
  });

  let reservation: Address;
  await t.test('the renter reserves 10 hours paying USDC', async () => {
    const { id, address } = await nextReservation(net.rpc, node);
    assert.equal(id, 0n);
    reservation = address;
    const before = await balance(net, renterUsdc);
    assert.equal(before, 100_000n * USDC, 'the localnet funds each user with 100k USDC');
    const { events } = await send(
      net,
      renter,
      reserve({ renter, node, id, hours: 10, currency: Currency.Usdc, maxTotal: usdcDeposit, usdcMint, priceFeed: net.priceFeed }),
    );
    const [created] = eventsNamed(events, 'reservations', 'ReservationCreated');
    assert.ok(created);
    assert.equal(created.reservation, address);
    assert.equal(created.renter, renter.address);
    assert.equal(created.currency, Currency.Usdc);
    assert.equal(created.costMicroUsd, price * 10n);
    assert.equal(created.principal, price * 10n);
    assert.equal(created.deposit, usdcDeposit);
    assert.equal(before - (await balance(net, renterUsdc)), usdcDeposit);
    assert.equal(await balance(net, usdcEscrow), usdcDeposit);
    assert.equal(created.escrowBalance, usdcDeposit);
    assert.equal(await nodeState(node), NodeState.Hired);
    // The reservation account, decoded by the layer.
    const stored = await fetchReservation(net.rpc, address);
    assert.equal(stored.data.deposit, usdcDeposit);
    assert.equal(stored.data.hours, 10);
    assert.equal(stored.data.payout, supplierUsdc);
    // A second reservation of a hired node is refused.
    await rejects(
      net,
      renter,
      reserve({ renter, node, id: 1, hours: 1, currency: Currency.Usdc, maxTotal: usdcDeposit, usdcMint, priceFeed: net.priceFeed }),
      { program: 'reservations', name: 'NodeAlreadyReserved', code: codeOf('NodeAlreadyReserved') },
    );
  });

  await t.test('3 hours later anyone settles the delivered hours', async () => {
    await net.warp(3);
    const supplierBefore = await balance(net, supplierUsdc);
    const feesBefore = await balance(net, usdcFees);
    const stored = await fetchReservation(net.rpc, reservation);
    const { events } = await send(net, keeper, settle({ reservation: stored, usdcMint }));
    const [settled] = eventsNamed(events, 'reservations', 'ReservationSettled');
    assert.ok(settled);
    const expected = step(usdcTerms, 0n, 3n);
    assert.equal(settled.settledHours, 3);
    assert.equal(settled.toSupplier, expected.supplier);
    assert.equal(settled.toFees, expected.fees);
    assert.equal(settled.closed, false);
    assert.equal((await balance(net, supplierUsdc)) - supplierBefore, expected.supplier);
    assert.equal((await balance(net, usdcFees)) - feesBefore, expected.fees);
    assert.equal(await balance(net, usdcEscrow), usdcDeposit - after_(usdcTerms, 3n).consumed);
  });

  await t.test('the renter ends early: the hour in progress is charged, the rest refunded', async () => {
    await net.warp(1); // 4 hours and some seconds delivered: 5 charged
    const renterBefore = await balance(net, renterUsdc);
    const supplierBefore = await balance(net, supplierUsdc);
    const feesBefore = await balance(net, usdcFees);
    const stored = await fetchReservation(net.rpc, reservation);
    const { events } = await send(net, renter, endEarly({ renter, reservation: stored, usdcMint }));
    const [ended] = eventsNamed(events, 'reservations', 'ReservationSettled');
    assert.ok(ended);
    const expected = step(usdcTerms, 3n, 5n);
    const refund = usdcDeposit - after_(usdcTerms, 5n).consumed;
    assert.equal(ended.endedEarly, true);
    assert.equal(ended.closed, true);
    assert.equal(ended.settledHours, 5);
    assert.equal(ended.toSupplier, expected.supplier);
    assert.equal(ended.toFees, expected.fees);
    assert.equal(ended.refunded, refund);
    assert.equal((await balance(net, renterUsdc)) - renterBefore, refund);
    assert.equal((await balance(net, supplierUsdc)) - supplierBefore, expected.supplier);
    assert.equal((await balance(net, usdcFees)) - feesBefore, expected.fees);
    assert.equal(ended.supplierPaid + ended.feesPaid + refund, usdcDeposit);
    assert.equal(await balance(net, usdcEscrow), 0n);
    assert.equal(await accountExists(net.rpc, reservation), false, 'the reservation account is closed');
    assert.equal(await nodeState(node), NodeState.Committed);
  });

  await t.test('a reservation paid in IO runs to completion', async () => {
    const { id, address } = await nextReservation(net.rpc, node);
    assert.equal(id, 1n);
    assert.equal(address, await findReservationPda(node, 1n));
    const before = await balance(net, renterIo);
    const { events } = await send(
      net,
      renter,
      reserve({ renter, node, id, hours: 2, currency: Currency.Io, maxTotal: 10n * IO, usdcMint, priceFeed: net.priceFeed }),
    );
    const [created] = eventsNamed(events, 'reservations', 'ReservationCreated');
    assert.ok(created);
    assert.equal(created.currency, Currency.Io);
    assert.ok(created.ioPriceMicroUsd > 0n && created.ioPriceMicroUsd <= 2_500_000n, `${created.ioPriceMicroUsd}`);
    const terms: Terms = {
      principal: ceilDiv(price * 2n * IO, created.ioPriceMicroUsd),
      hours: 2n,
      r: BigInt(config.reservationFeeBps),
      p: BigInt(config.ioPaymentFeeBps),
    };
    assert.equal(created.principal, terms.principal);
    assert.equal(created.deposit, deposit(terms));
    assert.equal(before - (await balance(net, renterIo)), deposit(terms));

    await net.warp(3);
    const supplierBefore = await balance(net, supplierIo);
    const feesBefore = await balance(net, ioFees);
    const stored = await fetchReservation(net.rpc, address);
    const settled = await send(net, keeper, settle({ reservation: stored, usdcMint }));
    const [done] = eventsNamed(settled.events, 'reservations', 'ReservationSettled');
    assert.ok(done);
    assert.equal(done.closed, true);
    assert.equal(done.endedEarly, false);
    assert.equal(done.settledHours, 2);
    assert.equal(done.toSupplier, after_(terms, 2n).supplier);
    assert.equal(done.toSupplier + done.toFees, deposit(terms));
    assert.equal((await balance(net, supplierIo)) - supplierBefore, done.toSupplier);
    assert.equal((await balance(net, ioFees)) - feesBefore, done.toFees);
    assert.equal(await accountExists(net.rpc, address), false);
    assert.equal(await nodeState(node), NodeState.Committed);
  });
});

import { RESERVATIONS_ERROR_NAMES } from '../src/generated/reservations';
function codeOf(name: string): number {
  const entry = Object.entries(RESERVATIONS_ERROR_NAMES).find(([, n]) => n === name);
  if (!entry) throw new Error(`no reservations error ${name}`);
  return Number(entry[0]);
}
