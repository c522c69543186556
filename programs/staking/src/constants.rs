/// Layout version of the accounts this program writes.
pub const ACCOUNT_VERSION: u8 = 1;
/// The IO mint (io-token's PDA).
pub use io_token::IO_MINT_ADDRESS as IO_MINT;
/// The Pyth Solana Receiver program, owner of PriceUpdateV2 accounts.
pub const PYTH_RECEIVER: anchor_lang::prelude::Pubkey =
    anchor_lang::prelude::pubkey!("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ");
/// Hours one crank call may process.
pub const MAX_HOURS_PER_CRANK: u8 = 24;
/// Most keys in the node oracle set.
pub const MAX_ORACLES: usize = 5;
