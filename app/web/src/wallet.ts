// Wallets through the Wallet Standard: any wallet that registers itself (browser extensions,
// or the test's keypair wallet) is listed; the page signs with `solana:signTransaction` and
// sends through its own RPC, or lets the wallet send with `solana:signAndSendTransaction`.
import {
  address,
  getTransactionDecoder,
  getTransactionEncoder,
  type Address,
  type ReadonlyUint8Array,
  type SignatureBytes,
  type Transaction,
  type TransactionModifyingSigner,
  type TransactionSendingSigner,
  type TransactionWithinSizeLimit,
  type TransactionWithLifetime,
} from '@solana/kit';
import type {
  SolanaSignAndSendTransactionFeature,
  SolanaSignTransactionFeature,
} from '@solana/wallet-standard-features';
import { getWallets } from '@wallet-standard/app';
import type { IdentifierString, Wallet, WalletAccount } from '@wallet-standard/base';
import type { StandardConnectFeature, StandardDisconnectFeature, StandardEventsFeature } from '@wallet-standard/features';

const SIGN = 'solana:signTransaction';
const SIGN_AND_SEND = 'solana:signAndSendTransaction';
const CONNECT = 'standard:connect';
const DISCONNECT = 'standard:disconnect';
const EVENTS = 'standard:events';

/** Wallets that can connect and sign Solana transactions one way or the other. */
export function usableWallets(): Wallet[] {
  return getWallets()
    .get()
    .filter((w) => CONNECT in w.features && (SIGN in w.features || SIGN_AND_SEND in w.features));
}

/** Calls `listener` whenever a wallet registers or unregisters (returns the unsubscribe). */
export function onWalletsChanged(listener: () => void): () => void {
  const wallets = getWallets();
  const offs = [wallets.on('register', listener), wallets.on('unregister', listener)];
  return () => offs.forEach((off) => off());
}

export type Connection = {
  wallet: Wallet;
  account: WalletAccount;
  address: Address;
  /** The kit signer for the transaction's fee payer and signer accounts. */
  signer: TransactionModifyingSigner | TransactionSendingSigner;
  /** Whether the page sends (it signs with the wallet) or the wallet sends. */
  mode: 'sign' | 'signAndSend';
  disconnect(): Promise<void>;
};

/** Genesis hashes of the public clusters (what `getGenesisHash` answers on each). */
export const CLUSTER_GENESIS: Readonly<Record<string, IdentifierString>> = {
  '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d': 'solana:mainnet',
  EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG: 'solana:devnet',
  '4uhcVJyU9pJkvQyS88uRDiswHXSCkY3zQawwpjk2NsNY': 'solana:testnet',
};

/**
 * The chain id wallets are asked for, from the endpoint's genesis hash (a URL's words say nothing:
 * a proxy, a provider's host name, a path): a public cluster's id, else `solana:localnet`.
 */
export function chainOfGenesis(genesisHash: string): IdentifierString {
  return CLUSTER_GENESIS[genesisHash] ?? 'solana:localnet';
}

function sameBytes(a: ReadonlyUint8Array, b: ReadonlyUint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Connects `wallet`'s first account. `onChange` runs on the wallet's `change` events;
 * `onAccountChange` when the account is no longer the connected one (the user switched accounts
 * or disconnected in the wallet): the connection is then stale and must be dropped.
 */
export async function connect(
  wallet: Wallet,
  chain: IdentifierString,
  onChange: () => void,
  onAccountChange: () => void,
): Promise<Connection> {
  const { connect } = (wallet.features as StandardConnectFeature)[CONNECT];
  const { accounts } = await connect();
  const account = accounts[0] ?? wallet.accounts[0];
  if (!account) throw new Error(`${wallet.name} gave no account`);
  const owner = address(account.address);
  const canSign = SIGN in wallet.features;

  let signer: TransactionModifyingSigner | TransactionSendingSigner;
  if (canSign) {
    const feature = (wallet.features as SolanaSignTransactionFeature)[SIGN];
    signer = Object.freeze({
      address: owner,
      async modifyAndSignTransactions(transactions: readonly (Transaction | (Transaction & TransactionWithLifetime))[]) {
        const encoder = getTransactionEncoder();
        const inputs = transactions.map((tx) => ({
          account,
          chain,
          transaction: new Uint8Array(encoder.encode(tx)),
        }));
        const outputs = await feature.signTransaction(...inputs);
        const decoder = getTransactionDecoder();
        return outputs.map((out, i) => {
          const signed = decoder.decode(out.signedTransaction);
          const original = transactions[i]!;
          // What the user saw is what gets sent: a wallet that rewrites the message is refused.
          if (!sameBytes(signed.messageBytes, original.messageBytes)) {
            throw new Error(`${wallet.name} changed the transaction message; refusing to send it`);
          }
          return Object.freeze({
            ...original,
            signatures: Object.freeze({ ...original.signatures, ...signed.signatures }),
          }) as Transaction & TransactionWithinSizeLimit & TransactionWithLifetime;
        });
      },
    });
  } else {
    const feature = (wallet.features as SolanaSignAndSendTransactionFeature)[SIGN_AND_SEND];
    signer = Object.freeze({
      address: owner,
      async signAndSendTransactions(transactions: readonly (Transaction | (Transaction & TransactionWithLifetime))[]) {
        const encoder = getTransactionEncoder();
        const outputs = await feature.signAndSendTransaction(
          ...transactions.map((tx) => ({ account, chain, transaction: new Uint8Array(encoder.encode(tx)) })),
        );
        return outputs.map((o) => o.signature as SignatureBytes);
      },
    });
  }

  let off: (() => void) | undefined;
  if (EVENTS in wallet.features) {
    off = (wallet.features as StandardEventsFeature)[EVENTS].on('change', ({ accounts }) => {
      if (accounts && accounts[0]?.address !== account.address) onAccountChange();
      else onChange();
    });
  }
  return {
    wallet,
    account,
    address: owner,
    signer,
    mode: canSign ? 'sign' : 'signAndSend',
    async disconnect() {
      off?.();
      if (DISCONNECT in wallet.features) await (wallet.features as StandardDisconnectFeature)[DISCONNECT].disconnect();
    },
  };
}
