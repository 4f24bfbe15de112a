//! One task per websocket connection: reads client messages, forwards topic frames, keeps the
//! connection alive, and ends it when its session ends.
//!
//! Generic over any `Sink<Out>` + `Stream<Item = Result<Message, _>>` (in production the
//! [`Transport`](super::transport::Transport) of the upgraded connection), so the protocol is
//! unit-tested with in-memory channels (see the tests below). Bounded by construction: the
//! frames waiting for a connection are the shared broadcast buffer of each topic it follows;
//! a connection that falls behind it is resynced, and one that keeps falling behind (or cannot
//! take a frame within `send_timeout`) is closed as a slow consumer.

use super::hub::{encode, Frame, Hub};
use super::transport::Out;
use crate::auth::policy::Principal;
use crate::auth::tokens::{TokenKeys, TokenType};
use futures_util::{FutureExt, Sink, SinkExt, Stream, StreamExt};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use hackops_shared::error::ErrorCode;
use hackops_shared::ids::UserId;
use hackops_shared::lang::Lang;
use hackops_shared::ws::{close, ClientMsg, ServerMsg, Topic, MAX_SUBSCRIPTIONS, PROTOCOL_VERSION};
use std::future::pending;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::time::{Instant, Sleep};
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamMap;
use tungstenite::protocol::CloseFrame;
use tungstenite::{Message, Utf8Bytes};
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct Limits {
    /// How often the server pings.
    pub heartbeat: Duration,
    /// Silence after which the connection is considered dead.
    pub idle_timeout: Duration,
    /// Longest wait for the client to take a frame.
    pub send_timeout: Duration,
    /// Sustained client messages per second, and the burst allowed above it.
    pub messages_per_second: u32,
    pub burst: u32,
    /// Bad messages (or rate-limit hits) tolerated before closing with 1008.
    pub max_strikes: u32,
    /// Resyncs after lagging tolerated before closing as a slow consumer.
    pub max_lags: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            heartbeat: Duration::from_secs(25),
            idle_timeout: Duration::from_secs(60),
            send_timeout: Duration::from_secs(10),
            messages_per_second: 20,
            burst: 40,
            max_strikes: 10,
            max_lags: 3,
        }
    }
}

pub struct Context {
    pub hub: Arc<Hub>,
    pub tokens: Arc<TokenKeys>,
    pub revocations: broadcast::Receiver<Uuid>,
    pub limits: Arc<Limits>,
    pub lang: Lang,
}

/// Why the task ended, for logs and tests.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    ClientClosed,
    Closed(u16),
    Dropped,
}

type Data<'a> = &'a serde_json::value::RawValue;

fn text(msg: &ServerMsg<Data<'_>>) -> Out {
    Out::Message(Message::Text(Utf8Bytes::from(serde_json::to_string(msg).unwrap_or_default())))
}

/// The topics a connection follows. Most follow one: its receiver is polled directly (no
/// `StreamMap`, no boxed `recv` future); a second topic switches to the general case.
enum Subs {
    None,
    One(Topic, broadcast::Receiver<Frame>),
    Many(StreamMap<Topic, BroadcastStream<Frame>>),
}

type Item = (Topic, Result<Frame, BroadcastStreamRecvError>);

impl Subs {
    fn len(&self) -> usize {
        match self {
            Subs::None => 0,
            Subs::One(..) => 1,
            Subs::Many(map) => map.len(),
        }
    }

    fn contains(&self, topic: &Topic) -> bool {
        match self {
            Subs::None => false,
            Subs::One(t, _) => t == topic,
            Subs::Many(map) => map.contains_key(topic),
        }
    }

    fn insert(&mut self, topic: Topic, rx: broadcast::Receiver<Frame>) {
        match std::mem::replace(self, Subs::None) {
            Subs::None => *self = Subs::One(topic, rx),
            Subs::One(t, _) if t == topic => *self = Subs::One(topic, rx),
            Subs::One(t, old) => {
                let mut map = StreamMap::new();
                map.insert(t, BroadcastStream::new(old));
                map.insert(topic, BroadcastStream::new(rx));
                *self = Subs::Many(map);
            }
            Subs::Many(mut map) => {
                map.insert(topic, BroadcastStream::new(rx));
                *self = Subs::Many(map);
            }
        }
    }

    fn remove(&mut self, topic: &Topic) {
        match self {
            Subs::One(t, _) if t == topic => *self = Subs::None,
            Subs::Many(map) => {
                map.remove(topic);
            }
            _ => {}
        }
    }

    /// A frame (or lag) that is ready now, without waiting (nor registering to be woken).
    fn try_next(&mut self) -> Option<Item> {
        match self {
            Subs::None => None,
            Subs::One(topic, rx) => match rx.try_recv() {
                Ok(frame) => Some((*topic, Ok(frame))),
                Err(TryRecvError::Lagged(n)) => {
                    Some((*topic, Err(BroadcastStreamRecvError::Lagged(n))))
                }
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Closed) => {
                    *self = Subs::None;
                    None
                }
            },
            Subs::Many(map) => map.next().now_or_never().flatten(),
        }
    }

    /// The next frame (or lag) of any followed topic; `None` when a topic's channel closed
    /// (the branch is then skipped for this turn, as with an exhausted `StreamMap`).
    async fn next(&mut self) -> Option<Item> {
        match self {
            Subs::None => pending().await,
            Subs::One(topic, rx) => {
                let topic = *topic;
                match rx.recv().await {
                    Ok(frame) => Some((topic, Ok(frame))),
                    Err(RecvError::Lagged(n)) => {
                        Some((topic, Err(BroadcastStreamRecvError::Lagged(n))))
                    }
                    Err(RecvError::Closed) => {
                        *self = Subs::None;
                        None
                    }
                }
            }
            Subs::Many(map) => map.next().await,
        }
    }
}

/// What one topic item asks of the connection.
enum Step {
    Skip,
    Write(Out),
    Resync(Topic),
    TooSlow,
}

/// Why a batch of writes stopped early.
enum BatchEnd {
    SinkError,
    TooSlow,
}

struct Conn<T> {
    /// The connection, read only once it asked to be woken.
    io: Woken<T>,
    ctx: Context,
    /// Boxed: most connections are anonymous.
    principal: Option<Box<Principal>>,
    session: Option<Uuid>,
    expires_at: Option<Instant>,
    subs: Subs,
    /// The version delivered per followed topic (as few as topics: a linear search).
    versions: Vec<(Topic, u64)>,
    strikes: u32,
    lags: u32,
    limiter: DefaultDirectRateLimiter,
    /// Session revocations, followed only once authenticated (anonymous connections have no
    /// session to revoke). A stream rather than `recv()`: once the sender is gone the branch is
    /// simply disabled, instead of answering `Closed` in a busy loop.
    revocations: Option<BroadcastStream<Uuid>>,
}

enum Flow {
    Continue,
    End(End),
}

impl<T> Conn<T>
where
    T: Sink<Out> + Unpin,
{
    async fn send(&mut self, message: Out) -> Flow {
        match tokio::time::timeout(self.ctx.limits.send_timeout, self.io.send(message)).await {
            Ok(Ok(())) => Flow::Continue,
            Ok(Err(_)) => Flow::End(End::Dropped),
            Err(_) => self.close(close::SLOW_CONSUMER, "slow consumer").await,
        }
    }

    async fn close(&mut self, code: u16, reason: &'static str) -> Flow {
        let frame = Out::Message(Message::Close(Some(CloseFrame {
            code: code.into(),
            reason: Utf8Bytes::from_static(reason),
        })));
        // The peer may be the reason we close: never wait long for it.
        let _ = tokio::time::timeout(Duration::from_secs(1), self.io.send(frame)).await;
        Flow::End(End::Closed(code))
    }

    async fn error(&mut self, code: ErrorCode, topic: Option<String>) -> Flow {
        let msg: ServerMsg<Data<'_>> =
            ServerMsg::Error { code, message: code.message(self.ctx.lang).to_owned(), topic };
        self.send(text(&msg)).await
    }

    /// A bad message: answered with an error, and counted.
    async fn strike(&mut self, code: ErrorCode, topic: Option<String>) -> Flow {
        self.strikes += 1;
        if self.strikes > self.ctx.limits.max_strikes {
            return self.close(close::POLICY_VIOLATION, "too many bad messages").await;
        }
        self.error(code, topic).await
    }

    fn version(&self, topic: Topic) -> Option<u64> {
        self.versions.iter().find(|(t, _)| *t == topic).map(|(_, v)| *v)
    }

    fn set_version(&mut self, topic: Topic, version: u64) {
        match self.versions.iter_mut().find(|(t, _)| *t == topic) {
            Some(entry) => entry.1 = version,
            None => {
                // Grow by one: most connections follow a single topic.
                self.versions.reserve_exact(1);
                self.versions.push((topic, version));
            }
        }
    }

    async fn on_text(&mut self, raw: &str) -> Flow {
        if self.limiter.check().is_err() {
            return self.strike(ErrorCode::RateLimited, None).await;
        }
        let Ok(msg) = serde_json::from_str::<ClientMsg>(raw) else {
            return self.strike(ErrorCode::InvalidMessage, None).await;
        };
        match msg {
            ClientMsg::Ping => self.send(text(&ServerMsg::Pong)).await,
            ClientMsg::Auth { token } => self.on_auth(&token).await,
            ClientMsg::Subscribe { topic, since } => self.on_subscribe(topic, since).await,
            ClientMsg::Unsubscribe { topic } => match topic.parse::<Topic>() {
                Ok(parsed) => {
                    self.subs.remove(&parsed);
                    self.versions.retain(|(t, _)| *t != parsed);
                    self.send(text(&ServerMsg::Unsubscribed { topic: parsed })).await
                }
                Err(_) => self.strike(ErrorCode::UnknownTopic, Some(topic)).await,
            },
        }
    }

    async fn on_auth(&mut self, token: &str) -> Flow {
        let claims = match self.ctx.tokens.verify(token, TokenType::Access) {
            Ok(claims) => claims,
            Err(code) => return self.strike(code, None).await,
        };
        let principal = match self.ctx.hub.source().principal(UserId(claims.sub)).await {
            Ok(p) => p,
            Err(_) => return self.strike(ErrorCode::TokenRevoked, None).await,
        };
        let remaining = claims.exp - OffsetDateTime::now_utc().unix_timestamp();
        self.expires_at =
            Some(Instant::now() + Duration::from_secs(u64::try_from(remaining).unwrap_or(0)));
        self.session = claims.sid;
        self.principal = Some(Box::new(principal));
        if self.revocations.is_none() {
            self.revocations = Some(BroadcastStream::new(self.ctx.revocations.resubscribe()));
        }
        self.send(text(&ServerMsg::Authenticated { user_id: UserId(claims.sub) })).await
    }

    async fn on_subscribe(&mut self, raw_topic: String, since: Option<u64>) -> Flow {
        let Ok(topic) = raw_topic.parse::<Topic>() else {
            return self.strike(ErrorCode::UnknownTopic, Some(raw_topic)).await;
        };
        if self.subs.len() >= MAX_SUBSCRIPTIONS && !self.subs.contains(&topic) {
            return self.strike(ErrorCode::TooManySubscriptions, Some(raw_topic)).await;
        }
        if let Err(code) = self.ctx.hub.source().authorize(self.principal.as_deref(), topic).await {
            return self.strike(code, Some(raw_topic)).await;
        }
        let (rx, state) = match self.ctx.hub.subscribe(topic).await {
            Ok(subscribed) => subscribed,
            Err(err) => {
                tracing::warn!(%topic, error = %err, "cannot subscribe");
                return self.error(ErrorCode::ServiceUnavailable, Some(raw_topic)).await;
            }
        };
        self.subs.insert(topic, rx);
        self.set_version(topic, state.version);
        if since == Some(state.version) {
            self.send(text(&ServerMsg::Subscribed { topic, version: state.version })).await
        } else {
            self.send(Out::Frame(encode(topic, &state, true))).await
        }
    }

    /// What one topic item asks for (no I/O).
    fn on_frame(&mut self, (topic, item): Item) -> Step {
        match item {
            Ok(frame) => {
                if frame.version <= self.version(topic).unwrap_or(0) {
                    return Step::Skip;
                }
                self.set_version(topic, frame.version);
                Step::Write(Out::Frame(frame.wire))
            }
            Err(BroadcastStreamRecvError::Lagged(_)) => {
                self.lags += 1;
                if self.lags > self.ctx.limits.max_lags {
                    return Step::TooSlow;
                }
                Step::Resync(topic)
            }
        }
    }

    /// A lagging connection gets the current state as a snapshot (rare: boxed).
    async fn resync(&mut self, topic: Topic) -> Result<(), BatchEnd> {
        if let Ok(state) = self.ctx.hub.current(topic).await {
            self.set_version(topic, state.version);
            let snapshot = Out::Frame(encode(topic, &state, true));
            self.io.feed(snapshot).await.map_err(|_| BatchEnd::SinkError)?;
        }
        Ok(())
    }

    /// Writes `first` and whatever else is ready (up to 32 more items) in one flush.
    async fn write_batch(&mut self, first: Item) -> Result<(), BatchEnd> {
        let mut item = first;
        let mut batched = 0;
        loop {
            match self.on_frame(item) {
                Step::Skip => {}
                Step::Write(message) => {
                    self.io.feed(message).await.map_err(|_| BatchEnd::SinkError)?
                }
                Step::Resync(topic) => Box::pin(self.resync(topic)).await?,
                Step::TooSlow => return Err(BatchEnd::TooSlow),
            }
            if batched >= 32 {
                break;
            }
            batched += 1;
            match self.subs.try_next() {
                Some(next) => item = next,
                None => break,
            }
        }
        self.io.flush().await.map_err(|_| BatchEnd::SinkError)
    }

    /// One deadline for a whole batch of writes (not one timer per frame): a client that
    /// cannot take it within `send_timeout` is a slow consumer. Almost every batch is written
    /// at once (the socket buffer has room): the timer is only set up when it is not.
    async fn on_frames(&mut self, first: Item) -> Flow {
        let send_timeout = self.ctx.limits.send_timeout;
        let outcome = {
            let batch = self.write_batch(first);
            tokio::pin!(batch);
            match futures_util::poll!(batch.as_mut()) {
                Poll::Ready(done) => Ok(done),
                Poll::Pending => tokio::time::timeout(send_timeout, batch).await,
            }
        };
        match outcome {
            Ok(Ok(())) => Flow::Continue,
            Ok(Err(BatchEnd::SinkError)) => Flow::End(End::Dropped),
            Ok(Err(BatchEnd::TooSlow)) | Err(_) => {
                Box::pin(self.close(close::SLOW_CONSUMER, "slow consumer")).await
            }
        }
    }
}

/// How a read error ends the connection.
fn close_code_for(err: &(dyn std::error::Error + 'static)) -> Option<(u16, &'static str)> {
    let mut source = Some(err);
    while let Some(e) = source {
        if let Some(ws) = e.downcast_ref::<tungstenite::Error>() {
            return match ws {
                tungstenite::Error::Capacity(_) => {
                    Some((close::MESSAGE_TOO_BIG, "message too big"))
                }
                tungstenite::Error::Utf8(_) => Some((close::INVALID_PAYLOAD, "invalid UTF-8")),
                tungstenite::Error::Protocol(_) => Some((1002, "protocol error")),
                _ => None,
            };
        }
        source = e.source();
    }
    None
}

/// The token-expiry timer, allocated only for authenticated connections.
async fn expired(timer: &mut Option<Pin<Box<Sleep>>>) {
    match timer {
        Some(timer) => timer.as_mut().await,
        None => pending().await,
    }
}

async fn revoked(
    stream: &mut Option<BroadcastStream<Uuid>>,
) -> Result<Uuid, BroadcastStreamRecvError> {
    match stream {
        Some(revocations) => match revocations.next().await {
            Some(item) => item,
            None => {
                // The sender is gone: disable the branch.
                *stream = None;
                pending().await
            }
        },
        None => pending().await,
    }
}

/// A connection whose read side is polled only once it asked to be woken (and on its first
/// poll); writes go straight through. A broadcast wakes thousands of connection tasks for their
/// frame; polling each one's socket for input on every such wake-up (the frame decoder, a
/// readiness check) costs about as much as taking the frame, for nothing: clients rarely send.
struct Woken<R> {
    inner: R,
    flag: Arc<WakeFlag>,
    /// `flag` as a waker, made once.
    waker: std::task::Waker,
}

struct WakeFlag {
    woken: std::sync::atomic::AtomicBool,
    task: futures_util::task::AtomicWaker,
}

impl std::task::Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, std::sync::atomic::Ordering::Release);
        self.task.wake();
    }
}

impl<R> Woken<R> {
    fn new(inner: R) -> Self {
        let flag = Arc::new(WakeFlag {
            woken: std::sync::atomic::AtomicBool::new(true),
            task: futures_util::task::AtomicWaker::new(),
        });
        let waker = std::task::Waker::from(flag.clone());
        Woken { inner, flag, waker }
    }
}

impl<R: Sink<Out> + Unpin> Sink<Out> for Woken<R> {
    type Error = R::Error;

    fn poll_ready(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Result<(), R::Error>> {
        Pin::new(&mut self.inner).poll_ready(cx)
    }

    fn start_send(mut self: Pin<&mut Self>, item: Out) -> Result<(), R::Error> {
        Pin::new(&mut self.inner).start_send(item)
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Result<(), R::Error>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_close(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Result<(), R::Error>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }
}

impl<R: Stream + Unpin> Stream for Woken<R> {
    type Item = R::Item;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<R::Item>> {
        use std::sync::atomic::Ordering;
        let this = &mut *self;
        this.flag.task.register(cx.waker());
        if !this.flag.woken.swap(false, Ordering::AcqRel) {
            return Poll::Pending;
        }
        let mut inner_cx = std::task::Context::from_waker(&this.waker);
        let polled = Pin::new(&mut this.inner).poll_next(&mut inner_cx);
        if polled.is_ready() {
            // More may be buffered: look again next time without waiting for a wake-up.
            this.flag.woken.store(true, Ordering::Release);
        }
        polled
    }
}

/// Pings fall on a process-wide grid of this step, so that the connections due around the same
/// moment are pinged in one wake-up of the runtime rather than one each.
const PING_GRID: Duration = Duration::from_millis(250);

/// The ping timer of one connection. Its first tick falls at a random point of the first
/// period, so that connections opened together (a crowd arriving, everyone reconnecting after a
/// restart) do not all ping, and read the pongs, in the same instant forever after: their
/// pings spread over the period instead of arriving as one burst that delays broadcasts. The
/// tick is rounded up to [`PING_GRID`]: spread, but in a few batches per second (waking the
/// runtime once per ping costs more than the ping; measured in bench/results/).
fn heartbeat(period: Duration) -> tokio::time::Interval {
    use rand::Rng;
    static GRID_ORIGIN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let origin = *GRID_ORIGIN.get_or_init(Instant::now);
    let first = Instant::now() + rand::thread_rng().gen_range(Duration::ZERO..=period);
    let mut timer = tokio::time::interval_at(on_grid(origin, first, PING_GRID), period);
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    timer
}

/// The first point of the grid `origin + k·step` at or after `at`.
fn on_grid(origin: Instant, at: Instant, step: Duration) -> Instant {
    let offset = at.saturating_duration_since(origin).as_nanos();
    let step_ns = step.as_nanos().max(1);
    let steps = offset.div_ceil(step_ns);
    origin + Duration::from_nanos(u64::try_from(steps * step_ns).unwrap_or(u64::MAX))
}

/// Runs the protocol until the connection ends.
///
/// The future is the resident state of every idle connection, so it is kept small: the rare
/// and large paths (client messages, auth, subscribe, resync, close, the closing handshake) run
/// boxed, allocated only while they run (see the `connection_state_is_small` test).
pub async fn serve<T, E>(io: T, ctx: Context) -> End
where
    T: Sink<Out> + Stream<Item = Result<Message, E>> + Unpin,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let quota = Quota::per_second(
        NonZeroU32::new(ctx.limits.messages_per_second).unwrap_or(NonZeroU32::MIN),
    )
    .allow_burst(NonZeroU32::new(ctx.limits.burst).unwrap_or(NonZeroU32::MIN));
    let mut heartbeat = heartbeat(ctx.limits.heartbeat);
    let shutdown = ctx.hub.shutdown.clone();
    let mut conn = Conn {
        io: Woken::new(io),
        ctx,
        principal: None,
        session: None,
        expires_at: None,
        subs: Subs::None,
        versions: Vec::new(),
        strikes: 0,
        lags: 0,
        limiter: RateLimiter::direct(quota),
        revocations: None,
    };
    let welcome: ServerMsg<Data<'_>> =
        ServerMsg::Welcome { protocol: PROTOCOL_VERSION, server_time: OffsetDateTime::now_utc() };
    if let Flow::End(end) = Box::pin(conn.send(text(&welcome))).await {
        return end;
    }
    let mut last_seen = Instant::now();
    // Built once, not on every turn of the loop (each build takes a lock shared by all
    // connections): the shutdown signal, and the token-expiry timer (reset when a new token
    // arrives).
    let cancelled = shutdown.cancelled();
    tokio::pin!(cancelled);
    let mut expiry: Option<Pin<Box<Sleep>>> = None;
    let mut armed_for: Option<Instant> = None;
    loop {
        if conn.expires_at != armed_for {
            armed_for = conn.expires_at;
            match armed_for {
                Some(at) => {
                    if let Some(timer) = expiry.as_mut() {
                        timer.as_mut().reset(at);
                    } else {
                        expiry = Some(Box::pin(tokio::time::sleep_until(at)));
                    }
                }
                None => expiry = None,
            }
        }
        // Biased, in this order: a broadcast wakes thousands of connections at once, and each
        // then finds its frame at the first or second branch instead of polling the others
        // first. Frames cannot starve the reads: topics are coalesced to a few per second.
        let flow = tokio::select! {
            biased;
            () = &mut cancelled => Box::pin(conn.close(close::GOING_AWAY, "server shutting down")).await,
            Some(item) = conn.subs.next() => conn.on_frames(item).await,
            incoming = conn.io.next() => {
                last_seen = Instant::now();
                match incoming {
                    None => Flow::End(End::ClientClosed),
                    Some(Ok(Message::Text(raw))) => Box::pin(conn.on_text(raw.as_str())).await,
                    Some(Ok(Message::Binary(_))) => Box::pin(conn.close(close::UNSUPPORTED_DATA, "binary frames are not supported")).await,
                    Some(Ok(Message::Close(_))) => Flow::End(End::ClientClosed),
                    // Pings are answered by tungstenite; raw frames are never read.
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => Flow::Continue,
                    Some(Err(err)) => {
                        let err: Box<dyn std::error::Error + Send + Sync> = err.into();
                        match close_code_for(err.as_ref()) {
                            Some((code, reason)) => Box::pin(conn.close(code, reason)).await,
                            None => Flow::End(End::Dropped),
                        }
                    }
                }
            }
            _ = heartbeat.tick() => {
                if last_seen.elapsed() > conn.ctx.limits.idle_timeout {
                    Box::pin(conn.close(close::HEARTBEAT_TIMEOUT, "no answer to pings")).await
                } else {
                    Box::pin(conn.send(Out::Message(Message::Ping(Default::default())))).await
                }
            }
            () = expired(&mut expiry) => Box::pin(conn.close(close::SESSION_ENDED, "access token expired")).await,
            revocation = revoked(&mut conn.revocations) => match revocation {
                Ok(session) if Some(session) == conn.session => Box::pin(conn.close(close::SESSION_ENDED, "session revoked")).await,
                _ => Flow::Continue,
            },
        };
        if let Flow::End(end) = flow {
            if matches!(end, End::Closed(_)) {
                // Closing handshake: read (and drop) what the peer still sends until it answers
                // our close, so its kernel does not reset the connection before it reads it.
                let drain = async {
                    while let Some(Ok(message)) = conn.io.next().await {
                        if matches!(message, Message::Close(_)) {
                            break;
                        }
                    }
                };
                let _ = Box::pin(tokio::time::timeout(Duration::from_secs(2), drain)).await;
            }
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::testing::FakeSource;
    use futures_channel::mpsc;
    use serde_json::{json, Value};
    use std::sync::atomic::{AtomicU64, Ordering};

    /// The two in-memory channels as one connection.
    struct Duplex<S, R> {
        sink: S,
        stream: R,
    }

    impl<S: Sink<Out> + Unpin, R: Unpin> Sink<Out> for Duplex<S, R> {
        type Error = S::Error;
        fn poll_ready(
            mut self: Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> Poll<Result<(), S::Error>> {
            Pin::new(&mut self.sink).poll_ready(cx)
        }
        fn start_send(mut self: Pin<&mut Self>, item: Out) -> Result<(), S::Error> {
            Pin::new(&mut self.sink).start_send(item)
        }
        fn poll_flush(
            mut self: Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> Poll<Result<(), S::Error>> {
            Pin::new(&mut self.sink).poll_flush(cx)
        }
        fn poll_close(
            mut self: Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> Poll<Result<(), S::Error>> {
            Pin::new(&mut self.sink).poll_close(cx)
        }
    }

    impl<S: Unpin, R: Stream + Unpin> Stream for Duplex<S, R> {
        type Item = R::Item;
        fn poll_next(
            mut self: Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> Poll<Option<R::Item>> {
            Pin::new(&mut self.stream).poll_next(cx)
        }
    }

    type ToServer = mpsc::UnboundedSender<Result<Message, std::io::Error>>;

    /// An in-memory connection: what the client sends, and what the server wrote.
    type Memory = Duplex<
        mpsc::UnboundedSender<Out>,
        mpsc::UnboundedReceiver<Result<Message, std::io::Error>>,
    >;

    fn connection() -> (Memory, ToServer, mpsc::UnboundedReceiver<Out>) {
        let (to_server, stream) = mpsc::unbounded();
        let (sink, from_server) = mpsc::unbounded();
        (Duplex { sink, stream }, to_server, from_server)
    }

    struct Harness {
        to_server: ToServer,
        from_server: mpsc::UnboundedReceiver<Out>,
        source: Arc<FakeSource>,
        hub: Arc<Hub>,
        task: tokio::task::JoinHandle<End>,
    }

    fn keys() -> Arc<TokenKeys> {
        let dir = tempfile::tempdir().expect("tempdir");
        let args = crate::config::ServeArgs {
            storage: crate::config::StorageArgs {
                data_dir: dir.path().to_owned(),
                database_url: None,
            },
            files: crate::config::FileStoreArgs::default(),
            addr: "127.0.0.1:0".parse().expect("addr"),
            redis_url: None,
            public_url: None,
            allowed_origins: vec![],
            static_dir: None,
            jwt_secret: Some("socket-test-secret-0123456789abcdef-xyz".into()),
            jwt_secret_file: None,
            access_token_ttl: 60,
            refresh_token_ttl: 3600,
            login_attempts_per_minute: 10,
            ws_max_connections_per_ip: 10,
            max_upload_bytes: 1024,
            download_link_ttl: 600,
            demo: false,
        };
        Arc::new(TokenKeys::new(&crate::config::Config::from_args(args).expect("config")))
    }

    fn start(limits: Limits) -> (Harness, Arc<TokenKeys>, broadcast::Sender<Uuid>) {
        let source = FakeSource::at(1);
        let hub = Hub::new(source.clone(), Duration::from_millis(1));
        let (io, to_server, from_server) = connection();
        let tokens = keys();
        let (revoked, _) = broadcast::channel(8);
        let ctx = Context {
            hub: hub.clone(),
            tokens: tokens.clone(),
            revocations: revoked.subscribe(),
            limits: Arc::new(limits),
            lang: Lang::En,
        };
        let task = tokio::spawn(serve(io, ctx));
        (Harness { to_server, from_server, source, hub, task }, tokens, revoked)
    }

    impl Harness {
        fn send(&self, value: Value) {
            self.to_server
                .unbounded_send(Ok(Message::Text(value.to_string().into())))
                .expect("send");
        }
        /// The next message written, a shared frame read back as the text it carries.
        async fn recv(&mut self) -> Message {
            let out = tokio::time::timeout(Duration::from_secs(120), self.from_server.next())
                .await
                .expect("a message in time")
                .expect("open");
            match out {
                Out::Message(message) => message,
                Out::Frame(wire) => Message::text(crate::realtime::transport::payload(&wire)),
            }
        }
        async fn json(&mut self) -> Value {
            loop {
                match self.recv().await {
                    Message::Text(text) => {
                        return serde_json::from_str(text.as_str()).expect("json")
                    }
                    Message::Ping(_) => continue,
                    other => panic!("expected text, got {other:?}"),
                }
            }
        }
        async fn close_code(&mut self) -> u16 {
            loop {
                match self.recv().await {
                    Message::Close(Some(frame)) => return frame.code.into(),
                    Message::Text(_) | Message::Ping(_) => continue,
                    other => panic!("expected close, got {other:?}"),
                }
            }
        }
    }

    #[tokio::test]
    async fn welcome_subscribe_snapshot_then_updates() {
        let (mut h, _, _) = start(Limits::default());
        let welcome = h.json().await;
        assert_eq!(welcome["type"], "welcome");
        assert_eq!(welcome["protocol"], 1);
        assert!(welcome["server_time"].as_str().is_some_and(|t| t.ends_with('Z')));

        h.send(json!({"type": "subscribe", "topic": "events"}));
        assert_eq!(
            h.json().await,
            json!({"type": "snapshot", "topic": "events", "version": 1, "data": {"v": 1}})
        );

        h.source.version.store(2, Ordering::SeqCst);
        h.hub.announce(Topic::Events, 2, None);
        assert_eq!(
            h.json().await,
            json!({"type": "update", "topic": "events", "version": 2, "data": {"v": 2}})
        );

        // A duplicate announcement of a version already delivered sends nothing.
        h.hub.announce(Topic::Events, 2, None);
        h.send(json!({"type": "ping"}));
        assert_eq!(h.json().await, json!({"type": "pong"}));
    }

    /// One topic, then a second (the general case), then back to one: every followed topic
    /// gets its updates, an unfollowed one none.
    #[tokio::test]
    async fn several_topics_each_get_their_updates() {
        let (mut h, tokens, _) = start(Limits::default());
        h.json().await;
        let access =
            tokens.issue(TokenType::Access, Uuid::new_v4(), Uuid::new_v4(), None).expect("issue");
        h.send(json!({"type": "auth", "token": access.token}));
        assert_eq!(h.json().await["type"], "authenticated");
        h.send(json!({"type": "subscribe", "topic": "events"}));
        assert_eq!(h.json().await["type"], "snapshot");
        let event = Topic::Event(hackops_shared::ids::EventId(Uuid::new_v4()));
        h.send(json!({"type": "subscribe", "topic": event.to_string()}));
        assert_eq!(h.json().await["topic"], event.to_string());

        h.source.version.store(2, Ordering::SeqCst);
        h.hub.announce(Topic::Events, 2, None);
        h.hub.announce(event, 2, None);
        let mut seen = vec![];
        for _ in 0..2 {
            let update = h.json().await;
            assert_eq!(
                (update["type"].as_str(), update["version"].as_u64()),
                (Some("update"), Some(2))
            );
            seen.push(update["topic"].as_str().expect("topic").to_owned());
        }
        seen.sort();
        let mut expected = vec!["events".to_owned(), event.to_string()];
        expected.sort();
        assert_eq!(seen, expected);

        h.send(json!({"type": "unsubscribe", "topic": "events"}));
        assert_eq!(h.json().await["type"], "unsubscribed");
        h.source.version.store(3, Ordering::SeqCst);
        h.hub.announce(Topic::Events, 3, None);
        h.hub.announce(event, 3, None);
        let update = h.json().await;
        assert_eq!(
            (update["topic"].as_str(), update["version"].as_u64()),
            (Some(event.to_string().as_str()), Some(3))
        );
        h.send(json!({"type": "ping"}));
        assert_eq!(h.json().await, json!({"type": "pong"}), "nothing more for `events`");
    }

    #[tokio::test]
    async fn since_decides_between_snapshot_and_ack() {
        let (mut h, _, _) = start(Limits::default());
        h.json().await;
        h.send(json!({"type": "subscribe", "topic": "events", "since": 1}));
        assert_eq!(h.json().await, json!({"type": "subscribed", "topic": "events", "version": 1}));
        h.send(json!({"type": "unsubscribe", "topic": "events"}));
        assert_eq!(h.json().await, json!({"type": "unsubscribed", "topic": "events"}));
        h.send(json!({"type": "subscribe", "topic": "events", "since": 0}));
        assert_eq!(h.json().await["type"], "snapshot", "a stale client gets the whole state");
    }

    #[tokio::test]
    async fn bad_messages_get_errors_then_a_policy_close() {
        let (mut h, _, _) = start(Limits { max_strikes: 3, ..Limits::default() });
        h.json().await;
        h.to_server.unbounded_send(Ok(Message::Text("{not json".into()))).expect("send");
        assert_eq!(h.json().await["code"], "invalid_message");
        h.send(json!({"type": "shout"}));
        assert_eq!(h.json().await["code"], "invalid_message");
        h.send(json!({"type": "subscribe", "topic": "judge:secret"}));
        let err = h.json().await;
        assert_eq!(
            (err["code"].as_str(), err["topic"].as_str()),
            (Some("unknown_topic"), Some("judge:secret"))
        );
        h.send(json!({"type": "subscribe", "topic": "nope"}));
        assert_eq!(h.close_code().await, close::POLICY_VIOLATION);
        assert_eq!(h.task.await.expect("task"), End::Closed(close::POLICY_VIOLATION));
    }

    #[tokio::test]
    async fn private_topics_need_a_valid_access_token() {
        let (mut h, tokens, _) = start(Limits::default());
        h.json().await;
        let topic = format!("event:{}", Uuid::new_v4());
        h.send(json!({"type": "subscribe", "topic": topic}));
        assert_eq!(h.json().await["code"], "unknown_topic");
        let refresh =
            tokens.issue(TokenType::Refresh, Uuid::new_v4(), Uuid::new_v4(), None).expect("issue");
        h.send(json!({"type": "auth", "token": refresh.token}));
        assert_eq!(h.json().await["code"], "token_wrong_type");
        let user = Uuid::new_v4();
        let access = tokens.issue(TokenType::Access, user, Uuid::new_v4(), None).expect("issue");
        h.send(json!({"type": "auth", "token": access.token}));
        assert_eq!(h.json().await, json!({"type": "authenticated", "user_id": user}));
        h.send(json!({"type": "subscribe", "topic": topic}));
        assert_eq!(h.json().await["type"], "snapshot");
    }

    #[tokio::test]
    async fn binary_frames_are_refused() {
        let (mut h, _, _) = start(Limits::default());
        h.json().await;
        h.to_server
            .unbounded_send(Ok(Message::Binary(vec![0, 159, 146, 150].into())))
            .expect("send");
        assert_eq!(h.close_code().await, close::UNSUPPORTED_DATA);
    }

    #[tokio::test]
    async fn floods_are_rate_limited_then_closed() {
        let (mut h, _, _) =
            start(Limits { messages_per_second: 1, burst: 5, max_strikes: 3, ..Limits::default() });
        h.json().await;
        for _ in 0..20 {
            h.send(json!({"type": "ping"}));
        }
        let mut pongs = 0;
        let mut limited = 0;
        let code = loop {
            match h.recv().await {
                Message::Text(text) => {
                    let v: Value = serde_json::from_str(text.as_str()).expect("json");
                    if v["type"] == "pong" {
                        pongs += 1
                    } else if v["code"] == "rate_limited" {
                        limited += 1
                    }
                }
                Message::Close(Some(frame)) => break u16::from(frame.code),
                _ => {}
            }
        };
        assert_eq!(code, close::POLICY_VIOLATION);
        assert_eq!((pongs, limited), (5, 3));
    }

    #[tokio::test]
    async fn revoked_sessions_close_the_socket() {
        let (mut h, tokens, revoked) = start(Limits::default());
        h.json().await;
        let session = Uuid::new_v4();
        let access = tokens
            .issue(TokenType::Access, Uuid::new_v4(), Uuid::new_v4(), Some(session))
            .expect("issue");
        h.send(json!({"type": "auth", "token": access.token}));
        assert_eq!(h.json().await["type"], "authenticated");
        revoked.send(Uuid::new_v4()).expect("other session");
        revoked.send(session).expect("this session");
        assert_eq!(h.close_code().await, close::SESSION_ENDED);
    }

    #[tokio::test(start_paused = true)]
    async fn expired_tokens_close_the_socket() {
        let (mut h, tokens, _revoked) =
            start(Limits { heartbeat: Duration::from_secs(1000), ..Limits::default() });
        h.json().await;
        let access =
            tokens.issue(TokenType::Access, Uuid::new_v4(), Uuid::new_v4(), None).expect("issue");
        h.send(json!({"type": "auth", "token": access.token}));
        assert_eq!(h.json().await["type"], "authenticated");
        // The token lives 60 s (see `keys()`); paused time jumps there.
        assert_eq!(h.close_code().await, close::SESSION_ENDED);
    }

    #[tokio::test(start_paused = true)]
    async fn silent_peers_are_dropped_after_the_idle_timeout() {
        let (mut h, _, _) = start(Limits {
            heartbeat: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(25),
            ..Limits::default()
        });
        let opened = Instant::now();
        h.json().await;
        // The first ping comes at a random point of the first period, then one per period.
        let mut pings = 0;
        let code = loop {
            match h.recv().await {
                Message::Ping(_) => pings += 1,
                Message::Close(Some(frame)) => break u16::from(frame.code),
                other => panic!("expected pings then a close, got {other:?}"),
            }
        };
        assert_eq!(code, close::HEARTBEAT_TIMEOUT);
        assert!(pings >= 2, "{pings} pings before giving up");
        let waited = opened.elapsed();
        assert!(
            waited > Duration::from_secs(25) && waited <= Duration::from_secs(40),
            "{waited:?}"
        );
    }

    /// Counts how often the inner stream is polled.
    struct Counted<St> {
        inner: St,
        polls: Arc<AtomicU64>,
    }

    impl<St: Stream + Unpin> Stream for Counted<St> {
        type Item = St::Item;
        fn poll_next(
            mut self: Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> Poll<Option<St::Item>> {
            self.polls.fetch_add(1, Ordering::SeqCst);
            Pin::new(&mut self.inner).poll_next(cx)
        }
    }

    #[derive(Default)]
    struct CountingWaker(AtomicU64);

    impl std::task::Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn the_read_side_is_polled_only_once_it_asked_to_be_woken() {
        let (tx, rx) = mpsc::unbounded::<u32>();
        let polls = Arc::new(AtomicU64::new(0));
        let mut stream = Woken::new(Counted { inner: rx, polls: polls.clone() });
        let wakes = Arc::new(CountingWaker::default());
        let waker = std::task::Waker::from(wakes.clone());
        let mut cx = std::task::Context::from_waker(&waker);
        let mut poll = |stream: &mut Woken<_>| Pin::new(stream).poll_next(&mut cx);

        assert!(poll(&mut stream).is_pending(), "first poll reaches the socket");
        assert_eq!(polls.load(Ordering::SeqCst), 1);
        assert!(poll(&mut stream).is_pending(), "not woken: the socket is left alone");
        assert!(poll(&mut stream).is_pending());
        assert_eq!(polls.load(Ordering::SeqCst), 1);

        tx.unbounded_send(7).unwrap();
        assert_eq!(wakes.0.load(Ordering::SeqCst), 1, "the task is woken through the flag");
        assert_eq!(poll(&mut stream), Poll::Ready(Some(7)));
        tx.unbounded_send(8).unwrap();
        // After an item the stream is read again without waiting for a wake-up.
        assert_eq!(poll(&mut stream), Poll::Ready(Some(8)));
        assert!(poll(&mut stream).is_pending());
        assert_eq!(polls.load(Ordering::SeqCst), 4);
        drop(tx);
        assert_eq!(poll(&mut stream), Poll::Ready(None), "the end of the stream comes through");
    }

    #[test]
    fn ping_times_round_up_to_the_grid() {
        let origin = Instant::now();
        let step = Duration::from_millis(250);
        let ms = |n| origin + Duration::from_millis(n);
        assert_eq!(on_grid(origin, ms(0), step), ms(0));
        assert_eq!(on_grid(origin, ms(1), step), ms(250));
        assert_eq!(on_grid(origin, ms(250), step), ms(250));
        assert_eq!(on_grid(origin, ms(26_001), step), ms(26_250));
    }

    #[tokio::test(start_paused = true)]
    async fn connections_opened_together_ping_at_different_times() {
        let period = Duration::from_secs(25);
        let mut firsts = Vec::new();
        for _ in 0..8 {
            let opened = Instant::now();
            heartbeat(period).tick().await;
            firsts.push(opened.elapsed());
        }
        assert!(firsts.iter().all(|first| *first <= period + PING_GRID), "{firsts:?}");
        firsts.dedup();
        assert!(firsts.len() > 1, "eight connections pinged first at the same offset: {firsts:?}");
    }

    /// Bytes of the `serve` future: 1,216 in a debug build with these in-memory channels.
    const MAX_STATE: usize = 1280;

    /// The `serve` future is what every idle connection keeps resident (the task's cell): the
    /// rare paths are boxed so that it stays small.
    #[tokio::test]
    async fn connection_state_is_small() {
        let source = FakeSource::at(1);
        let hub = Hub::new(source, Duration::from_millis(1));
        let (io, _to_server, _from_server) = connection();
        let (_revoked, revocations) = broadcast::channel(8);
        let ctx =
            Context { hub, tokens: keys(), revocations, limits: Arc::default(), lang: Lang::En };
        let future = serve(io, ctx);
        let size = std::mem::size_of_val(&future);
        assert!(size <= MAX_STATE, "the connection future is {size} bytes (at most {MAX_STATE})");
    }

    #[tokio::test]
    async fn shutdown_says_going_away() {
        let (mut h, _, _) = start(Limits::default());
        h.json().await;
        h.hub.shutdown.cancel();
        assert_eq!(h.close_code().await, close::GOING_AWAY);
    }
}
