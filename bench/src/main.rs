//! `hackops-bench`: the load generator and coordinator of the realtime benchmark
//! (docs in bench/README.md, targets in PERFORMANCE.md).
//!
//! - `run`: starts each server under test in turn, pinned to the server CPU; re-executes itself
//!   as `shard` processes (≤ 18k connections each, pinned to the client CPU) that connect and
//!   subscribe the clients; publishes open-loop (fan-out) or just holds (hold); merges what
//!   the shards measured; prints a markdown report and JSON.
//! - `shard` (internal): one load-generator process, driven over stdin/stdout.
//!
//! Modules: `wire` (the client protocols), `shard` (the clients), `servers` (the servers under
//! test), `scenario` (one measured run), `report` (medians, targets, markdown), `procfs`.

mod procfs;
mod report;
mod scenario;
mod servers;
mod shard;
mod wire;

use anyhow::Context;
use clap::{Parser, Subcommand};
use scenario::{Scenario, Settings};
use servers::{Programs, Server, Target};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "hackops-bench",
    about = "Realtime fan-out and connection-hold benchmark for Hackops"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenarios against targets and report (see bench/README.md).
    Run(Box<RunArgs>),
    /// Internal: one load-generator shard (spawned by `run`).
    #[command(hide = true)]
    Shard { spec: String },
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Servers to measure, in this order within each run.
    #[arg(long, value_delimiter = ',', default_values = ["hackops", "baseline"])]
    targets: Vec<Target>,
    /// Scenarios to run.
    #[arg(long, value_delimiter = ',', default_values = ["fanout", "hold"])]
    scenarios: Vec<Scenario>,
    /// Fan-out sizes (connections).
    #[arg(long, value_delimiter = ',', default_values = ["1000"])]
    n: Vec<usize>,
    /// Connections of the hold scenario.
    #[arg(long, default_value_t = 10_000)]
    hold_n: usize,
    /// Repetitions of everything (targets interleaved, so noise hits all alike); medians reported.
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// Publishes per second (open loop). Hackops coalesces a topic above 10/s.
    #[arg(long, default_value_t = 5.0)]
    rate: f64,
    /// Seconds of publishing.
    #[arg(long, default_value_t = 20.0)]
    duration: f64,
    /// Seconds to wait after the last publish before measuring CPU and stopping; the wait goes
    /// on while the server is still busy (< 5% CPU over 0.5 s ends it), up to --max-drain.
    #[arg(long, default_value_t = 3.0)]
    drain: f64,
    #[arg(long, default_value_t = 30.0)]
    max_drain: f64,
    /// Seconds to hold the idle connections before reading memory.
    #[arg(long, default_value_t = 10.0)]
    hold_secs: f64,
    /// Seconds to let a server settle before reading its memory.
    #[arg(long, default_value_t = 2.0)]
    settle: f64,
    /// Length of the event description the publisher sends (pads frames to ~1 KB).
    #[arg(long, default_value_t = 450)]
    description_bytes: usize,
    /// Hackops instances (> 1 needs --postgres and --redis-url); clients spread round-robin,
    /// the publisher talks to the first.
    #[arg(long, default_value_t = 1)]
    instances: usize,
    /// Run Hackops on PostgreSQL: base URL without database; a fresh database per server start.
    #[arg(long)]
    postgres: Option<String>,
    /// Redis for Hackops' realtime fan-out between instances.
    #[arg(long)]
    redis_url: Option<String>,
    /// The `hackops` binary [default: next to hackops-bench].
    #[arg(long, env = "HACKOPS_BIN")]
    hackops_bin: Option<PathBuf>,
    /// The `baseline-server` binary [default: next to hackops-bench].
    #[arg(long)]
    baseline_bin: Option<PathBuf>,
    /// Directory of the Node peers (with node_modules) [default: bench/node of this checkout].
    #[arg(long)]
    node_dir: Option<PathBuf>,
    #[arg(long, default_value = "node")]
    node_bin: String,
    /// CPU for the servers; the load generator (this process and its shards) takes --client-cpu.
    #[arg(long, default_value_t = 0)]
    server_cpu: usize,
    #[arg(long, default_value_t = 1)]
    client_cpu: usize,
    /// Do not pin (automatic on a single-CPU machine).
    #[arg(long)]
    no_pin: bool,
    /// Scheduling niceness for this process, the shards and the servers (inherited), e.g. -10
    /// so that other tenants' builds on a shared machine disturb the measurement less (root).
    #[arg(long, allow_hyphen_values = true)]
    nice: Option<i32>,
    /// Connections per load-generator process (20,000 open files per process at most).
    #[arg(long, default_value_t = 18_000)]
    shard_size: usize,
    /// Above this N, shards connect from distinct 127.0.0.x addresses (ephemeral ports).
    #[arg(long, default_value_t = 25_000)]
    spread_above: usize,
    /// Connection attempts in flight per shard.
    #[arg(long, default_value_t = 200)]
    connect_concurrency: usize,
    /// Write <OUT>.md and <OUT>.json.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Exit 1 on a functional problem (no update, duplicates/reordering, connection failures,
    /// a run that could not complete). Speed never fails the check.
    #[arg(long)]
    check: bool,
    /// A free-text note for the report (e.g. "debug build: sanity numbers only").
    #[arg(long)]
    note: Option<String>,
}

/// Progress goes to stderr; stdout is the report.
pub fn log(message: &str) {
    let _ = writeln!(std::io::stderr(), "[bench] {message}");
}

fn main() -> ExitCode {
    // Every connection is a file: take the whole hard limit (soft limits are often 1024).
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Shard { spec } => {
            serde_json::from_str(&spec).context("shard spec").and_then(shard::run).map(|()| true)
        }
        Command::Run(args) => run_main(*args),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            log(&format!("error: {err:#}"));
            ExitCode::FAILURE
        }
    }
}

fn command_output(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

fn machine() -> BTreeMap<String, String> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    BTreeMap::from([
        ("date".into(), command_output("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"])),
        ("nproc".into(), command_output("nproc", &["--all"])),
        ("memory (free -g)".into(), command_output("free", &["-g"])),
        ("kernel".into(), command_output("uname", &["-sr"])),
        ("cpu".into(), cpu),
        (
            "commit".into(),
            command_output(
                "git",
                &["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "--short", "HEAD"],
            ),
        ),
        (
            "hackops-bench build".into(),
            if cfg!(debug_assertions) { "debug" } else { "release" }.into(),
        ),
    ])
}

fn run_main(args: RunArgs) -> anyhow::Result<bool> {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let pin = !args.no_pin && cpus >= 2;
    if pin {
        // This process (and the threads it starts later) on the client CPU.
        let pid = std::process::id().to_string();
        let status = std::process::Command::new("taskset")
            .args(["-a", "-p", "-c", &args.client_cpu.to_string(), &pid])
            .stdout(std::process::Stdio::null())
            .status()
            .context("taskset (util-linux) is needed to pin processes; or pass --no-pin")?;
        anyhow::ensure!(status.success(), "taskset failed");
    }
    if let Some(nice) = args.nice {
        // Before any thread or child exists: they all inherit it.
        let status = std::process::Command::new("renice")
            .args(["-n", &nice.to_string(), "-p", &std::process::id().to_string()])
            .stdout(std::process::Stdio::null())
            .status()
            .context("renice")?;
        anyhow::ensure!(status.success(), "renice -n {nice} failed (negative values need root)");
    }
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(run(args, pin))
}

async fn run(args: RunArgs, pin: bool) -> anyhow::Result<bool> {
    let exe_dir = std::env::current_exe()?.parent().context("exe dir")?.to_owned();
    let programs = Programs {
        hackops_bin: args.hackops_bin.clone().unwrap_or_else(|| exe_dir.join("hackops")),
        baseline_bin: args.baseline_bin.clone().unwrap_or_else(|| exe_dir.join("baseline-server")),
        node_bin: args.node_bin.clone(),
        node_dir: args
            .node_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node")),
        pin: pin.then_some(args.server_cpu),
        instances: args.instances,
        postgres: args.postgres.clone(),
        redis_url: args.redis_url.clone(),
    };
    let mut settings = Settings {
        rate: args.rate,
        duration: Duration::from_secs_f64(args.duration),
        drain: Duration::from_secs_f64(args.drain),
        max_drain: Duration::from_secs_f64(args.max_drain.max(args.drain)),
        hold: Duration::from_secs_f64(args.hold_secs),
        settle: Duration::from_secs_f64(args.settle),
        description_bytes: args.description_bytes,
        shard_size: args.shard_size,
        spread_above: args.spread_above,
        connect_concurrency: args.connect_concurrency,
        client_cpu: pin.then_some(args.client_cpu),
        ticks_per_second: procfs::ticks_per_second(),
        peer_template: None,
    };
    anyhow::ensure!(args.rate > 0.0 && args.runs > 0, "--rate and --runs must be positive");
    if args.targets.contains(&Target::Hackops) && !programs.hackops_bin.exists() {
        anyhow::bail!(
            "{} not found: build it (cargo build --release -p hackops-server) or pass --hackops-bin / HACKOPS_BIN",
            programs.hackops_bin.display()
        );
    }

    if args.targets.contains(&Target::Hackops) && args.targets.iter().any(|&t| t != Target::Hackops)
    {
        // The peers broadcast the very EventDto Hackops serves: same frame size.
        let server = Server::start(Target::Hackops, &programs, "probe").await?;
        let http = server.http.clone().context("Hackops without an HTTP address")?;
        settings.peer_template = Some(scenario::hackops_event_dto(&http).await?);
    }

    let mut plan: Vec<(Scenario, Target, usize)> = Vec::new();
    for &scenario in &args.scenarios {
        let sizes = if scenario == Scenario::Hold { vec![args.hold_n] } else { args.n.clone() };
        for n in sizes {
            for &target in &args.targets {
                // The peers are single processes: one holds < 20k sockets.
                if target != Target::Hackops && n > args.shard_size {
                    log(&format!(
                        "skipping {} at N={n}: a single process cannot hold it",
                        target.name()
                    ));
                    continue;
                }
                plan.push((scenario, target, n));
            }
        }
    }

    let mut runs = Vec::new();
    let mut errors = Vec::new();
    let mut step = 0;
    for run in 1..=args.runs {
        for &(scenario, target, n) in &plan {
            step += 1;
            log(&format!("run {run}/{}: {scenario:?} {} N={n}", args.runs, target.name()));
            let tag = format!("{step}-{}", target.name());
            let mut server = match Server::start(target, &programs, &tag).await {
                Ok(server) => server,
                Err(err) => {
                    log(&format!("  cannot start {}: {err:#}", target.name()));
                    errors.push(format!(
                        "{scenario:?} {} N={n}: cannot start: {err:#}",
                        target.name()
                    ));
                    continue;
                }
            };
            match scenario::run_once(scenario, &server, n, &settings).await {
                Ok(mut result) => {
                    if result.instances == 0 {
                        result.instances = 1;
                    }
                    log(&format!(
                        "  p99 {} ms, {} updates, frames/CPU-s {}, RSS/conn {:.2} KiB{}",
                        result.latency_ms.map_or("-".into(), |p| format!("{:.2}", p.p99)),
                        result.counters.updates,
                        result.frames_per_cpu_sec.map_or("-".into(), |f| format!("{f:.0}")),
                        result.rss_per_conn_kib,
                        if result.problems().is_empty() {
                            String::new()
                        } else {
                            format!(" PROBLEMS: {:?}", result.problems())
                        }
                    ));
                    runs.push(result);
                }
                Err(err) => {
                    log(&format!("  failed: {err:#}\n{}", server.log_tail()));
                    errors.push(format!("{scenario:?} {} N={n}: {err:#}", target.name()));
                }
            }
            server.stop();
        }
    }

    let mut settings_map = BTreeMap::from([
        ("rate".to_owned(), format!("{}/s", args.rate)),
        ("duration".to_owned(), format!("{} s", args.duration)),
        (
            "drain".to_owned(),
            format!("{}–{} s (until the server idles)", args.drain, args.max_drain),
        ),
        ("hold".to_owned(), format!("{} s", args.hold_secs)),
        ("runs".to_owned(), args.runs.to_string()),
        ("nice".to_owned(), args.nice.unwrap_or(0).to_string()),
        (
            "pinning".to_owned(),
            if pin {
                format!("server cpu {}, load generator cpu {}", args.server_cpu, args.client_cpu)
            } else {
                "none".into()
            },
        ),
        (
            "hackops".to_owned(),
            match (&args.postgres, args.instances) {
                (None, _) => "SQLite, 1 instance".to_owned(),
                (Some(_), i) => format!(
                    "PostgreSQL, {i} instance(s){}",
                    if args.redis_url.is_some() { " + Redis" } else { "" }
                ),
            },
        ),
        ("hackops binary".to_owned(), programs.hackops_bin.display().to_string()),
    ]);
    if let Some(note) = &args.note {
        settings_map.insert("note".into(), note.clone());
    }
    let summaries = report::summarise(&runs);
    let checks = report::checks(&summaries);
    let report =
        report::Report { machine: machine(), settings: settings_map, summaries, checks, runs };
    let mut md = report::markdown(&report);
    if !errors.is_empty() {
        md.push_str("\n## Runs that could not complete\n\n");
        for e in &errors {
            md.push_str(&format!("- {}\n", e.replace('\n', " ")));
        }
    }
    let json = serde_json::to_string_pretty(&report)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{md}")?;
    writeln!(stdout, "<!-- JSON -->\n{json}")?;
    if let Some(out) = &args.out {
        let md_path = out.with_extension("md");
        let json_path = out.with_extension("json");
        std::fs::write(&md_path, &md).with_context(|| format!("writing {}", md_path.display()))?;
        std::fs::write(&json_path, &json)
            .with_context(|| format!("writing {}", json_path.display()))?;
        log(&format!("wrote {} and {}", md_path.display(), json_path.display()));
    }
    let problems = report.runs.iter().any(|r| !r.problems().is_empty());
    Ok(!args.check || (errors.is_empty() && !problems))
}
