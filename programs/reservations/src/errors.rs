use anchor_lang::prelude::*;

/// Errors of `reservations`. Append only: codes follow declaration order (6000 + index).
#[error_code]
pub enum ReservationsError {
    // --- authority ---
    /// 6000
    #[msg("The signer is not allowed to perform this action.")]
    Unauthorized,
    /// 6001
    #[msg("The signer is not the pending authority.")]
    NotPendingAuthority,
    // --- input ---
    /// 6002
    #[msg("A parameter is outside its allowed bounds.")]
    InvalidParameter,
    /// 6003
    #[msg("The token account is not of the expected mint or owner.")]
    InvalidTokenAccount,
    /// 6004
    #[msg("The USDC mint is not a classic SPL Token mint (Token-2022 mints are refused).")]
    UsdcNotClassicToken,
    /// 6005
    #[msg("The USDC mint is not an initialised mint with 6 decimals.")]
    InvalidUsdcMint,
    /// 6006
    #[msg("The USDC mint has a freeze authority other than USDC's own.")]
    UsdcFreezeAuthority,
    /// 6007
    #[msg("The reservation must be for 1 to the listing's and the config's maximum hours.")]
    InvalidHours,
    /// 6008
    #[msg("The total exceeds the renter's max_total (slippage guard).")]
    SlippageExceeded,
    /// 6009
    #[msg("The account is not the expected vault.")]
    WrongVault,
    /// 6010
    #[msg("The listing is not this node's, or not this reservation's.")]
    WrongListing,
    /// 6011
    #[msg("The account is not the reservation's stored renter or payout account.")]
    WrongRecipient,
    // --- state ---
    /// 6012
    #[msg("The account is already initialized.")]
    AlreadyInitialized,
    /// 6013
    #[msg("The program is paused: new reservations are stopped (settle and end stay open).")]
    Paused,
    /// 6014
    #[msg("Terminated nodes cannot be listed.")]
    NodeTerminated,
    /// 6015
    #[msg("The node is not available for hire (not committed).")]
    NodeNotAvailable,
    /// 6016
    #[msg("The node already has an open reservation.")]
    NodeAlreadyReserved,
    /// 6017
    #[msg("The reservation is not open (ended, completed or never created).")]
    ReservationNotOpen,
    /// 6018
    #[msg("Every hour is delivered: settle the reservation instead of ending it.")]
    ReservationCompleted,
    // --- oracle ---
    /// 6019
    #[msg("The price account is not the configured Pyth feed.")]
    WrongPriceAccount,
    /// 6020
    #[msg("The price account cannot be read.")]
    InvalidPrice,
    /// 6021
    #[msg("The price update is only partially verified.")]
    PriceNotFullyVerified,
    /// 6022
    #[msg("The price update is for another feed than the configured one.")]
    WrongPriceFeed,
    /// 6023
    #[msg("The price (or the low side of its confidence band) is zero or negative.")]
    NonPositivePrice,
    /// 6024
    #[msg("The price is too old.")]
    StalePrice,
    /// 6025
    #[msg("The price's confidence interval is too wide.")]
    PriceTooUncertain,
    /// 6026
    #[msg("The price is out of range.")]
    PriceOutOfRange,
    // --- maths ---
    /// 6027
    #[msg("Arithmetic overflow.")]
    MathOverflow,
    // --- node oracles ---
    /// 6028
    #[msg("Fewer node oracles than the quorum signed.")]
    QuorumNotReached,
    // --- authority (continued) ---
    /// 6029
    #[msg("The price feed id is pinned at initialize: update_params cannot change it.")]
    PriceFeedIdPinned,
    // --- owed supplier pay ---
    /// 6030
    #[msg("Nothing is owed to the supplier in this currency.")]
    NothingOwed,
    /// 6031
    #[msg("The listing still holds pay owed to its supplier or a refund owed to a renter: claim first.")]
    PayoutOwed,
}

impl From<ngpu_math::MathError> for ReservationsError {
    fn from(_: ngpu_math::MathError) -> Self {
        ReservationsError::MathOverflow
    }
}

impl From<ngpu_onchain::pyth::PythError> for ReservationsError {
    fn from(e: ngpu_onchain::pyth::PythError) -> Self {
        use ngpu_onchain::pyth::PythError;
        match e {
            PythError::WrongOwner => ReservationsError::WrongPriceAccount,
            PythError::InvalidAccount => ReservationsError::InvalidPrice,
            PythError::NotFullyVerified => ReservationsError::PriceNotFullyVerified,
            PythError::WrongFeedId => ReservationsError::WrongPriceFeed,
            PythError::NonPositivePrice => ReservationsError::NonPositivePrice,
            PythError::Stale => ReservationsError::StalePrice,
            PythError::TooUncertain => ReservationsError::PriceTooUncertain,
            PythError::OutOfRange => ReservationsError::PriceOutOfRange,
        }
    }
}

/// Maps a pure-maths error to `MathOverflow`.
pub fn math<T>(r: core::result::Result<T, ngpu_math::MathError>) -> Result<T> {
    r.map_err(|e| error!(ReservationsError::from(e)))
}
