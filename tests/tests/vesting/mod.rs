mod admin;
mod claim;
mod close;
mod costs;
mod pools;
mod revoke;
mod schedules;
mod sweep;

use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_sdk::Pubkey;
use ngpu_tests::TestContext;

/// Sends `amount` base units from the community allocation straight into `vault` (a donation
/// the ledger does not know of), with the per-transaction invariants off: they hold again once
/// the surplus is swept.
pub async fn donate(ctx: &mut TestContext, vault: Pubkey, amount: u64) {
    let owner = ctx.allocation_owners[0].insecure_clone();
    let transfer = anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::ID,
        &ctx.allocations[0],
        &vault,
        &owner.pubkey(),
        &[],
        amount,
    )
    .unwrap();
    ctx.check_after_each = false;
    ctx.send_ok(&[transfer], &[&owner]).await;
    ctx.check_after_each = true;
}
