//! Stack-frame proxy (see `stack_frames.rs`): every `revenue` Accounts struct stays under 1 KB.

use std::mem::size_of;

#[test]
fn revenue_accounts_structs_stay_small() {
    let sizes = [
        ("Initialize", size_of::<::revenue::Initialize<'static>>()),
        ("BurnIoFees", size_of::<::revenue::BurnIoFees<'static>>()),
        ("FillBuyback", size_of::<::revenue::FillBuyback<'static>>()),
        (
            "UpdateParams",
            size_of::<::revenue::UpdateParams<'static>>(),
        ),
        ("SetPaused", size_of::<::revenue::SetPaused<'static>>()),
        (
            "ProposeAuthority",
            size_of::<::revenue::ProposeAuthority<'static>>(),
        ),
        (
            "AcceptAuthority",
            size_of::<::revenue::AcceptAuthority<'static>>(),
        ),
    ];
    for (name, size) in sizes {
        println!("{name}: {size} bytes");
        assert!(size < 1_024, "{name} is {size} bytes");
    }
}
