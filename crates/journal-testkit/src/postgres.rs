//! A fresh PostgreSQL database per test, so tests run in parallel without seeing each other.

use std::sync::OnceLock;

use sqlx::Connection;
use sqlx::postgres::PgConnection;

use crate::{announce_skip, required};

/// The server to create test databases on; `TJ_TEST_POSTGRES_URL` overrides it.
fn admin_url() -> String {
    std::env::var("TJ_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

static ANNOUNCED: OnceLock<()> = OnceLock::new();

impl TestDatabase {
    /// `None` when PostgreSQL cannot be reached and `TJ_REQUIRE_POSTGRES` is not set.
    pub async fn create() -> Option<TestDatabase> {
        let admin = admin_url();
        let connect = tokio::time::timeout(std::time::Duration::from_secs(5), PgConnection::connect(&admin)).await;
        let mut conn = match connect {
            Ok(Ok(c)) => c,
            other => {
                let why = match other {
                    Ok(Err(e)) => e.to_string(),
                    _ => "timed out".to_owned(),
                };
                if required("TJ_REQUIRE_POSTGRES") {
                    panic!("TJ_REQUIRE_POSTGRES=1 but PostgreSQL at {admin} is not available: {why}");
                }
                ANNOUNCED.get_or_init(|| {
                    announce_skip(&format!(
                        "PostgreSQL tests (no server at {admin}: {why}). Set TJ_REQUIRE_POSTGRES=1 to make this an error."
                    ))
                });
                return None;
            }
        };
        let name = format!("tj_test_{}", journal_core::ids::new_id());
        let sql = format!("CREATE DATABASE {name}");
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.expect("create test database");
        let _ = conn.close().await;
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap_or(admin.clone());
        Some(TestDatabase { url: format!("{base}/{name}"), name })
    }

    /// `pg_dump` of the whole database, as a backup would contain it.
    pub fn dump(&self) -> Vec<u8> {
        dump(&self.url)
    }
}

/// `pg_dump` of the database at `url`.
pub fn dump(url: &str) -> Vec<u8> {
    let out = std::process::Command::new("pg_dump")
        .arg("--dbname")
        .arg(url)
        .output()
        .expect("pg_dump must be installed to test PostgreSQL backups");
    assert!(out.status.success(), "pg_dump failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime; a separate thread with its own runtime can block.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect(&admin_url()).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await;
                }
            });
        })
        .join();
    }
}
