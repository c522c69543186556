use anchor_lang::prelude::{pubkey, Pubkey};

/// Layout version of the accounts this program writes.
pub const ACCOUNT_VERSION: u8 = 1;
/// The IO mint (io-token's PDA): the IO fee vault's mint, and what buybacks burn.
pub use io_token::IO_MINT_ADDRESS as IO_MINT;
/// USDC's decimals; `initialize` refuses a mint with other decimals.
pub const USDC_DECIMALS: u8 = 6;
/// The freeze authority of mainnet USDC (Circle). `initialize` accepts a USDC mint with no
/// freeze authority or this one, nothing else: a mint frozen by anyone else could lock the vault.
pub const USDC_FREEZE_AUTHORITY: Pubkey = pubkey!("7dGbd2QZcCKcTndnHcTL8q7SMVXAkp688NTQYwrRCrar");

// Parameter bounds of `initialize` / `update_params`.
/// Oldest accepted price, seconds: 1..=3,600.
pub const MAX_PRICE_AGE_LIMIT_SECS: u32 = 3_600;
/// Widest accepted confidence interval: 1..=2,000 bps of the price.
pub const MAX_CONFIDENCE_LIMIT_BPS: u16 = 2_000;
/// Premium over the oracle's low price: 0..=1,000 bps (10%).
pub use ngpu_math::revenue::MAX_PREMIUM_BPS;
/// Outflow window: 60 s..=30 days.
pub const MIN_WINDOW_SECS: u32 = 60;
pub const MAX_WINDOW_SECS: u32 = 30 * 86_400;
