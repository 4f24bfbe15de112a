//! Serves the built single-page app (`scripts/build-frontend.sh` output).
//!
//! - `/assets/*` are content-hashed: cached for a year, `immutable`.
//! - every other path that is not a file gets `index.html` (client-side routing), `no-cache`.
//! - precompressed `.br` / `.gz` siblings are served when the browser accepts them.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(static_dir: Option<&Path>) -> Router {
    let Some(dir) = static_dir else {
        return Router::new().fallback(not_built);
    };
    let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
    // A missing asset is a 404, never the app shell (which must not be cached as immutable).
    let assets = ServeDir::new(dir.join("assets")).precompressed_br().precompressed_gzip();
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index);
    Router::new()
        .nest_service("/assets", assets)
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let immutable = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Without a built front end the API still works; say plainly how to get the app.
async fn not_built() -> impl IntoResponse {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "The Hackops web app is not built. Run `bash scripts/build-frontend.sh` (or `make demo`), \
or pass --static-dir.\nL'application web Hackops n'est pas construite : lancez `bash scripts/build-frontend.sh` \
(ou `make demo`), ou indiquez --static-dir.\n",
    )
}
