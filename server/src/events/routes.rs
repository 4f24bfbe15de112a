use super::service;
use crate::app::AppState;
use crate::auth::extract::{AuthUser, MaybeUser};
use crate::auth::policy::Principal;
use crate::error::{AppError, AppResult};
use crate::http::json::ApiJson;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use hackops_shared::error::{ErrorBody, ErrorCode};
use hackops_shared::events::{
    ChallengeList, CreateEventRequest, EventDto, EventList, UpdateEventRequest,
};
use hackops_shared::ids::EventId;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list).post(create))
        .route("/events/{id}", get(show).patch(update))
        .route("/events/{id}/challenges", get(challenges))
}

/// A path id that is not a UUID is simply an event that does not exist.
fn event_id(raw: &str) -> Result<EventId, AppError> {
    raw.parse().map_err(|_| AppError::Api(ErrorCode::NotFound))
}

async fn principal_of(state: &AppState, user: MaybeUser) -> AppResult<Option<Principal>> {
    match user.0 {
        Some(user) => Ok(Some(crate::auth::service::principal(&state.db, user.id).await?)),
        None => Ok(None),
    }
}

/// Events the caller may see, soonest first (drafts only for their organisers and judges).
#[utoipa::path(get, path = "/api/v1/events", tag = "events", responses((status = 200, body = EventList)))]
pub async fn list(State(state): State<AppState>, user: MaybeUser) -> AppResult<ApiJson<EventList>> {
    let principal = principal_of(&state, user).await?;
    service::list(&state.db, principal.as_ref()).await.map(ApiJson)
}

/// Create a draft event for an organisation you organise for.
#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = CreateEventRequest, security(("bearer" = [])),
    responses(
        (status = 201, body = EventDto),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`forbidden`: not an organiser of that organisation", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(request): ApiJson<CreateEventRequest>,
) -> AppResult<(StatusCode, ApiJson<EventDto>)> {
    let principal = crate::auth::service::principal(&state.db, user.id).await?;
    let event = service::create(&state.db, &state.realtime, &principal, request).await?;
    Ok((StatusCode::CREATED, ApiJson(event)))
}

/// One event.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventDto), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<EventDto>> {
    let id = event_id(&id)?;
    let principal = principal_of(&state, user).await?;
    service::get(&state.db, principal.as_ref(), id).await.map(ApiJson)
}

/// Change some fields of an event (organisers of the event).
#[utoipa::path(patch, path = "/api/v1/events/{id}", tag = "events", request_body = UpdateEventRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses(
        (status = 200, body = EventDto),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<UpdateEventRequest>,
) -> AppResult<ApiJson<EventDto>> {
    let id = event_id(&id)?;
    let principal = crate::auth::service::principal(&state.db, user.id).await?;
    service::update(&state.db, &state.realtime, &principal, id, patch).await.map(ApiJson)
}

/// The challenges of an event, in order.
#[utoipa::path(get, path = "/api/v1/events/{id}/challenges", tag = "events", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = ChallengeList), (status = 404, body = ErrorBody)))]
pub async fn challenges(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ChallengeList>> {
    let id = event_id(&id)?;
    let principal = principal_of(&state, user).await?;
    service::challenges(&state.db, principal.as_ref(), id).await.map(ApiJson)
}
