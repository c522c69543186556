// Anchor needs every instruction module glob-exported at the crate root (its generated
// `__client_accounts_*` modules); the `handler` names collide harmlessly.
#![allow(ambiguous_glob_reexports)]

pub mod accept_authority;
pub mod burn_io_fees;
pub mod fill_buyback;
pub mod initialize;
pub mod propose_authority;
pub mod set_paused;
pub mod update_params;

pub use accept_authority::*;
pub use burn_io_fees::*;
pub use fill_buyback::*;
pub use initialize::*;
pub use propose_authority::*;
pub use set_paused::*;
pub use update_params::*;
