//! Starting, measuring and stopping the servers under test: Hackops (one or several instances),
//! the bare tokio-tungstenite baseline, and the Node `ws` and socket.io peers. Every server
//! process is pinned to the server CPU with `taskset`, so its CPU time is what it cost.

use crate::procfs;
use crate::wire::Wire;
use anyhow::{bail, Context};
use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The topic the peers serve (Hackops serves `event:<demo event id>`).
pub const PEER_TOPIC: &str = "event:00000000-0000-4000-8000-00000000b0b0";

/// Signs tokens identically on every Hackops instance of a run (bench only).
const BENCH_JWT_SECRET: &str = "hackops-bench-secret-not-for-production-0123456789";

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Hackops,
    Baseline,
    Ws,
    Socketio,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Hackops => "hackops",
            Target::Baseline => "baseline",
            Target::Ws => "ws",
            Target::Socketio => "socketio",
        }
    }

    pub fn wire(self) -> Wire {
        match self {
            Target::Socketio => Wire::SocketIo,
            _ => Wire::Plain,
        }
    }
}

/// Where the server programs are, and how to run them.
#[derive(Clone, Debug)]
pub struct Programs {
    pub hackops_bin: PathBuf,
    pub baseline_bin: PathBuf,
    pub node_bin: String,
    pub node_dir: PathBuf,
    /// `Some(cpu)`: pin every server process to that CPU.
    pub pin: Option<usize>,
    /// Several Hackops instances share PostgreSQL (a fresh database per start) and Redis.
    pub instances: usize,
    pub postgres: Option<String>,
    pub redis_url: Option<String>,
}

pub struct Server {
    pub target: Target,
    children: Vec<Child>,
    pub pids: Vec<u32>,
    /// One websocket URL per instance.
    pub ws_urls: Vec<String>,
    /// Base URL of the first instance's HTTP API (Hackops only).
    pub http: Option<String>,
    dir: PathBuf,
    database: Option<(String, String)>,
}

fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

fn psql(base_url: &str, sql: &str) -> anyhow::Result<()> {
    let status = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            &format!("{base_url}/postgres"),
            "-c",
            sql,
        ])
        .stdout(Stdio::null())
        .status()
        .context("running psql (is the PostgreSQL client installed?)")?;
    if !status.success() {
        bail!("psql failed: {sql}");
    }
    Ok(())
}

impl Server {
    pub async fn start(target: Target, programs: &Programs, tag: &str) -> anyhow::Result<Server> {
        let dir = std::env::temp_dir().join(format!("hackops-bench-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut server = Server {
            target,
            children: Vec::new(),
            pids: Vec::new(),
            ws_urls: Vec::new(),
            http: None,
            dir,
            database: None,
        };
        if let Err(err) = server.spawn_all(programs, tag).await {
            let logs = server.log_tail();
            server.stop();
            return Err(err.context(logs));
        }
        Ok(server)
    }

    async fn spawn_all(&mut self, programs: &Programs, tag: &str) -> anyhow::Result<()> {
        match self.target {
            Target::Hackops => {
                let instances = programs.instances.max(1);
                let database_url = match &programs.postgres {
                    Some(base) => {
                        let name = format!(
                            "hackops_bench_{}_{}",
                            std::process::id(),
                            tag.replace('-', "_")
                        );
                        psql(base, &format!("CREATE DATABASE {name}"))?;
                        self.database = Some((base.clone(), name.clone()));
                        Some(format!("{base}/{name}"))
                    }
                    None if instances > 1 => bail!("several Hackops instances need --postgres"),
                    None => None,
                };
                if instances > 1 && programs.redis_url.is_none() {
                    bail!("several Hackops instances need --redis-url");
                }
                // One after the other: the first runs the migrations and the demo seed.
                for i in 0..instances {
                    let port = free_port()?;
                    let data_dir = self.dir.join(format!("instance-{i}"));
                    let mut args: Vec<String> = vec![
                        "serve".into(),
                        "--demo".into(),
                        "--data-dir".into(),
                        data_dir.display().to_string(),
                        "--addr".into(),
                        format!("127.0.0.1:{port}"),
                    ];
                    if let Some(url) = &database_url {
                        args.extend(["--database-url".into(), url.clone()]);
                    }
                    if let Some(redis) = &programs.redis_url {
                        args.extend(["--redis-url".into(), redis.clone()]);
                    }
                    let envs = [
                        ("HACKOPS_WS_MAX_CONNECTIONS_PER_IP", "100000"),
                        ("HACKOPS_LOGIN_ATTEMPTS_PER_MINUTE", "1000"),
                        ("HACKOPS_JWT_SECRET", BENCH_JWT_SECRET),
                        ("RUST_LOG", "warn"),
                    ];
                    self.spawn(
                        programs,
                        &programs.hackops_bin.display().to_string(),
                        &args,
                        &envs,
                        i,
                    )?;
                    let http = format!("http://127.0.0.1:{port}");
                    self.wait_http(&format!("{http}/readyz"), Duration::from_secs(120)).await?;
                    self.ws_urls.push(format!("ws://127.0.0.1:{port}/ws"));
                    if self.http.is_none() {
                        self.http = Some(http);
                    }
                }
            }
            Target::Baseline => {
                let port = free_port()?;
                let bin = programs.baseline_bin.display().to_string();
                self.spawn(programs, &bin, &[format!("127.0.0.1:{port}")], &[], 0)?;
                self.wait_tcp(port).await?;
                self.ws_urls.push(format!("ws://127.0.0.1:{port}/"));
            }
            Target::Ws | Target::Socketio => {
                let script =
                    if self.target == Target::Ws { "ws-server.js" } else { "socketio-server.js" };
                if !programs.node_dir.join("node_modules").is_dir() {
                    bail!(
                        "{}/node_modules is missing: run `npm ci` there first (see bench/README.md)",
                        programs.node_dir.display()
                    );
                }
                let port = free_port()?;
                let args = [programs.node_dir.join(script).display().to_string(), port.to_string()];
                self.spawn(programs, &programs.node_bin, &args, &[], 0)?;
                self.wait_tcp(port).await?;
                self.ws_urls.push(if self.target == Target::Ws {
                    format!("ws://127.0.0.1:{port}/")
                } else {
                    format!("ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket")
                });
            }
        }
        Ok(())
    }

    fn log_path(&self, i: usize) -> PathBuf {
        self.dir.join(format!("server-{i}.log"))
    }

    fn spawn(
        &mut self,
        programs: &Programs,
        program: &str,
        args: &[String],
        envs: &[(&str, &str)],
        i: usize,
    ) -> anyhow::Result<()> {
        let log = std::fs::File::create(self.log_path(i))?;
        let mut command = match programs.pin {
            Some(cpu) => {
                let mut c = Command::new("taskset");
                c.args(["-c", &cpu.to_string(), program]);
                c
            }
            None => Command::new(program),
        };
        command.args(args).envs(envs.iter().copied()).stdin(Stdio::null());
        command.stdout(log.try_clone()?).stderr(log);
        let child = command.spawn().with_context(|| format!("starting {program}"))?;
        // taskset execs the program: same pid.
        self.pids.push(child.id());
        self.children.push(child);
        Ok(())
    }

    fn check_alive(&mut self) -> anyhow::Result<()> {
        for child in &mut self.children {
            if let Some(status) = child.try_wait()? {
                bail!("the {} server exited early ({status})", self.target.name());
            }
        }
        Ok(())
    }

    async fn wait_http(&mut self, url: &str, limit: Duration) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let start = Instant::now();
        loop {
            self.check_alive()?;
            if let Ok(response) = client.get(url).timeout(Duration::from_secs(2)).send().await {
                if response.status().is_success() {
                    return Ok(());
                }
            }
            if start.elapsed() > limit {
                bail!("{url} not ready after {limit:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_tcp(&mut self, port: u16) -> anyhow::Result<()> {
        let start = Instant::now();
        loop {
            self.check_alive()?;
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Ok(());
            }
            if start.elapsed() > Duration::from_secs(30) {
                bail!("the {} server does not listen on port {port}", self.target.name());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Resident memory of all the server's processes, KiB.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        self.pids.iter().map(|&pid| procfs::rss_kib(pid)).sum()
    }

    /// CPU time of all the server's processes, clock ticks.
    pub fn cpu_ticks(&self) -> anyhow::Result<procfs::CpuTicks> {
        self.pids.iter().map(|&pid| procfs::cpu_ticks(pid)).sum()
    }

    /// Run-queue delay of all the server's processes, ns.
    pub fn run_delay_ns(&self) -> u64 {
        self.pids.iter().map(|&pid| procfs::run_delay_ns(pid)).sum()
    }

    /// The last lines of each server log (for errors).
    pub fn log_tail(&self) -> String {
        let mut out = String::new();
        for i in 0..self.children.len() {
            let text = std::fs::read_to_string(self.log_path(i)).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let tail = lines[lines.len().saturating_sub(15)..].join("\n");
            out.push_str(&format!(
                "--- {} server log {i} (tail) ---\n{tail}\n",
                self.target.name()
            ));
        }
        out
    }

    pub fn stop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.children.clear();
        if let Some((base, name)) = self.database.take() {
            if let Err(err) = psql(&base, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")) {
                crate::log(&format!("could not drop database {name}: {err:#}"));
            }
        }
        remove_dir(&self.dir);
    }
}

fn remove_dir(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
