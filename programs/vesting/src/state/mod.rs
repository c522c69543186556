pub mod config;
pub mod pool;
pub mod schedule;

pub use config::*;
pub use pool::*;
pub use schedule::*;
