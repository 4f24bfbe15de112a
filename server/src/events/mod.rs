//! Events (one hackathon each) and their challenges. `routes` → `service` → `repo`.

pub mod agenda;
pub mod phases;
pub mod repo;
pub mod routes;
pub mod service;
