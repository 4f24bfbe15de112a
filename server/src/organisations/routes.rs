use super::service;
use crate::app::AppState;
use crate::auth::extract::AuthUser;
use crate::error::AppResult;
use crate::http::json::ApiJson;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use hackops_shared::error::ErrorBody;
use hackops_shared::organisations::{CreateOrganisationRequest, OrganisationDto, OrganisationList};

pub fn router() -> Router<AppState> {
    Router::new().route("/organisations", get(list).post(create))
}

/// Every organisation, by name.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", responses((status = 200, body = OrganisationList)))]
pub async fn list(State(state): State<AppState>) -> AppResult<ApiJson<OrganisationList>> {
    service::list(&state.db).await.map(ApiJson)
}

/// Create an organisation; the caller becomes its organiser and may create events for it.
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = CreateOrganisationRequest, security(("bearer" = [])),
    responses(
        (status = 201, body = OrganisationDto),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(request): ApiJson<CreateOrganisationRequest>,
) -> AppResult<(StatusCode, ApiJson<OrganisationDto>)> {
    let principal = crate::auth::service::principal(&state.db, user.id).await?;
    let org = service::create(&state.db, &principal, request).await?;
    Ok((StatusCode::CREATED, ApiJson(org)))
}
