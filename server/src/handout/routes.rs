//! `/api/v1/events/{id}/challenges/{challenge}/datasets…`, `/api/v1/events/{id}/handout…`,
//! `/api/v1/handout/download`.

use super::service;
use crate::app::AppState;
use crate::auth::extract::AuthUser;
use crate::datasets::routes::serve;
use crate::datasets::service as datasets;
use crate::error::AppResult;
use crate::events::routes::{event_id, signed_in, uuid_of};
use crate::http::json::ApiJson;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use axum::Router;
use hackops_shared::error::{ErrorBody, ErrorCode};
use hackops_shared::handout::{
    AcceptTermsRequest, AttachDatasetRequest, ChallengeDatasetDto, DownloadLinkDto,
    HandoutDatasetDto, HandoutDto, TeamDownloadList,
};
use hackops_shared::ids::ChallengeId;
use serde::Deserialize;
use time::OffsetDateTime;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/challenges/{challenge}/datasets", put(attach))
        .route("/events/{id}/challenges/{challenge}/datasets/{name}", delete(detach))
        .route("/events/{id}/handout", get(handout))
        .route("/events/{id}/handout/downloads", get(downloads))
        .route("/events/{id}/handout/{name}/accept", post(accept))
        .route("/events/{id}/handout/{name}/resources/{resource}/link", post(link))
        .route("/handout/download", get(download))
}

/// Attach a dataset of the pool to a challenge, or change its embargo (organisers; embargoing
/// also needs the right to publish for the dataset's organisation). An embargoed dataset is
/// hidden everywhere but here until the event reaches its hacking phase.
#[utoipa::path(put, path = "/api/v1/events/{id}/challenges/{challenge}/datasets", tag = "handout", request_body = AttachDatasetRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("challenge" = String, Path, description = "Challenge id")),
    responses((status = 200, body = ChallengeDatasetDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "`dataset` names no dataset of the pool, or a wrong body", body = ErrorBody)))]
pub async fn attach(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, challenge)): Path<(String, String)>,
    ApiJson(request): ApiJson<AttachDatasetRequest>,
) -> AppResult<ApiJson<ChallengeDatasetDto>> {
    let (id, challenge) = (event_id(&id)?, ChallengeId(uuid_of(&challenge)?));
    let principal = signed_in(&state, user).await?;
    service::attach(&state.db, &state.realtime, &principal, id, challenge, request)
        .await
        .map(ApiJson)
}

/// Detach a dataset from a challenge (organisers).
#[utoipa::path(delete, path = "/api/v1/events/{id}/challenges/{challenge}/datasets/{name}", tag = "handout", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("challenge" = String, Path, description = "Challenge id"), ("name" = String, Path, description = "Dataset name (slug)")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn detach(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, challenge, name)): Path<(String, String, String)>,
) -> AppResult<StatusCode> {
    let (id, challenge) = (event_id(&id)?, ChallengeId(uuid_of(&challenge)?));
    let principal = signed_in(&state, user).await?;
    service::detach(&state.db, &state.realtime, &principal, id, challenge, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The hand-out: for a team member, the released datasets of the team's challenge; for
/// organisers, every attached dataset, embargoed or not. Others: 401/403.
#[utoipa::path(get, path = "/api/v1/events/{id}/handout", tag = "handout", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = HandoutDto), (status = 401, body = ErrorBody), (status = 403, description = "Not in a team of the event", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn handout(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<HandoutDto>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::handout(&state.db, &principal, id, &state.config.public_url).await.map(ApiJson)
}

/// Accept the dataset's licence and the event's data-use terms (recorded with the licence and
/// the time). Needed once per person and dataset before the first link.
#[utoipa::path(post, path = "/api/v1/events/{id}/handout/{name}/accept", tag = "handout", request_body = AcceptTermsRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("name" = String, Path, description = "Dataset name (slug)")),
    responses((status = 200, body = HandoutDatasetDto), (status = 403, body = ErrorBody), (status = 404, description = "Not in the caller's hand-out (or not released yet)", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn accept(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, name)): Path<(String, String)>,
    ApiJson(request): ApiJson<AcceptTermsRequest>,
) -> AppResult<ApiJson<HandoutDatasetDto>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::accept(&state.db, &principal, id, &name, request, &state.config.public_url)
        .await
        .map(ApiJson)
}

/// A signed download link to one resource, valid for `HACKOPS_DOWNLOAD_LINK_TTL` seconds.
#[utoipa::path(post, path = "/api/v1/events/{id}/handout/{name}/resources/{resource}/link", tag = "handout", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id"), ("name" = String, Path, description = "Dataset name (slug)"), ("resource" = String, Path, description = "Resource id")),
    responses((status = 201, body = DownloadLinkDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "`terms_not_accepted`", body = ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, name, resource)): Path<(String, String, String)>,
) -> AppResult<(StatusCode, ApiJson<DownloadLinkDto>)> {
    let (id, resource) = (event_id(&id)?, uuid_of(&resource)?);
    let principal = signed_in(&state, user).await?;
    let link = service::link(
        &state.db,
        &state.links,
        &principal,
        id,
        &name,
        resource,
        &state.config.public_url,
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(link)))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DownloadQuery {
    /// The signed token of a link.
    pub token: Option<String>,
}

/// Download through a signed link: the same streaming as the pool (`Range`, `ETag`,
/// attachment, nosniff), counted for the link's team. Expired: 410 `link_expired`; altered
/// or forged: 403 `link_invalid`.
#[utoipa::path(get, path = "/api/v1/handout/download", tag = "handout", params(DownloadQuery),
    responses((status = 200, description = "The file"), (status = 206, description = "Part of the file"), (status = 302, description = "Remote resource"),
        (status = 304, description = "Not modified"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    Query(query): Query<DownloadQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let token = query.token.ok_or(ErrorCode::LinkInvalid)?;
    let grant = state.links.verify(&token, OffsetDateTime::now_utc().unix_timestamp())?;
    let (resource, dataset) = datasets::resource_unchecked(&state.db, grant.resource).await?;
    let mut response = serve(&state, &resource, &dataset, &headers).await?;
    // Resumed (206) and revalidated (304) requests are the same download.
    if matches!(response.status(), StatusCode::OK | StatusCode::FOUND) {
        service::count_download(&state.db, &grant, dataset.id).await?;
    }
    // Links are personal: no shared cache keeps the file.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

/// Downloads through links per team and dataset, with the total (organisers).
#[utoipa::path(get, path = "/api/v1/events/{id}/handout/downloads", tag = "handout", security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = TeamDownloadList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn downloads(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<ApiJson<TeamDownloadList>> {
    let id = event_id(&id)?;
    let principal = signed_in(&state, user).await?;
    service::downloads(&state.db, &principal, id).await.map(ApiJson)
}
