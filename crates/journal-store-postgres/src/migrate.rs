//! A small migration runner: the SQL files are compiled into the binary and applied in order,
//! each in its own transaction under an advisory lock, so servers starting together take turns.

use sqlx::PgPool;

use crate::backend_error;
use journal_core::StoreError;

/// In order; a migration, once released, is never edited.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_accounts.sql")),
    (2, include_str!("../migrations/0002_entries.sql")),
    (3, include_str!("../migrations/0003_assessments.sql")),
    (4, include_str!("../migrations/0004_moods.sql")),
    (5, include_str!("../migrations/0005_preferences.sql")),
    (6, include_str!("../migrations/0006_documents.sql")),
    (7, include_str!("../migrations/0007_goals.sql")),
    (8, include_str!("../migrations/0008_bridge.sql")),
    (9, include_str!("../migrations/0009_login_limits.sql")),
    (10, include_str!("../migrations/0010_submission_tokens.sql")),
    (11, include_str!("../migrations/0011_access_log_events.sql")),
    (12, include_str!("../migrations/0012_reminder_delivery.sql")),
];

/// An arbitrary constant that names "Therapy Journal migrations" among advisory locks.
const MIGRATION_LOCK: i64 = 0x746a_6d69_6772;

pub async fn run(pool: &PgPool) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(backend_error)?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .map_err(backend_error)?;
    for &(version, sql) in MIGRATIONS {
        let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(version)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend_error)?;
        if done.is_some() {
            continue;
        }
        sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(backend_error)?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, extract(epoch from now())::bigint)",
        )
        .bind(version)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
        tracing::info!(version, "applied migration");
    }
    tx.commit().await.map_err(backend_error)
}
