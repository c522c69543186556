/// Layout version of the accounts this program writes.
pub const ACCOUNT_VERSION: u8 = 1;
/// The IO mint (io-token's PDA).
pub use io_token::IO_MINT_ADDRESS as IO_MINT;
/// USDC's decimals; `initialize` refuses a mint with other decimals.
pub const USDC_DECIMALS: u8 = 6;
/// Fee bounds (each of the reservation and payment fees): 0..=1,000 bps.
pub use ngpu_math::reservations::MAX_FEE_BPS;
/// The freeze authority of mainnet USDC (Circle): a USDC mint may have none or this one.
pub use revenue::USDC_FREEZE_AUTHORITY;

// Parameter bounds of `initialize` / `update_params`.
/// Oldest accepted price, seconds: 1..=3,600.
pub const MAX_PRICE_AGE_LIMIT_SECS: u32 = 3_600;
/// Widest accepted confidence interval: 1..=2,000 bps of the price.
pub const MAX_CONFIDENCE_LIMIT_BPS: u16 = 2_000;
/// The longest reservation a config may allow: 90 days of hours (stakers are never locked in
/// for long: no unstake request while hired).
pub const MAX_HOURS_LIMIT: u32 = 2_160;
