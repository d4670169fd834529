//! A PostgreSQL outage under two app servers: both answer 503 promptly (so a load balancer takes
//! them out at once) and both recover by themselves when the database is back. The test runs its
//! own throwaway cluster, never the machine's shared one.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use journal_testkit::{PASSWORD, TestApp, announce_skip, required, test_config};
use serde_json::{Value, json};

/// A private PostgreSQL cluster in a temporary folder, stopped when dropped.
struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// PostgreSQL refuses to run as root, so as root its tools run as `postgres`.
fn pg_tool(bin: &Path, tool: &str) -> Command {
    if running_as_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn run(mut c: Command) {
    let out = c.output().expect("run a PostgreSQL tool");
    assert!(
        out.status.success(),
        "{c:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Cluster {
    /// `None` (announced) when PostgreSQL's server programs are not installed and
    /// `TJ_REQUIRE_POSTGRES` is not set.
    fn create() -> Option<Cluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
            .max();
        let Some(bin) = bin else {
            assert!(!required("TJ_REQUIRE_POSTGRES"), "TJ_REQUIRE_POSTGRES=1 but initdb is not installed");
            announce_skip("PostgreSQL outage test (no initdb in /usr/lib/postgresql/*/bin)");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        if running_as_root() {
            run({
                let mut c = Command::new("chown");
                c.arg("postgres:postgres").arg(dir.path());
                c
            });
        }
        run({
            let mut c = pg_tool(&bin, "initdb");
            c.args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"]).arg(dir.path().join("data"));
            c
        });
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Cluster { bin, dir, port };
        cluster.start();
        Some(cluster)
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn start(&self) {
        run({
            let mut c = pg_tool(&self.bin, "pg_ctl");
            c.arg("-D")
                .arg(self.dir.path().join("data"))
                .arg("-o")
                .arg(format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.path().display()))
                .arg("-l")
                .arg(self.dir.path().join("log"))
                .args(["-w", "start"]);
            c
        });
    }

    fn stop(&self) {
        run(self.stop_command("fast"));
    }

    fn stop_command(&self, mode: &str) -> Command {
        let mut c = pg_tool(&self.bin, "pg_ctl");
        c.arg("-D").arg(self.dir.path().join("data")).args(["-m", mode, "-w", "stop"]);
        c
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Already stopped is fine.
        let _ = self.stop_command("immediate").output();
    }
}

async fn server(url: &str) -> TestApp {
    TestApp::spawn_postgres_at(url, test_config()).await
}

/// Sends a request and returns its status, its JSON body and how long it took.
async fn timed(app: &TestApp, token: &str, path: &str) -> (u16, Value, Duration) {
    let started = Instant::now();
    let res = app.client().get(app.url(path)).bearer_auth(token).send().await.unwrap();
    let status = res.status().as_u16();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, body, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_answer_promptly_during_a_database_outage_and_recover_after_it() {
    let Some(cluster) = Cluster::create() else { return };
    let url = cluster.url();
    let one = server(&url).await;
    let two = server(&url).await;
    one.register("a@example.org", "client").await;
    let token = one.token("a@example.org", PASSWORD).await;
    let (status, entry) = two.api(&token, "POST", "/api/v1/entries", Some(json!({"body": "Before the outage."}))).await;
    assert_eq!(status, 201, "{entry}");

    cluster.stop();
    for app in [&one, &two] {
        for path in ["/healthz", "/api/v1/entries"] {
            let (status, body, took) = timed(app, &token, path).await;
            assert_eq!(status, 503, "{path}: {body}");
            assert!(took < Duration::from_secs(2), "{path} took {took:?} to answer during the outage");
            assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        }
        let (_, body, _) = timed(app, &token, "/healthz").await;
        assert_eq!(body["error"]["code"], "database_unavailable", "the health check names the database");
    }

    cluster.start();
    for app in [&one, &two] {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (status, body, _) = timed(app, &token, "/healthz").await;
            if status == 200 {
                assert_eq!(body["database"], "ok", "{body}");
                break;
            }
            assert!(Instant::now() < deadline, "still {status} after the database came back: {body}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let (status, list, _) = timed(app, &token, "/api/v1/entries").await;
        assert_eq!(status, 200, "{list}");
        let (status, res) = app.api(&token, "POST", "/api/v1/entries", Some(json!({"body": "After."}))).await;
        assert_eq!(status, 201, "{res}");
    }
    let (_, list, _) = timed(&one, &token, "/api/v1/entries").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    one.stop().await;
    two.stop().await;
}
