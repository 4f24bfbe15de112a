//! Accounts, sessions and permissions.
//!
//! - `routes`: `/api/v1/auth/*` and `/api/v1/me`.
//! - `service`: sign-up, sign-in, refresh rotation, sign-out, principals.
//! - `repo`: storage (the only file here that names entities).
//! - `tokens`: JWT issue/verify; `password`: argon2id; `rate_limit`: login throttling.
//! - `policy`: the one place roles become permissions; `extract`: `AuthUser`, `MaybeUser`.

pub mod extract;
pub mod password;
pub mod policy;
pub mod rate_limit;
pub mod repo;
pub mod routes;
pub mod service;
pub mod tokens;
