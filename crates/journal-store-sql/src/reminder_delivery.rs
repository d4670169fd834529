//! Expanded once per backend by [`crate::sql_store`]: see there for what it may use.

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_reminder_delivery {
    () => {
        pub(crate) mod reminder_delivery {
            //! Reminder channels and jobs (migration 0012), and the claim that hands each due job
            //! to exactly one server.

            use journal_core::reminder_delivery::{ChannelKind, ChannelRecord, ClaimedJob, JobRecord};
            use journal_core::store::StoreResult;
            use journal_core::time_util::Timestamp;
            use sqlx::Row;

            use super::{DbPool, DbRow, backend_error, begin, dialect};

            const CHANNEL_COLUMNS: &str = "id, user_id, kind, destination_sealed, verified_at, verify_token_hash, \
                                           verify_expires_at, failures, last_error, last_failed_at, created_at";

            const JOB_COLUMNS: &str = "id, user_id, channel_id, spec, specific_wording, due_at, attempts, \
                                       last_error, claimed_by, claimed_until, created_at";

            fn kind_of(text: &str) -> Result<ChannelKind, sqlx::Error> {
                ChannelKind::parse(text).ok_or_else(|| sqlx::Error::Decode(format!("channel kind {text:?}").into()))
            }

            fn channel_from_row(row: &DbRow) -> Result<ChannelRecord, sqlx::Error> {
                let kind: String = row.try_get("kind")?;
                Ok(ChannelRecord {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    kind: kind_of(&kind)?,
                    destination_sealed: row.try_get("destination_sealed")?,
                    verified_at: row.try_get("verified_at")?,
                    verify_token_hash: row.try_get("verify_token_hash")?,
                    verify_expires_at: row.try_get("verify_expires_at")?,
                    failures: row.try_get("failures")?,
                    last_error: row.try_get("last_error")?,
                    last_failed_at: row.try_get("last_failed_at")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            fn job_from_row(row: &DbRow) -> Result<JobRecord, sqlx::Error> {
                Ok(JobRecord {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    channel_id: row.try_get("channel_id")?,
                    spec: row.try_get("spec")?,
                    specific_wording: row.try_get("specific_wording")?,
                    due_at: row.try_get("due_at")?,
                    attempts: row.try_get("attempts")?,
                    last_error: row.try_get("last_error")?,
                    claimed_by: row.try_get("claimed_by")?,
                    claimed_until: row.try_get("claimed_until")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            pub async fn insert_channel(pool: &DbPool, c: &ChannelRecord) -> StoreResult<()> {
                let sql = format!(
                    "INSERT INTO reminder_channels ({CHANNEL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                     $10, $11)"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(&c.id)
                    .bind(&c.user_id)
                    .bind(c.kind.as_str())
                    .bind(&c.destination_sealed)
                    .bind(c.verified_at)
                    .bind(&c.verify_token_hash)
                    .bind(c.verify_expires_at)
                    .bind(c.failures)
                    .bind(&c.last_error)
                    .bind(c.last_failed_at)
                    .bind(c.created_at)
                    .execute(pool)
                    .await
                    .map(|_| ())
                    .map_err(backend_error)
            }

            pub async fn channels(pool: &DbPool, user_id: &str) -> StoreResult<Vec<ChannelRecord>> {
                let sql = format!(
                    "SELECT {CHANNEL_COLUMNS} FROM reminder_channels WHERE user_id = $1 ORDER BY created_at, id"
                );
                let rows =
                    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await.map_err(backend_error)?;
                rows.iter().map(channel_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            pub async fn delete_channel(pool: &DbPool, user_id: &str, id: &str) -> StoreResult<bool> {
                sqlx::query("DELETE FROM reminder_channels WHERE user_id = $1 AND id = $2")
                    .bind(user_id)
                    .bind(id)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected() > 0)
                    .map_err(backend_error)
            }

            pub async fn verify_channel(
                pool: &DbPool,
                token_hash: &[u8],
                now: Timestamp,
            ) -> StoreResult<Option<String>> {
                sqlx::query_scalar(
                    "UPDATE reminder_channels SET verified_at = $2, verify_token_hash = NULL, verify_expires_at = \
                     NULL WHERE verify_token_hash = $1 AND verify_expires_at > $2 RETURNING id",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(backend_error)
            }

            pub async fn insert_job(pool: &DbPool, j: &JobRecord) -> StoreResult<()> {
                let sql = format!(
                    "INSERT INTO reminder_jobs ({JOB_COLUMNS}) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 \
                     WHERE EXISTS (SELECT 1 FROM reminder_channels WHERE id = $3 AND user_id = $2)"
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(&j.id)
                    .bind(&j.user_id)
                    .bind(&j.channel_id)
                    .bind(&j.spec)
                    .bind(j.specific_wording)
                    .bind(j.due_at)
                    .bind(j.attempts)
                    .bind(&j.last_error)
                    .bind(&j.claimed_by)
                    .bind(j.claimed_until)
                    .bind(j.created_at)
                    .execute(pool)
                    .await
                    .map_err(backend_error)?;
                if done.rows_affected() == 0 {
                    // The channel is someone else's or gone: the same answer as a missing row.
                    return Err(journal_core::StoreError::Conflict("no such channel"));
                }
                Ok(())
            }

            pub async fn jobs(pool: &DbPool, user_id: &str) -> StoreResult<Vec<JobRecord>> {
                let sql = format!("SELECT {JOB_COLUMNS} FROM reminder_jobs WHERE user_id = $1 ORDER BY created_at, id");
                let rows =
                    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await.map_err(backend_error)?;
                rows.iter().map(job_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            pub async fn job(pool: &DbPool, id: &str) -> StoreResult<Option<JobRecord>> {
                let sql = format!("SELECT {JOB_COLUMNS} FROM reminder_jobs WHERE id = $1");
                let row =
                    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await.map_err(backend_error)?;
                row.as_ref().map(job_from_row).transpose().map_err(backend_error)
            }

            pub async fn delete_job(pool: &DbPool, user_id: &str, id: &str) -> StoreResult<bool> {
                sqlx::query("DELETE FROM reminder_jobs WHERE user_id = $1 AND id = $2")
                    .bind(user_id)
                    .bind(id)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected() > 0)
                    .map_err(backend_error)
            }

            pub async fn set_due(pool: &DbPool, id: &str, due_at: Option<Timestamp>) -> StoreResult<bool> {
                sqlx::query("UPDATE reminder_jobs SET due_at = $2 WHERE id = $1 AND claimed_by IS NULL")
                    .bind(id)
                    .bind(due_at)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected() > 0)
                    .map_err(backend_error)
            }

            /// One transaction: pick due rows whose lease is free (skipping rows another server
            /// has locked, in PostgreSQL), stamp them with this server's lease, and read what
            /// sending needs. A lease that ran out (a server that died mid-send) is free again.
            pub async fn claim(
                pool: &DbPool,
                worker: &str,
                now: Timestamp,
                lease: i64,
                limit: i64,
            ) -> StoreResult<Vec<ClaimedJob>> {
                let mut tx = begin(pool).await.map_err(backend_error)?;
                let pick = format!(
                    "SELECT id FROM reminder_jobs WHERE due_at <= $1 AND (claimed_until IS NULL OR claimed_until < \
                     $1) ORDER BY due_at, id LIMIT $2{}",
                    dialect::CLAIM_ROWS
                );
                let ids: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(pick))
                    .bind(now)
                    .bind(limit)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                let mut claimed = Vec::with_capacity(ids.len());
                let read = format!(
                    "UPDATE reminder_jobs SET claimed_by = $2, claimed_until = $3 WHERE id = $1 RETURNING {JOB_COLUMNS}"
                );
                for id in &ids {
                    let row = sqlx::query(sqlx::AssertSqlSafe(read.clone()))
                        .bind(id)
                        .bind(worker)
                        .bind(now + lease)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    claimed.push(job_from_row(&row).map_err(backend_error)?);
                }
                let mut out = Vec::with_capacity(claimed.len());
                for job in claimed {
                    let row = sqlx::query(
                        "SELECT c.kind, c.destination_sealed, c.verified_at, u.time_zone FROM reminder_channels c \
                         JOIN users u ON u.id = c.user_id WHERE c.id = $1",
                    )
                    .bind(&job.channel_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    let kind: String = row.try_get("kind").map_err(backend_error)?;
                    let verified_at: Option<i64> = row.try_get("verified_at").map_err(backend_error)?;
                    out.push(ClaimedJob {
                        channel_kind: kind_of(&kind).map_err(backend_error)?,
                        destination_sealed: row.try_get("destination_sealed").map_err(backend_error)?,
                        channel_verified: verified_at.is_some(),
                        time_zone: row.try_get("time_zone").map_err(backend_error)?,
                        job,
                    });
                }
                tx.commit().await.map_err(backend_error)?;
                Ok(out)
            }

            pub async fn finish(
                pool: &DbPool,
                id: &str,
                worker: &str,
                next_due: Option<Timestamp>,
                delivered: bool,
            ) -> StoreResult<bool> {
                let mut tx = begin(pool).await.map_err(backend_error)?;
                let channel: Option<String> = sqlx::query_scalar(
                    "UPDATE reminder_jobs SET due_at = $3, attempts = 0, last_error = NULL, claimed_by = NULL, \
                     claimed_until = NULL WHERE id = $1 AND claimed_by = $2 RETURNING channel_id",
                )
                .bind(id)
                .bind(worker)
                .bind(next_due)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend_error)?;
                if let (Some(channel), true) = (&channel, delivered) {
                    sqlx::query(
                        "UPDATE reminder_channels SET failures = 0, last_error = NULL WHERE id = $1 AND failures <> 0",
                    )
                    .bind(channel)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                }
                tx.commit().await.map_err(backend_error)?;
                Ok(channel.is_some())
            }

            pub async fn fail(
                pool: &DbPool,
                id: &str,
                worker: &str,
                retry_at: Option<Timestamp>,
                attempts: i64,
                error: &str,
                now: Timestamp,
            ) -> StoreResult<bool> {
                let mut tx = begin(pool).await.map_err(backend_error)?;
                let channel: Option<String> = sqlx::query_scalar(
                    "UPDATE reminder_jobs SET due_at = $3, attempts = $4, last_error = $5, claimed_by = NULL, \
                     claimed_until = NULL WHERE id = $1 AND claimed_by = $2 RETURNING channel_id",
                )
                .bind(id)
                .bind(worker)
                .bind(retry_at)
                .bind(attempts)
                .bind(error)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend_error)?;
                if let Some(channel) = &channel {
                    sqlx::query(
                        "UPDATE reminder_channels SET failures = failures + 1, last_error = $2, last_failed_at = $3 \
                         WHERE id = $1",
                    )
                    .bind(channel)
                    .bind(error)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                }
                tx.commit().await.map_err(backend_error)?;
                Ok(channel.is_some())
            }
        }
    };
}
