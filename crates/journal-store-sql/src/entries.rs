//! Expanded once per backend by [`crate::sql_store`]: see there for what it may use.

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_entries {
    () => {
        pub(crate) mod entries {
            //! Journal entries and drafts. Each entry write bumps the owner's `content_version` in the same
            //! transaction, so search caches on every server can tell they are stale.

            use journal_core::entries::{EntryQuery, EntryRecord};
            use journal_core::store::StoreResult;
            use journal_core::time_util::Timestamp;
            use sqlx::Row;

            use super::{DbConnection, DbPool, DbRow, backend_error};

            const COLUMNS: &str = "id, user_id, entry_date, key_wrapped, content, created_at, updated_at";

            pub(crate) fn entry_from_row(row: &DbRow) -> Result<EntryRecord, sqlx::Error> {
                Ok(EntryRecord {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    entry_date: row.try_get("entry_date")?,
                    key_wrapped: row.try_get("key_wrapped")?,
                    content: row.try_get("content")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                })
            }

            fn entries(rows: &[DbRow]) -> StoreResult<Vec<EntryRecord>> {
                rows.iter().map(entry_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            async fn bump_version(conn: &mut DbConnection, user_id: &str) -> Result<i64, sqlx::Error> {
                sqlx::query_scalar(
                    "UPDATE users SET content_version = content_version + 1 WHERE id = $1 RETURNING content_version",
                )
                .bind(user_id)
                .fetch_one(conn)
                .await
            }

            pub async fn insert(pool: &DbPool, e: &EntryRecord) -> StoreResult<i64> {
                insert_many(pool, &e.user_id, std::slice::from_ref(e)).await
            }

            pub async fn insert_many(pool: &DbPool, user_id: &str, list: &[EntryRecord]) -> StoreResult<i64> {
                let mut tx = super::begin(pool).await.map_err(backend_error)?;
                let version = insert_rows(&mut tx, user_id, list).await?;
                tx.commit().await.map_err(backend_error)?;
                Ok(version)
            }

            /// Inserts `list` (only the rows of `user_id`) inside the caller's transaction and bumps the
            /// content version.
            pub async fn insert_rows(tx: &mut DbConnection, user_id: &str, list: &[EntryRecord]) -> StoreResult<i64> {
                for e in list.iter().filter(|e| e.user_id == user_id) {
                    sqlx::query(
                        "INSERT INTO entries (id, user_id, entry_date, key_wrapped, content, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(&e.id)
                    .bind(&e.user_id)
                    .bind(&e.entry_date)
                    .bind(&e.key_wrapped)
                    .bind(&e.content)
                    .bind(e.created_at)
                    .bind(e.updated_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                }
                bump_version(tx, user_id).await.map_err(backend_error)
            }

            pub async fn update(pool: &DbPool, e: &EntryRecord) -> StoreResult<Option<i64>> {
                let mut tx = super::begin(pool).await.map_err(backend_error)?;
                let n = sqlx::query(
                    "UPDATE entries SET entry_date = $1, key_wrapped = $2, content = $3, updated_at = $4 WHERE id = $5 \
                     AND user_id = $6",
                )
                .bind(&e.entry_date)
                .bind(&e.key_wrapped)
                .bind(&e.content)
                .bind(e.updated_at)
                .bind(&e.id)
                .bind(&e.user_id)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?
                .rows_affected();
                if n == 0 {
                    return Ok(None);
                }
                let version = bump_version(&mut tx, &e.user_id).await.map_err(backend_error)?;
                tx.commit().await.map_err(backend_error)?;
                Ok(Some(version))
            }

            pub async fn delete(pool: &DbPool, user_id: &str, id: &str) -> StoreResult<Option<i64>> {
                let mut tx = super::begin(pool).await.map_err(backend_error)?;
                let n = sqlx::query("DELETE FROM entries WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?
                    .rows_affected();
                if n == 0 {
                    return Ok(None);
                }
                sqlx::query("DELETE FROM drafts WHERE user_id = $1 AND draft_key = $2")
                    .bind(user_id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                let version = bump_version(&mut tx, user_id).await.map_err(backend_error)?;
                tx.commit().await.map_err(backend_error)?;
                Ok(Some(version))
            }

            pub async fn get(pool: &DbPool, user_id: &str, id: &str) -> StoreResult<Option<EntryRecord>> {
                let sql = format!("SELECT {COLUMNS} FROM entries WHERE id = $1 AND user_id = $2");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(id)
                    .bind(user_id)
                    .fetch_optional(pool)
                    .await
                    .and_then(|r| r.as_ref().map(entry_from_row).transpose())
                    .map_err(backend_error)
            }

            pub async fn by_ids(pool: &DbPool, user_id: &str, ids: &[String]) -> StoreResult<Vec<EntryRecord>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let ids = &ids[..ids.len().min(200)];
                let marks: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT {COLUMNS} FROM entries WHERE {} = $1 AND id IN ({})",
                    super::dialect::OWNER_OF_LISTED_IDS,
                    marks.join(", ")
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id);
                for id in ids {
                    query = query.bind(id);
                }
                let rows = query.fetch_all(pool).await.map_err(backend_error)?;
                entries(&rows)
            }

            pub async fn list(pool: &DbPool, user_id: &str, q: &EntryQuery) -> StoreResult<Vec<EntryRecord>> {
                let (after_date, after_created, after_id) = match &q.after {
                    Some(c) => (Some(c.entry_date.as_str()), Some(c.created_at), Some(c.id.as_str())),
                    None => (None, None, None),
                };
                let sql = format!(
                    "SELECT {COLUMNS} FROM entries WHERE user_id = $1 AND ($2 IS NULL OR entry_date >= $2) AND ($3 IS \
                     NULL OR entry_date <= $3) AND ($4 IS NULL OR (entry_date, created_at, id) < ($4, $5, $6)) ORDER \
                     BY entry_date DESC, created_at DESC, id DESC LIMIT $7"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(user_id)
                    .bind(q.from.as_deref())
                    .bind(q.to.as_deref())
                    .bind(after_date)
                    .bind(after_created)
                    .bind(after_id)
                    .bind(i64::from(q.limit))
                    .fetch_all(pool)
                    .await
                    .map_err(backend_error)?;
                entries(&rows)
            }

            pub async fn all(pool: &DbPool, user_id: &str) -> StoreResult<Vec<EntryRecord>> {
                let sql = format!(
                    "SELECT {COLUMNS} FROM entries WHERE user_id = $1 ORDER BY entry_date DESC, created_at DESC, id \
                     DESC"
                );
                let rows =
                    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await.map_err(backend_error)?;
                entries(&rows)
            }

            pub async fn days(pool: &DbPool, user_id: &str, from: &str, to: &str) -> StoreResult<Vec<(String, i64)>> {
                let rows = sqlx::query(
                    "SELECT entry_date, COUNT(*) AS n FROM entries WHERE user_id = $1 AND entry_date >= $2 AND \
                     entry_date <= $3 GROUP BY entry_date ORDER BY entry_date",
                )
                .bind(user_id)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await
                .map_err(backend_error)?;
                rows.iter()
                    .map(|r| Ok((r.try_get("entry_date")?, r.try_get("n")?)))
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(backend_error)
            }

            pub async fn on_month_day(
                pool: &DbPool,
                user_id: &str,
                month_day: &str,
                day_of_month: &str,
                before: &str,
            ) -> StoreResult<Vec<EntryRecord>> {
                // Same day of the year in earlier years, and the same day of the month in earlier months.
                let sql = format!(
                    "SELECT {COLUMNS} FROM entries WHERE user_id = $1 AND entry_date < $2 AND (substr(entry_date, 6) = \
                     $3 OR substr(entry_date, 9) = $4) ORDER BY entry_date DESC, created_at DESC LIMIT 50"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(user_id)
                    .bind(before)
                    .bind(month_day)
                    .bind(day_of_month)
                    .fetch_all(pool)
                    .await
                    .map_err(backend_error)?;
                entries(&rows)
            }

            pub async fn put_draft(
                pool: &DbPool,
                user_id: &str,
                key: &str,
                content: &[u8],
                at: Timestamp,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO drafts (user_id, draft_key, content, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT \
                     (user_id, draft_key) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at",
                )
                .bind(user_id)
                .bind(key)
                .bind(content)
                .bind(at)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(backend_error)
            }

            pub async fn draft(pool: &DbPool, user_id: &str, key: &str) -> StoreResult<Option<(Vec<u8>, Timestamp)>> {
                let row = sqlx::query("SELECT content, updated_at FROM drafts WHERE user_id = $1 AND draft_key = $2")
                    .bind(user_id)
                    .bind(key)
                    .fetch_optional(pool)
                    .await
                    .map_err(backend_error)?;
                row.map(|r| Ok((r.try_get("content")?, r.try_get("updated_at")?))).transpose().map_err(backend_error)
            }

            pub async fn delete_draft(pool: &DbPool, user_id: &str, key: &str) -> StoreResult<()> {
                sqlx::query("DELETE FROM drafts WHERE user_id = $1 AND draft_key = $2")
                    .bind(user_id)
                    .bind(key)
                    .execute(pool)
                    .await
                    .map(|_| ())
                    .map_err(backend_error)
            }
        }
    };
}
