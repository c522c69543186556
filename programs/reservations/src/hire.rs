//! The CPI into staking's `set_hired`, signed by this program's config PDA (staking's hire
//! authority): a node is hired while it has an open reservation.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program::invoke_signed;
use anchor_lang::{InstructionData, ToAccountMetas};

use crate::state::{Config, CONFIG_BUMP};

/// The staking accounts `set_hired` needs (staking checks each of them).
pub struct HireAccounts<'a, 'info> {
    pub config: &'a AccountInfo<'info>,
    pub staking_config: &'a AccountInfo<'info>,
    pub staking_ledger: &'a AccountInfo<'info>,
    pub node: &'a AccountInfo<'info>,
    pub staking_event_authority: &'a AccountInfo<'info>,
    pub staking_program: &'a AccountInfo<'info>,
}

impl<'info> HireAccounts<'_, 'info> {
    /// `staking::set_hired(hired)` signed by the config PDA.
    pub fn set_hired(&self, hired: bool) -> Result<()> {
        let ix = Instruction {
            program_id: staking::ID,
            accounts: staking::accounts::SetHired {
                hire_authority: self.config.key(),
                config: self.staking_config.key(),
                ledger: self.staking_ledger.key(),
                node: self.node.key(),
                event_authority: self.staking_event_authority.key(),
                program: staking::ID,
            }
            .to_account_metas(None),
            data: staking::instruction::SetHired { hired }.data(),
        };
        invoke_signed(
            &ix,
            &[
                self.config.clone(),
                self.staking_config.clone(),
                self.staking_ledger.clone(),
                self.node.clone(),
                self.staking_event_authority.clone(),
                self.staking_program.clone(),
            ],
            &[&[Config::SEED, &[CONFIG_BUMP]]],
        )
        .map_err(Into::into)
    }

    /// `staking::burn_node_rewards` signed by the config PDA: a node reported failed loses its
    /// supplier's unclaimed availability rewards.
    pub fn burn_node_rewards(
        &self,
        reward_vault: &AccountInfo<'info>,
        io_mint: &AccountInfo<'info>,
        token_program: &AccountInfo<'info>,
    ) -> Result<()> {
        let ix = Instruction {
            program_id: staking::ID,
            accounts: staking::accounts::BurnNodeRewards {
                hire_authority: self.config.key(),
                config: self.staking_config.key(),
                ledger: self.staking_ledger.key(),
                node: self.node.key(),
                reward_vault: reward_vault.key(),
                io_mint: io_mint.key(),
                token_program: token_program.key(),
                event_authority: self.staking_event_authority.key(),
                program: staking::ID,
            }
            .to_account_metas(None),
            data: staking::instruction::BurnNodeRewards {}.data(),
        };
        invoke_signed(
            &ix,
            &[
                self.config.clone(),
                self.staking_config.clone(),
                self.staking_ledger.clone(),
                self.node.clone(),
                reward_vault.clone(),
                io_mint.clone(),
                token_program.clone(),
                self.staking_event_authority.clone(),
                self.staking_program.clone(),
            ],
            &[&[Config::SEED, &[CONFIG_BUMP]]],
        )
        .map_err(Into::into)
    }
}
