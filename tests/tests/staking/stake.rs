use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;
use staking::{
    DeviceClassSet, ModifiersSet, NodeRegistered, Staked, StakingError, UnstakeRequested, Withdrawn,
};

const IO: u64 = 100_000_000;
const DAY: i64 = 86_400;

#[tokio::test]
async fn stake_lock_unstake_cooldown_withdraw() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(3_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;

    let outcome = ctx.stake(&alice, tokens, node, 500 * IO).await;
    let event: Staked = outcome.event();
    assert_eq!(
        (event.amount, event.position_active, event.node_active),
        (500 * IO, 500 * IO, 500 * IO)
    );
    assert_eq!((event.node_staked, event.open_positions), (500 * IO, 1));
    let locked_until = event.locked_until;
    assert_eq!(locked_until, START_TS + 7 * DAY);
    // Above the node maximum (2,000 IO with no modifiers).
    assert_error(
        &ctx.stake(&alice, tokens, node, 1_500 * IO + 1).await,
        StakingError::AboveMaxStake,
    );
    assert_error(
        &ctx.stake(&alice, tokens, node, 0).await,
        StakingError::ZeroAmount,
    );

    // Inside the lock.
    ctx.chain.set_time(locked_until - 1).await;
    let unstake = ix::staking::request_unstake(alice.pubkey(), node, 200 * IO);
    assert_error(
        &ctx.send(std::slice::from_ref(&unstake), &[&alice]).await,
        StakingError::StakeLocked,
    );
    ctx.chain.set_time(locked_until).await;
    let event: UnstakeRequested = ctx.send_ok(&[unstake], &[&alice]).await.event();
    assert_eq!(
        (
            event.position_active,
            event.position_cooldown,
            event.node_active,
            event.node_staked
        ),
        (300 * IO, 200 * IO, 300 * IO, 500 * IO)
    );
    assert_eq!(ctx.node(node).await.active_stake().unwrap(), 300 * IO);
    let too_much = ix::staking::request_unstake(alice.pubkey(), node, 300 * IO + 1);
    assert_error(
        &ctx.send(&[too_much], &[&alice]).await,
        StakingError::InsufficientStake,
    );

    // Before the cooldown ends, then after.
    let withdraw = ix::staking::withdraw(alice.pubkey(), node, tokens);
    ctx.chain.set_time(locked_until + 7 * DAY - 1).await;
    assert_error(
        &ctx.send(std::slice::from_ref(&withdraw), &[&alice]).await,
        StakingError::CooldownNotEnded,
    );
    ctx.chain.set_time(locked_until + 7 * DAY).await;
    let before = ctx.chain.token_balance(tokens).await;
    let outcome = ctx
        .send_ok(std::slice::from_ref(&withdraw), &[&alice])
        .await;
    assert_eq!(outcome.event::<Withdrawn>().amount, 200 * IO);
    assert_eq!(ctx.chain.token_balance(tokens).await - before, 200 * IO);
    assert_error(
        &ctx.send(&[withdraw], &[&alice]).await,
        StakingError::NothingToClaim,
    );
}

#[tokio::test]
async fn only_the_owner_moves_a_position() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let (mallory, mallory_tokens) = ctx.funded_user(0).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    assert_ok(&ctx.stake(&alice, tokens, node, 500 * IO).await);
    ctx.chain.set_time(START_TS + 30 * DAY).await;
    // Mallory's own position does not exist; Alice's is bound to Alice by its seeds.
    let mut unstake = ix::staking::request_unstake(mallory.pubkey(), node, 100 * IO);
    unstake.accounts[4].pubkey = pda::staking::position(&node, &alice.pubkey());
    assert_error(
        &ctx.send(&[unstake], &[&mallory]).await,
        StakingError::Unauthorized,
    );
    let claim = ix::staking::claim_node_rewards(mallory.pubkey(), node, mallory_tokens);
    assert_error(
        &ctx.send(&[claim], &[&mallory]).await,
        StakingError::Unauthorized,
    );
}

#[tokio::test]
async fn only_the_authority_sets_device_classes_and_a_quorum_of_oracles_the_modifiers() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(5_000).await;
    let node = ctx.register_node(&alice, 0, 1).await;
    let args = staking::DeviceClassArgs {
        class_id: 3,
        capex_micro_usd: 1,
        device_max_stake: 1,
    };
    let ix = ix::staking::set_device_class(alice.pubkey(), args.clone());
    assert_error(
        &ctx.send(&[ix], &[&alice]).await,
        StakingError::Unauthorized,
    );
    // The authority creates class 3, then updates it.
    let authority = ctx.authority.insecure_clone();
    let class = pda::staking::device_class(3);
    let ix = ix::staking::set_device_class(authority.pubkey(), args);
    let event: DeviceClassSet = ctx.send_ok(&[ix], &[&authority]).await.event();
    assert_eq!(
        event,
        DeviceClassSet {
            device_class: class,
            class_id: 3,
            capex_micro_usd: 1,
            device_max_stake: 1,
            created: true,
        }
    );
    let args = staking::DeviceClassArgs {
        class_id: 3,
        capex_micro_usd: 2,
        device_max_stake: 3,
    };
    let ix = ix::staking::set_device_class(authority.pubkey(), args);
    let event: DeviceClassSet = ctx.send_ok(&[ix], &[&authority]).await.event();
    assert_eq!(
        (event.capex_micro_usd, event.device_max_stake, event.created),
        (2, 3, false)
    );
    // A second node: the count, and the node's capex and maximum from its class.
    let ix = ix::staking::register_node(alice.pubkey(), 0, 2);
    let event: NodeRegistered = ctx.send_ok(&[ix], &[&alice]).await.event();
    assert_eq!(
        event,
        NodeRegistered {
            node: pda::staking::node(&alice.pubkey(), 2),
            supplier: alice.pubkey(),
            device_class: pda::staking::device_class(0),
            vault: pda::staking::vault(&pda::staking::node(&alice.pubkey(), 2)),
            node_count: 2,
            node_id: 2,
            capex_micro_usd: 13_140_000_000,
            max_stake: 2_000 * IO,
        }
    );

    let [o1, o2, _o3] = [0, 1, 2].map(|i| ctx.oracles[i].insecure_clone());
    // The quorum is two members: one member, a member twice, or a member and an outsider fail.
    for signers in [vec![&o1], vec![&o1, &o1], vec![&o1, &alice]] {
        let keys: Vec<_> = signers.iter().map(|k| k.pubkey()).collect();
        let ix = ix::staking::set_modifiers(&keys, node, 0, [10_000; 4]);
        assert_error(
            &ctx.send(&[ix], &signers).await,
            StakingError::QuorumNotReached,
        );
    }
    // A member listed without signing does not count either.
    let mut ix = ix::staking::set_modifiers(&[o1.pubkey(), o2.pubkey()], node, 0, [10_000; 4]);
    ix.accounts.last_mut().unwrap().is_signer = false;
    assert_error(
        &ctx.send(&[ix], &[&o1]).await,
        StakingError::QuorumNotReached,
    );

    // Two members: all four modifiers at 100%, max stake 14 x 1,000 IO.
    let ix = ix::staking::set_modifiers(&[o1.pubkey(), o2.pubkey()], node, 0, [10_000; 4]);
    let event: ModifiersSet = ctx.send_ok(&[ix], &[&o1, &o2]).await.event();
    assert_eq!(
        event,
        ModifiersSet {
            node,
            modifiers_bps: [10_000; 4],
            max_stake: 14_000 * IO,
            weight: 0,
            total_weight: 0,
            capex_micro_usd: 13_140_000_000,
            node_active: 0,
        }
    );
    assert_eq!(ctx.node(node).await.max_stake, 14_000 * IO);
    let ix = ix::staking::set_modifiers(&[o1.pubkey(), o2.pubkey()], node, 0, [10_001, 0, 0, 0]);
    assert_error(
        &ctx.send(&[ix], &[&o1, &o2]).await,
        StakingError::InvalidParameter,
    );
    assert_ok(&ctx.stake(&alice, tokens, node, 5_000 * IO).await);
}

/// RELIABILITY.md S18: a stake position's address is predictable; pre-funding it must not
/// block the first stake.
#[tokio::test]
async fn pre_funded_positions_and_nodes_cannot_block_staking() {
    let ctx = &mut TestContext::with_staking().await;
    ctx.device_class(0, 13_140, 1_000).await;
    let (alice, tokens) = ctx.funded_user(1_000).await;
    let node = pda::staking::node(&alice.pubkey(), 1);
    ctx.chain.transfer_lamports(node, 890_880).await;
    ctx.chain
        .transfer_lamports(pda::staking::vault(&node), 890_880)
        .await;
    let node = ctx.register_node(&alice, 0, 1).await;
    ctx.chain
        .transfer_lamports(pda::staking::position(&node, &alice.pubkey()), 2_000_000)
        .await;
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    assert_ok(&ctx.stake(&alice, tokens, node, 100 * IO).await);
    assert_eq!(ctx.node(node).await.active_stake().unwrap(), 200 * IO);
}
