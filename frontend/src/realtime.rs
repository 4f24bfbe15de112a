//! Live updates: one websocket per tab to `/ws` (docs/PROTOCOL.md).
//!
//! [`start`] opens `ws(s)://<this host>/ws` and keeps it open: it reconnects with exponential
//! backoff and jitter, signs the connection in with the session's access token (again after
//! every refresh), and after each reconnect re-subscribes every topic a page follows with the
//! version it holds. Pages call [`use_topic`]: a signal with the topic's newest state, `None`
//! until the first snapshot. They paint from their REST call first and let the signal take
//! over. [`status`] feeds the header's indicator; [`server_now`] is the server's clock.
//!
//! The frames are the contract's `ClientMsg` and `ServerMsg` (`hackops_shared::ws`), read and
//! written by hand to keep the WASM small: the browser's `JSON.parse` reads a frame, and the
//! topic state goes through the same decoder as the REST answer of that DTO
//! ([`crate::api::parse`]). The tests hold this module to the contract's serde forms.

use crate::session::Session;
use hackops_shared::error::ErrorCode;
use hackops_shared::ws::{close, Topic};
use js_sys::{Reflect, JSON};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

/// The state of the link, as the header shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// The first connection of the page is being opened.
    #[default]
    Connecting,
    /// Connected: changes arrive as they happen.
    Live,
    /// The connection dropped; the next attempt is scheduled.
    Reconnecting,
    /// The browser is offline, or the server has been out of reach for a while.
    Offline,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Connecting => "connecting",
            Status::Live => "live",
            Status::Reconnecting => "reconnecting",
            Status::Offline => "offline",
        }
    }
}

/// First retry after 0.5 s, doubling up to 30 s, each ± 50 %.
const BACKOFF_FIRST_MS: f64 = 500.0;
const BACKOFF_MAX_MS: f64 = 30_000.0;
/// A connection that lived this long was a good one: the backoff starts over.
const STABLE_MS: f64 = 10_000.0;
/// After more failed attempts in a row than this (about 15 s of trying), the header says
/// "offline" (and the link keeps trying).
const FAILURES_BEFORE_OFFLINE: u32 = 5;

/// A topic some components follow.
struct Entry {
    /// How many components follow it.
    refs: u32,
    /// The version of the state held.
    version: Option<u64>,
    /// An `ArcRwSignal<Option<T>>` for the topic's DTO `T`.
    slot: Rc<dyn Any>,
    /// Decodes a state into `slot`; false when it does not read as `T`.
    apply: fn(&dyn Any, &str) -> bool,
}

#[derive(Default)]
struct Link {
    socket: Option<WebSocket>,
    /// The socket is open: frames can be sent.
    open: bool,
    /// When the current connection was welcomed (ms since the epoch).
    welcomed_at: Option<f64>,
    /// Failed attempts in a row: drives the backoff.
    failures: u32,
    retry: Option<TimeoutHandle>,
    /// The token the connection is signed in with.
    token: Option<String>,
    /// Server clock minus this browser's clock, in ms.
    offset_ms: f64,
    /// Topic name → entry; a handful at most, so a list.
    topics: Vec<(String, Entry)>,
    /// The one listener of the sockets' and the window's events: created once.
    listener: Option<JsValue>,
    status: Option<RwSignal<Status>>,
    session: Option<Session>,
}

impl Link {
    fn entry(&mut self, topic: &str) -> Option<&mut Entry> {
        self.topics.iter_mut().find(|(name, _)| name == topic).map(|(_, entry)| entry)
    }
}

thread_local! {
    static LINK: RefCell<Link> = RefCell::new(Link::default());
}

/// Runs `f` on the link. Never set a signal or call back into this module inside `f`.
fn with<R>(f: impl FnOnce(&mut Link) -> R) -> R {
    LINK.with(|link| f(&mut link.borrow_mut()))
}

/// Opens the link; call once, from the root component.
pub fn start(session: Session) {
    let listener = Closure::<dyn Fn(Event)>::new(on_event).into_js_value();
    for name in ["online", "offline"] {
        let _ = window().add_event_listener_with_callback(name, listener.unchecked_ref());
    }
    with(|link| {
        link.status = Some(RwSignal::new(Status::Connecting));
        link.session = Some(session);
        link.listener = Some(listener);
    });
    // Sign the link in again after every sign-in, refresh and sign-out.
    Effect::new(move |_| token_changed(session.access_token()));
    connect();
}

/// Every event the link listens to, from the socket or the window.
fn on_event(event: Event) {
    match event.type_().as_str() {
        "message" => on_message(event),
        "open" => on_open(),
        "close" => on_close(event),
        "offline" => {
            drop_socket();
            cancel_retry();
            set_status(Status::Offline);
        }
        "online" => {
            with(|link| link.failures = 0);
            if status_untracked() != Status::Live {
                set_status(Status::Reconnecting);
                connect();
            }
        }
        _ => {}
    }
}

/// The state of the link (tracked).
pub fn status() -> Status {
    with(|link| link.status).map_or(Status::Connecting, |s| s.get())
}

/// The server's clock, from the offset measured at the last `welcome` (for countdowns).
#[allow(dead_code, reason = "the countdowns of the next pages read it")]
pub fn server_now() -> time::OffsetDateTime {
    let millis = js_sys::Date::now() + with(|link| link.offset_ms);
    time::OffsetDateTime::from_unix_timestamp_nanos(millis as i128 * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// Follows `topic` while the calling component lives: the newest state of the topic, `None`
/// until the first snapshot. Components following the same topic share one subscription.
pub fn use_topic<T>(topic: Topic) -> ReadSignal<Option<T>>
where
    T: DeserializeOwned + Send + Sync + 'static,
{
    let key = topic.to_string();
    let (slot, first) = with(|link| match link.entry(&key) {
        Some(entry) => {
            entry.refs += 1;
            (entry.slot.clone(), false)
        }
        None => {
            let slot: Rc<dyn Any> = Rc::new(ArcRwSignal::<Option<T>>::new(None));
            let entry = Entry { refs: 1, version: None, slot: slot.clone(), apply: apply::<T> };
            link.topics.push((key.clone(), entry));
            (slot, true)
        }
    });
    if first {
        send(&subscribe(&key, None));
    }
    on_cleanup(move || release(&key));
    let signal = slot
        .downcast_ref::<ArcRwSignal<Option<T>>>()
        .cloned()
        .unwrap_or_else(|| ArcRwSignal::new(None));
    signal.read_only().into()
}

fn apply<T: DeserializeOwned + Send + Sync + 'static>(slot: &dyn Any, json: &str) -> bool {
    match (slot.downcast_ref::<ArcRwSignal<Option<T>>>(), crate::api::parse::<T>(json)) {
        (Some(signal), Some(state)) => {
            signal.set(Some(state));
            true
        }
        _ => false,
    }
}

fn release(key: &str) {
    let last = with(|link| {
        let Some(entry) = link.entry(key) else { return false };
        entry.refs -= 1;
        if entry.refs > 0 {
            return false;
        }
        link.topics.retain(|(name, _)| name != key);
        true
    });
    if last {
        send(&unsubscribe(key));
    }
}

fn status_untracked() -> Status {
    with(|link| link.status).map_or(Status::Connecting, |s| s.get_untracked())
}

fn set_status(status: Status) {
    if let Some(signal) = with(|link| link.status) {
        if signal.get_untracked() != status {
            signal.set(status);
        }
    }
}

fn online() -> bool {
    window().navigator().on_line()
}

/// Sends a frame if the socket is open; otherwise `on_open` will say it all.
fn send(frame: &str) {
    with(|link| match &link.socket {
        Some(socket) if link.open => {
            let _ = socket.send_with_str(frame);
        }
        _ => {}
    });
}

// The client frames (`ClientMsg`). Topic names and access tokens (base64url and dots) never
// need escaping in JSON; a string that would is not sent (`quote` gives an empty frame).

fn quote(value: &str) -> Option<String> {
    let plain = value.chars().all(|c| c != '"' && c != '\\' && !c.is_control());
    plain.then(|| format!("\"{value}\""))
}

fn auth(token: &str) -> String {
    quote(token).map(|t| format!(r#"{{"type":"auth","token":{t}}}"#)).unwrap_or_default()
}

fn subscribe(topic: &str, since: Option<u64>) -> String {
    let since = since.map_or("null".to_owned(), |v| v.to_string());
    quote(topic)
        .map(|t| format!(r#"{{"type":"subscribe","topic":{t},"since":{since}}}"#))
        .unwrap_or_default()
}

fn unsubscribe(topic: &str) -> String {
    quote(topic).map(|t| format!(r#"{{"type":"unsubscribe","topic":{t}}}"#)).unwrap_or_default()
}

fn url() -> String {
    let location = window().location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss",
        _ => "ws",
    };
    format!("{scheme}://{}/ws", location.host().unwrap_or_default())
}

fn connect() {
    cancel_retry();
    drop_socket();
    if !online() {
        set_status(Status::Offline);
        return;
    }
    let Ok(socket) = WebSocket::new(&url()) else { return schedule_retry() };
    with(|link| {
        if let Some(listener) = &link.listener {
            socket.set_onopen(Some(listener.unchecked_ref()));
            socket.set_onmessage(Some(listener.unchecked_ref()));
            socket.set_onclose(Some(listener.unchecked_ref()));
        }
        link.socket = Some(socket);
    });
}

/// Closes the current socket, if any, without hearing from it again.
fn drop_socket() {
    let socket = with(|link| {
        link.open = false;
        link.token = None;
        link.welcomed_at = None;
        link.socket.take()
    });
    if let Some(socket) = socket {
        socket.set_onopen(None);
        socket.set_onmessage(None);
        socket.set_onclose(None);
        let _ = socket.close_with_code(1000);
    }
}

fn cancel_retry() {
    if let Some(handle) = with(|link| link.retry.take()) {
        handle.clear();
    }
}

fn schedule_retry() {
    if !online() {
        set_status(Status::Offline);
        return;
    }
    let failures = with(|link| {
        link.failures += 1;
        link.failures
    });
    set_status(if failures > FAILURES_BEFORE_OFFLINE {
        Status::Offline
    } else {
        Status::Reconnecting
    });
    let base = (BACKOFF_FIRST_MS * 2f64.powi(failures.min(8) as i32 - 1)).min(BACKOFF_MAX_MS);
    let delay = base * (0.5 + js_sys::Math::random());
    let handle = set_timeout_with_handle(connect, Duration::from_millis(delay as u64)).ok();
    with(|link| link.retry = handle);
}

fn on_open() {
    let (token, topics) = with(|link| {
        link.open = true;
        link.token = link.session.and_then(Session::token);
        let topics: Vec<_> = link.topics.iter().map(|(k, e)| (k.clone(), e.version)).collect();
        (link.token.clone(), topics)
    });
    // `auth` first: the server handles frames in order, so the subscriptions see it.
    if let Some(token) = token {
        send(&auth(&token));
    }
    for (topic, since) in topics {
        send(&subscribe(&topic, since));
    }
}

fn on_close(event: Event) {
    let code = event.unchecked_into::<CloseEvent>().code();
    let (session, signed_in) = with(|link| {
        let now = js_sys::Date::now();
        if link.welcomed_at.is_some_and(|at| now - at >= STABLE_MS) {
            link.failures = 0;
        }
        if code == close::POLICY_VIOLATION {
            // Too many messages: give the server a rest (8 s or more).
            link.failures = link.failures.max(4);
        }
        let signed_in = link.token.is_some();
        link.socket = None;
        link.open = false;
        link.token = None;
        link.welcomed_at = None;
        (link.session, signed_in)
    });
    // The access token expired or its session ended: a fresh token (or none, if the session
    // is gone), then a new link. The refresh answers long before the retry, and a token
    // that comes later is sent as soon as it comes.
    if let Some(session) = session.filter(|_| code == close::SESSION_ENDED && signed_in) {
        session.refresh_soon();
    }
    schedule_retry();
}

/// Reads one field of a parsed frame (`undefined` when absent).
fn field(frame: &JsValue, name: &str) -> JsValue {
    Reflect::get(frame, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn on_message(event: Event) {
    let Some(text) = event.unchecked_into::<MessageEvent>().data().as_string() else { return };
    let Ok(frame) = JSON::parse(&text) else { return };
    match field(&frame, "type").as_string().as_deref() {
        Some("welcome") => {
            let server = field(&frame, "server_time")
                .as_string()
                .map_or(f64::NAN, |t| js_sys::Date::parse(&t));
            let now = js_sys::Date::now();
            with(|link| {
                link.welcomed_at = Some(now);
                if server.is_finite() {
                    link.offset_ms = server - now;
                }
            });
            set_status(Status::Live);
        }
        Some("snapshot" | "update") => {
            let topic = field(&frame, "topic").as_string();
            let version = field(&frame, "version").as_f64();
            let data = JSON::stringify(&field(&frame, "data")).ok().and_then(|d| d.as_string());
            if let (Some(topic), Some(version), Some(data)) = (topic, version, data) {
                receive(&topic, version as u64, &data);
            }
        }
        // The token expired between two refreshes: the new one is sent as soon as it comes.
        Some("error")
            if field(&frame, "code").as_string().as_deref()
                == Some(ErrorCode::TokenExpired.as_str()) =>
        {
            if let Some(session) = with(|link| link.session) {
                session.refresh_soon();
            }
        }
        // `authenticated`, `subscribed`, `unsubscribed`, `pong`, other errors, anything newer.
        _ => {}
    }
}

/// Keeps a topic's new state, unless it is not newer than the one held.
fn receive(topic: &str, version: u64, json: &str) {
    let target = with(|link| {
        let entry = link.entry(topic)?;
        if entry.version.is_some_and(|held| version <= held) {
            return None;
        }
        Some((entry.slot.clone(), entry.apply))
    });
    let Some((slot, apply)) = target else { return };
    if apply(&*slot, json) {
        with(|link| {
            if let Some(entry) = link.entry(topic) {
                entry.version = Some(version);
            }
        });
    }
}

/// The session's access token changed (sign-in, refresh, sign-out): the link signs in again.
fn token_changed(token: Option<String>) {
    let (open, current) = with(|link| (link.open, link.token.clone()));
    if !open || token == current {
        // Not connected: `on_open` signs in with the token of the moment.
        return;
    }
    match token {
        Some(token) => {
            send(&auth(&token));
            with(|link| link.token = Some(token));
        }
        // Signed out: the link still speaks for that person; start again anonymously.
        None => connect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hackops_shared::ids::{EventId, UserId};
    use hackops_shared::ws::{ClientMsg, ServerMsg};
    use serde_json::{json, Value};

    fn event_topic() -> Topic {
        Topic::Event("00000000-0000-0000-0000-00000000002a".parse::<EventId>().expect("id"))
    }

    #[test]
    fn client_frames_are_the_contract_messages() {
        let read = |frame: String| serde_json::from_str::<ClientMsg>(&frame).expect(&frame);
        let topic = event_topic().to_string();
        assert_eq!(
            read(auth("eyJh.eyJz-_.sig")),
            ClientMsg::Auth { token: "eyJh.eyJz-_.sig".into() }
        );
        assert_eq!(
            read(subscribe(&topic, Some(7))),
            ClientMsg::Subscribe { topic: topic.clone(), since: Some(7) }
        );
        assert_eq!(
            read(subscribe("events", None)),
            ClientMsg::Subscribe { topic: "events".into(), since: None }
        );
        assert_eq!(read(unsubscribe(&topic)), ClientMsg::Unsubscribe { topic });
        // Never a frame that the server would refuse.
        assert_eq!(auth("a\"b"), "");
        assert_eq!(subscribe("x\\y", None), "");
    }

    /// The fields and values `on_message` reads, as the contract writes them.
    #[test]
    fn server_frames_carry_what_the_link_reads() {
        let wire = |msg: &ServerMsg<Value>| serde_json::to_value(msg).expect("json");
        let event = event_topic();
        let at = time::OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time");
        let welcome = wire(&ServerMsg::Welcome { protocol: 1, server_time: at });
        assert_eq!(welcome["type"], "welcome");
        assert_eq!(welcome["server_time"], "2027-01-15T08:00:00Z");

        let state = json!({"items": [{"title": "Hackathon \"Données\" 2026"}]});
        for (msg, kind) in [
            (
                ServerMsg::Snapshot { topic: Topic::Events, version: 3, data: state.clone() },
                "snapshot",
            ),
            (ServerMsg::Update { topic: event, version: 8, data: state.clone() }, "update"),
        ] {
            let frame = wire(&msg);
            assert_eq!(frame["type"], kind);
            assert!(frame["topic"].as_str().is_some_and(|t| t.parse::<Topic>().is_ok()));
            assert!(frame["version"].is_u64());
            assert_eq!(frame["data"], state);
        }

        let error = wire(&ServerMsg::Error {
            code: ErrorCode::TokenExpired,
            message: "…".into(),
            topic: None,
        });
        assert_eq!(error["type"], "error");
        assert_eq!(error["code"], ErrorCode::TokenExpired.as_str());
        let others = [
            ServerMsg::Authenticated {
                user_id: "00000000-0000-0000-0000-000000000001".parse::<UserId>().expect("id"),
            },
            ServerMsg::Subscribed { topic: event, version: 7 },
            ServerMsg::Unsubscribed { topic: Topic::Events },
            ServerMsg::Pong,
        ];
        for msg in &others {
            let kind = wire(msg)["type"].as_str().map(str::to_owned);
            assert!(
                matches!(
                    kind.as_deref(),
                    Some("authenticated" | "subscribed" | "unsubscribed" | "pong")
                ),
                "{msg:?}"
            );
        }
    }
}
