//! `/api/v1/datasets…`, `/api/v1/resources/{id}/download`, `/api/v1/licences`.

use super::repo::{Dataset, Resource};
use super::service;
use crate::app::AppState;
use crate::auth::extract::AuthUser;
use crate::error::{AppError, AppResult};
use crate::events::routes::{signed_in, uuid_of};
use crate::http::json::ApiJson;
use crate::storage::parse_range;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use futures_util::StreamExt;
use hackops_shared::datasets::{
    DatasetDto, DatasetFacets, DatasetList, DatasetRequest, Licence, RemoteResourceRequest,
    ResourceDto, ResourcePreview, TableSchema, LICENCES,
};
use hackops_shared::error::{ErrorBody, ErrorCode};
use hackops_shared::validation::slugify;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/datasets", get(list).post(create))
        .route("/datasets/facets", get(facets))
        .route("/datasets/{name}", get(show))
        // Files stream through with their own cap (HACKOPS_MAX_UPLOAD_BYTES), not the JSON limit.
        .route("/datasets/{name}/resources", post(upload).layer(DefaultBodyLimit::disable()))
        .route("/datasets/{name}/resources/link", post(add_link))
        .route("/resources/{id}/download", get(download))
        .route("/resources/{id}/preview", get(preview))
        .route("/resources/{id}/schema", put(put_schema))
        .route("/licences", get(licences))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Words to find in titles, descriptions and keywords.
    pub q: Option<String>,
    /// SPDX licence id.
    pub licence: Option<String>,
    /// Resource format, e.g. `CSV`.
    pub format: Option<String>,
    /// Organisation slug.
    pub publisher: Option<String>,
    /// A theme, matched exactly (case-insensitively).
    pub theme: Option<String>,
    /// 1-based.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Browse and search the pool, newest first.
#[utoipa::path(get, path = "/api/v1/datasets", tag = "datasets", params(ListQuery), responses((status = 200, body = DatasetList)))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> AppResult<ApiJson<DatasetList>> {
    let per_page = q.per_page.unwrap_or(20).clamp(1, 100);
    let page = q.page.unwrap_or(1).max(1);
    let query = service::Query {
        q: q.q.as_deref(),
        licence: q.licence.as_deref(),
        format: q.format.as_deref(),
        theme: q.theme.as_deref(),
        publisher: q.publisher.as_deref(),
        offset: (page - 1).saturating_mul(per_page),
        limit: per_page,
    };
    service::search(&state.db, query, &state.config.public_url).await.map(ApiJson)
}

/// The formats, themes, licences and publishers present in the public pool, with how many
/// datasets have each (most frequent first): the browse page's filters.
#[utoipa::path(get, path = "/api/v1/datasets/facets", tag = "datasets", responses((status = 200, body = DatasetFacets)))]
pub async fn facets(State(state): State<AppState>) -> AppResult<ApiJson<DatasetFacets>> {
    service::facets(&state.db).await.map(ApiJson)
}

/// Publish a dataset (organisers of the publishing organisation).
#[utoipa::path(post, path = "/api/v1/datasets", tag = "datasets", request_body = DatasetRequest, security(("bearer" = [])),
    responses((status = 201, body = DatasetDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(request): ApiJson<DatasetRequest>,
) -> AppResult<(StatusCode, ApiJson<DatasetDto>)> {
    let principal = signed_in(&state, user).await?;
    let dataset = service::create(&state.db, &principal, request, &state.config.public_url).await?;
    Ok((StatusCode::CREATED, ApiJson(dataset)))
}

/// One dataset with its resources.
#[utoipa::path(get, path = "/api/v1/datasets/{name}", tag = "datasets", params(("name" = String, Path, description = "Dataset name (slug)")),
    responses((status = 200, body = DatasetDto), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> AppResult<ApiJson<DatasetDto>> {
    service::get(&state.db, &name, &state.config.public_url).await.map(ApiJson)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct UploadQuery {
    pub title: String,
    /// The original file name (used for the format and the download name, never as a path).
    pub filename: String,
}

/// Upload a file as a new resource: the raw bytes are the request body. Streams to storage with
/// the size cap enforced on the way; the SHA-256 is computed as it arrives; the content type is
/// sniffed, not trusted.
#[utoipa::path(post, path = "/api/v1/datasets/{name}/resources", tag = "datasets", security(("bearer" = [])),
    params(("name" = String, Path, description = "Dataset name (slug)"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = ResourceDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    user: AuthUser,
    Path(name): Path<String>,
    Query(q): Query<UploadQuery>,
    request: Request,
) -> AppResult<(StatusCode, ApiJson<ResourceDto>)> {
    let principal = signed_in(&state, user).await?;
    let cap = state.config.max_upload_bytes;
    if let Some(length) = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if length > cap {
            return Err(ErrorCode::PayloadTooLarge.into());
        }
    }
    let body = request.into_body().into_data_stream().boxed();
    let upload = service::Upload {
        dataset: &name,
        title: &q.title,
        file_name: &q.filename,
        cap,
        public_url: &state.config.public_url,
    };
    let resource = service::upload(&state.db, &state.storage, &principal, upload, body).await?;
    Ok((StatusCode::CREATED, ApiJson(resource)))
}

/// Add a resource that stays on another server (a link).
#[utoipa::path(post, path = "/api/v1/datasets/{name}/resources/link", tag = "datasets", request_body = RemoteResourceRequest, security(("bearer" = [])),
    params(("name" = String, Path, description = "Dataset name (slug)")),
    responses((status = 201, body = ResourceDto), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_link(
    State(state): State<AppState>,
    user: AuthUser,
    Path(name): Path<String>,
    ApiJson(request): ApiJson<RemoteResourceRequest>,
) -> AppResult<(StatusCode, ApiJson<ResourceDto>)> {
    let principal = signed_in(&state, user).await?;
    let resource =
        service::add_link(&state.db, &principal, &name, request, &state.config.public_url).await?;
    Ok((StatusCode::CREATED, ApiJson(resource)))
}

/// Download a resource: streamed (memory stays flat), resumable with `Range`, `ETag` = SHA-256,
/// always as an attachment. Remote resources redirect to their URL.
#[utoipa::path(get, path = "/api/v1/resources/{id}/download", tag = "datasets", params(("id" = String, Path, description = "Resource id")),
    responses((status = 200, description = "The file"), (status = 206, description = "Part of the file"), (status = 302, description = "Remote resource"),
        (status = 304, description = "Not modified"), (status = 404, body = ErrorBody), (status = 416, description = "Range not satisfiable")))]
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let id = uuid_of(&id)?;
    let (resource, dataset) = service::resource(&state.db, id).await?;
    serve(&state, &resource, &dataset, &headers).await
}

/// The first rows (at most 20) of a CSV or TSV resource, its delimiter and its Table Schema.
/// Read from the file's first MiB at most, never the whole file.
#[utoipa::path(get, path = "/api/v1/resources/{id}/preview", tag = "datasets", params(("id" = String, Path, description = "Resource id")),
    responses((status = 200, body = ResourcePreview), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`not_tabular`: not a CSV or TSV file we could read")))]
pub async fn preview(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ResourcePreview>> {
    let id = uuid_of(&id)?;
    service::preview(&state.db, &state.storage, id).await.map(ApiJson)
}

/// Replace the Frictionless Table Schema of a CSV or TSV resource (people who may publish for
/// the dataset's organisation). One field per column of the header, same names, same order,
/// known types; otherwise 422 naming the field (`fields[2].type`).
#[utoipa::path(put, path = "/api/v1/resources/{id}/schema", tag = "datasets", request_body = TableSchema, security(("bearer" = [])),
    params(("id" = String, Path, description = "Resource id")),
    responses((status = 200, body = ResourceDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`not_tabular`"), (status = 422, body = ErrorBody)))]
pub async fn put_schema(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(schema): ApiJson<TableSchema>,
) -> AppResult<ApiJson<ResourceDto>> {
    let principal = signed_in(&state, user).await?;
    let id = uuid_of(&id)?;
    service::put_schema(&state.db, &state.storage, &principal, id, schema, &state.config.public_url)
        .await
        .map(ApiJson)
}

/// Streams a resource (or redirects to a remote one): `Range` → 206, `If-None-Match` → 304,
/// always as an attachment. The pool's downloads and the hand-out's signed links both use it.
pub(crate) async fn serve(
    state: &AppState,
    resource: &Resource,
    dataset: &Dataset,
    headers: &HeaderMap,
) -> AppResult<Response> {
    if let Some(url) = &resource.remote_url {
        return Ok((StatusCode::FOUND, [(header::LOCATION, url.clone())]).into_response());
    }
    let key = resource.storage_key.clone().ok_or(ErrorCode::NotFound)?;
    let size = resource.size.and_then(|s| u64::try_from(s).ok()).unwrap_or(0);
    let etag = format!("\"{}\"", resource.sha256.clone().unwrap_or_default());
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let range = match parse_range(headers.get(header::RANGE).and_then(|v| v.to_str().ok()), size) {
        Ok(range) => range,
        Err(()) => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
            )
                .into_response());
        }
    };
    let result =
        state.storage.get(&key, range.clone()).await.map_err(|e| AppError::Internal(e.into()))?;
    let extension = match resource.format.to_lowercase().as_str() {
        "" => String::new(),
        ext => format!(".{ext}"),
    };
    let file_name = format!("{}-{}{extension}", dataset.name, slugify(&resource.title));
    let mut response = Response::new(Body::from_stream(result.into_stream()));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&resource.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    match range {
        Some(r) => {
            *response.status_mut() = StatusCode::PARTIAL_CONTENT;
            let h = response.headers_mut();
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(r.end - r.start));
            if let Ok(value) =
                HeaderValue::from_str(&format!("bytes {}-{}/{size}", r.start, r.end - 1))
            {
                h.insert(header::CONTENT_RANGE, value);
            }
        }
        None => {
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(size));
        }
    }
    Ok(response)
}

/// The open licences the pool accepts, by SPDX id.
#[utoipa::path(get, path = "/api/v1/licences", tag = "datasets", responses((status = 200, body = [Licence])))]
pub async fn licences() -> ApiJson<&'static [Licence]> {
    ApiJson(LICENCES)
}
