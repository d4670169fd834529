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
use sqlx::postgres::{PgPool, PgPoolOptions};

pub struct PostgresStore {
    pool: PgPool,
}

pub(crate) fn backend_error(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        return StoreError::Conflict("already exists");
    }
    StoreError::Backend(e.to_string())
}

pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl PostgresStore {
    /// Connects and brings the schema up to date (safe when several servers start at once).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(std::time::Duration::from_secs(10))
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
