pub mod config;
pub mod device_class;
pub mod node;
pub mod position;

pub use config::*;
pub use device_class::*;
pub use node::*;
pub use position::*;
pub mod history;
pub mod slash;

pub use history::*;
pub use slash::*;
pub mod ledger;

pub use ledger::*;
