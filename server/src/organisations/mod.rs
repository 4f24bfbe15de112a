//! Organisations (local authorities) that run events. `routes` → `service` → `repo`.

pub mod repo;
pub mod routes;
pub mod service;
