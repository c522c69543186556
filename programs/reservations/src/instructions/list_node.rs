use anchor_lang::prelude::*;
use ngpu_onchain::{create_pda_account, write_account};

use crate::constants::{ACCOUNT_VERSION, IO_MINT, MAX_HOURS_LIMIT};
use crate::errors::ReservationsError;
use crate::events::ListingUpdated;
use crate::state::{Config, Listing, CONFIG_ADDRESS};
use crate::token_account;

/// A listing's terms.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListingArgs {
    /// Micro-USD per hour; > 0.
    pub price_micro_usd_per_hour: u64,
    /// The longest reservation the supplier accepts: 1..=2,160 hours (the config's maximum
    /// applies too).
    pub max_hours: u32,
}

impl ListingArgs {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.price_micro_usd_per_hour > 0 && (1..=MAX_HOURS_LIMIT).contains(&self.max_hours),
            ReservationsError::InvalidParameter
        );
        Ok(())
    }
}

/// The supplier's payout accounts: a USDC and an IO token account (any owner), but never one of
/// the program's escrows or revenue's fee vaults, nor any token account owned by this program's
/// config PDA (it signs for its escrows only: a payout there would be stranded).
pub fn check_payouts(config: &Config, usdc: &AccountInfo, io: &AccountInfo) -> Result<()> {
    require!(
        ![config.usdc_escrow, config.usdc_fee_vault].contains(usdc.key)
            && ![config.io_escrow, config.io_fee_vault].contains(io.key),
        ReservationsError::InvalidTokenAccount
    );
    let (usdc, io) = (token_account::read(usdc)?, token_account::read(io)?);
    require!(
        usdc.mint == config.usdc_mint
            && io.mint == IO_MINT
            && usdc.owner != CONFIG_ADDRESS
            && io.owner != CONFIG_ADDRESS,
        ReservationsError::InvalidTokenAccount
    );
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct ListNode<'info> {
    /// The node's supplier; pays the listing's rent.
    #[account(mut)]
    pub supplier: Signer<'info>,
    #[account(address = CONFIG_ADDRESS)]
    pub config: Box<Account<'info, Config>>,
    /// A staking node of this supplier, not terminated.
    #[account(
        has_one = supplier @ ReservationsError::Unauthorized,
        constraint = node.state != staking::NodeState::Terminated @ ReservationsError::NodeTerminated,
    )]
    pub node: Box<Account<'info, staking::Node>>,
    /// CHECK: created here (pre-funding safe); seeds bind the address.
    #[account(mut, seeds = [Listing::SEED, node.key().as_ref()], bump)]
    pub listing: UncheckedAccount<'info>,
    /// CHECK: a USDC token account (`InvalidTokenAccount`): the supplier's USDC payouts.
    pub payout_usdc: UncheckedAccount<'info>,
    /// CHECK: an IO token account (`InvalidTokenAccount`): the supplier's IO payouts.
    pub payout_io: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<ListNode>, args: ListingArgs) -> Result<()> {
    args.validate()?;
    let accounts = &ctx.accounts;
    check_payouts(&accounts.config, &accounts.payout_usdc, &accounts.payout_io)?;
    let info = accounts.listing.to_account_info();
    let node = accounts.node.key();
    create_pda_account(
        &accounts.supplier.to_account_info(),
        &info,
        &accounts.system_program.to_account_info(),
        &crate::ID,
        Listing::SPACE,
        &[Listing::SEED, node.as_ref(), &[ctx.bumps.listing]],
    )?;
    let listing = Listing {
        version: ACCOUNT_VERSION,
        bump: ctx.bumps.listing,
        node,
        supplier: accounts.supplier.key(),
        price_micro_usd_per_hour: args.price_micro_usd_per_hour,
        max_hours: args.max_hours,
        payout_usdc: accounts.payout_usdc.key(),
        payout_io: accounts.payout_io.key(),
        active_reservation: Pubkey::default(),
        reservation_count: 0,
        owed_usdc: 0,
        owed_io: 0,
        refunds_owed: 0,
        _reserved: [0; 40],
    };
    write_account(&info, &listing)?;
    emit_cpi!(ListingUpdated {
        listing: info.key(),
        node,
        supplier: listing.supplier,
        created: true,
        terms: args,
        payout_usdc: listing.payout_usdc,
        payout_io: listing.payout_io,
        active_reservation: listing.active_reservation,
        reservation_count: 0,
    });
    Ok(())
}
