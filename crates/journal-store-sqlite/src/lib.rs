//! The `Store` for SQLite: one file, WAL with `synchronous=FULL` so an acknowledged write
//! survives a crash or power loss, `secure_delete=ON` so deleted rows are overwritten, a busy
//! timeout, and `BEGIN IMMEDIATE` for every multi-statement write so two writers never deadlock
//! on a lock upgrade.

mod bridge;
mod documents;
mod entries;
mod goals;
mod health;
mod limits;
mod migrate;
mod store;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use journal_core::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub struct SqliteStore {
    /// Readers: WAL lets them run alongside the writer.
    pool: SqlitePool,
    /// The one writer. SQLite takes one write transaction at a time; queueing writers here, in
    /// order, beats letting them collide on the file lock and sleep in the busy handler.
    writer: SqlitePool,
    path: PathBuf,
}

/// Accepts `sqlite://PATH` and `sqlite:PATH`; returns the path.
pub fn path_from_url(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty()).then(|| PathBuf::from(path))
}

pub(crate) fn backend_error(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        return StoreError::Conflict("already exists");
    }
    StoreError::Backend(e.to_string())
}

impl SqliteStore {
    /// Opens (creating if missing) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(backend_error)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("secure_delete", "ON");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await
            .map_err(backend_error)?;
        migrate::run(&writer).await?;
        // Readers mostly fetch pages the OS already caches; a smaller page cache each keeps
        // eight of them from holding 16 MB between them.
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(options.pragma("cache_size", "-1024"))
            .await
            .map_err(backend_error)?;
        Ok(Self { pool, writer, path: path.to_owned() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn writer(&self) -> &SqlitePool {
        &self.writer
    }
}
