// Anchor needs every instruction module glob-exported at the crate root (its generated
// `__client_accounts_*` modules); the `handler` names collide harmlessly.
#![allow(ambiguous_glob_reexports)]

pub mod accept_authority;
pub mod change_beneficiary;
pub mod claim;
pub mod close_schedule;
pub mod create_pool;
pub mod create_schedule;
pub mod initialize;
pub mod open_pool;
pub mod propose_authority;
pub mod revoke;
pub mod set_paused;
pub mod sweep;

pub use accept_authority::*;
pub use change_beneficiary::*;
pub use claim::*;
pub use close_schedule::*;
pub use create_pool::*;
pub use create_schedule::*;
pub use initialize::*;
pub use open_pool::*;
pub use propose_authority::*;
pub use revoke::*;
pub use set_paused::*;
pub use sweep::*;
