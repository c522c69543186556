//! Client-side reservation helpers: the deposit `reserve` would take now (the same maths and
//! price checks as the program), and JSON-ready views of listings and reservations (`ngpu
//! listing show`, `ngpu reserve`, `ngpu reservation show|list`).

use anchor_lang::prelude::Pubkey;
use ngpu_math::reservations::{cost_micro_usd, io_principal, Terms};
use ngpu_onchain::pyth::check_price;
use reservations::{Currency, Listing, Reservation, ReservationsError};
use serde::Serialize;

/// What a reservation of `hours` in `currency` costs now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ReserveQuote {
    pub hours: u32,
    pub currency: &'static str,
    /// `price × hours`, micro-USD.
    pub cost_micro_usd: u64,
    /// IO only: the low side of the band used, micro-USD per IO (0 for USDC).
    pub io_price_micro_usd: u64,
    /// The cost in the currency's base units.
    pub principal: u64,
    /// What `reserve` takes into escrow: the principal and the renter's fees.
    pub deposit: u64,
    pub reservation_fee_bps: u16,
    pub payment_fee_bps: u16,
}

pub fn currency_name(c: Currency) -> &'static str {
    match c {
        Currency::Usdc => "usdc",
        Currency::Io => "io",
    }
}

/// `usdc` or `io`.
pub fn parse_currency(text: &str) -> Result<Currency, String> {
    match text.to_ascii_lowercase().as_str() {
        "usdc" => Ok(Currency::Usdc),
        "io" => Ok(Currency::Io),
        _ => Err(format!("`{text}`: pay with `usdc` or `io`")),
    }
}

/// The deposit `reserve` takes now: the listing's price, the config's fee rates and, for IO,
/// the price account (owner and data) checked as the program checks it.
pub fn quote(
    config: &reservations::Config,
    listing: &Listing,
    hours: u32,
    currency: Currency,
    price: Option<(&Pubkey, &[u8])>,
    now: i64,
) -> Result<ReserveQuote, String> {
    let cost =
        cost_micro_usd(listing.price_micro_usd_per_hour, hours).map_err(|e| e.to_string())?;
    let (principal, io_price) = match currency {
        Currency::Usdc => (cost, 0),
        Currency::Io => {
            let (owner, data) = price.ok_or("an IO quote needs the price account")?;
            let low = check_price(owner, data, &config.price_limits(), now)
                .and_then(|p| p.for_taking_in())
                .map_err(|e| {
                    let e = ReservationsError::from(e);
                    format!("ReservationsError::{} ({}): {e}", e.name(), u32::from(e))
                })?;
            (io_principal(cost, low).map_err(|e| e.to_string())?, low)
        }
    };
    let rates = config.rates(currency);
    let deposit = Terms {
        principal,
        hours,
        rates,
    }
    .deposit()
    .map_err(|e| e.to_string())?;
    Ok(ReserveQuote {
        hours,
        currency: currency_name(currency),
        cost_micro_usd: cost,
        io_price_micro_usd: io_price,
        principal,
        deposit,
        reservation_fee_bps: rates.reservation_bps,
        payment_fee_bps: rates.payment_bps,
    })
}

/// A listing, for JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListingView {
    pub listing: String,
    pub node: String,
    pub supplier: String,
    pub price_micro_usd_per_hour: u64,
    pub max_hours: u32,
    pub payout_usdc: String,
    pub payout_io: String,
    /// The open reservation, if any.
    pub active_reservation: Option<String>,
    pub reservation_count: u64,
    /// Supplier pay credited while the payout account was unusable (`claim_payout`).
    pub owed_usdc: u64,
    pub owed_io: u64,
    /// Ended reservations kept with a refund owed to their renter (`claim_refund`).
    pub refunds_owed: u64,
}

impl ListingView {
    pub fn new(address: &Pubkey, l: &Listing) -> Self {
        Self {
            listing: address.to_string(),
            node: l.node.to_string(),
            supplier: l.supplier.to_string(),
            price_micro_usd_per_hour: l.price_micro_usd_per_hour,
            max_hours: l.max_hours,
            payout_usdc: l.payout_usdc.to_string(),
            payout_io: l.payout_io.to_string(),
            active_reservation: (l.active_reservation != Pubkey::default())
                .then(|| l.active_reservation.to_string()),
            reservation_count: l.reservation_count,
            owed_usdc: l.owed_usdc,
            owed_io: l.owed_io,
            refunds_owed: l.refunds_owed,
        }
    }
}

/// A reservation at `now`, for JSON: its stored terms and what a settle / an early end would do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReservationView {
    pub reservation: String,
    pub node: String,
    pub renter: String,
    pub currency: &'static str,
    pub hours: u32,
    pub start_ts: i64,
    pub price_micro_usd_per_hour: u64,
    pub cost_micro_usd: u64,
    pub io_price_micro_usd: u64,
    pub principal: u64,
    pub deposit: u64,
    pub reservation_fee_bps: u16,
    pub payment_fee_bps: u16,
    pub settled_hours: u32,
    pub supplier_paid: u64,
    pub fees_paid: u64,
    pub escrowed: u64,
    /// Whole hours delivered by `now`.
    pub delivered_hours: u32,
    /// What `settle` would pay the supplier and the fee vault now.
    pub settle_supplier: u64,
    pub settle_fees: u64,
    /// What `end_early` would refund now (0 once every hour is delivered).
    pub end_refund: u64,
    /// Ended while the renter's account was unusable: the refund it pulls with `claim_refund`
    /// (the reservation is then no longer open).
    pub refund_owed: u64,
}

impl ReservationView {
    pub fn new(address: &Pubkey, r: &Reservation, now: i64) -> Result<Self, String> {
        use ngpu_math::reservations::{charged_on_end, delivered_hours};
        let terms = r.terms();
        let delivered = delivered_hours(r.start_ts, now, r.hours);
        let (settle_supplier, settle_fees) = terms
            .step(r.settled_hours, delivered.max(r.settled_hours))
            .map_err(|e| e.to_string())?;
        let end_refund = if delivered == r.hours {
            0
        } else {
            terms
                .refund(charged_on_end(r.start_ts, now, r.hours))
                .map_err(|e| e.to_string())?
        };
        Ok(Self {
            reservation: address.to_string(),
            node: r.node.to_string(),
            renter: r.renter.to_string(),
            currency: currency_name(r.currency),
            hours: r.hours,
            start_ts: r.start_ts,
            price_micro_usd_per_hour: r.price_micro_usd_per_hour,
            cost_micro_usd: r.cost_micro_usd,
            io_price_micro_usd: r.io_price_micro_usd,
            principal: r.principal,
            deposit: r.deposit,
            reservation_fee_bps: r.reservation_fee_bps,
            payment_fee_bps: r.payment_fee_bps,
            settled_hours: r.settled_hours,
            supplier_paid: r.supplier_paid,
            fees_paid: r.fees_paid,
            escrowed: r.escrowed().map_err(|e| e.to_string())?,
            delivered_hours: delivered,
            settle_supplier,
            settle_fees,
            end_refund,
            refund_owed: r.refund_owed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies() {
        assert_eq!(parse_currency("USDC"), Ok(Currency::Usdc));
        assert_eq!(parse_currency("io"), Ok(Currency::Io));
        assert!(parse_currency("sol").is_err());
        assert_eq!(currency_name(Currency::Io), "io");
    }
}
