// A test-only Wallet Standard wallet, injected by the browser test as an init script (it runs
// before the page's own scripts). It registers itself the way any wallet does
// (`wallet-standard:register-wallet` / `wallet-standard:app-ready`), so the page's real wallet
// path runs: discovery with getWallets(), standard:connect, solana:signTransaction. The key never
// enters the page: signing is delegated to the test process through an exposed binding
// (`__ngpuTestWalletSign`), as an extension keeps its key outside the page.
// Argument: { address, publicKey: number[], name, mode, chains? }: mode 'sign' offers
// solana:signTransaction (the page sends), 'signAndSend' only solana:signAndSendTransaction (the
// wallet sends, through `__ngpuTestWalletSignAndSend`). `chains` (default: all four clusters) are
// the chains it signs for: like a real wallet it refuses a transaction for another one.
(config) => {
  const chains = config.chains ?? ['solana:localnet', 'solana:devnet', 'solana:testnet', 'solana:mainnet'];
  const check = (input) => {
    if (!connected) throw new Error('not connected');
    if (input.account.address !== account.address) throw new Error('unknown account');
    if (!chains.includes(input.chain)) throw new Error(`unsupported chain ${input.chain}`);
  };
  const accountFor = (address, publicKey) =>
    Object.freeze({
      address,
      publicKey: new Uint8Array(publicKey),
      chains,
      features: [config.mode === 'signAndSend' ? 'solana:signAndSendTransaction' : 'solana:signTransaction'],
      label: config.name,
    });
  let account = accountFor(config.address, config.publicKey);
  const listeners = new Set();
  let connected = false;
  const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const wallet = {
    version: '1.0.0',
    name: config.name,
    icon: 'data:image/svg+xml;base64,' + btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="4" fill="#1a9e5c"/></svg>'),
    chains,
    get accounts() {
      return connected ? [account] : [];
    },
    features: {
      'standard:connect': {
        version: '1.0.0',
        async connect() {
          connected = true;
          listeners.forEach((l) => l({ accounts: [account] }));
          return { accounts: [account] };
        },
      },
      'standard:disconnect': {
        version: '1.0.0',
        async disconnect() {
          connected = false;
          listeners.forEach((l) => l({ accounts: [] }));
        },
      },
      'standard:events': {
        version: '1.0.0',
        on(event, listener) {
          if (event !== 'change') return () => {};
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
      ...(config.mode === 'signAndSend'
        ? {
            'solana:signAndSendTransaction': {
              version: '1.0.0',
              supportedTransactionVersions: ['legacy', 0],
              async signAndSendTransaction(...inputs) {
                const out = [];
                for (const input of inputs) {
                  check(input);
                  const signature = await window.__ngpuTestWalletSignAndSend(toBase64(input.transaction));
                  out.push({ signature: fromBase64(signature) });
                }
                return out;
              },
            },
          }
        : {
            'solana:signTransaction': {
              version: '1.0.0',
              supportedTransactionVersions: ['legacy', 0],
              async signTransaction(...inputs) {
                return Promise.all(
                  inputs.map(async (input) => {
                    check(input);
                    const signed = await window.__ngpuTestWalletSign(toBase64(input.transaction));
                    return { signedTransaction: fromBase64(signed) };
                  }),
                );
              },
            },
          }),
    },
  };
  // The user switches accounts in the wallet (the test calls this): a `change` event names the
  // new one. The test process keeps signing with the first key only.
  window.__ngpuTestWalletSwitch = (address, publicKey) => {
    account = accountFor(address, publicKey);
    listeners.forEach((l) => l({ accounts: [account] }));
  };
  const register = ({ register }) => register(wallet);
  try {
    window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: register }));
  } catch (e) {
    console.error('wallet-standard:register-wallet could not be dispatched', e);
  }
  try {
    window.addEventListener('wallet-standard:app-ready', ({ detail: api }) => register(api));
  } catch (e) {
    console.error('wallet-standard:app-ready could not be listened to', e);
  }
};
