use anchor_lang::prelude::*;

/// Errors of `revenue`. Append only: codes follow declaration order (6000 + index).
#[error_code]
pub enum RevenueError {
    // --- authority ---
    /// 6000
    #[msg("The signer is not allowed to perform this action.")]
    Unauthorized,
    /// 6001
    #[msg("The signer is not the pending authority.")]
    NotPendingAuthority,
    // --- input ---
    /// 6002
    #[msg("The amount must be greater than zero.")]
    ZeroAmount,
    /// 6003
    #[msg("A parameter is outside its allowed bounds.")]
    InvalidParameter,
    /// 6004
    #[msg("The token account is not of the expected mint or owner.")]
    InvalidTokenAccount,
    /// 6005
    #[msg("The USDC mint is not a classic SPL Token mint (Token-2022 mints are refused).")]
    UsdcNotClassicToken,
    /// 6006
    #[msg("The USDC mint is not an initialised mint with 6 decimals.")]
    InvalidUsdcMint,
    /// 6007
    #[msg("The USDC mint has a freeze authority other than USDC's own.")]
    UsdcFreezeAuthority,
    // --- state ---
    /// 6008
    #[msg("The account is already initialized.")]
    AlreadyInitialized,
    /// 6009
    #[msg("The program is paused: buybacks are stopped (fee burns stay open).")]
    Paused,
    /// 6010
    #[msg("The IO fee vault is empty: nothing to burn.")]
    NothingToBurn,
    /// 6011
    #[msg("The burn record is not this program's record of the current UTC day.")]
    WrongDayRecord,
    // --- buyback ---
    /// 6012
    #[msg("The quote has expired.")]
    QuoteExpired,
    /// 6013
    #[msg("The USDC asked exceeds the oracle's low price plus the premium.")]
    AbovePriceBound,
    /// 6014
    #[msg("The USDC fee vault holds less than the fill asks.")]
    InsufficientVault,
    /// 6015
    #[msg("The fill would exceed the rolling-window USDC outflow limit.")]
    OutflowLimitExceeded,
    // --- oracle ---
    /// 6016
    #[msg("The price account is not the configured Pyth feed.")]
    WrongPriceAccount,
    /// 6017
    #[msg("The price account cannot be read.")]
    InvalidPrice,
    /// 6018
    #[msg("The price update is only partially verified.")]
    PriceNotFullyVerified,
    /// 6019
    #[msg("The price update is for another feed than the configured one.")]
    WrongPriceFeed,
    /// 6020
    #[msg("The price (or the low side of its confidence band) is zero or negative.")]
    NonPositivePrice,
    /// 6021
    #[msg("The price is too old.")]
    StalePrice,
    /// 6022
    #[msg("The price's confidence interval is too wide.")]
    PriceTooUncertain,
    /// 6023
    #[msg("The price is out of range.")]
    PriceOutOfRange,
    // --- maths ---
    /// 6024
    #[msg("Arithmetic overflow.")]
    MathOverflow,
    // --- buyback (continued) ---
    /// 6025
    #[msg("The seller's IO account holds less than the fill delivers.")]
    SellerBalanceTooLow,
    /// 6026
    #[msg("The token account is not the config's fee vault.")]
    WrongVault,
    // --- authority (continued) ---
    /// 6027
    #[msg("The price feed id is pinned at initialize: update_params cannot change it.")]
    PriceFeedIdPinned,
}

impl From<ngpu_math::MathError> for RevenueError {
    fn from(_: ngpu_math::MathError) -> Self {
        RevenueError::MathOverflow
    }
}
