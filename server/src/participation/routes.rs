//! `/api/v1/events/{id}/registrations…`, `/teams…`, `/seekers`.

use super::service;
use crate::app::AppState;
use crate::auth::extract::{AuthUser, MaybeUser};
use crate::error::AppResult;
use crate::events::routes::{event_id, principal_of, signed_in, uuid_of};
use crate::http::json::ApiJson;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use axum::Router;
use hackops_shared::error::ErrorBody;
use hackops_shared::registrations::{
    EventStats, RegisterForEventRequest, RegistrationDto, RegistrationList,
};
use hackops_shared::teams::{
    CreateJoinRequest, CreateTeamRequest, HandOverRequest, JoinRequestDto, JoinRequestList,
    JoinTeamRequest, TeamDto, TeamList, TeamSeekerList,
};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/registrations", get(list).post(register))
        .route("/events/{id}/registrations.csv", get(export))
        .route("/events/{id}/registrations/me", get(mine).delete(cancel))
        .route("/events/{id}/registrations/{registration}/approve", post(approve))
        .route("/events/{id}/registrations/{registration}/reject", post(reject))
        .route("/events/{id}/teams", get(teams).post(create_team))
        .route("/events/{id}/teams/mine", get(my_team))
        .route("/events/{id}/teams/join", post(join_team))
        .route("/events/{id}/teams/{team}", delete(dissolve))
        .route("/events/{id}/teams/{team}/leave", post(leave))
        .route("/events/{id}/teams/{team}/captain", post(hand_over))
        .route("/events/{id}/teams/requests/mine", get(my_requests))
        .route("/events/{id}/teams/{team}/requests", get(team_requests).post(request_to_join))
        .route("/events/{id}/teams/{team}/requests/{request}", delete(withdraw_request))
        .route("/events/{id}/teams/{team}/requests/{request}/accept", post(accept_request))
        .route("/events/{id}/teams/{team}/requests/{request}/decline", post(decline_request))
        .route("/events/{id}/seekers", get(seekers))
        .route("/events/{id}/stats", get(stats))
        .route("/events/{id}/teams.csv", get(export_teams))
}

/// Register for the event: accept the code of conduct and the data-use terms. Confirmed while
/// seats last, then waitlisted (promoted automatically); pending on moderated events.
#[utoipa::path(post, path = "/api/v1/events/{id}/registrations", tag = "participation", request_body = RegisterForEventRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 201, body = RegistrationDto), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "`registration_closed` or `already_registered`", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<RegisterForEventRequest>,
) -> AppResult<(StatusCode, ApiJson<RegistrationDto>)> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    let registration =
        service::register(&state.db, &state.realtime, &principal, id, request).await?;
    Ok((StatusCode::CREATED, ApiJson(registration)))
}

/// My registration for the event.
#[utoipa::path(get, path = "/api/v1/events/{id}/registrations/me", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")), responses((status = 200, body = RegistrationDto), (status = 404, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<RegistrationDto>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::mine(&state.db, &principal, id).await.map(ApiJson)
}

/// Cancel my registration: my seat goes to the first person on the waitlist.
#[utoipa::path(delete, path = "/api/v1/events/{id}/registrations/me", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::cancel(&state.db, &state.realtime, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every registration (organisers).
#[utoipa::path(get, path = "/api/v1/events/{id}/registrations", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")), responses((status = 200, body = RegistrationList), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<RegistrationList>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::list(&state.db, &principal, id).await.map(ApiJson)
}

/// Every registration as CSV, safe to open in a spreadsheet (organisers).
#[utoipa::path(get, path = "/api/v1/events/{id}/registrations.csv", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")), responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    Ok(csv_attachment(
        "registrations.csv",
        service::registrations_csv(&state.db, &principal, id).await?,
    ))
}

async fn decide(
    state: AppState,
    user: AuthUser,
    id: String,
    registration: String,
    approve: bool,
) -> AppResult<ApiJson<RegistrationDto>> {
    let (id, registration) = (event_id(&id)?, uuid_of(&registration)?);
    let principal = signed_in(&state, user).await?;
    service::decide(&state.db, &state.realtime, &principal, id, registration, approve)
        .await
        .map(ApiJson)
}

/// Accept a pending registration (organisers of moderated events).
#[utoipa::path(post, path = "/api/v1/events/{id}/registrations/{registration}/approve", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("registration" = String, Path, description = "Registration id")),
    responses((status = 200, body = RegistrationDto), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, registration)): Path<(String, String)>,
) -> AppResult<ApiJson<RegistrationDto>> {
    decide(state, user, id, registration, true).await
}

/// Refuse a pending registration (organisers of moderated events).
#[utoipa::path(post, path = "/api/v1/events/{id}/registrations/{registration}/reject", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("registration" = String, Path, description = "Registration id")),
    responses((status = 200, body = RegistrationDto), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn reject(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, registration)): Path<(String, String)>,
) -> AppResult<ApiJson<RegistrationDto>> {
    decide(state, user, id, registration, false).await
}

/// The teams of the event (invite codes only for their own members).
#[utoipa::path(get, path = "/api/v1/events/{id}/teams", tag = "participation", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = TeamList), (status = 404, body = ErrorBody)))]
pub async fn teams(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<TeamList>> {
    let id = event_id(&id)?;
    let principal = principal_of(&state, user).await?;
    service::teams(&state.db, principal.as_ref(), id).await.map(ApiJson)
}

/// Create a team (confirmed participants not yet in one); you become its captain.
#[utoipa::path(post, path = "/api/v1/events/{id}/teams", tag = "participation", request_body = CreateTeamRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 201, body = TeamDto), (status = 403, body = ErrorBody), (status = 409, description = "`already_in_team` or `teams_locked`", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_team(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CreateTeamRequest>,
) -> AppResult<(StatusCode, ApiJson<TeamDto>)> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    let team = service::create_team(&state.db, &state.realtime, &principal, id, request).await?;
    Ok((StatusCode::CREATED, ApiJson(team)))
}

/// My team, with its invite code.
#[utoipa::path(get, path = "/api/v1/events/{id}/teams/mine", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")), responses((status = 200, body = TeamDto), (status = 404, body = ErrorBody)))]
pub async fn my_team(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<TeamDto>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::my_team(&state.db, &principal, id).await.map(ApiJson)
}

/// Join a team with its invite code. With one seat left and two people racing, one wins.
#[utoipa::path(post, path = "/api/v1/events/{id}/teams/join", tag = "participation", request_body = JoinTeamRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = TeamDto), (status = 409, description = "`team_full`, `already_in_team` or `teams_locked`", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn join_team(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<JoinTeamRequest>,
) -> AppResult<ApiJson<TeamDto>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::join_team(&state.db, &state.realtime, &principal, id, &request.invite_code)
        .await
        .map(ApiJson)
}

/// Leave a team (a leaving captain hands over to the longest-standing member).
#[utoipa::path(post, path = "/api/v1/events/{id}/teams/{team}/leave", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("team" = String, Path, description = "Team id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn leave(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, team)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (id, team) = (event_id(&id)?, uuid_of(&team)?);
    let principal = signed_in(&state, user).await?;
    service::leave(&state.db, &state.realtime, &principal, id, team).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Hand the captaincy to another member (captain).
#[utoipa::path(post, path = "/api/v1/events/{id}/teams/{team}/captain", tag = "participation", request_body = HandOverRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("team" = String, Path, description = "Team id")),
    responses((status = 200, body = TeamDto), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn hand_over(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, team)): Path<(String, String)>,
    ApiJson(request): ApiJson<HandOverRequest>,
) -> AppResult<ApiJson<TeamDto>> {
    let (id, team) = (event_id(&id)?, uuid_of(&team)?);
    let principal = signed_in(&state, user).await?;
    service::hand_over(&state.db, &state.realtime, &principal, id, team, request.user_id)
        .await
        .map(ApiJson)
}

/// Dissolve the team (captain).
#[utoipa::path(delete, path = "/api/v1/events/{id}/teams/{team}", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("team" = String, Path, description = "Team id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn dissolve(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, team)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (id, team) = (event_id(&id)?, uuid_of(&team)?);
    let principal = signed_in(&state, user).await?;
    service::dissolve(&state.db, &state.realtime, &principal, id, team).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ask to join a team (confirmed participants not yet in one); its captain decides.
#[utoipa::path(post, path = "/api/v1/events/{id}/teams/{team}/requests", tag = "participation", request_body = CreateJoinRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("team" = String, Path, description = "Team id")),
    responses((status = 201, body = JoinRequestDto), (status = 403, description = "Not a confirmed participant", body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "`already_requested`, `already_in_team` or `teams_locked`", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_to_join(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, team)): Path<(String, String)>,
    ApiJson(request): ApiJson<CreateJoinRequest>,
) -> AppResult<(StatusCode, ApiJson<JoinRequestDto>)> {
    let (id, team) = (event_id(&id)?, uuid_of(&team)?);
    let principal = signed_in(&state, user).await?;
    let created =
        service::request_to_join(&state.db, &state.realtime, &principal, id, team, request).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// The requests waiting for the team (its captain).
#[utoipa::path(get, path = "/api/v1/events/{id}/teams/{team}/requests", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("team" = String, Path, description = "Team id")),
    responses((status = 200, body = JoinRequestList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn team_requests(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, team)): Path<(String, String)>,
) -> AppResult<ApiJson<JoinRequestList>> {
    let (id, team) = (event_id(&id)?, uuid_of(&team)?);
    let principal = signed_in(&state, user).await?;
    service::team_requests(&state.db, &principal, id, team).await.map(ApiJson)
}

/// My requests to join teams in this event, every status, newest first.
#[utoipa::path(get, path = "/api/v1/events/{id}/teams/requests/mine", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")), responses((status = 200, body = JoinRequestList), (status = 404, body = ErrorBody)))]
pub async fn my_requests(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<JoinRequestList>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::my_requests(&state.db, &principal, id).await.map(ApiJson)
}

async fn decide_request(
    state: AppState,
    user: AuthUser,
    (id, team, request): (String, String, String),
    accept: bool,
) -> AppResult<ApiJson<JoinRequestDto>> {
    let (id, team, request) = (event_id(&id)?, uuid_of(&team)?, uuid_of(&request)?);
    let principal = signed_in(&state, user).await?;
    service::decide_request(&state.db, &state.realtime, &principal, id, team, request, accept)
        .await
        .map(ApiJson)
}

/// Accept a request (captain): the requester takes a seat exactly as with the invite code, and
/// their other pending requests are closed.
#[utoipa::path(post, path = "/api/v1/events/{id}/teams/{team}/requests/{request}/accept", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("team" = String, Path, description = "Team id"), ("request" = String, Path, description = "Request id")),
    responses((status = 200, body = JoinRequestDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "`team_full`, `already_in_team`, `teams_locked`, or `conflict` when no longer pending", body = ErrorBody)))]
pub async fn accept_request(
    State(state): State<AppState>,
    user: AuthUser,
    Path(path): Path<(String, String, String)>,
) -> AppResult<ApiJson<JoinRequestDto>> {
    decide_request(state, user, path, true).await
}

/// Decline a request (captain).
#[utoipa::path(post, path = "/api/v1/events/{id}/teams/{team}/requests/{request}/decline", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("team" = String, Path, description = "Team id"), ("request" = String, Path, description = "Request id")),
    responses((status = 200, body = JoinRequestDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "No longer pending", body = ErrorBody)))]
pub async fn decline_request(
    State(state): State<AppState>,
    user: AuthUser,
    Path(path): Path<(String, String, String)>,
) -> AppResult<ApiJson<JoinRequestDto>> {
    decide_request(state, user, path, false).await
}

/// Withdraw my pending request.
#[utoipa::path(delete, path = "/api/v1/events/{id}/teams/{team}/requests/{request}", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("team" = String, Path, description = "Team id"), ("request" = String, Path, description = "Request id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "No longer pending", body = ErrorBody)))]
pub async fn withdraw_request(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, team, request)): Path<(String, String, String)>,
) -> AppResult<StatusCode> {
    let (id, team, request) = (event_id(&id)?, uuid_of(&team)?, uuid_of(&request)?);
    let principal = signed_in(&state, user).await?;
    service::withdraw_request(&state.db, &state.realtime, &principal, id, team, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SeekerQuery {
    /// Only people with a skill containing this text.
    pub skill: Option<String>,
}

/// The "looking for a team" board (signed-in people who can see the event).
#[utoipa::path(get, path = "/api/v1/events/{id}/seekers", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), SeekerQuery), responses((status = 200, body = TeamSeekerList)))]
pub async fn seekers(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    Query(query): Query<SeekerQuery>,
) -> AppResult<ApiJson<TeamSeekerList>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::seekers(&state.db, &principal, id, query.skill.as_deref()).await.map(ApiJson)
}

/// Live counts for the control room (organisers).
#[utoipa::path(get, path = "/api/v1/events/{id}/stats", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")), responses((status = 200, body = EventStats), (status = 403, body = ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<EventStats>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::stats(&state.db, &principal, id).await.map(ApiJson)
}

/// Every team and its members as CSV (organisers).
#[utoipa::path(get, path = "/api/v1/events/{id}/teams.csv", tag = "participation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")), responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
pub async fn export_teams(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    Ok(csv_attachment("teams.csv", service::teams_csv(&state.db, &principal, id).await?))
}

/// A CSV file for the browser to save under `file_name`.
fn csv_attachment(file_name: &'static str, csv: String) -> impl IntoResponse {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (http::header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
}
