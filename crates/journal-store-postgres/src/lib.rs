//! The `Store` for PostgreSQL, for when one machine is no longer enough: several stateless app
//! servers can share one database, because sessions and wrapped keys live in it. The queries
//! themselves are shared with SQLite (`journal-store-sql`).

mod migrate;

use journal_core::StoreError;
use journal_core::store::StoreResult;
use sqlx::postgres::{PgPool, PgPoolOptions};

/// How long a request waits for a database connection before it answers 503. When the database
/// is down every request would otherwise wait this long, so it is short: load balancers and people
/// both get a prompt answer, and a pool this busy for this long is overloaded anyway.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(1500);

journal_store_sql::sql_store! {
    store: PostgresStore,
    database: sqlx::Postgres,
    insertion_order: "seq",
    owner_of_listed_ids: "user_id",
    // Holds the row until the transaction ends, so a concurrent one waits instead of reading
    // the same value.
    lock_row: " FOR UPDATE",
    // Concurrent servers each take rows no other has locked, and never wait on each other.
    claim_rows: " FOR UPDATE SKIP LOCKED",
}

pub(crate) const BACKEND: &str = "postgres";

pub(crate) async fn begin(pool: &DbPool) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin().await
}

pub struct PostgresStore {
    pool: PgPool,
}

/// SQLSTATE `disk_full`.
const DISK_FULL: &str = "53100";

pub(crate) fn backend_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict("already exists"),
        sqlx::Error::Database(db) if db.code().is_some_and(|c| c == DISK_FULL) => StoreError::Full(e.to_string()),
        _ => StoreError::Backend(e.to_string()),
    }
}

pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl PostgresStore {
    /// Connects and brings the schema up to date (safe when several servers start at once).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_release(pool::release_unless_in_transaction)
            .connect(url)
            .await
            .map_err(backend_error)?;
        migrate::run(&pool).await?;
        Ok(Self { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// One pool serves reads and writes: PostgreSQL runs concurrent writers itself.
    pub(crate) fn writer(&self) -> &PgPool {
        &self.pool
    }

    pub(crate) async fn close_pools(&self) {
        self.pool.close().await;
    }

    /// Dead tuples stay in the heap until VACUUM reuses the space; a plain VACUUM makes that
    /// happen now instead of eventually. Every table is read from the catalog, so one added by a
    /// later migration is never left out.
    pub(crate) async fn purge(&self) -> StoreResult<()> {
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
                .fetch_all(&self.pool)
                .await
                .map_err(backend_error)?;
        for table in tables {
            let sql = format!("VACUUM \"{}\"", table.replace('"', "\"\""));
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&self.pool).await.map_err(backend_error)?;
        }
        Ok(())
    }
}
