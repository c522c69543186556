// Anchor needs every instruction module glob-exported at the crate root (its generated
// `__client_accounts_*` modules); the `handler` names collide harmlessly.
#![allow(ambiguous_glob_reexports)]

pub mod activate_node;
pub mod cancel_unstake;
pub mod claim_node_rewards;
pub mod claim_stake_rewards;
pub mod crank_hour;
pub mod initialize;
pub mod register_node;
pub mod request_unstake;
pub mod set_device_class;
pub mod set_hired;
pub mod set_modifiers;
pub mod set_node_state;
pub mod stake;
pub mod withdraw;

pub use activate_node::*;
pub use cancel_unstake::*;
pub use claim_node_rewards::*;
pub use claim_stake_rewards::*;
pub use crank_hour::*;
pub use initialize::*;
pub use register_node::*;
pub use request_unstake::*;
pub use set_device_class::*;
pub use set_hired::*;
pub use set_modifiers::*;
pub use set_node_state::*;
pub use stake::*;
pub use withdraw::*;
