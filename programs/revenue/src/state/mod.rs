pub mod config;
pub mod day_record;
pub mod totals;

pub use config::*;
pub use day_record::*;
pub use totals::*;
