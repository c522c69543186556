//! list_node / update_listing / delist: by the node's supplier only, never a terminated node,
//! never while a reservation is open; the listing's terms apply to the next reservation only.

use ::reservations::{Currency, ListingArgs, ListingUpdated, NodeDelisted, ReservationsError};
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::NodeAction;

const USDC: u64 = 1_000_000;
const HOUR: i64 = 3_600;

#[tokio::test]
async fn listing_lifecycle() {
    let ctx = &mut TestContext::with_reservations().await;
    let (supplier, io) = ctx.funded_user(0).await;
    let node = ctx.register_node(&supplier, 2, 0).await;
    let mint = ctx.revenue.usdc_mint;
    let usdc = ctx
        .chain
        .create_token_account(&mint, &supplier.pubkey())
        .await;
    let args = ListingArgs {
        price_micro_usd_per_hour: 2_000_000,
        max_hours: 10,
    };
    let intruder = ctx.chain.new_user().await;
    // Only the supplier; valid terms; a USDC and an IO payout account in that order.
    let ix = ix::reservations::list_node(intruder.pubkey(), node, usdc, io, args);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        ReservationsError::Unauthorized,
    );
    for bad in [
        ListingArgs {
            price_micro_usd_per_hour: 0,
            ..args
        },
        ListingArgs {
            max_hours: 0,
            ..args
        },
        ListingArgs {
            max_hours: 2_161,
            ..args
        },
    ] {
        let ix = ix::reservations::list_node(supplier.pubkey(), node, usdc, io, bad);
        assert_error(
            &ctx.send(&[ix], &[&supplier]).await,
            ReservationsError::InvalidParameter,
        );
    }
    let ix = ix::reservations::list_node(supplier.pubkey(), node, io, usdc, args);
    assert_error(
        &ctx.send(&[ix], &[&supplier]).await,
        ReservationsError::InvalidTokenAccount,
    );
    // Never the program's escrows or revenue's fee vaults.
    for (u, i) in [
        (pda::reservations::escrow(&mint), io),
        (pda::revenue::fee_vault(&mint), io),
        (usdc, pda::reservations::io_escrow()),
        (usdc, pda::revenue::io_vault()),
    ] {
        let ix = ix::reservations::list_node(supplier.pubkey(), node, u, i, args);
        assert_error(
            &ctx.send(&[ix], &[&supplier]).await,
            ReservationsError::InvalidTokenAccount,
        );
    }
    // Pre-funded listing address.
    ctx.chain
        .transfer_lamports(pda::reservations::listing(&node), 890_880)
        .await;
    let ix = ix::reservations::list_node(supplier.pubkey(), node, usdc, io, args);
    let e: ListingUpdated = ctx.send_ok(&[ix], &[&supplier]).await.event();
    assert!(e.created);
    assert_eq!((e.terms, e.payout_usdc, e.payout_io), (args, usdc, io));

    let renter = ctx.renter(1_000 * USDC, 0).await;
    let (outcome, address) = ctx
        .reserve(&renter, node, 2, Currency::Usdc, u64::MAX)
        .await;
    assert_ok(&outcome);
    // While reserved: no delist; an update applies to the next reservation only.
    let ix = ix::reservations::delist(supplier.pubkey(), node);
    assert_error(
        &ctx.send(&[ix], &[&supplier]).await,
        ReservationsError::NodeAlreadyReserved,
    );
    let dearer = ListingArgs {
        price_micro_usd_per_hour: 3_000_000,
        ..args
    };
    let ix = ix::reservations::update_listing(intruder.pubkey(), node, usdc, io, dearer);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        ReservationsError::Unauthorized,
    );
    let ix = ix::reservations::update_listing(supplier.pubkey(), node, usdc, io, dearer);
    let e: ListingUpdated = ctx.send_ok(&[ix], &[&supplier]).await.event();
    assert_eq!(
        (e.created, e.active_reservation, e.reservation_count),
        (false, address, 1)
    );
    assert_eq!(
        ctx.reservation(address)
            .await
            .unwrap()
            .price_micro_usd_per_hour,
        2_000_000
    );
    ctx.chain.advance_seconds(2 * HOUR).await;
    assert_ok(&ctx.settle(address).await);
    assert_eq!(ctx.chain.token_balance(usdc).await, 2 * 1_955_000);

    let ix = ix::reservations::delist(intruder.pubkey(), node);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        ReservationsError::Unauthorized,
    );
    let ix = ix::reservations::delist(supplier.pubkey(), node);
    let e: NodeDelisted = ctx.send_ok(&[ix], &[&supplier]).await.event();
    assert_eq!(e.reservation_count, 1);
    assert!(ctx
        .chain
        .account(pda::reservations::listing(&node))
        .await
        .is_none());
    // A terminated node cannot be listed.
    let ix = ix::staking::set_node_state(supplier.pubkey(), node, NodeAction::Terminate);
    ctx.send_ok(&[ix], &[&supplier]).await;
    let ix = ix::reservations::list_node(supplier.pubkey(), node, usdc, io, args);
    assert_error(
        &ctx.send(&[ix], &[&supplier]).await,
        ReservationsError::NodeTerminated,
    );
}
