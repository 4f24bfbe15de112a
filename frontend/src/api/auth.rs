//! `/auth/*` and `/me`.

use super::{get, post, post_empty, ApiError};
use hackops_shared::auth::{LoginRequest, MeResponse, RegisterRequest, TokenResponse};
use hackops_shared::lang::Lang;
use serde_json::{json, Value};

pub async fn register(request: &RegisterRequest, lang: Lang) -> Result<TokenResponse, ApiError> {
    post("/auth/register", request, lang, None).await
}

pub async fn login(request: &LoginRequest, lang: Lang) -> Result<TokenResponse, ApiError> {
    post("/auth/login", request, lang, None).await
}

/// Trades the refresh cookie for a new access token (and a rotated cookie).
pub async fn refresh(lang: Lang) -> Result<TokenResponse, ApiError> {
    post("/auth/refresh", &empty(), lang, None).await
}

pub async fn logout(lang: Lang, token: Option<&str>) -> Result<(), ApiError> {
    post_empty("/auth/logout", &empty(), lang, token).await
}

pub async fn me(lang: Lang, token: &str) -> Result<MeResponse, ApiError> {
    get("/me", lang, Some(token)).await
}

fn empty() -> Value {
    json!({})
}
