//! Database connection and migrations. Entities live in [`entities`]; only `repo.rs` files
//! of the features name them.

pub mod entities;

use anyhow::Context;
use hackops_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::time::Duration;

/// Opens the pool. SQLite runs in WAL mode with `synchronous=FULL` (an acknowledged write
/// survives a crash) and foreign keys on, through a single connection: SQLite has one writer,
/// and two deferred transactions that both read then write would fail with `SQLITE_BUSY`
/// (sea-orm cannot start them as `BEGIN IMMEDIATE`). One connection queues them instead.
/// PostgreSQL gets a real pool.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(if url.starts_with("sqlite:") { 1 } else { 20 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(true)
        });
    Database::connect(options)
        .await
        .with_context(|| format!("cannot open the database at {}", redact_url(url)))
}

/// Brings the schema up to date. Safe to run from several instances at once on PostgreSQL
/// (each migration runs in a transaction and is recorded once).
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("database migration failed")
}

/// Hides the password of a connection URL before it is logged.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***{}", &url[..scheme_end], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The first free slug among `base`, `base-2`, `base-3`, … (`fallback` when `base` is empty).
pub async fn unique_slug<F, Fut>(
    base: &str,
    fallback: &str,
    mut taken: F,
) -> Result<String, sea_orm::DbErr>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = Result<bool, sea_orm::DbErr>>,
{
    let base = if base.is_empty() { fallback } else { base };
    for n in 1u32.. {
        let candidate = if n == 1 { base.to_owned() } else { format!("{base}-{n}") };
        if !taken(candidate.clone()).await? {
            return Ok(candidate);
        }
    }
    unreachable!("u32 range exhausted while looking for a free slug")
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(redact_url("postgres://hk:secret@db:5432/hk"), "postgres://hk:***@db:5432/hk");
        assert_eq!(redact_url("postgres://root@127.0.0.1/x"), "postgres://root@127.0.0.1/x");
        assert_eq!(
            redact_url("sqlite:///data/hackops.db?mode=rwc"),
            "sqlite:///data/hackops.db?mode=rwc"
        );
    }
}
