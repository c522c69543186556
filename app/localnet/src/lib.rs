//! An in-process NGPU chain with our programs as native processors and the real SPL Token
//! program (v3.5.0) from its shipped ELF, on one of two engines behind the same API:
//! [`Engine::ProgramTest`] (`solana-program-test`'s BanksClient, what the integration tests use)
//! and [`Engine::LiteSvm`] (LiteSVM 0.12 called directly: no bank, no async round trip, what
//! `ngpu simulate` uses). Every harness call goes through here so that a switch of engine only
//! touches this crate.

use std::cell::RefCell;
use std::collections::HashSet;

use anchor_lang::prelude::{AccountInfo, Clock, ProgramError, Pubkey};
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::{AccountDeserialize, AnchorDeserialize};
use anchor_spl::token::spl_token;
use litesvm::LiteSVM;
use solana_program_runtime::invoke_context::BuiltinFunctionWithContext;
use solana_program_test::{processor, ProgramTest, ProgramTestContext};
use solana_sdk::account::{Account, AccountSharedData};
use solana_sdk::instruction::Instruction;
use solana_sdk::message::Message;
use solana_sdk::program_pack::Pack;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::{Transaction, TransactionError};

pub use solana_sdk;

thread_local! {
    /// `emit_cpi!` payloads (event discriminator + Borsh) seen by the native entry wrappers.
    /// program-test runs each transaction on the thread that awaits it (a current-thread tokio
    /// runtime), so a thread-local keeps parallel tests' events apart.
    static EVENTS: RefCell<Vec<(Pubkey, Vec<u8>)>> = const { RefCell::new(Vec::new()) };
}

fn record_event(program_id: &Pubkey, data: &[u8]) {
    if let Some(payload) = data.strip_prefix(anchor_lang::event::EVENT_IX_TAG_LE) {
        EVENTS.with(|e| e.borrow_mut().push((*program_id, payload.to_vec())));
    }
}

/// Native entry points of our programs, for `processor!` (also used by the JSON-RPC localnet).
// processor! wants fn(&Pubkey, &[AccountInfo], &[u8]) with independent lifetimes, while Anchor
// 1.x's `entry` ties them all to 'info (anchor issue #2738): each wrapper re-ties them and
// records the `emit_cpi!` payloads on the way.
macro_rules! native_entry {
    ($name:ident, $program:ident) => {
        pub fn $name<'a, 'b, 'c>(
            program_id: &'a Pubkey,
            accounts: &'b [AccountInfo<'c>],
            data: &'a [u8],
        ) -> Result<(), ProgramError> {
            record_event(program_id, data);
            // SAFETY: the accounts outlive the call; only the lifetime parameters are unified.
            let accounts: &'a [AccountInfo<'a>] = unsafe { std::mem::transmute(accounts) };
            $program::entry(program_id, accounts, data)
        }
    };
}

native_entry!(io_token_entry, io_token);
native_entry!(vesting_entry, vesting);
native_entry!(staking_entry, staking);
native_entry!(revenue_entry, revenue);
native_entry!(reservations_entry, reservations);

/// What a transaction did: its result, the events our programs emitted, CU and logs.
#[derive(Debug)]
pub struct TxOutcome {
    pub result: Result<(), TransactionError>,
    /// `emit_cpi!` payloads (emitting program, discriminator + Borsh), in emission order; empty
    /// when the transaction failed (its events were rolled back with it).
    pub events: Vec<(Pubkey, Vec<u8>)>,
    /// Exact CU of the ELF programs invoked (SPL Token, system); our native code counts ~1.
    pub compute_units: u64,
    pub logs: Vec<String>,
    /// Serialized size of the transaction in bytes (limit 1,232).
    pub size: usize,
}

impl TxOutcome {
    /// Decodes every event of type `T` emitted by `program_id`; the whole body must decode.
    pub fn events_from<T: anchor_lang::Event + AnchorDeserialize>(
        &self,
        program_id: &Pubkey,
    ) -> Vec<T> {
        self.events
            .iter()
            .filter(|(program, _)| program == program_id)
            .filter_map(|(_, raw)| raw.strip_prefix(T::DISCRIMINATOR))
            .map(|body| T::try_from_slice(body).expect("event decodes exactly"))
            .collect()
    }

    /// Decodes every event of type `T`. Several programs have events of the same name (hence
    /// the same discriminator): if more than one program emitted one, use `events_from`.
    pub fn events<T: anchor_lang::Event + AnchorDeserialize>(&self) -> Vec<T> {
        let mut programs: Vec<Pubkey> = self
            .events
            .iter()
            .filter(|(_, raw)| raw.starts_with(T::DISCRIMINATOR))
            .map(|(program, _)| *program)
            .collect();
        programs.dedup();
        match programs.as_slice() {
            [] => Vec::new(),
            [program] => self.events_from(program),
            _ => panic!(
                "{} was emitted by several programs: use events_from",
                std::any::type_name::<T>()
            ),
        }
    }

    /// The single event of type `T`; panics if there is not exactly one.
    pub fn event<T: anchor_lang::Event + AnchorDeserialize>(&self) -> T {
        let mut all = self.events::<T>();
        assert_eq!(
            all.len(),
            1,
            "expected exactly one {}",
            std::any::type_name::<T>()
        );
        all.remove(0)
    }
}

/// Which engine runs the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// `solana-program-test`: a bank behind an async BanksClient (the integration tests).
    ProgramTest,
    /// LiteSVM 0.12, called directly. `verify_signatures: false` skips computing and checking
    /// the ed25519 signatures (every signer the message requires must still be supplied, as
    /// keypairs, or the transaction fails with `SignatureFailure`); the transaction history is
    /// off, so memory does not grow with the transactions sent. A transaction over
    /// [`MAX_TX_BYTES`] fails with `SanitizeFailure`, as a cluster's RPC would refuse it.
    LiteSvm { verify_signatures: bool },
}

enum Chain {
    ProgramTest(Box<ProgramTestContext>),
    LiteSvm {
        svm: Box<LiteSVM>,
        verify_signatures: bool,
    },
}

/// The in-process chain.
pub struct Localnet {
    chain: Chain,
    /// Pays the fees of every transaction sent with [`Localnet::send`].
    payer: Keypair,
    /// Upgrade authority recorded in our programs' ProgramData accounts (the deployer).
    pub deployer: Keypair,
    sent: HashSet<Signature>,
}

/// The IO/USD feed id that [`Localnet::set_pyth_price`] writes (a stand-in for Pyth's real id).
pub const TEST_FEED_ID: [u8; 32] = [1; 32];

/// Lamports given to the deployer and to each new user: 1,000 SOL.
pub const USER_LAMPORTS: u64 = 1_000_000_000_000;

/// Lamports the LiteSVM engine gives its fee payer: 1 billion SOL (fees and the rent of what it
/// creates; [`Localnet::airdrop`] tops up any account without limit).
pub const SVM_PAYER_LAMPORTS: u64 = 1_000_000_000_000_000_000;

/// The programs of the workspace, in deploy order.
pub const PROGRAMS: [Pubkey; 5] = [
    io_token::ID,
    vesting::ID,
    staking::ID,
    revenue::ID,
    reservations::ID,
];

/// CPIs from native code go through program-test's syscall stubs, which it installs (once per
/// process) when a bank is set up; LiteSVM runs the same `processor!` entries, so it needs them
/// installed before the first transaction.
pub fn install_syscall_stubs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // On a thread of its own: the caller may already be inside a tokio runtime.
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            runtime.block_on(async {
                let _ = ProgramTest::default().start().await;
            });
        })
        .join()
        .expect("program-test starts");
    });
}

/// A LiteSVM with the mainnet feature set but SPL Token v3.5.0 (as program-test ships it, so CU
/// figures agree between the engines) instead of p-token, and our programs as builtins.
pub fn new_svm(verify_signatures: bool) -> LiteSVM {
    install_syscall_stubs();
    let mut features = LiteSVM::mainnet_feature_set();
    features.deactivate(&agave_feature_set::replace_spl_token_with_p_token::ID);
    let mut svm = LiteSVM::default()
        .with_feature_set(features)
        .with_builtins()
        .with_lamports(SVM_PAYER_LAMPORTS)
        .with_sysvars()
        .with_feature_accounts()
        .with_default_programs()
        .with_sigverify(verify_signatures)
        .with_blockhash_check(true)
        .with_transaction_history(0);
    add_programs(&mut svm);
    svm
}

/// Registers our programs as builtins of `svm` (also the JSON-RPC localnet's LiteSVM).
pub fn add_programs(svm: &mut LiteSVM) {
    let entries: [Option<BuiltinFunctionWithContext>; 5] = [
        processor!(io_token_entry),
        processor!(vesting_entry),
        processor!(staking_entry),
        processor!(revenue_entry),
        processor!(reservations_entry),
    ];
    for (program, entry) in PROGRAMS.into_iter().zip(entries) {
        svm.add_builtin(program, entry.expect("processor! always gives an entry"));
    }
}

impl Localnet {
    /// Starts a program-test chain (see [`Localnet::start_with`]).
    pub async fn start() -> Self {
        Self::start_with(Engine::ProgramTest).await
    }

    /// Starts a chain on `engine` with every NGPU program and a ProgramData account for each,
    /// whose upgrade authority is a fresh `deployer` key (as after `solana program deploy`).
    pub async fn start_with(engine: Engine) -> Self {
        let deployer = Keypair::new();
        let Engine::LiteSvm { verify_signatures } = engine else {
            return Self::start_program_test(deployer).await;
        };
        let mut svm = new_svm(verify_signatures);
        let payer = Keypair::new();
        let system = anchor_lang::solana_program::system_program::ID;
        let mut accounts = vec![
            (payer.pubkey(), Account::new(SVM_PAYER_LAMPORTS, 0, &system)),
            (deployer.pubkey(), Account::new(USER_LAMPORTS, 0, &system)),
        ];
        for program in PROGRAMS {
            accounts.push((
                ngpu_sdk::pda::program_data(&program),
                program_data_account(&deployer.pubkey()),
            ));
        }
        for (address, account) in accounts {
            svm.set_account(address, account)
                .expect("a plain account is accepted");
        }
        Self {
            chain: Chain::LiteSvm {
                svm: Box::new(svm),
                verify_signatures,
            },
            payer,
            deployer,
            sent: HashSet::new(),
        }
    }

    async fn start_program_test(deployer: Keypair) -> Self {
        // Events are captured per thread: the chain must run on the caller's thread.
        assert_eq!(
            tokio::runtime::Handle::current().runtime_flavor(),
            tokio::runtime::RuntimeFlavor::CurrentThread,
            "run the in-process chain on a current-thread tokio runtime"
        );
        let mut pt = ProgramTest::new("io_token", io_token::ID, processor!(io_token_entry));
        pt.prefer_bpf(false);
        pt.add_program("vesting", vesting::ID, processor!(vesting_entry));
        pt.add_program("staking", staking::ID, processor!(staking_entry));
        pt.add_program("revenue", revenue::ID, processor!(revenue_entry));
        pt.add_program(
            "reservations",
            reservations::ID,
            processor!(reservations_entry),
        );
        for program in PROGRAMS {
            pt.add_account(
                ngpu_sdk::pda::program_data(&program),
                program_data_account(&deployer.pubkey()),
            );
        }
        pt.add_account(
            deployer.pubkey(),
            Account::new(
                USER_LAMPORTS,
                0,
                &anchor_lang::solana_program::system_program::ID,
            ),
        );
        let ctx = pt.start_with_context().await;
        Self {
            payer: ctx.payer.insecure_clone(),
            chain: Chain::ProgramTest(Box::new(ctx)),
            deployer,
            sent: HashSet::new(),
        }
    }

    /// The engine this chain runs on.
    pub fn engine(&self) -> Engine {
        match &self.chain {
            Chain::ProgramTest(_) => Engine::ProgramTest,
            Chain::LiteSvm {
                verify_signatures, ..
            } => Engine::LiteSvm {
                verify_signatures: *verify_signatures,
            },
        }
    }

    pub fn payer(&self) -> &Keypair {
        &self.payer
    }

    /// Sends one transaction paid by the default payer and signed by `signers` too.
    pub async fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> TxOutcome {
        let payer = self.payer.insecure_clone();
        // Only the keys the instructions mark as signers sign (extra keypairs are ignored).
        let message = Message::new(instructions, Some(&payer.pubkey()));
        let required = &message.account_keys[..usize::from(message.header.num_required_signatures)];
        let mut all_signers: Vec<&Keypair> = vec![&payer];
        all_signers.extend(
            signers
                .iter()
                .copied()
                .filter(|k| k.pubkey() != payer.pubkey() && required.contains(&k.pubkey())),
        );
        match &mut self.chain {
            Chain::ProgramTest(_) => self.send_program_test(instructions, &all_signers).await,
            Chain::LiteSvm {
                svm,
                verify_signatures,
            } => {
                if !*verify_signatures {
                    return send_unsigned(svm, message, &all_signers);
                }
                let mut tx =
                    Transaction::new(&all_signers, message.clone(), svm.latest_blockhash());
                // As on a bank: an identical transaction under the same blockhash is a
                // duplicate, so take a new blockhash for it.
                while self.sent.contains(&tx.signatures[0]) {
                    svm.expire_blockhash();
                    tx = Transaction::new(&all_signers, message.clone(), svm.latest_blockhash());
                }
                self.sent.insert(tx.signatures[0]);
                send_svm(svm, tx)
            }
        }
    }

    async fn send_program_test(
        &mut self,
        instructions: &[Instruction],
        all_signers: &[&Keypair],
    ) -> TxOutcome {
        let Chain::ProgramTest(ctx) = &mut self.chain else {
            unreachable!("called for program-test only");
        };
        let payer = self.payer.pubkey();
        let mut blockhash = ctx
            .banks_client
            .get_latest_blockhash()
            .await
            .expect("blockhash");
        let mut tx =
            Transaction::new_signed_with_payer(instructions, Some(&payer), all_signers, blockhash);
        // An identical transaction under the same blockhash would be rejected as a duplicate:
        // only then wait for the next blockhash (a slot, ~0.4 s).
        while self.sent.contains(&tx.signatures[0]) {
            blockhash = ctx.get_new_latest_blockhash().await.expect("blockhash");
            tx = Transaction::new_signed_with_payer(
                instructions,
                Some(&payer),
                all_signers,
                blockhash,
            );
        }
        self.sent.insert(tx.signatures[0]);
        let size = bincode_size(&tx);
        EVENTS.with(|e| e.borrow_mut().clear());
        let outcome = ctx
            .banks_client
            .process_transaction_with_metadata(tx)
            .await
            .expect("banks client transport");
        let mut events = EVENTS.with(|e| std::mem::take(&mut *e.borrow_mut()));
        if outcome.result.is_err() {
            events.clear();
        }
        let (compute_units, logs) = outcome.metadata.map_or((0, Vec::new()), |m| {
            (m.compute_units_consumed, m.log_messages)
        });
        TxOutcome {
            result: outcome.result,
            events,
            compute_units,
            logs,
            size,
        }
    }

    /// The blockhash a client would sign with now.
    pub async fn latest_blockhash(&mut self) -> solana_sdk::hash::Hash {
        match &mut self.chain {
            Chain::ProgramTest(ctx) => ctx
                .banks_client
                .get_latest_blockhash()
                .await
                .expect("blockhash"),
            Chain::LiteSvm { svm, .. } => svm.latest_blockhash(),
        }
    }

    /// Simulates a transaction signed by the caller (as an RPC client's `simulateTransaction`):
    /// its result and the compute units it used.
    pub async fn simulate_transaction(
        &mut self,
        tx: &Transaction,
    ) -> (Result<(), TransactionError>, u64) {
        match &mut self.chain {
            Chain::ProgramTest(ctx) => {
                let sim = ctx
                    .banks_client
                    .simulate_transaction(tx.clone())
                    .await
                    .expect("banks client transport");
                let units = sim.simulation_details.map_or(0, |d| d.units_consumed);
                (sim.result.unwrap_or(Ok(())), units)
            }
            Chain::LiteSvm { svm, .. } => match svm.simulate_transaction(tx.clone()) {
                Ok(info) => (Ok(()), info.meta.compute_units_consumed),
                Err(failed) => (Err(failed.err), failed.meta.compute_units_consumed),
            },
        }
    }

    /// Processes a transaction signed by the caller (as an RPC client's `sendTransaction`).
    pub async fn process_transaction(&mut self, tx: &Transaction) -> Result<(), TransactionError> {
        match &mut self.chain {
            Chain::ProgramTest(ctx) => {
                ctx.banks_client
                    .process_transaction_with_metadata(tx.clone())
                    .await
                    .expect("banks client transport")
                    .result
            }
            Chain::LiteSvm { svm, .. } => send_svm(svm, tx.clone()).result,
        }
    }

    /// Sends and panics with the logs if the transaction failed.
    pub async fn send_ok(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> TxOutcome {
        let outcome = self.send(instructions, signers).await;
        if let Err(e) = &outcome.result {
            panic!("transaction failed: {e:?}\n{}", outcome.logs.join("\n"));
        }
        outcome
    }

    // --- time ---

    pub async fn clock(&mut self) -> Clock {
        match &mut self.chain {
            Chain::ProgramTest(ctx) => ctx.banks_client.get_sysvar().await.expect("clock"),
            Chain::LiteSvm { svm, .. } => svm.get_sysvar(),
        }
    }

    /// Sets the Clock's unix timestamp (`warp_to_slot` does not move it).
    pub async fn set_time(&mut self, unix_timestamp: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp = unix_timestamp;
        match &mut self.chain {
            Chain::ProgramTest(ctx) => ctx.set_sysvar(&clock),
            Chain::LiteSvm { svm, .. } => svm.set_sysvar(&clock),
        }
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    pub async fn advance_seconds(&mut self, seconds: i64) {
        let now = self.now().await;
        self.set_time(now + seconds).await;
    }

    // --- accounts ---

    pub async fn account(&mut self, address: Pubkey) -> Option<Account> {
        match &mut self.chain {
            Chain::ProgramTest(ctx) => ctx
                .banks_client
                .get_account(address)
                .await
                .expect("get_account"),
            Chain::LiteSvm { svm, .. } => svm.get_account(&address).filter(|a| a.lamports > 0),
        }
    }

    /// Writes an account as it is (tests: look-alikes, patched state; a zero-lamport account
    /// is removed).
    pub fn set_account(&mut self, address: &Pubkey, account: &AccountSharedData) {
        match &mut self.chain {
            Chain::ProgramTest(ctx) => ctx.set_account(address, account),
            Chain::LiteSvm { svm, .. } => svm
                .set_account(*address, Account::from(account.clone()))
                .expect("LiteSVM accepts the account"),
        }
    }

    /// Adds `lamports` to `address` out of thin air (a faucet: wallets that arrive funded),
    /// creating it as a system account if it does not exist; no fee payer is drawn down, so
    /// any number of accounts can be funded.
    pub async fn airdrop(&mut self, address: Pubkey, lamports: u64) {
        let system = anchor_lang::solana_program::system_program::ID;
        let mut account = self
            .account(address)
            .await
            .unwrap_or_else(|| Account::new(0, 0, &system));
        account.lamports = account
            .lamports
            .checked_add(lamports)
            .expect("lamports overflow");
        self.set_account(&address, &AccountSharedData::from(account));
    }

    /// Decodes an Anchor account of ours; panics if it is missing.
    pub async fn anchor_account<T: AccountDeserialize>(&mut self, address: Pubkey) -> T {
        let account = self.account(address).await.expect("account exists");
        T::try_deserialize(&mut account.data.as_slice()).expect("account decodes")
    }

    pub async fn lamports(&mut self, address: Pubkey) -> u64 {
        self.account(address).await.map_or(0, |a| a.lamports)
    }

    /// Transfers lamports from the payer (e.g. to pre-fund a PDA an attacker can predict).
    pub async fn transfer_lamports(&mut self, to: Pubkey, lamports: u64) {
        let payer = self.payer.pubkey();
        self.send_ok(&[system_instruction::transfer(&payer, &to, lamports)], &[])
            .await;
    }

    /// A new keypair holding `USER_LAMPORTS`.
    pub async fn new_user(&mut self) -> Keypair {
        let user = Keypair::new();
        self.transfer_lamports(user.pubkey(), USER_LAMPORTS).await;
        user
    }

    /// A new keypair holding `lamports`, airdropped (see [`Localnet::airdrop`]).
    pub async fn funded_user(&mut self, lamports: u64) -> Keypair {
        let user = Keypair::new();
        self.airdrop(user.pubkey(), lamports).await;
        user
    }

    pub async fn rent_exempt(&mut self, space: usize) -> u64 {
        match &mut self.chain {
            Chain::ProgramTest(ctx) => ctx
                .banks_client
                .get_rent()
                .await
                .expect("rent")
                .minimum_balance(space),
            Chain::LiteSvm { svm, .. } => svm.minimum_balance_for_rent_exemption(space),
        }
    }

    /// Creates a classic SPL Token mint (keypair address) and returns it.
    pub async fn create_mint(&mut self, decimals: u8, authority: &Pubkey) -> Pubkey {
        let mint = Keypair::new();
        let rent = self.rent_exempt(spl_token::state::Mint::LEN).await;
        let payer = self.payer.pubkey();
        let instructions = [
            system_instruction::create_account(
                &payer,
                &mint.pubkey(),
                rent,
                spl_token::state::Mint::LEN as u64,
                &spl_token::ID,
            ),
            spl_token::instruction::initialize_mint2(
                &spl_token::ID,
                &mint.pubkey(),
                authority,
                None,
                decimals,
            )
            .expect("ix"),
        ];
        self.send_ok(&instructions, &[&mint]).await;
        mint.pubkey()
    }

    /// Creates a token account of `mint` owned by `owner` and returns its address.
    pub async fn create_token_account(&mut self, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
        let account = Keypair::new();
        let rent = self.rent_exempt(spl_token::state::Account::LEN).await;
        let payer = self.payer.pubkey();
        let instructions = [
            system_instruction::create_account(
                &payer,
                &account.pubkey(),
                rent,
                spl_token::state::Account::LEN as u64,
                &spl_token::ID,
            ),
            spl_token::instruction::initialize_account3(
                &spl_token::ID,
                &account.pubkey(),
                mint,
                owner,
            )
            .expect("ix"),
        ];
        self.send_ok(&instructions, &[&account]).await;
        account.pubkey()
    }

    pub async fn token_balance(&mut self, token_account: Pubkey) -> u64 {
        let account = self
            .account(token_account)
            .await
            .expect("token account exists");
        spl_token::state::Account::unpack(&account.data)
            .expect("token account")
            .amount
    }

    pub async fn mint_state(&mut self, mint: Pubkey) -> spl_token::state::Mint {
        let account = self.account(mint).await.expect("mint exists");
        spl_token::state::Mint::unpack(&account.data).expect("mint")
    }

    /// Writes a fully verified Pyth PriceUpdateV2 account of [`TEST_FEED_ID`] (owned by the Pyth
    /// receiver) at `address`: `price` with `exponent`, confidence `conf`, published at
    /// `publish_time`.
    pub fn set_pyth_price(
        &mut self,
        address: Pubkey,
        price: i64,
        conf: u64,
        exponent: i32,
        publish_time: i64,
    ) {
        let update =
            staking::price::PriceUpdateV2::full(TEST_FEED_ID, price, conf, exponent, publish_time);
        self.set_pyth_update(address, staking::PYTH_RECEIVER, &update);
    }

    /// Writes any PriceUpdateV2 body (feed id, verification level, ...) at `address`, owned by
    /// `owner` (the Pyth receiver, or another program to test the owner check).
    pub fn set_pyth_update(
        &mut self,
        address: Pubkey,
        owner: Pubkey,
        update: &staking::price::PriceUpdateV2,
    ) {
        let account = pyth_update_account(owner, update);
        self.set_account(&address, &AccountSharedData::from(account));
    }

    /// Burns `amount` from `from` (owned by `owner`), as any holder may.
    pub async fn burn(
        &mut self,
        mint: &Pubkey,
        from: &Pubkey,
        owner: &Keypair,
        amount: u64,
    ) -> TxOutcome {
        let ix =
            spl_token::instruction::burn(&spl_token::ID, from, mint, &owner.pubkey(), &[], amount)
                .expect("ix");
        self.send(&[ix], &[owner]).await
    }
}

/// An account holding the PriceUpdateV2 body `update`, owned by `owner` (the Pyth receiver, or
/// another program to test the owner check).
pub fn pyth_update_account(owner: Pubkey, update: &staking::price::PriceUpdateV2) -> Account {
    Account {
        lamports: 2_000_000,
        data: update.encode(),
        owner,
        executable: false,
        rent_epoch: 0,
    }
}

/// A loader-v3 ProgramData account whose upgrade authority is `authority` (the header only: a
/// native program has no ELF behind it). Layout: enum tag 3 (u32), slot (u64), Option<Pubkey>.
pub fn program_data_account(authority: &Pubkey) -> Account {
    let mut data = Vec::with_capacity(45);
    data.extend_from_slice(&3u32.to_le_bytes());
    data.extend_from_slice(&0u64.to_le_bytes());
    data.push(1);
    data.extend_from_slice(authority.as_ref());
    Account {
        lamports: 1_000_000_000,
        data,
        owner: bpf_loader_upgradeable::ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// LiteSVM without signatures: every signer the message requires must be among `signers`
/// (else `SignatureFailure`, as an unsigned transaction would get); the signature slots are
/// zero, which LiteSVM does not check with verification off.
fn send_unsigned(svm: &mut LiteSVM, mut message: Message, signers: &[&Keypair]) -> TxOutcome {
    let required = usize::from(message.header.num_required_signatures);
    let missing = message.account_keys[..required]
        .iter()
        .any(|key| !signers.iter().any(|k| k.pubkey() == *key));
    message.recent_blockhash = svm.latest_blockhash();
    let tx = Transaction {
        signatures: vec![Signature::default(); required],
        message,
    };
    if missing {
        return TxOutcome {
            result: Err(TransactionError::SignatureFailure),
            events: Vec::new(),
            compute_units: 0,
            logs: Vec::new(),
            size: bincode_size(&tx),
        };
    }
    send_svm(svm, tx)
}

/// Largest serialized transaction a cluster accepts (a packet).
pub const MAX_TX_BYTES: usize = 1_232;

fn send_svm(svm: &mut LiteSVM, tx: Transaction) -> TxOutcome {
    let size = bincode_size(&tx);
    if size > MAX_TX_BYTES {
        // A cluster's RPC refuses it before any execution; LiteSVM itself would run it.
        return TxOutcome {
            result: Err(TransactionError::SanitizeFailure),
            events: Vec::new(),
            compute_units: 0,
            logs: vec![format!(
                "transaction too large: {size} bytes > {MAX_TX_BYTES}"
            )],
            size,
        };
    }
    EVENTS.with(|e| e.borrow_mut().clear());
    let outcome = svm.send_transaction(tx);
    let mut events = EVENTS.with(|e| std::mem::take(&mut *e.borrow_mut()));
    let (result, meta) = match outcome {
        Ok(meta) => (Ok(()), meta),
        Err(failed) => {
            events.clear();
            (Err(failed.err), failed.meta)
        }
    };
    TxOutcome {
        result,
        events,
        compute_units: meta.compute_units_consumed,
        logs: meta.logs,
        size,
    }
}

/// Wire size of a transaction of `instructions` paid by `payer` (what [`MAX_TX_BYTES`] limits):
/// lets a client pack as many instructions as fit.
pub fn transaction_size(instructions: &[Instruction], payer: &Pubkey) -> usize {
    bincode_size(&Transaction::new_unsigned(Message::new(
        instructions,
        Some(payer),
    )))
}

fn bincode_size(tx: &Transaction) -> usize {
    // Wire size: signatures (compact-u16 count + 64 each) + message.
    let message = tx.message_data();
    compact_len(tx.signatures.len()) + tx.signatures.len() * 64 + message.len()
}

fn compact_len(n: usize) -> usize {
    match n {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        _ => 3,
    }
}

/// Is this transaction error our program's custom error `code` at instruction `index`?
pub fn custom_error_code(result: &Result<(), TransactionError>) -> Option<(u8, u32)> {
    match result {
        Err(TransactionError::InstructionError(
            index,
            solana_sdk::instruction::InstructionError::Custom(code),
        )) => Some((*index, *code)),
        _ => None,
    }
}
