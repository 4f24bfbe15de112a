//! Accounts and sessions: sign-up, sign-in, refresh-token rotation with reuse detection,
//! sign-out, and loading the [`Principal`] the policy decides on.

use super::password;
use super::policy::Principal;
use super::repo::{self, NewRefreshToken, NewUser, User};
use super::tokens::{TokenKeys, TokenType};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use hackops_shared::auth::{
    EventRoleDto, LoginRequest, MeResponse, RegisterRequest, TokenResponse, UserDto,
};
use hackops_shared::error::ErrorCode;
use hackops_shared::ids::{EventId, OrganisationId, UserId};
use hackops_shared::lang::Lang;
use hackops_shared::validation::Email;
use sea_orm::{ConnectionTrait, TransactionTrait};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use time::OffsetDateTime;
use uuid::Uuid;

pub fn user_dto(user: &User) -> UserDto {
    UserDto {
        id: UserId(user.id),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        locale: Lang::from_tag(&user.locale).unwrap_or_default(),
        is_admin: user.is_admin,
        created_at: user.created_at,
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Issues an access token and the next refresh token of a session family.
async fn issue_session(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    user: &User,
    family_id: Uuid,
) -> AppResult<TokenResponse> {
    let access = keys.issue(TokenType::Access, user.id, Uuid::new_v4(), Some(family_id))?;
    let refresh_id = Uuid::new_v4();
    let refresh = keys.issue(TokenType::Refresh, user.id, refresh_id, Some(family_id))?;
    repo::insert_refresh_token(
        db,
        NewRefreshToken {
            id: refresh_id,
            user_id: user.id,
            family_id,
            token_hash: token_hash(&refresh.token),
            expires_at: OffsetDateTime::from_unix_timestamp(refresh.claims.exp)
                .map_err(anyhow::Error::from)?,
        },
    )
    .await?;
    Ok(TokenResponse {
        access_token: access.token,
        token_type: "Bearer".to_owned(),
        expires_in: keys.access_ttl.as_secs(),
        refresh_token: refresh.token,
        user: user_dto(user),
    })
}

/// Creates an account and signs it in. The email is unique (409 `email_taken`).
pub async fn register(
    state: &AppState,
    ip: IpAddr,
    request: RegisterRequest,
) -> AppResult<TokenResponse> {
    state.limiter.check_registration(ip)?;
    let valid = request.validate()?;
    let password_hash = password::hash(valid.password.expose().to_owned()).await?;
    let txn = state.db.begin().await?;
    if repo::find_user_by_email(&txn, valid.email.as_str()).await?.is_some() {
        return Err(ErrorCode::EmailTaken.into());
    }
    let user = repo::insert_user(
        &txn,
        NewUser {
            email: valid.email.as_str(),
            password_hash,
            display_name: &valid.display_name,
            locale: valid.locale.code(),
        },
    )
    .await
    .map_err(|err| match AppError::from(err) {
        AppError::Api(ErrorCode::Conflict) => AppError::Api(ErrorCode::EmailTaken),
        other => other,
    })?;
    let session = issue_session(&txn, &state.tokens, &user, Uuid::new_v4()).await?;
    txn.commit().await?;
    tracing::info!(user_id = %user.id, "account created");
    Ok(session)
}

/// Signs in. Every failure is the same `invalid_credentials`, after the same amount of work.
pub async fn login(
    state: &AppState,
    ip: IpAddr,
    request: LoginRequest,
) -> AppResult<TokenResponse> {
    let email = Email::parse(&request.email)
        .map(|e| e.as_str().to_owned())
        .unwrap_or_else(|_| request.email.trim().to_lowercase());
    state.limiter.check_login(ip, &email)?;
    let user = repo::find_user_by_email(&state.db, &email).await?;
    let ok =
        password::verify(request.password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    match user {
        Some(user) if ok => issue_session(&state.db, &state.tokens, &user, Uuid::new_v4()).await,
        _ => Err(ErrorCode::InvalidCredentials.into()),
    }
}

/// Exchanges a refresh token for a new pair. A token used twice means it leaked: the whole
/// session is revoked.
pub async fn refresh(state: &AppState, token: &str) -> AppResult<TokenResponse> {
    let claims = state.tokens.verify(token, TokenType::Refresh)?;
    let txn = state.db.begin().await?;
    let stored =
        repo::find_refresh_token(&txn, claims.jti).await?.ok_or(ErrorCode::TokenRevoked)?;
    if stored.token_hash != token_hash(token) || stored.user_id != claims.sub {
        return Err(ErrorCode::TokenInvalid.into());
    }
    if stored.revoked_at.is_some() {
        return Err(ErrorCode::TokenRevoked.into());
    }
    if stored.used_at.is_some() || !repo::consume_refresh_token(&txn, stored.id).await? {
        repo::revoke_family(&txn, stored.family_id).await?;
        txn.commit().await?;
        state.realtime.revoke_session(stored.family_id).await;
        tracing::warn!(user_id = %stored.user_id, family = %stored.family_id, "refresh token reused: session revoked");
        return Err(ErrorCode::TokenRevoked.into());
    }
    let user = repo::find_user(&txn, stored.user_id).await?.ok_or(ErrorCode::TokenRevoked)?;
    let session = issue_session(&txn, &state.tokens, &user, stored.family_id).await?;
    txn.commit().await?;
    Ok(session)
}

/// Ends the session the refresh token belongs to. Unknown or expired tokens are fine: the
/// result (no session) is the same.
pub async fn logout(state: &AppState, token: Option<&str>) -> AppResult<()> {
    let Some(token) = token else { return Ok(()) };
    let Ok(claims) = state.tokens.verify(token, TokenType::Refresh) else { return Ok(()) };
    if let Some(stored) = repo::find_refresh_token(&state.db, claims.jti).await? {
        if stored.token_hash == token_hash(token) {
            repo::revoke_family(&state.db, stored.family_id).await?;
            state.realtime.revoke_session(stored.family_id).await;
        }
    }
    Ok(())
}

pub async fn principal(db: &impl ConnectionTrait, user_id: UserId) -> AppResult<Principal> {
    let grants = repo::grants_of(db, user_id.0).await?.ok_or(ErrorCode::TokenRevoked)?;
    let mut principal =
        Principal { user_id: Some(user_id), is_admin: grants.is_admin, ..Default::default() };
    principal.organisations = grants.organisations.into_iter().map(OrganisationId).collect();
    for (event, role) in grants.event_roles {
        principal.event_roles.entry(EventId(event)).or_default().insert(role);
    }
    Ok(principal)
}

pub async fn me(db: &impl ConnectionTrait, user_id: UserId) -> AppResult<MeResponse> {
    let user = repo::find_user(db, user_id.0).await?.ok_or(ErrorCode::TokenRevoked)?;
    let grants = repo::grants_of(db, user.id).await?.ok_or(ErrorCode::TokenRevoked)?;
    let organisations = grants.organisations.into_iter().map(OrganisationId).collect();
    let event_roles = grants
        .event_roles
        .into_iter()
        .map(|(event, role)| EventRoleDto { event_id: EventId(event), role })
        .collect();
    Ok(MeResponse { user: user_dto(&user), organisations, event_roles })
}

/// Creates an account outside the HTTP flow (demo seed, CLI). Returns the existing one when
/// the email is taken.
pub async fn ensure_user(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
    display_name: &str,
    locale: Lang,
) -> AppResult<User> {
    if let Some(user) = repo::find_user_by_email(db, email).await? {
        return Ok(user);
    }
    let password_hash = password::hash(password.to_owned()).await?;
    Ok(repo::insert_user(db, NewUser { email, password_hash, display_name, locale: locale.code() })
        .await?)
}

pub async fn set_admin(db: &impl ConnectionTrait, email: &str, is_admin: bool) -> AppResult<User> {
    let user = repo::find_user_by_email(db, &email.trim().to_lowercase())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    repo::set_admin(db, user.id, is_admin).await?;
    Ok(user)
}

pub use repo::{grant_event_role, revoke_event_role};

/// Display names of accounts, for other features' DTOs.
pub async fn display_names(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> AppResult<std::collections::HashMap<Uuid, String>> {
    Ok(repo::display_names(db, ids).await?)
}
