//! Extractors that authenticate a request from its `Authorization: Bearer` header.

use super::tokens::TokenType;
use crate::app::AppState;
use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use hackops_shared::error::ErrorCode;
use hackops_shared::ids::UserId;

/// A request made with a valid access token. Missing token → 401 `unauthenticated`.
#[derive(Clone, Copy, Debug)]
pub struct AuthUser {
    pub id: UserId,
}

/// A request that may be anonymous. A token that is present but bad is still an error, so a
/// client learns its session expired instead of silently seeing less.
#[derive(Clone, Copy, Debug)]
pub struct MaybeUser(pub Option<AuthUser>);

fn bearer(parts: &Parts) -> Result<Option<&str>, AppError> {
    let Some(value) = parts.headers.get(http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| AppError::Api(ErrorCode::TokenInvalid))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim()))
        }
        _ => Err(ErrorCode::TokenInvalid.into()),
    }
}

fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<AuthUser>, AppError> {
    let Some(token) = bearer(parts)? else { return Ok(None) };
    let claims = state.tokens.verify(token, TokenType::Access)?;
    Ok(Some(AuthUser { id: UserId(claims.sub) }))
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(parts, state)?.ok_or(AppError::Api(ErrorCode::Unauthenticated))
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(parts, state).map(MaybeUser)
    }
}
