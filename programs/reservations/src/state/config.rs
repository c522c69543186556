use anchor_lang::prelude::*;
use ngpu_math::reservations::FeeRates;
use ngpu_onchain::pyth::PriceLimits;

use crate::errors::ReservationsError;
use crate::events::ConfigState;
use crate::state::Currency;

/// Seed of the escrow vaults: `[b"escrow", config, mint]` (token accounts owned by the config).
pub const ESCROW_SEED: &[u8] = b"escrow";

// Pinned PDAs: a 32-byte compare instead of re-deriving the address (1,500 CU on SBF) in every
// instruction. `pinned_pdas_match_their_seeds` ties them to the seeds and the program id.
/// `[b"config"]`: also staking's hire authority (signs `set_hired`).
pub const CONFIG_ADDRESS: Pubkey = pubkey!("Dffvs6vKzZqgs976yUzHyBp5XWhvcM32fcRbxxyBJWdD");
/// The bump of `CONFIG_ADDRESS`.
pub const CONFIG_BUMP: u8 = 255;
/// `[b"escrow", config, IO mint]`: the IO escrow vault.
pub const IO_ESCROW_ADDRESS: Pubkey = pubkey!("Hgw8EcjawRtD7Qpf67hy8YsHWpKQ23zKE7KDhBEs1Fo3");

/// Per currency, since inception, in its base units. Always
/// `deposited == supplier_paid + fees + refunded + escrowed`, and `escrowed` is what the
/// currency's escrow vault owes the open reservations.
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Default, Debug, PartialEq, Eq,
)]
pub struct CurrencyTotals {
    pub deposited: u64,
    pub supplier_paid: u64,
    /// Sent to the revenue fee vault (renter-side and supplier-side fees).
    pub fees: u64,
    pub refunded: u64,
    pub escrowed: u64,
    pub reservations: u64,
    /// Part of `escrowed`: supplier pay credited to listings (unusable payout account) and not
    /// yet claimed (`claim_payout`). The escrow vault holds `Σ open reservations + owed`.
    pub owed: u64,
    /// Part of `owed`: fees kept in escrow while the revenue fee vault was unusable (frozen by
    /// the mint's freeze authority), until `sweep_fees` delivers them.
    pub fees_owed: u64,
}

/// The program's configuration and all-time totals, PDA `[b"config"]`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Config {
    pub version: u8,
    pub bump: u8,
    pub io_escrow_bump: u8,
    pub usdc_escrow_bump: u8,
    /// Blocks `reserve` only: settle and end stay open, so no escrow is ever stranded.
    pub paused: bool,
    /// The network multisig: parameters (within bounds), pause, handover. No instruction of it
    /// moves escrowed funds.
    pub authority: Pubkey,
    /// Proposed new authority awaiting `accept_authority`; default when none.
    pub pending_authority: Pubkey,
    /// The USDC mint (classic SPL Token, 6 decimals), pinned at `initialize`.
    pub usdc_mint: Pubkey,
    /// Escrow vaults `[b"escrow", config, mint]` owned by this config PDA.
    pub io_escrow: Pubkey,
    pub usdc_escrow: Pubkey,
    /// The revenue program's fee vaults `[b"fees", revenue config, mint]`: every fee goes there.
    pub io_fee_vault: Pubkey,
    pub usdc_fee_vault: Pubkey,
    /// The Pyth PriceUpdateV2 account of the IO/USD feed (pinned) and its feed id.
    pub price_feed: Pubkey,
    pub price_feed_id: [u8; 32],
    pub max_price_age_secs: u32,
    pub max_confidence_bps: u16,
    /// Fees in bps, each paid by both sides (renter on top, supplier out of its pay), copied
    /// onto each reservation: the reservation fee in both currencies, the payment fee by currency.
    pub reservation_fee_bps: u16,
    pub usdc_payment_fee_bps: u16,
    pub io_payment_fee_bps: u16,
    /// The longest reservation, hours.
    pub max_hours: u32,
    /// Reservations open now.
    pub open_reservations: u64,
    pub io_totals: CurrencyTotals,
    pub usdc_totals: CurrencyTotals,
    pub _reserved: [u8; 96],
}

impl Config {
    pub const SEED: &'static [u8] = b"config";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn state(&self) -> ConfigState {
        ConfigState {
            authority: self.authority,
            pending_authority: self.pending_authority,
            paused: self.paused,
            open_reservations: self.open_reservations,
            io_totals: self.io_totals,
            usdc_totals: self.usdc_totals,
        }
    }

    pub fn price_limits(&self) -> PriceLimits {
        PriceLimits {
            feed_id: self.price_feed_id,
            max_age_secs: self.max_price_age_secs,
            max_confidence_bps: self.max_confidence_bps,
        }
    }

    /// The fee rates a new reservation in `currency` copies.
    pub fn rates(&self, currency: Currency) -> FeeRates {
        FeeRates {
            reservation_bps: self.reservation_fee_bps,
            payment_bps: match currency {
                Currency::Usdc => self.usdc_payment_fee_bps,
                Currency::Io => self.io_payment_fee_bps,
            },
        }
    }

    pub fn mint(&self, currency: Currency) -> Pubkey {
        match currency {
            Currency::Usdc => self.usdc_mint,
            Currency::Io => crate::IO_MINT,
        }
    }

    pub fn escrow(&self, currency: Currency) -> Pubkey {
        match currency {
            Currency::Usdc => self.usdc_escrow,
            Currency::Io => self.io_escrow,
        }
    }

    pub fn fee_vault(&self, currency: Currency) -> Pubkey {
        match currency {
            Currency::Usdc => self.usdc_fee_vault,
            Currency::Io => self.io_fee_vault,
        }
    }

    pub fn totals_mut(&mut self, currency: Currency) -> &mut CurrencyTotals {
        match currency {
            Currency::Usdc => &mut self.usdc_totals,
            Currency::Io => &mut self.io_totals,
        }
    }

    /// Pays `amount` from an escrow vault owned by this config PDA; nothing for 0.
    pub fn pay_from<'info>(
        config: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        to: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let seeds: &[&[u8]] = &[Self::SEED, &[CONFIG_BUMP]];
        ngpu_onchain::token_cpi::transfer(&vault, &to, &config, amount, &[seeds])
    }
}

/// `a += b`, checked.
pub fn add_to(a: &mut u64, b: u64) -> Result<()> {
    *a = a
        .checked_add(b)
        .ok_or_else(|| error!(ReservationsError::MathOverflow))?;
    Ok(())
}

/// `a -= b`, checked.
pub fn sub_from(a: &mut u64, b: u64) -> Result<()> {
    *a = a
        .checked_sub(b)
        .ok_or_else(|| error!(ReservationsError::MathOverflow))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_pdas_match_their_seeds() {
        let (config, bump) = Pubkey::find_program_address(&[Config::SEED], &crate::ID);
        let io_escrow = Pubkey::find_program_address(
            &[ESCROW_SEED, config.as_ref(), crate::IO_MINT.as_ref()],
            &crate::ID,
        )
        .0;
        assert_eq!(
            (config, bump, io_escrow),
            (CONFIG_ADDRESS, CONFIG_BUMP, IO_ESCROW_ADDRESS)
        );
    }
}
