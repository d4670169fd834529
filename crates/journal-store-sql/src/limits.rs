//! Expanded once per backend by [`crate::sql_store`]: see there for what it may use.

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_limits {
    () => {
        pub(crate) mod limits {
            //! Sign-in attempt counters and the server secret (migration 0009).

            use journal_core::store::StoreResult;
            use journal_core::time_util::Timestamp;
            use sqlx::Row;

            use super::{DbPool, backend_error};

            pub async fn hit(pool: &DbPool, key: &[u8], window: i64, now: Timestamp) -> StoreResult<(u32, Timestamp)> {
                // One statement, so concurrent attempts (from any app server) each get their own count.
                let row = sqlx::query(
                    "INSERT INTO login_counters (key, count, reset_at) VALUES ($1, 1, $2 + $3) ON CONFLICT (key) DO \
                     UPDATE SET count = CASE WHEN login_counters.reset_at <= $2 THEN 1 ELSE login_counters.count + 1 \
                     END, reset_at = CASE WHEN login_counters.reset_at <= $2 THEN $2 + $3 ELSE login_counters.reset_at \
                     END RETURNING count, reset_at",
                )
                .bind(key)
                .bind(now)
                .bind(window)
                .fetch_one(pool)
                .await
                .map_err(backend_error)?;
                let count: i64 = row.try_get("count").map_err(backend_error)?;
                let reset_at: i64 = row.try_get("reset_at").map_err(backend_error)?;
                Ok((u32::try_from(count).unwrap_or(u32::MAX), reset_at))
            }

            pub async fn clear(pool: &DbPool, key: &[u8]) -> StoreResult<()> {
                sqlx::query("DELETE FROM login_counters WHERE key = $1")
                    .bind(key)
                    .execute(pool)
                    .await
                    .map(|_| ())
                    .map_err(backend_error)
            }

            pub async fn delete_expired(pool: &DbPool, now: Timestamp) -> StoreResult<u64> {
                sqlx::query("DELETE FROM login_counters WHERE reset_at <= $1")
                    .bind(now)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected())
                    .map_err(backend_error)
            }

            pub async fn server_secret(pool: &DbPool, candidate: &[u8], now: Timestamp) -> StoreResult<Vec<u8>> {
                // Servers starting together may race to create it; the first insert wins and all read it.
                sqlx::query("INSERT INTO server_settings (id, secret, created_at) VALUES (1, $1, $2) ON CONFLICT (id) \
                             DO NOTHING")
                    .bind(candidate)
                    .bind(now)
                    .execute(pool)
                    .await
                    .map_err(backend_error)?;
                sqlx::query_scalar("SELECT secret FROM server_settings WHERE id = 1")
                    .fetch_one(pool)
                    .await
                    .map_err(backend_error)
            }
        }
    };
}
