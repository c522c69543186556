mod admin;
mod burn;
mod fill;
mod idl;
mod initialize;
mod model;
mod sdk;
