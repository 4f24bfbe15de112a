//! `hackops`: the command line. config → telemetry → Application::build → run.

use clap::{Parser, Subcommand};
use hackops_server::app::{shutdown_signal, Application};
use hackops_server::auth::policy::Principal;
use hackops_server::config::{Config, ServeArgs, StorageArgs};
use hackops_server::datasets::harvest::{fetch::Progress, service as harvest};
use hackops_server::telemetry::{self, LogFormat};
use hackops_server::{auth, db, demo};
use hackops_shared::datasets::{HarvestFormat, HarvestOutcome, HarvestReport};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::process::ExitCode;

/// mimalloc: size-segregated pages that go back to the system when empty, so the many small,
/// long-lived connection states are not interleaved with (and kept resident by) the short-lived
/// buffers of requests. See docs/DECISIONS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Hackops runs civic open-data hackathons: events, teams, datasets, live judging and results
/// published back into the open data pool.
#[derive(Parser)]
#[command(name = "hackops", version, about, long_about = None)]
struct Cli {
    /// Log format: `pretty` for people, `json` for log collectors.
    #[arg(long, global = true, env = "HACKOPS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
// Parsed once at start: the size of the serve variant does not matter.
#[allow(clippy::large_enum_variant)]
enum Command {
    /// Run the server (web app, REST API, realtime). Migrations run at start.
    Serve(ServeArgs),
    /// Bring the database schema up to date, then exit.
    Migrate(StorageArgs),
    /// Make an existing account a platform administrator (or remove the right with --revoke).
    Admin {
        /// Email address of the account.
        email: String,
        /// Remove the administrator right instead of granting it.
        #[arg(long)]
        revoke: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Import the datasets of another portal's catalogue into an organisation. Running it
    /// again updates the datasets it created (matched by the source and each record's id).
    Harvest {
        /// The catalogue: an http(s) URL (a CKAN portal or API URL, a DCAT catalogue, a
        /// data.json), or a file exported from a portal.
        source: String,
        /// Slug of the organisation the datasets are published for.
        #[arg(long)]
        organisation: String,
        /// auto (recognised from the content), ckan, dcat-jsonld, dcat-rdfxml or dcat-us.
        #[arg(long, default_value = "auto")]
        format: HarvestFormat,
        /// For a file: the URL of the catalogue it comes from, so harvesting it later by URL
        /// updates the same datasets. Default: the file's own `file://` URL.
        #[arg(long)]
        source_url: Option<String>,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    match run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(storage) => {
            let (_, url) = storage.resolve()?;
            let conn = db::connect(&url).await?;
            db::migrate(&conn).await?;
            tracing::info!(database = %db::redact_url(&url), "database is up to date");
            Ok(())
        }
        Command::Admin { email, revoke, storage } => {
            let (_, url) = storage.resolve()?;
            let conn = db::connect(&url).await?;
            db::migrate(&conn).await?;
            auth::service::set_admin(&conn, &email, !revoke).await.map_err(|e| {
                anyhow::anyhow!("cannot change the administrator right of {email}: {e}")
            })?;
            tracing::info!(%email, admin = !revoke, "administrator right updated");
            Ok(())
        }
        Command::Harvest { source, organisation, format, source_url, storage } => {
            let (_, url) = storage.resolve()?;
            let conn = db::connect(&url).await?;
            db::migrate(&conn).await?;
            let is_url = source.starts_with("http://") || source.starts_with("https://");
            let (source, content) = if is_url {
                (source, None)
            } else {
                let path = std::path::Path::new(&source);
                let bytes = std::fs::read(path)
                    .map_err(|e| anyhow::anyhow!("cannot read {source}: {e}"))?;
                let key = match source_url {
                    Some(url) => url,
                    None => format!("file://{}", path.canonicalize()?.display()),
                };
                (key, Some(bytes))
            };
            let job = harvest::Job { organisation, source, format, content };
            // The command line is the operator: it may publish for any organisation.
            let operator = Principal { is_admin: true, ..Principal::default() };
            let bar = Bar::new();
            let report = harvest::harvest(&conn, &operator, job, &bar).await;
            bar.0.finish_and_clear();
            summary(&report?)
        }
    }
}

/// A progress bar on stderr (indicatif draws nothing when stderr is not a terminal).
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message("fetching");
        Bar(bar)
    }
}

impl Progress for Bar {
    fn fetched(&self, records: usize, total: Option<u64>) {
        self.0.set_message("fetching");
        self.0.set_length(total.unwrap_or(records as u64));
        self.0.set_position(records as u64);
    }

    fn stored(&self, done: usize, of: usize) {
        self.0.set_message("importing");
        self.0.set_length(of as u64);
        self.0.set_position(done as u64);
    }
}

fn summary(report: &HarvestReport) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Harvested {} ({}): {} created, {} updated, {} skipped",
        report.source,
        report.format.as_str(),
        report.created,
        report.updated,
        report.skipped
    )?;
    for item in &report.items {
        let id = item.source_id.as_deref().unwrap_or("(no identifier)");
        let title = item.title.as_deref().unwrap_or("");
        match item.outcome {
            HarvestOutcome::Skipped => writeln!(
                out,
                "  skipped {id} {title:?}: {}",
                item.reason.as_deref().unwrap_or("no reason given")
            )?,
            _ => {
                for warning in &item.warnings {
                    writeln!(out, "  warning {}: {warning}", item.name.as_deref().unwrap_or(id))?;
                }
            }
        }
    }
    Ok(out.flush()?)
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::from_args(args)?;
    tracing::info!(?config, "starting");
    if config.static_dir.is_none() {
        tracing::warn!("no built web app found (frontend/dist): serving the API only; run `bash scripts/build-frontend.sh`");
    }
    let demo = config.demo;
    let public_url = config.public_url.clone();
    let app = Application::build(config).await?;
    let stop = shutdown_signal();
    let mut out = std::io::stdout();
    writeln!(out, "Hackops is running at {public_url} (listening on port {})", app.port())?;
    if demo {
        writeln!(
            out,
            "Demo accounts (password `{}`): {}, {}, {}",
            demo::PASSWORD,
            demo::ORGANISER,
            demo::JUDGE,
            demo::PARTICIPANT
        )?;
    }
    out.flush()?;
    app.run_until_stopped(stop).await
}
