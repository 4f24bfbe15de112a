use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn probes_answer() {
    let app = spawn_app().await;
    let health: Value = app.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["database"], "ok");
    assert_eq!(ready["redis"], if on_postgres() { "ok" } else { "disabled" });
}

#[tokio::test]
async fn readiness_fails_when_redis_is_unreachable() {
    // A server configured with a Redis nobody listens on is alive but not ready.
    let dir = tempfile::tempdir().unwrap();
    let args = hackops_server::config::ServeArgs {
        storage: hackops_server::config::StorageArgs {
            data_dir: dir.path().to_owned(),
            database_url: None,
        },
        files: hackops_server::config::FileStoreArgs::default(),
        addr: "127.0.0.1:0".parse().unwrap(),
        redis_url: Some("redis://127.0.0.1:1".into()),
        public_url: None,
        allowed_origins: vec![],
        static_dir: None,
        jwt_secret: Some(TEST_SECRET.into()),
        jwt_secret_file: None,
        access_token_ttl: 900,
        refresh_token_ttl: 3600,
        login_attempts_per_minute: 10,
        ws_max_connections_per_ip: 10,
        max_upload_bytes: 1024,
        download_link_ttl: 600,
        demo: false,
    };
    let app = hackops_server::app::Application::build(
        hackops_server::config::Config::from_args(args).unwrap(),
    )
    .await
    .unwrap();
    let url = format!("http://127.0.0.1:{}/readyz", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["redis"], "unavailable");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let app = spawn_app().await;
    app.get("/api/v1/events").await;
    app.get("/api/v1/events").await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(
        text.contains(
            r#"hackops_http_requests_total{method="GET",route="/api/v1/events",status="200"} 2"#
        ),
        "{text}"
    );
}

#[tokio::test]
async fn the_openapi_document_is_served_and_covers_the_api() {
    let app = spawn_app().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/me",
        "/api/v1/events",
        "/api/v1/events/{id}",
        "/api/v1/resources/{id}/preview",
        "/api/v1/resources/{id}/schema",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    for path in [
        "/api/3/action/package_list",
        "/api/3/action/package_show",
        "/api/3/action/package_search",
        "/api/3/action/organization_list",
        "/api/3/action/organization_show",
        "/api/3/action/resource_show",
        "/api/3/action/license_list",
        "/api/3/action/status_show",
        "/catalog.jsonld",
        "/dataset/{name}.jsonld",
        "/dataset/{name}/datapackage.json",
    ] {
        assert_eq!(doc["paths"][path]["get"]["tags"][0], "standards", "{path}");
    }
    assert!(doc["components"]["schemas"].get("ErrorBody").is_some());
}

#[tokio::test]
async fn unknown_api_routes_and_methods_are_json_errors() {
    let app = spawn_app().await;
    assert_error(app.get("/api/v1/nothing-here").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.get("/api/v2/events").await, StatusCode::NOT_FOUND, "not_found").await;
    let delete = app.client.delete(app.url("/api/v1/events")).send().await.unwrap();
    assert_error(delete, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

#[tokio::test]
async fn every_response_has_a_request_id_and_security_headers() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/events").await;
    let headers = response.headers();
    assert_eq!(header(headers, "x-request-id").len(), 36);
    assert_eq!(header(headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(headers, "x-frame-options"), "DENY");
    assert_eq!(header(headers, "cache-control"), "no-store");
    let csp = header(headers, "content-security-policy");
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let echoed = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(header(echoed.headers(), "x-request-id"), "trace-me-123");
}
