use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use ngpu_math::revenue::{add_outflow, fill_price_micro_usd, max_usdc_out, outflow_room, utc_day};
use ngpu_math::MathError;
use ngpu_onchain::token_cpi;

use crate::constants::IO_MINT;
use crate::errors::RevenueError;
use crate::events::BuybackFilled;
use crate::price::read_low_price;
use crate::state::{Config, DayRecord, CONFIG_ADDRESS};
use crate::token_account;

#[event_cpi]
#[derive(Accounts)]
pub struct FillBuyback<'info> {
    /// The seller: signs the burn of its IO; pays the day record's rent if this is the day's
    /// first burn or fill.
    #[account(mut)]
    pub seller: Signer<'info>,
    /// CHECK: the pinned config, read and written back by the handler (`Config::load` / `save`).
    #[account(mut, address = CONFIG_ADDRESS)]
    pub config: UncheckedAccount<'info>,
    /// CHECK: must be the config's `price_feed` (`WrongPriceAccount`); owner and content
    /// checked by the Pyth reader.
    pub price_feed: UncheckedAccount<'info>,
    /// CHECK: must be the config's `usdc_vault` (`WrongVault`); its balance is read in place.
    #[account(mut)]
    pub usdc_vault: UncheckedAccount<'info>,
    /// CHECK: the seller's IO account (IO mint, owned by the seller: `InvalidTokenAccount`),
    /// burned with the seller's signature; SPL Token checks it again.
    #[account(mut)]
    pub seller_io: UncheckedAccount<'info>,
    /// CHECK: any USDC account but the vault itself (`InvalidTokenAccount`): receives the USDC.
    #[account(mut)]
    pub seller_usdc: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned; the token program's burn checks it.
    #[account(mut, address = IO_MINT @ RevenueError::InvalidTokenAccount)]
    pub io_mint: UncheckedAccount<'info>,
    /// CHECK: today's record `[b"burns", config, day]`, created if missing; checked by
    /// `DayRecord::open`.
    #[account(mut)]
    pub day_record: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// RFQ fill: the seller delivers `io_in` IO (burned at once) for `usdc_out` USDC from the fee
/// vault, if `now <= expire_at`, the price is good, `usdc_out` is within the oracle's low price
/// plus the premium (rounded against the seller), the vault holds it and the window allows it.
pub fn handler(ctx: Context<FillBuyback>, io_in: u64, usdc_out: u64, expire_at: i64) -> Result<()> {
    let accounts = &ctx.accounts;
    let config_info = accounts.config.to_account_info();
    let mut config = Config::load(&config_info)?;
    require!(!config.paused, RevenueError::Paused);
    // The accounts.
    require_keys_eq!(
        accounts.price_feed.key(),
        config.price_feed,
        RevenueError::WrongPriceAccount
    );
    require_keys_eq!(
        accounts.usdc_vault.key(),
        config.usdc_vault,
        RevenueError::WrongVault
    );
    let vault = token_account::read(&accounts.usdc_vault)?;
    let seller_io = token_account::read(&accounts.seller_io)?;
    require!(
        seller_io.mint == IO_MINT && seller_io.owner == accounts.seller.key(),
        RevenueError::InvalidTokenAccount
    );
    let seller_usdc = token_account::read(&accounts.seller_usdc)?;
    require!(
        seller_usdc.mint == config.usdc_mint && accounts.seller_usdc.key() != config.usdc_vault,
        RevenueError::InvalidTokenAccount
    );
    // The quote.
    require!(io_in > 0 && usdc_out > 0, RevenueError::ZeroAmount);
    let now = Clock::get()?.unix_timestamp;
    require_gte!(expire_at, now, RevenueError::QuoteExpired);
    let (p_low, price) = read_low_price(
        &accounts.price_feed.to_account_info(),
        &config.price_limits(),
        now,
    )?;
    // A bound beyond u64 is above any u64 amount.
    let bound = match max_usdc_out(io_in, p_low, price.exponent, config.max_premium_bps) {
        Ok(b) => b,
        Err(MathError::Overflow) => u64::MAX,
        Err(e) => return Err(error!(RevenueError::from(e))),
    };
    require_gte!(bound, usdc_out, RevenueError::AbovePriceBound);
    require_gte!(vault.amount, usdc_out, RevenueError::InsufficientVault);
    let (aggregated, last_ts, window) = (
        config.window_outflow,
        config.window_last_ts,
        config.window_secs,
    );
    let room = outflow_room(aggregated, last_ts, now, window, config.window_limit)
        .map_err(RevenueError::from)?;
    require_gte!(room, usdc_out, RevenueError::OutflowLimitExceeded);
    require_gte!(seller_io.amount, io_in, RevenueError::SellerBalanceTooLow);
    let (window_outflow, window_last_ts) =
        add_outflow(aggregated, last_ts, now, window, usdc_out).map_err(RevenueError::from)?;
    let fill_price = fill_price_micro_usd(io_in, usdc_out).map_err(RevenueError::from)?;
    let day = utc_day(now).map_err(RevenueError::from)?;

    let day_info = accounts.day_record.to_account_info();
    let (mut record, created) = DayRecord::open(
        &day_info,
        &accounts.seller.to_account_info(),
        &accounts.system_program.to_account_info(),
        day,
    )?;
    token_cpi::burn(
        &accounts.seller_io.to_account_info(),
        &accounts.io_mint.to_account_info(),
        &accounts.seller.to_account_info(),
        io_in,
        &[],
    )?;
    config.pay_from(
        config_info.clone(),
        accounts.usdc_vault.to_account_info(),
        accounts.seller_usdc.to_account_info(),
        usdc_out,
    )?;
    record.totals.add_fill(io_in, usdc_out, fill_price)?;
    record.save(&day_info)?;
    config.window_outflow = window_outflow;
    config.window_last_ts = window_last_ts;
    config.totals.add_fill(io_in, usdc_out, fill_price)?;
    if created {
        config.note_new_day(day)?;
    }
    config.save(&config_info)?;
    emit_cpi!(BuybackFilled {
        seller: accounts.seller.key(),
        day,
        io_in,
        usdc_out,
        seller_usdc: accounts.seller_usdc.key(),
        max_usdc_out: bound,
        oracle_low_micro_usd: price.low_micro_usd,
        max_premium_bps: config.max_premium_bps,
        price_micro_usd: fill_price,
        window_outflow,
        usdc_vault_balance: vault.amount.saturating_sub(usdc_out),
        day_record: day_info.key(),
        day_record_created: created,
        day_totals: record.totals,
        totals: config.totals,
        day_records: config.day_records,
    });
    Ok(())
}
