mod costs;
mod crank;
mod lifecycle;
mod rewards;
mod stake;
