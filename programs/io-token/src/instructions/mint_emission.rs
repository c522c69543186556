use anchor_lang::prelude::*;
use anchor_spl::token::{self, MintTo, Token};

use crate::constants::{EMISSION_HOURS, MAX_SUPPLY};
use crate::errors::IoTokenError;
use crate::events::EmissionMinted;
use crate::state::{Config, CONFIG_ADDRESS, MINT_AUTHORITY_ADDRESS};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct MintEmissionArgs {
    /// The hour the caller believes is next; a retry of a processed hour fails cleanly.
    pub first_hour: u64,
    /// Base units to mint for hours `first_hour..first_hour + amounts.len()`, each at most
    /// that hour's budget; the rest of each budget is forfeited.
    pub amounts: Vec<u64>,
}

#[event_cpi]
#[derive(Accounts)]
pub struct MintEmission<'info> {
    pub emission_controller: Signer<'info>,
    #[account(
        mut,
        address = CONFIG_ADDRESS,
        has_one = emission_controller @ IoTokenError::Unauthorized,
        has_one = io_mint,
        has_one = emission_destination @ IoTokenError::WrongDestination,
    )]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: the IO mint, pinned by the config (`has_one`); its supply is read in place
    /// (`mint_supply`) and SPL Token's MintTo checks it again.
    #[account(mut)]
    pub io_mint: UncheckedAccount<'info>,
    /// CHECK: signer-only PDA with no data; its address is pinned.
    #[account(address = MINT_AUTHORITY_ADDRESS)]
    pub mint_authority: UncheckedAccount<'info>,
    /// CHECK: pinned by the config (`has_one`), where `set_emission_controller` checked it is an
    /// IO token account; SPL Token's MintTo checks it again.
    #[account(mut)]
    pub emission_destination: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

pub fn handler(ctx: Context<MintEmission>, args: MintEmissionArgs) -> Result<()> {
    let config = &ctx.accounts.config;
    require!(!config.paused, IoTokenError::Paused);
    require!(config.genesis_done(), IoTokenError::GenesisNotDone);
    let hours =
        u8::try_from(args.amounts.len()).map_err(|_| error!(IoTokenError::InvalidHourCount))?;
    require!(
        (1..=config.max_hours_per_call).contains(&hours),
        IoTokenError::InvalidHourCount
    );
    require_gte!(
        args.first_hour,
        config.next_hour,
        IoTokenError::HourAlreadyProcessed
    );
    require_eq!(
        args.first_hour,
        config.next_hour,
        IoTokenError::HourOutOfOrder
    );
    let end_hour = args
        .first_hour
        .checked_add(u64::from(hours))
        .ok_or_else(|| error!(IoTokenError::MathOverflow))?;
    require_gte!(
        EMISSION_HOURS,
        end_hour,
        IoTokenError::EmissionScheduleEnded
    );
    let now = Clock::get()?.unix_timestamp;
    require_gte!(
        ngpu_math::hours_ended(config.genesis_ts, now),
        end_hour,
        IoTokenError::HourNotEnded
    );

    // Budgets from consecutive cumulative targets: budget(h) = C(h + 1) - C(h).
    let mut minted: u64 = 0;
    let mut forfeited: u64 = 0;
    let mut hour = args.first_hour;
    let mut target = ngpu_math::cumulative(hour);
    for amount in &args.amounts {
        hour = hour
            .checked_add(1)
            .ok_or_else(|| error!(IoTokenError::MathOverflow))?;
        let next_target = ngpu_math::cumulative(hour);
        let budget = next_target
            .checked_sub(target)
            .ok_or_else(|| error!(IoTokenError::MathOverflow))?;
        require_gte!(budget, *amount, IoTokenError::ExceedsHourBudget);
        minted = minted
            .checked_add(*amount)
            .ok_or_else(|| error!(IoTokenError::MathOverflow))?;
        forfeited = forfeited
            .checked_add(
                budget
                    .checked_sub(*amount)
                    .ok_or_else(|| error!(IoTokenError::MathOverflow))?,
            )
            .ok_or_else(|| error!(IoTokenError::MathOverflow))?;
        target = next_target;
    }

    let config = &mut ctx.accounts.config;
    config.emission_minted = config
        .emission_minted
        .checked_add(minted)
        .ok_or_else(|| error!(IoTokenError::MathOverflow))?;
    config.emission_forfeited = config
        .emission_forfeited
        .checked_add(forfeited)
        .ok_or_else(|| error!(IoTokenError::MathOverflow))?;
    config.next_hour = end_hour;
    // Checks emission_minted + emission_forfeited == C(next_hour) and the 800M cap.
    config.validate()?;

    let accounts = &ctx.accounts;
    // Defence in depth: the on-chain supply (minted less burned) can never pass the cap either.
    let supply_after = mint_supply(&accounts.io_mint)?
        .checked_add(minted)
        .ok_or_else(|| error!(IoTokenError::MathOverflow))?;
    require_gte!(MAX_SUPPLY, supply_after, IoTokenError::CapExceeded);
    if minted > 0 {
        let seeds = accounts.config.mint_authority_seeds();
        token::mint_to(
            CpiContext::new_with_signer(
                token::ID,
                MintTo {
                    mint: accounts.io_mint.to_account_info(),
                    to: accounts.emission_destination.to_account_info(),
                    authority: accounts.mint_authority.to_account_info(),
                },
                &[&seeds],
            ),
            minted,
        )?;
    }

    emit_cpi!(EmissionMinted {
        first_hour: args.first_hour,
        hours,
        destination: accounts.emission_destination.key(),
        minted,
        forfeited,
        totals: accounts.config.totals(),
    });
    Ok(())
}

/// The supply of the IO mint, read in place: the hourly mint needs one field of it, not an
/// unpacked copy.
fn mint_supply(mint: &AccountInfo) -> Result<u64> {
    /// `spl_token::state::Mint::LEN`.
    const MINT_LEN: usize = 82;
    require_keys_eq!(*mint.owner, token::ID, IoTokenError::InvalidKey);
    let data = mint.try_borrow_data()?;
    require_eq!(data.len(), MINT_LEN, IoTokenError::InvalidKey);
    // `Mint`: mint_authority (COption<Pubkey>, 36 bytes), then supply (u64 LE).
    let mut supply = [0u8; 8];
    supply.copy_from_slice(&data[36..44]);
    Ok(u64::from_le_bytes(supply))
}
