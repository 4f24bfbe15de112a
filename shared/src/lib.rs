//! The Hackops wire contract, compiled into both the server and the WASM front end.
//!
//! - [`ids`]: typed identifiers (newtypes over UUIDs).
//! - [`error`]: the JSON error body and its stable machine-readable codes.
//! - [`lang`]: the languages the product speaks.
//! - [`validation`]: pure input rules, used by the forms and by the handlers alike.
//! - [`announcements`], [`auth`], [`datasets`], [`events`], [`handout`], [`organisations`],
//!   [`registrations`], [`teams`]: REST DTOs, one module per feature.
//! - [`ws`]: the realtime protocol (topics, client and server messages, close codes).
//!
//! This crate depends on serde, uuid, time and thiserror only (plus utoipa behind the
//! server-only `openapi` feature), so it always builds for `wasm32-unknown-unknown`.

pub mod announcements;
pub mod auth;
pub mod dashboard;
pub mod datasets;
pub mod error;
pub mod events;
pub mod handout;
pub mod ids;
pub mod lang;
pub mod organisations;
pub mod registrations;
pub mod teams;
pub mod validation;
pub mod ws;

/// The prefix of every versioned REST route.
pub const API_PREFIX: &str = "/api/v1";
