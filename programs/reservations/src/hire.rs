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

/// Offset of `Node::state` in a staking `Node` account: discriminator (8), version, bump,
/// vault_bump (1 each). Tied to staking's layout by `node_state_offset_matches_staking`.
const NODE_STATE_OFFSET: usize = 11;

/// Offset of `Config::hire_authority` in staking's config account: discriminator (8), four `u8`
/// and `paused` (5), authority and pending authority (64), the oracle set and its count and
/// quorum, price feed, feed id, reward vault, age, confidence, boost, min stake, lock, cooldown,
/// reconnect. Tied to staking's layout by `hire_authority_offset_matches_staking`.
const HIRE_AUTHORITY_OFFSET: usize =
    8 + 5 + 64 + 32 * staking::MAX_ORACLES + 2 + 32 + 32 + 32 + 4 + 2 + 2 + 8 + 8 + 8 + 8;

/// Staking's hire authority, read in place from its (pinned) config account; `None` if it is not
/// staking's `Config`.
pub fn hire_authority(staking_config: &AccountInfo) -> Option<Pubkey> {
    if *staking_config.owner != staking::ID {
        return None;
    }
    let data = staking_config.try_borrow_data().ok()?;
    if data.get(..8) != Some(staking::Config::DISCRIMINATOR) {
        return None;
    }
    let bytes = data.get(HIRE_AUTHORITY_OFFSET..HIRE_AUTHORITY_OFFSET.checked_add(32)?)?;
    Some(Pubkey::new_from_array(<[u8; 32]>::try_from(bytes).ok()?))
}

/// The state byte of a staking `Node` (`staking::NodeState as u8`), read in place: `None` if the
/// account is not a staking `Node` (owner, discriminator).
pub fn node_state(node: &AccountInfo) -> Option<u8> {
    if *node.owner != staking::ID {
        return None;
    }
    let data = node.try_borrow_data().ok()?;
    if data.get(..8) != Some(staking::Node::DISCRIMINATOR) {
        return None;
    }
    data.get(NODE_STATE_OFFSET).copied()
}

impl<'info> HireAccounts<'_, 'info> {
    /// Whether the node is still hired in staking: a node slashed to nothing (or terminated by an
    /// offline report) while reserved is no longer hired, and releasing it would fail: the
    /// reservation must still be able to settle, end and close.
    pub fn node_hired(&self) -> Result<bool> {
        // Not a staking node any more: deregistered after its termination.
        Ok(node_state(self.node) == Some(staking::NodeState::Hired as u8))
    }

    /// Whether this program's config is still staking's hire authority. If staking's authority
    /// handed the role to another key while reservations were open, their release (and burn)
    /// would fail: they must still settle, end and close (the new hire authority releases the
    /// node in staking).
    pub fn is_hire_authority(&self) -> bool {
        hire_authority(self.staking_config) == Some(self.config.key())
    }

    /// Releases the node if it is still hired (`set_hired(false)`).
    pub fn release(&self) -> Result<()> {
        if self.node_hired()? && self.is_hire_authority() {
            self.set_hired(false)?;
        }
        Ok(())
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::AccountDeserialize;

    #[test]
    fn hire_authority_offset_matches_staking() {
        use anchor_lang::AnchorSerialize;
        let hire = Pubkey::new_unique();
        let mut config =
            staking::Config::try_deserialize_unchecked(&mut &[0u8; staking::Config::SPACE][..])
                .unwrap();
        config.hire_authority = hire;
        config.authority = Pubkey::new_unique();
        config.ledger = Pubkey::new_unique();
        let mut bytes = staking::Config::DISCRIMINATOR.to_vec();
        config.serialize(&mut bytes).unwrap();
        assert_eq!(
            &bytes[HIRE_AUTHORITY_OFFSET..HIRE_AUTHORITY_OFFSET + 32],
            hire.as_ref()
        );
    }

    #[test]
    fn node_state_offset_matches_staking() {
        for state in [
            staking::NodeState::Committed,
            staking::NodeState::Hired,
            staking::NodeState::Paused,
            staking::NodeState::Terminated,
        ] {
            let mut bytes = vec![0u8; staking::Node::SPACE];
            bytes[..8].copy_from_slice(staking::Node::DISCRIMINATOR);
            bytes[NODE_STATE_OFFSET] = state as u8;
            let node = staking::Node::try_deserialize(&mut &bytes[..]).unwrap();
            assert_eq!(node.state, state);
        }
    }
}
