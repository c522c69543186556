// Anchor needs every instruction module glob-exported at the crate root (its generated
// `__client_accounts_*` modules); the `handler` names collide harmlessly.
#![allow(ambiguous_glob_reexports)]

pub mod accept_authority;
pub mod genesis;
pub mod initialize;
pub mod lock_emission_controller;
pub mod mint_emission;
pub mod propose_authority;
pub mod set_emission_controller;
pub mod set_max_hours_per_call;
pub mod set_paused;

pub use accept_authority::*;
pub use genesis::*;
pub use initialize::*;
pub use lock_emission_controller::*;
pub use mint_emission::*;
pub use propose_authority::*;
pub use set_emission_controller::*;
pub use set_max_hours_per_call::*;
pub use set_paused::*;
