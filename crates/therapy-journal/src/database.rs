//! The backend is chosen once, from the URL. A URL we do not recognise is refused rather than
//! silently creating an empty database somewhere unexpected.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use journal_core::Store;
use journal_core::bridge::head_mac;
use journal_crypto::SymmetricKey;
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

/// Where the access log's key lives when no path is given: beside the SQLite file, or in the
/// working directory.
pub fn default_key_path(url: &str) -> PathBuf {
    match path_from_url(url) {
        Some(db) => {
            let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "therapy-journal".into());
            name.push(".access-log.key");
            db.with_file_name(name)
        }
        None => PathBuf::from("therapy-journal.access-log.key"),
    }
}

/// Reads the access log's server key, or creates it (0600) on first use. A new key seals every
/// head written before keys existed, so those unkeyed rows are covered from here on; a key that
/// already exists never re-seals anything (that would bless a rewrite made meanwhile).
pub async fn access_log_key(url: &str, path: Option<&Path>, store: &dyn Store) -> anyhow::Result<SymmetricKey> {
    let path = path.map(Path::to_path_buf).unwrap_or_else(|| default_key_path(url));
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                if std::fs::metadata(&path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0) {
                    tracing::warn!(path = %path.display(), "the access-log key file is readable by others: chmod 600 it");
                }
            }
            parse_key(text.trim())
                .with_context(|| format!("{} is not an access-log key (64 hex digits)", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SymmetricKey::generate();
            let text = format!("{}\n", key.as_bytes().iter().map(|b| format!("{b:02x}")).collect::<String>());
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options
                .open(&path)
                .with_context(|| format!("could not create the access-log key {}", path.display()))?;
            std::io::Write::write_all(&mut file, text.as_bytes())?;
            file.sync_all()?;
            let (_, heads) = store.access_log_all().await?;
            for h in heads {
                if let (Some(head), None) = (&h.head, &h.mac) {
                    store.set_access_log_head_mac(&h.user_id, head, &head_mac(&key, &h.user_id, head)).await?;
                }
            }
            tracing::info!(path = %path.display(), "created the access-log key; back it up apart from the database");
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| format!("could not read the access-log key {}", path.display())),
    }
}

fn parse_key(text: &str) -> anyhow::Result<SymmetricKey> {
    if text.len() != 64 || !text.is_ascii() {
        bail!("wrong length");
    }
    let mut bytes = [0u8; 32];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16)?;
    }
    Ok(SymmetricKey::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_hides_credentials() {
        assert_eq!(describe("mysql://root:hunter2@db/x"), "mysql://…");
        assert!(!describe("whatever").contains("whatever"));
    }

    #[test]
    fn the_key_file_sits_beside_the_database() {
        assert_eq!(default_key_path("sqlite://data/j.db"), PathBuf::from("data/j.db.access-log.key"));
        assert_eq!(default_key_path("postgres://x@y/z"), PathBuf::from("therapy-journal.access-log.key"));
        let key = parse_key(&"ab".repeat(32)).unwrap();
        assert_eq!(key.as_bytes(), &[0xab; 32]);
        assert!(parse_key("abc").is_err() && parse_key(&"zz".repeat(32)).is_err());
    }
}
