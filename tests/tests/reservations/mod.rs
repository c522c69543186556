mod admin;
mod costs;
mod failure;
mod fees;
mod lifecycle;
mod listing;
mod model;
mod sdk;
