// Anchor needs every instruction module glob-exported at the crate root (its generated
// `__client_accounts_*` modules); the `handler` names collide harmlessly.
#![allow(ambiguous_glob_reexports)]

pub mod accept_authority;
pub mod claim_payout;
pub mod claim_refund;
pub mod delist;
pub mod end_early;
pub mod initialize;
pub mod list_node;
pub mod propose_authority;
pub mod report_failure;
pub mod reserve;
pub mod set_paused;
pub mod settle;
pub mod sweep_fees;
pub mod update_listing;
pub mod update_params;

pub use accept_authority::*;
pub use claim_payout::*;
pub use claim_refund::*;
pub use delist::*;
pub use end_early::*;
pub use initialize::*;
pub use list_node::*;
pub use propose_authority::*;
pub use report_failure::*;
pub use reserve::*;
pub use set_paused::*;
pub use settle::*;
pub use sweep_fees::*;
pub use update_listing::*;
pub use update_params::*;
