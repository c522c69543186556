use anchor_lang::prelude::*;

use crate::constants::{EMISSION_SUPPLY, MAX_HOURS_PER_CALL, MAX_SUPPLY};
use crate::errors::IoTokenError;
use crate::events::SupplyTotals;

/// Seed of the PDA that is the IO mint's only mint authority. It holds no data.
pub const MINT_AUTHORITY_SEED: &[u8] = b"mint_authority";
/// Seed of the IO mint itself (a PDA, so every client can derive it).
pub const IO_MINT_SEED: &[u8] = b"io_mint";

// The PDAs above and `Config::SEED`, precomputed for this program id: a constraint then compares
// 32 bytes instead of re-deriving the address (create_program_address, 1,500 CU each on every
// crank). `tests::precomputed_pdas_match_their_seeds` pins them to the seeds and the id.
/// `[b"config"]`.
pub const CONFIG_ADDRESS: Pubkey = pubkey!("GS54bVFcFopvDHPN9AmWpQE1bGDMTkwsh1Txva6LUyHG");
/// `[b"mint_authority"]`.
pub const MINT_AUTHORITY_ADDRESS: Pubkey = pubkey!("8qfpZUgha5nj7wRAymaTrgARKSC8rKQbx84GfNaQ5WFW");
/// `[b"io_mint"]`.
pub const IO_MINT_ADDRESS: Pubkey = pubkey!("Dy1KUTgacRaiCAHnFFi3R5wtKQacztQwBCv2V5Tvh6Ei");

/// The program's single configuration and supply ledger, PDA `[b"config"]`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Config {
    pub version: u8,
    pub bump: u8,
    pub mint_authority_bump: u8,
    pub io_mint_bump: u8,
    /// Pauses `genesis` and `mint_emission`. Holders' tokens are never frozen (no freeze authority).
    pub paused: bool,
    /// Hours one `mint_emission` call may process, 1..=24.
    pub max_hours_per_call: u8,
    /// The network multisig: runs genesis, pauses, sets the controller, hands over authority.
    pub authority: Pubkey,
    /// Proposed new authority awaiting `accept_authority`; default when none.
    pub pending_authority: Pubkey,
    /// The only signer allowed to call `mint_emission` (later the staking program's PDA);
    /// default until the authority sets one.
    pub emission_controller: Pubkey,
    /// IO token account that `mint_emission` mints into.
    pub emission_destination: Pubkey,
    pub io_mint: Pubkey,
    /// Unix time of genesis, 0 before it: hour `h` is `[genesis_ts + 3600 h, genesis_ts + 3600 (h + 1))`.
    pub genesis_ts: i64,
    /// Base units minted by genesis (0 or exactly 500M IO).
    pub genesis_minted: u64,
    /// Base units minted by the emission schedule.
    pub emission_minted: u64,
    /// Base units of hour budgets not minted when their hour was processed; never mintable.
    pub emission_forfeited: u64,
    /// Next hour to process; hours `0..next_hour` are done.
    pub next_hour: u64,
    /// Set once by `lock_emission_controller`, never cleared: the controller and destination
    /// can no longer change (carved from `_reserved`, so the layout is unchanged).
    pub emission_controller_locked: bool,
    pub _reserved: [u8; 127],
}

impl Config {
    pub const SEED: &'static [u8] = b"config";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn genesis_done(&self) -> bool {
        self.genesis_minted > 0
    }

    /// Everything that counts against the cap: minted plus forfeited, in base units.
    pub fn committed_supply(&self) -> Result<u64> {
        self.genesis_minted
            .checked_add(self.emission_minted)
            .and_then(|v| v.checked_add(self.emission_forfeited))
            .ok_or_else(|| error!(IoTokenError::MathOverflow))
    }

    /// Checks the supply invariants and parameter bounds; called before every state write.
    pub fn validate(&self) -> Result<()> {
        let emitted = self
            .emission_minted
            .checked_add(self.emission_forfeited)
            .ok_or_else(|| error!(IoTokenError::MathOverflow))?;
        require_gte!(EMISSION_SUPPLY, emitted, IoTokenError::CapExceeded);
        require_eq!(
            emitted,
            ngpu_math::cumulative(self.next_hour),
            IoTokenError::CapExceeded
        );
        require_gte!(
            MAX_SUPPLY,
            self.committed_supply()?,
            IoTokenError::CapExceeded
        );
        require!(
            (1..=MAX_HOURS_PER_CALL).contains(&self.max_hours_per_call),
            IoTokenError::InvalidParameter
        );
        require_keys_neq!(self.authority, Pubkey::default(), IoTokenError::InvalidKey);
        // A locked controller is a real key: `mint_emission` stays callable forever.
        require!(
            !self.emission_controller_locked || self.emission_controller != Pubkey::default(),
            IoTokenError::NoEmissionController
        );
        Ok(())
    }

    pub fn totals(&self) -> SupplyTotals {
        SupplyTotals {
            genesis_minted: self.genesis_minted,
            emission_minted: self.emission_minted,
            emission_forfeited: self.emission_forfeited,
            next_hour: self.next_hour,
            remaining_to_cap: self
                .committed_supply()
                .map_or(0, |c| MAX_SUPPLY.saturating_sub(c)),
        }
    }

    /// Byte offset of `next_hour` in the account data (discriminator, six 1-byte fields, five
    /// keys, four u64 before it: Borsh lays fields out in order, without padding).
    pub const NEXT_HOUR_OFFSET: usize = 8 + 6 + 5 * 32 + 4 * 8;

    /// Reads `next_hour` from this config's account data without deserializing the rest (the
    /// emission controller's hourly crank needs only this); `None` if the data is not a config.
    pub fn next_hour_of(data: &[u8]) -> Option<u64> {
        if data.get(..8)? != Self::DISCRIMINATOR {
            return None;
        }
        let bytes = data.get(Self::NEXT_HOUR_OFFSET..Self::NEXT_HOUR_OFFSET.checked_add(8)?)?;
        Some(u64::from_le_bytes(bytes.try_into().ok()?))
    }

    pub fn mint_authority_seeds(&self) -> [&[u8]; 2] {
        [
            MINT_AUTHORITY_SEED,
            core::slice::from_ref(&self.mint_authority_bump),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precomputed_pdas_match_their_seeds() {
        for (seed, address) in [
            (Config::SEED, CONFIG_ADDRESS),
            (MINT_AUTHORITY_SEED, MINT_AUTHORITY_ADDRESS),
            (IO_MINT_SEED, IO_MINT_ADDRESS),
        ] {
            assert_eq!(Pubkey::find_program_address(&[seed], &crate::ID).0, address);
        }
    }

    #[test]
    fn next_hour_is_read_at_its_offset() {
        let config = Config {
            version: 1,
            bump: 2,
            mint_authority_bump: 3,
            io_mint_bump: 4,
            paused: true,
            max_hours_per_call: 24,
            authority: Pubkey::new_from_array([1; 32]),
            pending_authority: Pubkey::new_from_array([2; 32]),
            emission_controller: Pubkey::new_from_array([3; 32]),
            emission_destination: Pubkey::new_from_array([4; 32]),
            io_mint: Pubkey::new_from_array([5; 32]),
            genesis_ts: -1,
            genesis_minted: u64::MAX,
            emission_minted: 7,
            emission_forfeited: 8,
            next_hour: 0x0102_0304_0506_0708,
            emission_controller_locked: true,
            _reserved: [0xff; 127],
        };
        let mut data = Vec::new();
        config.try_serialize(&mut data).unwrap();
        assert_eq!(Config::next_hour_of(&data), Some(config.next_hour));
        data[0] ^= 1;
        assert_eq!(Config::next_hour_of(&data), None);
        assert_eq!(Config::next_hour_of(&[]), None);
    }

    #[test]
    fn config_size_is_pinned() {
        // Field layout change = new account version; the size never changes (carve _reserved).
        assert_eq!(Config::SPACE, 8 + 6 + 5 * 32 + 8 * 5 + 1 + 127);
    }
}
