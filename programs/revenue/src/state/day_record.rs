use anchor_lang::prelude::*;
use ngpu_onchain::{create_pda_account, write_account};

use crate::constants::ACCOUNT_VERSION;
use crate::errors::RevenueError;
use crate::state::{BurnTotals, CONFIG_ADDRESS};

/// What was burned on one UTC day, PDA `[b"burns", config, day (u64 LE)]`, created by the first
/// burn or fill of the day (its caller pays the rent; pre-funding safe). Anyone can read how
/// much revenue became how much burned IO at what price.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct DayRecord {
    pub version: u8,
    pub bump: u8,
    /// Days since 1970-01-01 (UTC).
    pub day: u64,
    pub totals: BurnTotals,
    pub _reserved: [u8; 64],
}

impl DayRecord {
    pub const SEED: &'static [u8] = b"burns";
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// The record of `day` at `account`: loaded if it exists, else created (paid by `payer`).
    /// Returns it and whether it was created.
    ///
    /// An existing record needs no address derivation: only this program creates accounts of
    /// this type, always at `[b"burns", config, day]` with `day` stored, so its owner,
    /// discriminator and stored day identify it. A new one is created at the derived address.
    pub fn open<'info>(
        account: &AccountInfo<'info>,
        payer: &AccountInfo<'info>,
        system_program: &AccountInfo<'info>,
        day: u64,
    ) -> Result<(Self, bool)> {
        require!(account.is_writable, RevenueError::WrongDayRecord);
        if account.owner == &crate::ID {
            let data = account.try_borrow_data()?;
            let record = Self::try_deserialize(&mut &data[..])
                .map_err(|_| error!(RevenueError::WrongDayRecord))?;
            require_eq!(record.day, day, RevenueError::WrongDayRecord);
            return Ok((record, false));
        }
        let day_bytes = day.to_le_bytes();
        let (address, bump) = Pubkey::find_program_address(
            &[Self::SEED, CONFIG_ADDRESS.as_ref(), &day_bytes],
            &crate::ID,
        );
        require_keys_eq!(account.key(), address, RevenueError::WrongDayRecord);
        create_pda_account(
            payer,
            account,
            system_program,
            &crate::ID,
            Self::SPACE,
            &[Self::SEED, CONFIG_ADDRESS.as_ref(), &day_bytes, &[bump]],
        )?;
        Ok((
            Self {
                version: ACCOUNT_VERSION,
                bump,
                day,
                totals: BurnTotals::default(),
                _reserved: [0; 64],
            },
            true,
        ))
    }

    pub fn save(&self, account: &AccountInfo<'_>) -> Result<()> {
        write_account(account, self)
    }
}
