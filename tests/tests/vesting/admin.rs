use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::ix;
use ngpu_tests::*;
use vesting::{
    AuthorityProposed, AuthorityTransferred, ConfigState, Paused, Unpaused, VestingError,
};

#[tokio::test]
async fn pause_and_handover_are_authority_only() {
    let ctx = &mut TestContext::with_vesting().await;
    let old = ctx.authority.insecure_clone();
    let new = ctx.chain.new_user().await;

    let ix = ix::vesting::set_paused(new.pubkey(), true);
    assert_error(&ctx.send(&[ix], &[&new]).await, VestingError::Unauthorized);
    let outcome = ctx
        .send_ok(&[ix::vesting::set_paused(old.pubkey(), true)], &[&old])
        .await;
    // Every config event carries the resulting config (the four pools of `with_vesting`).
    let state = |authority, pending_authority, paused| ConfigState {
        authority,
        pending_authority,
        paused,
        pool_count: 4,
    };
    let none = ngpu_sdk::Pubkey::default();
    let paused = outcome.event::<Paused>();
    assert_eq!(
        (paused.authority, paused.config),
        (old.pubkey(), state(old.pubkey(), none, true))
    );
    let outcome = ctx
        .send_ok(&[ix::vesting::set_paused(old.pubkey(), false)], &[&old])
        .await;
    let unpaused = outcome.event::<Unpaused>();
    assert_eq!(
        (unpaused.authority, unpaused.config),
        (old.pubkey(), state(old.pubkey(), none, false))
    );

    let ix = ix::vesting::accept_authority(new.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&new]).await,
        VestingError::NotPendingAuthority,
    );
    let outcome = ctx
        .send_ok(
            &[ix::vesting::propose_authority(old.pubkey(), new.pubkey())],
            &[&old],
        )
        .await;
    let proposed: AuthorityProposed = outcome.event();
    assert_eq!(
        (proposed.proposed, proposed.config),
        (new.pubkey(), state(old.pubkey(), new.pubkey(), false))
    );
    let outcome = ctx
        .send_ok(&[ix::vesting::accept_authority(new.pubkey())], &[&new])
        .await;
    let event: AuthorityTransferred = outcome.event();
    assert_eq!(
        (event.previous, event.authority),
        (old.pubkey(), new.pubkey())
    );
    assert_eq!(event.config, state(new.pubkey(), none, false));
    let ix = ix::vesting::set_paused(old.pubkey(), true);
    assert_error(&ctx.send(&[ix], &[&old]).await, VestingError::Unauthorized);
}
