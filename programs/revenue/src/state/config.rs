use anchor_lang::prelude::*;
use ngpu_onchain::pyth::PriceLimits;
use ngpu_onchain::token_cpi;

use crate::errors::RevenueError;
use crate::events::ConfigState;
use crate::state::BurnTotals;

/// Seed of the fee vaults: `[b"fees", config, mint]` (token accounts owned by the config PDA).
pub const FEES_SEED: &[u8] = b"fees";

// Pinned PDAs: checking an account against a constant is a 32-byte compare, where `seeds + bump`
// re-derives the address (create_program_address, 1,500 CU on SBF) in every instruction.
// `pinned_pdas_match_their_seeds` ties them to the seeds and the program id.
/// `[b"config"]`.
pub const CONFIG_ADDRESS: Pubkey = pubkey!("6HzjTaehRt8zRHw9iEEFzF77fkqtgnn57dXGo1SMTBsL");
/// `[b"fees", config, IO mint]`: the IO fee vault.
pub const IO_VAULT_ADDRESS: Pubkey = pubkey!("DksYap57EP6etkpToQq2MT5MN1zHXvjX5VNSnitJhTWd");

/// The program's configuration and all-time totals, PDA `[b"config"]`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Config {
    pub version: u8,
    pub bump: u8,
    pub io_vault_bump: u8,
    pub usdc_vault_bump: u8,
    /// Blocks `fill_buyback` only: `burn_io_fees` and deposits stay open.
    pub paused: bool,
    /// The network multisig: parameters (within bounds), pause, handover. It has no instruction
    /// that moves vault funds.
    pub authority: Pubkey,
    /// Proposed new authority awaiting `accept_authority`; default when none.
    pub pending_authority: Pubkey,
    /// The USDC mint (classic SPL Token, 6 decimals), pinned at `initialize`.
    pub usdc_mint: Pubkey,
    /// IO fee vault `[b"fees", config, IO mint]` (= `IO_VAULT_ADDRESS`).
    pub io_vault: Pubkey,
    /// USDC fee vault `[b"fees", config, USDC mint]`.
    pub usdc_vault: Pubkey,
    /// The Pyth PriceUpdateV2 account of the IO/USD feed (pinned).
    pub price_feed: Pubkey,
    /// The IO/USD feed id that account must carry.
    pub price_feed_id: [u8; 32],
    pub max_price_age_secs: u32,
    pub max_confidence_bps: u16,
    /// A fill pays at most the oracle's low price plus this, bps (≤ 1,000).
    pub max_premium_bps: u16,
    /// USDC outflow limit: at most `window_limit` base units counted over a window of
    /// `window_secs`, the counted total decaying linearly (Helium's circuit breaker).
    pub window_secs: u32,
    pub window_limit: u64,
    /// The counted outflow as of `window_last_ts`.
    pub window_outflow: u64,
    pub window_last_ts: i64,
    /// Since inception; equal to the sum of the day records.
    pub totals: BurnTotals,
    /// Day records created so far, and the first and last UTC day that has one (0 while none).
    pub day_records: u64,
    pub first_day: u64,
    pub last_day: u64,
    pub _reserved: [u8; 128],
}

impl Config {
    pub const SEED: &'static [u8] = b"config";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Reads the config from its pinned account (`ngpu_onchain::read_account`: owner and
    /// discriminator checked, Anchor's errors); the hot instructions take it unchecked and write
    /// it back once with [`Config::save`], instead of Anchor's field-by-field exit.
    pub fn load(info: &AccountInfo) -> Result<Self> {
        ngpu_onchain::read_account(info)
    }

    /// Writes the config back (the account keeps its size).
    pub fn save(&self, info: &AccountInfo) -> Result<()> {
        ngpu_onchain::write_account(info, self)
    }

    pub fn state(&self) -> ConfigState {
        ConfigState {
            authority: self.authority,
            pending_authority: self.pending_authority,
            paused: self.paused,
            totals: self.totals,
            day_records: self.day_records,
        }
    }

    pub fn price_limits(&self) -> PriceLimits {
        PriceLimits {
            feed_id: self.price_feed_id,
            max_age_secs: self.max_price_age_secs,
            max_confidence_bps: self.max_confidence_bps,
        }
    }

    /// Counts a day record just created for `day`.
    pub fn note_new_day(&mut self, day: u64) -> Result<()> {
        if self.day_records == 0 {
            self.first_day = day;
            self.last_day = day;
        } else {
            self.first_day = self.first_day.min(day);
            self.last_day = self.last_day.max(day);
        }
        self.day_records = self
            .day_records
            .checked_add(1)
            .ok_or_else(|| error!(RevenueError::MathOverflow))?;
        Ok(())
    }

    /// Burns `amount` from a vault owned by this config PDA.
    pub fn burn_from<'info>(
        &self,
        config: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        mint: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        let seeds: &[&[u8]] = &[Self::SEED, &[self.bump]];
        token_cpi::burn(&vault, &mint, &config, amount, &[seeds])
    }

    /// Pays `amount` from a vault owned by this config PDA.
    pub fn pay_from<'info>(
        &self,
        config: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        to: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        let seeds: &[&[u8]] = &[Self::SEED, &[self.bump]];
        token_cpi::transfer(&vault, &to, &config, amount, &[seeds])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_pdas_match_their_seeds() {
        let config = Pubkey::find_program_address(&[Config::SEED], &crate::ID).0;
        let io_vault = Pubkey::find_program_address(
            &[FEES_SEED, config.as_ref(), crate::IO_MINT.as_ref()],
            &crate::ID,
        )
        .0;
        assert_eq!((config, io_vault), (CONFIG_ADDRESS, IO_VAULT_ADDRESS));
    }
}
