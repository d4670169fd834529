//! Failures in the middle of a write: a full disk and an error injected half-way through a
//! multi-statement write. The failing request answers clearly, nothing half-written remains, and
//! the very next write works (a failed write must never poison the connection pool).

use std::io::Write;
use std::path::Path;

use journal_testkit::{Backend, PASSWORD, TestApp, announce_skip, backend_tests, test_config};
use serde_json::{Value, json};

async fn client(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

async fn entry_count(app: &TestApp, token: &str) -> usize {
    let (status, list) = app.api(token, "GET", "/api/v1/entries?limit=200", None).await;
    assert_eq!(status, 200, "{list}");
    list["items"].as_array().unwrap().len()
}

/// A small tmpfs volume, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts one, or returns `None` (announcing the skip) when this process may not mount. As
    /// root it must work (CI runs as root), so a failure there fails the test.
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir }),
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_owned(),
                    Err(e) => e.to_string(),
                };
                assert!(!running_as_root(), "running as root, so mounting a tmpfs must work: {why}");
                announce_skip(&format!("full-disk test (cannot mount a tmpfs: {why})"));
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// Writes zeros into `path` until the volume refuses more.
fn fill(path: &Path) {
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    loop {
        if f.write_all(&chunk).and_then(|_| f.sync_all()).is_err() {
            break;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_clearly_and_writing_works_again_once_there_is_room() {
    let Some(volume) = Tmpfs::mount("16m") else { return };
    let app = TestApp::spawn_sqlite_in(volume.path(), test_config()).await;
    let t = client(&app, "a@example.org").await;
    let (status, first) =
        app.api(&t, "POST", "/api/v1/entries", Some(json!({"body": "Before the disk filled."}))).await;
    assert_eq!(status, 201, "{first}");

    let filler = volume.path().join("filler");
    fill(&filler);
    // Free pages inside the database files can still take a write or two; keep writing until
    // the disk is really out of room.
    let mut saved = 1;
    let mut refused: Option<(u16, Value)> = None;
    for i in 0..200 {
        let body = format!("Entry {i}. {}", "A long day, written down. ".repeat(1500));
        let (status, res) = app.api(&t, "POST", "/api/v1/entries", Some(json!({"body": body}))).await;
        if status == 201 {
            saved += 1;
        } else {
            refused = Some((status, res));
            break;
        }
    }
    let (status, err) = refused.expect("a full disk refuses a write");
    assert_eq!(status, 507, "{err}");
    assert_eq!(err["error"]["code"], "storage_full", "{err}");
    assert!(err["error"]["message"].as_str().unwrap().contains("wasn't saved"), "{err}");

    // Reading keeps working while the disk is full, and nothing half-written shows up.
    assert_eq!(entry_count(&app, &t).await, saved);
    let (status, _) = app.api(&t, "GET", &format!("/api/v1/entries/{}", first["id"].as_str().unwrap()), None).await;
    assert_eq!(status, 200);
    let (status, err) = app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": 3}))).await;
    assert_eq!((status, err["error"]["code"].as_str()), (507, Some("storage_full")), "{err}");

    // Once there is room again, every kind of write works without a restart.
    std::fs::remove_file(&filler).unwrap();
    for i in 0..3 {
        let (status, res) = app.api(&t, "POST", "/api/v1/entries", Some(json!({"body": format!("After, {i}.")}))).await;
        assert_eq!(status, 201, "write {i} after space was freed: {res}");
    }
    let (status, res) = app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": 4}))).await;
    assert_eq!(status, 201, "{res}");
    let (status, res) = app
        .api(&t, "PUT", &format!("/api/v1/entries/{}", first["id"].as_str().unwrap()), Some(json!({"body": "Edited."})))
        .await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(entry_count(&app, &t).await, saved + 3);
    app.stop().await;
}

/// Makes every insert (or delete) on `table` fail until `allow` removes it, as a broken disk or
/// a bug half-way through a multi-statement write would.
async fn refuse(app: &TestApp, op: &str, table: &str) {
    match app.backend {
        Backend::Sqlite => {
            app.fixture
                .tamper(&format!(
                    "CREATE TRIGGER injected_{table} BEFORE {op} ON {table} BEGIN SELECT RAISE(ABORT, 'injected'); END"
                ))
                .await;
        }
        Backend::Postgres => {
            app.fixture
                .tamper(
                    "CREATE OR REPLACE FUNCTION injected() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'injected'; END $$",
                )
                .await;
            app.fixture
                .tamper(&format!(
                    "CREATE TRIGGER injected_{table} BEFORE {op} ON {table} FOR EACH ROW EXECUTE FUNCTION injected()"
                ))
                .await;
        }
    }
}

async fn allow(app: &TestApp, table: &str) {
    let sql = match app.backend {
        Backend::Sqlite => format!("DROP TRIGGER injected_{table}"),
        Backend::Postgres => format!("DROP TRIGGER injected_{table} ON {table}"),
    };
    app.fixture.tamper(&sql).await;
}

async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>) -> (u16, Value) {
    let res = app
        .client()
        .post(app.url("/api/v1/account/import?format=therapy-journal"))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn a_failed_import_leaves_nothing_behind_and_the_next_write_works(app: &TestApp) {
    let a = client(app, "a@example.org").await;
    for body in ["First imported entry.", "Second imported entry."] {
        assert_eq!(app.api(&a, "POST", "/api/v1/entries", Some(json!({"body": body}))).await.0, 201);
    }
    assert_eq!(app.api(&a, "POST", "/api/v1/moods", Some(json!({"score": 4}))).await.0, 201);
    let res = app
        .client()
        .post(app.url("/api/v1/account/export"))
        .bearer_auth(&a)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let file = res.bytes().await.unwrap().to_vec();

    let b = client(app, "b@example.org").await;
    // The entries go in first; the check-in after them fails.
    refuse(app, "INSERT", "moods").await;
    let (status, err) = upload(app, &b, file.clone()).await;
    assert_eq!(status, 503, "{err}");
    assert_eq!(entry_count(app, &b).await, 0, "a failed import leaves no entries behind");
    let (_, moods) = app.api(&b, "GET", "/api/v1/moods?from=2000-01-01", None).await;
    assert_eq!(moods["items"], json!([]));
    let (status, res) = app.api(&b, "POST", "/api/v1/entries", Some(json!({"body": "Still writing."}))).await;
    assert_eq!(status, 201, "the next write works: {res}");

    allow(app, "moods").await;
    let (status, done) = upload(app, &b, file).await;
    assert_eq!(status, 201, "{done}");
    assert_eq!((done["imported"]["entries"].as_u64(), done["imported"]["moods"].as_u64()), (Some(2), Some(1)));
    assert_eq!(entry_count(app, &b).await, 3);
}

async fn a_failed_account_deletion_keeps_the_account_whole(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    assert_eq!(app.api(&t, "POST", "/api/v1/entries", Some(json!({"body": "Kept."}))).await.0, 201);
    assert_eq!(app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": 2}))).await.0, 201);
    refuse(app, "DELETE", "moods").await;
    let (status, err) = app.api(&t, "DELETE", "/api/v1/account", Some(json!({"password": PASSWORD}))).await;
    assert_eq!(status, 503, "{err}");
    assert_eq!(entry_count(app, &t).await, 1, "the entry deleted before the failure is back");
    let (status, res) = app.api(&t, "POST", "/api/v1/entries", Some(json!({"body": "Next."}))).await;
    assert_eq!(status, 201, "the next write works: {res}");
    allow(app, "moods").await;
    let (status, _) = app.api(&t, "DELETE", "/api/v1/account", Some(json!({"password": PASSWORD}))).await;
    assert_eq!(status, 204);
}

async fn a_failed_link_leaves_the_invite_unused(app: &TestApp) {
    let client_token = client(app, "client@example.org").await;
    app.register("therapist@example.org", "therapist").await;
    let therapist = app.token("therapist@example.org", PASSWORD).await;
    let (_, invite) = app.api(&therapist, "POST", "/api/v1/invites", None).await;
    let code = invite["code"].as_str().unwrap().to_owned();
    // Redeeming marks the invite used, then inserts the link; the insert fails.
    refuse(app, "INSERT", "connections").await;
    let (status, err) = app.api(&client_token, "POST", "/api/v1/connections", Some(json!({"code": code}))).await;
    assert_eq!(status, 503, "{err}");
    let (status, res) = app.api(&client_token, "POST", "/api/v1/entries", Some(json!({"body": "Next."}))).await;
    assert_eq!(status, 201, "the next write works: {res}");
    allow(app, "connections").await;
    let (status, linked) = app.api(&client_token, "POST", "/api/v1/connections", Some(json!({"code": code}))).await;
    assert_eq!(status, 201, "the invite was not used up by the failed attempt: {linked}");
}

async fn a_failed_end_of_link_keeps_the_link_and_its_shares(app: &TestApp) {
    let client_token = client(app, "client@example.org").await;
    app.register("therapist@example.org", "therapist").await;
    let therapist = app.token("therapist@example.org", PASSWORD).await;
    let (_, invite) = app.api(&therapist, "POST", "/api/v1/invites", None).await;
    let (status, link) =
        app.api(&client_token, "POST", "/api/v1/connections", Some(json!({"code": invite["code"]}))).await;
    assert_eq!(status, 201, "{link}");
    let link = link["id"].as_str().unwrap().to_owned();
    // A check-in gives the client a metrics key, which ending a link marks for replacement.
    assert_eq!(app.api(&client_token, "POST", "/api/v1/moods", Some(json!({"score": 3}))).await.0, 201);
    let (status, entry) = app.api(&client_token, "POST", "/api/v1/entries", Some(json!({"body": "Shared."}))).await;
    assert_eq!(status, 201);
    let entry = entry["id"].as_str().unwrap().to_owned();
    let share = format!("/api/v1/entries/{entry}/shares");
    assert_eq!(app.api(&client_token, "POST", &share, Some(json!({"connection_id": link}))).await.0, 201);

    // Ending the link deletes it (and its shares), then marks the key; the second step fails.
    refuse(app, "UPDATE", "metrics_keys").await;
    let (status, err) = app.api(&client_token, "DELETE", &format!("/api/v1/connections/{link}"), None).await;
    assert_eq!(status, 503, "{err}");
    let (_, links) = app.api(&client_token, "GET", "/api/v1/connections", None).await;
    assert_eq!(links["items"][0]["id"], link.as_str(), "the link is still whole: {links}");
    let (_, shared) = app.api(&client_token, "GET", &format!("/api/v1/entries/{entry}"), None).await;
    assert!(shared.to_string().contains(&link), "the share is still there: {shared}");
    let (status, res) = app.api(&client_token, "POST", "/api/v1/entries", Some(json!({"body": "Next."}))).await;
    assert_eq!(status, 201, "the next write works: {res}");
    allow(app, "metrics_keys").await;
    let (status, _) = app.api(&client_token, "DELETE", &format!("/api/v1/connections/{link}"), None).await;
    assert_eq!(status, 204);
}

backend_tests!(
    a_failed_end_of_link_keeps_the_link_and_its_shares,
    a_failed_import_leaves_nothing_behind_and_the_next_write_works,
    a_failed_account_deletion_keeps_the_account_whole,
    a_failed_link_leaves_the_invite_unused,
);
