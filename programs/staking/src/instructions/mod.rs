// Anchor needs every instruction module glob-exported at the crate root (its generated
// `__client_accounts_*` modules); the `handler` names collide harmlessly.
#![allow(ambiguous_glob_reexports)]

pub mod accept_authority;
pub mod activate_node;
pub mod burn_node_rewards;
pub mod cancel_unstake;
pub mod claim_node_rewards;
pub mod claim_stake_rewards;
pub mod crank_hour;
pub mod finalize_slash;
pub mod init_history;
pub mod initialize;
pub mod propose_authority;
pub mod register_node;
pub mod report_uptime;
pub mod request_unstake;
pub mod set_device_class;
pub mod set_hired;
pub mod set_modifiers;
pub mod set_node_state;
pub mod set_paused;
pub mod slash_malicious;
pub mod stake;
pub mod update_params;
pub mod uphold_appeal;
pub mod withdraw;

pub use accept_authority::*;
pub use activate_node::*;
pub use burn_node_rewards::*;
pub use cancel_unstake::*;
pub use claim_node_rewards::*;
pub use claim_stake_rewards::*;
pub use crank_hour::*;
pub use finalize_slash::*;
pub use init_history::*;
pub use initialize::*;
pub use propose_authority::*;
pub use register_node::*;
pub use report_uptime::*;
pub use request_unstake::*;
pub use set_device_class::*;
pub use set_hired::*;
pub use set_modifiers::*;
pub use set_node_state::*;
pub use set_paused::*;
pub use slash_malicious::*;
pub use stake::*;
pub use update_params::*;
pub use uphold_appeal::*;
pub use withdraw::*;

pub mod close_position;
pub mod close_slash;
pub mod deregister_node;
pub mod sweep_escrow_vault;
pub mod sweep_node_vault;

pub use close_position::*;
pub use close_slash::*;
pub use deregister_node::*;
pub use sweep_escrow_vault::*;
pub use sweep_node_vault::*;
