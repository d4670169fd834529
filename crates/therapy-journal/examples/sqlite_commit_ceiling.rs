//! The second ceiling of `bench/run`: how many single-row transactions per second SQLite commits
//! on this disk with the settings the app uses (WAL, synchronous=FULL). Creating an entry can
//! never be faster than one such commit.

use std::str::FromStr;
use std::time::Instant;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "commit-ceiling.db".to_owned());
    let commits: u32 = std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(2000);
    let options = SqliteConnectOptions::from_str("sqlite://")?
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)").execute(&pool).await?;
    let row = vec![7u8; 2200];
    let started = Instant::now();
    for _ in 0..commits {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("INSERT INTO t (v) VALUES (?)").bind(&row).execute(&mut *tx).await?;
        tx.commit().await?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!("{:.0} commits/s ({commits} commits in {secs:.2} s)", f64::from(commits) / secs);
    pool.close().await;
    Ok(())
}
