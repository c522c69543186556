use anchor_lang::prelude::*;

use crate::errors::VestingError;
use crate::events::BeneficiaryChanged;
use crate::state::VestingSchedule;

#[event_cpi]
#[derive(Accounts)]
pub struct ChangeBeneficiary<'info> {
    pub beneficiary: Signer<'info>,
    #[account(mut, has_one = beneficiary @ VestingError::Unauthorized)]
    pub schedule: Box<Account<'info, VestingSchedule>>,
}

pub fn handler(ctx: Context<ChangeBeneficiary>, new_beneficiary: Pubkey) -> Result<()> {
    require_keys_neq!(new_beneficiary, Pubkey::default(), VestingError::InvalidKey);
    let schedule = &mut ctx.accounts.schedule;
    let previous = schedule.beneficiary;
    schedule.beneficiary = new_beneficiary;
    emit_cpi!(BeneficiaryChanged {
        schedule: schedule.key(),
        previous,
        beneficiary: new_beneficiary,
        schedule_totals: schedule.totals()?,
    });
    Ok(())
}
