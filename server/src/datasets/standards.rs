//! The pool in the standards' own words: DCAT-AP 3 as JSON-LD (`/catalog.jsonld`, paged with
//! Hydra, and `/dataset/{name}.jsonld`) and Frictionless Data Package v2
//! (`/dataset/{name}/datapackage.json`).

use super::service;
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hackops_shared::datasets::{licence, DatasetDto};
use hackops_shared::error::{ErrorBody, ErrorCode};
use hackops_shared::validation::slugify;
use serde::Deserialize;
use serde_json::{json, Value};

const PAGE_SIZE: u64 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog.jsonld", get(catalog))
        .route("/dataset/{file}", get(dataset_jsonld))
        .route("/dataset/{name}/datapackage.json", get(datapackage))
}

fn context() -> Value {
    json!({
        "dcat": "http://www.w3.org/ns/dcat#",
        "dct": "http://purl.org/dc/terms/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "vcard": "http://www.w3.org/2006/vcard/ns#",
        "hydra": "http://www.w3.org/ns/hydra/core#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "spdx": "http://spdx.org/rdf/terms#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "dct:issued": {"@type": "xsd:dateTime"},
        "dct:modified": {"@type": "xsd:dateTime"},
        "dcat:startDate": {"@type": "xsd:date"},
        "dcat:endDate": {"@type": "xsd:date"},
        "dcat:byteSize": {"@type": "xsd:nonNegativeInteger"},
    })
}

fn jsonld(body: Value) -> Response {
    ([(header::CONTENT_TYPE, "application/ld+json; charset=utf-8")], body.to_string())
        .into_response()
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn iso_date(d: time::Date) -> String {
    d.format(time::macros::format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

/// The EU vocabulary of file types, for `dct:format`.
const FILE_TYPES: &str = "http://publications.europa.eu/resource/authority/file-type/";
/// The EU vocabulary of frequencies, for `dct:accrualPeriodicity`.
const FREQUENCIES: &str = "http://publications.europa.eu/resource/authority/frequency/";

/// `dct:format`: the EU file type (`…/file-type/CSV`) for a plain format code, else a described
/// `dct:MediaTypeOrExtent` (DCAT-AP wants a resource, never a bare string).
fn format_node(format: &str) -> Value {
    if !format.is_empty() && format.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        json!({"@id": format!("{FILE_TYPES}{}", format.to_ascii_uppercase()), "@type": "dct:MediaTypeOrExtent"})
    } else {
        json!({"@type": "dct:MediaTypeOrExtent", "rdfs:label": format})
    }
}

/// `dct:accrualPeriodicity`: the EU frequency for the words the pool uses, else a described
/// `dct:Frequency`.
fn frequency_node(frequency: &str) -> Value {
    let code = match frequency.trim().to_ascii_lowercase().as_str() {
        "continuous" | "realtime" | "real-time" => "CONT",
        "hourly" => "HOURLY",
        "daily" => "DAILY",
        "weekly" => "WEEKLY",
        "monthly" => "MONTHLY",
        "quarterly" => "QUARTERLY",
        "semiannual" | "biannual" => "ANNUAL_2",
        "annual" | "yearly" => "ANNUAL",
        "irregular" => "IRREG",
        "never" => "NEVER",
        _ => return json!({"@type": "dct:Frequency", "rdfs:label": frequency}),
    };
    json!({"@id": format!("{FREQUENCIES}{code}"), "@type": "dct:Frequency"})
}

/// One dataset as a DCAT-AP 3 node (mandatory: title, description; with publisher, licence,
/// keywords, contact point and distributions with their access URLs).
pub fn dataset_node(d: &DatasetDto, base: &str) -> Value {
    let iri = format!("{base}/dataset/{}", d.name);
    // A harvested dataset may have no licence the pool knows: then no `dct:license` at all.
    let licence_iri =
        licence(&d.licence_id).map(|l| json!({"@id": l.url, "@type": "dct:LicenseDocument"}));
    let distributions: Vec<Value> = d
        .resources
        .iter()
        .map(|r| {
            let mut node = json!({
                "@id": format!("{iri}/resource/{}", r.id),
                "@type": "dcat:Distribution",
                "dct:title": r.title,
                "dcat:accessURL": {"@id": r.url},
                "dct:issued": rfc3339(r.created_at),
            });
            if !r.format.is_empty() {
                node["dct:format"] = format_node(&r.format);
            }
            // IANA's media types, as DCAT-AP asks (a resource, not a string).
            if r.media_type.contains('/') && !r.remote {
                node["dcat:mediaType"] = json!({
                    "@id": format!("https://www.iana.org/assignments/media-types/{}", r.media_type),
                    "@type": "dct:MediaType",
                });
            }
            if let Some(iri) = &licence_iri {
                node["dct:license"] = iri.clone();
            }
            if !r.remote {
                node["dcat:downloadURL"] = json!({"@id": r.url});
            }
            if let Some(size) = r.size {
                node["dcat:byteSize"] = json!(size.to_string());
            }
            if let Some(sha) = &r.sha256 {
                node["spdx:checksum"] = json!({"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"}, "spdx:checksumValue": sha});
            }
            node
        })
        .collect();
    let mut node = json!({
        "@id": iri,
        "@type": "dcat:Dataset",
        "dct:identifier": d.id.to_string(),
        "dct:title": d.title,
        // Mandatory in DCAT-AP: a dataset published without one is described by its title.
        "dct:description": if d.description.trim().is_empty() { &d.title } else { &d.description },
        "dct:publisher": {"@id": format!("{base}/organisation/{}", d.publisher.slug), "@type": "foaf:Agent", "foaf:name": d.publisher.name},
        "dcat:keyword": d.keywords,
        "dcat:theme": d.themes.iter().map(|t| json!({"@type": "skos:Concept", "skos:prefLabel": t})).collect::<Vec<_>>(),
        "dct:issued": rfc3339(d.created_at),
        "dct:modified": rfc3339(d.modified_at),
        "dcat:landingPage": {"@id": iri},
        "dcat:distribution": distributions,
    });
    if let Some(iri) = licence_iri {
        node["dct:license"] = iri;
    }
    if let Some(place) = &d.spatial {
        node["dct:spatial"] = json!({"@type": "dct:Location", "dct:title": place});
    }
    if let Some(email) = &d.contact_email {
        node["dcat:contactPoint"] =
            json!({"@type": "vcard:Kind", "vcard:hasEmail": {"@id": format!("mailto:{email}")}});
    }
    if let Some(frequency) = &d.frequency {
        node["dct:accrualPeriodicity"] = frequency_node(frequency);
    }
    if d.temporal_start.is_some() || d.temporal_end.is_some() {
        let mut period = json!({"@type": "dct:PeriodOfTime"});
        if let Some(start) = d.temporal_start {
            period["dcat:startDate"] = json!(iso_date(start));
        }
        if let Some(end) = d.temporal_end {
            period["dcat:endDate"] = json!(iso_date(end));
        }
        node["dct:temporal"] = period;
    }
    node
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u64>,
}

/// The pool as a DCAT-AP 3 catalogue in JSON-LD, 100 datasets a page (Hydra paging).
#[utoipa::path(get, path = "/catalog.jsonld", tag = "standards", params(("page" = Option<u64>, Query, description = "1-based page")),
    responses((status = 200, description = "A `dcat:Catalog` (and `hydra:Collection`) with its `dcat:dataset`s, `hydra:view` linking the pages. DCAT-AP 3: https://semiceu.github.io/DCAT-AP/releases/3.0.0/ ; JSON-LD 1.1: https://www.w3.org/TR/json-ld11/", content_type = "application/ld+json")))]
pub async fn catalog(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let base = state.config.public_url.as_str();
    let page = q.page.unwrap_or(1).max(1);
    let query = service::Query {
        q: None,
        licence: None,
        format: None,
        theme: None,
        publisher: None,
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    let list = service::search(&state.db, query, base).await?;
    let last = list.total.div_ceil(PAGE_SIZE).max(1);
    let page_iri = |n: u64| format!("{base}/catalog.jsonld?page={n}");
    let mut view = json!({
        "@id": page_iri(page), "@type": "hydra:PartialCollectionView",
        "hydra:first": {"@id": page_iri(1)}, "hydra:last": {"@id": page_iri(last)},
    });
    if page < last {
        view["hydra:next"] = json!({"@id": page_iri(page + 1)});
    }
    if page > 1 {
        view["hydra:previous"] = json!({"@id": page_iri(page - 1)});
    }
    Ok(jsonld(json!({
        "@context": context(),
        "@id": format!("{base}/catalog.jsonld"),
        "@type": ["dcat:Catalog", "hydra:Collection"],
        "dct:title": "Hackops — open data pool",
        "dct:description": "Datasets published by the authorities running hackathons on Hackops, and what the events produced.",
        "dct:publisher": {"@id": format!("{base}/"), "@type": "foaf:Agent", "foaf:name": "Hackops"},
        "foaf:homepage": {"@id": format!("{base}/")},
        "hydra:totalItems": list.total,
        "hydra:view": view,
        "dcat:dataset": list.items.iter().map(|d| dataset_node(d, base)).collect::<Vec<_>>(),
    })))
}

/// One dataset as a DCAT-AP 3 `dcat:Dataset` in JSON-LD.
#[utoipa::path(get, path = "/dataset/{name}.jsonld", tag = "standards", params(("name" = String, Path, description = "Dataset name (slug)")),
    responses((status = 200, description = "A `dcat:Dataset` with its `dcat:distribution`s. DCAT-AP 3: https://semiceu.github.io/DCAT-AP/releases/3.0.0/", content_type = "application/ld+json"),
        (status = 404, body = ErrorBody)))]
pub async fn dataset_jsonld(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let name = file.strip_suffix(".jsonld").ok_or(AppError::Api(ErrorCode::NotFound))?;
    let d = service::get(&state.db, name, &state.config.public_url).await?;
    let mut node = dataset_node(&d, &state.config.public_url);
    node["@context"] = context();
    Ok(jsonld(node))
}

/// Frictionless Data Package v2: resource names are unique, lower-case, `[a-z0-9._-]`.
pub fn datapackage_of(d: &DatasetDto) -> Value {
    let lic = licence(&d.licence_id);
    let mut names: Vec<String> = Vec::new();
    let resources: Vec<Value> = d
        .resources
        .iter()
        .map(|r| {
            let base = match slugify(&r.title) {
                s if s.is_empty() => "resource".to_owned(),
                s => s,
            };
            let mut name = base.clone();
            let mut n = 2;
            while names.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            names.push(name.clone());
            let mut resource = json!({"name": name, "path": r.url, "title": r.title});
            if !r.format.is_empty() {
                resource["format"] = json!(r.format.to_lowercase());
            }
            if r.media_type.contains('/') && !r.remote {
                resource["mediatype"] = json!(r.media_type);
            }
            if let Some(size) = r.size {
                resource["bytes"] = json!(size);
            }
            if let Some(sha) = &r.sha256 {
                resource["hash"] = json!(format!("sha256:{sha}"));
            }
            // A CSV or TSV file is a tabular resource: its Table Schema and its dialect.
            if let Some(schema) = &r.schema {
                resource["type"] = json!("table");
                resource["schema"] = json!(schema);
            }
            if let Some(dialect) = &r.dialect {
                resource["dialect"] = json!(dialect);
            }
            resource
        })
        .collect();
    let mut package = json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": d.name,
        "id": d.id.to_string(),
        "title": d.title,
        "description": d.description,
        "version": "1.0.0",
        "created": rfc3339(d.created_at),
        "keywords": d.keywords,
        "contributors": [{"title": d.publisher.name, "roles": ["publisher"]}],
        "resources": resources,
    });
    // A harvested dataset whose licence is not specified says nothing rather than a wrong id.
    if let Some(l) = lic {
        package["licenses"] = json!([{"name": l.id, "path": l.url, "title": l.title}]);
    }
    package
}

/// One dataset as a Frictionless Data Package v2.
#[utoipa::path(get, path = "/dataset/{name}/datapackage.json", tag = "standards", params(("name" = String, Path, description = "Dataset name (slug)")),
    responses((status = 200, description = "A Data Package v2 descriptor: `licenses` (SPDX), `resources` with `path`, `bytes`, `hash`, and for CSV/TSV files `type: table`, the Table Schema and the dialect. Data Package v2: https://datapackage.org/standard/data-package/", content_type = "application/json"),
        (status = 404, body = ErrorBody)))]
pub async fn datapackage(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> AppResult<Response> {
    let d = service::get(&state.db, &name, &state.config.public_url).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], datapackage_of(&d).to_string())
        .into_response())
}
