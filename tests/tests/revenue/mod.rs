mod admin;
mod burn;
mod costs;
mod fill;
mod idl;
mod initialize;
mod model;
mod sdk;
