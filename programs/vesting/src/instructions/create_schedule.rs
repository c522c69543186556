use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};
use ngpu_onchain::{create_pda_account, create_pda_token_account, write_account};

use crate::constants::{ACCOUNT_VERSION, IO_MINT};
use crate::errors::VestingError;
use crate::events::ScheduleCreated;
use crate::state::{Config, Pool, VestingSchedule, VAULT_SEED};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct CreateScheduleArgs {
    pub beneficiary: Pubkey,
    /// Base units granted from the pool.
    pub amount: u64,
    /// Only allowed where the pool allows it (contributors, R&D).
    pub revocable: bool,
}

#[event_cpi]
#[derive(Accounts)]
pub struct CreateSchedule<'info> {
    /// Pays the rent of the schedule and its vault; recorded as the schedule's `rent_payer`,
    /// which `close_schedule` pays back.
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(
        seeds = [Config::SEED],
        bump = config.bump,
        has_one = authority @ VestingError::Unauthorized,
        constraint = !config.paused @ VestingError::Paused,
    )]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, constraint = pool.opened @ VestingError::PoolNotOpen)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, address = pool.vault)]
    pub pool_vault: Box<Account<'info, TokenAccount>>,
    /// CHECK: created here (pre-funding safe); the next id of the pool binds the address.
    #[account(
        mut,
        seeds = [VestingSchedule::SEED, pool.key().as_ref(), &pool.schedule_count.to_le_bytes()],
        bump,
    )]
    pub schedule: UncheckedAccount<'info>,
    /// CHECK: created here as the schedule's IO token account; seeds bind the address.
    #[account(mut, seeds = [VAULT_SEED, schedule.key().as_ref(), IO_MINT.as_ref()], bump)]
    pub schedule_vault: UncheckedAccount<'info>,
    /// CHECK: the IO mint, pinned; the token program checks it is a mint.
    #[account(address = IO_MINT @ VestingError::InvalidMint)]
    pub io_mint: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<CreateSchedule>, args: CreateScheduleArgs) -> Result<()> {
    require_gt!(args.amount, 0, VestingError::ZeroAmount);
    require_keys_neq!(
        args.beneficiary,
        Pubkey::default(),
        VestingError::InvalidKey
    );
    let pool = &ctx.accounts.pool;
    require!(
        !args.revocable || pool.revocable_allowed,
        VestingError::RevocationNotAllowed
    );
    require_gte!(pool.unallocated()?, args.amount, VestingError::ExceedsPool);

    let accounts = &ctx.accounts;
    let payer = accounts.authority.to_account_info();
    let system = accounts.system_program.to_account_info();
    let pool_key = pool.key();
    let schedule_id = pool.schedule_count;
    let id_bytes = schedule_id.to_le_bytes();
    let (schedule_bump, vault_bump) = (ctx.bumps.schedule, ctx.bumps.schedule_vault);
    create_pda_account(
        &payer,
        &accounts.schedule.to_account_info(),
        &system,
        &crate::ID,
        VestingSchedule::SPACE,
        &[
            VestingSchedule::SEED,
            pool_key.as_ref(),
            &id_bytes,
            &[schedule_bump],
        ],
    )?;
    let schedule_key = accounts.schedule.key();
    create_pda_token_account(
        &payer,
        &accounts.schedule_vault.to_account_info(),
        &accounts.io_mint.to_account_info(),
        &schedule_key,
        &system,
        &[
            VAULT_SEED,
            schedule_key.as_ref(),
            IO_MINT.as_ref(),
            &[vault_bump],
        ],
    )?;

    pool.transfer_out(
        accounts.pool.to_account_info(),
        accounts.pool_vault.to_account_info(),
        accounts.schedule_vault.to_account_info(),
        args.amount,
    )?;

    let schedule = VestingSchedule {
        version: ACCOUNT_VERSION,
        bump: schedule_bump,
        vault_bump,
        cliff_months: pool.cliff_months,
        parts: pool.parts,
        revocable: args.revocable,
        revoked: false,
        pool: pool_key,
        beneficiary: args.beneficiary,
        vault: accounts.schedule_vault.key(),
        schedule_id,
        start_ts: pool.start_ts,
        total: args.amount,
        claimed: 0,
        returned: 0,
        rent_payer: payer.key(),
        revoked_ts: 0,
        _reserved: [0; 24],
    };
    write_account(&accounts.schedule.to_account_info(), &schedule)?;

    let pool = &mut ctx.accounts.pool;
    pool.allocated = pool
        .allocated
        .checked_add(args.amount)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    pool.schedule_count = schedule_id
        .checked_add(1)
        .ok_or_else(|| error!(VestingError::MathOverflow))?;
    pool.validate()?;
    emit_cpi!(ScheduleCreated {
        pool: pool_key,
        schedule: schedule_key,
        schedule_id,
        beneficiary: args.beneficiary,
        amount: args.amount,
        revocable: args.revocable,
        start_ts: schedule.start_ts,
        rent_payer: schedule.rent_payer,
        totals: pool.totals(),
    });
    Ok(())
}
