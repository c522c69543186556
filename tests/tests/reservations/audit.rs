//! Outside audit PoCs: no third party's account state (a closed or frozen payout account) may
//! hold the renter's refund or the node's release hostage; the supplier pulls what it is owed.

use ::reservations::{
    Currency, PayoutClaimed, RefundClaimed, ReservationFailed, ReservationSettled,
    ReservationsError,
};
use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::reservations::{FeeRates, Terms};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::NodeState;

const HOUR: i64 = 3_600;
const USDC: u64 = 1_000_000;
const PRICE: u64 = 2_500_000;

fn usdc_terms(hours: u32) -> Terms {
    Terms {
        principal: PRICE * u64::from(hours),
        hours,
        rates: FeeRates {
            reservation_bps: 25,
            payment_bps: 200,
        },
    }
}

/// Sets a token account's state byte (1 initialised, 2 frozen), as the mint's freeze authority
/// would.
async fn set_token_state(ctx: &mut TestContext, account: Pubkey, state: u8) {
    let mut a = ctx.chain.account(account).await.expect("token account");
    a.data[108] = state;
    ctx.chain.set_account(
        &account,
        &ngpu_localnet::solana_sdk::account::AccountSharedData::from(a),
    );
}

use anchor_lang::prelude::Pubkey;

#[tokio::test]
async fn a_closed_payout_account_never_blocks_the_renters_refund() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 10, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    ctx.chain.advance_seconds(2 * HOUR + 5).await;
    // The supplier closes its (empty) payout account mid-reservation.
    let close = anchor_spl::token::spl_token::instruction::close_account(
        &anchor_spl::token::ID,
        &s.payout_usdc,
        &s.key.pubkey(),
        &s.key.pubkey(),
        &[],
    )
    .unwrap();
    assert_ok(&ctx.send(&[close], &[&s.key]).await);
    assert!(ctx.chain.account(s.payout_usdc).await.is_none());

    // The renter still ends early and gets its refund; the node is released.
    let before = ctx.chain.token_balance(renter.usdc).await;
    let outcome = ctx.end_early(&renter.key, address).await;
    assert_ok(&outcome);
    let e: ReservationSettled = outcome.event();
    let charged = usdc_terms(10).after(3).unwrap();
    assert!(e.closed && e.ended_early);
    assert_eq!(
        (e.to_supplier, e.owed),
        (charged.supplier, charged.supplier)
    );
    assert_eq!(e.refunded, usdc_terms(10).refund(3).unwrap());
    assert_eq!(
        ctx.chain.token_balance(renter.usdc).await,
        before + e.refunded
    );
    assert_eq!(ctx.node(s.node).await.state, NodeState::Committed);
    let listing = ctx.listing(s.node).await;
    assert_eq!((listing.owed_usdc, listing.owed_io), (charged.supplier, 0));
    let config = ctx.reservations_config().await;
    assert_eq!(config.usdc_totals.owed, charged.supplier);
    assert_eq!(
        config.usdc_totals.supplier_paid, 0,
        "not paid until claimed"
    );
    let escrow = pda::reservations::escrow(&ctx.revenue.usdc_mint);
    assert_eq!(ctx.chain.token_balance(escrow).await, charged.supplier);

    // The owed pay blocks the delist; only the supplier claims, only to its own account of the
    // currency, only what is owed.
    let mint = ctx.revenue.usdc_mint;
    assert_error(
        &ctx.send(
            &[ix::reservations::delist(s.key.pubkey(), s.node)],
            &[&s.key],
        )
        .await,
        ReservationsError::PayoutOwed,
    );
    let fresh = ctx.chain.create_token_account(&mint, &s.key.pubkey()).await;
    let intruder = Keypair::new();
    let theirs = ctx
        .chain
        .create_token_account(&mint, &intruder.pubkey())
        .await;
    let mut wrong =
        ix::reservations::claim_payout(s.key.pubkey(), s.node, Currency::Usdc, theirs, &mint);
    wrong.accounts[0].pubkey = intruder.pubkey();
    assert_error(
        &ctx.send(&[wrong], &[&intruder]).await,
        ReservationsError::Unauthorized,
    );
    let to_other =
        ix::reservations::claim_payout(s.key.pubkey(), s.node, Currency::Usdc, theirs, &mint);
    assert_error(
        &ctx.send(&[to_other], &[&s.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
    let io =
        ix::reservations::claim_payout(s.key.pubkey(), s.node, Currency::Io, s.payout_io, &mint);
    assert_error(
        &ctx.send(&[io], &[&s.key]).await,
        ReservationsError::NothingOwed,
    );
    let mut io_escrow =
        ix::reservations::claim_payout(s.key.pubkey(), s.node, Currency::Usdc, fresh, &mint);
    io_escrow.accounts[3].pubkey = pda::reservations::io_escrow();
    assert_error(
        &ctx.send(&[io_escrow], &[&s.key]).await,
        ReservationsError::WrongVault,
    );
    let unsigned = without_signature(
        ix::reservations::claim_payout(s.key.pubkey(), s.node, Currency::Usdc, fresh, &mint),
        &s.key.pubkey(),
    );
    assert_anchor_error(
        &ctx.send(&[unsigned], &[]).await,
        ErrorCode::AccountNotSigner,
    );

    let claim =
        ix::reservations::claim_payout(s.key.pubkey(), s.node, Currency::Usdc, fresh, &mint);
    let outcome = ctx.send(std::slice::from_ref(&claim), &[&s.key]).await;
    assert_ok(&outcome);
    cost("claim_payout", &claim, &outcome);
    let c: PayoutClaimed = outcome.event();
    assert_eq!((c.amount, c.escrow_balance), (charged.supplier, 0));
    assert_eq!(c.config.usdc_totals.supplier_paid, charged.supplier);
    assert_eq!(ctx.chain.token_balance(fresh).await, charged.supplier);
    assert_eq!(ctx.chain.token_balance(escrow).await, 0);
    // Claimed once.
    ctx.chain.advance_seconds(1).await;
    assert_error(
        &ctx.send(&[claim], &[&s.key]).await,
        ReservationsError::NothingOwed,
    );
    assert_ok(
        &ctx.send(
            &[ix::reservations::delist(s.key.pubkey(), s.node)],
            &[&s.key],
        )
        .await,
    );
}

#[tokio::test]
async fn a_frozen_payout_account_never_blocks_settle_or_failure() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 6, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let terms = usdc_terms(6);
    ctx.chain.advance_seconds(HOUR + 5).await;
    assert_ok(&ctx.settle(address).await);
    assert_eq!(
        ctx.chain.token_balance(s.payout_usdc).await,
        terms.after(1).unwrap().supplier
    );
    // USDC's freeze authority freezes the payout account: settles accrue to the owed balance.
    set_token_state(ctx, s.payout_usdc, 2).await;
    ctx.chain.advance_seconds(2 * HOUR).await;
    let outcome = ctx.settle(address).await;
    assert_ok(&outcome);
    let e: ReservationSettled = outcome.event();
    let step = terms.after(3).unwrap().supplier - terms.after(1).unwrap().supplier;
    assert_eq!((e.to_supplier, e.owed, e.closed), (step, step, false));
    // The failure report pays the delivered hour 3 to the owed balance, refunds the rest.
    ctx.chain.advance_seconds(HOUR + HOUR / 2).await;
    let before = ctx.chain.token_balance(renter.usdc).await;
    let outcome = ctx.report_failure(address).await;
    assert_ok(&outcome);
    let f: ReservationFailed = outcome.event();
    let owed = terms.after(4).unwrap().supplier - terms.after(1).unwrap().supplier;
    assert_eq!(f.refunded, terms.refund(4).unwrap());
    assert_eq!(
        ctx.chain.token_balance(renter.usdc).await,
        before + f.refunded
    );
    assert_eq!(ctx.node(s.node).await.state, NodeState::Committed);
    assert_eq!(ctx.listing(s.node).await.owed_usdc, owed);
    // Thawed or not, the supplier claims to any account of its own.
    let mint = ctx.revenue.usdc_mint;
    let fresh = ctx.chain.create_token_account(&mint, &s.key.pubkey()).await;
    let frozen = ix::reservations::claim_payout(
        s.key.pubkey(),
        s.node,
        Currency::Usdc,
        s.payout_usdc,
        &mint,
    );
    assert_error(
        &ctx.send(&[frozen], &[&s.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
    let claim =
        ix::reservations::claim_payout(s.key.pubkey(), s.node, Currency::Usdc, fresh, &mint);
    assert_ok(&ctx.send(&[claim], &[&s.key]).await);
    assert_eq!(ctx.chain.token_balance(fresh).await, owed);
    assert_eq!(ctx.listing(s.node).await.owed_usdc, 0);
}

#[tokio::test]
async fn a_frozen_renter_account_never_blocks_the_failure_report_nor_the_release() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 5, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let stored = ctx.reservation(address).await.unwrap();
    let terms = usdc_terms(5);
    ctx.chain.advance_seconds(2 * HOUR + HOUR / 2).await;
    // The renter's account is frozen (or closed by the renter to dodge the reward burn).
    set_token_state(ctx, renter.usdc, 2).await;
    let outcome = ctx.report_failure(address).await;
    assert_ok(&outcome);
    let f: ReservationFailed = outcome.event();
    let refund = terms.refund(2).unwrap();
    assert_eq!((f.refunded, f.refund_owed), (0, refund));
    assert_eq!(f.supplier_paid, terms.after(2).unwrap().supplier);
    assert_eq!(ctx.node(s.node).await.state, NodeState::Committed);
    assert_eq!(
        ctx.listing(s.node).await.active_reservation,
        Pubkey::default()
    );
    let kept = ctx.reservation(address).await.expect("kept until claimed");
    assert_eq!(kept.refund_owed, refund);
    // It is no longer open: settle, end and failure refuse it.
    let mint = ctx.revenue.usdc_mint;
    assert_error(
        &ctx.send(&[ix::reservations::settle(address, &stored, &mint)], &[])
            .await,
        ReservationsError::ReservationNotOpen,
    );
    assert_error(
        &ctx.send(
            &[ix::reservations::end_early(address, &stored, &mint)],
            &[&renter.key],
        )
        .await,
        ReservationsError::ReservationNotOpen,
    );
    assert_error(
        &ctx.report_failure(address).await,
        ReservationsError::ReservationNotOpen,
    );
    // The node is rentable again meanwhile.
    let other = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, next) = ctx
        .reserve(&other, s.node, 1, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    assert_ne!(next, address);

    // Only the renter pulls it, only to its own unfrozen account.
    let fresh = ctx
        .chain
        .create_token_account(&mint, &renter.key.pubkey())
        .await;
    let intruder = Keypair::new();
    ctx.chain
        .transfer_lamports(intruder.pubkey(), 1_000_000_000)
        .await;
    let mut wrong = ix::reservations::claim_refund(address, &kept, fresh, &mint);
    wrong.accounts[0].pubkey = intruder.pubkey();
    assert_error(
        &ctx.send(&[wrong], &[&intruder]).await,
        ReservationsError::Unauthorized,
    );
    let frozen = ix::reservations::claim_refund(address, &kept, renter.usdc, &mint);
    assert_error(
        &ctx.send(&[frozen], &[&renter.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
    let theirs = ctx
        .chain
        .create_token_account(&mint, &intruder.pubkey())
        .await;
    let to_other = ix::reservations::claim_refund(address, &kept, theirs, &mint);
    assert_error(
        &ctx.send(&[to_other], &[&renter.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
    let rent = ctx.chain.lamports(address).await;
    let lamports = ctx.chain.lamports(renter.key.pubkey()).await;
    let claim = ix::reservations::claim_refund(address, &kept, fresh, &mint);
    let outcome = ctx.send(std::slice::from_ref(&claim), &[&renter.key]).await;
    assert_ok(&outcome);
    cost("claim_refund", &claim, &outcome);
    let c: RefundClaimed = outcome.event();
    assert_eq!(c.amount, refund);
    assert_eq!(ctx.chain.token_balance(fresh).await, refund);
    assert!(ctx.reservation(address).await.is_none());
    assert!(ctx.chain.lamports(renter.key.pubkey()).await >= lamports + rent - 10_000);
    ctx.chain.advance_seconds(1).await;
    assert_error(
        &ctx.send(&[claim], &[&renter.key]).await,
        ReservationsError::NothingOwed,
    );
    // An open reservation has no refund to claim.
    let open = ctx.reservation(next).await.unwrap();
    let early = ix::reservations::claim_refund(next, &open, fresh, &mint);
    assert_error(
        &ctx.send(&[early], &[&other.key]).await,
        ReservationsError::NothingOwed,
    );
}

#[tokio::test]
async fn a_renter_that_closed_its_account_still_ends_early() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 4, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let mint = ctx.revenue.usdc_mint;
    let elsewhere = ctx
        .chain
        .create_token_account(&mint, &renter.key.pubkey())
        .await;
    let left = ctx.chain.token_balance(renter.usdc).await;
    use anchor_spl::token::spl_token::instruction as spl;
    let drain = spl::transfer(
        &anchor_spl::token::ID,
        &renter.usdc,
        &elsewhere,
        &renter.key.pubkey(),
        &[],
        left,
    )
    .unwrap();
    let close = spl::close_account(
        &anchor_spl::token::ID,
        &renter.usdc,
        &renter.key.pubkey(),
        &renter.key.pubkey(),
        &[],
    )
    .unwrap();
    assert_ok(&ctx.send(&[drain, close], &[&renter.key]).await);
    ctx.chain.advance_seconds(HOUR / 2).await;
    let outcome = ctx.end_early(&renter.key, address).await;
    assert_ok(&outcome);
    let e: ReservationSettled = outcome.event();
    assert_eq!(
        (e.refunded, e.refund_owed),
        (0, usdc_terms(4).refund(1).unwrap())
    );
    assert_eq!(e.escrowed, e.refund_owed);
    assert_eq!(ctx.node(s.node).await.state, NodeState::Committed);
    let kept = ctx.reservation(address).await.unwrap();
    assert_eq!(ctx.listing(s.node).await.refunds_owed, 1);
    // The kept reservation holds the delist (a relisted node restarts its ids at 0).
    assert_error(
        &ctx.send(
            &[ix::reservations::delist(s.key.pubkey(), s.node)],
            &[&s.key],
        )
        .await,
        ReservationsError::PayoutOwed,
    );
    let claim = ix::reservations::claim_refund(address, &kept, elsewhere, &mint);
    assert_ok(&ctx.send(&[claim], &[&renter.key]).await);
    assert_eq!(ctx.listing(s.node).await.refunds_owed, 0);
    assert_ok(
        &ctx.send(
            &[ix::reservations::delist(s.key.pubkey(), s.node)],
            &[&s.key],
        )
        .await,
    );
    assert_eq!(
        ctx.chain.token_balance(elsewhere).await,
        left + e.refund_owed
    );
}

/// Staking's authority hands the hire authority to another key while reservations are open:
/// their release (and the failure's reward burn) would fail in staking, holding every escrow.
/// They still end, fail and complete (the new hire authority releases the nodes in staking).
#[tokio::test]
async fn a_changed_hire_authority_never_strands_open_reservations() {
    let ctx = &mut TestContext::with_reservations().await;
    let a = ctx.listed_node(0, PRICE, 720).await;
    let b = ctx.listed_node(1, PRICE, 720).await;
    let c = ctx.listed_node(2, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let mut addresses = vec![];
    for node in [a.node, b.node, c.node] {
        let (outcome, address) = ctx
            .reserve(&renter, node, 3, Currency::Usdc, u64::MAX)
            .await;
        assert_ok(&outcome);
        addresses.push(address);
    }
    ctx.chain.advance_seconds(HOUR + 5).await;
    let authority = ctx.authority.insecure_clone();
    let staking_args = ngpu_sdk::params::Params::load_default()
        .staking
        .initialize_args(ngpu_sdk::params::StakingKeys {
            oracles: ctx.oracles.iter().map(|k| k.pubkey()).collect(),
            oracle_quorum: 2,
            price_feed: ctx.price_feed,
            price_feed_id: ctx.price_feed_id,
            hire_authority: Keypair::new().pubkey(),
        });
    ctx.send_ok(
        &[ix::staking::update_params(authority.pubkey(), staking_args)],
        &[&authority],
    )
    .await;
    let before = ctx.chain.token_balance(renter.usdc).await;
    let e: ReservationSettled = {
        let outcome = ctx.end_early(&renter.key, addresses[0]).await;
        assert_ok(&outcome);
        outcome.event()
    };
    assert_eq!(e.refunded, usdc_terms(3).refund(2).unwrap());
    let outcome = ctx.report_failure(addresses[1]).await;
    assert_ok(&outcome);
    let f: ReservationFailed = outcome.event();
    assert_eq!(f.refunded, usdc_terms(3).refund(1).unwrap());
    assert_eq!(
        ctx.chain.token_balance(renter.usdc).await,
        before + e.refunded + f.refunded
    );
    ctx.chain.advance_seconds(2 * HOUR).await;
    let outcome = ctx.settle(addresses[2]).await;
    assert_ok(&outcome);
    assert!(outcome.event::<ReservationSettled>().closed);
    assert_eq!(ctx.reservations_config().await.open_reservations, 0);
    // Staking's state is the new hire authority's to release.
    for node in [a.node, b.node, c.node] {
        assert_eq!(ctx.node(node).await.state, NodeState::Hired);
    }
}

/// Ending in the last second of an hour charges that hour, not the next; in the last second of
/// the last hour it charges everything and refunds nothing.
#[tokio::test]
async fn ending_in_the_last_second_of_an_hour() {
    let ctx = &mut TestContext::with_reservations().await;
    let a = ctx.listed_node(0, PRICE, 720).await;
    let b = ctx.listed_node(1, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, ra) = ctx
        .reserve(&renter, a.node, 3, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let (outcome, rb) = ctx
        .reserve(&renter, b.node, 3, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    ctx.chain.advance_seconds(HOUR - 1).await;
    let e: ReservationSettled = ctx.end_early(&renter.key, ra).await.event();
    assert_eq!(e.settled_hours, 1);
    assert_eq!(e.refunded, usdc_terms(3).refund(1).unwrap());
    ctx.chain.advance_seconds(2 * HOUR).await;
    let e: ReservationSettled = ctx.end_early(&renter.key, rb).await.event();
    assert_eq!((e.settled_hours, e.refunded), (3, 0));
    assert_eq!(
        e.supplier_paid + e.fees_paid,
        usdc_terms(3).deposit().unwrap()
    );
}

/// Price × hours beyond u64 is a named error at reserve, never a wrapped (under)charge.
#[tokio::test]
async fn a_huge_price_times_hours_is_refused() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, u64::MAX / 2 + 1, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, _) = ctx
        .reserve(&renter, s.node, 2, Currency::Usdc, u64::MAX)
        .await;
    assert_error(&outcome, ReservationsError::MathOverflow);
    // One hour fits the maths but not the renter's balance.
    let (outcome, _) = ctx
        .reserve(&renter, s.node, 1, Currency::Usdc, u64::MAX)
        .await;
    assert!(outcome.result.is_err());
    assert_eq!(ctx.node(s.node).await.state, NodeState::Committed);
}

/// USDC's freeze authority freezes revenue's fee vault: settlements go on (the renter's refund
/// and the node's release never wait); the fees stay in escrow until `sweep_fees` delivers them.
#[tokio::test]
async fn a_frozen_fee_vault_never_blocks_a_settlement() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 4, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let mint = ctx.revenue.usdc_mint;
    let fee_vault = pda::revenue::fee_vault(&mint);
    let fees_before = ctx.chain.token_balance(fee_vault).await;
    set_token_state(ctx, fee_vault, 2).await;
    ctx.chain.advance_seconds(HOUR + 5).await;
    let outcome = ctx.end_early(&renter.key, address).await;
    assert_ok(&outcome);
    let e: ReservationSettled = outcome.event();
    let charged = usdc_terms(4).after(2).unwrap();
    assert_eq!(e.refunded, usdc_terms(4).refund(2).unwrap());
    assert_eq!(e.to_fees, charged.fees);
    assert_eq!(e.config.usdc_totals.fees_owed, charged.fees);
    assert_eq!(e.config.usdc_totals.fees, 0);
    assert_eq!(ctx.node(s.node).await.state, NodeState::Committed);
    // Nothing to sweep in IO; nothing delivered while frozen.
    assert_error(
        &ctx.send(&[ix::reservations::sweep_fees(Currency::Io, &mint)], &[])
            .await,
        ReservationsError::NothingOwed,
    );
    assert_error(
        &ctx.send(&[ix::reservations::sweep_fees(Currency::Usdc, &mint)], &[])
            .await,
        ReservationsError::InvalidTokenAccount,
    );
    let mut wrong = ix::reservations::sweep_fees(Currency::Usdc, &mint);
    wrong.accounts[2].pubkey = s.payout_usdc;
    assert_error(
        &ctx.send(&[wrong], &[]).await,
        ReservationsError::WrongVault,
    );
    set_token_state(ctx, fee_vault, 1).await;
    let sweep = ix::reservations::sweep_fees(Currency::Usdc, &mint);
    let outcome = ctx.send(std::slice::from_ref(&sweep), &[]).await;
    assert_ok(&outcome);
    cost("sweep_fees", &sweep, &outcome);
    let swept: ::reservations::FeesSwept = outcome.event();
    assert_eq!(swept.amount, charged.fees);
    assert_eq!(
        ctx.chain.token_balance(fee_vault).await,
        fees_before + charged.fees
    );
    let config = ctx.reservations_config().await;
    assert_eq!(
        (config.usdc_totals.fees, config.usdc_totals.fees_owed),
        (charged.fees, 0)
    );
    ctx.chain.advance_seconds(1).await;
    assert_error(
        &ctx.send(&[ix::reservations::sweep_fees(Currency::Usdc, &mint)], &[])
            .await,
        ReservationsError::NothingOwed,
    );
}

/// A payout account owned by the reservations config PDA (anyone may open one for any owner)
/// would strand the supplier's pay: the PDA signs for its escrows only. Refused at listing.
#[tokio::test]
async fn a_payout_account_owned_by_the_config_pda_is_refused() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let mint = ctx.revenue.usdc_mint;
    let config = pda::reservations::config();
    let stranded = ctx.chain.create_token_account(&mint, &config).await;
    let args = ::reservations::ListingArgs {
        price_micro_usd_per_hour: PRICE,
        max_hours: 720,
    };
    let update =
        ix::reservations::update_listing(s.key.pubkey(), s.node, stranded, s.payout_io, args);
    assert_error(
        &ctx.send(&[update], &[&s.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
    let io_mint = ::reservations::IO_MINT;
    let stranded_io = ctx.chain.create_token_account(&io_mint, &config).await;
    let update =
        ix::reservations::update_listing(s.key.pubkey(), s.node, s.payout_usdc, stranded_io, args);
    assert_error(
        &ctx.send(&[update], &[&s.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
    let (key, _) = ctx.funded_user(0).await;
    let node = ctx.register_node(&key, 2, 1).await;
    let list = ix::reservations::list_node(key.pubkey(), node, stranded, s.payout_io, args);
    assert_error(
        &ctx.send(&[list], &[&key]).await,
        ReservationsError::InvalidTokenAccount,
    );
}

/// A node slashed to nothing (terminated) while reserved can still be reported failed: the
/// renter gets the failure refund (the hour in progress included), not only an early end.
#[tokio::test]
async fn a_node_slashed_while_reserved_can_still_be_reported_failed() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let (staker, tokens) = ctx.funded_user(1_000).await;
    assert_ok(&ctx.stake(&staker, tokens, s.node, 100 * 100_000_000).await);
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 3, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    ctx.chain.advance_seconds(HOUR + 5).await;
    let (outcome, _) = ctx.slash(s.node, 10_000).await;
    assert_ok(&outcome);
    assert_eq!(ctx.node(s.node).await.state, NodeState::Terminated);
    let outcome = ctx.report_failure(address).await;
    assert_ok(&outcome);
    let f: ReservationFailed = outcome.event();
    assert_eq!(f.refunded, usdc_terms(3).refund(1).unwrap());
    assert_eq!(ctx.node(s.node).await.state, NodeState::Terminated);
    assert_eq!(
        ctx.listing(s.node).await.active_reservation,
        Pubkey::default()
    );
}

/// The cost figures of the pull instructions for BENCHMARKS.md (accounts, transaction bytes,
/// metered CU), pinned as ceilings: `cargo test -p ngpu-tests --test all reservations::audit --
/// --nocapture`.
fn cost(name: &str, ix: &ngpu_sdk::Instruction, outcome: &ngpu_localnet::TxOutcome) {
    println!(
        "cost {name}: {} accounts, {} tx bytes, {} metered CU",
        ix.accounts.len(),
        outcome.size,
        outcome.compute_units
    );
    assert!(outcome.size <= 1_232, "{name} does not fit a transaction");
    assert!(
        outcome.compute_units <= 10_000,
        "{name}: one Transfer at most"
    );
}
