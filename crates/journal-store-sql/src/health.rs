//! Expanded once per backend by [`crate::sql_store`]: see there for what it may use.

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_health {
    () => {
        pub(crate) mod health {
            //! Health data: each user's wrapped metrics key, encrypted questionnaire results and mood check-ins.

            use journal_core::metrics::{AssessmentRecord, MoodRecord};
            use journal_core::store::StoreResult;
            use journal_core::time_util::Timestamp;
            use sqlx::Row;

            use super::{Db, DbPool, DbRow, backend_error};

            fn assessment_from_row(row: &DbRow) -> Result<AssessmentRecord, sqlx::Error> {
                Ok(AssessmentRecord {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    instrument: row.try_get("instrument")?,
                    taken_at: row.try_get("taken_at")?,
                    content: row.try_get("content")?,
                })
            }

            pub async fn key(pool: &DbPool, user_id: &str) -> StoreResult<Option<Vec<u8>>> {
                sqlx::query_scalar("SELECT key_wrapped FROM metrics_keys WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_optional(pool)
                    .await
                    .map_err(backend_error)
            }

            pub async fn create_key(
                writer: &DbPool,
                user_id: &str,
                wrapped: &[u8],
                at: Timestamp,
            ) -> StoreResult<Vec<u8>> {
                // Two first check-ins at once must end up with one key: the loser reads the winner's.
                sqlx::query(
                    "INSERT INTO metrics_keys (user_id, key_wrapped, created_at) VALUES ($1, $2, $3) ON CONFLICT \
                     (user_id) DO NOTHING",
                )
                .bind(user_id)
                .bind(wrapped)
                .bind(at)
                .execute(writer)
                .await
                .map_err(backend_error)?;
                sqlx::query_scalar("SELECT key_wrapped FROM metrics_keys WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_one(writer)
                    .await
                    .map_err(backend_error)
            }

            pub async fn insert<'e>(
                writer: impl sqlx::Executor<'e, Database = Db>,
                r: &AssessmentRecord,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO assessments (id, user_id, instrument, taken_at, content) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&r.id)
                .bind(&r.user_id)
                .bind(&r.instrument)
                .bind(r.taken_at)
                .bind(&r.content)
                .execute(writer)
                .await
                .map(|_| ())
                .map_err(backend_error)
            }

            pub async fn list(
                pool: &DbPool,
                user_id: &str,
                instrument: Option<&str>,
            ) -> StoreResult<Vec<AssessmentRecord>> {
                let sql = format!(
                    "SELECT id, user_id, instrument, taken_at, content FROM assessments WHERE user_id = $1 AND ($2 IS \
                     NULL OR instrument = $2) ORDER BY taken_at DESC, {} DESC",
                    super::dialect::INSERTION_ORDER
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(user_id)
                    .bind(instrument)
                    .fetch_all(pool)
                    .await
                    .map_err(backend_error)?;
                rows.iter().map(assessment_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            pub async fn insert_mood<'e>(
                writer: impl sqlx::Executor<'e, Database = Db>,
                r: &MoodRecord,
            ) -> StoreResult<()> {
                sqlx::query("INSERT INTO moods (id, user_id, at, content) VALUES ($1, $2, $3, $4)")
                    .bind(&r.id)
                    .bind(&r.user_id)
                    .bind(r.at)
                    .bind(&r.content)
                    .execute(writer)
                    .await
                    .map(|_| ())
                    .map_err(backend_error)
            }

            fn mood_from_row(row: &DbRow) -> Result<MoodRecord, sqlx::Error> {
                Ok(MoodRecord {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    at: row.try_get("at")?,
                    content: row.try_get("content")?,
                })
            }

            pub async fn list_moods(
                pool: &DbPool,
                user_id: &str,
                from: Timestamp,
                to: Timestamp,
            ) -> StoreResult<Vec<MoodRecord>> {
                let rows = sqlx::query(
                    "SELECT id, user_id, at, content FROM moods WHERE user_id = $1 AND at >= $2 AND at < $3 ORDER BY \
                     at, id",
                )
                .bind(user_id)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await
                .map_err(backend_error)?;
                rows.iter().map(mood_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            pub async fn mood(pool: &DbPool, user_id: &str, id: &str) -> StoreResult<Option<MoodRecord>> {
                let row = sqlx::query("SELECT id, user_id, at, content FROM moods WHERE user_id = $1 AND id = $2")
                    .bind(user_id)
                    .bind(id)
                    .fetch_optional(pool)
                    .await
                    .map_err(backend_error)?;
                row.as_ref().map(mood_from_row).transpose().map_err(backend_error)
            }

            pub async fn update_mood(writer: &DbPool, r: &MoodRecord) -> StoreResult<bool> {
                sqlx::query("UPDATE moods SET at = $1, content = $2 WHERE user_id = $3 AND id = $4")
                    .bind(r.at)
                    .bind(&r.content)
                    .bind(&r.user_id)
                    .bind(&r.id)
                    .execute(writer)
                    .await
                    .map(|done| done.rows_affected() == 1)
                    .map_err(backend_error)
            }

            pub async fn delete_mood(writer: &DbPool, user_id: &str, id: &str) -> StoreResult<bool> {
                sqlx::query("DELETE FROM moods WHERE user_id = $1 AND id = $2")
                    .bind(user_id)
                    .bind(id)
                    .execute(writer)
                    .await
                    .map(|done| done.rows_affected() == 1)
                    .map_err(backend_error)
            }

            /// Stores the result unless `token_hash` produced one already; returns the id of the result in
            /// force. Claiming the token and storing the result are one transaction, so two copies of a form
            /// sent at once store one result.
            pub async fn insert_once(
                pool: &DbPool,
                r: &AssessmentRecord,
                token_hash: &[u8],
                forget_before: Timestamp,
            ) -> StoreResult<String> {
                let mut tx = super::begin(pool).await.map_err(backend_error)?;
                sqlx::query("DELETE FROM submission_tokens WHERE user_id = $1 AND created_at < $2")
                    .bind(&r.user_id)
                    .bind(forget_before)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                let claimed = sqlx::query(
                    "INSERT INTO submission_tokens (user_id, token_hash, result_id, created_at) VALUES ($1, $2, $3, \
                     $4) ON CONFLICT (user_id, token_hash) DO NOTHING",
                )
                .bind(&r.user_id)
                .bind(token_hash)
                .bind(&r.id)
                .bind(r.taken_at)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?
                .rows_affected()
                    == 1;
                if !claimed {
                    let id: String = sqlx::query_scalar(
                        "SELECT result_id FROM submission_tokens WHERE user_id = $1 AND token_hash = $2",
                    )
                    .bind(&r.user_id)
                    .bind(token_hash)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    tx.commit().await.map_err(backend_error)?;
                    return Ok(id);
                }
                sqlx::query(
                    "INSERT INTO assessments (id, user_id, instrument, taken_at, content) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&r.id)
                .bind(&r.user_id)
                .bind(&r.instrument)
                .bind(r.taken_at)
                .bind(&r.content)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
                tx.commit().await.map_err(backend_error)?;
                Ok(r.id.clone())
            }
        }
    };
}
