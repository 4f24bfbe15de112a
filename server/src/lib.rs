//! The Hackops server.
//!
//! - [`app`]: state, router assembly, `Application { build, port, run_until_stopped }`.
//! - [`config`]: the one typed configuration (flags > env > defaults).
//! - [`error`]: `AppError`, turned into `{code, message, details}` bodies.
//! - [`http`]: JSON extractor, request language, middleware, the single-page app.
//! - [`auth`], [`organisations`], [`events`], [`participation`], [`announcements`], [`datasets`],
//!   [`handout`]: features, each `routes` → `service` → `repo`.
//! - [`realtime`]: websockets, versioned topics, Redis fan-out; [`topics`] wires features in.
//! - [`db`]: connection, migrations, entities. [`ops`]: probes and metrics.
//! - [`openapi`]: the OpenAPI 3.1 document. [`demo`]: the `--demo` seed.

pub mod announcements;
pub mod app;
pub mod auth;
pub mod config;
pub mod dashboard;
pub mod datasets;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod handout;
pub mod http;
pub mod openapi;
pub mod ops;
pub mod organisations;
pub mod participation;
pub mod realtime;
pub mod storage;
pub mod telemetry;
pub mod topics;
