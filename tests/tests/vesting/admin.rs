use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::ix;
use ngpu_tests::*;
use vesting::{AuthorityTransferred, Paused, Unpaused, VestingError};

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
    assert_eq!(outcome.event::<Paused>().authority, old.pubkey());
    let outcome = ctx
        .send_ok(&[ix::vesting::set_paused(old.pubkey(), false)], &[&old])
        .await;
    assert_eq!(outcome.event::<Unpaused>().authority, old.pubkey());

    let ix = ix::vesting::accept_authority(new.pubkey());
    assert_error(
        &ctx.send(&[ix], &[&new]).await,
        VestingError::NotPendingAuthority,
    );
    ctx.send_ok(
        &[ix::vesting::propose_authority(old.pubkey(), new.pubkey())],
        &[&old],
    )
    .await;
    let outcome = ctx
        .send_ok(&[ix::vesting::accept_authority(new.pubkey())], &[&new])
        .await;
    let event: AuthorityTransferred = outcome.event();
    assert_eq!(
        (event.previous, event.authority),
        (old.pubkey(), new.pubkey())
    );
    let ix = ix::vesting::set_paused(old.pubkey(), true);
    assert_error(&ctx.send(&[ix], &[&old]).await, VestingError::Unauthorized);
}
