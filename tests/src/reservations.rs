//! The reservations program in the test harness: set-up (staking + revenue + reservations, the
//! reservations config made staking's hire authority), suppliers with listed nodes, renters,
//! reserve / settle / end helpers, and its invariants, checked after every transaction by
//! `invariants::check`:
//! - per currency, `deposited == supplier paid + fees + refunded + escrowed` (the four-way
//!   conservation) and the escrow vault holds exactly `escrowed`;
//! - `escrowed == Σ open reservations' escrow` per currency, and their count is
//!   `open_reservations`;
//! - `escrowed` also counts `owed` (supplier pay credited to listings whose payout account was
//!   unusable, awaiting `claim_payout`; refunds of reservations ended while the renter's account
//!   was unusable, awaiting `claim_refund`): `escrowed == Σ open + owed`,
//!   `owed == Σ listings' owed + Σ refunds owed + fees owed` (fees kept while the fee vault was
//!   frozen, awaiting `sweep_fees`);
//! - each open reservation's cumulative amounts are `ngpu_math::reservations` of its settled
//!   hours, its node is hired (or terminated by a slash meanwhile) and its listing points at it.
//!
//! The fees arrive in revenue's fee vaults, which `revenue::check` counts as deposits.

use anchor_lang::prelude::Pubkey;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_localnet::TxOutcome;
use ngpu_sdk::params::{Params, StakingKeys};
use ngpu_sdk::{ix, pda};
use reservations::{Currency, ListingArgs, Reservation};

use crate::TestContext;

/// What the harness knows about the reservations program.
#[derive(Default)]
pub struct ReservationsState {
    /// Set by `with_reservations`: the invariants are checked from then on.
    pub enabled: bool,
    /// Every reservation address created through the helpers (open or closed).
    pub addresses: Vec<Pubkey>,
    /// Every node reserved through the helpers: their listings' owed balances are summed.
    pub nodes: Vec<Pubkey>,
}

/// A supplier with a listed node and its payout accounts.
pub struct Supplier {
    pub key: Keypair,
    pub node: Pubkey,
    pub payout_usdc: Pubkey,
    pub payout_io: Pubkey,
}

/// A renter with a USDC and an IO account.
pub struct Renter {
    pub key: Keypair,
    pub usdc: Pubkey,
    pub io: Pubkey,
}

impl Renter {
    pub fn token(&self, currency: Currency) -> Pubkey {
        match currency {
            Currency::Usdc => self.usdc,
            Currency::Io => self.io,
        }
    }
}

impl TestContext {
    /// `with_staking` + revenue initialised (a classic 6-decimal USDC mint) + reservations
    /// initialised with the shipped parameters, and staking's hire authority set to the
    /// reservations config PDA (the test key no longer hires). Device class 2 is the H100.
    pub async fn with_reservations() -> Self {
        let mut ctx = Self::with_staking().await;
        ctx.init_revenue().await;
        let authority = ctx.authority.insecure_clone();
        let usdc_mint = ctx.revenue.usdc_mint;
        let args = ctx.reservations_args();
        ctx.send_ok(
            &[ix::reservations::initialize(
                authority.pubkey(),
                usdc_mint,
                args,
            )],
            &[&authority],
        )
        .await;
        ctx.io_accounts.push(pda::reservations::io_escrow());
        let staking_args = Params::load_default().staking.initialize_args(StakingKeys {
            oracles: ctx.oracles.iter().map(|k| k.pubkey()).collect(),
            oracle_quorum: 2,
            price_feed: ctx.price_feed,
            price_feed_id: ctx.price_feed_id,
            hire_authority: pda::reservations::config(),
        });
        ctx.send_ok(
            &[ix::staking::update_params(authority.pubkey(), staking_args)],
            &[&authority],
        )
        .await;
        ctx.reservations.enabled = true;
        ctx.device_class(2, 30_000, 10_000).await;
        ctx
    }

    /// The shipped reservations parameters with the test price account and feed id.
    pub fn reservations_args(&self) -> reservations::InitializeArgs {
        Params::load_default()
            .reservations
            .initialize_args(self.price_feed, self.price_feed_id)
    }

    pub async fn reservations_config(&mut self) -> reservations::Config {
        self.chain.anchor_account(pda::reservations::config()).await
    }

    pub async fn listing(&mut self, node: Pubkey) -> reservations::Listing {
        self.chain
            .anchor_account(pda::reservations::listing(&node))
            .await
    }

    pub async fn reservation(&mut self, address: Pubkey) -> Option<Reservation> {
        let account = self.chain.account(address).await?;
        if account.owner != reservations::ID {
            return None;
        }
        Some(ngpu_sdk::decode_account(&account.data).expect("reservation decodes"))
    }

    /// A supplier with a fresh H100 node (id `node_id`) listed at `price` micro-USD per hour
    /// for up to `max_hours`.
    pub async fn listed_node(&mut self, node_id: u64, price: u64, max_hours: u32) -> Supplier {
        let (key, payout_io) = self.funded_user(0).await;
        let node = self.register_node(&key, 2, node_id).await;
        let mint = self.revenue.usdc_mint;
        let payout_usdc = self.chain.create_token_account(&mint, &key.pubkey()).await;
        let args = ListingArgs {
            price_micro_usd_per_hour: price,
            max_hours,
        };
        self.send_ok(
            &[ix::reservations::list_node(
                key.pubkey(),
                node,
                payout_usdc,
                payout_io,
                args,
            )],
            &[&key],
        )
        .await;
        Supplier {
            key,
            node,
            payout_usdc,
            payout_io,
        }
    }

    /// A renter holding `usdc` USDC base units and `io` whole IO.
    pub async fn renter(&mut self, usdc: u64, io: u64) -> Renter {
        let (key, io_account) = self.funded_user(io).await;
        let mint = self.revenue.usdc_mint;
        let usdc_account = self.chain.create_token_account(&mint, &key.pubkey()).await;
        if usdc > 0 {
            self.mint_usdc(usdc_account, usdc).await;
        }
        Renter {
            key,
            usdc: usdc_account,
            io: io_account,
        }
    }

    /// The accounts of the next reservation of `node` paid from `renter_token`.
    pub async fn reserve_accounts(
        &mut self,
        node: Pubkey,
        renter_token: Pubkey,
    ) -> ix::reservations::ReserveAccounts {
        let id = self.listing(node).await.reservation_count;
        ix::reservations::ReserveAccounts {
            node,
            id,
            renter_token,
            usdc_mint: self.revenue.usdc_mint,
            price_feed: self.price_feed,
        }
    }

    /// `reserve` by `renter` from its account of `currency`; returns the outcome and the
    /// reservation's address (tracked by the invariants once created).
    pub async fn reserve(
        &mut self,
        renter: &Renter,
        node: Pubkey,
        hours: u32,
        currency: Currency,
        max_total: u64,
    ) -> (TxOutcome, Pubkey) {
        let a = self.reserve_accounts(node, renter.token(currency)).await;
        let address = pda::reservations::reservation(&node, a.id);
        let ix = ix::reservations::reserve(renter.key.pubkey(), a, hours, currency, max_total);
        if !self.reservations.addresses.contains(&address) {
            self.reservations.addresses.push(address);
        }
        if !self.reservations.nodes.contains(&node) {
            self.reservations.nodes.push(node);
        }
        let outcome = self.send(&[ix], &[&renter.key]).await;
        (outcome, address)
    }

    /// `settle` of an open reservation, sent by the default payer (anyone).
    pub async fn settle(&mut self, address: Pubkey) -> TxOutcome {
        let r = self.reservation(address).await.expect("open reservation");
        let mint = self.revenue.usdc_mint;
        self.send(&[ix::reservations::settle(address, &r, &mint)], &[])
            .await
    }

    /// `end_early` of an open reservation, signed by `renter`.
    pub async fn end_early(&mut self, renter: &Keypair, address: Pubkey) -> TxOutcome {
        let r = self.reservation(address).await.expect("open reservation");
        let mint = self.revenue.usdc_mint;
        self.send(
            &[ix::reservations::end_early(address, &r, &mint)],
            &[renter],
        )
        .await
    }
}

impl TestContext {
    /// `report_failure` of an open reservation signed by the first two oracles (the quorum).
    pub async fn report_failure(&mut self, address: Pubkey) -> TxOutcome {
        let r = self.reservation(address).await.expect("open reservation");
        let mint = self.revenue.usdc_mint;
        let oracles: Vec<Keypair> = self.oracles[..2]
            .iter()
            .map(|k| k.insecure_clone())
            .collect();
        let keys: Vec<Pubkey> = oracles.iter().map(|k| k.pubkey()).collect();
        let ix = ix::reservations::report_failure(address, &r, &mint, &keys);
        self.send(&[ix], &[&oracles[0], &oracles[1]]).await
    }
}

/// Fees the reservations program sent to revenue's (IO, USDC) fee vaults so far.
pub async fn fees_paid(ctx: &mut TestContext) -> (u64, u64) {
    if !ctx.reservations.enabled {
        return (0, 0);
    }
    let c = ctx.reservations_config().await;
    (c.io_totals.fees, c.usdc_totals.fees)
}

/// The reservations invariants (see the module doc).
pub async fn check(ctx: &mut TestContext) {
    if !ctx.reservations.enabled {
        return;
    }
    let config = ctx.reservations_config().await;
    let mut open = [0u64; 2];
    let mut refunds_owed = [0u64; 2];
    let mut count = 0;
    for address in ctx.reservations.addresses.clone() {
        let Some(r) = ctx.reservation(address).await else {
            continue;
        };
        if r.refund_owed > 0 {
            // Ended while the renter's account was unusable: its refund is owed, not open.
            assert_eq!(r.refund_owed, r.escrowed().expect("escrowed"));
            refunds_owed[usize::from(r.currency == Currency::Io)] += r.refund_owed;
            continue;
        }
        count += 1;
        let at = r.terms().after(r.settled_hours).expect("terms");
        assert_eq!(
            (r.supplier_paid, r.fees_paid),
            (at.supplier, at.fees),
            "reservation {address}: cumulative amounts of its settled hours"
        );
        assert!(
            r.settled_hours < r.hours,
            "a completed reservation stays open"
        );
        assert_eq!(r.deposit, r.terms().deposit().expect("deposit"));
        open[usize::from(r.currency == Currency::Io)] += r.escrowed().expect("escrowed");
        let listing = ctx.listing(r.node).await;
        assert_eq!(listing.active_reservation, address, "listing → reservation");
        // Hired, unless slashed to nothing (or terminated by an offline report) meanwhile.
        let node = ctx.node(r.node).await;
        assert!(
            matches!(
                node.state,
                staking::NodeState::Hired | staking::NodeState::Terminated
            ),
            "an open reservation's node is hired (or terminated): {:?}",
            node.state
        );
    }
    assert_eq!(count, config.open_reservations, "open reservations");
    // Pay owed (unusable payout / renter accounts), per currency: Σ listings' owed + Σ refunds
    // owed by ended reservations.
    let mut owed = refunds_owed;
    owed[0] += config.usdc_totals.fees_owed;
    owed[1] += config.io_totals.fees_owed;
    for node in ctx.reservations.nodes.clone() {
        let address = ngpu_sdk::pda::reservations::listing(&node);
        let Some(account) = ctx.chain.account(address).await else {
            continue;
        };
        if account.owner != reservations::ID {
            continue;
        }
        let listing: reservations::Listing =
            ngpu_sdk::decode_account(&account.data).expect("listing decodes");
        let kept = ctx.reservations.addresses.clone();
        let mut refunds = 0;
        for address in kept {
            if let Some(r) = ctx.reservation(address).await {
                refunds += u64::from(r.refund_owed > 0 && r.node == node);
            }
        }
        assert_eq!(listing.refunds_owed, refunds, "listing's refunds owed");
        owed[0] += listing.owed_usdc;
        owed[1] += listing.owed_io;
    }
    for (i, (totals, escrow)) in [
        (config.usdc_totals, config.usdc_escrow),
        (config.io_totals, config.io_escrow),
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(
            totals.deposited,
            totals.supplier_paid + totals.fees + totals.refunded + totals.escrowed,
            "four-way conservation {totals:?}"
        );
        assert_eq!(
            ctx.chain.token_balance(escrow).await,
            totals.escrowed,
            "escrow vault == escrowed"
        );
        assert_eq!(
            totals.owed, owed[i],
            "owed == Σ listings' owed + Σ refunds owed + fees owed"
        );
        assert_eq!(
            totals.escrowed,
            open[i] + totals.owed,
            "escrowed == Σ open reservations + owed"
        );
    }
}
