//! `GET /ws`: the websocket handshake. Checks the `Origin` against the allow-list
//! (cross-site websocket hijacking), caps connections per client address, and configures small
//! buffers (1 KiB read buffer, 4 KiB message cap) before handing the socket to its task.
//!
//! The handshake is done here rather than by axum's `WebSocketUpgrade`, whose socket hides the
//! connection: the connection's [`Transport`] writes the hub's shared frames to it directly.
//! HTTP/1.1 upgrades only (what browsers use for `ws://` and `wss://`); anything else is
//! answered `400 not_websocket`.

use super::runtime::SocketRuntime;
use super::socket::{self, Context};
use super::transport::Transport;
use crate::app::AppState;
use crate::error::AppError;
use crate::http::lang::from_headers;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use hackops_shared::error::ErrorCode;
use hackops_shared::ws::MAX_CLIENT_MESSAGE;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio_tungstenite::WebSocketStream;
use tungstenite::protocol::{Role, WebSocketConfig};

/// Open websocket connections, in total and per client address.
pub struct Connections {
    per_ip: Mutex<HashMap<IpAddr, usize>>,
    max_per_ip: usize,
    total: AtomicUsize,
}

pub struct ConnectionGuard {
    connections: Arc<Connections>,
    ip: IpAddr,
}

impl Connections {
    pub fn new(max_per_ip: usize) -> Arc<Connections> {
        Arc::new(Connections {
            per_ip: Mutex::new(HashMap::new()),
            max_per_ip,
            total: AtomicUsize::new(0),
        })
    }

    pub fn try_acquire(self: &Arc<Self>, ip: IpAddr) -> Option<ConnectionGuard> {
        let mut per_ip = self.per_ip.lock().unwrap_or_else(|e| e.into_inner());
        let count = per_ip.entry(ip).or_insert(0);
        if *count >= self.max_per_ip {
            return None;
        }
        *count += 1;
        self.total.fetch_add(1, Ordering::Relaxed);
        Some(ConnectionGuard { connections: self.clone(), ip })
    }

    pub fn total(&self) -> usize {
        self.total.load(Ordering::Relaxed)
    }
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        let mut per_ip = self.connections.per_ip.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = per_ip.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                per_ip.remove(&self.ip);
            }
        }
        self.connections.total.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The read buffer of a connection, allocated for its whole life. Clients send only small
/// messages (`subscribe` is ~100 bytes, `auth` with its token ~400), so 1 KiB holds any of them
/// in one read; a larger one (up to [`MAX_CLIENT_MESSAGE`]) still arrives whole, over several
/// reads. Idle spectators are the bulk of the connections: every KiB here is a KiB each.
pub const READ_BUFFER: usize = 1024;

/// Browsers always send `Origin`; other clients (apps, tests, the bench) may not, and cannot be
/// driven by a hostile page, so a missing origin is allowed.
fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    match headers.get(http::header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            allowed.iter().any(|a| a.eq_ignore_ascii_case(origin.trim_end_matches('/')))
        }
    }
}

/// The websocket handshake of a request (RFC 6455, section 4.2.1).
pub struct Handshake {
    key: HeaderValue,
    on_upgrade: hyper::upgrade::OnUpgrade,
}

/// Whether a comma-separated header lists `token` (case-insensitively).
fn lists(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| item.trim().eq_ignore_ascii_case(token))
}

impl<S: Send + Sync> FromRequestParts<S> for Handshake {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let headers = &parts.headers;
        let is_handshake = parts.version == Version::HTTP_11
            && lists(headers, header::CONNECTION, "upgrade")
            && lists(headers, header::UPGRADE, "websocket")
            && headers.get(header::SEC_WEBSOCKET_VERSION).is_some_and(|v| v == "13");
        let key = headers.get(header::SEC_WEBSOCKET_KEY).filter(|_| is_handshake).cloned();
        match (key, parts.extensions.remove::<hyper::upgrade::OnUpgrade>()) {
            (Some(key), Some(on_upgrade)) => Ok(Handshake { key, on_upgrade }),
            _ => Err(AppError::Api(ErrorCode::NotWebsocket)),
        }
    }
}

impl Handshake {
    /// Answers `101 Switching Protocols`; once the client has it, `task` runs on `sockets`.
    fn accept<F>(
        self,
        sockets: Arc<SocketRuntime>,
        task: impl FnOnce(Socket) -> F + Send + 'static,
    ) -> Response
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let accept = tungstenite::handshake::derive_accept_key(self.key.as_bytes());
        let on_upgrade = self.on_upgrade;
        tokio::spawn(async move {
            let upgraded = match on_upgrade.await {
                Ok(upgraded) => upgraded,
                Err(err) => {
                    tracing::debug!(error = %err, "websocket upgrade failed");
                    return;
                }
            };
            let config = WebSocketConfig::default()
                .read_buffer_size(READ_BUFFER)
                .max_message_size(Some(MAX_CLIENT_MESSAGE))
                .max_frame_size(Some(MAX_CLIENT_MESSAGE));
            let ws = WebSocketStream::from_raw_socket(
                TokioIo::new(upgraded),
                Role::Server,
                Some(config),
            )
            .await;
            sockets.spawn(task(Box::new(Transport::new(ws))));
        });
        let mut response = StatusCode::SWITCHING_PROTOCOLS.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
        headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        if let Ok(accept) = HeaderValue::from_str(&accept) {
            headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
        }
        response
    }
}

/// An upgraded connection. Boxed: the task's future would otherwise hold it twice (as the
/// argument, then inside `serve`), and every idle connection keeps that future resident.
pub type Socket = Box<Transport<TokioIo<hyper::upgrade::Upgraded>>>;

pub async fn ws_handler(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    handshake: Handshake,
) -> Response {
    if !origin_allowed(&headers, &state.config.allowed_origins) {
        tracing::warn!(origin = ?headers.get(http::header::ORIGIN), "websocket refused: origin not allowed");
        return AppError::Api(ErrorCode::Forbidden).into_response();
    }
    let Some(guard) = state.ws_connections.try_acquire(addr.ip()) else {
        return AppError::RateLimited { retry_after_secs: 5 }.into_response();
    };
    let ctx = Context {
        hub: state.realtime.hub.clone(),
        tokens: state.tokens.clone(),
        revocations: state.realtime.revocations(),
        limits: state.ws_limits.clone(),
        lang: from_headers(&headers),
    };
    handshake.accept(state.ws_runtime.clone(), move |socket| connection(socket, guard, ctx))
}

/// The task of one upgraded connection; the guard counts it until it ends.
async fn connection(socket: Socket, guard: ConnectionGuard, ctx: Context) {
    let end = socket::serve(socket, ctx).await;
    drop(guard);
    tracing::debug!(?end, "websocket closed");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked_exactly() {
        let allowed = vec!["https://hack.city.example".to_owned()];
        let mut headers = HeaderMap::new();
        assert!(origin_allowed(&headers, &allowed), "no origin: not a browser");
        headers.insert(http::header::ORIGIN, "https://hack.city.example".parse().expect("header"));
        assert!(origin_allowed(&headers, &allowed));
        headers.insert(http::header::ORIGIN, "https://evil.example".parse().expect("header"));
        assert!(!origin_allowed(&headers, &allowed));
        headers.insert(
            http::header::ORIGIN,
            "https://hack.city.example.evil.example".parse().expect("header"),
        );
        assert!(!origin_allowed(&headers, &allowed));
    }

    /// What every idle connection keeps resident, with the real socket types: the task's
    /// future (see also `socket::tests::connection_state_is_small`).
    #[test]
    fn the_connection_task_is_small() {
        fn output_size<A, F>(_: impl FnOnce(A) -> F) -> usize {
            std::mem::size_of::<F>()
        }
        let size = output_size(|(socket, guard, ctx): (Socket, ConnectionGuard, Context)| {
            connection(socket, guard, ctx)
        });
        // 1,800 bytes in a debug build when this was written (release builds are smaller).
        assert!(size <= 2048, "the connection task's future is {size} bytes (at most 2048)");
    }

    #[test]
    fn connections_are_capped_per_address_and_released() {
        let connections = Connections::new(2);
        let ip: IpAddr = "198.51.100.7".parse().expect("ip");
        let a = connections.try_acquire(ip).expect("first");
        let _b = connections.try_acquire(ip).expect("second");
        assert!(connections.try_acquire(ip).is_none());
        assert!(connections.try_acquire("198.51.100.8".parse().expect("ip")).is_some());
        drop(a);
        assert!(connections.try_acquire(ip).is_some());
    }
}
