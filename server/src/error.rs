//! The server's one error type.
//!
//! Handlers and services return [`AppError`]. Turning it into a response has no side effects:
//! `IntoResponse` only records what went wrong in the response extensions; the
//! [`crate::http::middleware::render_errors`] middleware then writes the JSON body in the
//! language the request asked for, and logs internal errors. Which variant to use:
//! - a client mistake with a stable code → `AppError::Api(code)`;
//! - refused fields → `AppError::Validation(issues)` (422 with details);
//! - anything unexpected (database down, bug) → `AppError::Internal` (500, logged, never shown).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hackops_shared::error::ErrorCode;
use hackops_shared::validation::{FieldIssue, Issues};
use sea_orm::{DbErr, SqlErr};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{}", .0.as_str())]
    Api(ErrorCode),
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldIssue>),
    #[error("rate limited, retry after {retry_after_secs}s")]
    RateLimited { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::Api(code)
    }
}

impl From<Issues> for AppError {
    fn from(issues: Issues) -> Self {
        AppError::Validation(issues.0)
    }
}

impl From<DbErr> for AppError {
    /// Constraint violations are the client's conflict (409), not our failure (500).
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Api(ErrorCode::Conflict),
            _ => AppError::Internal(anyhow::Error::new(err)),
        }
    }
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Api(code) => *code,
            AppError::Validation(_) => ErrorCode::ValidationFailed,
            AppError::RateLimited { .. } => ErrorCode::RateLimited,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn field(field: &'static str, code: hackops_shared::error::FieldCode) -> Self {
        AppError::Validation(vec![FieldIssue::new(field, code)])
    }
}

/// What the error middleware needs to write the body: stored in the response extensions.
#[derive(Clone, Debug)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub issues: Vec<FieldIssue>,
    pub internal: Option<Arc<anyhow::Error>>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.code();
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = status.into_response();
        let (issues, internal) = match self {
            AppError::Validation(issues) => (issues, None),
            AppError::RateLimited { retry_after_secs } => {
                response
                    .headers_mut()
                    .insert(http::header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                (Vec::new(), None)
            }
            AppError::Internal(err) => (Vec::new(), Some(Arc::new(err))),
            AppError::Api(_) => (Vec::new(), None),
        };
        response.extensions_mut().insert(ErrorPayload { code, issues, internal });
        response
    }
}
