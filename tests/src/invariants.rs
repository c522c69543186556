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
    // I1: on-chain supply equals what the ledger minted, less what holders burned.
    assert_eq!(
        mint.supply + ctx.burned,
        config.genesis_minted + config.emission_minted,
        "supply ledger"
    );
    // Conservation: the token accounts the test created hold the whole supply.
    let mut held = 0;
    for account in ctx.io_accounts.clone() {
        held += ctx.chain.token_balance(account).await;
    }
    assert_eq!(held, mint.supply, "tokens held == supply");
}
