use anchor_lang::error::ErrorCode;
use io_token::constants::MAX_HOURS_PER_CALL;
use io_token::{Config, Initialized, IoTokenError};
use ngpu_localnet::program_data_account;
use ngpu_localnet::solana_sdk::account::AccountSharedData;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, pda};
use ngpu_tests::*;

#[tokio::test]
async fn creates_config_and_a_capped_pda_mint() {
    let mut ctx = TestContext::new().await;
    let authority = ctx.authority.insecure_clone();
    let outcome = ctx
        .send_ok(
            &[ix::io_token::initialize(authority.pubkey())],
            &[&authority],
        )
        .await;

    let config = ctx.config().await;
    assert_eq!(config.authority, authority.pubkey());
    assert_eq!(config.io_mint, pda::io_token::io_mint());
    assert_eq!(config.pending_authority, Default::default());
    assert_eq!(config.emission_controller, Default::default());
    assert_eq!(config.max_hours_per_call, MAX_HOURS_PER_CALL);
    assert_eq!(
        (
            config.genesis_minted,
            config.emission_minted,
            config.next_hour
        ),
        (0, 0, 0)
    );
    assert!(!config.paused);

    let mint = ctx.chain.mint_state(config.io_mint).await;
    assert_eq!(mint.decimals, 8);
    assert_eq!(mint.supply, 0);
    assert_eq!(
        mint.mint_authority,
        Some(pda::io_token::mint_authority()).into()
    );
    assert!(mint.freeze_authority.is_none());

    let event: Initialized = outcome.event();
    assert_eq!(event.authority, authority.pubkey());
    assert_eq!(event.io_mint, config.io_mint);
    assert_eq!(
        event.totals.remaining_to_cap,
        io_token::constants::MAX_SUPPLY
    );
    assert!(outcome.size <= 1232);
}

#[tokio::test]
async fn only_the_upgrade_authority_may_initialize() {
    let mut ctx = TestContext::new().await;
    let intruder = ctx.chain.new_user().await;
    let outcome = ctx
        .send(&[ix::io_token::initialize(intruder.pubkey())], &[&intruder])
        .await;
    assert_error(&outcome, IoTokenError::Unauthorized);
    assert!(ctx.chain.account(pda::io_token::config()).await.is_none());
}

#[tokio::test]
async fn rejects_a_program_data_account_of_another_address() {
    let mut ctx = TestContext::new().await;
    let intruder = ctx.chain.new_user().await;
    // A look-alike ProgramData naming the intruder, at an address that is not ours.
    let fake = Keypair::new().pubkey();
    ctx.chain.set_account(
        &fake,
        &AccountSharedData::from(program_data_account(&intruder.pubkey())),
    );
    let mut ix = ix::io_token::initialize(intruder.pubkey());
    ix.accounts[4].pubkey = fake;
    let outcome = ctx.send(&[ix], &[&intruder]).await;
    assert_anchor_error(&outcome, ErrorCode::ConstraintSeeds);
}

#[tokio::test]
async fn requires_the_authority_signature() {
    let mut ctx = TestContext::new().await;
    let authority = ctx.authority.pubkey();
    let ix = without_signature(ix::io_token::initialize(authority), &authority);
    let outcome = ctx.send(&[ix], &[]).await;
    assert_anchor_error(&outcome, ErrorCode::AccountNotSigner);
}

#[tokio::test]
async fn cannot_initialize_twice() {
    let mut ctx = TestContext::initialized().await;
    let before: Config = ctx.config().await;
    let authority = ctx.authority.insecure_clone();
    let outcome = ctx
        .send(
            &[ix::io_token::initialize(authority.pubkey())],
            &[&authority],
        )
        .await;
    assert_error(&outcome, IoTokenError::AlreadyInitialized);
    assert_eq!(ctx.config().await, before);
}

/// RELIABILITY.md S18: anyone can send lamports to the config and mint PDAs before the
/// deployer initialises; that must not block initialisation.
#[tokio::test]
async fn pre_funded_pdas_cannot_block_initialize() {
    for prefund in [890_880u64, 2_000_000, 10_000_000_000] {
        let mut ctx = TestContext::new().await;
        ctx.chain
            .transfer_lamports(pda::io_token::config(), prefund)
            .await;
        ctx.chain
            .transfer_lamports(pda::io_token::io_mint(), prefund)
            .await;
        let authority = ctx.authority.insecure_clone();
        ctx.send_ok(
            &[ix::io_token::initialize(authority.pubkey())],
            &[&authority],
        )
        .await;
        let config = ctx.config().await;
        assert_eq!(config.authority, authority.pubkey());
        let mint = ctx.chain.mint_state(config.io_mint).await;
        assert_eq!(mint.decimals, 8);
        // The pre-funding stays in the accounts: at least rent-exempt, nothing lost.
        let rent = ctx.chain.rent_exempt(Config::SPACE).await;
        assert_eq!(
            ctx.chain.lamports(pda::io_token::config()).await,
            rent.max(prefund)
        );
    }
}
