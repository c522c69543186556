mod admin;
mod fees;
mod lifecycle;
mod listing;
mod model;
