//! Hand-out to teams: datasets of the pool attached to challenges (embargoed until the hacking
//! phase if the organisers want), licence acceptance, signed expiring download links and
//! download counts per team. `routes` → `service` → `repo`; `links` signs and checks links.

pub mod links;
pub mod repo;
pub mod routes;
pub mod service;
