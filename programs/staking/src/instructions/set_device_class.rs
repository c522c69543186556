use anchor_lang::prelude::*;
use ngpu_onchain::{create_pda_account, write_account};

use crate::constants::ACCOUNT_VERSION;
use crate::errors::StakingError;
use crate::events::DeviceClassSet;
use crate::state::{Config, DeviceClass, CONFIG_ADDRESS};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct DeviceClassArgs {
    pub class_id: u16,
    pub capex_micro_usd: u64,
    pub device_max_stake: u64,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(args: DeviceClassArgs)]
pub struct SetDeviceClass<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(address = CONFIG_ADDRESS, has_one = authority @ StakingError::Unauthorized)]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: created on first use (pre-funding safe), else an existing DeviceClass of this
    /// program; seeds bind the address either way.
    #[account(mut, seeds = [DeviceClass::SEED, &args.class_id.to_le_bytes()], bump)]
    pub device_class: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<SetDeviceClass>, args: DeviceClassArgs) -> Result<()> {
    require!(
        args.capex_micro_usd > 0 && args.device_max_stake > 0,
        StakingError::InvalidParameter
    );
    let info = ctx.accounts.device_class.to_account_info();
    let created = *info.owner != crate::ID;
    if created {
        create_pda_account(
            &ctx.accounts.authority.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            &crate::ID,
            DeviceClass::SPACE,
            &[
                DeviceClass::SEED,
                &args.class_id.to_le_bytes(),
                &[ctx.bumps.device_class],
            ],
        )?;
    }
    let class = DeviceClass {
        version: ACCOUNT_VERSION,
        bump: ctx.bumps.device_class,
        class_id: args.class_id,
        capex_micro_usd: args.capex_micro_usd,
        device_max_stake: args.device_max_stake,
        _reserved: [0; 32],
    };
    write_account(&info, &class)?;
    emit_cpi!(DeviceClassSet {
        device_class: info.key(),
        class_id: args.class_id,
        capex_micro_usd: args.capex_micro_usd,
        device_max_stake: args.device_max_stake,
        created,
    });
    Ok(())
}
