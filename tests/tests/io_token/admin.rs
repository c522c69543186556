use anchor_lang::error::ErrorCode;
use io_token::{
    AuthorityProposed, AuthorityTransferred, ConfigUpdated, EmissionControllerSet, IoTokenError,
    Paused, Unpaused,
};
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_math::hour_budget;
use ngpu_sdk::ix;
use ngpu_tests::*;

#[tokio::test]
async fn set_emission_controller_checks_authority_key_and_mint() {
    let mut ctx = TestContext::with_genesis().await;
    let authority = ctx.authority.insecure_clone();
    let owner = Keypair::new();
    let destination = ctx.new_io_account(&owner.pubkey()).await;
    let controller = Keypair::new().pubkey();

    let intruder = ctx.chain.new_user().await;
    let ix =
        ix::io_token::set_emission_controller(intruder.pubkey(), intruder.pubkey(), destination);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        IoTokenError::Unauthorized,
    );

    let ix =
        ix::io_token::set_emission_controller(authority.pubkey(), Default::default(), destination);
    assert_error(
        &ctx.send(&[ix], &[&authority]).await,
        IoTokenError::InvalidKey,
    );

    let other_mint = ctx.chain.create_mint(8, &owner.pubkey()).await;
    let foreign = ctx
        .chain
        .create_token_account(&other_mint, &owner.pubkey())
        .await;
    let ix = ix::io_token::set_emission_controller(authority.pubkey(), controller, foreign);
    assert_anchor_error(
        &ctx.send(&[ix], &[&authority]).await,
        ErrorCode::ConstraintTokenMint,
    );

    let ix = ix::io_token::set_emission_controller(authority.pubkey(), controller, destination);
    let outcome = ctx.send_ok(&[ix], &[&authority]).await;
    let event: EmissionControllerSet = outcome.event();
    assert_eq!(
        (event.controller, event.destination),
        (controller, destination)
    );
    let config = ctx.config().await;
    assert_eq!(
        (config.emission_controller, config.emission_destination),
        (controller, destination)
    );
}

#[tokio::test]
async fn max_hours_per_call_is_bounded() {
    let mut ctx = TestContext::with_emission().await;
    let authority = ctx.authority.insecure_clone();
    for bad in [0u8, 25, 255] {
        let ix = ix::io_token::set_max_hours_per_call(authority.pubkey(), bad);
        assert_error(
            &ctx.send(&[ix], &[&authority]).await,
            IoTokenError::InvalidParameter,
        );
    }
    let intruder = ctx.chain.new_user().await;
    let ix = ix::io_token::set_max_hours_per_call(intruder.pubkey(), 6);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        IoTokenError::Unauthorized,
    );

    let ix = ix::io_token::set_max_hours_per_call(authority.pubkey(), 6);
    let outcome = ctx.send_ok(&[ix], &[&authority]).await;
    assert_eq!(outcome.event::<ConfigUpdated>().max_hours_per_call, 6);
    ctx.set_time_after_genesis(7 * 3_600).await;
    let seven: Vec<u64> = (0..7).map(hour_budget).collect();
    assert_error(
        &ctx.mint_emission(0, seven).await,
        IoTokenError::InvalidHourCount,
    );
    assert_ok(
        &ctx.mint_emission(0, (0..6).map(hour_budget).collect())
            .await,
    );
}

#[tokio::test]
async fn pause_is_authority_only_and_evented() {
    let mut ctx = TestContext::initialized().await;
    let intruder = ctx.chain.new_user().await;
    let ix = ix::io_token::set_paused(intruder.pubkey(), true);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        IoTokenError::Unauthorized,
    );
    let authority = ctx.authority.pubkey();
    let ix = without_signature(ix::io_token::set_paused(authority, true), &authority);
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::AccountNotSigner);

    let outcome = ctx.set_paused(true).await;
    assert_eq!(outcome.event::<Paused>().authority, authority);
    assert!(ctx.config().await.paused);
    let outcome = ctx.set_paused(false).await;
    assert_eq!(outcome.event::<Unpaused>().authority, authority);
    assert!(!ctx.config().await.paused);
}

#[tokio::test]
async fn authority_handover_takes_two_steps() {
    let mut ctx = TestContext::initialized().await;
    let old = ctx.authority.insecure_clone();
    let new = ctx.chain.new_user().await;
    let intruder = ctx.chain.new_user().await;

    // Nothing pending: nobody can accept.
    let ix = ix::io_token::accept_authority(new.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&new]).await,
        IoTokenError::NotPendingAuthority,
    );
    // Only the authority proposes.
    let ix = ix::io_token::propose_authority(intruder.pubkey(), intruder.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        IoTokenError::Unauthorized,
    );

    let ix = ix::io_token::propose_authority(old.pubkey(), new.pubkey());
    let outcome = ctx.send_ok(&[ix], &[&old]).await;
    assert_eq!(outcome.event::<AuthorityProposed>().proposed, new.pubkey());
    // The proposal alone changes nothing; only the proposed key may accept.
    assert_eq!(ctx.config().await.authority, old.pubkey());
    let ix = ix::io_token::accept_authority(intruder.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        IoTokenError::NotPendingAuthority,
    );

    let ix = ix::io_token::accept_authority(new.pubkey());
    let outcome = ctx.send_ok(&[ix], &[&new]).await;
    let event: AuthorityTransferred = outcome.event();
    assert_eq!(
        (event.previous, event.authority),
        (old.pubkey(), new.pubkey())
    );
    let config = ctx.config().await;
    assert_eq!(
        (config.authority, config.pending_authority),
        (new.pubkey(), Default::default())
    );

    // The old key lost its powers at once; the new one has them.
    let ix = ix::io_token::set_paused(old.pubkey(), true);
    assert_error(&ctx.send(&[ix], &[&old]).await, IoTokenError::Unauthorized);
    let ix = ix::io_token::set_paused(new.pubkey(), true);
    ctx.send_ok(&[ix], &[&new]).await;
}

#[tokio::test]
async fn a_proposal_can_be_withdrawn() {
    let mut ctx = TestContext::initialized().await;
    let old = ctx.authority.insecure_clone();
    let new = ctx.chain.new_user().await;
    ctx.send_ok(
        &[ix::io_token::propose_authority(old.pubkey(), new.pubkey())],
        &[&old],
    )
    .await;
    let outcome = ctx
        .send_ok(
            &[ix::io_token::propose_authority(
                old.pubkey(),
                Default::default(),
            )],
            &[&old],
        )
        .await;
    assert_eq!(
        outcome.event::<AuthorityProposed>().proposed,
        Default::default()
    );
    let ix = ix::io_token::accept_authority(new.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&new]).await,
        IoTokenError::NotPendingAuthority,
    );
}

/// RELIABILITY.md S1: every privileged instruction refuses an unsigned authority.
#[tokio::test]
async fn every_admin_instruction_needs_the_signature() {
    let mut ctx = TestContext::with_emission().await;
    let authority = ctx.authority.pubkey();
    let new = Keypair::new().pubkey();
    let destination = ctx.emission_destination;
    for ix in [
        without_signature(ix::io_token::propose_authority(authority, new), &authority),
        without_signature(
            ix::io_token::set_emission_controller(authority, new, destination),
            &authority,
        ),
        without_signature(
            ix::io_token::set_max_hours_per_call(authority, 6),
            &authority,
        ),
        without_signature(
            ix::io_token::lock_emission_controller(authority),
            &authority,
        ),
        without_signature(ix::io_token::accept_authority(new), &new),
    ] {
        assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::AccountNotSigner);
    }
}
