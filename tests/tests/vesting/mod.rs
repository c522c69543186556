mod admin;
mod claim;
mod costs;
mod pools;
mod schedules;
