pub mod config;
pub mod listing;
pub mod reservation;

pub use config::*;
pub use listing::*;
pub use reservation::*;
