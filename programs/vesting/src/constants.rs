/// Layout version of the accounts this program writes.
pub const ACCOUNT_VERSION: u8 = 1;

/// The IO mint (io-token's PDA): the only mint pools and schedules hold.
pub use io_token::IO_MINT_ADDRESS as IO_MINT;
