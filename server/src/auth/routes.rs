//! HTTP side of accounts and sessions.

use super::extract::AuthUser;
use super::service;
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::http::json::{ApiJson, ApiJsonOrEmpty};
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use hackops_shared::auth::{
    LoginRequest, MeResponse, RefreshRequest, RegisterRequest, TokenResponse,
};
use hackops_shared::error::{ErrorBody, ErrorCode};
use std::net::SocketAddr;

pub const REFRESH_COOKIE: &str = "hackops_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
        .route("/auth/refresh", post(refresh))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
}

/// The refresh token also travels as an HttpOnly, SameSite=Strict cookie scoped to the auth
/// routes: browsers keep the session across reloads without any script seeing the token.
fn with_session_cookie(state: &AppState, jar: CookieJar, session: &TokenResponse) -> CookieJar {
    let max_age = time::Duration::seconds(
        i64::try_from(state.config.refresh_token_ttl.as_secs()).unwrap_or(i64::MAX),
    );
    jar.add(
        Cookie::build((REFRESH_COOKIE, session.refresh_token.clone()))
            .http_only(true)
            .secure(state.config.secure_cookies())
            .same_site(SameSite::Strict)
            .path(COOKIE_PATH)
            .max_age(max_age),
    )
}

fn without_session_cookie(jar: CookieJar) -> CookieJar {
    jar.remove(Cookie::build(REFRESH_COOKIE).path(COOKIE_PATH))
}

/// Create an account; it is signed in at once.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = TokenResponse),
        (status = 409, description = "`email_taken`", body = ErrorBody),
        (status = 422, description = "`validation_failed` with field details", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    ApiJson(request): ApiJson<RegisterRequest>,
) -> AppResult<impl IntoResponse> {
    let session = service::register(&state, addr.ip(), request).await?;
    let jar = with_session_cookie(&state, jar, &session);
    Ok((StatusCode::CREATED, jar, ApiJson(session)))
}

/// Sign in with email and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "`invalid_credentials` (same answer whether or not the account exists)", body = ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    ApiJson(request): ApiJson<LoginRequest>,
) -> AppResult<impl IntoResponse> {
    let session = service::login(&state, addr.ip(), request).await?;
    let jar = with_session_cookie(&state, jar, &session);
    Ok((jar, ApiJson(session)))
}

/// Exchange a refresh token (body or cookie) for a new access token and a new refresh token.
/// Each refresh token works once; reusing one revokes the whole session.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body(content = RefreshRequest, description = "Optional: browsers send `{}` and the cookie"),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "`unauthenticated`, `token_expired`, `token_invalid`, `token_wrong_type` or `token_revoked`", body = ErrorBody),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    jar: CookieJar,
    ApiJsonOrEmpty(request): ApiJsonOrEmpty<RefreshRequest>,
) -> AppResult<impl IntoResponse> {
    let token = request
        .refresh_token
        .or_else(|| jar.get(REFRESH_COOKIE).map(|c| c.value().to_owned()))
        .ok_or(AppError::Api(ErrorCode::Unauthenticated))?;
    match service::refresh(&state, &token).await {
        Ok(session) => {
            let jar = with_session_cookie(&state, jar, &session);
            Ok((jar, ApiJson(session)).into_response())
        }
        Err(err) => Ok((without_session_cookie(jar), err).into_response()),
    }
}

/// End the session (the refresh token's whole family). Always succeeds.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body(content = RefreshRequest, description = "Optional: browsers send `{}` and the cookie"),
    responses((status = 204, description = "Signed out")))]
pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    ApiJsonOrEmpty(request): ApiJsonOrEmpty<RefreshRequest>,
) -> AppResult<impl IntoResponse> {
    let token =
        request.refresh_token.or_else(|| jar.get(REFRESH_COOKIE).map(|c| c.value().to_owned()));
    service::logout(&state, token.as_deref()).await?;
    Ok((StatusCode::NO_CONTENT, without_session_cookie(jar)))
}

/// The signed-in account, its organisations and its roles per event.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = MeResponse),
        (status = 401, description = "`unauthenticated`, `token_expired`, `token_invalid` or `token_wrong_type`", body = ErrorBody),
    ))]
pub async fn me(State(state): State<AppState>, user: AuthUser) -> AppResult<ApiJson<MeResponse>> {
    service::me(&state.db, user.id).await.map(ApiJson)
}
