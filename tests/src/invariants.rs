//! Supply invariants (RELIABILITY.md I1, I2), checked after every transaction of every test.

use io_token::constants::{EMISSION_SUPPLY, GENESIS_SUPPLY, MAX_SUPPLY};
use ngpu_sdk::pda;

use crate::TestContext;

pub async fn check(ctx: &mut TestContext) {
    let Some(account) = ctx.chain.account(pda::io_token::config()).await else {
        return; // not initialised yet: nothing can have been minted
    };
    let config: io_token::Config = ngpu_sdk::decode_account(&account.data).expect("config decodes");
    let committed = config.genesis_minted + config.emission_minted + config.emission_forfeited;
    assert!(committed <= MAX_SUPPLY, "cap: {committed} > {MAX_SUPPLY}");
    assert!(config.genesis_minted == 0 || config.genesis_minted == GENESIS_SUPPLY);
    assert!(config.emission_minted + config.emission_forfeited <= EMISSION_SUPPLY);
    // I2: what the schedule released is exactly the cumulative target of the hours processed.
    assert_eq!(
        config.emission_minted + config.emission_forfeited,
        ngpu_math::cumulative(config.next_hour),
        "schedule ledger"
    );

    let mint = ctx.chain.mint_state(config.io_mint).await;
    assert_eq!(mint.decimals, 8);
    assert_eq!(
        mint.mint_authority,
        Some(pda::io_token::mint_authority()).into()
    );
    assert!(mint.freeze_authority.is_none(), "no freeze authority");
    // I1: on-chain supply equals what the ledger minted, less what holders and the staking
    // program (uptime cuts, slashes) burned.
    let staking_burned = match ctx.chain.account(pda::staking::ledger()).await {
        Some(account) => {
            let s = staking::Ledger::from_bytes(&account.data[..])
                .expect("ledger decodes")
                .state();
            s.rewards_burned + s.stake_burned
        }
        None => 0,
    };
    let revenue_burned = crate::revenue::io_burned(ctx).await;
    assert_eq!(
        mint.supply + ctx.burned + staking_burned + revenue_burned,
        config.genesis_minted + config.emission_minted,
        "supply ledger"
    );
    // Conservation: the token accounts the test created, plus every schedule vault, hold the
    // whole supply.
    let mut held = 0;
    for account in ctx.io_accounts.clone() {
        held += ctx.chain.token_balance(account).await;
    }
    held += check_vesting(ctx).await;
    assert_eq!(held, mint.supply, "tokens held == supply");
    check_staking(ctx).await;
    crate::revenue::check(ctx).await;
    crate::reservations::check(ctx).await;
}

/// Staking: every node vault holds its active + cooldown stake (exactly until a slash leaves
/// rounding dust, then at least); the reward vault holds at least everything claimable now
/// (settled and pending, settled off-chain with the program's own code) plus the repaid debt
/// awaiting its burn; the escrow holds exactly the pending slashes; the weights add up.
async fn check_staking(ctx: &mut TestContext) {
    if ctx.staking_nodes.is_empty() {
        return;
    }
    let config = ctx.staking_config().await;
    let ledger_data = ctx
        .chain
        .account(config.ledger)
        .await
        .expect("ledger exists")
        .data;
    let ledger = staking::Ledger::from_bytes(&ledger_data[..]).expect("ledger decodes");
    let mut claimable: u128 = 0;
    // Σ node weights of each of the next hours, from the nodes' schedules.
    const AHEAD: usize = 48;
    let mut weights = [0u64; AHEAD];
    for key in ctx.staking_nodes.clone() {
        let node = ctx.node(key).await;
        let vault = ctx.chain.token_balance(node.vault).await;
        let staked = node.staked().unwrap();
        if node.stake_slashed == 0 {
            assert_eq!(vault, staked, "node vault == active + cooldown stake");
        } else {
            assert!(vault >= staked, "node vault {vault} < staked {staked}");
        }
        let schedule = node.schedule();
        for (i, w) in weights.iter_mut().enumerate() {
            *w += schedule.weight_at(ledger.next_hour() + i as u64);
        }
        let mut settled = node.clone();
        settled.settle(&ledger).unwrap();
        let stakers = settled.stakers_unclaimed().unwrap();
        claimable += u128::from(settled.supplier_unclaimed)
            + u128::from(stakers)
            + u128::from(settled.burn_pending);
        // The positions together can claim no more than the node owes its stakers.
        let mut positions: u64 = 0;
        for position_key in ctx.staking_positions.clone() {
            let Some(account) = ctx.chain.account(position_key).await else {
                continue; // tracked before its first stake
            };
            let mut position: staking::StakePosition =
                ngpu_sdk::decode_account(&account.data).expect("position decodes");
            if position.node != key {
                continue;
            }
            position.settle(&settled).unwrap();
            positions +=
                ngpu_math::staking::shares_to_amount(position.owed_units, settled.reward_index)
                    .unwrap();
        }
        assert!(
            positions <= stakers,
            "positions can claim {positions} > node owes stakers {stakers}"
        );
    }
    // The crank's running total plus the ledger's pending changes gives every coming hour's
    // total weight: it must equal the nodes' own schedules, hour by hour.
    let crank = ledger.state();
    let mut total = crank.total_weight;
    for (i, w) in weights.iter().enumerate() {
        total = total.wrapping_add(ledger.delta(crank.next_hour + i as u64));
        assert_eq!(
            total, *w,
            "Σ node weights == total weight at hour next + {i}"
        );
    }
    let reward_vault = ctx.chain.token_balance(config.reward_vault).await;
    assert!(
        u128::from(reward_vault) >= claimable,
        "reward vault {reward_vault} < claimable {claimable}"
    );
    let escrow = ctx.chain.token_balance(config.escrow_vault).await;
    assert_eq!(
        escrow,
        ledger.state().escrow_held,
        "escrow vault == pending slashes"
    );
}

/// RELIABILITY.md I6 for every pool: `pool vault + schedule vaults == total - claimed`, each
/// schedule vault holds `total - returned - claimed`, nobody was paid more than unlocked, a
/// revoked schedule returned exactly what had not unlocked at its revocation, and closed
/// schedules are gone with their vaults. Returns what the schedule vaults hold.
async fn check_vesting(ctx: &mut TestContext) -> u64 {
    let now = ctx.chain.now().await;
    let mut in_schedules = 0;
    for pool_id in ctx.vesting_pools.clone() {
        let pool_key = pda::vesting::pool(pool_id);
        let pool: vesting::Pool = ctx.chain.anchor_account(pool_key).await;
        let pool_vault = ctx.chain.token_balance(pool.vault).await;
        if !pool.opened {
            continue;
        }
        assert!(
            pool.claimed <= pool.allocated && pool.allocated <= pool.total,
            "{pool:?}"
        );
        assert_eq!(
            pool_vault,
            pool.total - pool.allocated,
            "pool {pool_id} vault"
        );
        let mut schedules_held = 0;
        let (mut granted, mut claimed, mut returned, mut closed) = (0, 0, 0, 0);
        for id in 0..pool.schedule_count {
            let key = pda::vesting::schedule(&pool_key, id);
            let Some(account) = ctx.chain.account(key).await else {
                // Closed: its vault went with it.
                let vault = pda::vesting::vault(&key);
                assert!(ctx.chain.account(vault).await.is_none(), "{pool_id}/{id}");
                closed += 1;
                continue;
            };
            let s: vesting::VestingSchedule =
                ngpu_sdk::decode_account(&account.data).expect("schedule decodes");
            let vault = ctx.chain.token_balance(s.vault).await;
            assert_eq!(
                vault,
                s.total - s.returned - s.claimed,
                "schedule {pool_id}/{id} vault"
            );
            let unlocked = s.rule().unlocked(s.total, s.start_ts, now).unwrap();
            assert!(
                s.claimed <= unlocked,
                "schedule {pool_id}/{id} paid more than unlocked"
            );
            if s.revoked {
                let at_revoke = s
                    .rule()
                    .unlocked(s.total, s.start_ts, s.revoked_ts)
                    .unwrap();
                assert_eq!(s.returned, s.total - at_revoke, "{pool_id}/{id} frozen");
            } else {
                assert_eq!((s.returned, s.revoked_ts), (0, 0), "{pool_id}/{id}");
            }
            schedules_held += vault;
            granted += s.total - s.returned;
            claimed += s.claimed;
            returned += s.returned;
        }
        assert_eq!(closed, pool.schedules_closed, "pool {pool_id} closed count");
        // A closed schedule had paid out all it kept (granted == claimed): it drops out of both.
        assert_eq!(
            granted - claimed,
            pool.allocated - pool.claimed,
            "pool {pool_id} ledger"
        );
        if closed == 0 {
            assert_eq!(
                (granted, claimed, returned),
                (pool.allocated, pool.claimed, pool.returned),
                "pool {pool_id} ledger"
            );
        }
        assert!(returned <= pool.returned, "pool {pool_id} returned");
        assert_eq!(
            pool_vault + schedules_held,
            pool.total - pool.claimed,
            "pool {pool_id} I6"
        );
        in_schedules += schedules_held;
    }
    in_schedules
}
