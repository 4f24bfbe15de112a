//! HTTP plumbing shared by every feature: the JSON extractor, the request language,
//! middleware (errors, security headers, metrics) and the single-page app.

pub mod json;
pub mod lang;
pub mod middleware;
pub mod web;
