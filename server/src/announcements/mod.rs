//! Announcements: organisers post, each audience's topic carries its history live.

pub mod repo;
pub mod routes;
pub mod service;
