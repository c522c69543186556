mod admin;
mod failure;
mod fees;
mod lifecycle;
mod listing;
mod model;
mod sdk;
