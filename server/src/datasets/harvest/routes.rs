//! `POST /api/v1/harvest`.

use super::fetch::{Quiet, MAX_DOCUMENT_BYTES};
use super::service::{self, Job};
use crate::app::AppState;
use crate::auth::extract::AuthUser;
use crate::error::{AppError, AppResult};
use crate::events::routes::signed_in;
use crate::http::json::ApiJson;
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::post;
use axum::Router;
use hackops_shared::datasets::{HarvestReport, HarvestRequest};
use hackops_shared::error::{ErrorBody, FieldCode};
use hackops_shared::validation;

pub fn router() -> Router<AppState> {
    // A document sent as `content` may be as large as one we would fetch.
    Router::new().route(
        "/harvest",
        post(harvest).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + 64 * 1024)),
    )
}

/// Import the datasets of another portal (CKAN, DKAN, DCAT-AP JSON-LD or RDF/XML, DCAT-US
/// `data.json`) into an organisation (its organisers, or platform administrators). The server
/// fetches `url` (walking CKAN's pages), or reads `content` when given. All of it is written in
/// one transaction; a second harvest of the same `url` updates the datasets it created.
#[utoipa::path(post, path = "/api/v1/harvest", tag = "datasets", request_body = HarvestRequest, security(("bearer" = [])),
    responses((status = 200, body = HarvestReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No such organisation"), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`harvest_invalid`: not a catalogue we read; nothing imported"),
        (status = 502, body = ErrorBody, description = "`harvest_unreachable`: the source could not be fetched")))]
pub async fn harvest(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(request): ApiJson<HarvestRequest>,
) -> AppResult<ApiJson<HarvestReport>> {
    let principal = signed_in(&state, user).await?;
    let url = validation::web_url(&request.url)
        .map_err(|_| AppError::field("url", FieldCode::InvalidUrl))?;
    let job = Job {
        organisation: request.organisation,
        source: url,
        format: request.format,
        content: request.content.map(String::into_bytes),
    };
    Ok(ApiJson(service::harvest(&state.db, &principal, job, &Quiet).await?))
}
