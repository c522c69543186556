//! The reservations part of `ngpu simulate`: the reservations program deployed and made
//! staking's hire authority, `--renters` steady nodes listed at $2.50 an hour, one renter each
//! reserving its node for the whole period (even renters in USDC, odd ones in IO), the first
//! renter ending early at a third of the period, the second node reported failed at half of it,
//! every other reservation settled after each crank call (lazy, permissionless) and at the end.
//! Fees land in the revenue vaults, where the revenue part burns / buys them back.

use anchor_lang::prelude::Pubkey;
use io_token::constants::SECONDS_PER_HOUR;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::Localnet;
use ngpu_math::units::format_io;
use ngpu_sdk::params::Params;
use ngpu_sdk::revenue::format_usdc;
use ngpu_sdk::{ix, pda};
use reservations::{Currency, CurrencyTotals, ListingArgs, Reservation};
use serde::Serialize;

use crate::commands::simulate::ok;
use crate::commands::simulate_revenue::RevenueSim;

const IO: u64 = 100_000_000;
const USDC: u64 = 1_000_000;
/// The listing price: $2.50 an hour.
const PRICE_PER_HOUR: u64 = 2_500_000;

struct Rental {
    renter: Keypair,
    address: Pubkey,
    open: bool,
    /// What happens to it before the end: ended early or reported failed at this hour.
    ends_at: Option<(u64, bool)>,
}

pub struct ReservationsSim {
    authority: Keypair,
    usdc_mint: Pubkey,
    rentals: Vec<Rental>,
    /// Renter IO wallets (for the supply check).
    renter_io: Vec<Pubkey>,
    fees_noted: (u64, u64),
    ended_early: u64,
    failed: u64,
}

/// Per currency, base units.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrencyLine {
    pub reservations: u64,
    /// Renters paid into escrow.
    pub deposited: u64,
    pub supplier_paid: u64,
    pub fees: u64,
    pub refunded: u64,
    pub escrowed: u64,
}

impl From<CurrencyTotals> for CurrencyLine {
    fn from(t: CurrencyTotals) -> Self {
        Self {
            reservations: t.reservations,
            deposited: t.deposited,
            supplier_paid: t.supplier_paid,
            fees: t.fees,
            refunded: t.refunded,
            escrowed: t.escrowed,
        }
    }
}

#[derive(Serialize, Debug)]
pub struct ReservationsReport {
    pub renters: u64,
    pub ended_early: u64,
    pub failed: u64,
    pub open_at_end: u64,
    pub usdc: CurrencyLine,
    pub io: CurrencyLine,
}

impl ReservationsSim {
    /// Deploys reservations (the shipped `[reservations]` parameters, revenue's price account),
    /// lists up to `renters` steady nodes and reserves each for `hours` hours.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_up(
        chain: &mut Localnet,
        params: &Params,
        authority: &Keypair,
        community: Pubkey,
        revenue: &RevenueSim,
        nodes: Vec<(Pubkey, Keypair, Pubkey)>,
        renters: u64,
        hours: u64,
    ) -> Result<Self, String> {
        let usdc_mint = revenue.usdc_mint();
        let price_feed = revenue.price_feed();
        let args = params
            .reservations
            .initialize_args(price_feed, ngpu_localnet::TEST_FEED_ID);
        ok(
            "initialize reservations",
            chain
                .send(
                    &[ix::reservations::initialize(
                        authority.pubkey(),
                        usdc_mint,
                        args,
                    )],
                    &[authority],
                )
                .await,
        )?;
        let now = chain.now().await;
        chain.set_pyth_price(price_feed, 250_000_000, 500_000, -8, now);
        let hours_u32 = u32::try_from(hours.clamp(1, u64::from(params.reservations.max_hours)))
            .map_err(|e| e.to_string())?;
        let io_mint = pda::io_token::io_mint();
        let mut sim = Self {
            authority: authority.insecure_clone(),
            usdc_mint,
            rentals: Vec::new(),
            renter_io: Vec::new(),
            fees_noted: (0, 0),
            ended_early: 0,
            failed: 0,
        };
        for (i, (node, supplier, tokens)) in nodes
            .into_iter()
            .take(usize::try_from(renters).unwrap_or(0))
            .enumerate()
        {
            let payout_usdc = chain
                .create_token_account(&usdc_mint, &supplier.pubkey())
                .await;
            let listing = ListingArgs {
                price_micro_usd_per_hour: PRICE_PER_HOUR,
                max_hours: hours_u32,
            };
            ok(
                "list node",
                chain
                    .send(
                        &[ix::reservations::list_node(
                            supplier.pubkey(),
                            node,
                            payout_usdc,
                            tokens,
                            listing,
                        )],
                        &[&supplier],
                    )
                    .await,
            )?;
            let renter = chain.funded_user(ngpu_localnet::USER_LAMPORTS).await;
            let usdc = chain
                .create_token_account(&usdc_mint, &renter.pubkey())
                .await;
            let io = chain.create_token_account(&io_mint, &renter.pubkey()).await;
            revenue.mint_usdc(chain, usdc, 100_000 * USDC).await?;
            let fund = anchor_spl::token::spl_token::instruction::transfer(
                &anchor_spl::token::ID,
                &community,
                &io,
                &authority.pubkey(),
                &[],
                100_000 * IO,
            )
            .map_err(|e| e.to_string())?;
            ok(
                "fund renter with IO",
                chain.send(&[fund], &[authority]).await,
            )?;
            sim.renter_io.push(io);
            let currency = if i % 2 == 0 {
                Currency::Usdc
            } else {
                Currency::Io
            };
            let accounts = ix::reservations::ReserveAccounts {
                node,
                id: 0,
                renter_token: if currency == Currency::Usdc { usdc } else { io },
                usdc_mint,
                price_feed,
            };
            ok(
                "reserve",
                chain
                    .send(
                        &[ix::reservations::reserve(
                            renter.pubkey(),
                            accounts,
                            hours_u32,
                            currency,
                            u64::MAX,
                        )],
                        &[&renter],
                    )
                    .await,
            )?;
            let ends_at = match i {
                0 => Some((hours / 3, false)),
                1 => Some((hours / 2, true)),
                _ => None,
            };
            sim.rentals.push(Rental {
                renter,
                address: pda::reservations::reservation(&node, 0),
                open: true,
                ends_at,
            });
        }
        Ok(sim)
    }

    /// The renters' IO wallets and the IO escrow (for the supply check).
    pub fn io_accounts(&self) -> Vec<(String, Pubkey)> {
        let mut accounts: Vec<(String, Pubkey)> = self
            .renter_io
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("Renter {i} IO wallet"), *a))
            .collect();
        accounts.push((
            "Reservations IO escrow".into(),
            pda::reservations::io_escrow(),
        ));
        accounts
    }

    /// Before the crank call that ends at hour `end`: the early end and the failure due before
    /// then, each sent at its own hour (`genesis_ts` + hours), while its reservation still runs.
    pub async fn end_due(
        &mut self,
        chain: &mut Localnet,
        end: u64,
        genesis_ts: i64,
    ) -> Result<(), String> {
        let authority = self.authority.insecure_clone();
        for rental in self.rentals.iter_mut().filter(|r| r.open) {
            let Some((at, failed)) = rental.ends_at.filter(|(at, _)| *at < end) else {
                continue;
            };
            let at_ts = genesis_ts
                .saturating_add(i64::try_from(at).unwrap_or(i64::MAX / 4) * SECONDS_PER_HOUR);
            if chain.now().await < at_ts {
                chain.set_time(at_ts).await;
            }
            let r: Reservation = chain.anchor_account(rental.address).await;
            rental.open = false;
            let (ix, step) = if failed {
                self.failed += 1;
                (
                    ix::reservations::report_failure(
                        rental.address,
                        &r,
                        &self.usdc_mint,
                        &[authority.pubkey()],
                    ),
                    format!("report the failure of a rented node at hour {at}"),
                )
            } else {
                self.ended_early += 1;
                (
                    ix::reservations::end_early(rental.address, &r, &self.usdc_mint),
                    format!("end a reservation early at hour {at}"),
                )
            };
            ok(step, chain.send(&[ix], &[&rental.renter, &authority]).await)?;
        }
        Ok(())
    }

    /// After the crank call that ended at hour `end`: a settle of every open reservation; the
    /// new fees are counted as revenue.
    pub async fn step(
        &mut self,
        chain: &mut Localnet,
        end: u64,
        revenue: &mut RevenueSim,
    ) -> Result<(), String> {
        for rental in self.rentals.iter_mut().filter(|r| r.open) {
            let r: Reservation = chain.anchor_account(rental.address).await;
            let now = chain.now().await;
            if ngpu_math::reservations::delivered_hours(r.start_ts, now, r.hours) == r.hours {
                rental.open = false;
            }
            let ix = ix::reservations::settle(rental.address, &r, &self.usdc_mint);
            ok(
                format!("settle a reservation at hour {end}"),
                chain.send(&[ix], &[&rental.renter]).await,
            )?;
        }
        self.note_fees(chain, revenue).await;
        Ok(())
    }

    async fn note_fees(&mut self, chain: &mut Localnet, revenue: &mut RevenueSim) {
        let c: reservations::Config = chain.anchor_account(pda::reservations::config()).await;
        let (io, usdc) = (c.io_totals.fees, c.usdc_totals.fees);
        revenue.note_reservation_fees(io - self.fees_noted.0, usdc - self.fees_noted.1);
        self.fees_noted = (io, usdc);
    }

    /// The totals at the end, checked: per currency, deposited == supplier paid + fees +
    /// refunded + escrowed, and the escrow vault holds exactly what is escrowed.
    pub async fn finish(&self, chain: &mut Localnet) -> Result<ReservationsReport, String> {
        let c: reservations::Config = chain.anchor_account(pda::reservations::config()).await;
        for (t, escrow) in [(c.usdc_totals, c.usdc_escrow), (c.io_totals, c.io_escrow)] {
            let held = chain.token_balance(escrow).await;
            if t.deposited != t.supplier_paid + t.fees + t.refunded + t.escrowed
                || held != t.escrowed
            {
                return Err(format!(
                    "reservations ledger mismatch: {t:?}, escrow {held}"
                ));
            }
        }
        Ok(ReservationsReport {
            renters: u64::try_from(self.rentals.len()).unwrap_or(0),
            ended_early: self.ended_early,
            failed: self.failed,
            open_at_end: c.open_reservations,
            usdc: c.usdc_totals.into(),
            io: c.io_totals.into(),
        })
    }
}

/// The report's reservation lines.
pub fn print(r: &ReservationsReport) {
    println!(
        "\nReservations: {} renters ({} ended early, {} reported failed, {} still open)",
        r.renters, r.ended_early, r.failed, r.open_at_end
    );
    println!(
        "  USDC: {} reservations, renters paid {} USDC, suppliers got {}, fees {}, refunded {}, in escrow {}",
        r.usdc.reservations,
        format_usdc(r.usdc.deposited),
        format_usdc(r.usdc.supplier_paid),
        format_usdc(r.usdc.fees),
        format_usdc(r.usdc.refunded),
        format_usdc(r.usdc.escrowed)
    );
    println!(
        "  IO:   {} reservations, renters paid {} IO, suppliers got {}, fees {}, refunded {}, in escrow {}",
        r.io.reservations,
        format_io(r.io.deposited),
        format_io(r.io.supplier_paid),
        format_io(r.io.fees),
        format_io(r.io.refunded),
        format_io(r.io.escrowed)
    );
}
