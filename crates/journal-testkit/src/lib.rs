//! Test support for Therapy Journal: `TestApp` runs the real server on port 0 against a fresh
//! SQLite file or a fresh PostgreSQL database, with HTTP helpers; `browser` drives headless
//! Chromium; `conformance` is the store suite that every backend must pass.
//!
//! PostgreSQL and Chromium are used when available. When they are not, the tests that need them
//! say "SKIPPED" on the terminal and pass, unless `TJ_REQUIRE_POSTGRES=1` or
//! `TJ_REQUIRE_BROWSER=1` is set, in which case they fail (that is what CI does).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: a panic is a test failure

pub mod browser;
pub mod conformance;
mod postgres;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use journal_core::Store;
use journal_store_sqlite::SqliteStore;
use journal_web::{AppState, Config};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use postgres::{TestDatabase, dump};

pub const PASSWORD: &str = "a calm and long password";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Says loudly, on the real terminal (past the test harness's capture), that something was skipped.
pub fn announce_skip(what: &str) {
    let _ = writeln!(std::io::stderr(), "\n    SKIPPED: {what}\n");
}

pub fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// A store on a fresh database, or `None` (after announcing the skip) when PostgreSQL is
/// unavailable and not required.
pub async fn fresh_store(backend: Backend) -> Option<(Arc<dyn Store>, Fixture)> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let path = dir.path().join("journal.db");
            let store = SqliteStore::open(&path).await.expect("open SQLite");
            Some((Arc::new(store), Fixture::Sqlite { dir, path }))
        }
        Backend::Postgres => {
            let db = TestDatabase::create().await?;
            let store = journal_store_postgres::PostgresStore::open(&db.url).await.expect("open PostgreSQL");
            Some((Arc::new(store), Fixture::Postgres(db)))
        }
    }
}

/// What a test database leaves behind to inspect.
pub enum Fixture {
    /// `dir` is held so the database's folder lives as long as the test.
    Sqlite {
        dir: tempfile::TempDir,
        path: PathBuf,
    },
    Postgres(TestDatabase),
    /// A database the test runs and cleans up itself, known by its URL.
    External {
        url: String,
    },
}

impl Fixture {
    /// Every byte the database has on disk (SQLite: main file, -wal and -shm) or would put in a
    /// backup (PostgreSQL: `pg_dump`), for scanning for plaintext.
    pub fn raw_bytes(&self) -> Vec<u8> {
        match self {
            Fixture::Sqlite { path, .. } => {
                let mut all = Vec::new();
                for suffix in ["", "-wal", "-shm"] {
                    let p = PathBuf::from(format!("{}{suffix}", path.display()));
                    if let Ok(bytes) = std::fs::read(&p) {
                        all.extend_from_slice(&bytes);
                    }
                }
                all
            }
            Fixture::Postgres(db) => db.dump(),
            Fixture::External { url } => dump(url),
        }
    }

    pub fn sqlite_path(&self) -> Option<&std::path::Path> {
        match self {
            Fixture::Sqlite { path, .. } => Some(path),
            Fixture::Postgres(_) | Fixture::External { .. } => None,
        }
    }

    /// Runs SQL straight against the database, as someone with a copy of it could: for tests
    /// that tamper with rows (the same statement text works on both backends).
    pub async fn tamper(&self, sql: &str) -> u64 {
        use sqlx::Connection;
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Fixture::Sqlite { path, .. } => {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.unwrap().rows_affected()
            }
            Fixture::Postgres(TestDatabase { url, .. }) | Fixture::External { url } => {
                let mut c = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.unwrap().rows_affected()
            }
        }
    }

    pub fn database_url(&self) -> String {
        match self {
            Fixture::Sqlite { path, .. } => format!("sqlite://{}", path.display()),
            Fixture::Postgres(db) => db.url.clone(),
            Fixture::External { url } => url.clone(),
        }
    }
}

pub struct TestApp {
    pub backend: Backend,
    pub addr: SocketAddr,
    pub base: String,
    pub store: Arc<dyn Store>,
    /// The running server's state, to observe what HTTP cannot show (e.g. the search cache).
    pub state: AppState,
    pub fixture: Fixture,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

/// A test config: real security settings, except rate limits generous enough for a test that
/// signs in many times (the rate-limit tests set their own).
pub fn test_config() -> Config {
    Config::default()
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, test_config()).await
    }

    pub async fn spawn_with(backend: Backend, config: Config) -> Option<TestApp> {
        let (store, fixture) = fresh_store(backend).await?;
        Some(Self::spawn_on(backend, store, fixture, config).await)
    }

    /// A server on a SQLite file in a fresh folder under `parent` (e.g. a small volume that a
    /// test fills up).
    pub async fn spawn_sqlite_in(parent: &std::path::Path, config: Config) -> TestApp {
        let dir = tempfile::tempdir_in(parent).expect("temporary directory");
        let path = dir.path().join("journal.db");
        let store = SqliteStore::open(&path).await.expect("open SQLite");
        Self::spawn_on(Backend::Sqlite, Arc::new(store), Fixture::Sqlite { dir, path }, config).await
    }

    /// A server on the PostgreSQL database at `url`, which the test runs and cleans up itself.
    pub async fn spawn_postgres_at(url: &str, config: Config) -> TestApp {
        let store = journal_store_postgres::PostgresStore::open(url).await.expect("open PostgreSQL");
        Self::spawn_on(Backend::Postgres, Arc::new(store), Fixture::External { url: url.to_owned() }, config).await
    }

    /// A server on an existing store, e.g. a PostgreSQL cluster that the test itself runs.
    pub async fn spawn_on(backend: Backend, store: Arc<dyn Store>, fixture: Fixture, config: Config) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local address");
        let state = AppState::new(store.clone(), config);
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(journal_web::serve(listener, state.clone(), async move {
            let _ = rx.await;
        }));
        TestApp {
            backend,
            addr,
            base: format!("http://{addr}"),
            store,
            state,
            fixture,
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    /// A second app server on the same database, as behind a load balancer. Returns its base URL;
    /// it stops with the test's runtime.
    pub async fn sibling(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local address");
        // The same config, so both servers key the access log with the same key file.
        let state = AppState::new(self.store.clone(), (*self.state.config).clone());
        tokio::spawn(journal_web::serve(listener, state, std::future::pending::<()>()));
        format!("http://{addr}")
    }

    /// A second app server with its own configuration and, on PostgreSQL, its own connection
    /// pool to the same database, as a separate process would have. Returns its base URL.
    pub async fn sibling_with(&self, config: Config) -> String {
        let store: Arc<dyn Store> = match &self.fixture {
            Fixture::Postgres(TestDatabase { url, .. }) | Fixture::External { url } => {
                Arc::new(journal_store_postgres::PostgresStore::open(url).await.expect("open PostgreSQL"))
            }
            Fixture::Sqlite { .. } => self.store.clone(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local address");
        tokio::spawn(journal_web::serve(listener, AppState::new(store, config), std::future::pending::<()>()));
        format!("http://{addr}")
    }

    /// Sends a request with a bearer token and returns the status and JSON body (or `null`).
    pub async fn api(&self, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.client().request(method.parse().expect("method"), self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client that keeps cookies, like a browser, and never follows redirects (so tests see them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client")
    }

    pub async fn register(&self, email: &str, role: &str) -> RegisteredUser {
        let res = self
            .client()
            .post(self.url("/api/v1/auth/register"))
            .json(&json!({"email": email, "password": PASSWORD, "display_name": "Test Person", "role": role}))
            .send()
            .await
            .expect("register request");
        assert_eq!(res.status(), 201, "register {email}");
        let body: Value = res.json().await.expect("register body");
        RegisteredUser {
            id: body["user"]["id"].as_str().expect("id").to_owned(),
            email: email.to_owned(),
            recovery_code: body["recovery_code"].as_str().expect("code").to_owned(),
        }
    }

    /// A cookie-session client for `email`, with its CSRF token.
    pub async fn login(&self, email: &str, password: &str) -> Session {
        let client = self.client();
        let res = client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("login request");
        assert_eq!(res.status(), 200, "login {email}");
        let session: Value = client.get(self.url("/api/v1/session")).send().await.unwrap().json().await.unwrap();
        Session { client, csrf: session["csrf_token"].as_str().expect("csrf").to_owned() }
    }

    /// A bearer token for `email`.
    pub async fn token(&self, email: &str, password: &str) -> String {
        let res = self
            .client()
            .post(self.url("/api/v1/auth/tokens"))
            .json(&json!({"email": email, "password": password, "name": "test"}))
            .send()
            .await
            .expect("token request");
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// Stops the server (letting requests finish) and closes the database.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.store.close().await;
    }
}

pub struct RegisteredUser {
    pub id: String,
    pub email: String,
    pub recovery_code: String,
}

pub struct Session {
    pub client: reqwest::Client,
    pub csrf: String,
}

/// Runs `case` against each backend: `backend_tests!(name, …)` makes a module per case with
/// `sqlite` and `postgres` tests, each on a fresh database.
#[macro_export]
macro_rules! backend_tests {
    (config = $config:expr; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::TestApp::spawn_with($crate::Backend::Sqlite, $config)
                        .await
                        .expect("SQLite is always available");
                    super::$name(&app).await;
                    app.stop().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::TestApp::spawn_with($crate::Backend::Postgres, $config).await {
                        super::$name(&app).await;
                        app.stop().await;
                    }
                }
            }
        )*
    };
    ($($name:ident),* $(,)?) => {
        $crate::backend_tests!(config = $crate::test_config(); $($name),*);
    };
}
