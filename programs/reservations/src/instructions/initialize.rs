use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_spl::token::Token;
use ngpu_math::reservations::FeeRates;
use ngpu_onchain::usdc::{check_usdc_mint, UsdcMintFault};
use ngpu_onchain::{create_pda_account, create_pda_token_account, write_account};

use crate::constants::*;
use crate::errors::ReservationsError;
use crate::events::Initialized;
use crate::state::{Config, CurrencyTotals, ESCROW_SEED};
use crate::token_account;

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
    /// 0..=1,000 bps each (SPEC: 25, 200, 0).
    pub reservation_fee_bps: u16,
    pub usdc_payment_fee_bps: u16,
    pub io_payment_fee_bps: u16,
    /// The longest reservation: 1..=2,160 hours.
    pub max_hours: u32,
}

impl InitializeArgs {
    pub fn validate(&self) -> Result<()> {
        let rates = |payment_bps| FeeRates {
            reservation_bps: self.reservation_fee_bps,
            payment_bps,
        };
        require!(
            self.price_feed != Pubkey::default()
                && self.price_feed_id != [0; 32]
                && (1..=MAX_PRICE_AGE_LIMIT_SECS).contains(&self.max_price_age_secs)
                && (1..=MAX_CONFIDENCE_LIMIT_BPS).contains(&self.max_confidence_bps)
                && rates(self.usdc_payment_fee_bps).valid()
                && rates(self.io_payment_fee_bps).valid()
                && (1..=MAX_HOURS_LIMIT).contains(&self.max_hours),
            ReservationsError::InvalidParameter
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
    /// CHECK: created here as the IO escrow (owned by the config PDA); seeds bind it.
    #[account(mut, seeds = [ESCROW_SEED, config.key().as_ref(), IO_MINT.as_ref()], bump)]
    pub io_escrow: UncheckedAccount<'info>,
    /// CHECK: created here as the USDC escrow (owned by the config PDA); seeds bind it.
    #[account(mut, seeds = [ESCROW_SEED, config.key().as_ref(), usdc_mint.key().as_ref()], bump)]
    pub usdc_escrow: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned; the token program checks it is a mint.
    #[account(address = IO_MINT @ ReservationsError::InvalidTokenAccount)]
    pub io_mint: UncheckedAccount<'info>,
    /// CHECK: checked by the handler: a classic SPL Token mint (owner), 6 decimals, no freeze
    /// authority or USDC's own; pinned in the config from then on.
    pub usdc_mint: UncheckedAccount<'info>,
    /// CHECK: revenue's IO fee vault (pinned address); the handler checks it is an IO account
    /// of the revenue config.
    #[account(address = revenue::IO_VAULT_ADDRESS @ ReservationsError::WrongVault)]
    pub io_fee_vault: UncheckedAccount<'info>,
    /// CHECK: revenue's USDC fee vault `[b"fees", revenue config, USDC mint]` (seeds bind it);
    /// the handler checks it is a USDC account of the revenue config.
    #[account(
        seeds = [revenue::FEES_SEED, revenue::CONFIG_ADDRESS.as_ref(), usdc_mint.key().as_ref()],
        bump,
        seeds::program = revenue::ID,
    )]
    pub usdc_fee_vault: UncheckedAccount<'info>,
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = program_data.upgrade_authority_address == Some(authority.key())
            @ ReservationsError::Unauthorized,
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
                UsdcMintFault::NotClassicToken => error!(ReservationsError::UsdcNotClassicToken),
                UsdcMintFault::InvalidMint => error!(ReservationsError::InvalidUsdcMint),
                UsdcMintFault::FreezeAuthority => error!(ReservationsError::UsdcFreezeAuthority),
            },
        )
    }

    /// Both fee vaults exist and belong to the revenue config, with the right mints.
    fn check_fee_vaults(&self) -> Result<()> {
        for (vault, mint) in [
            (&self.io_fee_vault, IO_MINT),
            (&self.usdc_fee_vault, self.usdc_mint.key()),
        ] {
            let fields =
                token_account::read(vault).map_err(|_| error!(ReservationsError::WrongVault))?;
            require!(
                fields.mint == mint && fields.owner == revenue::CONFIG_ADDRESS,
                ReservationsError::WrongVault
            );
        }
        Ok(())
    }
}

pub fn handler(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
    args.validate()?;
    let accounts = &ctx.accounts;
    require_keys_eq!(
        *accounts.config.owner,
        System::id(),
        ReservationsError::AlreadyInitialized
    );
    accounts.check_usdc_mint()?;
    accounts.check_fee_vaults()?;
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
        &accounts.io_escrow.to_account_info(),
        &accounts.io_mint.to_account_info(),
        &config_key,
        &system,
        &[
            ESCROW_SEED,
            config_key.as_ref(),
            IO_MINT.as_ref(),
            &[ctx.bumps.io_escrow],
        ],
    )?;
    create_pda_token_account(
        &payer,
        &accounts.usdc_escrow.to_account_info(),
        &accounts.usdc_mint.to_account_info(),
        &config_key,
        &system,
        &[
            ESCROW_SEED,
            config_key.as_ref(),
            usdc_mint.as_ref(),
            &[ctx.bumps.usdc_escrow],
        ],
    )?;
    let config = Config {
        version: ACCOUNT_VERSION,
        bump: ctx.bumps.config,
        io_escrow_bump: ctx.bumps.io_escrow,
        usdc_escrow_bump: ctx.bumps.usdc_escrow,
        paused: false,
        authority: accounts.authority.key(),
        pending_authority: Pubkey::default(),
        usdc_mint,
        io_escrow: accounts.io_escrow.key(),
        usdc_escrow: accounts.usdc_escrow.key(),
        io_fee_vault: accounts.io_fee_vault.key(),
        usdc_fee_vault: accounts.usdc_fee_vault.key(),
        price_feed: args.price_feed,
        price_feed_id: args.price_feed_id,
        max_price_age_secs: args.max_price_age_secs,
        max_confidence_bps: args.max_confidence_bps,
        reservation_fee_bps: args.reservation_fee_bps,
        usdc_payment_fee_bps: args.usdc_payment_fee_bps,
        io_payment_fee_bps: args.io_payment_fee_bps,
        max_hours: args.max_hours,
        open_reservations: 0,
        io_totals: CurrencyTotals::default(),
        usdc_totals: CurrencyTotals::default(),
        _reserved: [0; 96],
    };
    write_account(&accounts.config.to_account_info(), &config)?;
    emit_cpi!(Initialized {
        authority: config.authority,
        usdc_mint,
        io_escrow: config.io_escrow,
        usdc_escrow: config.usdc_escrow,
        io_fee_vault: config.io_fee_vault,
        usdc_fee_vault: config.usdc_fee_vault,
        params: args,
    });
    Ok(())
}
