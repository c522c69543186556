use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_spl::token::Token;
use ngpu_onchain::usdc::{check_usdc_mint, UsdcMintFault};
use ngpu_onchain::{create_pda_account, create_pda_token_account, write_account};

use crate::constants::*;
use crate::errors::RevenueError;
use crate::events::Initialized;
use crate::state::{BurnTotals, Config, FEES_SEED};

/// The parameters of `initialize`, also the argument of `update_params`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct InitializeArgs {
    /// The Pyth PriceUpdateV2 account of IO/USD; not the default key.
    pub price_feed: Pubkey,
    /// The feed id that account must carry; not all zero.
    pub price_feed_id: [u8; 32],
    /// 1..=3,600 seconds.
    pub max_price_age_secs: u32,
    /// 1..=2,000 bps.
    pub max_confidence_bps: u16,
    /// 0..=1,000 bps (10%).
    pub max_premium_bps: u16,
    /// 60 s..=30 days.
    pub window_secs: u32,
    /// USDC base units per window; > 0.
    pub window_limit: u64,
}

impl InitializeArgs {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.price_feed != Pubkey::default()
                && self.price_feed_id != [0; 32]
                && (1..=MAX_PRICE_AGE_LIMIT_SECS).contains(&self.max_price_age_secs)
                && (1..=MAX_CONFIDENCE_LIMIT_BPS).contains(&self.max_confidence_bps)
                && self.max_premium_bps <= MAX_PREMIUM_BPS
                && (MIN_WINDOW_SECS..=MAX_WINDOW_SECS).contains(&self.window_secs)
                && self.window_limit > 0,
            RevenueError::InvalidParameter
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
    /// CHECK: created here as the IO fee vault (owned by the config PDA); seeds bind it.
    #[account(mut, seeds = [FEES_SEED, config.key().as_ref(), IO_MINT.as_ref()], bump)]
    pub io_vault: UncheckedAccount<'info>,
    /// CHECK: created here as the USDC fee vault (owned by the config PDA); seeds bind it.
    #[account(mut, seeds = [FEES_SEED, config.key().as_ref(), usdc_mint.key().as_ref()], bump)]
    pub usdc_vault: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned; the token program checks it is a mint.
    #[account(address = IO_MINT @ RevenueError::InvalidTokenAccount)]
    pub io_mint: UncheckedAccount<'info>,
    /// CHECK: checked by the handler: a classic SPL Token mint (owner), 6 decimals, no freeze
    /// authority or USDC's own; pinned in the config from then on.
    pub usdc_mint: UncheckedAccount<'info>,
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = program_data.upgrade_authority_address == Some(authority.key())
            @ RevenueError::Unauthorized,
    )]
    pub program_data: Account<'info, ProgramData>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    /// Classic SPL Token (a Token-2022 mint of the same layout is refused by its owner),
    /// initialised, 6 decimals, freeze authority none or USDC's.
    fn check_usdc_mint(&self) -> Result<()> {
        check_usdc_mint(
            &self.usdc_mint,
            USDC_DECIMALS,
            &USDC_FREEZE_AUTHORITY,
            |fault| match fault {
                UsdcMintFault::NotClassicToken => error!(RevenueError::UsdcNotClassicToken),
                UsdcMintFault::InvalidMint => error!(RevenueError::InvalidUsdcMint),
                UsdcMintFault::FreezeAuthority => error!(RevenueError::UsdcFreezeAuthority),
            },
        )
    }
}

pub fn handler(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
    args.validate()?;
    let accounts = &ctx.accounts;
    require_keys_eq!(
        *accounts.config.owner,
        System::id(),
        RevenueError::AlreadyInitialized
    );
    accounts.check_usdc_mint()?;
    let payer = accounts.authority.to_account_info();
    let system = accounts.system_program.to_account_info();
    let config_key = accounts.config.key();
    let usdc_mint = accounts.usdc_mint.key();
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
        &accounts.io_vault.to_account_info(),
        &accounts.io_mint.to_account_info(),
        &config_key,
        &system,
        &[
            FEES_SEED,
            config_key.as_ref(),
            IO_MINT.as_ref(),
            &[ctx.bumps.io_vault],
        ],
    )?;
    create_pda_token_account(
        &payer,
        &accounts.usdc_vault.to_account_info(),
        &accounts.usdc_mint.to_account_info(),
        &config_key,
        &system,
        &[
            FEES_SEED,
            config_key.as_ref(),
            usdc_mint.as_ref(),
            &[ctx.bumps.usdc_vault],
        ],
    )?;
    let config = Config {
        version: ACCOUNT_VERSION,
        bump: ctx.bumps.config,
        io_vault_bump: ctx.bumps.io_vault,
        usdc_vault_bump: ctx.bumps.usdc_vault,
        paused: false,
        authority: accounts.authority.key(),
        pending_authority: Pubkey::default(),
        usdc_mint,
        io_vault: accounts.io_vault.key(),
        usdc_vault: accounts.usdc_vault.key(),
        price_feed: args.price_feed,
        price_feed_id: args.price_feed_id,
        max_price_age_secs: args.max_price_age_secs,
        max_confidence_bps: args.max_confidence_bps,
        max_premium_bps: args.max_premium_bps,
        window_secs: args.window_secs,
        window_limit: args.window_limit,
        window_outflow: 0,
        window_last_ts: 0,
        totals: BurnTotals::default(),
        day_records: 0,
        first_day: 0,
        last_day: 0,
        _reserved: [0; 128],
    };
    write_account(&accounts.config.to_account_info(), &config)?;
    emit_cpi!(Initialized {
        authority: config.authority,
        usdc_mint,
        io_vault: config.io_vault,
        usdc_vault: config.usdc_vault,
        params: args,
    });
    Ok(())
}
