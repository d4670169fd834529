//! Expanded once per backend by [`crate::sql_store`]: see there for what it may use.

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_documents {
    () => {
        pub(crate) mod documents {
            //! Whole encrypted records (the prompt book, the safety plan…), one row per user and kind.

            use journal_core::store::StoreResult;
            use journal_core::time_util::Timestamp;
            use sqlx::Row;

            use super::{Db, DbPool, backend_error};

            pub async fn put_document<'e>(
                pool: impl sqlx::Executor<'e, Database = Db>,
                user_id: &str,
                kind: &str,
                content: &[u8],
                at: Timestamp,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO documents (user_id, kind, content, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT \
                     (user_id, kind) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at",
                )
                .bind(user_id)
                .bind(kind)
                .bind(content)
                .bind(at)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(backend_error)
            }

            pub async fn document(
                pool: &DbPool,
                user_id: &str,
                kind: &str,
            ) -> StoreResult<Option<(Vec<u8>, Timestamp)>> {
                let row = sqlx::query("SELECT content, updated_at FROM documents WHERE user_id = $1 AND kind = $2")
                    .bind(user_id)
                    .bind(kind)
                    .fetch_optional(pool)
                    .await
                    .map_err(backend_error)?;
                row.map(|r| Ok((r.try_get("content")?, r.try_get("updated_at")?))).transpose().map_err(backend_error)
            }
        }
    };
}
