//! `lock_emission_controller`: once locked, the controller and destination never change, so
//! holders can check that only the staking program's emission PDA can ever mint emissions.

use anchor_lang::error::ErrorCode;
use io_token::constants::{GENESIS_SUPPLY, MAX_SUPPLY};
use io_token::{EmissionControllerLocked, IoTokenError, SupplyTotals};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::hour_budget;
use ngpu_sdk::ix;
use ngpu_tests::*;

#[tokio::test]
async fn locking_fixes_the_controller_for_good() {
    let mut ctx = TestContext::with_emission().await;
    let authority = ctx.authority.insecure_clone();
    assert!(!ctx.config().await.emission_controller_locked);

    // Wrong signer: only the authority may lock.
    let intruder = ctx.chain.new_user().await;
    let ix = ix::io_token::lock_emission_controller(intruder.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        IoTokenError::Unauthorized,
    );
    let ix = without_signature(
        ix::io_token::lock_emission_controller(authority.pubkey()),
        &authority.pubkey(),
    );
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::AccountNotSigner);
    assert!(!ctx.config().await.emission_controller_locked);

    // Happy path, with one hour already minted so that the totals are not all zero.
    ctx.set_time_after_genesis(3_600).await;
    assert_ok(&ctx.mint_emission(0, vec![hour_budget(0)]).await);
    let before = ctx.config().await;
    let ix = ix::io_token::lock_emission_controller(authority.pubkey());
    let outcome = ctx.send_ok(&[ix], &[&authority]).await;
    let event: EmissionControllerLocked = outcome.event();
    assert_eq!(
        event,
        EmissionControllerLocked {
            authority: authority.pubkey(),
            controller: ctx.controller.pubkey(),
            destination: ctx.emission_destination,
            totals: SupplyTotals {
                genesis_minted: GENESIS_SUPPLY,
                emission_minted: hour_budget(0),
                emission_forfeited: 0,
                next_hour: 1,
                remaining_to_cap: MAX_SUPPLY - GENESIS_SUPPLY - hour_budget(0),
            },
        }
    );
    let after = ctx.config().await;
    assert!(after.emission_controller_locked);
    // Nothing else changed, the reserved bytes stay zero.
    assert_eq!(
        io_token::Config {
            emission_controller_locked: false,
            ..after.clone()
        },
        before
    );
    assert_eq!(after._reserved, [0; 127]);

    // Setting a controller after the lock fails, even the same one; so does a new destination.
    let other = Keypair::new().pubkey();
    let destination = ctx.emission_destination;
    let controller = ctx.controller.pubkey();
    for (key, to) in [(other, destination), (controller, destination)] {
        let ix = ix::io_token::set_emission_controller(authority.pubkey(), key, to);
        assert_error(
            &ctx.send(&[ix], &[&authority]).await,
            IoTokenError::EmissionControllerLocked,
        );
    }
    let owner = Keypair::new();
    let elsewhere = ctx.new_io_account(&owner.pubkey()).await;
    let ix = ix::io_token::set_emission_controller(authority.pubkey(), controller, elsewhere);
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        IoTokenError::EmissionControllerLocked,
    );
    // The wrong signer still gets Unauthorized (the authority check comes first).
    let ix = ix::io_token::set_emission_controller(intruder.pubkey(), other, destination);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        IoTokenError::Unauthorized,
    );

    // Locking twice fails with the named error.
    let ix = ix::io_token::lock_emission_controller(authority.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        IoTokenError::EmissionControllerLocked,
    );

    // The locked controller keeps minting; the config is unchanged by the failed attempts.
    assert_eq!(ctx.config().await, after);
    ctx.set_time_after_genesis(2 * 3_600).await;
    assert_ok(&ctx.mint_emission(1, vec![hour_budget(1)]).await);
    assert_eq!(
        ctx.config().await.emission_minted,
        hour_budget(0) + hour_budget(1)
    );
}

#[tokio::test]
async fn locking_needs_a_controller() {
    let mut ctx = TestContext::with_genesis().await;
    let authority = ctx.authority.insecure_clone();
    let ix = ix::io_token::lock_emission_controller(authority.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        IoTokenError::NoEmissionController,
    );
    assert!(!ctx.config().await.emission_controller_locked);
    // Once a controller is set, the lock goes through, whatever the pause state.
    ctx.set_up_emission().await;
    assert_ok(&ctx.set_paused(true).await);
    let ix = ix::io_token::lock_emission_controller(authority.pubkey());
    ctx.send_ok(&[ix], &[&authority]).await;
    assert!(ctx.config().await.emission_controller_locked);
}

/// Production order (migrations/README.md step 8): staking's emission PDA becomes the controller,
/// then the lock; the crank then mints through staking only.
#[tokio::test]
async fn the_staking_pda_can_be_locked_in_as_the_controller() {
    let mut ctx = TestContext::with_staking().await;
    let authority = ctx.authority.insecure_clone();
    let ix = ix::io_token::lock_emission_controller(authority.pubkey());
    let event: EmissionControllerLocked = ctx.send_ok(&[ix], &[&authority]).await.event();
    assert_eq!(
        (event.controller, event.destination),
        (
            ngpu_sdk::pda::staking::emission_authority(),
            ngpu_sdk::pda::staking::reward_vault()
        )
    );
    ctx.set_time_after_genesis(3_600).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(0, 1).await);
    assert_eq!(ctx.config().await.next_hour, 1);
}
