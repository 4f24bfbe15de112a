//! The single-page app: hashed assets cached forever, index.html never, client-side routes.

use crate::helpers::*;
use reqwest::StatusCode;
use std::io::Write;

fn fake_dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>Hackops</title>").unwrap();
    std::fs::write(dir.path().join("assets/app-0123456789abcdef.js"), "export default 1;").unwrap();
    std::fs::write(dir.path().join("assets/app-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0")
        .unwrap();
    let gz = std::fs::File::create(dir.path().join("assets/app-0123456789abcdef.js.gz")).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(gz, flate2::Compression::best());
    encoder.write_all(b"export default 1;").unwrap();
    encoder.finish().unwrap();
    dir
}

#[tokio::test]
async fn the_app_shell_is_served_for_client_routes_without_caching() {
    let dist = fake_dist();
    let app =
        spawn_app_with(Options { static_dir: Some(dist.path().to_owned()), ..Options::default() })
            .await;
    for path in ["/", "/events/some-event", "/signin"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(response.headers(), "cache-control"), "no-cache", "{path}");
        assert!(header(response.headers(), "content-type").starts_with("text/html"), "{path}");
        assert!(response.text().await.unwrap().contains("<title>Hackops</title>"));
    }
    // API paths never fall back to the app.
    assert_error(app.get("/api/v1/unknown").await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn hashed_assets_are_immutable_typed_and_precompressed() {
    let dist = fake_dist();
    let app =
        spawn_app_with(Options { static_dir: Some(dist.path().to_owned()), ..Options::default() })
            .await;
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let js = raw
        .get(app.url("/assets/app-0123456789abcdef.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), StatusCode::OK);
    assert_eq!(header(js.headers(), "cache-control"), "public, max-age=31536000, immutable");
    assert_eq!(header(js.headers(), "content-encoding"), "gzip");
    assert!(
        header(js.headers(), "content-type").starts_with("text/javascript"),
        "{}",
        header(js.headers(), "content-type")
    );
    let wasm = raw.get(app.url("/assets/app-0123456789abcdef_bg.wasm")).send().await.unwrap();
    assert_eq!(header(wasm.headers(), "content-type"), "application/wasm");
    let missing = raw.get(app.url("/assets/app-ffffffffffffffff.js")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND, "a missing asset is not the app shell");
    assert_eq!(
        header(missing.headers(), "cache-control"),
        "no-cache",
        "a missing asset is never cached forever"
    );
}

#[tokio::test]
async fn without_a_built_app_the_root_explains_what_to_do() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.text().await.unwrap().contains("scripts/build-frontend.sh"));
}
