//! API integration tests: one binary, a real server on a random port per test, against
//! SQLite (default) or PostgreSQL + Redis (`HACKOPS_TEST_DB=postgres`).

mod announcements;
mod auth;
mod authz;
mod cli;
mod dashboard;
mod datasets;
mod events;
mod handout;
mod harvest;
mod helpers;
mod ops;
mod participation;
mod phases;
mod realtime;
mod web;
