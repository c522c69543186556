//! The test context: an in-process chain plus the io-token actors most tests need.

use anchor_lang::prelude::Pubkey;
use io_token::constants::GENESIS_ALLOCATIONS;
use io_token::Config;
use ngpu_localnet::solana_sdk::instruction::Instruction;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::{Localnet, TxOutcome};
use ngpu_sdk::genesis::{GenesisFile, GenesisPlan};
use ngpu_sdk::params::{Params, StakingKeys, StakingParams};
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
    /// Vesting pools created through `with_vesting` (their schedules are found on chain).
    pub vesting_pools: Vec<u8>,
    /// Staking: the oracle set (three keys, quorum two), the pinned price account, and the
    /// nodes / positions created through the helpers (checked by the invariants).
    pub oracles: Vec<Keypair>,
    /// Stands in for the reservations program's PDA.
    pub hire_authority: Keypair,
    pub price_feed: Pubkey,
    /// The IO/USD feed id pinned in the staking config and written by `set_price`.
    pub price_feed_id: [u8; 32],
    /// The reward history ring (a keypair account pinned by `init_history`).
    pub history: Pubkey,
    pub staking_nodes: Vec<Pubkey>,
    pub staking_positions: Vec<Pubkey>,
    /// The revenue program's harness state (`revenue.rs`).
    pub revenue: crate::revenue::RevenueState,
    /// The reservations program's harness state (`reservations.rs`).
    pub reservations: crate::reservations::ReservationsState,
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
            vesting_pools: Vec::new(),
            oracles: (0..3).map(|_| Keypair::new()).collect(),
            hire_authority: Keypair::new(),
            price_feed: Pubkey::new_unique(),
            price_feed_id: ngpu_localnet::TEST_FEED_ID,
            history: Pubkey::default(),
            staking_nodes: Vec::new(),
            staking_positions: Vec::new(),
            revenue: Default::default(),
            reservations: Default::default(),
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

    /// io-token and vesting initialised, the four vesting pools created, genesis minted with the
    /// default preset (community to a plain account, the rest into the pool vaults) at
    /// `genesis_ts`, and every pool opened.
    pub async fn with_vesting_at(genesis_ts: i64) -> Self {
        let mut ctx = Self::new().await;
        ctx.chain.set_time(genesis_ts).await;
        let authority = ctx.authority.insecure_clone();
        ctx.send_ok(
            &[
                ix::io_token::initialize(authority.pubkey()),
                ix::vesting::initialize(authority.pubkey()),
            ],
            &[&authority],
        )
        .await;
        for (pool_id, rule) in ix::vesting::POOLS {
            ctx.send_ok(
                &[ix::vesting::create_pool(authority.pubkey(), pool_id, rule)],
                &[&authority],
            )
            .await;
            ctx.vesting_pools.push(pool_id);
        }
        let community_owner = Keypair::new();
        let community = ctx.new_io_account(&community_owner.pubkey()).await;
        ctx.allocations.push(community);
        ctx.allocation_owners.push(community_owner);
        for (pool_id, _) in ix::vesting::POOLS {
            let vault = pda::vesting::vault(&pda::vesting::pool(pool_id));
            ctx.allocations.push(vault);
            ctx.io_accounts.push(vault);
        }
        crate::assert_ok(&ctx.genesis(default_plan().amounts).await);
        for (pool_id, _) in ix::vesting::POOLS {
            ctx.send_ok(
                &[ix::vesting::open_pool(authority.pubkey(), pool_id)],
                &[&authority],
            )
            .await;
        }
        ctx
    }

    /// io-token with genesis (default preset, plain allocation accounts), staking initialised
    /// with the shipped deploy parameters (`migrations/params.toml`: the spec's defaults) and made io-token's emission controller, and a fresh IO/USD price
    /// of $2.50 (exponent -8, no confidence band).
    pub async fn with_staking() -> Self {
        let mut ctx = Self::with_staking_without_history().await;
        let authority = ctx.authority.insecure_clone();
        let history = Keypair::new();
        let rent = ctx.chain.rent_exempt(staking::RewardHistory::SPACE).await;
        ctx.send_ok(
            &[
                ix::staking::create_history_account(authority.pubkey(), history.pubkey(), rent),
                ix::staking::init_history(authority.pubkey(), history.pubkey()),
            ],
            &[&authority, &history],
        )
        .await;
        ctx.history = history.pubkey();
        ctx
    }

    /// `with_staking` before the reward history ring is pinned (the crank refuses to run).
    pub async fn with_staking_without_history() -> Self {
        Self::with_staking_params_without_history(&Params::load_default().staking).await
    }

    /// `with_staking_without_history` initialised with `params` instead of the shipped
    /// `migrations/params.toml` (the test's keys: three oracles, quorum two).
    pub async fn with_staking_params_without_history(params: &StakingParams) -> Self {
        let mut ctx = Self::with_genesis().await;
        let authority = ctx.authority.insecure_clone();
        let args = params.initialize_args(StakingKeys {
            oracles: ctx.oracles.iter().map(|k| k.pubkey()).collect(),
            oracle_quorum: 2,
            price_feed: ctx.price_feed,
            price_feed_id: ctx.price_feed_id,
            hire_authority: ctx.hire_authority.pubkey(),
        });
        ctx.send_ok(
            &[
                ix::staking::initialize(authority.pubkey(), args),
                ix::io_token::set_emission_controller(
                    authority.pubkey(),
                    pda::staking::emission_authority(),
                    pda::staking::reward_vault(),
                ),
            ],
            &[&authority],
        )
        .await;
        ctx.io_accounts.push(pda::staking::reward_vault());
        ctx.io_accounts.push(pda::staking::escrow_vault());
        ctx.emission_destination = pda::staking::reward_vault();
        ctx.set_price(250_000_000, 0).await;
        ctx
    }

    /// Publishes a fully verified IO/USD price (exponent -8) of the pinned feed id at the
    /// current clock time.
    pub async fn set_price(&mut self, price: i64, conf: u64) {
        let now = self.chain.now().await;
        let update = staking::price::PriceUpdateV2::full(self.price_feed_id, price, conf, -8, now);
        self.set_price_update(&update);
    }

    /// Writes any PriceUpdateV2 body into the pinned price account (owned by the Pyth receiver).
    pub fn set_price_update(&mut self, update: &staking::price::PriceUpdateV2) {
        let feed = self.price_feed;
        self.chain
            .set_pyth_update(feed, staking::PYTH_RECEIVER, update);
    }

    /// Creates (or updates) a device class.
    pub async fn device_class(&mut self, class_id: u16, capex_usd: u64, device_max_stake_io: u64) {
        let authority = self.authority.insecure_clone();
        let args = staking::DeviceClassArgs {
            class_id,
            capex_micro_usd: capex_usd * 1_000_000,
            device_max_stake: device_max_stake_io * 100_000_000,
        };
        self.send_ok(
            &[ix::staking::set_device_class(authority.pubkey(), args)],
            &[&authority],
        )
        .await;
    }

    /// A funded user with an IO account holding `io` IO (from the community allocation).
    pub async fn funded_user(&mut self, io: u64) -> (Keypair, Pubkey) {
        let user = self.chain.new_user().await;
        let account = self.new_io_account(&user.pubkey()).await;
        if io > 0 {
            let owner = self.allocation_owners[0].insecure_clone();
            let transfer = anchor_spl::token::spl_token::instruction::transfer(
                &anchor_spl::token::ID,
                &self.allocations[0],
                &account,
                &owner.pubkey(),
                &[],
                io * 100_000_000,
            )
            .expect("ix");
            self.send_ok(&[transfer], &[&owner]).await;
        }
        (user, account)
    }

    /// Registers node `node_id` of `class_id` for `supplier`; returns the node address.
    pub async fn register_node(
        &mut self,
        supplier: &Keypair,
        class_id: u16,
        node_id: u64,
    ) -> Pubkey {
        self.send_ok(
            &[ix::staking::register_node(
                supplier.pubkey(),
                class_id,
                node_id,
            )],
            &[supplier],
        )
        .await;
        let node = pda::staking::node(&supplier.pubkey(), node_id);
        self.staking_nodes.push(node);
        self.io_accounts.push(pda::staking::vault(&node));
        node
    }

    pub async fn stake(
        &mut self,
        staker: &Keypair,
        tokens: Pubkey,
        node: Pubkey,
        amount: u64,
    ) -> TxOutcome {
        let position = pda::staking::position(&node, &staker.pubkey());
        if !self.staking_positions.contains(&position) {
            self.staking_positions.push(position);
        }
        self.send(
            &[ix::staking::stake(staker.pubkey(), node, tokens, amount)],
            &[staker],
        )
        .await
    }

    pub async fn crank(&mut self, first_hour: u64, hours: u8) -> TxOutcome {
        let payer = self.chain.payer().pubkey();
        let (feed, history) = (self.price_feed, self.history);
        self.send(
            &[ix::staking::crank_hour(
                payer, feed, history, first_hour, hours,
            )],
            &[],
        )
        .await
    }

    /// Cranks every ended hour at $2.50, 24 hours a call (one late keeper); returns what the
    /// calls paid in all.
    pub async fn catch_up(&mut self) -> u64 {
        self.set_price(250_000_000, 0).await;
        let ended = ngpu_math::hours_ended(START_TS, self.chain.now().await);
        let mut next = self.staking_state().await.next_hour;
        let mut paid = 0;
        while next < ended {
            let hours = (ended - next).min(24);
            let outcome = self.crank(next, hours as u8).await;
            crate::assert_ok(&outcome);
            paid += outcome.event::<staking::HoursCranked>().paid;
            next += hours;
        }
        paid
    }

    /// Cranks each ended hour right at its end at $2.50 (an on-time keeper) up to `seconds`
    /// after genesis, then sets the clock there.
    pub async fn crank_on_time_until(&mut self, seconds: i64) {
        const HOUR: i64 = 3_600;
        let mut next = self.staking_state().await.next_hour;
        while (next as i64 + 1) * HOUR <= seconds {
            self.set_time_after_genesis((next as i64 + 1) * HOUR).await;
            self.set_price(250_000_000, 0).await;
            crate::assert_ok(&self.crank(next, 1).await);
            next += 1;
        }
        self.set_time_after_genesis(seconds).await;
    }

    /// Claims `who`'s staker rewards on `node`, and its supplier rewards too if `supplier`;
    /// nothing to claim counts as 0. Returns what was paid.
    pub async fn claim_rewards(
        &mut self,
        who: &Keypair,
        tokens: Pubkey,
        node: Pubkey,
        supplier: bool,
    ) -> u64 {
        let mut ixs = vec![ix::staking::claim_stake_rewards(who.pubkey(), node, tokens)];
        if supplier {
            ixs.push(ix::staking::claim_node_rewards(who.pubkey(), node, tokens));
        }
        let mut total = 0;
        for ix in ixs {
            let outcome = self.send(&[ix], &[who]).await;
            match outcome.result {
                Ok(()) => total += outcome.event::<staking::RewardsClaimed>().amount,
                Err(_) => crate::assert_error(&outcome, staking::StakingError::NothingToClaim),
            }
        }
        total
    }

    /// `report_uptime` signed by the first two oracles (the quorum).
    pub async fn report_uptime(&mut self, node: Pubkey, hour: u64, uptime_bps: u16) -> TxOutcome {
        let oracles: Vec<Keypair> = self.oracles[..2]
            .iter()
            .map(|k| k.insecure_clone())
            .collect();
        let keys: Vec<Pubkey> = oracles.iter().map(|k| k.pubkey()).collect();
        let ix = ix::staking::report_uptime(&keys, self.history, node, hour, uptime_bps);
        self.send(&[ix], &[&oracles[0], &oracles[1]]).await
    }

    /// `slash_malicious` of `bps` by the authority; returns the outcome and the slash record.
    pub async fn slash(&mut self, node: Pubkey, bps: u16) -> (TxOutcome, Pubkey) {
        let id = self.node(node).await.slash_count;
        let authority = self.authority.insecure_clone();
        let ix = ix::staking::slash_malicious(authority.pubkey(), node, id, bps);
        (
            self.send(&[ix], &[&authority]).await,
            pda::staking::slash(&node, id),
        )
    }

    /// `deregister_node` by `supplier`; once it succeeds the closed node and vault are no
    /// longer tracked, and the invariants are checked without them.
    pub async fn deregister_node(&mut self, supplier: &Keypair, node: Pubkey) -> TxOutcome {
        let check = std::mem::replace(&mut self.check_after_each, false);
        let ix = ix::staking::deregister_node(supplier.pubkey(), node);
        let outcome = self.send(&[ix], &[supplier]).await;
        if outcome.result.is_ok() {
            let vault = pda::staking::vault(&node);
            self.staking_nodes.retain(|n| *n != node);
            self.io_accounts.retain(|a| *a != vault);
        }
        self.check_after_each = check;
        if check {
            invariants::check(self).await;
        }
        outcome
    }

    /// Sends `amount` base units from `tokens` (owned by `owner`) to any IO account, e.g. as
    /// a donation to a program vault, without checking the invariants (a vault then holds
    /// more than its ledger until swept).
    pub async fn donate(&mut self, owner: &Keypair, tokens: Pubkey, to: Pubkey, amount: u64) {
        let transfer = anchor_spl::token::spl_token::instruction::transfer(
            &anchor_spl::token::ID,
            &tokens,
            &to,
            &owner.pubkey(),
            &[],
            amount,
        )
        .expect("ix");
        crate::assert_ok(&self.chain.send(&[transfer], &[owner]).await);
    }

    pub async fn node(&mut self, node: Pubkey) -> staking::Node {
        self.chain.anchor_account(node).await
    }

    pub async fn staking_config(&mut self) -> staking::Config {
        self.chain.anchor_account(pda::staking::config()).await
    }

    /// The staking crank's running state (next hour, total weight, accumulator, totals), kept
    /// in the hour-exact ledger.
    pub async fn staking_state(&mut self) -> staking::LedgerState {
        let data = self
            .chain
            .account(pda::staking::ledger())
            .await
            .expect("ledger exists")
            .data;
        staking::Ledger::from_bytes(&data[..])
            .expect("ledger decodes")
            .state()
    }

    /// `with_vesting_at(START_TS)`.
    pub async fn with_vesting() -> Self {
        Self::with_vesting_at(START_TS).await
    }

    pub async fn pool(&mut self, pool_id: u8) -> vesting::Pool {
        self.chain.anchor_account(pda::vesting::pool(pool_id)).await
    }

    pub async fn schedule(&mut self, pool_id: u8, schedule_id: u64) -> vesting::VestingSchedule {
        let pool = pda::vesting::pool(pool_id);
        self.chain
            .anchor_account(pda::vesting::schedule(&pool, schedule_id))
            .await
    }

    /// Grants `amount` from `pool_id` to a new beneficiary with an IO account; returns
    /// (schedule id, beneficiary, beneficiary's IO account).
    pub async fn grant(
        &mut self,
        pool_id: u8,
        amount: u64,
        revocable: bool,
    ) -> (u64, Keypair, Pubkey) {
        let beneficiary = self.chain.new_user().await;
        let account = self.new_io_account(&beneficiary.pubkey()).await;
        let schedule_id = self.pool(pool_id).await.schedule_count;
        let outcome = self
            .create_schedule(pool_id, beneficiary.pubkey(), amount, revocable)
            .await;
        crate::assert_ok(&outcome);
        (schedule_id, beneficiary, account)
    }

    pub async fn create_schedule(
        &mut self,
        pool_id: u8,
        beneficiary: Pubkey,
        amount: u64,
        revocable: bool,
    ) -> TxOutcome {
        let authority = self.authority.insecure_clone();
        let schedule_id = self.pool(pool_id).await.schedule_count;
        let args = vesting::CreateScheduleArgs {
            beneficiary,
            amount,
            revocable,
        };
        let ix = ix::vesting::create_schedule(authority.pubkey(), pool_id, schedule_id, args);
        self.send(&[ix], &[&authority]).await
    }

    /// `claim` sent and paid for by the default payer (a third party).
    pub async fn claim(&mut self, pool_id: u8, schedule_id: u64, destination: Pubkey) -> TxOutcome {
        self.send(
            &[ix::vesting::claim(pool_id, schedule_id, destination)],
            &[],
        )
        .await
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
