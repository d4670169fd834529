//! The `Store` for SQLite: one file, WAL with `synchronous=FULL` so an acknowledged write
//! survives a crash or power loss, `secure_delete=ON` so deleted rows are overwritten, a busy
//! timeout, and `BEGIN IMMEDIATE` for every multi-statement write so two writers never deadlock
//! on a lock upgrade. The queries themselves are shared with PostgreSQL (`journal-store-sql`).

mod migrate;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use journal_core::StoreError;
use journal_core::store::StoreResult;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

journal_store_sql::sql_store! {
    store: SqliteStore,
    database: sqlx::Sqlite,
    insertion_order: "rowid",
    // `+user_id` keeps the planner on the primary key; the (user_id, date) index would scan the
    // whole journal to find a handful of ids.
    owner_of_listed_ids: "+user_id",
    // `BEGIN IMMEDIATE` already holds the database's write lock.
    lock_row: "",
    // The claim runs inside `BEGIN IMMEDIATE` on the one writer: no other claim can interleave.
    claim_rows: "",
}

pub(crate) const BACKEND: &str = "sqlite";

/// Every write transaction takes the write lock up front, so two writers never deadlock on a
/// lock upgrade.
pub(crate) async fn begin(pool: &DbPool) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

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

/// SQLITE_FULL: the disk (or the file's size limit) ran out of room.
const SQLITE_FULL: &str = "13";

pub(crate) fn backend_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict("already exists"),
        sqlx::Error::Database(db) if db.code().is_some_and(|c| c == SQLITE_FULL) => StoreError::Full(e.to_string()),
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => StoreError::Full(e.to_string()),
        _ => StoreError::Backend(e.to_string()),
    }
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
            .after_release(pool::release_unless_in_transaction)
            .connect_with(options.clone())
            .await
            .map_err(backend_error)?;
        migrate::run(&writer).await?;
        // Readers mostly fetch pages the OS already caches; a smaller page cache each keeps
        // eight of them from holding 16 MB between them.
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .after_release(pool::release_unless_in_transaction)
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

    pub(crate) async fn close_pools(&self) {
        self.pool.close().await;
        // Last to close, so its checkpoint leaves a tidy file.
        self.writer.close().await;
    }

    pub(crate) async fn purge(&self) -> StoreResult<()> {
        // secure_delete already zeroes freed pages in the main file; the checkpoint copies them
        // there and truncates the WAL, so the old page images are gone from the -wal file too.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.writer).await.map(|_| ()).map_err(backend_error)
    }
}
