//! One measured run: start a server, connect N subscribed clients through shard processes,
//! then either hold them (`hold`) or publish at a fixed rate and measure delivery (`fanout`).

use crate::procfs;
use crate::report::{Percentiles, RunResult};
use crate::servers::{Server, Target, PEER_TOPIC};
use crate::shard::{self, Counters, ShardLine, ShardReady, ShardResult, ShardSpec};
use crate::wire::{self, Wire};
use anyhow::{bail, Context};
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout};
use tokio_tungstenite::tungstenite::Message;

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    clap::ValueEnum,
    Serialize,
    Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    Fanout,
    Hold,
}

/// Everything a run needs besides the server.
#[derive(Clone, Debug)]
pub struct Settings {
    pub rate: f64,
    pub duration: Duration,
    pub drain: Duration,
    pub max_drain: Duration,
    pub hold: Duration,
    pub settle: Duration,
    pub description_bytes: usize,
    pub shard_size: usize,
    pub spread_above: usize,
    pub connect_concurrency: usize,
    pub client_cpu: Option<usize>,
    pub ticks_per_second: u64,
    /// The JSON the peers broadcast (Hackops' demo `EventDto`, so frames have the same size);
    /// `None`: a built-in copy of its shape.
    pub peer_template: Option<serde_json::Value>,
}

struct ShardProc {
    child: Child,
    pid: u32,
    stdin: Option<ChildStdin>,
    lines: Lines<BufReader<ChildStdout>>,
}

impl ShardProc {
    fn spawn(spec: &ShardSpec, cpu: Option<usize>) -> anyhow::Result<ShardProc> {
        let exe = std::env::current_exe().context("locating hackops-bench")?;
        let mut command = match cpu {
            Some(cpu) => {
                let mut c = tokio::process::Command::new("taskset");
                c.arg("-c").arg(cpu.to_string()).arg(exe);
                c
            }
            None => tokio::process::Command::new(exe),
        };
        command
            .arg("shard")
            .arg(serde_json::to_string(spec)?)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().context("starting a load-generator shard")?;
        let stdout = child.stdout.take().context("shard stdout")?;
        let pid = child.id().context("shard pid")?;
        Ok(ShardProc {
            stdin: child.stdin.take(),
            lines: BufReader::new(stdout).lines(),
            child,
            pid,
        })
    }

    async fn line(&mut self) -> anyhow::Result<ShardLine> {
        let line = self.lines.next_line().await?.context("a shard ended without answering")?;
        serde_json::from_str(&line).with_context(|| format!("bad shard line: {line}"))
    }

    async fn ready(&mut self) -> anyhow::Result<ShardReady> {
        match self.line().await? {
            ShardLine::Ready(ready) => Ok(ready),
            ShardLine::Result(_) => bail!("shard answered out of order"),
        }
    }

    async fn finish(&mut self) -> anyhow::Result<ShardResult> {
        if let Some(mut stdin) = self.stdin.take() {
            stdin.write_all(b"stop\n").await?;
            stdin.flush().await?;
        }
        let result = match self.line().await? {
            ShardLine::Result(result) => result,
            ShardLine::Ready(_) => bail!("shard answered out of order"),
        };
        let _ = self.child.wait().await;
        Ok(result)
    }
}

/// The shard layout for N clients: ≤ shard_size clients each (the 20k open-file limit), and
/// distinct 127.0.0.x source addresses above `spread_above` (28k ephemeral ports per address).
fn plan(
    n: usize,
    settings: &Settings,
    urls: &[String],
    wire: Wire,
    topic: &str,
    max_seq: usize,
) -> Vec<ShardSpec> {
    let shards = n.div_ceil(settings.shard_size.max(1)).max(1);
    let base = n / shards;
    let extra = n % shards;
    let mut first = 0;
    (0..shards)
        .map(|index| {
            let count = base + usize::from(index < extra);
            let spec = ShardSpec {
                index,
                first,
                count,
                urls: urls.to_vec(),
                wire,
                topic: topic.to_owned(),
                source_ip: (n > settings.spread_above)
                    .then(|| Ipv4Addr::new(127, 0, 0, 10 + u8::try_from(index % 200).unwrap_or(0))),
                max_seq,
                connect_concurrency: settings.connect_concurrency,
                connect_timeout_ms: 60_000,
            };
            first += count;
            spec
        })
        .collect()
}

/// The JSON the peers broadcast: Hackops' `EventDto` of the demo event when known (see
/// [`hackops_event_dto`]), else a built-in copy of its shape, with the bench description.
pub fn peer_data(template: Option<&serde_json::Value>, description: &str) -> String {
    if let Some(template) = template {
        let mut data = template.clone();
        data["description"] = description.into();
        return data.to_string();
    }
    serde_json::json!({
        "id": "00000000-0000-4000-8000-00000000b0b0",
        "slug": "hackathon-donnees-ouvertes-de-dakar-2026",
        "organisation": {
            "id": "820ee001-c546-4e53-be56-82f810f8512e",
            "slug": "ville-de-dakar",
            "name": "Ville de Dakar"
        },
        "title": "Hackathon Données Ouvertes de Dakar 2026",
        "description": description,
        "timezone": "Africa/Dakar",
        "starts_at": "2026-12-09T09:00:00Z",
        "ends_at": "2026-12-10T18:00:00Z",
        "venue": "Maison de la Culture Douta Seck, Dakar",
        "phase": "registration",
        "challenge_count": 3,
        "created_at": "2026-11-25T22:21:02.260392165Z",
        "updated_at": "2026-11-25T22:21:02.260392165Z"
    })
    .to_string()
}

/// How the run publishes: Hackops through its REST API, the peers through a websocket.
enum Publisher {
    Http {
        client: reqwest::Client,
        url: String,
        token: String,
    },
    Ws {
        ws: Box<tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>>,
        wire: Wire,
        template: Option<serde_json::Value>,
    },
}

/// The demo event as Hackops serves it (the peers then send frames of the same size).
pub async fn hackops_event_dto(http: &str) -> anyhow::Result<serde_json::Value> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
    let events: serde_json::Value = client
        .get(format!("{http}/api/v1/events"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let id = events["items"][0]["id"].as_str().context("no demo event")?;
    Ok(client
        .get(format!("{http}/api/v1/events/{id}"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

#[derive(Default)]
struct Published {
    sent: u64,
    errors: u64,
    first_error: Option<String>,
    /// REST round trips (Hackops), µs.
    http: Option<Histogram<u64>>,
}

/// Hackops: the demo event's topic and an organiser's access token.
async fn hackops_setup(http: &str) -> anyhow::Result<(String, String, reqwest::Client)> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
    let events: serde_json::Value = client
        .get(format!("{http}/api/v1/events"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let id =
        events["items"][0]["id"].as_str().context("no demo event (was --demo passed?)")?.to_owned();
    let login: serde_json::Value = client
        .post(format!("{http}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "organiser@demo.test", "password": "demo-password"}))
        .send()
        .await?
        .error_for_status()
        .context("demo organiser login")?
        .json()
        .await?;
    let token =
        login["access_token"].as_str().context("no access_token in the login answer")?.to_owned();
    Ok((id, token, client))
}

impl Publisher {
    /// Open loop: message `seq` is sent at `start + seq / rate` whatever happened to the others
    /// (REST calls run concurrently), and carries that intended time.
    async fn run(&mut self, rate: f64, total: u64, description_bytes: usize) -> Published {
        let mut out = Published::default();
        let start = Instant::now() + Duration::from_millis(100);
        let start_us = wire::now_us() + 100_000;
        let mut calls = Vec::new();
        for seq in 0..total {
            let offset = Duration::from_secs_f64(seq as f64 / rate);
            let due = start + offset;
            let intended_us = start_us + u64::try_from(offset.as_micros()).unwrap_or(0);
            let description = wire::description(seq, intended_us, description_bytes);
            match self {
                Publisher::Http { client, url, token } => {
                    tokio::time::sleep_until(due.into()).await;
                    let request = client
                        .patch(url.as_str())
                        .bearer_auth(token.as_str())
                        .json(&serde_json::json!({ "description": description }));
                    calls.push(tokio::spawn(async move {
                        let began = Instant::now();
                        let outcome = match request.send().await {
                            Ok(r) if r.status().is_success() => Ok(()),
                            Ok(r) => Err(format!("HTTP {}", r.status())),
                            Err(e) => Err(e.to_string()),
                        };
                        (outcome, began.elapsed())
                    }));
                }
                Publisher::Ws { ws, wire, template } => {
                    // Wait, answering Engine.IO pings meanwhile.
                    loop {
                        tokio::select! {
                            () = tokio::time::sleep_until(due.into()) => break,
                            incoming = ws.next() => match incoming {
                                Some(Ok(Message::Text(text))) if text.as_str() == "2" => {
                                    let _ = ws.send(Message::text("3")).await;
                                }
                                Some(Ok(_)) => {}
                                _ => break,
                            },
                        }
                    }
                    let message = wire.publish(&peer_data(template.as_ref(), &description));
                    if let Err(err) = ws.send(Message::text(message)).await {
                        out.errors += 1;
                        out.first_error.get_or_insert(err.to_string());
                    }
                }
            }
            out.sent += 1;
        }
        if !calls.is_empty() {
            let mut http = shard::new_histogram::<u64>();
            for call in calls {
                match call.await {
                    Ok((outcome, took)) => {
                        http.saturating_record(u64::try_from(took.as_micros()).unwrap_or(u64::MAX));
                        if let Err(err) = outcome {
                            out.errors += 1;
                            out.first_error.get_or_insert(err);
                        }
                    }
                    Err(err) => {
                        out.errors += 1;
                        out.first_error.get_or_insert(err.to_string());
                    }
                }
            }
            out.http = Some(http);
        }
        out
    }
}

/// Waits `drain`, then on while the server still works (a backlog of frames to write): until
/// it used < 5% of a CPU over half a second, or `max_drain`. Returns the seconds waited.
async fn drain(server: &Server, settings: &Settings) -> anyhow::Result<f64> {
    let began = Instant::now();
    tokio::time::sleep(settings.drain).await;
    let step = Duration::from_millis(500);
    let idle_ticks = (settings.ticks_per_second as f64 * step.as_secs_f64() * 0.05).ceil() as u64;
    while began.elapsed() < settings.max_drain {
        let before = server.cpu_ticks()?;
        tokio::time::sleep(step).await;
        if server.cpu_ticks()?.since(before).total() <= idle_ticks {
            break;
        }
    }
    Ok(began.elapsed().as_secs_f64())
}

/// CPU time of the load generator: this process (publisher) and the shards, clock ticks.
fn loadgen_ticks(shards: &[ShardProc]) -> u64 {
    let ticks = |pid| procfs::cpu_ticks(pid).map(procfs::CpuTicks::total).unwrap_or(0);
    ticks(std::process::id()) + shards.iter().map(|s| ticks(s.pid)).sum::<u64>()
}

/// Run-queue delay of the load generator (this process and the shards), ns.
fn loadgen_delay_ns(shards: &[ShardProc]) -> u64 {
    procfs::run_delay_ns(std::process::id())
        + shards.iter().map(|s| procfs::run_delay_ns(s.pid)).sum::<u64>()
}

pub async fn run_once(
    scenario: Scenario,
    server: &Server,
    n: usize,
    settings: &Settings,
) -> anyhow::Result<RunResult> {
    let target = server.target;
    let mut result = RunResult::new(scenario, target, n, server.ws_urls.len());
    tokio::time::sleep(settings.settle).await;
    result.rss_before_kib = server.rss_kib()?;

    let (topic, mut publisher) = match target {
        Target::Hackops => {
            let http = server.http.as_deref().context("Hackops without an HTTP address")?;
            let (id, token, client) = hackops_setup(http).await?;
            let url = format!("{http}/api/v1/events/{id}");
            (format!("event:{id}"), Some(Publisher::Http { client, url, token }))
        }
        _ => (PEER_TOPIC.to_owned(), None),
    };
    let publishes = match scenario {
        Scenario::Fanout => (settings.rate * settings.duration.as_secs_f64()).ceil() as u64,
        Scenario::Hold => 0,
    };

    // Connect everyone.
    let began = Instant::now();
    let specs =
        plan(n, settings, &server.ws_urls, target.wire(), &topic, usize::try_from(publishes)?);
    let mut shards = specs
        .iter()
        .map(|spec| ShardProc::spawn(spec, settings.client_cpu))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let readies = futures_util::future::join_all(shards.iter_mut().map(ShardProc::ready)).await;
    for ready in readies {
        let ready = ready?;
        result.connected += ready.connected;
        result.connect_failures += ready.failed;
        for err in ready.errors {
            if result.connect_errors.len() < 5 && !result.connect_errors.contains(&err) {
                result.connect_errors.push(err);
            }
        }
    }
    result.connect_secs = began.elapsed().as_secs_f64();
    crate::log(&format!(
        "  {} connected, {} failed in {:.1} s",
        result.connected, result.connect_failures, result.connect_secs
    ));

    tokio::time::sleep(settings.settle).await;
    result.rss_after_kib = server.rss_kib()?;
    let cpu_start = server.cpu_ticks()?;
    let loadgen_start = loadgen_ticks(&shards);
    let delay_start = (server.run_delay_ns(), loadgen_delay_ns(&shards));
    let wall_start = Instant::now();
    match scenario {
        Scenario::Hold => {
            tokio::time::sleep(settings.hold).await;
            // The memory still held after the hold (what an idle spectator costs).
            result.rss_after_kib = server.rss_kib()?;
        }
        Scenario::Fanout => {
            let mut publisher = match publisher.take() {
                Some(publisher) => publisher,
                None => {
                    let mut ws =
                        shard::open(&server.ws_urls[0], None).await.context("publisher")?;
                    if target.wire() == Wire::SocketIo {
                        shard::socket_io_handshake(&mut ws).await?;
                    }
                    Publisher::Ws {
                        ws: Box::new(ws),
                        wire: target.wire(),
                        template: settings.peer_template.clone(),
                    }
                }
            };
            let published =
                publisher.run(settings.rate, publishes, settings.description_bytes).await;
            result.drain_secs = drain(server, settings).await?;
            result.publishes = Some(published.sent);
            result.publish_errors = Some(published.errors);
            result.publish_error = published.first_error;
            result.publish_http_ms = published.http.as_ref().map(Percentiles::of);
        }
    }
    let cpu_ticks = server.cpu_ticks()?.since(cpu_start);
    let loadgen = loadgen_ticks(&shards).saturating_sub(loadgen_start);
    result.wall_secs = wall_start.elapsed().as_secs_f64();
    result.server_cpu_secs = cpu_ticks.total() as f64 / settings.ticks_per_second as f64;
    result.server_system_secs = cpu_ticks.system as f64 / settings.ticks_per_second as f64;
    result.loadgen_cpu_util =
        loadgen as f64 / settings.ticks_per_second as f64 / result.wall_secs.max(1e-9);
    let wall_ns = result.wall_secs.max(1e-9) * 1e9;
    result.server_runqueue_wait =
        server.run_delay_ns().saturating_sub(delay_start.0) as f64 / wall_ns;
    result.loadgen_runqueue_wait =
        loadgen_delay_ns(&shards).saturating_sub(delay_start.1) as f64 / wall_ns;

    // Collect.
    let finished = futures_util::future::join_all(shards.iter_mut().map(ShardProc::finish)).await;
    let mut hist = shard::new_histogram::<u64>();
    let mut counters = Counters::default();
    let max_seq = usize::try_from(publishes)?;
    let mut seq_max = vec![0u64; max_seq];
    let mut seq_count = vec![0u64; max_seq];
    for finished in finished {
        let shard = finished?;
        hist.add(shard.histogram()?)?;
        counters += shard.counters;
        for (i, (&max, &count)) in
            shard.seq_max_us.iter().zip(&shard.seq_count).enumerate().take(max_seq)
        {
            seq_max[i] = seq_max[i].max(max);
            seq_count[i] += u64::from(count);
        }
    }
    result.counters = counters;
    if scenario == Scenario::Fanout {
        result.fill_fanout(&hist, &seq_max, &seq_count);
    }
    result.finish();
    if !result.problems().is_empty() {
        // The server's own words, before its temporary directory goes.
        result.server_log_tail = Some(server.log_tail());
    }
    Ok(result)
}
