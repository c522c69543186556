mod crank;
mod rewards;
mod stake;
