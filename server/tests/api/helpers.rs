//! `spawn_app()`: a fresh server and a fresh database for every test.

use hackops_server::app::Application;
use hackops_server::config::{Config, FileStoreArgs, ServeArgs, StorageArgs};
use reqwest::header::HeaderMap;
use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{json, Value};
use std::path::PathBuf;
use tempfile::TempDir;

pub const TEST_SECRET: &str = "integration-test-secret-0123456789abcdef";
pub const PASSWORD: &str = "a long enough password";

pub struct TestApp {
    pub address: String,

    /// A browser-like client: keeps cookies.
    pub client: Client,
    pub db: DatabaseConnection,
    pub public_url: String,
    /// The database this instance uses (another instance can share it).
    pub database_url: String,
    pub data_dir: PathBuf,
    _data_dir: TempDir,
    pg_database: Option<String>,
}

pub struct Options {
    pub demo: bool,
    pub login_attempts_per_minute: u32,
    pub static_dir: Option<PathBuf>,
    pub access_token_ttl: u64,
    /// Use Redis even on SQLite (several instances need it to talk).
    pub redis: bool,
    /// Run as another instance on this database instead of a fresh one.
    pub database_url: Option<String>,
    pub allowed_origins: Vec<String>,
    pub max_upload_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            demo: false,
            login_attempts_per_minute: 1000,
            static_dir: None,
            access_token_ttl: 900,
            redis: on_postgres(),
            database_url: None,
            allowed_origins: vec![],
            max_upload_bytes: 10 * 1024 * 1024,
        }
    }
}

pub fn on_postgres() -> bool {
    std::env::var("HACKOPS_TEST_DB").is_ok_and(|v| v == "postgres")
}

fn pg_base_url() -> String {
    std::env::var("HACKOPS_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub fn redis_url() -> String {
    std::env::var("HACKOPS_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

async fn admin_execute(sql: String) {
    let admin = Database::connect(format!("{}/postgres", pg_base_url()))
        .await
        .expect("connect to PostgreSQL (is it running?)");
    admin
        .execute(Statement::from_string(admin.get_database_backend(), sql))
        .await
        .expect("admin statement");
    admin.close().await.ok();
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let (database_url, pg_database) = if let Some(shared) = options.database_url {
        (Some(shared), None)
    } else if on_postgres() {
        let name = format!("hackops_test_{}", uuid::Uuid::new_v4().simple());
        admin_execute(format!("CREATE DATABASE {name}")).await;
        (Some(format!("{}/{name}", pg_base_url())), Some(name))
    } else {
        (None, None)
    };
    let args = ServeArgs {
        storage: StorageArgs { data_dir: data_dir.path().to_owned(), database_url },
        files: FileStoreArgs::default(),
        addr: "127.0.0.1:0".parse().expect("addr"),
        redis_url: options.redis.then(redis_url),
        public_url: None,
        allowed_origins: options.allowed_origins,
        static_dir: options.static_dir,
        jwt_secret: Some(TEST_SECRET.into()),
        jwt_secret_file: None,
        access_token_ttl: options.access_token_ttl,
        refresh_token_ttl: 3600,
        login_attempts_per_minute: options.login_attempts_per_minute,
        ws_max_connections_per_ip: 1000,
        max_upload_bytes: options.max_upload_bytes,
        download_link_ttl: 600,
        demo: options.demo,
    };
    let config = Config::from_args(args).expect("config");
    let public_url = config.public_url.clone();
    let database_url = config.database_url.clone();
    let app = Application::build(config).await.expect("build the application");
    let port = app.port();
    let db = app.state().db.clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = Client::builder().cookie_store(true).build().expect("client");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client,
        db,
        public_url,
        database_url,
        data_dir: data_dir.path().canonicalize().expect("data dir"),
        _data_dir: data_dir,
        pg_database,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(name) = self.pg_database.take() {
            // Drop the per-test database from a separate runtime: Drop cannot await.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    rt.block_on(admin_execute(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )));
                }
            })
            .join();
        }
    }
}

/// A session as an API client sees it.
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub user_id: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).json(body).send().await.expect("request")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn get_as(&self, path: &str, token: &str) -> Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.expect("request")
    }

    pub async fn post_as(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch_as(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn register(&self, email: &str) -> Session {
        let response = self
            .post_json(
                "/api/v1/auth/register",
                &json!({"email": email, "password": PASSWORD, "display_name": "Test Person"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "register {email}");
        session(response).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_json("/api/v1/auth/login", &json!({"email": email, "password": password})).await
    }

    /// A signed-in organiser of a fresh organisation.
    pub async fn organiser(&self, email: &str) -> (Session, String) {
        let session = self.register(email).await;
        let response = self
            .post_as(
                "/api/v1/organisations",
                &session.access_token,
                &json!({"name": format!("Ville {email}")}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let org: Value = response.json().await.expect("json");
        (session, org["id"].as_str().expect("id").to_owned())
    }

    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("count")
    }
}

impl TestApp {
    /// The stored version of a realtime topic (0 when it never changed).
    pub async fn topic_version(&self, topic: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one(Statement::from_sql_and_values(
                backend,
                match backend {
                    sea_orm::DatabaseBackend::Postgres => {
                        "SELECT version FROM topic_versions WHERE topic = $1"
                    }
                    _ => "SELECT version FROM topic_versions WHERE topic = ?",
                },
                [topic.into()],
            ))
            .await
            .expect("version query");
        row.map(|r| r.try_get::<i64>("", "version").expect("version")).unwrap_or(0)
    }
}

pub async fn session(response: Response) -> Session {
    let body: Value = response.json().await.expect("json");
    Session {
        access_token: body["access_token"].as_str().expect("access_token").to_owned(),
        refresh_token: body["refresh_token"].as_str().expect("refresh_token").to_owned(),
        user_id: body["user"]["id"].as_str().expect("user id").to_owned(),
    }
}

/// Asserts an error response: status, stable code, and a non-empty message.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "status for expected `{code}`");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("application/json"), "error content type: {content_type}");
    let body: Value = response.json().await.expect("json error body");
    assert_eq!(body["code"], code, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

pub fn header(headers: &HeaderMap, name: &str) -> String {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

pub fn event_body(title: &str) -> Value {
    json!({
        "title": title,
        "description": "Open data **for all**.",
        "timezone": "Africa/Abidjan",
        "starts_at": "2027-03-06T09:00:00Z",
        "ends_at": "2027-03-07T18:00:00Z",
        "venue": "Plateau"
    })
}

/// The demo event's id and an organiser's access token.
pub async fn demo(app: &TestApp) -> (String, String) {
    let list: Value = app.get("/api/v1/events").await.json().await.unwrap();
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let token = session(app.login("organiser@demo.test", "demo-password").await).await.access_token;
    (id, token)
}

/// Rolls the schema back to just before migration `name` (and whatever came after it).
pub async fn roll_back_before(app: &TestApp, name: &str) {
    use hackops_migrations::{Migrator, MigratorTrait};
    let all = Migrator::migrations();
    let at = all.iter().position(|m| m.name() == name).expect("a known migration");
    let steps = u32::try_from(all.len() - at).expect("a few migrations");
    Migrator::down(&app.db, Some(steps)).await.expect("migrations down");
}
