use super::{agenda, phases, service};
use crate::app::AppState;
use crate::auth::extract::{AuthUser, MaybeUser};
use crate::auth::policy::Principal;
use crate::error::{AppError, AppResult};
use crate::http::json::ApiJson;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put};
use axum::Router;
use hackops_shared::error::{ErrorBody, ErrorCode};
use hackops_shared::events::{
    AgendaItemDto, AgendaItemRequest, AgendaList, ChallengeDto, ChallengeList, ChallengeRequest,
    CreateEventRequest, EventDto, EventList, PhaseChangeRequest, ScheduleTransitionRequest,
    ScheduledTransitionDto, ScheduledTransitionList, UpdateEventRequest,
};
use hackops_shared::ids::{ChallengeId, EventId};
use hackops_shared::registrations::EventSettings;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list).post(create))
        .route("/events/{id}", get(show).patch(update))
        .route("/events/{id}/challenges", get(challenges).post(create_challenge))
        .route(
            "/events/{id}/challenges/{challenge}",
            put(update_challenge).delete(delete_challenge),
        )
        .route("/events/{id}/phase", post(change_phase))
        .route("/events/{id}/transitions", get(list_transitions).post(schedule_transition))
        .route("/events/{id}/transitions/{transition}", delete(cancel_transition))
        .route("/events/{id}/agenda", get(agenda).post(add_agenda_item))
        .route("/events/{id}/agenda/{item}", delete(remove_agenda_item))
        .route("/events/{id}/calendar.ics", get(calendar))
        .route("/events/{id}/settings", put(update_settings))
}

/// Set how registration and teams work: capacity, team sizes, moderation, code of conduct,
/// team lock time (organisers).
#[utoipa::path(put, path = "/api/v1/events/{id}/settings", tag = "events", request_body = EventSettings, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_settings(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(settings): ApiJson<EventSettings>,
) -> AppResult<ApiJson<EventDto>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::update_settings(&state.db, &state.realtime, &principal, id, settings)
        .await
        .map(ApiJson)
}

/// A path segment that is not a UUID names nothing that exists.
pub(crate) fn uuid_of(raw: &str) -> Result<uuid::Uuid, AppError> {
    raw.parse().map_err(|_| AppError::Api(ErrorCode::NotFound))
}

pub(crate) async fn signed_in(state: &AppState, user: AuthUser) -> AppResult<Principal> {
    crate::auth::service::principal(&state.db, user.id).await
}

/// Add a challenge (organisers).
#[utoipa::path(post, path = "/api/v1/events/{id}/challenges", tag = "events", request_body = ChallengeRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 201, body = ChallengeDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_challenge(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ChallengeRequest>,
) -> AppResult<(StatusCode, ApiJson<ChallengeDto>)> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    let challenge =
        service::create_challenge(&state.db, &state.realtime, &principal, id, request).await?;
    Ok((StatusCode::CREATED, ApiJson(challenge)))
}

/// Replace a challenge (organisers).
#[utoipa::path(put, path = "/api/v1/events/{id}/challenges/{challenge}", tag = "events", request_body = ChallengeRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("challenge" = String, Path, description = "Challenge id")),
    responses((status = 200, body = ChallengeDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_challenge(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, challenge)): Path<(String, String)>,
    ApiJson(request): ApiJson<ChallengeRequest>,
) -> AppResult<ApiJson<ChallengeDto>> {
    let (id, challenge) = (event_id(&id)?, ChallengeId(uuid_of(&challenge)?));
    let principal = signed_in(&state, user).await?;
    service::update_challenge(&state.db, &state.realtime, &principal, id, challenge, request)
        .await
        .map(ApiJson)
}

/// Remove a challenge (organisers).
#[utoipa::path(delete, path = "/api/v1/events/{id}/challenges/{challenge}", tag = "events", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("challenge" = String, Path, description = "Challenge id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_challenge(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, challenge)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (id, challenge) = (event_id(&id)?, ChallengeId(uuid_of(&challenge)?));
    let principal = signed_in(&state, user).await?;
    service::delete_challenge(&state.db, &state.realtime, &principal, id, challenge).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Move the event to the next phase now (organisers). Only one step forward at a time.
#[utoipa::path(post, path = "/api/v1/events/{id}/phase", tag = "phases", request_body = PhaseChangeRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_phase_transition`: not the next phase, or someone moved it first", body = ErrorBody)))]
pub async fn change_phase(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PhaseChangeRequest>,
) -> AppResult<ApiJson<EventDto>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    phases::change(&state.db, &state.realtime, &principal, id, request.phase).await.map(ApiJson)
}

/// Scheduled automatic phase changes of the event (organisers).
#[utoipa::path(get, path = "/api/v1/events/{id}/transitions", tag = "phases", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = ScheduledTransitionList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_transitions(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ScheduledTransitionList>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    phases::list(&state.db, &principal, id).await.map(ApiJson)
}

/// Schedule an automatic phase change (organisers). It fires once, on server time, even with
/// several instances running, and survives restarts.
#[utoipa::path(post, path = "/api/v1/events/{id}/transitions", tag = "phases", request_body = ScheduleTransitionRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 201, body = ScheduledTransitionDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn schedule_transition(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ScheduleTransitionRequest>,
) -> AppResult<(StatusCode, ApiJson<ScheduledTransitionDto>)> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    let transition = phases::schedule(&state.db, &state.realtime, &principal, id, request).await?;
    Ok((StatusCode::CREATED, ApiJson(transition)))
}

/// Cancel a pending scheduled phase change (organisers).
#[utoipa::path(delete, path = "/api/v1/events/{id}/transitions/{transition}", tag = "phases", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("transition" = String, Path, description = "Transition id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, description = "It already fired", body = ErrorBody)))]
pub async fn cancel_transition(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, transition)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (id, transition) = (event_id(&id)?, uuid_of(&transition)?);
    let principal = signed_in(&state, user).await?;
    phases::cancel(&state.db, &state.realtime, &principal, id, transition).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The agenda of the event, in time order.
#[utoipa::path(get, path = "/api/v1/events/{id}/agenda", tag = "agenda", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = AgendaList), (status = 404, body = ErrorBody)))]
pub async fn agenda(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<AgendaList>> {
    let id = event_id(&id)?;
    let principal = principal_of(&state, user).await?;
    agenda::list(&state.db, principal.as_ref(), id).await.map(ApiJson)
}

/// Add an agenda item (organisers).
#[utoipa::path(post, path = "/api/v1/events/{id}/agenda", tag = "agenda", request_body = AgendaItemRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 201, body = AgendaItemDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_agenda_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AgendaItemRequest>,
) -> AppResult<(StatusCode, ApiJson<AgendaItemDto>)> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    let item = agenda::add(&state.db, &state.realtime, &principal, id, request).await?;
    Ok((StatusCode::CREATED, ApiJson(item)))
}

/// Remove an agenda item (organisers).
#[utoipa::path(delete, path = "/api/v1/events/{id}/agenda/{item}", tag = "agenda", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("item" = String, Path, description = "Agenda item id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_agenda_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, item)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (id, item) = (event_id(&id)?, uuid_of(&item)?);
    let principal = signed_in(&state, user).await?;
    agenda::remove(&state.db, &state.realtime, &principal, id, item).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The event and its agenda as an iCalendar feed (subscribe from any calendar app).
#[utoipa::path(get, path = "/api/v1/events/{id}/calendar.ics", tag = "agenda", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let id = event_id(&id)?;
    let principal = principal_of(&state, user).await?;
    let ics = agenda::calendar(&state.db, principal.as_ref(), id, &state.config.public_url).await?;
    Ok((
        [
            (http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (http::header::CONTENT_DISPOSITION, "inline; filename=\"event.ics\""),
        ],
        ics,
    ))
}

/// A path id that is not a UUID is simply an event that does not exist.
pub(crate) fn event_id(raw: &str) -> Result<EventId, AppError> {
    raw.parse().map_err(|_| AppError::Api(ErrorCode::NotFound))
}

pub(crate) async fn principal_of(
    state: &AppState,
    user: MaybeUser,
) -> AppResult<Option<Principal>> {
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
