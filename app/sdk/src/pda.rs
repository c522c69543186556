//! Every PDA of the suite, derived from the programs' own seed constants.

use ::io_token::state::{Config as IoTokenConfig, IO_MINT_SEED, MINT_AUTHORITY_SEED};
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_lang::solana_program::pubkey::Pubkey;

/// Anchor's `#[event_cpi]` signer PDA of a program.
pub fn event_authority(program_id: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[b"__event_authority"], program_id).0
}

/// The ProgramData account of an upgradeable program (holds its upgrade authority).
pub fn program_data(program_id: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[program_id.as_ref()], &bpf_loader_upgradeable::ID).0
}

pub mod io_token {
    use super::*;

    pub fn config() -> Pubkey {
        Pubkey::find_program_address(&[IoTokenConfig::SEED], &::io_token::ID).0
    }

    pub fn io_mint() -> Pubkey {
        Pubkey::find_program_address(&[IO_MINT_SEED], &::io_token::ID).0
    }

    pub fn mint_authority() -> Pubkey {
        Pubkey::find_program_address(&[MINT_AUTHORITY_SEED], &::io_token::ID).0
    }
}

pub mod vesting {
    use super::*;
    use ::vesting::state::{Config, Pool, VestingSchedule, VAULT_SEED};

    pub fn config() -> Pubkey {
        Pubkey::find_program_address(&[Config::SEED], &::vesting::ID).0
    }

    pub fn pool(pool_id: u8) -> Pubkey {
        Pubkey::find_program_address(&[Pool::SEED, &[pool_id]], &::vesting::ID).0
    }

    pub fn schedule(pool: &Pubkey, schedule_id: u64) -> Pubkey {
        Pubkey::find_program_address(
            &[
                VestingSchedule::SEED,
                pool.as_ref(),
                &schedule_id.to_le_bytes(),
            ],
            &::vesting::ID,
        )
        .0
    }

    /// The IO vault of a pool or a schedule.
    pub fn vault(owner: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(
            &[VAULT_SEED, owner.as_ref(), ::vesting::IO_MINT.as_ref()],
            &::vesting::ID,
        )
        .0
    }
}

pub mod staking {
    use super::*;
    use ::staking::state::{
        Config, DeviceClass, Node, SlashRecord, StakePosition, EMISSION_AUTHORITY_SEED,
        ESCROW_SEED, VAULT_SEED,
    };

    pub fn config() -> Pubkey {
        Pubkey::find_program_address(&[Config::SEED], &::staking::ID).0
    }

    /// io-token's emission controller once staking runs the crank.
    /// The hour-exact ledger (pending total-weight changes, recent reward readings).
    pub fn ledger() -> Pubkey {
        Pubkey::find_program_address(&[::staking::HourLedger::SEED], &::staking::ID).0
    }

    pub fn emission_authority() -> Pubkey {
        Pubkey::find_program_address(&[EMISSION_AUTHORITY_SEED], &::staking::ID).0
    }

    /// The IO vault of the config (reward vault) or of a node (stake vault).
    pub fn vault(owner: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(
            &[VAULT_SEED, owner.as_ref(), ::staking::IO_MINT.as_ref()],
            &::staking::ID,
        )
        .0
    }

    pub fn reward_vault() -> Pubkey {
        vault(&config())
    }

    /// The appeal escrow vault of slashed tokens.
    pub fn escrow_vault() -> Pubkey {
        Pubkey::find_program_address(
            &[ESCROW_SEED, config().as_ref(), ::staking::IO_MINT.as_ref()],
            &::staking::ID,
        )
        .0
    }

    /// Slash record `id` of a node.
    pub fn slash(node: &Pubkey, id: u64) -> Pubkey {
        Pubkey::find_program_address(
            &[SlashRecord::SEED, node.as_ref(), &id.to_le_bytes()],
            &::staking::ID,
        )
        .0
    }

    pub fn device_class(class_id: u16) -> Pubkey {
        Pubkey::find_program_address(
            &[DeviceClass::SEED, &class_id.to_le_bytes()],
            &::staking::ID,
        )
        .0
    }

    pub fn node(supplier: &Pubkey, node_id: u64) -> Pubkey {
        Pubkey::find_program_address(
            &[Node::SEED, supplier.as_ref(), &node_id.to_le_bytes()],
            &::staking::ID,
        )
        .0
    }

    pub fn position(node: &Pubkey, staker: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(
            &[StakePosition::SEED, node.as_ref(), staker.as_ref()],
            &::staking::ID,
        )
        .0
    }
}

pub mod revenue {
    use super::*;
    use ::revenue::state::{Config, DayRecord, FEES_SEED};

    pub fn config() -> Pubkey {
        Pubkey::find_program_address(&[Config::SEED], &::revenue::ID).0
    }

    /// The fee vault of `mint` (`[b"fees", config, mint]`): IO or USDC.
    pub fn fee_vault(mint: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(
            &[FEES_SEED, config().as_ref(), mint.as_ref()],
            &::revenue::ID,
        )
        .0
    }

    /// The IO fee vault (where the reservations program sends IO fees).
    pub fn io_vault() -> Pubkey {
        fee_vault(&::revenue::IO_MINT)
    }

    /// The burn record of a UTC day (days since 1970-01-01).
    pub fn day_record(day: u64) -> Pubkey {
        Pubkey::find_program_address(
            &[DayRecord::SEED, config().as_ref(), &day.to_le_bytes()],
            &::revenue::ID,
        )
        .0
    }
}

pub mod reservations {
    use super::*;
    use ::reservations::state::{Config, Listing, Reservation, ESCROW_SEED};

    /// The config: also staking's hire authority.
    pub fn config() -> Pubkey {
        Pubkey::find_program_address(&[Config::SEED], &::reservations::ID).0
    }

    /// The escrow vault of `mint` (`[b"escrow", config, mint]`): IO or USDC.
    pub fn escrow(mint: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(
            &[ESCROW_SEED, config().as_ref(), mint.as_ref()],
            &::reservations::ID,
        )
        .0
    }

    pub fn io_escrow() -> Pubkey {
        escrow(&::reservations::IO_MINT)
    }

    pub fn listing(node: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(&[Listing::SEED, node.as_ref()], &::reservations::ID).0
    }

    /// Reservation `id` of a node (the listing's `reservation_count` when it was made).
    pub fn reservation(node: &Pubkey, id: u64) -> Pubkey {
        Pubkey::find_program_address(
            &[Reservation::SEED, node.as_ref(), &id.to_le_bytes()],
            &::reservations::ID,
        )
        .0
    }
}
