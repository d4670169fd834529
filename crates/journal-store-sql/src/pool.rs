//! Expanded once per backend by [`crate::sql_store`]: see there for what it may use.

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_pool {
    () => {
        pub(crate) mod pool {
            //! What both backends' pools run on a connection handed back.

            use super::DbConnection;
            use sqlx::Connection;
            use sqlx::pool::PoolConnectionMetadata;

            type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

            /// Run by the pool on every connection handed back. One that sqlx still counts as
            /// inside a transaction (a failed `COMMIT`, a cancelled request, or on SQLite a write
            /// that failed at the wrong moment: SQLite rolls a transaction back by itself on a full
            /// disk, so the later `ROLLBACK` fails) would refuse or nest every later `BEGIN`, so it
            /// is closed instead of reused, and the pool opens a fresh one.
            pub(crate) fn release_unless_in_transaction(
                conn: &mut DbConnection,
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
        }
    };
}
