//! One load-generator shard: a child process (`hackops-bench shard <spec>`) holding up to
//! ~18k websocket clients on one single-threaded runtime.
//!
//! Talks to the coordinator through its standard streams: it prints one `ready` line (JSON)
//! once every client is subscribed (or has failed), waits for a line on stdin, then prints one
//! `result` line and exits. Each client records its delivery latencies into its own histogram
//! (no shared state per message but two `Cell`s per broadcast for the completion time); the
//! histograms are merged once at the end.

use crate::wire::{self, Incoming, Wire};
use anyhow::{bail, Context};
use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::rc::Rc;
use std::time::Duration;
use tokio::io::AsyncBufReadExt;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// Latencies are recorded in µs, from 1 µs to 60 s, with 2 significant digits (1% resolution):
/// ~10 KB per client histogram, so 50k clients fit in memory.
pub const HIST_MAX_US: u64 = 60_000_000;
pub const HIST_SIGFIG: u8 = 2;

pub fn new_histogram<T: hdrhistogram::Counter>() -> Histogram<T> {
    Histogram::new_with_bounds(1, HIST_MAX_US, HIST_SIGFIG).expect("valid histogram bounds")
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShardSpec {
    pub index: usize,
    /// Global index of this shard's first client; client `g` connects to `urls[g % urls.len()]`.
    pub first: usize,
    pub count: usize,
    pub urls: Vec<String>,
    pub wire: Wire,
    pub topic: String,
    /// Bind client sockets to this source address before connecting (more ephemeral ports).
    pub source_ip: Option<Ipv4Addr>,
    /// Highest publish sequence number + 1 (size of the per-broadcast arrays).
    pub max_seq: usize,
    pub connect_concurrency: usize,
    pub connect_timeout_ms: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ShardReady {
    pub connected: usize,
    pub failed: usize,
    /// A few distinct connection errors, for the report.
    pub errors: Vec<String>,
}

/// Per-client counters, summed over clients and shards.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct Counters {
    /// `update` frames received.
    pub updates: u64,
    /// Bytes of those frames (payload only).
    pub update_bytes: u64,
    /// Version jumps of more than one (coalescing: allowed, counted).
    pub gaps: u64,
    /// Versions skipped by those jumps.
    pub missing_versions: u64,
    /// An update with the version the client already had.
    pub duplicates: u64,
    /// An update older than the version the client already had.
    pub reordered: u64,
    /// Snapshots after the initial one (the server resynced a lagging client).
    pub resyncs: u64,
    /// Updates without a readable version or bench marker.
    pub unparsed: u64,
    /// Connections that ended before the coordinator said stop.
    pub closed_early: u64,
    /// Error frames from the server after subscribing.
    pub server_errors: u64,
}

impl std::ops::AddAssign for Counters {
    fn add_assign(&mut self, o: Counters) {
        self.updates += o.updates;
        self.update_bytes += o.update_bytes;
        self.gaps += o.gaps;
        self.missing_versions += o.missing_versions;
        self.duplicates += o.duplicates;
        self.reordered += o.reordered;
        self.resyncs += o.resyncs;
        self.unparsed += o.unparsed;
        self.closed_early += o.closed_early;
        self.server_errors += o.server_errors;
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ShardResult {
    /// Merged latency histogram (µs), hdrhistogram V2 serialisation, base64.
    pub histogram: String,
    pub counters: Counters,
    /// Per publish sequence number: the largest latency seen by a client of this shard (µs),
    /// and how many clients received it.
    pub seq_max_us: Vec<u64>,
    pub seq_count: Vec<u32>,
}

impl ShardResult {
    pub fn histogram(&self) -> anyhow::Result<Histogram<u64>> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(&self.histogram)?;
        Ok(Deserializer::new().deserialize(&mut bytes.as_slice())?)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShardLine {
    Ready(ShardReady),
    Result(ShardResult),
}

/// Per-broadcast maxima shared by the clients of this shard (one thread: `Cell`, no lock).
struct PerSeq {
    max_us: Vec<Cell<u64>>,
    count: Vec<Cell<u32>>,
}

struct Client {
    hist: Histogram<u32>,
    counters: Counters,
    version: u64,
}

type Ws = WebSocketStream<TcpStream>;

pub fn run(spec: ShardSpec) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, shard(spec))
}

fn emit(line: &ShardLine) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, line)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

async fn shard(spec: ShardSpec) -> anyhow::Result<()> {
    let spec = Rc::new(spec);
    let per_seq = Rc::new(PerSeq {
        max_us: (0..spec.max_seq).map(|_| Cell::new(0)).collect(),
        count: (0..spec.max_seq).map(|_| Cell::new(0)).collect(),
    });
    let gate = Rc::new(Semaphore::new(spec.connect_concurrency.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel::<Result<(), String>>();
    let clients: Vec<_> = (0..spec.count)
        .map(|i| {
            tokio::task::spawn_local(client(
                spec.clone(),
                spec.first + i,
                per_seq.clone(),
                gate.clone(),
                ready_tx.clone(),
                stop_rx.clone(),
            ))
        })
        .collect();
    drop(ready_tx);

    let mut ready = ShardReady::default();
    while let Some(outcome) = ready_rx.recv().await {
        match outcome {
            Ok(()) => ready.connected += 1,
            Err(err) => {
                ready.failed += 1;
                if ready.errors.len() < 5 && !ready.errors.contains(&err) {
                    ready.errors.push(err);
                }
            }
        }
        if ready.connected + ready.failed == spec.count {
            break;
        }
    }
    emit(&ShardLine::Ready(ready))?;

    // Any line (or the coordinator going away) means stop.
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let _ = lines.next_line().await;
    let _ = stop_tx.send(true);

    let mut hist = new_histogram::<u64>();
    let mut counters = Counters::default();
    for handle in clients {
        let client = handle.await.context("client task panicked")?;
        // Per-client counts are u32 (memory); the shard's are u64.
        for v in client.hist.iter_recorded() {
            hist.record_n(v.value_iterated_to(), u64::from(v.count_at_value()))
                .context("merging histograms")?;
        }
        counters += client.counters;
    }
    let mut bytes = Vec::new();
    V2Serializer::new().serialize(&hist, &mut bytes).context("serialising the histogram")?;
    emit(&ShardLine::Result(ShardResult {
        histogram: base64::engine::general_purpose::STANDARD.encode(bytes),
        counters,
        seq_max_us: per_seq.max_us.iter().map(Cell::get).collect(),
        seq_count: per_seq.count.iter().map(Cell::get).collect(),
    }))
}

async fn client(
    spec: Rc<ShardSpec>,
    global: usize,
    per_seq: Rc<PerSeq>,
    gate: Rc<Semaphore>,
    ready: mpsc::UnboundedSender<Result<(), String>>,
    mut stop: watch::Receiver<bool>,
) -> Client {
    let mut me = Client { hist: new_histogram(), counters: Counters::default(), version: 0 };
    let url = &spec.urls[global % spec.urls.len()];
    let connected = {
        let _permit = gate.acquire().await;
        let timeout = Duration::from_millis(spec.connect_timeout_ms);
        match tokio::time::timeout(timeout, connect(url, spec.source_ip, spec.wire, &spec.topic))
            .await
        {
            Ok(Ok(connected)) => Ok(connected),
            Ok(Err(err)) => Err(format!("{err:#}")),
            Err(_) => Err(format!("no snapshot within {timeout:?}")),
        }
    };
    let mut ws = match connected {
        Ok((ws, version)) => {
            me.version = version;
            let _ = ready.send(Ok(()));
            ws
        }
        Err(err) => {
            let _ = ready.send(Err(err));
            return me;
        }
    };
    drop(ready);
    loop {
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            incoming = ws.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let received = wire::now_us();
                    match spec.wire.classify(&text) {
                        Incoming::Update(frame) => me.on_update(frame, received, &per_seq),
                        Incoming::Snapshot(frame) => {
                            me.counters.resyncs += 1;
                            me.version = wire::version_of(frame).unwrap_or(me.version);
                        }
                        Incoming::Ping => {
                            if ws.send(Message::text("3")).await.is_err() {
                                me.counters.closed_early += 1;
                                break;
                            }
                        }
                        Incoming::Error(_) => me.counters.server_errors += 1,
                        Incoming::Other => {}
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => {
                    me.counters.closed_early += 1;
                    break;
                }
                Some(Ok(_)) => {}
            },
        }
    }
    me
}

impl Client {
    fn on_update(&mut self, frame: &str, received_us: u64, per_seq: &PerSeq) {
        self.counters.updates += 1;
        self.counters.update_bytes += frame.len() as u64;
        let (Some(version), Some((seq, intended))) =
            (wire::version_of(frame), wire::marker_of(frame))
        else {
            self.counters.unparsed += 1;
            return;
        };
        match version.cmp(&self.version) {
            std::cmp::Ordering::Equal => self.counters.duplicates += 1,
            std::cmp::Ordering::Less => self.counters.reordered += 1,
            std::cmp::Ordering::Greater => {
                if version > self.version + 1 {
                    self.counters.gaps += 1;
                    self.counters.missing_versions += version - self.version - 1;
                }
                self.version = version;
            }
        }
        let latency = received_us.saturating_sub(intended).max(1);
        self.hist.saturating_record(latency);
        if let Ok(i) = usize::try_from(seq) {
            if let (Some(max), Some(count)) = (per_seq.max_us.get(i), per_seq.count.get(i)) {
                max.set(max.get().max(latency));
                count.set(count.get() + 1);
            }
        }
    }
}

fn host_port(url: &str) -> anyhow::Result<SocketAddr> {
    let rest = url.strip_prefix("ws://").context("only ws:// URLs")?;
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.parse().with_context(|| format!("`{authority}` is not an ip:port"))
}

/// Connects, upgrades, subscribes; returns once the first snapshot arrived, with its version.
pub async fn connect(
    url: &str,
    source_ip: Option<Ipv4Addr>,
    wire: Wire,
    topic: &str,
) -> anyhow::Result<(Ws, u64)> {
    let mut ws = open(url, source_ip).await?;
    if wire == Wire::SocketIo {
        socket_io_handshake(&mut ws).await?;
    }
    ws.send(Message::text(wire.subscribe(topic))).await.context("sending subscribe")?;
    loop {
        let text = next_text(&mut ws).await?;
        match wire.classify(&text) {
            Incoming::Snapshot(frame) => {
                return Ok((ws, wire::version_of(frame).context("snapshot without a version")?))
            }
            Incoming::Ping => ws.send(Message::text("3")).await?,
            Incoming::Error(frame) => bail!("server error: {frame}"),
            Incoming::Update(_) | Incoming::Other => {}
        }
    }
}

/// TCP (optionally from a chosen source address) + websocket upgrade, with a 4 KiB read
/// buffer like the servers: 50k clients with the default 128 KiB would need 6 GiB.
pub async fn open(url: &str, source_ip: Option<Ipv4Addr>) -> anyhow::Result<Ws> {
    let addr = host_port(url)?;
    let socket = TcpSocket::new_v4().context("socket")?;
    if let Some(ip) = source_ip {
        socket.bind(SocketAddr::new(IpAddr::V4(ip), 0)).with_context(|| format!("bind to {ip}"))?;
    }
    let tcp = socket.connect(addr).await.context("connect")?;
    tcp.set_nodelay(true)?;
    let config = WebSocketConfig::default().read_buffer_size(4096);
    let (ws, _) = tokio_tungstenite::client_async_with_config(url, tcp, Some(config))
        .await
        .context("websocket handshake")?;
    Ok(ws)
}

/// Engine.IO open (`0{…}`) → `40` → the namespace's `40{…}`.
pub async fn socket_io_handshake(ws: &mut Ws) -> anyhow::Result<()> {
    let open = next_text(ws).await?;
    if !open.starts_with('0') {
        bail!("expected an Engine.IO open packet, got `{open}`");
    }
    ws.send(Message::text("40")).await?;
    loop {
        let text = next_text(ws).await?;
        if text.starts_with("40") {
            return Ok(());
        }
        if text == "2" {
            ws.send(Message::text("3")).await?;
        } else if text.starts_with("44") {
            bail!("socket.io refused the connection: {text}");
        }
    }
}

pub async fn next_text(ws: &mut Ws) -> anyhow::Result<String> {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => return Ok(text.as_str().to_owned()),
            Some(Ok(Message::Close(frame))) => bail!("closed by the server: {frame:?}"),
            Some(Ok(_)) => {}
            Some(Err(err)) => return Err(err).context("reading"),
            None => bail!("connection ended"),
        }
    }
}
