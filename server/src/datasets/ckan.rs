//! The read side of the CKAN Action API v3, so CKAN clients (ckanapi, harvesters, portals) can
//! list, search and download from Hackops without knowing it is not CKAN: the same paths, the
//! `{help, success, result}` envelope, CKAN's field names and error shapes.

use super::service;
use crate::app::AppState;
use crate::error::AppError;
use crate::organisations::service as organisations;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use hackops_shared::datasets::{licence, DatasetDto, ResourceDto, LICENCES, LICENCE_NOT_SPECIFIED};
use serde::Deserialize;
use serde_json::{json, Value};
use time::macros::format_description;
use time::OffsetDateTime;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/3/action/package_list", get(package_list))
        .route("/api/3/action/package_show", get(package_show))
        .route("/api/3/action/package_search", get(package_search))
        .route("/api/3/action/organization_list", get(organization_list))
        .route("/api/3/action/organization_show", get(organization_show))
        .route("/api/3/action/resource_show", get(resource_show))
        .route("/api/3/action/license_list", get(license_list))
        .route("/api/3/action/status_show", get(status_show))
}

fn help(state: &AppState, action: &str) -> String {
    format!("{}/api/3/action/help_show?name={action}", state.config.public_url)
}

fn ok(state: &AppState, action: &str, result: Value) -> Response {
    Json(json!({"help": help(state, action), "success": true, "result": result})).into_response()
}

/// CKAN's error shape: `{"success": false, "error": {"__type": …, "message": …}}`.
fn error(
    state: &AppState,
    action: &str,
    status: StatusCode,
    kind: &str,
    message: &str,
) -> Response {
    let body = json!({"help": help(state, action), "success": false, "error": {"__type": kind, "message": message}});
    (status, Json(body)).into_response()
}

fn internal(state: &AppState, action: &str, err: AppError) -> Response {
    tracing::error!(error = %err, action, "CKAN API failure");
    error(state, action, StatusCode::INTERNAL_SERVER_ERROR, "Internal Error", "Internal error")
}

/// CKAN writes naive ISO timestamps in UTC.
fn ckan_time(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]"
        ))
        .unwrap_or_default()
}

fn iso_date(d: time::Date) -> String {
    d.format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

fn resource_dict(r: &ResourceDto, package_id: uuid::Uuid, position: usize) -> Value {
    json!({
        "id": r.id, "package_id": package_id, "name": r.title, "description": "", "url": r.url, "format": r.format,
        "mimetype": r.media_type, "size": r.size, "hash": r.sha256.as_ref().map(|h| format!("sha256:{h}")).unwrap_or_default(),
        "created": ckan_time(r.created_at), "last_modified": ckan_time(r.created_at), "position": position,
        "state": "active", "url_type": if r.remote { Value::Null } else { json!("upload") }, "resource_type": Value::Null,
    })
}

fn package_dict(d: &DatasetDto) -> Value {
    let lic = licence(&d.licence_id);
    // CKAN's own title for its `notspecified` licence (harvested datasets may have it).
    let title = lic
        .map(|l| l.title)
        .or((d.licence_id == LICENCE_NOT_SPECIFIED).then_some("License not specified"));
    json!({
        "id": d.id, "name": d.name, "title": d.title, "notes": d.description, "type": "dataset", "state": "active", "private": false,
        "license_id": d.licence_id, "license_title": title, "license_url": lic.map(|l| l.url),
        "owner_org": d.publisher.id, "organization": {"id": d.publisher.id, "name": d.publisher.slug, "title": d.publisher.name, "type": "organization", "state": "active", "is_organization": true},
        "maintainer_email": d.contact_email, "author": Value::Null, "url": Value::Null, "version": Value::Null,
        "metadata_created": ckan_time(d.created_at), "metadata_modified": ckan_time(d.modified_at),
        "tags": d.keywords.iter().map(|k| json!({"name": k, "display_name": k, "state": "active"})).collect::<Vec<_>>(),
        "groups": d.themes.iter().map(|t| json!({"name": t, "title": t})).collect::<Vec<_>>(),
        "num_tags": d.keywords.len(), "num_resources": d.resources.len(),
        "resources": d.resources.iter().enumerate().map(|(i, r)| resource_dict(r, d.id, i)).collect::<Vec<_>>(),
        "extras": [
            {"key": "spatial_text", "value": d.spatial.clone().unwrap_or_default()},
            {"key": "frequency", "value": d.frequency.clone().unwrap_or_default()},
            {"key": "temporal_start", "value": d.temporal_start.map(iso_date).unwrap_or_default()},
            {"key": "temporal_end", "value": d.temporal_end.map(iso_date).unwrap_or_default()},
        ],
    })
}

#[derive(Deserialize)]
pub struct IdQuery {
    id: Option<String>,
}

/// CKAN Action API `package_list`: The names of the public datasets.
#[utoipa::path(get, path = "/api/3/action/package_list", tag = "standards", 
    responses((status = 200, description = "CKAN envelope `{help, success: true, result}`, `result` being a list of dataset names. See the CKAN Action API reference: https://docs.ckan.org/en/2.10/api/", content_type = "application/json")))]
pub async fn package_list(State(state): State<AppState>) -> Response {
    match service::names(&state.db).await {
        Ok(names) => ok(&state, "package_list", json!(names)),
        Err(e) => internal(&state, "package_list", e),
    }
}

/// CKAN Action API `package_show`: One dataset as a CKAN package dictionary.
#[utoipa::path(get, path = "/api/3/action/package_show", tag = "standards", params(("id" = String, Query, description = "Dataset name or id")), 
    responses((status = 200, description = "CKAN envelope `{help, success: true, result}`, `result` being a package dictionary (`name`, `title`, `notes`, `license_id`, `organization`, `tags`, `resources`…). See the CKAN Action API reference: https://docs.ckan.org/en/2.10/api/", content_type = "application/json"), (status = 404, description = "CKAN error `{success: false, error: {__type: \"Not Found Error\", message}}`", content_type = "application/json"), (status = 409, description = "CKAN error `{success: false, error: {__type: \"Validation Error\", message}}`", content_type = "application/json")))]
pub async fn package_show(State(state): State<AppState>, Query(q): Query<IdQuery>) -> Response {
    let Some(id) = q.id.filter(|i| !i.is_empty()) else {
        return error(
            &state,
            "package_show",
            StatusCode::CONFLICT,
            "Validation Error",
            "id: Missing value",
        );
    };
    // CKAN accepts the name or the id.
    let name = match id.parse::<uuid::Uuid>() {
        Ok(uuid) => match super::repo::find(&state.db, uuid).await {
            Ok(Some(d)) => d.name,
            Ok(None) => {
                return error(
                    &state,
                    "package_show",
                    StatusCode::NOT_FOUND,
                    "Not Found Error",
                    "Not found",
                )
            }
            Err(e) => return internal(&state, "package_show", e.into()),
        },
        Err(_) => id,
    };
    match service::get(&state.db, &name, &state.config.public_url).await {
        Ok(d) => ok(&state, "package_show", package_dict(&d)),
        Err(AppError::Api(_)) => {
            error(&state, "package_show", StatusCode::NOT_FOUND, "Not Found Error", "Not found")
        }
        Err(e) => internal(&state, "package_show", e),
    }
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    fq: Option<String>,
    rows: Option<String>,
    start: Option<String>,
}

/// CKAN Action API `package_search`: Search the pool, CKAN style.
#[utoipa::path(get, path = "/api/3/action/package_search", tag = "standards", params(("q" = Option<String>, Query, description = "Words to find (`*:*`: everything)"), ("fq" = Option<String>, Query, description = "Filters: `license_id:`, `organization:`, `res_format:`, `groups:` (a theme)"), ("rows" = Option<u64>, Query, description = "Page size (default 10, at most 1000)"), ("start" = Option<u64>, Query, description = "Offset")), 
    responses((status = 200, description = "CKAN envelope `{help, success: true, result}`, `result` being `{count, results: [package], sort, facets, search_facets}`. See the CKAN Action API reference: https://docs.ckan.org/en/2.10/api/", content_type = "application/json"), (status = 409, description = "CKAN error `{success: false, error: {__type: \"Validation Error\", message}}`", content_type = "application/json")))]
pub async fn package_search(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Response {
    let rows = match q.rows.as_deref().map(str::parse::<u64>) {
        None => 10,
        Some(Ok(n)) => n.min(1000),
        Some(Err(_)) => {
            return error(
                &state,
                "package_search",
                StatusCode::CONFLICT,
                "Validation Error",
                "rows: Invalid integer",
            )
        }
    };
    let start = match q.start.as_deref().map(str::parse::<u64>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return error(
                &state,
                "package_search",
                StatusCode::CONFLICT,
                "Validation Error",
                "start: Invalid integer",
            )
        }
    };
    // `fq` filters as CKAN clients send them: `license_id:ODbL-1.0 organization:ville res_format:CSV`.
    let (mut licence_id, mut publisher, mut format, mut theme) = (None, None, None, None);
    for clause in q.fq.as_deref().unwrap_or_default().split_whitespace() {
        let (field, value) = clause.split_once(':').unwrap_or((clause, ""));
        let value = value.trim_matches('"').to_owned();
        match field.trim_start_matches('+') {
            "license_id" => licence_id = Some(value),
            "organization" => publisher = Some(value),
            "res_format" => format = Some(value),
            // Our themes are CKAN's groups (see `package_dict`).
            "groups" => theme = Some(value),
            _ => {}
        }
    }
    let text = q.q.filter(|t| t != "*:*");
    let query = service::Query {
        q: text.as_deref(),
        licence: licence_id.as_deref(),
        format: format.as_deref(),
        theme: theme.as_deref(),
        publisher: publisher.as_deref(),
        offset: start,
        limit: rows.max(1),
    };
    match service::search(&state.db, query, &state.config.public_url).await {
        Ok(list) => {
            let results: Vec<Value> =
                if rows == 0 { vec![] } else { list.items.iter().map(package_dict).collect() };
            ok(
                &state,
                "package_search",
                json!({"count": list.total, "results": results, "sort": "score desc, metadata_modified desc", "facets": {}, "search_facets": {}}),
            )
        }
        Err(e) => internal(&state, "package_search", e),
    }
}

#[derive(Deserialize)]
pub struct OrgListQuery {
    all_fields: Option<String>,
}

/// CKAN Action API `organization_list`: The publishing organisations.
#[utoipa::path(get, path = "/api/3/action/organization_list", tag = "standards", params(("all_fields" = Option<bool>, Query, description = "Dictionaries instead of names")), 
    responses((status = 200, description = "CKAN envelope `{help, success: true, result}`, `result` being a list of organisation names, or dictionaries with `all_fields=true`. See the CKAN Action API reference: https://docs.ckan.org/en/2.10/api/", content_type = "application/json")))]
pub async fn organization_list(
    State(state): State<AppState>,
    Query(q): Query<OrgListQuery>,
) -> Response {
    match organisations::list(&state.db).await {
        Ok(list) => {
            let all = matches!(q.all_fields.as_deref(), Some("true" | "True" | "1"));
            let result: Vec<Value> = list
                .items
                .iter()
                .map(|o| if all { json!({"id": o.id, "name": o.slug, "title": o.name, "display_name": o.name, "type": "organization", "state": "active", "is_organization": true}) } else { json!(o.slug) })
                .collect();
            ok(&state, "organization_list", json!(result))
        }
        Err(e) => internal(&state, "organization_list", e),
    }
}

/// CKAN Action API `organization_show`: One organisation.
#[utoipa::path(get, path = "/api/3/action/organization_show", tag = "standards", params(("id" = String, Query, description = "Organisation name (slug) or id")), 
    responses((status = 200, description = "CKAN envelope `{help, success: true, result}`, `result` being an organisation dictionary. See the CKAN Action API reference: https://docs.ckan.org/en/2.10/api/", content_type = "application/json"), (status = 404, description = "CKAN error `{success: false, error: {__type: \"Not Found Error\", message}}`", content_type = "application/json"), (status = 409, description = "CKAN error `{success: false, error: {__type: \"Validation Error\", message}}`", content_type = "application/json")))]
pub async fn organization_show(
    State(state): State<AppState>,
    Query(q): Query<IdQuery>,
) -> Response {
    let Some(id) = q.id.filter(|i| !i.is_empty()) else {
        return error(
            &state,
            "organization_show",
            StatusCode::CONFLICT,
            "Validation Error",
            "id: Missing value",
        );
    };
    match organisations::list(&state.db).await {
        Ok(list) => match list.items.iter().find(|o| o.slug == id || o.id.to_string() == id) {
            Some(o) => ok(
                &state,
                "organization_show",
                json!({"id": o.id, "name": o.slug, "title": o.name, "display_name": o.name, "description": "", "type": "organization", "state": "active", "is_organization": true, "created": ckan_time(o.created_at)}),
            ),
            None => error(
                &state,
                "organization_show",
                StatusCode::NOT_FOUND,
                "Not Found Error",
                "Not found",
            ),
        },
        Err(e) => internal(&state, "organization_show", e),
    }
}

/// CKAN Action API `resource_show`: One resource.
#[utoipa::path(get, path = "/api/3/action/resource_show", tag = "standards", params(("id" = String, Query, description = "Resource id")), 
    responses((status = 200, description = "CKAN envelope `{help, success: true, result}`, `result` being a resource dictionary (`url`, `format`, `mimetype`, `size`, `hash` as `sha256:<hex>`). See the CKAN Action API reference: https://docs.ckan.org/en/2.10/api/", content_type = "application/json"), (status = 404, description = "CKAN error `{success: false, error: {__type: \"Not Found Error\", message}}`", content_type = "application/json")))]
pub async fn resource_show(State(state): State<AppState>, Query(q): Query<IdQuery>) -> Response {
    let Some(id) = q.id.and_then(|i| i.parse::<uuid::Uuid>().ok()) else {
        return error(
            &state,
            "resource_show",
            StatusCode::NOT_FOUND,
            "Not Found Error",
            "Not found",
        );
    };
    match service::resource(&state.db, id).await {
        Ok((r, d)) => ok(
            &state,
            "resource_show",
            resource_dict(&service::resource_public(r, &state.config.public_url), d.id, 0),
        ),
        Err(AppError::Api(_)) => {
            error(&state, "resource_show", StatusCode::NOT_FOUND, "Not Found Error", "Not found")
        }
        Err(e) => internal(&state, "resource_show", e),
    }
}

/// CKAN Action API `license_list`: The licences the pool accepts, by SPDX id.
#[utoipa::path(get, path = "/api/3/action/license_list", tag = "standards", 
    responses((status = 200, description = "CKAN envelope `{help, success: true, result}`, `result` being a list of licence dictionaries. See the CKAN Action API reference: https://docs.ckan.org/en/2.10/api/", content_type = "application/json")))]
pub async fn license_list(State(state): State<AppState>) -> Response {
    let result: Vec<Value> = LICENCES
        .iter()
        .map(|l| json!({"id": l.id, "title": l.title, "url": l.url, "status": "active", "od_conformance": "approved", "osd_conformance": "not reviewed", "domain_data": true, "domain_content": false, "domain_software": false}))
        .collect();
    ok(&state, "license_list", json!(result))
}

/// CKAN Action API `status_show`: What this site is, CKAN style.
#[utoipa::path(get, path = "/api/3/action/status_show", tag = "standards", 
    responses((status = 200, description = "CKAN envelope `{help, success: true, result}`, `result` being a status dictionary (`ckan_version`, `site_title`, `site_url`…). See the CKAN Action API reference: https://docs.ckan.org/en/2.10/api/", content_type = "application/json")))]
pub async fn status_show(State(state): State<AppState>) -> Response {
    ok(
        &state,
        "status_show",
        json!({"ckan_version": "2.10.0", "site_title": "Hackops", "site_url": state.config.public_url, "site_description": "Civic open-data hackathons", "error_emails_to": null, "locale_default": "fr", "extensions": ["hackops"]}),
    )
}
