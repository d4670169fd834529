//! A small migration runner: the SQL files are compiled into the binary and applied in order,
//! each in its own transaction, recorded in `schema_migrations`.

use sqlx::SqlitePool;

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

pub async fn run(pool: &SqlitePool) -> Result<(), StoreError> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )
    .execute(pool)
    .await
    .map_err(backend_error)?;
    for &(version, sql) in MIGRATIONS {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(backend_error)?;
        let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?")
            .bind(version)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend_error)?;
        if done.is_some() {
            continue;
        }
        sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(backend_error)?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, unixepoch())")
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        tx.commit().await.map_err(backend_error)?;
        tracing::info!(version, "applied migration");
    }
    Ok(())
}
