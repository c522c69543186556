use ::revenue::{
    AuthorityProposed, AuthorityTransferred, BuybackFilled, ParamsUpdated, Paused, RevenueError,
    Unpaused,
};
use anchor_lang::error::ErrorCode;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, Instruction, Pubkey};
use ngpu_tests::revenue::USDC;
use ngpu_tests::*;

const IO: u64 = 100_000_000;

/// Every privileged instruction, built for `authority`.
fn privileged(ctx: &TestContext, authority: Pubkey) -> Vec<Instruction> {
    vec![
        ix::revenue::update_params(authority, ctx.revenue_args()),
        ix::revenue::set_paused(authority, true),
        ix::revenue::propose_authority(authority, Pubkey::new_unique()),
    ]
}

#[tokio::test]
async fn every_privileged_call_refuses_another_signer_or_no_signature() {
    let ctx = &mut TestContext::with_revenue().await;
    let authority = ctx.authority.insecure_clone();
    let intruder = ctx.chain.new_user().await;
    for ix in privileged(ctx, intruder.pubkey()) {
        assert_error(
            &ctx.send(&[ix], &[&intruder]).await,
            RevenueError::Unauthorized,
        );
    }
    for ix in privileged(ctx, authority.pubkey()) {
        let ix = without_signature(ix, &authority.pubkey());
        assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::AccountNotSigner);
    }
    // Nobody is pending: nobody can accept.
    assert_error(
        &ctx.send(
            &[ix::revenue::accept_authority(intruder.pubkey())],
            &[&intruder],
        )
        .await,
        RevenueError::NotPendingAuthority,
    );
    let config = ctx.revenue_config().await;
    assert_eq!(
        (config.authority, config.paused, config.pending_authority),
        (authority.pubkey(), false, Pubkey::default())
    );
}

#[tokio::test]
async fn the_authority_hands_over_in_two_steps() {
    let ctx = &mut TestContext::with_revenue().await;
    let authority = ctx.authority.insecure_clone();
    let multisig = Keypair::new();
    let intruder = ctx.chain.new_user().await;
    let outcome = ctx
        .send_ok(
            &[ix::revenue::propose_authority(
                authority.pubkey(),
                multisig.pubkey(),
            )],
            &[&authority],
        )
        .await;
    let event = outcome.event::<AuthorityProposed>();
    assert_eq!(
        (event.proposed, event.config.pending_authority),
        (multisig.pubkey(), multisig.pubkey())
    );
    // Only the proposed key accepts; until then the old authority rules.
    assert_error(
        &ctx.send(
            &[ix::revenue::accept_authority(intruder.pubkey())],
            &[&intruder],
        )
        .await,
        RevenueError::NotPendingAuthority,
    );
    ctx.send_ok(
        &[ix::revenue::set_paused(authority.pubkey(), true)],
        &[&authority],
    )
    .await;
    let outcome = ctx
        .send_ok(
            &[ix::revenue::accept_authority(multisig.pubkey())],
            &[&multisig],
        )
        .await;
    let event = outcome.event::<AuthorityTransferred>();
    assert_eq!(
        (
            event.previous,
            event.authority,
            event.config.pending_authority
        ),
        (authority.pubkey(), multisig.pubkey(), Pubkey::default())
    );
    for ix in privileged(ctx, authority.pubkey()) {
        assert_error(
            &ctx.send(&[ix], &[&authority]).await,
            RevenueError::Unauthorized,
        );
    }
    let outcome = ctx
        .send_ok(
            &[ix::revenue::set_paused(multisig.pubkey(), false)],
            &[&multisig],
        )
        .await;
    assert!(!outcome.event::<Unpaused>().config.paused);
}

#[tokio::test]
async fn update_params_replaces_every_parameter_within_bounds() {
    let ctx = &mut TestContext::with_revenue().await;
    ctx.deposit_usdc_fees(1_000 * USDC).await;
    let seller = ctx.seller(100).await;
    let now = ctx.chain.now().await;
    assert_ok(&ctx.fill(&seller, 10 * IO, 5 * USDC, now).await);
    let authority = ctx.authority.insecure_clone();
    let new_feed = Pubkey::new_unique();
    let params = ::revenue::InitializeArgs {
        price_feed: new_feed,
        price_feed_id: ctx.price_feed_id,
        max_price_age_secs: 30,
        max_confidence_bps: 50,
        max_premium_bps: 1_000,
        window_secs: 3_600,
        window_limit: 50 * USDC,
    };
    for bad in [
        ::revenue::InitializeArgs {
            max_premium_bps: 1_001,
            ..params.clone()
        },
        ::revenue::InitializeArgs {
            window_limit: 0,
            ..params.clone()
        },
        ::revenue::InitializeArgs {
            max_confidence_bps: 2_001,
            ..params.clone()
        },
        ::revenue::InitializeArgs {
            max_price_age_secs: 0,
            ..params.clone()
        },
    ] {
        assert_error(
            &ctx.send(
                &[ix::revenue::update_params(authority.pubkey(), bad)],
                &[&authority],
            )
            .await,
            RevenueError::InvalidParameter,
        );
    }
    let outcome = ctx
        .send_ok(
            &[ix::revenue::update_params(
                authority.pubkey(),
                params.clone(),
            )],
            &[&authority],
        )
        .await;
    let event = outcome.event::<ParamsUpdated>();
    assert_eq!(
        (
            event.params,
            event.window_outflow,
            event.config.totals.fills
        ),
        (params.clone(), 5 * USDC, 1)
    );
    let config = ctx.revenue_config().await;
    assert_eq!(
        (
            config.price_feed,
            config.price_feed_id,
            config.max_price_age_secs,
            config.max_confidence_bps,
            config.max_premium_bps,
            config.window_secs,
            config.window_limit,
        ),
        (new_feed, ctx.price_feed_id, 30, 50, 1_000, 3_600, 50 * USDC)
    );
    // The new price account and premium apply: 10 IO at $2.50 + 10% is at most $27.50.
    ctx.price_feed = new_feed;
    ctx.set_price(250_000_000, 0).await;
    assert_error(
        &ctx.fill(&seller, 10 * IO, 27_500_001, now).await,
        RevenueError::AbovePriceBound,
    );
    let outcome = ctx.fill(&seller, 10 * IO, 27_500_000, now).await;
    assert_eq!(outcome.event::<BuybackFilled>().max_usdc_out, 27_500_000);
    // The window is 50 USDC now, 32.5 counted.
    assert_error(
        &ctx.fill(&seller, 10 * IO, 17_500_001, now).await,
        RevenueError::OutflowLimitExceeded,
    );
}

#[tokio::test]
async fn pause_and_resume_emit_events() {
    let ctx = &mut TestContext::with_revenue().await;
    let authority = ctx.authority.insecure_clone();
    let outcome = ctx
        .send_ok(
            &[ix::revenue::set_paused(authority.pubkey(), true)],
            &[&authority],
        )
        .await;
    let event = outcome.event::<Paused>();
    assert_eq!(
        (event.authority, event.config.paused),
        (authority.pubkey(), true)
    );
    assert!(ctx.revenue_config().await.paused);
}
