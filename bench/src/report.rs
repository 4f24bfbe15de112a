//! Results: one `RunResult` per measured run, medians per (scenario, target, N), the targets of
//! docs/PERFORMANCE.md checked side by side, rendered as markdown and JSON.

use crate::scenario::Scenario;
use crate::servers::Target;
use crate::shard::Counters;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Latency percentiles in milliseconds.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

impl Percentiles {
    /// From a histogram of µs.
    pub fn of(hist: &Histogram<u64>) -> Percentiles {
        let ms = |v: u64| v as f64 / 1000.0;
        Percentiles {
            p50: ms(hist.value_at_quantile(0.50)),
            p99: ms(hist.value_at_quantile(0.99)),
            p999: ms(hist.value_at_quantile(0.999)),
            max: ms(hist.max()),
        }
    }

    /// From raw µs values (exact).
    fn of_values(values: &mut [u64]) -> Percentiles {
        if values.is_empty() {
            return Percentiles::default();
        }
        values.sort_unstable();
        let at = |q: f64| {
            let i = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
            values[i] as f64 / 1000.0
        };
        Percentiles { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1.0) }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RunResult {
    pub scenario: Option<Scenario>,
    pub target: Option<Target>,
    pub n: usize,
    pub instances: usize,
    pub connected: usize,
    pub connect_failures: usize,
    pub connect_errors: Vec<String>,
    pub connect_secs: f64,
    /// Server RSS before any client connected, and after they all subscribed (fanout) or after
    /// the hold (hold), KiB, summed over instances.
    pub rss_before_kib: u64,
    pub rss_after_kib: u64,
    pub rss_per_conn_kib: f64,
    /// Server CPU (user + system) over the measured window: publishing + drain (fanout), the
    /// hold (hold).
    pub server_cpu_secs: f64,
    /// The kernel's part of `server_cpu_secs` (system time).
    pub server_system_secs: f64,
    pub wall_secs: f64,
    /// Fan-out: how long the drain after the last publish lasted (the server was still busy).
    pub drain_secs: f64,
    pub server_cpu_util: f64,
    /// CPU of the load generator (coordinator + shards) ÷ wall time of the same window: near
    /// 1.0 its own core is saturated and the latencies include its queueing.
    pub loadgen_cpu_util: f64,
    /// Time the server's / load generator's threads waited for their CPU while runnable, per
    /// second of the window (summed over threads): what other processes took from them.
    pub server_runqueue_wait: f64,
    pub loadgen_runqueue_wait: f64,
    pub counters: Counters,
    // Fan-out only.
    pub publishes: Option<u64>,
    pub publish_errors: Option<u64>,
    pub publish_error: Option<String>,
    /// Round trip of the publishing REST call (Hackops), ms.
    pub publish_http_ms: Option<Percentiles>,
    /// Client receive − intended send, over every update received, ms.
    pub latency_ms: Option<Percentiles>,
    /// Per broadcast, last client's receive − intended send, ms (over broadcasts received).
    pub completion_ms: Option<Percentiles>,
    /// Broadcasts (publish seqs) received by at least one client / by every connected client.
    pub broadcasts_seen: Option<u64>,
    pub broadcasts_complete: Option<u64>,
    /// Updates received / (connected × publishes): below 1 when the server coalesced.
    pub delivery_ratio: Option<f64>,
    pub avg_frame_bytes: Option<f64>,
    /// Update frames delivered per second of server CPU.
    pub frames_per_cpu_sec: Option<f64>,
    /// Update frames delivered per second of the server's kernel (system) CPU alone: the most
    /// any server could reach that writes the same frames with as many syscalls, were its own
    /// user-space work free.
    pub frames_per_system_sec: Option<f64>,
    /// The end of the server log, kept when the run had a functional problem.
    pub server_log_tail: Option<String>,
}

impl RunResult {
    pub fn new(scenario: Scenario, target: Target, n: usize, instances: usize) -> RunResult {
        RunResult {
            scenario: Some(scenario),
            target: Some(target),
            n,
            instances,
            ..Default::default()
        }
    }

    pub fn fill_fanout(&mut self, hist: &Histogram<u64>, seq_max: &[u64], seq_count: &[u64]) {
        let updates = self.counters.updates;
        if !hist.is_empty() {
            self.latency_ms = Some(Percentiles::of(hist));
        }
        let mut completion: Vec<u64> =
            seq_max.iter().zip(seq_count).filter(|(_, &c)| c > 0).map(|(&m, _)| m).collect();
        self.broadcasts_seen = Some(completion.len() as u64);
        self.broadcasts_complete =
            Some(seq_count.iter().filter(|&&c| c > 0 && c >= self.connected as u64).count() as u64);
        self.completion_ms =
            (!completion.is_empty()).then(|| Percentiles::of_values(&mut completion));
        let expected = self.connected as u64 * self.publishes.unwrap_or(0);
        self.delivery_ratio = (expected > 0).then(|| updates as f64 / expected as f64);
        self.avg_frame_bytes =
            (updates > 0).then(|| self.counters.update_bytes as f64 / updates as f64);
        self.frames_per_cpu_sec =
            (self.server_cpu_secs > 0.0).then(|| updates as f64 / self.server_cpu_secs);
        self.frames_per_system_sec =
            (self.server_system_secs > 0.0).then(|| updates as f64 / self.server_system_secs);
    }

    pub fn finish(&mut self) {
        if self.connected > 0 {
            self.rss_per_conn_kib = self.rss_after_kib.saturating_sub(self.rss_before_kib) as f64
                / self.connected as f64;
        }
        if self.wall_secs > 0.0 {
            self.server_cpu_util = self.server_cpu_secs / self.wall_secs;
        }
    }

    /// Functional problems (what the CI smoke fails on; speed never is one).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let c = &self.counters;
        if self.connect_failures > 0 {
            out.push(format!(
                "{} connection failures ({:?})",
                self.connect_failures, self.connect_errors
            ));
        }
        if c.closed_early > 0 {
            out.push(format!("{} connections closed before the end", c.closed_early));
        }
        if c.duplicates > 0 || c.reordered > 0 {
            out.push(format!("{} duplicate and {} reordered updates", c.duplicates, c.reordered));
        }
        if c.unparsed > 0 {
            out.push(format!("{} updates without version or bench marker", c.unparsed));
        }
        if c.server_errors > 0 {
            out.push(format!("{} error frames from the server", c.server_errors));
        }
        if self.scenario == Some(Scenario::Fanout) {
            if c.updates == 0 {
                out.push("no update received".into());
            }
            if let Some(errors) = self.publish_errors.filter(|&e| e > 0) {
                out.push(format!("{errors} publish errors ({:?})", self.publish_error));
            }
        }
        out
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// Medians over the runs of one (scenario, target, N, instances).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Summary {
    pub scenario: Option<Scenario>,
    pub target: Option<Target>,
    pub n: usize,
    pub instances: usize,
    pub runs: usize,
    pub connected_min: usize,
    pub connect_secs: Option<f64>,
    pub latency_p50_ms: Option<f64>,
    pub latency_p99_ms: Option<f64>,
    pub latency_p999_ms: Option<f64>,
    pub latency_max_ms: Option<f64>,
    pub completion_p50_ms: Option<f64>,
    pub completion_p99_ms: Option<f64>,
    pub completion_max_ms: Option<f64>,
    pub delivery_ratio: Option<f64>,
    pub avg_frame_bytes: Option<f64>,
    pub frames_per_cpu_sec: Option<f64>,
    pub frames_per_system_sec: Option<f64>,
    pub server_system_share: Option<f64>,
    pub server_cpu_util: Option<f64>,
    pub loadgen_cpu_util: Option<f64>,
    pub server_runqueue_wait: Option<f64>,
    pub loadgen_runqueue_wait: Option<f64>,
    pub drain_secs: Option<f64>,
    pub rss_per_conn_kib: Option<f64>,
    pub publish_http_p99_ms: Option<f64>,
    /// Totals over the runs.
    pub counters: Counters,
    pub connect_failures: usize,
    pub publish_errors: u64,
}

type Key = (Scenario, Target, usize, usize);

pub fn summarise(runs: &[RunResult]) -> Vec<Summary> {
    let mut groups: BTreeMap<Key, Vec<&RunResult>> = BTreeMap::new();
    for run in runs {
        if let (Some(s), Some(t)) = (run.scenario, run.target) {
            groups.entry((s, t, run.n, run.instances)).or_default().push(run);
        }
    }
    groups
        .into_iter()
        .map(|((scenario, target, n, instances), runs)| {
            let m = |f: &dyn Fn(&RunResult) -> Option<f64>| {
                median(runs.iter().filter_map(|r| f(r)).collect())
            };
            let mut counters = Counters::default();
            for r in &runs {
                counters += r.counters;
            }
            Summary {
                scenario: Some(scenario),
                target: Some(target),
                n,
                instances,
                runs: runs.len(),
                connected_min: runs.iter().map(|r| r.connected).min().unwrap_or(0),
                connect_secs: m(&|r| Some(r.connect_secs)),
                latency_p50_ms: m(&|r| r.latency_ms.map(|p| p.p50)),
                latency_p99_ms: m(&|r| r.latency_ms.map(|p| p.p99)),
                latency_p999_ms: m(&|r| r.latency_ms.map(|p| p.p999)),
                latency_max_ms: m(&|r| r.latency_ms.map(|p| p.max)),
                completion_p50_ms: m(&|r| r.completion_ms.map(|p| p.p50)),
                completion_p99_ms: m(&|r| r.completion_ms.map(|p| p.p99)),
                completion_max_ms: m(&|r| r.completion_ms.map(|p| p.max)),
                delivery_ratio: m(&|r| r.delivery_ratio),
                avg_frame_bytes: m(&|r| r.avg_frame_bytes),
                frames_per_cpu_sec: m(&|r| r.frames_per_cpu_sec),
                frames_per_system_sec: m(&|r| r.frames_per_system_sec),
                server_system_share: m(&|r| {
                    (r.server_cpu_secs > 0.0).then(|| r.server_system_secs / r.server_cpu_secs)
                }),
                server_cpu_util: m(&|r| Some(r.server_cpu_util)),
                loadgen_cpu_util: m(&|r| Some(r.loadgen_cpu_util)),
                server_runqueue_wait: m(&|r| Some(r.server_runqueue_wait)),
                loadgen_runqueue_wait: m(&|r| Some(r.loadgen_runqueue_wait)),
                drain_secs: m(&|r| (r.scenario == Some(Scenario::Fanout)).then_some(r.drain_secs)),
                rss_per_conn_kib: m(&|r| (r.connected > 0).then_some(r.rss_per_conn_kib)),
                publish_http_p99_ms: m(&|r| r.publish_http_ms.map(|p| p.p99)),
                counters,
                connect_failures: runs.iter().map(|r| r.connect_failures).sum(),
                publish_errors: runs.iter().filter_map(|r| r.publish_errors).sum(),
            }
        })
        .collect()
}

/// One target of PERFORMANCE.md against the measured value.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Check {
    pub what: String,
    pub goal: String,
    pub measured: String,
    /// `None`: could not be judged (a peer or the run is missing).
    pub pass: Option<bool>,
}

/// p99 goals by N (PERFORMANCE.md): 20 ms at 1k, 250 ms at 10k, 1 s at 50k.
fn p99_goal_ms(n: usize) -> Option<f64> {
    match n {
        1_000 => Some(20.0),
        10_000 => Some(250.0),
        50_000 => Some(1_000.0),
        _ => None,
    }
}

pub fn checks(summaries: &[Summary]) -> Vec<Check> {
    let find = |s: Scenario, t: Target, n: usize| {
        summaries.iter().find(|x| x.scenario == Some(s) && x.target == Some(t) && x.n == n)
    };
    let mut out = Vec::new();
    for s in summaries.iter().filter(|s| s.target == Some(Target::Hackops)) {
        let label = if s.instances > 1 {
            format!("N={} ({} instances)", s.n, s.instances)
        } else {
            format!("N={}", s.n)
        };
        match s.scenario {
            Some(Scenario::Hold) => {
                let v = s.rss_per_conn_kib;
                out.push(Check {
                    what: format!("memory per idle subscribed connection, {label}"),
                    goal: "≤ 8 KiB RSS".into(),
                    measured: v.map_or("-".into(), |v| format!("{v:.1} KiB")),
                    pass: v.map(|v| v <= 8.0),
                });
            }
            Some(Scenario::Fanout) => {
                if let Some(goal) = p99_goal_ms(s.n) {
                    out.push(Check {
                        what: format!("fan-out p99 delivery latency, {label}"),
                        goal: format!("≤ {goal} ms"),
                        measured: s.latency_p99_ms.map_or("-".into(), |v| format!("{v:.1} ms")),
                        pass: s.latency_p99_ms.map(|v| v <= goal),
                    });
                }
                if s.instances > 1 || s.n > 19_000 {
                    out.push(Check {
                        what: format!("connections held, {label}"),
                        goal: format!("{} held to the end", s.n),
                        measured: format!(
                            "{} connected (min over runs), {} closed early",
                            s.connected_min, s.counters.closed_early
                        ),
                        pass: Some(s.connected_min == s.n && s.counters.closed_early == 0),
                    });
                }
                for (peer, factor, goal) in [
                    (Target::Baseline, 0.8, "≥ 80% of baseline"),
                    (Target::Ws, 3.0, "≥ 3× Node ws"),
                    (Target::Socketio, 5.0, "≥ 5× socket.io"),
                ] {
                    let Some(p) = find(Scenario::Fanout, peer, s.n) else { continue };
                    let ratio = match (s.frames_per_cpu_sec, p.frames_per_cpu_sec) {
                        (Some(h), Some(p)) if p > 0.0 => Some(h / p),
                        _ => None,
                    };
                    out.push(Check {
                        what: format!("frames per server-CPU-second vs {}, {label}", peer.name()),
                        goal: goal.into(),
                        measured: match (ratio, s.frames_per_cpu_sec, p.frames_per_cpu_sec) {
                            (Some(r), Some(h), Some(p)) => format!("{r:.2}× ({h:.0} vs {p:.0})"),
                            _ => "-".into(),
                        },
                        pass: ratio.map(|r| r >= factor),
                    });
                }
            }
            None => {}
        }
    }
    out
}

/// The whole report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    pub machine: BTreeMap<String, String>,
    pub settings: BTreeMap<String, String>,
    pub summaries: Vec<Summary>,
    pub checks: Vec<Check>,
    pub runs: Vec<RunResult>,
}

fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or("-".into(), |v| format!("{v:.decimals$}"))
}

pub fn markdown(report: &Report) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Hackops realtime benchmark\n");
    for (k, v) in &report.machine {
        let _ = writeln!(md, "- {k}: {}", v.replace('\n', " / "));
    }
    let settings: Vec<String> = report.settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let _ = writeln!(md, "- settings: {}\n", settings.join(", "));

    let sizes: std::collections::BTreeSet<(Scenario, usize, usize)> =
        report.summaries.iter().filter_map(|s| Some((s.scenario?, s.n, s.instances))).collect();
    for (scenario, n, instances) in sizes {
        let cols: Vec<&Summary> = report
            .summaries
            .iter()
            .filter(|s| s.scenario == Some(scenario) && s.n == n && s.instances == instances)
            .collect();
        let runs = cols.iter().map(|s| s.runs).max().unwrap_or(0);
        let which = match scenario {
            Scenario::Fanout => "Fan-out",
            Scenario::Hold => "Hold (idle subscribed connections)",
        };
        let inst = if instances > 1 {
            format!(", {instances} Hackops instances + Redis + PostgreSQL")
        } else {
            String::new()
        };
        let _ = writeln!(md, "## {which}, N = {n}{inst} (median of {runs} run(s))\n");
        let _ = write!(md, "| metric |");
        for s in &cols {
            let _ = write!(md, " {} |", s.target.map_or("?", Target::name));
        }
        let _ = write!(md, "\n|---|");
        for _ in &cols {
            let _ = write!(md, "---:|");
        }
        md.push('\n');
        let mut row = |name: &str, f: &dyn Fn(&Summary) -> String| {
            let _ = write!(md, "| {name} |");
            for s in &cols {
                let _ = write!(md, " {} |", f(s));
            }
            md.push('\n');
        };
        row("connected (min over runs)", &|s| s.connected_min.to_string());
        row("connect time s", &|s| opt(s.connect_secs, 1));
        if scenario == Scenario::Fanout {
            row("latency p50 ms", &|s| opt(s.latency_p50_ms, 2));
            row("latency p99 ms", &|s| opt(s.latency_p99_ms, 2));
            row("latency p99.9 ms", &|s| opt(s.latency_p999_ms, 2));
            row("latency max ms", &|s| opt(s.latency_max_ms, 2));
            row("broadcast completion p50 ms", &|s| opt(s.completion_p50_ms, 2));
            row("broadcast completion p99 ms", &|s| opt(s.completion_p99_ms, 2));
            row("delivery ratio", &|s| opt(s.delivery_ratio, 3));
            row("frame bytes", &|s| opt(s.avg_frame_bytes, 0));
            row("**frames / server-CPU-s**", &|s| opt(s.frames_per_cpu_sec, 0));
            row("kernel share of server CPU", &|s| opt(s.server_system_share, 2));
            row("frames / server-kernel-CPU-s", &|s| opt(s.frames_per_system_sec, 0));
            row("server CPU utilisation", &|s| opt(s.server_cpu_util, 3));
            row("load generator CPU utilisation", &|s| opt(s.loadgen_cpu_util, 3));
            row("drain after last publish s", &|s| opt(s.drain_secs, 1));
            row("server / load gen. run-queue wait (s/s)", &|s| {
                format!("{} / {}", opt(s.server_runqueue_wait, 3), opt(s.loadgen_runqueue_wait, 3))
            });
            row("publish REST p99 ms", &|s| opt(s.publish_http_p99_ms, 1));
        }
        row("RSS per connection KiB", &|s| opt(s.rss_per_conn_kib, 2));
        row("gaps / missing versions (all runs)", &|s| {
            format!("{} / {}", s.counters.gaps, s.counters.missing_versions)
        });
        row("duplicates / reordered (all runs)", &|s| {
            format!("{} / {}", s.counters.duplicates, s.counters.reordered)
        });
        row("resyncs / closed early / conn. failures", &|s| {
            format!("{} / {} / {}", s.counters.resyncs, s.counters.closed_early, s.connect_failures)
        });
        md.push('\n');
    }

    if !report.checks.is_empty() {
        let _ = writeln!(md, "## Targets (docs: PERFORMANCE.md)\n");
        let _ = writeln!(md, "| target | goal | measured | result |\n|---|---|---|---|");
        for c in &report.checks {
            let verdict = match c.pass {
                Some(true) => "PASS",
                Some(false) => "**FAIL**",
                None => "n/a",
            };
            let _ = writeln!(md, "| {} | {} | {} | {verdict} |", c.what, c.goal, c.measured);
        }
        md.push('\n');
    }
    let problems: Vec<String> = report
        .runs
        .iter()
        .flat_map(|r| {
            let tag = format!(
                "{} {} N={}",
                r.scenario.map_or("?", |s| if s == Scenario::Fanout { "fanout" } else { "hold" }),
                r.target.map_or("?", Target::name),
                r.n
            );
            r.problems().into_iter().map(move |p| format!("- {tag}: {p}"))
        })
        .collect();
    let _ = writeln!(md, "## Functional checks\n");
    if problems.is_empty() {
        let _ = writeln!(md, "No functional problem: every client connected and stayed connected, no duplicate or reordered update.");
    } else {
        for p in problems {
            let _ = writeln!(md, "{p}");
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_percentiles() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
        let mut v: Vec<u64> = (1..=1000).map(|x| x * 1000).collect();
        let p = Percentiles::of_values(&mut v);
        assert_eq!((p.p50, p.p99, p.max), (500.0, 990.0, 1000.0));
    }

    fn fanout(target: Target, fpcs: f64, p99: f64) -> RunResult {
        let mut r = RunResult::new(Scenario::Fanout, target, 1000, 1);
        r.connected = 1000;
        r.frames_per_cpu_sec = Some(fpcs);
        r.latency_ms = Some(Percentiles { p50: 1.0, p99, p999: p99, max: p99 });
        r
    }

    #[test]
    fn targets_are_judged_against_peers_of_the_same_n() {
        let runs = vec![
            fanout(Target::Hackops, 90_000.0, 12.0),
            fanout(Target::Baseline, 100_000.0, 5.0),
            fanout(Target::Ws, 40_000.0, 5.0),
            fanout(Target::Socketio, 20_000.0, 5.0),
        ];
        let checks = checks(&summarise(&runs));
        let verdicts: Vec<(String, Option<bool>)> =
            checks.iter().map(|c| (c.goal.clone(), c.pass)).collect();
        assert_eq!(
            verdicts,
            vec![
                ("≤ 20 ms".to_owned(), Some(true)),
                ("≥ 80% of baseline".to_owned(), Some(true)),
                ("≥ 3× Node ws".to_owned(), Some(false)),
                ("≥ 5× socket.io".to_owned(), Some(false)),
            ]
        );
        let md = markdown(&Report {
            machine: BTreeMap::new(),
            settings: BTreeMap::new(),
            summaries: summarise(&runs),
            checks,
            runs,
        });
        assert!(md.contains("| latency p99 ms | 12.00 | 5.00 | 5.00 | 5.00 |"), "{md}");
    }
}
