//! Every PDA of the suite, derived from the programs' own seed constants.

use ::io_token::state::{Config as IoTokenConfig, IO_MINT_SEED, MINT_AUTHORITY_SEED};
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_lang::solana_program::pubkey::Pubkey;
use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    /// Derived addresses already found (seeds and program id, each seed length-prefixed):
    /// a derivation costs a SHA-256 and a curve check per bump tried, and simulations or
    /// keepers derive the same few config PDAs for every instruction they build.
    static FOUND: RefCell<HashMap<Vec<u8>, Pubkey>> = RefCell::new(HashMap::new());
}

/// Entries kept before the cache starts over (bounds its memory at a few MB).
const CACHE_LIMIT: usize = 1 << 17;

/// `Pubkey::find_program_address(seeds, program_id).0`, memoised per thread.
pub fn find(seeds: &[&[u8]], program_id: &Pubkey) -> Pubkey {
    let mut key = Vec::with_capacity(32 + seeds.iter().map(|s| s.len() + 1).sum::<usize>());
    key.extend_from_slice(program_id.as_ref());
    for seed in seeds {
        // Seeds are at most 32 bytes, so one length byte tells them apart.
        key.push(u8::try_from(seed.len()).unwrap_or(u8::MAX));
        key.extend_from_slice(seed);
    }
    if let Some(found) = FOUND.with(|f| f.borrow().get(&key).copied()) {
        return found;
    }
    let found = Pubkey::find_program_address(seeds, program_id).0;
    FOUND.with(|f| {
        let mut f = f.borrow_mut();
        if f.len() >= CACHE_LIMIT {
            f.clear();
        }
        f.insert(key, found);
    });
    found
}

/// Anchor's `#[event_cpi]` signer PDA of a program.
pub fn event_authority(program_id: &Pubkey) -> Pubkey {
    find(&[b"__event_authority"], program_id)
}

/// The ProgramData account of an upgradeable program (holds its upgrade authority).
pub fn program_data(program_id: &Pubkey) -> Pubkey {
    find(&[program_id.as_ref()], &bpf_loader_upgradeable::ID)
}

pub mod io_token {
    use super::*;

    pub fn config() -> Pubkey {
        find(&[IoTokenConfig::SEED], &::io_token::ID)
    }

    pub fn io_mint() -> Pubkey {
        find(&[IO_MINT_SEED], &::io_token::ID)
    }

    pub fn mint_authority() -> Pubkey {
        find(&[MINT_AUTHORITY_SEED], &::io_token::ID)
    }
}

pub mod vesting {
    use super::*;
    use ::vesting::state::{Config, Pool, VestingSchedule, VAULT_SEED};

    pub fn config() -> Pubkey {
        find(&[Config::SEED], &::vesting::ID)
    }

    pub fn pool(pool_id: u8) -> Pubkey {
        find(&[Pool::SEED, &[pool_id]], &::vesting::ID)
    }

    pub fn schedule(pool: &Pubkey, schedule_id: u64) -> Pubkey {
        find(
            &[
                VestingSchedule::SEED,
                pool.as_ref(),
                &schedule_id.to_le_bytes(),
            ],
            &::vesting::ID,
        )
    }

    /// The IO vault of a pool or a schedule.
    pub fn vault(owner: &Pubkey) -> Pubkey {
        find(
            &[VAULT_SEED, owner.as_ref(), ::vesting::IO_MINT.as_ref()],
            &::vesting::ID,
        )
    }
}

pub mod staking {
    use super::*;
    use ::staking::state::{
        Config, DeviceClass, Node, SlashRecord, StakePosition, EMISSION_AUTHORITY_SEED,
        ESCROW_SEED, VAULT_SEED,
    };

    pub fn config() -> Pubkey {
        find(&[Config::SEED], &::staking::ID)
    }

    /// io-token's emission controller once staking runs the crank.
    /// The hour-exact ledger (pending total-weight changes, recent reward readings).
    pub fn ledger() -> Pubkey {
        find(&[::staking::HourLedger::SEED], &::staking::ID)
    }

    pub fn emission_authority() -> Pubkey {
        find(&[EMISSION_AUTHORITY_SEED], &::staking::ID)
    }

    /// The IO vault of the config (reward vault) or of a node (stake vault).
    pub fn vault(owner: &Pubkey) -> Pubkey {
        find(
            &[VAULT_SEED, owner.as_ref(), ::staking::IO_MINT.as_ref()],
            &::staking::ID,
        )
    }

    pub fn reward_vault() -> Pubkey {
        vault(&config())
    }

    /// The appeal escrow vault of slashed tokens.
    pub fn escrow_vault() -> Pubkey {
        find(
            &[ESCROW_SEED, config().as_ref(), ::staking::IO_MINT.as_ref()],
            &::staking::ID,
        )
    }

    /// Slash record `id` of a node.
    pub fn slash(node: &Pubkey, id: u64) -> Pubkey {
        find(
            &[SlashRecord::SEED, node.as_ref(), &id.to_le_bytes()],
            &::staking::ID,
        )
    }

    pub fn device_class(class_id: u16) -> Pubkey {
        find(
            &[DeviceClass::SEED, &class_id.to_le_bytes()],
            &::staking::ID,
        )
    }

    pub fn node(supplier: &Pubkey, node_id: u64) -> Pubkey {
        find(
            &[Node::SEED, supplier.as_ref(), &node_id.to_le_bytes()],
            &::staking::ID,
        )
    }

    pub fn position(node: &Pubkey, staker: &Pubkey) -> Pubkey {
        find(
            &[StakePosition::SEED, node.as_ref(), staker.as_ref()],
            &::staking::ID,
        )
    }
}

pub mod revenue {
    use super::*;
    use ::revenue::state::{Config, DayRecord, FEES_SEED};

    pub fn config() -> Pubkey {
        find(&[Config::SEED], &::revenue::ID)
    }

    /// The fee vault of `mint` (`[b"fees", config, mint]`): IO or USDC.
    pub fn fee_vault(mint: &Pubkey) -> Pubkey {
        find(
            &[FEES_SEED, config().as_ref(), mint.as_ref()],
            &::revenue::ID,
        )
    }

    /// The IO fee vault (where the reservations program sends IO fees).
    pub fn io_vault() -> Pubkey {
        fee_vault(&::revenue::IO_MINT)
    }

    /// The burn record of a UTC day (days since 1970-01-01).
    pub fn day_record(day: u64) -> Pubkey {
        find(
            &[DayRecord::SEED, config().as_ref(), &day.to_le_bytes()],
            &::revenue::ID,
        )
    }
}

pub mod reservations {
    use super::*;
    use ::reservations::state::{Config, Listing, Reservation, ESCROW_SEED};

    /// The config: also staking's hire authority.
    pub fn config() -> Pubkey {
        find(&[Config::SEED], &::reservations::ID)
    }

    /// The escrow vault of `mint` (`[b"escrow", config, mint]`): IO or USDC.
    pub fn escrow(mint: &Pubkey) -> Pubkey {
        find(
            &[ESCROW_SEED, config().as_ref(), mint.as_ref()],
            &::reservations::ID,
        )
    }

    pub fn io_escrow() -> Pubkey {
        escrow(&::reservations::IO_MINT)
    }

    pub fn listing(node: &Pubkey) -> Pubkey {
        find(&[Listing::SEED, node.as_ref()], &::reservations::ID)
    }

    /// Reservation `id` of a node (the listing's `reservation_count` when it was made).
    pub fn reservation(node: &Pubkey, id: u64) -> Pubkey {
        find(
            &[Reservation::SEED, node.as_ref(), &id.to_le_bytes()],
            &::reservations::ID,
        )
    }
}
