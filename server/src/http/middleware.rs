//! Middleware that every response passes through.

use crate::error::ErrorPayload;
use crate::ops::metrics::Metrics;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hackops_shared::error::ErrorBody;
use std::sync::Arc;
use std::time::Instant;

/// Writes the JSON error body in the request's language for every response that carries an
/// [`ErrorPayload`], and logs internal errors with the request id in scope.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let lang = super::lang::from_headers(request.headers());
    let response = next.run(request).await;
    let Some(payload) = response.extensions().get::<ErrorPayload>().cloned() else {
        return response;
    };
    if let Some(err) = &payload.internal {
        tracing::error!(error = ?err, "internal error");
    }
    let mut body = ErrorBody::new(payload.code, lang);
    body.details = payload.issues.iter().map(|issue| issue.localized(lang)).collect();
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut rendered = (parts.status, axum::Json(body)).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}

/// The Content-Security-Policy of the app: same-origin only, WASM allowed, no inline script.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws: wss:; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Security headers on every response; API responses are never cached.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if is_api && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Counts requests and their durations per route template (never per raw path, so the
/// label set stays bounded).
pub async fn record_metrics(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route =
        request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(
            || {
                if request.uri().path().starts_with("/api/") { "/api/unmatched" } else { "/app" }
                    .to_owned()
            },
        );
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.observe_request(&method, &route, response.status().as_u16(), started.elapsed());
    response
}
