//! Reserve, settle and end: the hired coupling, many small settles == one big one, early end,
//! and the state machine's refusals.

use ::reservations::{Currency, ReservationSettled, ReservationsError};
use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::reservations::{FeeRates, Terms};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::{NodeAction, NodeState, StakingError};

const HOUR: i64 = 3_600;
const USDC: u64 = 1_000_000;
/// $2.50 an hour.
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

#[tokio::test]
async fn hourly_settles_pay_exactly_one_settle_and_release_the_node() {
    let ctx = &mut TestContext::with_reservations().await;
    let a = ctx.listed_node(0, PRICE, 720).await;
    let b = ctx.listed_node(1, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, ra) = ctx
        .reserve(&renter, a.node, 5, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let (outcome, rb) = ctx
        .reserve(&renter, b.node, 5, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    assert_eq!(ctx.node(a.node).await.state, NodeState::Hired);
    // A hired node cannot be paused or terminated by its supplier.
    for action in [NodeAction::Pause, NodeAction::Terminate] {
        let ix = ix::staking::set_node_state(a.key.pubkey(), a.node, action);
        assert_error(
            &ctx.send(&[ix], &[&a.key]).await,
            StakingError::InvalidNodeState,
        );
    }
    // One open reservation per node.
    let (outcome, _) = ctx
        .reserve(&renter, a.node, 1, Currency::Usdc, u64::MAX)
        .await;
    assert_error(&outcome, ReservationsError::NodeAlreadyReserved);

    // A: a settle every 20 minutes (most move nothing); B: nothing until the end.
    let mut paid = 0;
    for step in 1..=14 {
        ctx.chain.advance_seconds(HOUR / 3).await;
        let outcome = ctx.settle(ra).await;
        assert_ok(&outcome);
        let e: ReservationSettled = outcome.event();
        paid += e.to_supplier;
        let delivered = (step / 3) as u32;
        assert_eq!(e.settled_hours, delivered);
        assert_eq!(
            e.supplier_paid,
            usdc_terms(5).after(delivered).unwrap().supplier
        );
        assert!(!e.closed);
    }
    // Double settle moves nothing.
    let before = ctx.chain.token_balance(a.payout_usdc).await;
    let e: ReservationSettled = ctx.settle(ra).await.event();
    assert_eq!((e.to_supplier, e.to_fees), (0, 0));
    assert_eq!(ctx.chain.token_balance(a.payout_usdc).await, before);

    ctx.chain.advance_seconds(HOUR).await;
    let end_a: ReservationSettled = ctx.settle(ra).await.event();
    let end_b: ReservationSettled = ctx.settle(rb).await.event();
    assert!(end_a.closed && end_b.closed);
    assert_eq!(paid + end_a.to_supplier, end_b.to_supplier);
    assert_eq!(
        (end_a.supplier_paid, end_a.fees_paid),
        (end_b.supplier_paid, end_b.fees_paid)
    );
    let whole = usdc_terms(5).after(5).unwrap();
    assert_eq!(
        (end_b.supplier_paid, end_b.fees_paid),
        (whole.supplier, whole.fees)
    );
    assert_eq!(ctx.chain.token_balance(a.payout_usdc).await, whole.supplier);
    assert_eq!(ctx.chain.token_balance(b.payout_usdc).await, whole.supplier);
    assert_eq!(ctx.node(a.node).await.state, NodeState::Committed);
    assert_eq!(
        ctx.listing(a.node).await.active_reservation,
        Default::default()
    );
    // Settle after completion: the reservation is gone.
    let r_closed = pda::reservations::reservation(&a.node, 0);
    assert!(ctx.reservation(r_closed).await.is_none());
    // The node can be reserved again (id 1).
    let (outcome, again) = ctx
        .reserve(&renter, a.node, 1, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    assert_eq!(again, pda::reservations::reservation(&a.node, 1));
}

#[tokio::test]
async fn end_early_charges_the_hour_in_progress_and_refunds_the_rest() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 10, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let stored = ctx.reservation(address).await.unwrap();
    let deposit = usdc_terms(10).deposit().unwrap();
    ctx.chain.advance_seconds(2 * HOUR + 5).await;
    // Only the stored renter ends; the refund goes only to the account it paid from.
    let intruder = Keypair::new();
    let mint = ctx.revenue.usdc_mint;
    let mut wrong = ix::reservations::end_early(address, &stored, &mint);
    wrong.accounts[0].pubkey = intruder.pubkey();
    assert_error(
        &ctx.send(&[wrong], &[&intruder]).await,
        ReservationsError::Unauthorized,
    );
    let other = ctx
        .chain
        .create_token_account(&mint, &renter.key.pubkey())
        .await;
    let mut wrong = ix::reservations::end_early(address, &stored, &mint);
    wrong.accounts[8].pubkey = other;
    assert_error(
        &ctx.send(&[wrong], &[&renter.key]).await,
        ReservationsError::WrongRecipient,
    );
    let unsigned = without_signature(
        ix::reservations::end_early(address, &stored, &mint),
        &renter.key.pubkey(),
    );
    assert_anchor_error(
        &ctx.send(&[unsigned], &[]).await,
        ErrorCode::AccountNotSigner,
    );

    let before = ctx.chain.token_balance(renter.usdc).await;
    let outcome = ctx.end_early(&renter.key, address).await;
    assert_ok(&outcome);
    let e: ReservationSettled = outcome.event();
    // Hours 0 and 1 delivered, hour 2 in progress: 3 charged, 7 refunded with their fees.
    let charged = usdc_terms(10).after(3).unwrap();
    assert_eq!(e.settled_hours, 3);
    assert!(e.closed && e.ended_early);
    assert_eq!(
        (e.supplier_paid, e.fees_paid),
        (charged.supplier, charged.fees)
    );
    assert_eq!(e.refunded, deposit - charged.consumed);
    assert_eq!(e.refunded, usdc_terms(10).refund(3).unwrap());
    assert_eq!(
        e.supplier_paid + e.fees_paid + e.refunded,
        deposit,
        "four-way"
    );
    assert_eq!(
        ctx.chain.token_balance(renter.usdc).await,
        before + e.refunded
    );
    assert_eq!(ctx.node(s.node).await.state, NodeState::Committed);
    // Settle or end after the end: named errors.
    let settle = ix::reservations::settle(address, &stored, &mint);
    assert_error(
        &ctx.send(&[settle], &[]).await,
        ReservationsError::ReservationNotOpen,
    );
    let end = ix::reservations::end_early(address, &stored, &mint);
    assert_error(
        &ctx.send(&[end], &[&renter.key]).await,
        ReservationsError::ReservationNotOpen,
    );
}

#[tokio::test]
async fn end_after_completion_and_wrong_accounts_are_refused() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 100).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 2, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    let stored = ctx.reservation(address).await.unwrap();
    let mint = ctx.revenue.usdc_mint;
    ctx.chain.advance_seconds(HOUR).await;
    // A USDC reservation never pays from the IO escrow, nor into the IO fee vault.
    let mut io_escrow = ix::reservations::settle(address, &stored, &mint);
    io_escrow.accounts[4].pubkey = pda::reservations::io_escrow();
    assert_error(
        &ctx.send(&[io_escrow], &[]).await,
        ReservationsError::WrongVault,
    );
    let mut io_fees = ix::reservations::settle(address, &stored, &mint);
    io_fees.accounts[6].pubkey = pda::revenue::io_vault();
    assert_error(
        &ctx.send(&[io_fees], &[]).await,
        ReservationsError::WrongVault,
    );
    // The payout and the renter are the stored ones.
    let mut payout = ix::reservations::settle(address, &stored, &mint);
    payout.accounts[5].pubkey = renter.usdc;
    assert_error(
        &ctx.send(&[payout], &[]).await,
        ReservationsError::WrongRecipient,
    );
    let mut rent_to = ix::reservations::settle(address, &stored, &mint);
    rent_to.accounts[7].pubkey = Keypair::new().pubkey();
    assert_error(
        &ctx.send(&[rent_to], &[]).await,
        ReservationsError::WrongRecipient,
    );
    // Another node's listing.
    let other = ctx.listed_node(1, PRICE, 720).await;
    let mut listing = ix::reservations::settle(address, &stored, &mint);
    listing.accounts[2].pubkey = pda::reservations::listing(&other.node);
    assert_error(
        &ctx.send(&[listing], &[]).await,
        ReservationsError::WrongListing,
    );

    ctx.chain.advance_seconds(HOUR).await;
    let end = ix::reservations::end_early(address, &stored, &mint);
    assert_error(
        &ctx.send(&[end], &[&renter.key]).await,
        ReservationsError::ReservationCompleted,
    );
    assert_ok(&ctx.settle(address).await);
    let end = ix::reservations::end_early(address, &stored, &mint);
    assert_error(
        &ctx.send(&[end], &[&renter.key]).await,
        ReservationsError::ReservationNotOpen,
    );
}

#[tokio::test]
async fn stale_price_and_pause_block_only_reserve() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 720).await;
    let t = ctx.listed_node(1, PRICE, 720).await;
    let u = ctx.listed_node(2, PRICE, 720).await;
    let renter = ctx.renter(1_000 * USDC, 1_000).await;
    let (outcome, io_res) = ctx
        .reserve(&renter, s.node, 3, Currency::Io, u64::MAX)
        .await;
    assert_ok(&outcome);
    // The price goes stale: IO reservations stop; USDC ones need no price.
    ctx.chain.advance_seconds(HOUR).await;
    let (outcome, _) = ctx
        .reserve(&renter, t.node, 1, Currency::Io, u64::MAX)
        .await;
    assert_error(&outcome, ReservationsError::StalePrice);
    let (outcome, usdc_res) = ctx
        .reserve(&renter, t.node, 3, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    // Settle and end work with a stale price ...
    assert_ok(&ctx.settle(io_res).await);
    // ... and while paused.
    let authority = ctx.authority.insecure_clone();
    ctx.send_ok(
        &[ix::reservations::set_paused(authority.pubkey(), true)],
        &[&authority],
    )
    .await;
    ctx.set_price(250_000_000, 0).await;
    let (outcome, _) = ctx
        .reserve(&renter, u.node, 1, Currency::Usdc, u64::MAX)
        .await;
    assert_error(&outcome, ReservationsError::Paused);
    let (outcome, _) = ctx
        .reserve(&renter, u.node, 1, Currency::Io, u64::MAX)
        .await;
    assert_error(&outcome, ReservationsError::Paused);
    ctx.chain.advance_seconds(HOUR).await;
    assert_ok(&ctx.settle(usdc_res).await);
    assert_ok(&ctx.end_early(&renter.key, io_res).await);
    assert_ok(&ctx.end_early(&renter.key, usdc_res).await);
    ctx.send_ok(
        &[ix::reservations::set_paused(authority.pubkey(), false)],
        &[&authority],
    )
    .await;
    ctx.set_price(250_000_000, 0).await;
    let (outcome, _) = ctx
        .reserve(&renter, u.node, 1, Currency::Io, u64::MAX)
        .await;
    assert_ok(&outcome);
}

#[tokio::test]
async fn reserve_refusals() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 24).await;
    let renter = ctx.renter(1_000 * USDC, 100).await;
    for hours in [0, 25] {
        let (outcome, _) = ctx
            .reserve(&renter, s.node, hours, Currency::Usdc, u64::MAX)
            .await;
        assert_error(&outcome, ReservationsError::InvalidHours);
    }
    // Paying from an IO account for a USDC reservation, or from someone else's account.
    let a = ctx.reserve_accounts(s.node, renter.io).await;
    let ix = ix::reservations::reserve(renter.key.pubkey(), a, 1, Currency::Usdc, u64::MAX);
    assert_error(
        &ctx.send(&[ix], &[&renter.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
    let other = ctx.renter(1_000 * USDC, 0).await;
    let a = ctx.reserve_accounts(s.node, other.usdc).await;
    let ix = ix::reservations::reserve(renter.key.pubkey(), a, 1, Currency::Usdc, u64::MAX);
    assert_error(
        &ctx.send(&[ix], &[&renter.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
    // Wrong escrow (the IO escrow for a USDC payment).
    let a = ctx.reserve_accounts(s.node, renter.usdc).await;
    let mut ix = ix::reservations::reserve(renter.key.pubkey(), a, 1, Currency::Usdc, u64::MAX);
    ix.accounts[6].pubkey = pda::reservations::io_escrow();
    assert_error(
        &ctx.send(&[ix], &[&renter.key]).await,
        ReservationsError::WrongVault,
    );
    // Unsigned.
    let a = ctx.reserve_accounts(s.node, renter.usdc).await;
    let ix = without_signature(
        ix::reservations::reserve(renter.key.pubkey(), a, 1, Currency::Usdc, u64::MAX),
        &renter.key.pubkey(),
    );
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::AccountNotSigner);
    // A paused node is not available.
    let ix = ix::staking::set_node_state(s.key.pubkey(), s.node, NodeAction::Pause);
    ctx.send_ok(&[ix], &[&s.key]).await;
    let (outcome, _) = ctx
        .reserve(&renter, s.node, 1, Currency::Usdc, u64::MAX)
        .await;
    assert_error(&outcome, ReservationsError::NodeNotAvailable);
}

#[tokio::test]
async fn a_pre_funded_reservation_address_is_still_created() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 24).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let next = pda::reservations::reservation(&s.node, 0);
    ctx.chain.transfer_lamports(next, 890_880).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 2, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    assert_eq!(address, next);
    assert_eq!(ctx.reservation(address).await.unwrap().hours, 2);
}

#[tokio::test]
async fn staking_set_hired_refuses_everyone_but_the_reservations_pda() {
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 24).await;
    assert_eq!(
        ctx.staking_config().await.hire_authority,
        pda::reservations::config()
    );
    let old = ctx.hire_authority.insecure_clone();
    let authority = ctx.authority.insecure_clone();
    for key in [&old, &authority, &s.key] {
        let ix = ix::staking::set_hired(key.pubkey(), s.node, true);
        assert_error(&ctx.send(&[ix], &[key]).await, StakingError::Unauthorized);
    }
}

/// A Token-2022 account (even of a mint with USDC's decimals) is neither a payment source nor a
/// payout account: only classic SPL Token accounts of the pinned mints are.
#[tokio::test]
async fn token_2022_accounts_are_refused() {
    use anchor_lang::solana_program::system_instruction;
    use anchor_spl::token_2022::{self, spl_token_2022};
    let ctx = &mut TestContext::with_reservations().await;
    let s = ctx.listed_node(0, PRICE, 24).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let mint = ctx.create_mint_with(token_2022::ID, 6, None).await;
    let account = Keypair::new();
    let rent = ctx.chain.rent_exempt(165).await;
    let payer = ctx.chain.payer().pubkey();
    let create =
        system_instruction::create_account(&payer, &account.pubkey(), rent, 165, &token_2022::ID);
    let init = spl_token_2022::instruction::initialize_account3(
        &token_2022::ID,
        &account.pubkey(),
        &mint,
        &renter.key.pubkey(),
    )
    .unwrap();
    assert_ok(&ctx.chain.send(&[create, init], &[&account]).await);
    let a = ctx.reserve_accounts(s.node, account.pubkey()).await;
    let ix = ix::reservations::reserve(renter.key.pubkey(), a, 1, Currency::Usdc, u64::MAX);
    assert_error(
        &ctx.send(&[ix], &[&renter.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
    let args = ::reservations::ListingArgs {
        price_micro_usd_per_hour: PRICE,
        max_hours: 24,
    };
    let ix = ix::reservations::update_listing(
        s.key.pubkey(),
        s.node,
        account.pubkey(),
        s.payout_io,
        args,
    );
    assert_error(
        &ctx.send(&[ix], &[&s.key]).await,
        ReservationsError::InvalidTokenAccount,
    );
}
