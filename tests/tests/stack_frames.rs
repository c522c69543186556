//! Stack-frame proxy (RELIABILITY.md §4): natively nothing enforces SBF's 4 KB frame, so the
//! program-side Accounts structs, which Anchor builds on the stack in `try_accounts`, are kept
//! small by boxing accounts. Each must stay under 1 KB (a quarter of the frame).

use std::mem::size_of;

const LIMIT: usize = 1_024;

macro_rules! check {
    ($($path:path),* $(,)?) => {
        vec![$((stringify!($path), size_of::<$path>())),*]
    };
}

#[test]
fn accounts_structs_stay_small() {
    let sizes = check![
        io_token::Initialize<'static>,
        io_token::Genesis<'static>,
        io_token::MintEmission<'static>,
        io_token::SetEmissionController<'static>,
        io_token::SetMaxHoursPerCall<'static>,
        io_token::SetPaused<'static>,
        io_token::ProposeAuthority<'static>,
        io_token::AcceptAuthority<'static>,
        vesting::Initialize<'static>,
        vesting::CreatePool<'static>,
        vesting::OpenPool<'static>,
        vesting::CreateSchedule<'static>,
        vesting::Claim<'static>,
        vesting::ChangeBeneficiary<'static>,
        vesting::Revoke<'static>,
        vesting::CloseSchedule<'static>,
        vesting::Sweep<'static>,
        staking::Initialize<'static>,
        staking::SetDeviceClass<'static>,
        staking::RegisterNode<'static>,
        staking::SetModifiers<'static>,
        staking::SetNodeState<'static>,
        staking::ActivateNode<'static>,
        staking::SetHired<'static>,
        staking::Stake<'static>,
        staking::RequestUnstake<'static>,
        staking::CancelUnstake<'static>,
        staking::Withdraw<'static>,
        staking::CrankHour<'static>,
        staking::ClaimNodeRewards<'static>,
        staking::ClaimStakeRewards<'static>,
        staking::InitHistory<'static>,
        staking::ReportUptime<'static>,
        staking::SlashMalicious<'static>,
        staking::FinalizeSlash<'static>,
        staking::UpholdAppeal<'static>,
        staking::UpdateParams<'static>,
        staking::SetPaused<'static>,
    ];
    for (name, size) in &sizes {
        println!("{name}: {size} bytes");
        assert!(*size < LIMIT, "{name} is {size} bytes");
    }
}
