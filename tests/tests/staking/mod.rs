mod admin;
mod costs;
mod crank;
mod lifecycle;
mod model;
mod rewards;
mod stake;
