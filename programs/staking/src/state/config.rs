use anchor_lang::prelude::*;
use ngpu_onchain::token_cpi;

use crate::constants::MAX_ORACLES;
use crate::errors::StakingError;

/// Seed of the PDA that is io-token's emission controller (signs `mint_emission`).
pub const EMISSION_AUTHORITY_SEED: &[u8] = b"emission";
/// Seed of token vaults: `[b"vault", owner PDA, IO mint]`.
pub const VAULT_SEED: &[u8] = b"vault";
/// Seed of the appeal escrow vault `[b"escrow", config, IO mint]` (owned by the config PDA).
pub const ESCROW_SEED: &[u8] = b"escrow";

// Pinned PDAs: checking an account against a constant is a 32-byte compare, where `seeds + bump`
// re-derives the address (create_program_address, 1,500 CU on SBF) in every instruction.
// `pinned_pdas_match_their_seeds` ties them to the seeds and the program id.
/// `[b"config"]`.
pub const CONFIG_ADDRESS: Pubkey = pubkey!("Ho96uFGyWg8aeBsnL9RgDLbYDtE5HYVD7itEwrYmJXf8");
/// `[b"emission"]`: io-token's emission controller.
pub const EMISSION_AUTHORITY_ADDRESS: Pubkey =
    pubkey!("4zPk9j6hsJbAuMTWdXsZ7uiMuthSBbEpi9SDpjQbTkPy");
/// The bump of `CONFIG_ADDRESS` (signs for the reward and escrow vaults).
pub const CONFIG_BUMP: u8 = 252;
/// `[b"vault", config, IO mint]`: the reward vault.
pub const REWARD_VAULT_ADDRESS: Pubkey = pubkey!("DRHsQQKdFM3pCdxXDgvtYiWBFYsgnopuqPgLhLdbz3Uc");
/// `[b"ledger"]`: the hour-exact ledger.
pub const LEDGER_ADDRESS: Pubkey = pubkey!("8SwfcYP8Yd5eBWmP3USBym73XXvxLZTGs3ZdjMa61ra");

/// The program's configuration and global reward ledger, PDA `[b"config"]`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Config {
    pub version: u8,
    pub bump: u8,
    pub emission_authority_bump: u8,
    pub reward_vault_bump: u8,
    /// Pauses new stake and node registration; unstake, withdraw, claims and the crank stay open.
    pub paused: bool,
    /// The network multisig: device classes, parameters.
    pub authority: Pubkey,
    /// Proposed new authority awaiting `accept_authority`; default when none.
    pub pending_authority: Pubkey,
    /// The node oracle set: the first `oracle_count` keys; node modifiers need `oracle_quorum`
    /// of them to sign the same transaction.
    pub oracles: [Pubkey; MAX_ORACLES],
    pub oracle_count: u8,
    pub oracle_quorum: u8,
    /// The Pyth PriceUpdateV2 account of the IO/USD feed (pinned).
    pub price_feed: Pubkey,
    /// The IO/USD feed id that account must carry (the account's writer could post any feed).
    pub price_feed_id: [u8; 32],
    /// IO vault `[b"vault", config, IO mint]` that emissions are minted into and rewards paid from.
    pub reward_vault: Pubkey,
    pub max_price_age_secs: u32,
    pub max_confidence_bps: u16,
    /// Stake boost at a node's maximum stake, bps of its target.
    pub max_stake_boost_bps: u16,
    /// Minimum active stake for a node to earn, base units.
    pub min_stake: u64,
    /// Lock of each deposit, and cooldown of each unstake request, seconds.
    pub lock_secs: i64,
    pub cooldown_secs: i64,
    /// A resumed node earns nothing for this long (spec: 12 hours), rounded up to whole hours.
    pub reconnect_secs: i64,
    /// Marks nodes hired / released: the reservations program's PDA (a test key until then).
    pub hire_authority: Pubkey,
    pub node_count: u64,
    /// The zero-copy `RewardHistory` account pinned by `init_history`; the crank needs it.
    pub history: Pubkey,
    /// IO vault `[b"escrow", config, IO mint]` holding slashed tokens during their appeal window.
    pub escrow_vault: Pubkey,
    pub escrow_vault_bump: u8,
    /// An uptime report below this many bps counts as offline: the whole hour is forfeited and
    /// the stake is slashed by one hour's reward.
    pub offline_threshold_bps: u16,
    /// How long slashed tokens wait in the escrow before `finalize_slash` may burn them.
    pub appeal_secs: i64,
    /// io-token's genesis time: hour `h` is `[genesis_ts + 3,600 h, + 3,600)`.
    pub genesis_ts: i64,
    /// The hour-exact ledger PDA `[b"ledger"]` (pending total-weight changes, recent readings).
    pub ledger: Pubkey,
    pub _reserved: [u8; 128],
}

impl Config {
    pub const SEED: &'static [u8] = b"config";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Replaces the oracle set (validated by `InitializeArgs::validate`).
    pub fn set_oracles(&mut self, oracles: &[Pubkey], quorum: u8) -> Result<()> {
        require!(oracles.len() <= MAX_ORACLES, StakingError::InvalidParameter);
        self.oracles = [Pubkey::default(); MAX_ORACLES];
        self.oracles[..oracles.len()].copy_from_slice(oracles);
        self.oracle_count =
            u8::try_from(oracles.len()).map_err(|_| error!(StakingError::InvalidParameter))?;
        self.oracle_quorum = quorum;
        Ok(())
    }

    /// Requires at least `oracle_quorum` distinct members of the oracle set among the signers
    /// in `accounts` (the instruction's remaining accounts). Others are ignored.
    pub fn check_oracle_quorum(&self, accounts: &[AccountInfo]) -> Result<()> {
        let members = &self.oracles[..usize::from(self.oracle_count).min(MAX_ORACLES)];
        let mut seen = [false; MAX_ORACLES];
        for account in accounts.iter().filter(|a| a.is_signer) {
            if let Some(i) = members.iter().position(|m| m == account.key) {
                seen[i] = true;
            }
        }
        let votes = seen.iter().filter(|s| **s).count();
        require_gte!(
            votes,
            usize::from(self.oracle_quorum),
            StakingError::QuorumNotReached
        );
        Ok(())
    }

    /// Burns `amount` from a vault owned by the config PDA (reward or escrow vault).
    pub fn burn_from<'info>(
        config: AccountInfo<'info>,
        vault: AccountInfo<'info>,
        mint: AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let seeds: &[&[u8]] = &[Self::SEED, &[CONFIG_BUMP]];
        token_cpi::burn(&vault, &mint, &config, amount, &[seeds])
    }

    /// Pays `amount` from a vault owned by the config PDA (reward or escrow vault).
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
        token_cpi::transfer(&vault, &to, &config, amount, &[seeds])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_pdas_match_their_seeds() {
        for (seed, address) in [
            (Config::SEED, CONFIG_ADDRESS),
            (EMISSION_AUTHORITY_SEED, EMISSION_AUTHORITY_ADDRESS),
            (crate::state::HourLedger::SEED, LEDGER_ADDRESS),
        ] {
            assert_eq!(Pubkey::find_program_address(&[seed], &crate::ID).0, address);
        }
        assert_eq!(
            Pubkey::find_program_address(&[Config::SEED], &crate::ID).1,
            CONFIG_BUMP
        );
        let seeds = [
            VAULT_SEED,
            CONFIG_ADDRESS.as_ref(),
            crate::constants::IO_MINT.as_ref(),
        ];
        assert_eq!(
            Pubkey::find_program_address(&seeds, &crate::ID).0,
            REWARD_VAULT_ADDRESS
        );
    }
}
