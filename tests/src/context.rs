//! The test context: an in-process chain plus the io-token actors most tests need.

use anchor_lang::prelude::Pubkey;
use io_token::constants::GENESIS_ALLOCATIONS;
use io_token::Config;
use ngpu_localnet::solana_sdk::instruction::Instruction;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::{Localnet, TxOutcome};
use ngpu_sdk::genesis::{GenesisFile, GenesisPlan};
use ngpu_sdk::{ix, pda};

use crate::invariants;

/// 2025-06-11 00:00:00 UTC: where every test's clock starts.
pub const START_TS: i64 = 1_749_600_000;

pub struct TestContext {
    pub chain: Localnet,
    /// The program's upgrade authority, which becomes the io-token config authority.
    pub authority: Keypair,
    pub io_mint: Pubkey,
    /// The five genesis allocation token accounts (after `genesis`), with their owners.
    pub allocations: Vec<Pubkey>,
    pub allocation_owners: Vec<Keypair>,
    /// The emission controller key and its destination token account (after `set_up_emission`).
    pub controller: Keypair,
    pub emission_destination: Pubkey,
    /// Base units burned by tests (burning lowers supply but never the cap ledger).
    pub burned: u64,
    /// Token accounts of the IO mint known to the test: they must hold the whole supply.
    pub io_accounts: Vec<Pubkey>,
    /// Check the invariants after every transaction (on by default).
    pub check_after_each: bool,
}

impl TestContext {
    /// A chain at `START_TS` with io-token deployed but not initialised.
    pub async fn new() -> Self {
        let mut chain = Localnet::start().await;
        chain.set_time(START_TS).await;
        let authority = chain.deployer.insecure_clone();
        Self {
            chain,
            authority,
            io_mint: pda::io_token::io_mint(),
            allocations: Vec::new(),
            allocation_owners: Vec::new(),
            controller: Keypair::new(),
            emission_destination: Pubkey::default(),
            burned: 0,
            io_accounts: Vec::new(),
            check_after_each: true,
        }
    }

    /// `new` + `initialize`.
    pub async fn initialized() -> Self {
        let mut ctx = Self::new().await;
        let authority = ctx.authority.insecure_clone();
        ctx.send_ok(
            &[ix::io_token::initialize(authority.pubkey())],
            &[&authority],
        )
        .await;
        ctx
    }

    /// `initialized` + genesis with the default preset.
    pub async fn with_genesis() -> Self {
        let mut ctx = Self::initialized().await;
        ctx.create_allocation_accounts().await;
        let plan = default_plan();
        let outcome = ctx.genesis(plan.amounts).await;
        crate::assert_ok(&outcome);
        ctx
    }

    /// `with_genesis` + an emission controller and destination.
    pub async fn with_emission() -> Self {
        let mut ctx = Self::with_genesis().await;
        ctx.set_up_emission().await;
        ctx
    }

    /// Sends a transaction, then checks the invariants (unless turned off).
    pub async fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> TxOutcome {
        let outcome = self.chain.send(instructions, signers).await;
        if self.check_after_each {
            invariants::check(self).await;
        }
        outcome
    }

    pub async fn send_ok(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> TxOutcome {
        let outcome = self.send(instructions, signers).await;
        crate::assert_ok(&outcome);
        outcome
    }

    pub async fn config(&mut self) -> Config {
        self.chain.anchor_account(pda::io_token::config()).await
    }

    pub async fn new_io_account(&mut self, owner: &Pubkey) -> Pubkey {
        let mint = self.io_mint;
        let account = self.chain.create_token_account(&mint, owner).await;
        self.io_accounts.push(account);
        account
    }

    pub async fn create_allocation_accounts(&mut self) {
        for _ in 0..GENESIS_ALLOCATIONS {
            let owner = Keypair::new();
            let account = self.new_io_account(&owner.pubkey()).await;
            self.allocations.push(account);
            self.allocation_owners.push(owner);
        }
    }

    pub fn allocation_array(&self) -> [Pubkey; GENESIS_ALLOCATIONS] {
        self.allocations
            .clone()
            .try_into()
            .expect("five allocation accounts")
    }

    pub async fn genesis(&mut self, amounts: [u64; GENESIS_ALLOCATIONS]) -> TxOutcome {
        let authority = self.authority.insecure_clone();
        let ix = ix::io_token::genesis(authority.pubkey(), self.allocation_array(), amounts);
        self.send(&[ix], &[&authority]).await
    }

    pub async fn set_up_emission(&mut self) {
        let owner = Keypair::new();
        self.emission_destination = self.new_io_account(&owner.pubkey()).await;
        let authority = self.authority.insecure_clone();
        let ix = ix::io_token::set_emission_controller(
            authority.pubkey(),
            self.controller.pubkey(),
            self.emission_destination,
        );
        self.send_ok(&[ix], &[&authority]).await;
    }

    /// `mint_emission` signed by the configured controller into the configured destination.
    pub async fn mint_emission(&mut self, first_hour: u64, amounts: Vec<u64>) -> TxOutcome {
        let controller = self.controller.insecure_clone();
        let ix = ix::io_token::mint_emission(
            controller.pubkey(),
            self.emission_destination,
            first_hour,
            amounts,
        );
        self.send(&[ix], &[&controller]).await
    }

    /// Sets the clock to `seconds` after genesis.
    pub async fn set_time_after_genesis(&mut self, seconds: i64) {
        let genesis_ts = self.config().await.genesis_ts;
        self.chain.set_time(genesis_ts + seconds).await;
    }

    pub async fn set_paused(&mut self, paused: bool) -> TxOutcome {
        let authority = self.authority.insecure_clone();
        self.send(
            &[ix::io_token::set_paused(authority.pubkey(), paused)],
            &[&authority],
        )
        .await
    }
}

/// The shipped default genesis preset (`migrations/genesis/default.json`).
pub fn default_plan() -> GenesisPlan {
    load_plan("default.json")
}

pub fn load_plan(name: &str) -> GenesisPlan {
    let path = format!(
        "{}/../migrations/genesis/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    GenesisFile::parse(&json).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Returns a copy of `ix` in which `account` is no longer marked as a signer.
pub fn without_signature(mut ix: Instruction, account: &Pubkey) -> Instruction {
    for meta in ix.accounts.iter_mut().filter(|m| m.pubkey == *account) {
        meta.is_signer = false;
    }
    ix
}
