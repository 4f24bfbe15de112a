//! `ApiJson<T>`: the JSON body extractor (and responder) of the API.
//!
//! Unlike `axum::Json`, every refusal becomes our error body: wrong content type → 415
//! `unsupported_media_type`; body over the limit → 413 `payload_too_large`; broken JSON →
//! 400 `malformed_json`; missing or wrong-typed fields → 422 `validation_failed` with the
//! field named in `details`.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use hackops_shared::error::{ErrorCode, FieldCode};
use hackops_shared::validation::FieldIssue;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub struct ApiJson<T>(pub T);

/// Like [`ApiJson`], but an empty body (with or without a content type) is `T::default()`.
pub struct ApiJsonOrEmpty<T>(pub T);

fn is_json(req: &Request) -> bool {
    let Some(value) = req.headers().get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::Api(ErrorCode::PayloadTooLarge)
        } else {
            AppError::Api(ErrorCode::MalformedJson)
        }
    })
}

/// Decodes JSON: a syntax error is `malformed_json` (400); a well-formed body of the wrong
/// shape is `validation_failed` (422) naming the offending field.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| AppError::Api(ErrorCode::MalformedJson))?;
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let (field, code) = match message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            Some(missing) => (join_path(&path, missing), FieldCode::Required),
            None => (if path == "." { "body".to_owned() } else { path }, FieldCode::InvalidValue),
        };
        AppError::Validation(vec![FieldIssue::new(field, code)])
    })
}

fn join_path(path: &str, field: &str) -> String {
    if path.is_empty() || path == "." {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(AppError::Api(ErrorCode::UnsupportedMediaType));
        }
        let bytes = read_body(req, state).await?;
        decode(&bytes).map(ApiJson)
    }
}

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for ApiJsonOrEmpty<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json(&req);
        let has_content_type = req.headers().contains_key(http::header::CONTENT_TYPE);
        let bytes = read_body(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(ApiJsonOrEmpty(T::default()));
        }
        if has_content_type && !json {
            return Err(AppError::Api(ErrorCode::UnsupportedMediaType));
        }
        decode(&bytes).map(ApiJsonOrEmpty)
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hackops_shared::auth::LoginRequest;

    fn issues(err: AppError) -> Vec<FieldIssue> {
        match err {
            AppError::Validation(issues) => issues,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn broken_json_is_malformed() {
        for body in
            [&b"{"[..], b"not json", b"{\"email\": \"a\", \"password\": \"b\"} trailing", b""]
        {
            let err = decode::<LoginRequest>(body).expect_err("must fail");
            assert_eq!(err.code(), ErrorCode::MalformedJson, "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn missing_and_wrong_typed_fields_are_named() {
        let err = decode::<LoginRequest>(br#"{"email":"a@b.org"}"#).expect_err("missing");
        assert_eq!(issues(err), vec![FieldIssue::new("password", FieldCode::Required)]);
        let err = decode::<LoginRequest>(br#"{"email":5,"password":"x"}"#).expect_err("wrong type");
        assert_eq!(issues(err), vec![FieldIssue::new("email", FieldCode::InvalidValue)]);
    }
}
