//! The open data pool: datasets, resources (uploaded files or links), streaming downloads.
//! `routes` → `service` → `repo`; files go through [`crate::storage`].

pub mod ckan;
pub mod harvest;
pub mod repo;
pub mod routes;
pub mod service;
pub mod standards;
pub mod tabular;
