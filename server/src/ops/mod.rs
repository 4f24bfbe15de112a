//! Operations: health and readiness probes, Prometheus metrics.

pub mod health;
pub mod metrics;
