use super::service;
use crate::app::AppState;
use crate::auth::extract::{AuthUser, MaybeUser};
use crate::error::AppResult;
use crate::events::routes::{event_id, principal_of, signed_in, uuid_of};
use crate::http::json::ApiJson;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use hackops_shared::announcements::{
    AnnouncementDto, AnnouncementList, CreateAnnouncementRequest, PinRequest,
};
use hackops_shared::error::ErrorBody;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/announcements", get(list).post(create))
        .route("/events/{id}/announcements/{announcement}", delete(remove))
        .route("/events/{id}/announcements/{announcement}/pin", post(pin))
}

/// The announcements the caller may see: pinned first, then newest first. Live on the topics
/// `announcements:<event>:<audience>`.
#[utoipa::path(get, path = "/api/v1/events/{id}/announcements", tag = "announcements", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = AnnouncementList), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<AnnouncementList>> {
    let id = event_id(&id)?;
    let principal = principal_of(&state, user).await?;
    service::list(&state.db, principal.as_ref(), id).await.map(ApiJson)
}

/// Post an announcement to everyone, to participants, or to one challenge's teams (organisers).
#[utoipa::path(post, path = "/api/v1/events/{id}/announcements", tag = "announcements", request_body = CreateAnnouncementRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 201, body = AnnouncementDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CreateAnnouncementRequest>,
) -> AppResult<(StatusCode, ApiJson<AnnouncementDto>)> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    let announcement = service::create(&state.db, &state.realtime, &principal, id, request).await?;
    Ok((StatusCode::CREATED, ApiJson(announcement)))
}

/// Pin or unpin an announcement (organisers).
#[utoipa::path(post, path = "/api/v1/events/{id}/announcements/{announcement}/pin", tag = "announcements", request_body = PinRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("announcement" = String, Path, description = "Announcement id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn pin(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, announcement)): Path<(String, String)>,
    ApiJson(request): ApiJson<PinRequest>,
) -> AppResult<StatusCode> {
    let (id, announcement) = (event_id(&id)?, uuid_of(&announcement)?);
    let principal = signed_in(&state, user).await?;
    service::pin(&state.db, &state.realtime, &principal, id, announcement, request.pinned).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove an announcement (organisers).
#[utoipa::path(delete, path = "/api/v1/events/{id}/announcements/{announcement}", tag = "announcements", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("announcement" = String, Path, description = "Announcement id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, announcement)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (id, announcement) = (event_id(&id)?, uuid_of(&announcement)?);
    let principal = signed_in(&state, user).await?;
    service::remove(&state.db, &state.realtime, &principal, id, announcement).await?;
    Ok(StatusCode::NO_CONTENT)
}
