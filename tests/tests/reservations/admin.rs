//! initialize (upgrade authority only, USDC mint checks, once), parameters within bounds (open
//! reservations keep their terms), pause, two-step authority: wrong signers everywhere.

use ::reservations::{Currency, ReservationSettled, ReservationsError};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;

const USDC: u64 = 1_000_000;
const HOUR: i64 = 3_600;

#[tokio::test]
async fn initialize_checks_the_caller_and_the_usdc_mint() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.init_revenue().await;
    let authority = ctx.authority.insecure_clone();
    let usdc = ctx.revenue.usdc_mint;
    let args = ctx.reservations_args();
    let intruder = ctx.chain.new_user().await;
    let ix = ix::reservations::initialize(intruder.pubkey(), usdc, args.clone());
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        ReservationsError::Unauthorized,
    );
    // A Token-2022 mint with USDC's layout, wrong decimals, a foreign freeze authority.
    let t22 = ctx
        .create_mint_with(anchor_spl::token_2022::ID, 6, None)
        .await;
    let ix = ix::reservations::initialize(authority.pubkey(), t22, args.clone());
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        ReservationsError::UsdcNotClassicToken,
    );
    let nine = ctx.create_mint_with(anchor_spl::token::ID, 9, None).await;
    let ix = ix::reservations::initialize(authority.pubkey(), nine, args.clone());
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        ReservationsError::InvalidUsdcMint,
    );
    let frozen = ctx
        .create_mint_with(anchor_spl::token::ID, 6, Some(Keypair::new().pubkey()))
        .await;
    let ix = ix::reservations::initialize(authority.pubkey(), frozen, args.clone());
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        ReservationsError::UsdcFreezeAuthority,
    );
    // A classic mint without revenue fee vault.
    let other = ctx.create_mint_with(anchor_spl::token::ID, 6, None).await;
    let ix = ix::reservations::initialize(authority.pubkey(), other, args.clone());
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        ReservationsError::WrongVault,
    );
    let mut bad = args.clone();
    bad.reservation_fee_bps = 1_001;
    let ix = ix::reservations::initialize(authority.pubkey(), usdc, bad);
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        ReservationsError::InvalidParameter,
    );
    // Pre-funded config address: still created.
    ctx.chain
        .transfer_lamports(pda::reservations::config(), 1_000_000)
        .await;
    let ix = ix::reservations::initialize(authority.pubkey(), usdc, args.clone());
    let event: ::reservations::Initialized = ctx.send_ok(&[ix], &[&authority]).await.event();
    assert_eq!(event.usdc_fee_vault, pda::revenue::fee_vault(&usdc));
    assert_eq!(event.io_escrow, pda::reservations::io_escrow());
    let config = ctx.reservations_config().await;
    assert_eq!(
        (
            config.reservation_fee_bps,
            config.usdc_payment_fee_bps,
            config.io_payment_fee_bps,
            config.max_hours
        ),
        (25, 200, 0, 720)
    );
    let ix = ix::reservations::initialize(authority.pubkey(), usdc, args);
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        ReservationsError::AlreadyInitialized,
    );
}

#[tokio::test]
async fn parameters_pause_and_authority() {
    let ctx = &mut TestContext::with_reservations().await;
    let authority = ctx.authority.insecure_clone();
    let intruder = ctx.chain.new_user().await;
    let mut params = ctx.reservations_args();
    for ix in [
        ix::reservations::update_params(intruder.pubkey(), params.clone()),
        ix::reservations::set_paused(intruder.pubkey(), true),
        ix::reservations::propose_authority(intruder.pubkey(), intruder.pubkey()),
    ] {
        assert_error(
            &ctx.send(&[ix], &[&intruder]).await,
            ReservationsError::Unauthorized,
        );
    }
    // A reservation made at the old rates keeps them.
    let s = ctx.listed_node(0, 1_000_000, 720).await;
    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, s.node, 1, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    params.reservation_fee_bps = 1_000;
    params.usdc_payment_fee_bps = 1_000;
    params.max_hours = 2_161;
    let ix = ix::reservations::update_params(authority.pubkey(), params.clone());
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        ReservationsError::InvalidParameter,
    );
    params.max_hours = 2;
    let mut other_feed = params.clone();
    other_feed.price_feed_id = [9; 32];
    let ix = ix::reservations::update_params(authority.pubkey(), other_feed);
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        ReservationsError::PriceFeedIdPinned,
    );
    ctx.send_ok(
        &[ix::reservations::update_params(
            authority.pubkey(),
            params.clone(),
        )],
        &[&authority],
    )
    .await;
    ctx.chain.advance_seconds(HOUR).await;
    let e: ReservationSettled = ctx.settle(address).await.event();
    assert_eq!(
        (e.supplier_paid, e.fees_paid),
        (977_500, 1_000_000 + 22_500 - 977_500)
    );
    // The new rates and maximum apply to the next one.
    let (outcome, _) = ctx
        .reserve(&renter, s.node, 3, Currency::Usdc, u64::MAX)
        .await;
    assert_error(&outcome, ReservationsError::InvalidHours);
    let (outcome, _) = ctx
        .reserve(&renter, s.node, 1, Currency::Usdc, u64::MAX)
        .await;
    let created: ::reservations::ReservationCreated = outcome.event();
    assert_eq!(created.deposit, 1_200_000);

    // Two-step handover.
    let next = Keypair::new();
    ctx.send_ok(
        &[ix::reservations::propose_authority(
            authority.pubkey(),
            next.pubkey(),
        )],
        &[&authority],
    )
    .await;
    let ix = ix::reservations::accept_authority(intruder.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        ReservationsError::NotPendingAuthority,
    );
    ctx.send_ok(
        &[ix::reservations::accept_authority(next.pubkey())],
        &[&next],
    )
    .await;
    assert_eq!(ctx.reservations_config().await.authority, next.pubkey());
    let ix = ix::reservations::set_paused(authority.pubkey(), true);
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        ReservationsError::Unauthorized,
    );
    let paused: ::reservations::Paused = ctx
        .send_ok(
            &[ix::reservations::set_paused(next.pubkey(), true)],
            &[&next],
        )
        .await
        .event();
    assert!(paused.config.paused);
}
