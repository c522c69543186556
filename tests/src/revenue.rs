//! The revenue program in the test harness: set-up, deposits into the fee vaults, sellers, fills
//! and fee burns, and its invariants, checked after every transaction by `invariants::check`:
//! each fee vault == deposits − burned / spent, the config's totals == Σ day records (the
//! prices: min / max over them), the window's counted outflow ≤ the highest limit set so far. The IO burned is
//! added to the supply ledger by `invariants::check` through [`io_burned`].

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::token::spl_token;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::TxOutcome;
use ngpu_sdk::params::Params;
use ngpu_sdk::{ix, pda};
use revenue::{BurnTotals, DayRecord};

use crate::{invariants, TestContext};

/// USDC has 6 decimals.
pub const USDC: u64 = 1_000_000;

/// What the harness knows about the revenue program (deposits are plain token transfers the
/// program cannot see).
#[derive(Default)]
pub struct RevenueState {
    /// Set by `with_revenue`: the invariants are checked from then on.
    pub enabled: bool,
    pub usdc_mint: Pubkey,
    pub usdc_mint_authority: Option<Keypair>,
    /// Base units sent to each fee vault so far.
    pub io_deposited: u64,
    pub usdc_deposited: u64,
    /// The highest window limit seen: the counted outflow never exceeds it (the authority may
    /// lower the limit below what is counted; fills then wait for the decay).
    pub max_window_limit: u64,
}

/// A buyback seller: its key, IO account and USDC account.
pub struct Seller {
    pub key: Keypair,
    pub io: Pubkey,
    pub usdc: Pubkey,
}

impl TestContext {
    /// io-token with genesis (default preset), a classic 6-decimal USDC mint, revenue
    /// initialised with the shipped `migrations/params.toml` parameters and the test price feed,
    /// and a fresh price of $2.50 (exponent -8, no confidence band).
    pub async fn with_revenue() -> Self {
        let mut ctx = Self::with_genesis().await;
        ctx.init_revenue().await;
        ctx.set_price(250_000_000, 0).await;
        ctx
    }

    /// Creates the USDC mint and initialises revenue with the shipped parameters.
    pub async fn init_revenue(&mut self) {
        let mint_authority = Keypair::new();
        let usdc_mint = self.chain.create_mint(6, &mint_authority.pubkey()).await;
        self.revenue.usdc_mint = usdc_mint;
        self.revenue.usdc_mint_authority = Some(mint_authority);
        let authority = self.authority.insecure_clone();
        let args = self.revenue_args();
        self.send_ok(
            &[ix::revenue::initialize(authority.pubkey(), usdc_mint, args)],
            &[&authority],
        )
        .await;
        self.io_accounts.push(pda::revenue::io_vault());
        self.revenue.enabled = true;
    }

    /// The shipped revenue parameters with the test price account and feed id.
    pub fn revenue_args(&self) -> revenue::InitializeArgs {
        Params::load_default()
            .revenue
            .initialize_args(self.price_feed, self.price_feed_id)
    }

    pub fn usdc_vault(&self) -> Pubkey {
        pda::revenue::fee_vault(&self.revenue.usdc_mint)
    }

    pub async fn revenue_config(&mut self) -> revenue::Config {
        self.chain.anchor_account(pda::revenue::config()).await
    }

    pub async fn day_record(&mut self, day: u64) -> Option<DayRecord> {
        let account = self.chain.account(pda::revenue::day_record(day)).await?;
        Some(ngpu_sdk::decode_account(&account.data).expect("day record decodes"))
    }

    /// The UTC day of the cluster clock.
    pub async fn today(&mut self) -> u64 {
        ngpu_math::revenue::utc_day(self.chain.now().await).expect("day")
    }

    /// Sends IO fees from the community allocation into the IO fee vault (a stand-in for the
    /// reservations program).
    pub async fn deposit_io_fees(&mut self, amount: u64) {
        let owner = self.allocation_owners[0].insecure_clone();
        let transfer = spl_token::instruction::transfer(
            &spl_token::ID,
            &self.allocations[0],
            &pda::revenue::io_vault(),
            &owner.pubkey(),
            &[],
            amount,
        )
        .expect("ix");
        crate::assert_ok(&self.chain.send(&[transfer], &[&owner]).await);
        self.revenue.io_deposited += amount;
        if self.check_after_each {
            invariants::check(self).await;
        }
    }

    /// Mints USDC fees into the USDC fee vault.
    pub async fn deposit_usdc_fees(&mut self, amount: u64) {
        let vault = self.usdc_vault();
        self.mint_usdc(vault, amount).await;
        self.revenue.usdc_deposited += amount;
        if self.check_after_each {
            invariants::check(self).await;
        }
    }

    /// Mints USDC to any USDC account (not a deposit).
    pub async fn mint_usdc(&mut self, to: Pubkey, amount: u64) {
        let authority = self
            .revenue
            .usdc_mint_authority
            .as_ref()
            .expect("with_revenue")
            .insecure_clone();
        let mint = spl_token::instruction::mint_to(
            &spl_token::ID,
            &self.revenue.usdc_mint,
            &to,
            &authority.pubkey(),
            &[],
            amount,
        )
        .expect("ix");
        crate::assert_ok(&self.chain.send(&[mint], &[&authority]).await);
    }

    /// A seller holding `io` IO (whole IO) and an empty USDC account.
    pub async fn seller(&mut self, io: u64) -> Seller {
        let (key, io_account) = self.funded_user(io).await;
        let mint = self.revenue.usdc_mint;
        let usdc = self.chain.create_token_account(&mint, &key.pubkey()).await;
        Seller {
            key,
            io: io_account,
            usdc,
        }
    }

    /// The accounts of a fill by `seller` with the pinned price account.
    pub fn fill_accounts(&self, seller: &Seller) -> ix::revenue::FillAccounts {
        ix::revenue::FillAccounts {
            price_feed: self.price_feed,
            usdc_mint: self.revenue.usdc_mint,
            seller_io: seller.io,
            seller_usdc: seller.usdc,
        }
    }

    /// `fill_buyback` by `seller` into today's record.
    pub async fn fill(
        &mut self,
        seller: &Seller,
        io_in: u64,
        usdc_out: u64,
        expire_at: i64,
    ) -> TxOutcome {
        let day = self.today().await;
        let ix = ix::revenue::fill_buyback(
            seller.key.pubkey(),
            self.fill_accounts(seller),
            day,
            io_in,
            usdc_out,
            expire_at,
        );
        self.send(&[ix], &[&seller.key]).await
    }

    /// `burn_io_fees` into today's record, paid by the default payer.
    pub async fn burn_io_fees(&mut self) -> TxOutcome {
        let day = self.today().await;
        let payer = self.chain.payer().pubkey();
        self.send(&[ix::revenue::burn_io_fees(payer, day)], &[])
            .await
    }

    /// Creates a mint (keypair address) owned by `program` (SPL Token or Token-2022) with
    /// `decimals` and an optional freeze authority.
    pub async fn create_mint_with(
        &mut self,
        program: Pubkey,
        decimals: u8,
        freeze: Option<Pubkey>,
    ) -> Pubkey {
        let mint = Keypair::new();
        let rent = self.chain.rent_exempt(spl_token::state::Mint::LEN).await;
        let payer = self.chain.payer().pubkey();
        let authority = Pubkey::new_unique();
        let init = if program == spl_token::ID {
            spl_token::instruction::initialize_mint2(
                &program,
                &mint.pubkey(),
                &authority,
                freeze.as_ref(),
                decimals,
            )
            .expect("ix")
        } else {
            anchor_spl::token_2022::spl_token_2022::instruction::initialize_mint2(
                &program,
                &mint.pubkey(),
                &authority,
                freeze.as_ref(),
                decimals,
            )
            .expect("ix")
        };
        let create = system_instruction::create_account(
            &payer,
            &mint.pubkey(),
            rent,
            spl_token::state::Mint::LEN as u64,
            &program,
        );
        crate::assert_ok(&self.chain.send(&[create, init], &[&mint]).await);
        mint.pubkey()
    }
}

/// IO burned by the revenue program (fees and buybacks), for the supply ledger.
pub async fn io_burned(ctx: &mut TestContext) -> u64 {
    match ctx.chain.account(pda::revenue::config()).await {
        Some(account) if account.owner == revenue::ID => {
            let c: revenue::Config = ngpu_sdk::decode_account(&account.data).expect("decodes");
            c.totals.io_burned()
        }
        _ => 0, // not created yet (perhaps pre-funded)
    }
}

/// The revenue invariants (see the module doc).
pub async fn check(ctx: &mut TestContext) {
    if !ctx.revenue.enabled {
        return;
    }
    let config = ctx.revenue_config().await;
    // The reservations program's fees are deposits too.
    let (io_fees, usdc_fees) = crate::reservations::fees_paid(ctx).await;
    let io_vault = ctx.chain.token_balance(config.io_vault).await;
    assert_eq!(
        io_vault,
        ctx.revenue.io_deposited + io_fees - config.totals.io_burned_fees,
        "IO fee vault == deposits - burned"
    );
    let usdc_vault = ctx.chain.token_balance(config.usdc_vault).await;
    assert_eq!(
        usdc_vault,
        ctx.revenue.usdc_deposited + usdc_fees - config.totals.usdc_spent,
        "USDC fee vault == deposits - spent"
    );
    ctx.revenue.max_window_limit = ctx.revenue.max_window_limit.max(config.window_limit);
    assert!(
        config.window_outflow <= ctx.revenue.max_window_limit,
        "window outflow {} > every limit so far ({})",
        config.window_outflow,
        ctx.revenue.max_window_limit
    );
    // Σ day records == config totals.
    let mut sum = BurnTotals::default();
    let mut records = 0;
    if config.day_records > 0 {
        for day in config.first_day..=config.last_day {
            let Some(record) = ctx.day_record(day).await else {
                continue;
            };
            assert_eq!(record.day, day);
            records += 1;
            let t = record.totals;
            assert!(t.fee_burns + t.fills > 0, "an empty record for day {day}");
            if t.fills > 0 {
                assert!(t.min_price_micro_usd <= t.max_price_micro_usd);
                if sum.fills == 0 {
                    sum.min_price_micro_usd = t.min_price_micro_usd;
                    sum.max_price_micro_usd = t.max_price_micro_usd;
                } else {
                    sum.min_price_micro_usd = sum.min_price_micro_usd.min(t.min_price_micro_usd);
                    sum.max_price_micro_usd = sum.max_price_micro_usd.max(t.max_price_micro_usd);
                }
            }
            sum.io_burned_fees += t.io_burned_fees;
            sum.io_burned_buyback += t.io_burned_buyback;
            sum.usdc_spent += t.usdc_spent;
            sum.fee_burns += t.fee_burns;
            sum.fills += t.fills;
        }
    }
    assert_eq!(records, config.day_records, "day record count");
    assert_eq!(sum, config.totals, "config totals == Σ day records");
}
