//! The `Store` for PostgreSQL, for when one machine is no longer enough: several stateless app
//! servers can share one database, because sessions and wrapped keys live in it.

mod bridge;
mod documents;
mod entries;
mod goals;
mod health;
mod limits;
mod migrate;
mod store;

use journal_core::StoreError;
use sqlx::Connection;
use sqlx::pool::PoolConnectionMetadata;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};

type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// How long a request waits for a database connection before it answers 503. When the database
/// is down every request would otherwise wait this long, so it is short: load balancers and people
/// both get a prompt answer, and a pool this busy for this long is overloaded anyway.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(1500);

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

/// Run by the pool on every connection handed back: one that sqlx still counts as inside a
/// transaction (a failed `COMMIT`, a cancelled request) would refuse or nest every later
/// `BEGIN`, so it is closed instead of reused.
fn release_unless_in_transaction(
    conn: &mut PgConnection,
    _meta: PoolConnectionMetadata,
) -> BoxFuture<'_, Result<bool, sqlx::Error>> {
    Box::pin(async move {
        // Most connections come back outside any transaction, and checking that costs nothing.
        if !conn.is_in_transaction() {
            return Ok(true);
        }
        // A dropped transaction only queues its ROLLBACK; the ping runs it, so the depth is final.
        conn.ping().await?;
        if conn.is_in_transaction() {
            tracing::warn!("closing a database connection left inside a transaction");
            return Ok(false);
        }
        Ok(true)
    })
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
            .after_release(release_unless_in_transaction)
            .connect(url)
            .await
            .map_err(backend_error)?;
        migrate::run(&pool).await?;
        Ok(Self { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}
