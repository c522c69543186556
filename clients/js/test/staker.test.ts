// The staker flow over JSON-RPC with only the generated client, the layer and @solana/kit:
// a supplier registers a node and stakes, a staker stakes, hours pass (time travel), the crank
// is sent from here for the ended hours, both claim, the staker unstakes and withdraws after
// the lock and the cooldown. Balances are read from token accounts and checked against the
// decoded events; refusals are checked by error name.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  claimNodeRewards,
  claimStakeRewards,
  crankNextHours,
  decodeTransactionEvents,
  eventsNamed,
  fetchTransactionEvents,
  fetchChainTime,
  fetchLedgerState,
  findNodePda,
  findNodeVaultPda,
  findRewardVaultPda,
  findStakePositionPda,
  findStakingConfigPda,
  hoursEnded,
  ioToken,
  registerNode,
  requestUnstake,
  sendInstructions,
  stake,
  staking,
  withdraw,
  type NgpuClient,
  type TransactionWithInnerInstructions,
} from '../src';
import { startLocalnet, type Localnet } from './localnet';
import { IO, balance, ioAccount, rejects, send, sendSkippingPreflight } from './helpers';
import type { KeyPairSigner } from '@solana/kit';

let net: Localnet;
before(async () => {
  net = await startLocalnet();
});
after(async () => {
  await net?.stop();
});

/** Cranks every ended hour (24 per transaction) and returns the HoursCranked events. */
async function crankAll(client: NgpuClient, cranker: KeyPairSigner) {
  const config = (await staking.fetchConfig(client.rpc, await findStakingConfigPda())).data;
  const ended = hoursEnded(config.genesisTs, await fetchChainTime(client.rpc));
  const cranked = [];
  for (;;) {
    const { nextHour } = await fetchLedgerState(client.rpc);
    if (nextHour >= ended) break;
    const hours = Number(ended - nextHour > 24n ? 24n : ended - nextHour);
    const { firstHour, instruction } = await crankNextHours(client.rpc, cranker, hours);
    const { events } = await send(client, cranker, instruction);
    const [event] = eventsNamed(events, 'staking', 'HoursCranked');
    assert.ok(event, 'HoursCranked emitted');
    assert.equal(event.firstHour, firstHour);
    assert.equal(event.hours, hours);
    assert.equal(event.nextHour, firstHour + BigInt(hours));
    cranked.push(event);
  }
  assert.equal((await fetchLedgerState(client.rpc)).nextHour, ended);
  return cranked;
}

test('staker flow: register, stake, crank, claim, unstake, withdraw', async (t) => {
  const { supplier, staker, keeper } = net;
  const node = await findNodePda(supplier.address, 0);
  const nodeVault = await findNodeVaultPda(node);
  const rewardVault = await findRewardVaultPda();
  const stakerIo = await ioAccount(staker.address);
  const supplierIo = await ioAccount(supplier.address);

  await t.test('the supplier registers a node and stakes on it', async () => {
    const { events } = await send(net, supplier, registerNode({ supplier, classId: 0, nodeId: 0 }));
    const [registered] = eventsNamed(events, 'staking', 'NodeRegistered');
    assert.equal(registered?.node, node);
    assert.equal(registered?.supplier, supplier.address);
    assert.equal(registered?.nodeId, 0n);
    assert.equal(registered?.vault, nodeVault);
    const before = await balance(net, supplierIo);
    const staked = await send(net, supplier, stake({ staker: supplier, node, amount: 200n * IO }));
    const [event] = eventsNamed(staked.events, 'staking', 'Staked');
    assert.equal(event?.amount, 200n * IO);
    assert.equal(before - (await balance(net, supplierIo)), 200n * IO);
  });

  let stakerAfterStake = 0n;
  await t.test('the staker stakes 500 IO', async () => {
    const before = await balance(net, stakerIo);
    assert.equal(before, 100_000n * IO, 'the localnet funds each user with 100k IO');
    const { events } = await send(net, staker, stake({ staker, node, amount: 500n * IO }));
    const [event] = eventsNamed(events, 'staking', 'Staked');
    assert.ok(event);
    assert.equal(event.node, node);
    assert.equal(event.staker, staker.address);
    assert.equal(event.amount, 500n * IO);
    assert.equal(event.positionActive, 500n * IO);
    assert.equal(event.nodeActive, 700n * IO);
    assert.equal(event.nodeStaked, 700n * IO);
    stakerAfterStake = await balance(net, stakerIo);
    assert.equal(before - stakerAfterStake, 500n * IO);
    assert.equal(await balance(net, nodeVault), 700n * IO);
    const position = await staking.fetchStakePosition(net.rpc, await findStakePositionPda(node, staker.address));
    assert.equal(position.data.staker, staker.address);
    assert.equal(position.data.node, node);
  });

  await t.test('refusals by name: locked stake, hour not ended', async () => {
    await rejects(net, staker, requestUnstake({ staker, node, amount: 100n * IO }), {
      program: 'staking',
      name: 'StakeLocked',
      code: 6007,
    });
    const { instruction } = await crankNextHours(net.rpc, keeper, 1);
    await rejects(net, keeper, instruction, { program: 'staking', name: 'HourNotEnded', code: 6009 });
  });

  await t.test('a transaction that failed after emitting an event has no events', async () => {
    // stake (emits Staked) then request_unstake (StakeLocked): the whole transaction fails and
    // nothing was staked, although its meta still lists the stake's inner instructions.
    const before = await balance(net, stakerIo);
    const { signature, err } = await sendSkippingPreflight(net, staker, [
      await stake({ staker, node, amount: 5n * IO }),
      await requestUnstake({ staker, node, amount: 1n * IO }),
    ]);
    assert.ok(err, 'the transaction failed');
    assert.equal(await balance(net, stakerIo), before, 'nothing was staked');
    const raw = await net.rpc.getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: 'confirmed' }).send();
    assert.ok(raw);
    assert.deepEqual(decodeTransactionEvents(raw as unknown as TransactionWithInnerInstructions), []);
    await assert.rejects(fetchTransactionEvents(net.rpc, signature), /failed/);
  });

  await t.test('26 hours later the crank pays the reward vault what its events say', async () => {
    await net.warp(26);
    const vaultBefore = await balance(net, rewardVault);
    const cranked = await crankAll(net, keeper);
    assert.ok(cranked.length >= 2, `${cranked.length} crank transactions`);
    const paid = cranked.reduce((sum, e) => sum + e.paid, 0n);
    assert.ok(paid > 0n, 'rewards were paid');
    assert.equal((await balance(net, rewardVault)) - vaultBefore, paid);
  });

  await t.test('both claim: the claimed amount is the balance change', async () => {
    const vaultBefore = await balance(net, rewardVault);
    const stakerBefore = await balance(net, stakerIo);
    const byStaker = await send(net, staker, claimStakeRewards({ staker, node }));
    const [stakerClaim] = eventsNamed(byStaker.events, 'staking', 'RewardsClaimed');
    assert.ok(stakerClaim);
    const stakerGain = (await balance(net, stakerIo)) - stakerBefore;
    assert.ok(stakerGain > 0n);
    assert.equal(stakerClaim.amount, stakerGain);

    const supplierBefore = await balance(net, supplierIo);
    const bySupplier = await send(net, supplier, claimNodeRewards({ supplier, node }));
    const [supplierClaim] = eventsNamed(bySupplier.events, 'staking', 'RewardsClaimed');
    assert.ok(supplierClaim);
    const supplierGain = (await balance(net, supplierIo)) - supplierBefore;
    assert.ok(supplierGain > 0n);
    assert.equal(supplierClaim.amount, supplierGain);
    assert.equal(vaultBefore - (await balance(net, rewardVault)), stakerGain + supplierGain);
    console.log(`claimed: staker ${stakerGain}, supplier ${supplierGain} base units`);
    // Nothing more until another hour is cranked; only the node's supplier claims its share.
    await rejects(net, staker, claimStakeRewards({ staker, node }), { program: 'staking', name: 'NothingToClaim', code: 6014 });
    await rejects(net, staker, claimNodeRewards({ supplier: staker, node }), { program: 'staking', name: 'Unauthorized', code: 6000 });
  });

  await t.test('after the 7-day lock: unstake, and withdraw after the 7-day cooldown', async () => {
    await net.warp(7 * 24 + 1);
    const { events } = await send(net, staker, requestUnstake({ staker, node, amount: 100n * IO }));
    const [requested] = eventsNamed(events, 'staking', 'UnstakeRequested');
    assert.equal(requested?.amount, 100n * IO);
    assert.equal(requested?.positionActive, 400n * IO);
    assert.equal(requested?.positionCooldown, 100n * IO);
    await rejects(net, staker, withdraw({ staker, node }), { program: 'staking', name: 'CooldownNotEnded', code: 6008 });
    await net.warp(7 * 24 + 1);
    await crankAll(net, keeper);
    const before = await balance(net, stakerIo);
    const vaultBefore = await balance(net, nodeVault);
    const withdrawn = await send(net, staker, withdraw({ staker, node }));
    const [event] = eventsNamed(withdrawn.events, 'staking', 'Withdrawn');
    assert.equal(event?.amount, 100n * IO);
    assert.equal((await balance(net, stakerIo)) - before, 100n * IO);
    assert.equal(vaultBefore - (await balance(net, nodeVault)), 100n * IO);
    assert.equal(event?.vaultBalance, vaultBefore - 100n * IO);
  });

  await t.test("an error raised in a CPI is named after the program that raised it (io-token's Paused under staking's crank)", async () => {
    // io-token's Paused is 6009, the same code as staking's HourNotEnded: naming it after the
    // top-level program (or the last `failed` log line, the outermost) says HourNotEnded.
    const { authority } = net;
    await send(net, authority, ioToken.getSetPausedInstruction({ authority, paused: true }));
    try {
      await net.warp(1);
      const { instruction } = await crankNextHours(net.rpc, keeper, 1);
      await rejects(net, keeper, instruction, { program: 'ioToken', name: 'Paused', code: 6009 });
    } finally {
      await send(net, authority, ioToken.getSetPausedInstruction({ authority, paused: false }));
    }
    await crankAll(net, keeper);
  });

  await t.test('a landed transaction whose events cannot be read is reported as landed, not as failed', async () => {
    // Many RPC nodes answer getTransaction with "Transaction history is not available from this
    // node" (or serve it late): the transaction landed all the same, and a caller told it failed
    // would send it again.
    const rpc = new Proxy(net.rpc, {
      get(target, p, receiver) {
        if (p === 'getTransaction') {
          return () => ({ send: async () => Promise.reject(new Error('Transaction history is not available from this node')) });
        }
        return Reflect.get(target, p, receiver);
      },
    });
    const before = await balance(net, supplierIo);
    const sent = await sendInstructions({ rpc, rpcSubscriptions: net.rpcSubscriptions }, supplier, [await stake({ staker: supplier, node, amount: IO })]);
    assert.equal(before - (await balance(net, supplierIo)), IO, 'it landed');
    assert.deepEqual(sent.events, []);
    assert.match(String(sent.eventsError), /history is not available/);
  });
});
