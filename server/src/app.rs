//! Application assembly: shared state, the router with its middleware, and the server life
//! cycle (`build` binds the port; `run_until_stopped` serves until the shutdown signal).

use crate::auth::rate_limit::LoginLimiter;
use crate::auth::tokens::TokenKeys;
use crate::config::Config;
use crate::error::AppError;
use crate::ops::metrics::Metrics;
use crate::realtime::hub::Hub;
use crate::realtime::routes::Connections;
use crate::realtime::runtime::SocketRuntime;
use crate::realtime::socket::Limits;
use crate::realtime::{bus::Bus, Realtime};
use crate::{
    announcements, auth, datasets, db, demo, events, handout, http as web_http, openapi, ops,
    organisations, participation, realtime, topics,
};
use anyhow::Context;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::Request;
use axum::middleware;
use axum::routing::{any, get};
use axum::serve::ListenerExt;
use axum::Router;
use hackops_shared::error::ErrorCode;
use sea_orm::DatabaseConnection;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Largest JSON body the API accepts.
pub const MAX_JSON_BODY: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub tokens: Arc<TokenKeys>,
    pub metrics: Arc<Metrics>,
    pub limiter: Arc<LoginLimiter>,
    /// `None` in the embedded mode.
    pub redis: Option<redis::Client>,
    pub realtime: Realtime,
    pub ws_connections: Arc<Connections>,
    pub ws_limits: Arc<Limits>,
    /// Where the websocket connections' tasks run.
    pub ws_runtime: Arc<SocketRuntime>,
    pub storage: crate::storage::Storage,
    /// Signs and checks the hand-out's download links.
    pub links: Arc<crate::handout::links::LinkKeys>,
}

/// Changes to one topic reach subscribers at most this often (latest state wins).
const TOPIC_MIN_INTERVAL: Duration = Duration::from_millis(100);
/// How often each instance looks for due scheduled phase changes.
const SCHEDULER_TICK: Duration = Duration::from_secs(1);
/// With Redis, how often followed topics' versions are compared with the database.
const VERSION_POLL: Duration = Duration::from_secs(2);

impl FromRef<AppState> for Arc<Metrics> {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}

async fn api_not_found() -> AppError {
    AppError::Api(ErrorCode::NotFound)
}

async fn method_not_allowed() -> AppError {
    AppError::Api(ErrorCode::MethodNotAllowed)
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    axum::response::IntoResponse::into_response(AppError::Internal(anyhow::anyhow!(
        "handler panicked"
    )))
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(auth::routes::router())
        .merge(organisations::routes::router())
        .merge(events::routes::router())
        .merge(participation::routes::router())
        .merge(announcements::routes::router())
        .merge(crate::dashboard::router())
        .merge(datasets::routes::router())
        .merge(handout::routes::router())
        .merge(datasets::harvest::routes::router())
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY));

    let request_id = axum::http::HeaderName::from_static("x-request-id");
    Router::new()
        .nest("/api/v1", api)
        .route("/api/openapi.json", get(openapi::openapi_json))
        .merge(datasets::ckan::router())
        .merge(datasets::standards::router())
        .route("/api/{*rest}", any(api_not_found))
        .route("/ws", get(realtime::routes::ws_handler))
        .route("/healthz", get(ops::health::healthz))
        .route("/readyz", get(ops::health::readyz))
        .route("/metrics", get(ops::metrics::metrics))
        .layer(middleware::from_fn_with_state(state.metrics.clone(), web_http::middleware::record_metrics))
        .with_state(state.clone())
        .merge(web_http::web::router(state.config.static_dir.as_deref()))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(web_http::middleware::render_errors))
        .layer(middleware::from_fn(web_http::middleware::security_headers))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    port: u16,
    state: AppState,
}

impl Application {
    /// Connects and migrates the database, seeds the demo when asked, and binds the port
    /// (port 0 picks a free one: see [`Application::port`]).
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let db = db::connect(&config.database_url).await?;
        db::migrate(&db).await?;
        let storage = crate::storage::Storage::open(&config.files)?;
        if config.demo {
            demo::seed(&db, &storage)
                .await
                .map_err(|e| anyhow::anyhow!("cannot seed the demo: {e}"))?;
        }
        let redis = match &config.redis_url {
            Some(url) => Some(redis::Client::open(url.as_str()).context("invalid Redis URL")?),
            None => None,
        };
        let hub = Hub::new(Arc::new(topics::AppTopics::new(db.clone())), TOPIC_MIN_INTERVAL);
        let (revoked, _) = tokio::sync::broadcast::channel(256);
        let bus = redis
            .clone()
            .map(|client| Bus::start(client, hub.clone(), revoked.clone(), hub.shutdown.clone()));
        if bus.is_some() {
            let hub = hub.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(VERSION_POLL);
                loop {
                    tokio::select! {
                        () = hub.shutdown.cancelled() => return,
                        _ = tick.tick() => hub.poll_versions().await,
                    }
                }
            });
        }
        let realtime = Realtime::new(hub.clone(), bus, revoked);
        tokio::spawn(events::phases::scheduler(
            db.clone(),
            realtime.clone(),
            SCHEDULER_TICK,
            hub.shutdown.clone(),
        ));
        let state = AppState {
            realtime,
            ws_connections: Connections::new(config.ws_max_connections_per_ip as usize),
            ws_limits: Arc::new(Limits::default()),
            ws_runtime: Arc::new(
                SocketRuntime::start().context("cannot start the websocket runtime")?,
            ),
            storage,
            tokens: Arc::new(TokenKeys::new(&config)),
            links: Arc::new(handout::links::LinkKeys::new(
                config.jwt_secret.expose(),
                config.download_link_ttl,
            )),
            limiter: Arc::new(LoginLimiter::new(config.login_attempts_per_minute)),
            metrics: Arc::new(Metrics::default()),
            config: Arc::new(config),
            db,
            redis,
        };
        let listener = TcpListener::bind(state.config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", state.config.addr))?;
        let port = listener.local_addr()?.port();
        let router = router(state.clone());
        Ok(Application { listener, router, port, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let limiter = self.state.limiter.clone();
        let housekeeping = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                limiter.shrink();
            }
        });
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let hub = self.state.realtime.hub.clone();
        // Websockets are not tracked by graceful shutdown: tell them to close (1001) first.
        let shutdown = async move {
            shutdown.await;
            hub.shutdown.cancel();
        };
        // Small realtime frames must leave at once, not wait for Nagle's algorithm.
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let result = axum::serve(listener, service).with_graceful_shutdown(shutdown).await;
        housekeeping.abort();
        self.state.db.clone().close().await.ok();
        result.context("server error")
    }
}

/// Completes on Ctrl-C or SIGTERM. The SIGTERM handler is installed when this is called (not
/// when the future is first polled), so a stop request right after start-up is not lost.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async {
            match terminate.as_mut() {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = terminate => {},
        }
        tracing::info!("shutdown signal received, finishing in-flight requests");
    }
}
