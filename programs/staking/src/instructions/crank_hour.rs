use anchor_lang::prelude::*;
use anchor_lang::system_program;
use anchor_spl::token::Token;
use io_token::program::IoToken;
use ngpu_math::staking::{accumulator_delta, paid_for_hour};

use crate::constants::MAX_HOURS_PER_CRANK;
use crate::errors::{math, StakingError};
use crate::events::HoursCranked;
use crate::price::read_price;
use crate::state::{
    ledger_len, Config, HourLedger, Ledger, RewardHistory, CONFIG_ADDRESS,
    EMISSION_AUTHORITY_ADDRESS, EMISSION_AUTHORITY_SEED,
};

#[event_cpi]
#[derive(Accounts)]
pub struct CrankHour<'info> {
    /// Anyone: the crank is permissionless and gives the caller no discretion. Pays the rent of
    /// the ledger's new readings (16 bytes a cranked hour).
    #[account(mut)]
    pub cranker: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = price_feed @ StakingError::WrongPriceAccount,
        constraint = config.history != Pubkey::default() @ StakingError::HistoryNotInitialized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: the 30-day ring of per-hour reward-per-weight readings (uptime reports read it),
    /// pinned in the config (checked after the config's "is it pinned at all" check, so an
    /// unpinned ring gives `HistoryNotInitialized`); loaded as `RewardHistory` by the handler.
    #[account(mut, address = config.history)]
    pub history: UncheckedAccount<'info>,
    /// The hour-exact ledger pinned in the config: each hour's total weight.
    #[account(mut, address = config.ledger)]
    pub ledger: AccountLoader<'info, HourLedger>,
    /// CHECK: the Pyth PriceUpdateV2 account pinned in the config; parsed and checked by
    /// `read_price` (owner, layout, staleness, confidence).
    pub price_feed: UncheckedAccount<'info>,
    /// CHECK: this program's emission PDA, io-token's emission controller (signs the CPI).
    #[account(address = EMISSION_AUTHORITY_ADDRESS)]
    pub emission_authority: UncheckedAccount<'info>,
    #[account(mut, address = io_token::CONFIG_ADDRESS)]
    pub io_token_config: Box<Account<'info, io_token::Config>>,
    /// CHECK: the IO mint, pinned; only forwarded to io-token (which checks it again).
    #[account(mut, address = io_token::IO_MINT_ADDRESS)]
    pub io_mint: UncheckedAccount<'info>,
    /// CHECK: io-token's mint authority PDA, checked by io-token.
    #[account(address = io_token::MINT_AUTHORITY_ADDRESS)]
    pub io_mint_authority: UncheckedAccount<'info>,
    /// CHECK: the reward vault pinned in the config; only forwarded to io-token's MintTo.
    #[account(mut, address = config.reward_vault)]
    pub reward_vault: UncheckedAccount<'info>,
    /// CHECK: io-token's event authority, checked by io-token.
    pub io_token_event_authority: UncheckedAccount<'info>,
    pub io_token_program: Program<'info, IoToken>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<CrankHour>, first_hour: u64, hours: u8) -> Result<()> {
    require!(
        (1..=MAX_HOURS_PER_CRANK).contains(&hours),
        StakingError::InvalidHourCount
    );
    let config = &ctx.accounts.config;
    // Hours io-token already processed under another emission controller are not staking's
    // to pay: the crank moves on to io-token's next hour.
    let start = config.next_hour.max(ctx.accounts.io_token_config.next_hour);
    require_gte!(first_hour, start, StakingError::HourAlreadyProcessed);
    require_eq!(first_hour, start, StakingError::HourOutOfOrder);
    let end = first_hour
        .checked_add(u64::from(hours))
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    let now = Clock::get()?.unix_timestamp;
    let genesis_ts = config.genesis_ts;
    require!(
        genesis_ts > 0 && ngpu_math::hours_ended(genesis_ts, now) >= end,
        StakingError::HourNotEnded
    );
    let price = read_price(
        &ctx.accounts.price_feed.to_account_info(),
        &config.price_feed_id,
        now,
        config.max_price_age_secs,
        config.max_confidence_bps,
    )?;

    // Each hour is paid with the total weight in force during it: the last cranked hour's,
    // plus the changes the ledger holds for it.
    let mut total =
        u64::try_from(config.total_weight).map_err(|_| error!(StakingError::MathOverflow))?;
    let mut acc = config.reward_per_weight;
    // Hours io-token processed elsewhere are skipped at most `MAX_SKIP` a call (the ledger
    // grows by one reading per hour, at most 10 KB an instruction); the keeper repeats the call.
    let skip_to = first_hour.min(config.next_hour.saturating_add(MAX_SKIP));
    let from = config.next_hour;
    let end = if skip_to < first_hour { skip_to } else { end };
    grow_ledger(&ctx, end)?;
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    skip_hours(&mut ledger, from, skip_to, &mut total, acc)?;
    if skip_to < first_hour {
        drop(ledger);
        let config = &mut ctx.accounts.config;
        config.next_hour = skip_to;
        config.total_weight = u128::from(total);
        emit_cpi!(HoursCranked {
            first_hour: from,
            hours: 0,
            price_micro_usd: price,
            total_weight: config.total_weight,
            paid: 0,
            forfeited: 0,
            reward_per_weight: config.reward_per_weight,
            rewards_minted: config.rewards_minted,
            rewards_forfeited: config.rewards_forfeited,
            next_hour: config.next_hour,
        });
        return Ok(());
    }
    let mut amounts = Vec::with_capacity(usize::from(hours));
    let (mut paid, mut forfeited) = (0u64, 0u64);
    let mut history = RewardHistory::load_mut(&ctx.accounts.history)?;
    for hour in first_hour..end {
        total = total.wrapping_add(ledger.take_delta(hour));
        let budget = ngpu_math::hour_budget(hour);
        let (amount, delta) = if total == 0 {
            (0, 0)
        } else {
            let amount = math(paid_for_hour(budget, total, price))?;
            (amount, math(accumulator_delta(amount, u128::from(total)))?)
        };
        acc = acc
            .checked_add(delta)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        ledger.set_acc_end(hour, acc)?;
        // Each hour's share is kept for 30 days, so an uptime report can find it.
        history.record(hour, delta);
        amounts.push(amount);
        paid = paid
            .checked_add(amount)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        forfeited = forfeited
            .checked_add(budget.saturating_sub(amount))
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
    }
    drop(ledger);
    drop(history);

    let seeds: &[&[u8]] = &[EMISSION_AUTHORITY_SEED, &[config.emission_authority_bump]];
    let accounts = &ctx.accounts;
    io_token::cpi::mint_emission(
        CpiContext::new_with_signer(
            io_token::ID,
            io_token::cpi::accounts::MintEmission {
                emission_controller: accounts.emission_authority.to_account_info(),
                config: accounts.io_token_config.to_account_info(),
                io_mint: accounts.io_mint.to_account_info(),
                mint_authority: accounts.io_mint_authority.to_account_info(),
                emission_destination: accounts.reward_vault.to_account_info(),
                token_program: accounts.token_program.to_account_info(),
                event_authority: accounts.io_token_event_authority.to_account_info(),
                program: accounts.io_token_program.to_account_info(),
            },
            &[seeds],
        ),
        io_token::MintEmissionArgs {
            first_hour,
            amounts,
        },
    )?;

    let config = &mut ctx.accounts.config;
    config.reward_per_weight = acc;
    config.total_weight = u128::from(total);
    config.next_hour = end;
    config.rewards_minted = config
        .rewards_minted
        .checked_add(paid)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    config.rewards_forfeited = config
        .rewards_forfeited
        .checked_add(forfeited)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    emit_cpi!(HoursCranked {
        first_hour,
        hours,
        price_micro_usd: price,
        total_weight: config.total_weight,
        paid,
        forfeited,
        reward_per_weight: config.reward_per_weight,
        rewards_minted: config.rewards_minted,
        rewards_forfeited: config.rewards_forfeited,
        next_hour: config.next_hour,
    });
    Ok(())
}

/// Hours io-token processed elsewhere that one call moves past at most.
const MAX_SKIP: u64 = 500;

/// Grows the ledger to hold the readings of every hour before `end`; the cranker pays the rent
/// of the new bytes (16 a cranked hour).
fn grow_ledger(ctx: &Context<CrankHour>, end: u64) -> Result<()> {
    let info = ctx.accounts.ledger.to_account_info();
    let base = HourLedger::open(&ctx.accounts.ledger)?.base_hour();
    let len = ledger_len(base, end)?;
    if len <= info.data_len() {
        return Ok(());
    }
    info.resize(len)?;
    let need = Rent::get()?
        .minimum_balance(len)
        .saturating_sub(info.lamports());
    if need > 0 {
        system_program::transfer(
            CpiContext::new(
                system_program::ID,
                system_program::Transfer {
                    from: ctx.accounts.cranker.to_account_info(),
                    to: info,
                },
            ),
            need,
        )?;
    }
    Ok(())
}

/// Moves the ledger past hours io-token processed elsewhere (`from..to`): their weight changes
/// still apply to later hours, their readings are the unchanged accumulator.
fn skip_hours<D: core::ops::DerefMut<Target = [u8]>>(
    ledger: &mut Ledger<D>,
    from: u64,
    to: u64,
    total: &mut u64,
    acc: u128,
) -> Result<()> {
    for hour in from..to {
        *total = total.wrapping_add(ledger.take_delta(hour));
        ledger.set_acc_end(hour, acc)?;
    }
    Ok(())
}
