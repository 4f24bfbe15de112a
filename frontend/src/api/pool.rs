//! The open data pool: search, datasets, resources (uploads with their progress) and harvests.
//!
//! Bodies are `serde_json::Value`s (see `ops`): no DTO gets a serialiser of its own.

use super::{encode, get, parse, post, url, write, ApiError, Verb};
use hackops_shared::datasets::{
    DatasetDto, DatasetFacets, DatasetList, HarvestReport, ResourceDto, ResourcePreview,
    TableSchema,
};
use hackops_shared::error::ErrorBody;
use hackops_shared::lang::Lang;
use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{File, ProgressEvent, XmlHttpRequest};

/// One page of the pool; `query` is the page's own query string (`q=…&licence=…&page=…`).
pub async fn search(query: &str, lang: Lang) -> Result<DatasetList, ApiError> {
    get(&format!("/datasets?{query}"), lang, None).await
}

/// The formats, themes, licences and publishers present in the pool, with their counts.
pub async fn facets(lang: Lang) -> Result<DatasetFacets, ApiError> {
    get("/datasets/facets", lang, None).await
}

pub async fn dataset(name: &str, lang: Lang) -> Result<DatasetDto, ApiError> {
    get(&format!("/datasets/{}", encode(name)), lang, None).await
}

pub async fn create(body: &Value, lang: Lang, token: String) -> Result<DatasetDto, ApiError> {
    post("/datasets", body, lang, Some(&token)).await
}

pub async fn add_link(
    name: &str,
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<ResourceDto, ApiError> {
    post(&format!("/datasets/{}/resources/link", encode(name)), body, lang, Some(&token)).await
}

pub async fn harvest(body: &Value, lang: Lang, token: String) -> Result<HarvestReport, ApiError> {
    post("/harvest", body, lang, Some(&token)).await
}

/// Uploads `file` as a new resource of dataset `name`: the raw bytes are the body, the title
/// and file name go in the query. `progress` hears (bytes sent, bytes in all) as they leave.
///
/// An `XMLHttpRequest`, because `fetch` tells nothing about a request body's progress.
pub async fn upload(
    name: &str,
    title: &str,
    file: &File,
    progress: impl Fn(f64, f64) + 'static,
    lang: Lang,
    token: String,
) -> Result<ResourceDto, ApiError> {
    let path = format!(
        "/datasets/{}/resources?title={}&filename={}",
        encode(name),
        encode(title),
        encode(&file.name())
    );
    let xhr = XmlHttpRequest::new().map_err(|_| ApiError::Unexpected { status: 0 })?;
    let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() {
            progress(e.loaded(), e.total());
        }
    });
    // The request settles the promise either way; the status tells which.
    let settled = js_sys::Promise::new(&mut |resolve, _reject| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        xhr.set_onloadend(Some(done.unchecked_ref()));
    });
    let sent = (|| {
        xhr.open("POST", &url(&path))?;
        xhr.set_request_header("Accept", "application/json")?;
        xhr.set_request_header("Accept-Language", lang.code())?;
        xhr.set_request_header("Authorization", &format!("Bearer {token}"))?;
        xhr.set_request_header("Content-Type", "application/octet-stream")?;
        xhr.upload()?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        xhr.send_with_opt_blob(Some(file))
    })();
    if sent.is_err() {
        return Err(ApiError::Unexpected { status: 0 });
    }
    let _ = wasm_bindgen_futures::JsFuture::from(settled).await;
    drop(on_progress);
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    match status {
        // Refused by the browser or cut off: no answer at all.
        0 => Err(ApiError::Network),
        200..=299 => parse(&text).ok_or(ApiError::Unexpected { status }),
        _ => match parse::<ErrorBody>(&text) {
            Some(body) => Err(ApiError::Api { status, body }),
            None => Err(ApiError::Unexpected { status }),
        },
    }
}

/// The first rows of a CSV or TSV resource, with its Table Schema.
pub async fn preview(resource: uuid::Uuid, lang: Lang) -> Result<ResourcePreview, ApiError> {
    get(&format!("/resources/{resource}/preview"), lang, None).await
}

/// Replaces a resource's Table Schema (its publishers).
pub async fn save_schema(
    resource: uuid::Uuid,
    schema: &TableSchema,
    lang: Lang,
    token: String,
) -> Result<ResourceDto, ApiError> {
    write(Verb::Put, &format!("/resources/{resource}/schema"), Some(schema), lang, Some(&token))
        .await
}
