//! Every query of the `Store`, written once and expanded in each backend crate by [`sql_store!`].
//!
//! The text is SQL both databases accept: `$N` placeholders (SQLite reads them as numbered
//! parameters), `ON CONFLICT … DO UPDATE`, `RETURNING`, `IS DISTINCT FROM`, and only TEXT,
//! BIGINT/INTEGER, BYTEA/BLOB and BOOLEAN columns (a SQLite boolean is an INTEGER 0 or 1, which
//! sqlx reads and writes as `bool`). The backend crates keep what truly differs: opening the
//! pools, how a write transaction begins, error codes, purging freed space, and the migrations.
//!
//! A macro rather than functions generic over `sqlx::Database`: each backend gets plain code on
//! its own concrete types, so there are no `Encode`/`Decode`/`Executor` bounds to spell out and
//! repeat, and each backend crate compiles only its own copy, in parallel with the other.

mod bridge;
mod documents;
mod entries;
mod goals;
mod health;
mod limits;
mod pool;
mod reminder_delivery;
mod store;

/// Implements `journal_core::Store` for `store`, a struct of the calling crate, on `database`
/// (`sqlx::Sqlite` or `sqlx::Postgres`).
///
/// The module it is called in (the backend crate's root) provides:
/// - `BACKEND: &str`, the name `Store::backend` returns;
/// - `fn backend_error(sqlx::Error) -> StoreError`, its error-code mapping;
/// - `async fn begin(&DbPool) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error>`, how a
///   write transaction starts;
/// - on `store`: `fn pool(&self) -> &DbPool` (reads), `fn writer(&self) -> &DbPool` (writes),
///   `async fn close_pools(&self)` and `async fn purge(&self) -> StoreResult<()>`.
///
/// The expansion names `sqlx`, `journal_core`, `journal_crypto`, `async_trait` and `tracing`,
/// which the calling crate depends on. It defines the aliases `Db`, `DbPool`, `DbRow` and
/// `DbConnection`, and `pool::release_unless_in_transaction` for the pools' `after_release`.
///
/// The four dialect strings are the only SQL that differs between the backends:
/// - `insertion_order`: a column that orders rows of one table by insertion (`rowid` in SQLite,
///   a `BIGSERIAL` in PostgreSQL);
/// - `owner_of_listed_ids`: how `entries.user_id` is written when entries are fetched by a list
///   of ids (SQLite needs a hint to stay on the primary key);
/// - `lock_row`: appended to a `SELECT` of one user row that the transaction will update;
/// - `claim_rows`: appended to the `SELECT` of due reminder jobs, so that concurrent claimers
///   skip each other's rows instead of waiting for them (`FOR UPDATE SKIP LOCKED` in
///   PostgreSQL; nothing in SQLite, whose `BEGIN IMMEDIATE` already makes the claim exclusive).
#[macro_export]
macro_rules! sql_store {
    (
        store: $store:ident,
        database: $db:ty,
        insertion_order: $order:literal,
        owner_of_listed_ids: $owner:literal,
        lock_row: $lock:literal,
        claim_rows: $claim:literal $(,)?
    ) => {
        pub(crate) type Db = $db;
        pub(crate) type DbPool = sqlx::Pool<Db>;
        pub(crate) type DbRow = <Db as sqlx::Database>::Row;
        pub(crate) type DbConnection = <Db as sqlx::Database>::Connection;

        pub(crate) mod dialect {
            pub const INSERTION_ORDER: &str = $order;
            pub const OWNER_OF_LISTED_IDS: &str = $owner;
            pub const LOCK_ROW: &str = $lock;
            pub const CLAIM_ROWS: &str = $claim;
        }

        $crate::__sql_store!($store);
        $crate::__sql_bridge!();
        $crate::__sql_documents!();
        $crate::__sql_entries!();
        $crate::__sql_goals!();
        $crate::__sql_health!();
        $crate::__sql_limits!();
        $crate::__sql_pool!();
        $crate::__sql_reminder_delivery!();
    };
}
