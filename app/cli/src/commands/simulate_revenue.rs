//! The revenue part of `ngpu simulate`: a stand-in depositor (until the reservations program
//! exists) sends IO and USDC fees into the two fee vaults every crank call, a keeper burns the
//! IO fees, and a market maker sells IO to the buyback at the oracle's low price (no premium
//! taken) for whatever the USDC vault and the outflow window allow; that IO is burned. The
//! oracle price rises over the period, so the same USDC buys back less IO.

use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::Localnet;
use ngpu_sdk::params::Params;
use ngpu_sdk::{ix, pda, Pubkey};
use revenue::{BuybackFilled, IoFeesBurned};
use serde::Serialize;

use super::simulate::ok;

const IO: u64 = 100_000_000;
/// The IO/USD price starts at $2.50 (exponent -8) and rises by this much every hour
/// ($0.024 a day), with a 0.2% confidence band.
const START_PRICE: i64 = 250_000_000;
const PRICE_STEP_PER_HOUR: i64 = 100_000;
const CONF_BPS: i64 = 20;
/// IO the market maker holds for selling (from the community account).
const MARKET_MAKER_IO: u64 = 10_000_000;

pub struct RevenueSim {
    usdc_mint: Pubkey,
    depositor: Keypair,
    community_owner: Keypair,
    community: Pubkey,
    price_feed: Pubkey,
    market_maker: Keypair,
    mm_io: Pubkey,
    mm_usdc: Pubkey,
    fee_io_per_hour: u64,
    fee_usdc_per_hour: u64,
    io_fees: u64,
    usdc_fees: u64,
}

/// The fee flows over the simulated period, in base units.
#[derive(Serialize, Debug, Clone)]
pub struct RevenueReport {
    /// Revenue by currency: what the depositor sent to each fee vault.
    pub io_fees: u64,
    pub usdc_fees: u64,
    /// IO burned by path.
    pub io_burned_fees: u64,
    pub io_burned_buyback: u64,
    pub usdc_spent: u64,
    pub fee_burns: u64,
    pub fills: u64,
    /// USDC spent per IO bought back (micro-USD, rounded down), and the range of fill prices.
    pub average_price_micro_usd: u64,
    pub min_price_micro_usd: u64,
    pub max_price_micro_usd: u64,
    pub day_records: u64,
    /// Left in the vaults (the USDC the window has not let out yet).
    pub io_vault: u64,
    pub usdc_vault: u64,
    /// The market maker's IO left, and the USDC it received.
    pub market_maker_io: u64,
    pub market_maker_usdc: u64,
}

impl RevenueSim {
    /// Creates a USDC mint (the depositor is its mint authority), initialises revenue with
    /// `params` and a price account of its own, and funds the market maker from the community
    /// account (owned by `authority`).
    pub async fn set_up(
        chain: &mut Localnet,
        params: &Params,
        authority: &Keypair,
        community: Pubkey,
        fee_io_per_hour: u64,
        fee_usdc_per_hour: u64,
    ) -> Result<Self, String> {
        let depositor = Keypair::new();
        let usdc_mint = chain.create_mint(6, &depositor.pubkey()).await;
        let price_feed = Pubkey::new_unique();
        let args = params
            .revenue
            .initialize_args(price_feed, ngpu_localnet::TEST_FEED_ID);
        ok(
            "initialize revenue",
            chain
                .send(
                    &[ix::revenue::initialize(authority.pubkey(), usdc_mint, args)],
                    &[authority],
                )
                .await,
        )?;
        let market_maker = Keypair::new();
        let mm_io = chain
            .create_token_account(&revenue::IO_MINT, &market_maker.pubkey())
            .await;
        let mm_usdc = chain
            .create_token_account(&usdc_mint, &market_maker.pubkey())
            .await;
        let sim = Self {
            usdc_mint,
            depositor,
            community_owner: authority.insecure_clone(),
            community,
            price_feed,
            market_maker,
            mm_io,
            mm_usdc,
            fee_io_per_hour,
            fee_usdc_per_hour,
            io_fees: 0,
            usdc_fees: 0,
        };
        sim.transfer_io(chain, mm_io, MARKET_MAKER_IO * IO).await?;
        Ok(sim)
    }

    async fn transfer_io(
        &self,
        chain: &mut Localnet,
        to: Pubkey,
        amount: u64,
    ) -> Result<(), String> {
        let transfer = anchor_spl::token::spl_token::instruction::transfer(
            &anchor_spl::token::ID,
            &self.community,
            &to,
            &self.community_owner.pubkey(),
            &[],
            amount,
        )
        .map_err(|e| e.to_string())?;
        ok(
            "deposit IO fees",
            chain.send(&[transfer], &[&self.community_owner]).await,
        )
    }

    /// The token accounts this part holds IO in (for the supply check): the IO fee vault and
    /// the market maker's account.
    pub fn io_accounts(&self) -> [(&'static str, Pubkey); 2] {
        [
            ("Revenue IO fee vault", pda::revenue::io_vault()),
            ("Market maker (buyback seller)", self.mm_io),
        ]
    }

    pub fn usdc_mint(&self) -> Pubkey {
        self.usdc_mint
    }

    pub fn price_feed(&self) -> Pubkey {
        self.price_feed
    }

    /// Mints `amount` USDC base units to `to` (a renter's wallet).
    pub async fn mint_usdc(
        &self,
        chain: &mut Localnet,
        to: Pubkey,
        amount: u64,
    ) -> Result<(), String> {
        let mint = anchor_spl::token::spl_token::instruction::mint_to(
            &anchor_spl::token::ID,
            &self.usdc_mint,
            &to,
            &self.depositor.pubkey(),
            &[],
            amount,
        )
        .map_err(|e| e.to_string())?;
        ok(
            "mint test USDC",
            chain.send(&[mint], &[&self.depositor]).await,
        )
    }

    /// Fees the reservations program sent to the fee vaults (counted as arrivals).
    pub fn note_reservation_fees(&mut self, io: u64, usdc: u64) {
        self.io_fees += io;
        self.usdc_fees += usdc;
    }

    /// After the crank call that ended at hour `end` (`hours` hours): the fees of those hours
    /// arrive, the keeper burns the IO fees and the market maker fills what it can.
    pub async fn step(&mut self, chain: &mut Localnet, end: u64, hours: u64) -> Result<(), String> {
        let io = hours * self.fee_io_per_hour;
        let usdc = hours * self.fee_usdc_per_hour;
        if io > 0 {
            self.transfer_io(chain, pda::revenue::io_vault(), io)
                .await?;
            self.io_fees += io;
        }
        if usdc > 0 {
            let mint = anchor_spl::token::spl_token::instruction::mint_to(
                &anchor_spl::token::ID,
                &self.usdc_mint,
                &pda::revenue::fee_vault(&self.usdc_mint),
                &self.depositor.pubkey(),
                &[],
                usdc,
            )
            .map_err(|e| e.to_string())?;
            ok(
                "deposit USDC fees",
                chain.send(&[mint], &[&self.depositor]).await,
            )?;
            self.usdc_fees += usdc;
        }
        let now = chain.now().await;
        let day = ngpu_math::revenue::utc_day(now).map_err(|e| e.to_string())?;
        // The keeper: burn whatever IO fees arrived.
        if chain.token_balance(pda::revenue::io_vault()).await > 0 {
            let payer = chain.payer().pubkey();
            let outcome = chain
                .send(&[ix::revenue::burn_io_fees(payer, day)], &[])
                .await;
            ok("burn IO fees", &outcome)?;
            let burned: IoFeesBurned = outcome.event();
            if burned.amount == 0 {
                return Err("a fee burn burned nothing".into());
            }
        }
        // The market maker: a fresh price, then sell at the low side for what the program pays.
        let price = START_PRICE + PRICE_STEP_PER_HOUR * i64::try_from(end).unwrap_or(0);
        let conf = u64::try_from(price * CONF_BPS / 10_000).unwrap_or(0);
        chain.set_pyth_price(self.price_feed, price, conf, -8, now);
        let config: revenue::Config = chain.anchor_account(pda::revenue::config()).await;
        let vault = chain.token_balance(config.usdc_vault).await;
        // What the vault and the window allow (the oracle bound is met by construction below).
        let room = ngpu_math::revenue::outflow_room(
            config.window_outflow,
            config.window_last_ts,
            now,
            config.window_secs,
            config.window_limit,
        )
        .map_err(|e| e.to_string())?;
        let usdc_out = vault.min(room);
        if usdc_out == 0 {
            return Ok(());
        }
        // At the low side with no premium: io_in = ceil(usdc_out * 10^10 / (price - conf)).
        let low = u128::from(u64::try_from(price).unwrap_or(0) - conf);
        let io_in = u64::try_from((u128::from(usdc_out) * 10_000_000_000).div_ceil(low))
            .map_err(|e| e.to_string())?;
        let accounts = ix::revenue::FillAccounts {
            price_feed: self.price_feed,
            usdc_mint: self.usdc_mint,
            seller_io: self.mm_io,
            seller_usdc: self.mm_usdc,
        };
        let outcome = chain
            .send(
                &[ix::revenue::fill_buyback(
                    self.market_maker.pubkey(),
                    accounts,
                    day,
                    io_in,
                    usdc_out,
                    now + 30,
                )],
                &[&self.market_maker],
            )
            .await;
        ok("buyback fill", &outcome)?;
        let filled: BuybackFilled = outcome.event();
        if filled.usdc_out != usdc_out {
            return Err("the fill paid another amount than asked".into());
        }
        Ok(())
    }

    pub async fn finish(&self, chain: &mut Localnet) -> Result<RevenueReport, String> {
        let config: revenue::Config = chain.anchor_account(pda::revenue::config()).await;
        let t = config.totals;
        let report = RevenueReport {
            io_fees: self.io_fees,
            usdc_fees: self.usdc_fees,
            io_burned_fees: t.io_burned_fees,
            io_burned_buyback: t.io_burned_buyback,
            usdc_spent: t.usdc_spent,
            fee_burns: t.fee_burns,
            fills: t.fills,
            average_price_micro_usd: ngpu_math::revenue::fill_price_micro_usd(
                t.io_burned_buyback,
                t.usdc_spent,
            )
            .unwrap_or(0),
            min_price_micro_usd: t.min_price_micro_usd,
            max_price_micro_usd: t.max_price_micro_usd,
            day_records: config.day_records,
            io_vault: chain.token_balance(config.io_vault).await,
            usdc_vault: chain.token_balance(config.usdc_vault).await,
            market_maker_io: chain.token_balance(self.mm_io).await,
            market_maker_usdc: chain.token_balance(self.mm_usdc).await,
        };
        // The fee vaults hold exactly what arrived less what was burned or spent.
        if report.io_vault != report.io_fees - report.io_burned_fees
            || report.usdc_vault != report.usdc_fees - report.usdc_spent
            || report.market_maker_usdc != report.usdc_spent
            || report.market_maker_io != MARKET_MAKER_IO * IO - report.io_burned_buyback
        {
            return Err(format!("revenue ledger mismatch: {report:?}"));
        }
        Ok(report)
    }
}

/// The report's revenue lines.
pub fn print(r: &RevenueReport) {
    use ngpu_math::units::format_io;
    use ngpu_sdk::revenue::format_usdc;
    println!();
    println!(
        "  revenue (stand-in depositor): {} IO and {} USDC of fees",
        format_io(r.io_fees),
        format_usdc(r.usdc_fees)
    );
    println!(
        "  IO burned: {} IO from fees ({} burns), {} IO bought back ({} fills for {} USDC, average ${} per IO, ${}..${})",
        format_io(r.io_burned_fees),
        r.fee_burns,
        format_io(r.io_burned_buyback),
        r.fills,
        format_usdc(r.usdc_spent),
        format_usdc(r.average_price_micro_usd),
        format_usdc(r.min_price_micro_usd),
        format_usdc(r.max_price_micro_usd)
    );
    println!(
        "  left in the fee vaults: {} IO, {} USDC (USDC beyond the outflow window waits); {} day records",
        format_io(r.io_vault),
        format_usdc(r.usdc_vault),
        r.day_records
    );
}
