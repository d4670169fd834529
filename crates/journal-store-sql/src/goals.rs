//! Expanded once per backend by [`crate::sql_store`]: see there for what it may use.

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_goals {
    () => {
        pub(crate) mod goals {
            //! Goals, their check-ins, and reminder settings.

            use journal_core::goals::{CheckinRecord, GoalRecord, ReminderRecord};
            use journal_core::store::StoreResult;
            use sqlx::Row;

            use super::{Db, DbPool, DbRow, backend_error};

            fn goal_from_row(row: &DbRow) -> Result<GoalRecord, sqlx::Error> {
                Ok(GoalRecord {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    content: row.try_get("content")?,
                })
            }

            fn checkin_from_row(row: &DbRow) -> Result<CheckinRecord, sqlx::Error> {
                Ok(CheckinRecord {
                    id: row.try_get("id")?,
                    goal_id: row.try_get("goal_id")?,
                    user_id: row.try_get("user_id")?,
                    day: row.try_get("day")?,
                    created_at: row.try_get("created_at")?,
                    note: row.try_get("note")?,
                })
            }

            fn reminder_from_row(row: &DbRow) -> Result<ReminderRecord, sqlx::Error> {
                Ok(ReminderRecord {
                    user_id: row.try_get("user_id")?,
                    feed_token_hash: row.try_get("feed_token_hash")?,
                    feed_token_sealed: row.try_get("feed_token_sealed")?,
                    journal_time: row.try_get("journal_time")?,
                    checkin_time: row.try_get("checkin_time")?,
                    goal_time: row.try_get("goal_time")?,
                    goal_reminders: row.try_get("goal_reminders")?,
                    updated_at: row.try_get("updated_at")?,
                })
            }

            pub async fn insert_goal<'e>(
                pool: impl sqlx::Executor<'e, Database = Db>,
                g: &GoalRecord,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO goals (id, user_id, created_at, updated_at, content) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&g.id)
                .bind(&g.user_id)
                .bind(g.created_at)
                .bind(g.updated_at)
                .bind(&g.content)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(backend_error)
            }

            pub async fn update_goal(pool: &DbPool, g: &GoalRecord) -> StoreResult<bool> {
                sqlx::query("UPDATE goals SET updated_at = $1, content = $2 WHERE id = $3 AND user_id = $4")
                    .bind(g.updated_at)
                    .bind(&g.content)
                    .bind(&g.id)
                    .bind(&g.user_id)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected() > 0)
                    .map_err(backend_error)
            }

            pub async fn delete_goal(pool: &DbPool, user_id: &str, id: &str) -> StoreResult<bool> {
                sqlx::query("DELETE FROM goals WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user_id)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected() > 0)
                    .map_err(backend_error)
            }

            pub async fn goals(pool: &DbPool, user_id: &str) -> StoreResult<Vec<GoalRecord>> {
                let rows = sqlx::query(
                    "SELECT id, user_id, created_at, updated_at, content FROM goals WHERE user_id = $1 ORDER BY \
                     created_at, id",
                )
                .bind(user_id)
                .fetch_all(pool)
                .await
                .map_err(backend_error)?;
                rows.iter().map(goal_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            pub async fn insert_checkin<'e>(
                pool: impl sqlx::Executor<'e, Database = Db>,
                c: &CheckinRecord,
            ) -> StoreResult<bool> {
                // The goal must belong to the same user: checked in the statement, not only by the caller.
                let done = sqlx::query(
                    "INSERT INTO goal_checkins (id, goal_id, user_id, day, created_at, note) SELECT $1, $2, $3, $4, \
                     $5, $6 WHERE EXISTS (SELECT 1 FROM goals WHERE id = $2 AND user_id = $3)",
                )
                .bind(&c.id)
                .bind(&c.goal_id)
                .bind(&c.user_id)
                .bind(&c.day)
                .bind(c.created_at)
                .bind(&c.note)
                .execute(pool)
                .await
                .map_err(backend_error)?;
                Ok(done.rows_affected() > 0)
            }

            pub async fn delete_checkin(pool: &DbPool, user_id: &str, goal_id: &str, id: &str) -> StoreResult<bool> {
                sqlx::query("DELETE FROM goal_checkins WHERE id = $1 AND goal_id = $2 AND user_id = $3")
                    .bind(id)
                    .bind(goal_id)
                    .bind(user_id)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected() > 0)
                    .map_err(backend_error)
            }

            pub async fn checkins(pool: &DbPool, user_id: &str) -> StoreResult<Vec<CheckinRecord>> {
                let rows = sqlx::query(
                    "SELECT id, goal_id, user_id, day, created_at, note FROM goal_checkins WHERE user_id = $1 ORDER BY \
                     day, created_at, id",
                )
                .bind(user_id)
                .fetch_all(pool)
                .await
                .map_err(backend_error)?;
                rows.iter().map(checkin_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            const REMINDER_COLUMNS: &str = "user_id, feed_token_hash, feed_token_sealed, journal_time, checkin_time, \
                                            goal_time, goal_reminders, updated_at";

            pub async fn reminders(pool: &DbPool, user_id: &str) -> StoreResult<Option<ReminderRecord>> {
                let sql = format!("SELECT {REMINDER_COLUMNS} FROM reminders WHERE user_id = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(user_id)
                    .fetch_optional(pool)
                    .await
                    .map_err(backend_error)?;
                row.as_ref().map(reminder_from_row).transpose().map_err(backend_error)
            }

            pub async fn reminders_by_feed(pool: &DbPool, hash: &[u8]) -> StoreResult<Option<ReminderRecord>> {
                let sql = format!("SELECT {REMINDER_COLUMNS} FROM reminders WHERE feed_token_hash = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(hash)
                    .fetch_optional(pool)
                    .await
                    .map_err(backend_error)?;
                row.as_ref().map(reminder_from_row).transpose().map_err(backend_error)
            }

            pub async fn put_reminders(pool: &DbPool, r: &ReminderRecord) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO reminders (user_id, feed_token_hash, feed_token_sealed, journal_time, checkin_time, \
                     goal_time, goal_reminders, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT \
                     (user_id) DO UPDATE SET feed_token_hash = excluded.feed_token_hash, feed_token_sealed = \
                     excluded.feed_token_sealed, journal_time = excluded.journal_time, checkin_time = \
                     excluded.checkin_time, goal_time = excluded.goal_time, goal_reminders = excluded.goal_reminders, \
                     updated_at = excluded.updated_at",
                )
                .bind(&r.user_id)
                .bind(&r.feed_token_hash)
                .bind(&r.feed_token_sealed)
                .bind(&r.journal_time)
                .bind(&r.checkin_time)
                .bind(&r.goal_time)
                .bind(r.goal_reminders)
                .bind(r.updated_at)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(backend_error)
            }
        }
    };
}
