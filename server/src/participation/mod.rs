//! Taking part in an event: registrations (capacity, waitlist, moderation) and teams (invite
//! codes or join requests the captain decides, size limits that hold under concurrency,
//! captaincy, lock). `routes` → `service` → `repo`.

pub mod repo;
pub mod routes;
pub mod service;
