use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::solana_program::program::invoke_signed;
use anchor_lang::system_program;
use anchor_lang::Discriminator;
use anchor_spl::token::Token;
use io_token::program::IoToken;
use ngpu_math::staking::{accumulator_delta, paid_for_hour};

use crate::constants::MAX_HOURS_PER_CRANK;
use crate::errors::{math, StakingError};
use crate::events::HoursCranked;
use crate::price::read_price;
use crate::state::{
    ledger_len, Config, HourLedger, Ledger, LedgerState, RewardHistory, CONFIG_ADDRESS,
    EMISSION_AUTHORITY_ADDRESS, EMISSION_AUTHORITY_SEED,
};

#[event_cpi]
#[derive(Accounts)]
pub struct CrankHour<'info> {
    /// Anyone: the crank is permissionless and gives the caller no discretion. Pays the rent of
    /// the ledger's new readings (16 bytes a cranked hour).
    #[account(mut)]
    pub cranker: Signer<'info>,
    /// Read only: the crank's running state is in the ledger.
    #[account(
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
    /// CHECK: io-token's config, pinned: the crank reads its next hour (`next_hour_of` checks
    /// the discriminator) and forwards it to `mint_emission`.
    #[account(mut, address = io_token::CONFIG_ADDRESS)]
    pub io_token_config: UncheckedAccount<'info>,
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
    let mut state = HourLedger::open(&ctx.accounts.ledger)?.state();
    // Hours io-token already processed under another emission controller are not staking's
    // to pay: the crank moves on to io-token's next hour.
    let io_next_hour =
        io_token::Config::next_hour_of(&ctx.accounts.io_token_config.try_borrow_data()?)
            .ok_or_else(|| error!(StakingError::InvalidParameter))?;
    let start = state.next_hour.max(io_next_hour);
    require_gte!(first_hour, start, StakingError::HourAlreadyProcessed);
    require_eq!(first_hour, start, StakingError::HourOutOfOrder);
    let end = first_hour
        .checked_add(u64::from(hours))
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    let now = Clock::get()?.unix_timestamp;
    require!(
        config.genesis_ts > 0 && ngpu_math::hours_ended(config.genesis_ts, now) >= end,
        StakingError::HourNotEnded
    );
    let price = read_price(
        &ctx.accounts.price_feed.to_account_info(),
        &config.price_feed_id,
        now,
        config.max_price_age_secs,
        config.max_confidence_bps,
    )?;

    // Hours io-token processed elsewhere are skipped at most `MAX_SKIP` a call (the ledger
    // grows by one reading per hour, at most 10 KB an instruction); the keeper repeats the call.
    let from = state.next_hour;
    let skip_to = first_hour.min(from.saturating_add(MAX_SKIP));
    let end = if skip_to < first_hour { skip_to } else { end };
    grow_ledger(&ctx, end)?;
    let mut ledger = HourLedger::open_mut(&ctx.accounts.ledger)?;
    // Each hour is paid with the total weight in force during it: the last cranked hour's,
    // plus the changes the ledger holds for it.
    skip_hours(&mut ledger, from, skip_to, &mut state)?;
    if skip_to < first_hour {
        ledger.set_state(&state);
        drop(ledger);
        emit_cpi!(HoursCranked::new(from, 0, price, &state, 0, 0));
        return Ok(());
    }
    let mut mint = MintEmissionData::new(first_hour, hours);
    let (mut paid, mut forfeited) = (0u64, 0u64);
    let mut history = RewardHistory::load_mut(&ctx.accounts.history)?;
    for hour in first_hour..end {
        state.total_weight = state.total_weight.wrapping_add(ledger.take_delta(hour));
        let budget = ngpu_math::hour_budget(hour);
        let (amount, delta) = if state.total_weight == 0 {
            (0, 0)
        } else {
            let amount = math(paid_for_hour(budget, state.total_weight, price))?;
            let delta = accumulator_delta(amount, u128::from(state.total_weight));
            (amount, math(delta)?)
        };
        state.reward_per_weight = state
            .reward_per_weight
            .checked_add(delta)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        ledger.set_acc_end(hour, state.reward_per_weight)?;
        // Each hour's share is kept for 30 days, so an uptime report can find it.
        history.record(hour, delta);
        mint.push(amount);
        paid = paid
            .checked_add(amount)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        forfeited = forfeited
            .checked_add(budget.saturating_sub(amount))
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
    }
    state.next_hour = end;
    state.rewards_minted = state
        .rewards_minted
        .checked_add(paid)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    state.rewards_forfeited = state
        .rewards_forfeited
        .checked_add(forfeited)
        .ok_or_else(|| error!(StakingError::MathOverflow))?;
    ledger.set_state(&state);
    drop(ledger);
    drop(history);

    mint.invoke(ctx.accounts, config.emission_authority_bump)?;
    emit_cpi!(HoursCranked::new(
        first_hour, hours, price, &state, paid, forfeited
    ));
    Ok(())
}

/// io-token's `mint_emission` instruction, encoded as the hours are paid and invoked by hand:
/// Anchor's CPI client would collect the amounts in a vector, clone every account into two
/// more and Borsh-encode a copy (a fifth of the crank's own cost).
struct MintEmissionData {
    data: Vec<u8>,
}

impl MintEmissionData {
    /// Discriminator, `first_hour`, and the amounts' count (`MintEmissionArgs`, Borsh).
    fn new(first_hour: u64, hours: u8) -> Self {
        let mut data =
            Vec::with_capacity(20usize.saturating_add(8usize.saturating_mul(hours.into())));
        data.extend_from_slice(io_token::instruction::MintEmission::DISCRIMINATOR);
        data.extend_from_slice(&first_hour.to_le_bytes());
        data.extend_from_slice(&u32::from(hours).to_le_bytes());
        MintEmissionData { data }
    }

    /// Appends the next hour's amount.
    fn push(&mut self, amount: u64) {
        self.data.extend_from_slice(&amount.to_le_bytes());
    }

    /// Mints the hours' amounts into the reward vault, signed by the emission PDA.
    fn invoke(self, accounts: &CrankHour, emission_bump: u8) -> Result<()> {
        let instruction = Instruction {
            program_id: io_token::ID,
            accounts: vec![
                AccountMeta::new_readonly(EMISSION_AUTHORITY_ADDRESS, true),
                AccountMeta::new(io_token::CONFIG_ADDRESS, false),
                AccountMeta::new(io_token::IO_MINT_ADDRESS, false),
                AccountMeta::new_readonly(io_token::MINT_AUTHORITY_ADDRESS, false),
                AccountMeta::new(accounts.reward_vault.key(), false),
                AccountMeta::new_readonly(anchor_spl::token::ID, false),
                AccountMeta::new_readonly(accounts.io_token_event_authority.key(), false),
                AccountMeta::new_readonly(io_token::ID, false),
            ],
            data: self.data,
        };
        invoke_signed(
            &instruction,
            &[
                accounts.emission_authority.to_account_info(),
                accounts.io_token_config.to_account_info(),
                accounts.io_mint.to_account_info(),
                accounts.io_mint_authority.to_account_info(),
                accounts.reward_vault.to_account_info(),
                accounts.token_program.to_account_info(),
                accounts.io_token_event_authority.to_account_info(),
                accounts.io_token_program.to_account_info(),
            ],
            &[&[EMISSION_AUTHORITY_SEED, &[emission_bump]]],
        )
        .map_err(Into::into)
    }
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
    state: &mut LedgerState,
) -> Result<()> {
    for hour in from..to {
        state.total_weight = state.total_weight.wrapping_add(ledger.take_delta(hour));
        ledger.set_acc_end(hour, state.reward_per_weight)?;
    }
    if to > from {
        state.next_hour = to;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::InstructionData;

    #[test]
    fn mint_emission_data_is_the_anchor_encoding() {
        let amounts = [5u64, 0, u64::MAX];
        let mut mint = MintEmissionData::new(42, 3);
        for amount in amounts {
            mint.push(amount);
        }
        let anchor = io_token::instruction::MintEmission {
            args: io_token::MintEmissionArgs {
                first_hour: 42,
                amounts: amounts.to_vec(),
            },
        }
        .data();
        assert_eq!(mint.data, anchor);
    }
}
