//! The language a request asked for (`Accept-Language`), English by default.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use hackops_shared::lang::Lang;
use std::convert::Infallible;

pub fn from_headers(headers: &HeaderMap) -> Lang {
    headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::negotiate)
        .unwrap_or_default()
}

/// Extractor: `RequestLang(lang)`.
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestLang(from_headers(&parts.headers)))
    }
}
