pub mod emission;
pub mod simulate;
