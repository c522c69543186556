mod admin;
mod genesis;
mod initialize;
mod mint_emission;
