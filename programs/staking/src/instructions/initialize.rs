use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_spl::token::Token;
use ngpu_onchain::{create_pda_account, create_pda_token_account, write_account};

use crate::constants::{ACCOUNT_VERSION, IO_MINT, MAX_ORACLES};
use crate::errors::StakingError;
use crate::events::Initialized;
use crate::state::{Config, HourLedger, EMISSION_AUTHORITY_SEED, ESCROW_SEED, VAULT_SEED};

/// The parameters of `initialize`, also the argument of `update_params`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct InitializeArgs {
    /// The node oracle set: 1..=5 distinct keys.
    pub oracles: Vec<Pubkey>,
    /// Members that must sign a modifier update: 1..=oracles.len().
    pub oracle_quorum: u8,
    pub price_feed: Pubkey,
    /// The Pyth IO/USD feed id that `price_feed` must carry; not all zero.
    pub price_feed_id: [u8; 32],
    /// 1..=3,600 seconds.
    pub max_price_age_secs: u32,
    /// 1..=10,000 bps.
    pub max_confidence_bps: u16,
    /// 0..=10,000 bps (spec default 5,000).
    pub max_stake_boost_bps: u16,
    /// At least one base unit (spec default 100 IO).
    pub min_stake: u64,
    /// 0..=90 days each (spec default 7 days).
    pub lock_secs: i64,
    pub cooldown_secs: i64,
    /// 0..=7 days (spec default 12 hours).
    pub reconnect_secs: i64,
    pub hire_authority: Pubkey,
    /// Uptime below this counts as offline: 0..=10,000 bps.
    pub offline_threshold_bps: u16,
    /// Appeal window of a malicious slash: 1 hour..=90 days (spec default 30 days).
    pub appeal_secs: i64,
}

impl InitializeArgs {
    pub fn validate(&self) -> Result<()> {
        const NINETY_DAYS: i64 = 90 * 86_400;
        let distinct = self
            .oracles
            .iter()
            .enumerate()
            .all(|(i, k)| *k != Pubkey::default() && !self.oracles[..i].contains(k));
        require!(
            (1..=MAX_ORACLES).contains(&self.oracles.len())
                && distinct
                && self.oracle_quorum >= 1
                && usize::from(self.oracle_quorum) <= self.oracles.len()
                && self.price_feed != Pubkey::default()
                && self.price_feed_id != [0; 32]
                && (1..=3_600).contains(&self.max_price_age_secs)
                && (1..=10_000).contains(&self.max_confidence_bps)
                && self.max_stake_boost_bps <= 10_000
                && self.min_stake > 0
                && (0..=NINETY_DAYS).contains(&self.lock_secs)
                && (0..=NINETY_DAYS).contains(&self.cooldown_secs)
                && (0..=7 * 86_400).contains(&self.reconnect_secs)
                && self.hire_authority != Pubkey::default()
                && self.offline_threshold_bps <= 10_000
                && (3_600..=NINETY_DAYS).contains(&self.appeal_secs),
            StakingError::InvalidParameter
        );
        Ok(())
    }
}

#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    /// The program's upgrade authority; becomes the config authority and pays rent.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// CHECK: created here (pre-funding safe); seeds bind the address.
    #[account(mut, seeds = [Config::SEED], bump)]
    pub config: UncheckedAccount<'info>,
    /// CHECK: signer-only PDA with no data: io-token's emission controller.
    #[account(seeds = [EMISSION_AUTHORITY_SEED], bump)]
    pub emission_authority: UncheckedAccount<'info>,
    /// CHECK: created here as the reward vault (owned by the config PDA); seeds bind it.
    #[account(mut, seeds = [VAULT_SEED, config.key().as_ref(), IO_MINT.as_ref()], bump)]
    pub reward_vault: UncheckedAccount<'info>,
    /// CHECK: created here as the appeal escrow vault (owned by the config PDA); seeds bind it.
    #[account(mut, seeds = [ESCROW_SEED, config.key().as_ref(), IO_MINT.as_ref()], bump)]
    pub escrow_vault: UncheckedAccount<'info>,
    /// CHECK: created here as the hour-exact ledger (zero-copy); seeds bind the address.
    #[account(mut, seeds = [HourLedger::SEED], bump)]
    pub ledger: UncheckedAccount<'info>,
    /// io-token's ledger: staking starts at its genesis time and next hour.
    #[account(address = io_token::CONFIG_ADDRESS)]
    pub io_token_config: Box<Account<'info, io_token::Config>>,
    /// CHECK: the IO mint, pinned; the token program checks it is a mint.
    #[account(address = IO_MINT)]
    pub io_mint: UncheckedAccount<'info>,
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = program_data.upgrade_authority_address == Some(authority.key())
            @ StakingError::Unauthorized,
    )]
    pub program_data: Account<'info, ProgramData>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
    args.validate()?;
    let accounts = &ctx.accounts;
    require_keys_eq!(
        *accounts.config.owner,
        System::id(),
        StakingError::AlreadyInitialized
    );
    let payer = accounts.authority.to_account_info();
    let system = accounts.system_program.to_account_info();
    let config_key = accounts.config.key();
    create_pda_account(
        &payer,
        &accounts.config.to_account_info(),
        &system,
        &crate::ID,
        Config::SPACE,
        &[Config::SEED, &[ctx.bumps.config]],
    )?;
    create_pda_token_account(
        &payer,
        &accounts.reward_vault.to_account_info(),
        &accounts.io_mint.to_account_info(),
        &config_key,
        &system,
        &[
            VAULT_SEED,
            config_key.as_ref(),
            IO_MINT.as_ref(),
            &[ctx.bumps.reward_vault],
        ],
    )?;
    create_pda_token_account(
        &payer,
        &accounts.escrow_vault.to_account_info(),
        &accounts.io_mint.to_account_info(),
        &config_key,
        &system,
        &[
            ESCROW_SEED,
            config_key.as_ref(),
            IO_MINT.as_ref(),
            &[ctx.bumps.escrow_vault],
        ],
    )?;
    create_pda_account(
        &payer,
        &accounts.ledger.to_account_info(),
        &system,
        &crate::ID,
        HourLedger::SPACE,
        &[HourLedger::SEED, &[ctx.bumps.ledger]],
    )?;
    // Hours are counted from io-token's genesis; any hour it already processed (under another
    // emission controller) is not staking's to pay.
    let io = &accounts.io_token_config;
    require_gt!(io.genesis_ts, 0, StakingError::GenesisNotDone);
    HourLedger::init(&mut accounts.ledger.try_borrow_mut_data()?, io.next_hour)?;
    let config = Config {
        version: ACCOUNT_VERSION,
        bump: ctx.bumps.config,
        emission_authority_bump: ctx.bumps.emission_authority,
        reward_vault_bump: ctx.bumps.reward_vault,
        paused: false,
        authority: accounts.authority.key(),
        pending_authority: Pubkey::default(),
        oracles: [Pubkey::default(); MAX_ORACLES],
        oracle_count: 0,
        oracle_quorum: 0,
        price_feed: args.price_feed,
        price_feed_id: args.price_feed_id,
        reward_vault: accounts.reward_vault.key(),
        max_price_age_secs: args.max_price_age_secs,
        max_confidence_bps: args.max_confidence_bps,
        max_stake_boost_bps: args.max_stake_boost_bps,
        min_stake: args.min_stake,
        lock_secs: args.lock_secs,
        cooldown_secs: args.cooldown_secs,
        reconnect_secs: args.reconnect_secs,
        hire_authority: args.hire_authority,
        node_count: 0,
        history: Pubkey::default(),
        escrow_vault: accounts.escrow_vault.key(),
        escrow_vault_bump: ctx.bumps.escrow_vault,
        offline_threshold_bps: args.offline_threshold_bps,
        appeal_secs: args.appeal_secs,
        genesis_ts: io.genesis_ts,
        ledger: accounts.ledger.key(),
        _reserved: [0; 128],
    };
    let mut config = config;
    config.set_oracles(&args.oracles, args.oracle_quorum)?;
    write_account(&accounts.config.to_account_info(), &config)?;
    emit_cpi!(Initialized {
        authority: config.authority,
        reward_vault: config.reward_vault,
        emission_authority: accounts.emission_authority.key(),
        escrow_vault: config.escrow_vault,
        ledger: config.ledger,
        next_hour: io.next_hour,
        genesis_ts: config.genesis_ts,
        params: args,
    });
    Ok(())
}
