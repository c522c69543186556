mod admin;
mod costs;
mod genesis;
mod idl;
mod initialize;
mod lock;
mod mint_emission;
mod model;
