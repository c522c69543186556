//! The deploy parameters file (`migrations/params.toml`) is what `initialize` and
//! `set_device_class` write: the shipped file, and an edited copy.

use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::params::{Params, StakingParams, DEFAULT_PARAMS_TOML};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;

const IO: u64 = 100_000_000;
const DAY: i64 = 86_400;

/// The parameters a config holds, in the file's terms.
fn written(c: &staking::Config) -> StakingParams {
    StakingParams {
        min_stake: c.min_stake,
        lock_secs: c.lock_secs,
        cooldown_secs: c.cooldown_secs,
        reconnect_secs: c.reconnect_secs,
        max_stake_boost_bps: c.max_stake_boost_bps,
        offline_threshold_bps: c.offline_threshold_bps,
        appeal_secs: c.appeal_secs,
        max_price_age_secs: c.max_price_age_secs,
        max_confidence_bps: c.max_confidence_bps,
    }
}

#[tokio::test]
async fn initialize_writes_the_shipped_parameters() {
    let ctx = &mut TestContext::with_staking_without_history().await;
    let params = Params::load_default();
    assert_eq!(written(&ctx.staking_config().await), params.staking);
    // The file's device classes, as the deploy creates them.
    let authority = ctx.authority.insecure_clone();
    let ixs: Vec<_> = params
        .device_classes
        .iter()
        .map(|c| ix::staking::set_device_class(authority.pubkey(), c.args()))
        .collect();
    ctx.send_ok(&ixs, &[&authority]).await;
    for class in &params.device_classes {
        let on_chain: staking::DeviceClass = ctx
            .chain
            .anchor_account(pda::staking::device_class(class.class_id))
            .await;
        assert_eq!(
            (
                on_chain.class_id,
                on_chain.capex_micro_usd,
                on_chain.device_max_stake
            ),
            (
                class.class_id,
                class.capex_micro_usd,
                class.device_max_stake
            )
        );
    }
}

/// Editing a value (in the text, or in the parsed copy) changes what `initialize` writes, and
/// nothing else.
#[tokio::test]
async fn an_edited_copy_changes_what_initialize_writes() {
    let text =
        DEFAULT_PARAMS_TOML.replace("min_stake = 10_000_000_000", "min_stake = 25_000_000_000");
    let mut edited = Params::parse(&text).unwrap().staking;
    edited.appeal_secs = 10 * DAY;
    let ctx = &mut TestContext::with_staking_params_without_history(&edited).await;
    let config = ctx.staking_config().await;
    assert_eq!((config.min_stake, config.appeal_secs), (250 * IO, 10 * DAY));
    let expected = StakingParams {
        min_stake: 250 * IO,
        appeal_secs: 10 * DAY,
        ..Params::load_default().staking
    };
    assert_eq!(written(&config), expected);
}
