use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::ix;
use ngpu_tests::*;
use staking::{AuthorityTransferred, ParamsUpdated, Paused, StakingError};

const IO: u64 = 100_000_000;

#[tokio::test]
async fn pause_blocks_new_stake_not_exits_or_claims() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 200 * IO).await);
    let authority = ctx.authority.insecure_clone();
    let intruder = ctx.chain.new_user().await;
    let ix = ix::staking::set_paused(intruder.pubkey(), true);
    assert_error(
        &ctx.send(&[ix], &[&intruder]).await,
        StakingError::Unauthorized,
    );
    let outcome = ctx
        .send_ok(
            &[ix::staking::set_paused(authority.pubkey(), true)],
            &[&authority],
        )
        .await;
    assert_eq!(outcome.event::<Paused>().authority, authority.pubkey());

    assert_error(
        &ctx.stake(&alice, tokens, node, IO).await,
        StakingError::Paused,
    );
    let register = ix::staking::register_node(alice.pubkey(), 0, 2);
    assert_error(
        &ctx.send(&[register], &[&alice]).await,
        StakingError::Paused,
    );
    // The crank, claims, unstake and withdraw stay open.
    ctx.set_time_after_genesis(2 * 3_600).await;
    ctx.set_price(250_000_000, 0).await;
    assert_ok(&ctx.crank(0, 2).await);
    ctx.send_ok(
        &[ix::staking::claim_node_rewards(
            alice.pubkey(),
            node,
            tokens,
        )],
        &[&alice],
    )
    .await;
    ctx.chain.set_time(START_TS + 7 * 86_400).await;
    ctx.send_ok(
        &[ix::staking::request_unstake(alice.pubkey(), node, 200 * IO)],
        &[&alice],
    )
    .await;
    ctx.chain.set_time(START_TS + 14 * 86_400).await;
    ctx.send_ok(
        &[ix::staking::withdraw(alice.pubkey(), node, tokens)],
        &[&alice],
    )
    .await;
}

#[tokio::test]
async fn parameters_are_bounded_and_handover_takes_two_steps() {
    let ctx = &mut TestContext::with_staking().await;
    let old = ctx.authority.insecure_clone();
    let new = ctx.chain.new_user().await;
    let mut params = staking::InitializeArgs {
        oracles: ctx.oracles.iter().map(|k| k.pubkey()).collect(),
        oracle_quorum: 2,
        price_feed: ctx.price_feed,
        price_feed_id: ctx.price_feed_id,
        max_price_age_secs: 60,
        max_confidence_bps: 100,
        max_stake_boost_bps: 4_000,
        min_stake: 50 * IO,
        lock_secs: 86_400,
        cooldown_secs: 86_400,
        reconnect_secs: 6 * 3_600,
        hire_authority: ctx.hire_authority.pubkey(),
        offline_threshold_bps: 2_500,
        appeal_secs: 10 * 86_400,
    };
    let outcome = ctx
        .send_ok(
            &[ix::staking::update_params(old.pubkey(), params.clone())],
            &[&old],
        )
        .await;
    assert_eq!(
        outcome.event::<ParamsUpdated>(),
        ParamsUpdated {
            params: params.clone(),
            authority: old.pubkey(),
            node_count: 0,
        }
    );
    let config = ctx.staking_config().await;
    assert_eq!(config.min_stake, 50 * IO);
    assert_eq!(
        (config.offline_threshold_bps, config.appeal_secs),
        (2_500, 10 * 86_400)
    );
    for bad in [
        staking::InitializeArgs {
            min_stake: 0,
            ..params.clone()
        },
        staking::InitializeArgs {
            max_confidence_bps: 10_001,
            ..params.clone()
        },
        staking::InitializeArgs {
            max_price_age_secs: 0,
            ..params.clone()
        },
        staking::InitializeArgs {
            lock_secs: 91 * 86_400,
            ..params.clone()
        },
        staking::InitializeArgs {
            oracles: vec![],
            ..params.clone()
        },
        staking::InitializeArgs {
            oracle_quorum: 4,
            ..params.clone()
        },
        staking::InitializeArgs {
            oracle_quorum: 0,
            ..params.clone()
        },
        staking::InitializeArgs {
            offline_threshold_bps: 10_001,
            ..params.clone()
        },
        staking::InitializeArgs {
            appeal_secs: 3_599,
            ..params.clone()
        },
        staking::InitializeArgs {
            appeal_secs: 91 * 86_400,
            ..params.clone()
        },
        staking::InitializeArgs {
            oracles: vec![params.oracles[0]; 2],
            oracle_quorum: 1,
            ..params.clone()
        },
    ] {
        let ix = ix::staking::update_params(old.pubkey(), bad);
        assert_error(
            &ctx.send(&[ix], &[&old]).await,
            StakingError::InvalidParameter,
        );
    }
    let ix = ix::staking::update_params(new.pubkey(), params.clone());
    assert_error(&ctx.send(&[ix], &[&new]).await, StakingError::Unauthorized);

    let ix = ix::staking::accept_authority(new.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&new]).await,
        StakingError::NotPendingAuthority,
    );
    ctx.send_ok(
        &[ix::staking::propose_authority(old.pubkey(), new.pubkey())],
        &[&old],
    )
    .await;
    let outcome = ctx
        .send_ok(&[ix::staking::accept_authority(new.pubkey())], &[&new])
        .await;
    let event: AuthorityTransferred = outcome.event();
    assert_eq!(
        (event.previous, event.authority),
        (old.pubkey(), new.pubkey())
    );
    params.min_stake = 100 * IO;
    let ix = ix::staking::update_params(old.pubkey(), params.clone());
    assert_error(&ctx.send(&[ix], &[&old]).await, StakingError::Unauthorized);
    ctx.send_ok(&[ix::staking::update_params(new.pubkey(), params)], &[&new])
        .await;
}
