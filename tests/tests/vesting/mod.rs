mod admin;
mod claim;
mod pools;
mod schedules;
