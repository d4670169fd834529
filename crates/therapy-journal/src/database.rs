//! The backend is chosen once, from the URL. A URL we do not recognise is refused rather than
//! silently creating an empty database somewhere unexpected.

use std::sync::Arc;

use anyhow::{Context, bail};
use journal_core::Store;
use journal_store_postgres::{PostgresStore, is_postgres_url};
use journal_store_sqlite::{SqliteStore, path_from_url};

pub const DEFAULT_URL: &str = "sqlite://therapy-journal.db";

/// The scheme only: database URLs can carry passwords, which must not reach logs.
fn describe(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, _)) => format!("{scheme}://…"),
        None => "a URL without a scheme".to_owned(),
    }
}

pub async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if let Some(path) = path_from_url(url) {
        let store = SqliteStore::open(&path)
            .await
            .with_context(|| format!("could not open the SQLite database at {}", path.display()))?;
        return Ok(Arc::new(store));
    }
    if is_postgres_url(url) {
        let store = PostgresStore::open(url).await.context("could not connect to PostgreSQL")?;
        return Ok(Arc::new(store));
    }
    bail!(
        "unrecognised database URL ({}). Use sqlite://PATH (for example {DEFAULT_URL}) or postgres://USER@HOST/DATABASE",
        describe(url)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_hides_credentials() {
        assert_eq!(describe("mysql://root:hunter2@db/x"), "mysql://…");
        assert!(!describe("whatever").contains("whatever"));
    }
}
