//! A typed client for the Hackops REST API, over the DTOs of `hackops-shared`.
//!
//! Every call answers `Result<T, ApiError>`. The API speaks JSON on the same origin, so the
//! browser sends the HttpOnly refresh cookie by itself (fetch's `same-origin` default).

pub mod auth;
pub mod events;
pub mod handout;
pub mod manage;
pub mod ops;
pub mod pool;

use crate::i18n;
use gloo_net::http::{Request, RequestBuilder, Response};
use hackops_shared::error::{ErrorBody, ErrorCode};
use hackops_shared::lang::Lang;
use hackops_shared::API_PREFIX;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a call failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server answered with its error body.
    Api { status: u16, body: ErrorBody },
    /// The request never got an answer (offline, server down, blocked).
    Network,
    /// The answer was not what the contract promises.
    Unexpected { status: u16 },
}

impl ApiError {
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Api { body, .. } => Some(body.code),
            _ => None,
        }
    }

    pub fn is(&self, code: ErrorCode) -> bool {
        self.code() == Some(code)
    }

    /// The sentence to show, in the interface's language (never the server's wording, so
    /// a language switch after the error still reads right).
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            ApiError::Api { body, .. } => body.code.message(lang),
            ApiError::Network => i18n::texts(lang).network_error,
            ApiError::Unexpected { .. } => i18n::texts(lang).unexpected_error,
        }
    }
}

/// Keeps a value taken from the address bar or a form inside its path segment or query
/// parameter.
pub(crate) fn encode(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

fn with_headers(builder: RequestBuilder, lang: Lang, token: Option<&str>) -> RequestBuilder {
    let builder =
        builder.header("Accept", "application/json").header("Accept-Language", lang.code());
    match token {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|_| ApiError::Unexpected { status: 0 })?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(error_from(response).await)
    }
}

async fn error_from(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => ApiError::Api { status, body },
        // A proxy's HTML page or an error code newer than this build: keep the status.
        Err(_) => {
            let code = match status {
                401 => Some(ErrorCode::Unauthenticated),
                403 => Some(ErrorCode::Forbidden),
                404 => Some(ErrorCode::NotFound),
                429 => Some(ErrorCode::RateLimited),
                502..=504 => Some(ErrorCode::ServiceUnavailable),
                500..=599 => Some(ErrorCode::Internal),
                _ => None,
            };
            match code {
                Some(code) => ApiError::Api { status, body: ErrorBody::new(code, Lang::En) },
                None => ApiError::Unexpected { status },
            }
        }
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Unexpected { status })?;
    parse(&text).ok_or(ApiError::Unexpected { status })
}

/// Reads a DTO from JSON text. The realtime link decodes its topic states here too, so each
/// DTO's decoder exists once in the WASM.
#[inline(never)]
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

pub(crate) async fn get<T: DeserializeOwned>(
    path: &str,
    lang: Lang,
    token: Option<&str>,
) -> Result<T, ApiError> {
    let request = with_headers(Request::get(&url(path)), lang, token).build();
    decode(send(request).await?).await
}

pub(crate) async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    lang: Lang,
    token: Option<&str>,
) -> Result<T, ApiError> {
    let request = with_headers(Request::post(&url(path)), lang, token).json(body);
    decode(send(request).await?).await
}

/// A POST whose success carries no body (204).
pub(crate) async fn post_empty<B: Serialize>(
    path: &str,
    body: &B,
    lang: Lang,
    token: Option<&str>,
) -> Result<(), ApiError> {
    let request = with_headers(Request::post(&url(path)), lang, token).json(body);
    send(request).await.map(drop)
}

/// The verbs of writes besides POST.
#[derive(Clone, Copy)]
pub(crate) enum Verb {
    Put,
    Patch,
    Delete,
}

/// A PUT, PATCH or DELETE with a JSON body (`None` for none); the answer is decoded into `T`.
pub(crate) async fn write<B: Serialize, T: DeserializeOwned>(
    verb: Verb,
    path: &str,
    body: Option<&B>,
    lang: Lang,
    token: Option<&str>,
) -> Result<T, ApiError> {
    decode(send(write_request(verb, path, body, lang, token)).await?).await
}

/// A PUT, PATCH or DELETE whose success carries no body the page needs.
pub(crate) async fn write_empty<B: Serialize>(
    verb: Verb,
    path: &str,
    body: Option<&B>,
    lang: Lang,
    token: Option<&str>,
) -> Result<(), ApiError> {
    send(write_request(verb, path, body, lang, token)).await.map(drop)
}

fn write_request<B: Serialize>(
    verb: Verb,
    path: &str,
    body: Option<&B>,
    lang: Lang,
    token: Option<&str>,
) -> Result<Request, gloo_net::Error> {
    let path = url(path);
    let builder = match verb {
        Verb::Put => Request::put(&path),
        Verb::Patch => Request::patch(&path),
        Verb::Delete => Request::delete(&path),
    };
    let builder = with_headers(builder, lang, token);
    match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
}
