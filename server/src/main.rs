//! `hackops`: the command line. config → telemetry → Application::build → run.

use clap::{Parser, Subcommand};
use hackops_server::app::{shutdown_signal, Application};
use hackops_server::config::{Config, ServeArgs, StorageArgs};
use hackops_server::telemetry::{self, LogFormat};
use hackops_server::{auth, db, demo};
use std::io::Write;
use std::process::ExitCode;

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
    }
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
