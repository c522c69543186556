use ::revenue::{Initialized, RevenueError, USDC_FREEZE_AUTHORITY};
use anchor_lang::error::ErrorCode;
use anchor_spl::token::spl_token;
use ngpu_localnet::solana_sdk::signature::{Keypair, Signer};
use ngpu_sdk::{ix, pda, Pubkey};
use ngpu_tests::*;

#[tokio::test]
async fn initialize_only_by_the_upgrade_authority_once_and_pre_funding_safe() {
    let ctx = &mut TestContext::with_genesis().await;
    let usdc = ctx.create_mint_with(spl_token::ID, 6, None).await;
    let args = ctx.revenue_args();
    // Anyone may send lamports to the predictable addresses first.
    for address in [
        pda::revenue::config(),
        pda::revenue::io_vault(),
        pda::revenue::fee_vault(&usdc),
    ] {
        ctx.chain.transfer_lamports(address, 1_000_000).await;
    }
    // Nothing works before initialize (the config's address holds only lamports).
    let payer = ctx.chain.payer().pubkey();
    let burn = ix::revenue::burn_io_fees(payer, ctx.today().await);
    assert_anchor_error(
        &ctx.send(&[burn], &[]).await,
        ErrorCode::AccountOwnedByWrongProgram,
    );
    let intruder = ctx.chain.new_user().await;
    let outcome = ctx
        .send(
            &[ix::revenue::initialize(
                intruder.pubkey(),
                usdc,
                args.clone(),
            )],
            &[&intruder],
        )
        .await;
    assert_error(&outcome, RevenueError::Unauthorized);

    let authority = ctx.authority.insecure_clone();
    let outcome = ctx
        .send_ok(
            &[ix::revenue::initialize(
                authority.pubkey(),
                usdc,
                args.clone(),
            )],
            &[&authority],
        )
        .await;
    let event = outcome.event::<Initialized>();
    assert_eq!(
        event,
        Initialized {
            authority: authority.pubkey(),
            usdc_mint: usdc,
            io_vault: pda::revenue::io_vault(),
            usdc_vault: pda::revenue::fee_vault(&usdc),
            params: args.clone(),
        }
    );
    let config = ctx.revenue_config().await;
    assert_eq!(
        (config.authority, config.usdc_mint, config.paused),
        (authority.pubkey(), usdc, false)
    );
    assert_eq!(
        (
            config.price_feed,
            config.price_feed_id,
            config.max_premium_bps
        ),
        (ctx.price_feed, ctx.price_feed_id, 100)
    );
    assert_eq!(
        (
            config.window_secs,
            config.window_limit,
            config.window_outflow
        ),
        (86_400, 10_000_000_000, 0)
    );
    assert_eq!(config.io_vault, ::revenue::IO_VAULT_ADDRESS);
    assert_eq!(pda::revenue::config(), ::revenue::CONFIG_ADDRESS);
    // Both vaults are token accounts owned by the config PDA.
    for (vault, mint) in [
        (config.io_vault, ::revenue::IO_MINT),
        (config.usdc_vault, usdc),
    ] {
        let account = ctx.chain.account(vault).await.unwrap();
        let state = spl_token::state::Account::unpack_from_slice(&account.data).unwrap();
        assert_eq!((state.mint, state.owner), (mint, pda::revenue::config()));
        assert!(state.close_authority.is_none() && state.delegate.is_none());
    }
    let again = ctx
        .send(
            &[ix::revenue::initialize(authority.pubkey(), usdc, args)],
            &[&authority],
        )
        .await;
    assert_error(&again, RevenueError::AlreadyInitialized);
}

use anchor_lang::solana_program::program_pack::Pack;

async fn try_initialize(ctx: &mut TestContext, usdc: Pubkey) -> ngpu_localnet::TxOutcome {
    let authority = ctx.authority.insecure_clone();
    let args = ctx.revenue_args();
    ctx.send(
        &[ix::revenue::initialize(authority.pubkey(), usdc, args)],
        &[&authority],
    )
    .await
}

#[tokio::test]
async fn the_usdc_mint_must_be_classic_six_decimals_and_freezable_only_by_usdc() {
    let ctx = &mut TestContext::with_genesis().await;
    // A Token-2022 mint with USDC's exact layout (no extensions, 6 decimals, no freeze).
    let look_alike = ctx
        .create_mint_with(anchor_spl::token_2022::ID, 6, None)
        .await;
    assert_error(
        &try_initialize(ctx, look_alike).await,
        RevenueError::UsdcNotClassicToken,
    );
    let nine = ctx.create_mint_with(spl_token::ID, 9, None).await;
    assert_error(
        &try_initialize(ctx, nine).await,
        RevenueError::InvalidUsdcMint,
    );
    // A token account is owned by SPL Token but is not a mint.
    let not_a_mint = ctx
        .chain
        .create_token_account(&::revenue::IO_MINT, &Pubkey::new_unique())
        .await;
    assert_error(
        &try_initialize(ctx, not_a_mint).await,
        RevenueError::InvalidUsdcMint,
    );
    let frozen_by_anyone = ctx
        .create_mint_with(spl_token::ID, 6, Some(Keypair::new().pubkey()))
        .await;
    assert_error(
        &try_initialize(ctx, frozen_by_anyone).await,
        RevenueError::UsdcFreezeAuthority,
    );
    // USDC's own freeze authority is accepted.
    let usdc_like = ctx
        .create_mint_with(spl_token::ID, 6, Some(USDC_FREEZE_AUTHORITY))
        .await;
    assert_ok(&try_initialize(ctx, usdc_like).await);
    assert_eq!(ctx.revenue_config().await.usdc_mint, usdc_like);
}

#[tokio::test]
async fn parameters_are_bounded() {
    let ctx = &mut TestContext::with_genesis().await;
    let usdc = ctx.create_mint_with(spl_token::ID, 6, None).await;
    let good = ctx.revenue_args();
    let bad = [
        ::revenue::InitializeArgs {
            max_premium_bps: 1_001,
            ..good.clone()
        },
        ::revenue::InitializeArgs {
            window_limit: 0,
            ..good.clone()
        },
        ::revenue::InitializeArgs {
            window_secs: 59,
            ..good.clone()
        },
        ::revenue::InitializeArgs {
            window_secs: 30 * 86_400 + 1,
            ..good.clone()
        },
        ::revenue::InitializeArgs {
            max_price_age_secs: 0,
            ..good.clone()
        },
        ::revenue::InitializeArgs {
            max_price_age_secs: 3_601,
            ..good.clone()
        },
        ::revenue::InitializeArgs {
            max_confidence_bps: 0,
            ..good.clone()
        },
        ::revenue::InitializeArgs {
            max_confidence_bps: 2_001,
            ..good.clone()
        },
        ::revenue::InitializeArgs {
            price_feed: Pubkey::default(),
            ..good.clone()
        },
        ::revenue::InitializeArgs {
            price_feed_id: [0; 32],
            ..good.clone()
        },
    ];
    let authority = ctx.authority.insecure_clone();
    for args in bad {
        let outcome = ctx
            .send(
                &[ix::revenue::initialize(
                    authority.pubkey(),
                    usdc,
                    args.clone(),
                )],
                &[&authority],
            )
            .await;
        assert_error(&outcome, RevenueError::InvalidParameter);
    }
    // The bounds themselves pass.
    let edge = ::revenue::InitializeArgs {
        max_premium_bps: 1_000,
        window_secs: 30 * 86_400,
        max_price_age_secs: 3_600,
        max_confidence_bps: 2_000,
        window_limit: 1,
        ..good
    };
    ctx.send_ok(
        &[ix::revenue::initialize(authority.pubkey(), usdc, edge)],
        &[&authority],
    )
    .await;
    // Not signed by the authority at all.
    let ix = without_signature(
        ix::revenue::initialize(authority.pubkey(), usdc, ctx.revenue_args()),
        &authority.pubkey(),
    );
    assert_anchor_error(&ctx.send(&[ix], &[]).await, ErrorCode::AccountNotSigner);
}
