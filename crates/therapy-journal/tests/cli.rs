//! The `therapy-journal` binary as an operator runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use journal_testkit::TestDatabase;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_therapy-journal");

struct Server {
    child: Child,
    base: String,
}

fn serve(dir: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .arg("serve")
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("first line was {line:?}"));
    assert!(!addr.ends_with(":0"), "the real port is printed: {addr}");
    Server { child, base: addr.to_owned() }
}

impl Server {
    fn terminate(mut self) -> std::process::ExitStatus {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the server did not stop within 5 s of SIGTERM");
    }
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn serve_creates_the_default_database_answers_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &[]);
    assert!(dir.path().join("therapy-journal.db").exists(), "sqlite://therapy-journal.db in the working directory");
    let client = reqwest::Client::new();
    let health: Value = client.get(format!("{}/healthz", server.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");

    // A request in flight when SIGTERM arrives still gets its answer.
    let url = format!("{}/api/v1/auth/register", server.base);
    let in_flight = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .json(&json!({"email": "a@example.org", "password": "a calm and long password", "display_name": "A", "role": "client"}))
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    tokio::time::sleep(Duration::from_millis(40)).await;
    let status = tokio::task::spawn_blocking(move || server.terminate()).await.unwrap();
    assert!(status.success(), "clean exit after SIGTERM: {status}");
    assert_eq!(in_flight.await.unwrap().unwrap(), 201);
}

#[test]
fn an_unrecognised_database_url_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for url in ["mysql://root@localhost/journal", "therapy.db", "sqlite://"] {
        let out = run(dir.path(), &["serve", "--listen", "127.0.0.1:0", "--database-url", url], None);
        assert!(!out.status.success(), "{url} must be refused");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("unrecognised database URL"), "{url}: {err}");
        assert!(!err.contains("root@"), "credentials never printed");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no database was created");
}

#[test]
fn bad_arguments_get_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["serve", "--session-idle", "soon"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a duration"));
    let out = run(dir.path(), &["serve", "--registration", "sometimes"], None);
    assert!(!out.status.success());
}

async fn admin_story(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = ["--database-url", url];
    let admin = |args: &[&str], stdin: Option<&str>| {
        let mut full = vec!["admin", db[0], db[1]];
        full.extend_from_slice(args);
        run(dir.path(), &full, stdin)
    };

    let migrate = run(dir.path(), &["migrate", db[0], db[1]], None);
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    assert_eq!(stdout(&admin(&["list-users"], None)).trim(), "no accounts yet");

    let created = admin(
        &["create-user", "--email", "Robin@Example.org", "--name", "Robin", "--role", "therapist", "--password-stdin"],
        Some("robin's own password\n"),
    );
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let text = stdout(&created);
    assert!(text.contains("created robin@example.org (therapist"));
    assert!(text.contains("recovery code: "));
    assert!(!text.contains("temporary password"), "the given password is used");

    let dup = admin(
        &["create-user", "--email", "robin@example.org", "--name", "R", "--password-stdin"],
        Some("robin's own password\n"),
    );
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));

    let generated = admin(&["create-user", "--email", "sam@example.org", "--name", "Sam"], None);
    let temp =
        stdout(&generated).lines().find_map(|l| l.strip_prefix("temporary password: ").map(str::to_owned)).unwrap();

    let list: Value = serde_json::from_str(&stdout(&admin(&["list-users", "--json"], None))).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["email"], "robin@example.org");
    assert_eq!(list[0]["role"], "therapist");

    // Sign-up is closed, but the accounts the operator made can sign in.
    let server = serve(dir.path(), &["--database-url", url, "--registration", "closed"]);
    let client = reqwest::Client::new();
    let login = |email: &'static str, password: String| {
        let c = client.clone();
        let base = server.base.clone();
        async move {
            c.post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"email": email, "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let register = client
        .post(format!("{}/api/v1/auth/register", server.base))
        .json(&json!({"email": "new@example.org", "password": "a calm and long password", "display_name": "N", "role": "client"}))
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), 403);
    assert_eq!(login("robin@example.org", "robin's own password".into()).await, 200);
    assert_eq!(login("sam@example.org", temp.clone()).await, 200);

    assert!(admin(&["disable-user", "--email", "sam@example.org"], None).status.success());
    assert_eq!(login("sam@example.org", temp.clone()).await, 403);
    assert!(stdout(&admin(&["list-users"], None)).contains("disabled"));
    assert!(admin(&["enable-user", "--email", "sam@example.org"], None).status.success());
    assert_eq!(login("sam@example.org", temp.clone()).await, 200);

    let refused = admin(&["reset-user", "--email", "sam@example.org"], None);
    assert!(!refused.status.success(), "reset needs --yes");
    let reset = admin(&["reset-user", "--email", "sam@example.org", "--yes"], None);
    assert!(reset.status.success());
    let new_temp =
        stdout(&reset).lines().find_map(|l| l.strip_prefix("temporary password: ").map(str::to_owned)).unwrap();
    assert_eq!(login("sam@example.org", temp).await, 401);
    assert_eq!(login("sam@example.org", new_temp).await, 200);

    let missing = admin(&["disable-user", "--email", "nobody@example.org"], None);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no account has the email"));
    assert!(tokio::task::spawn_blocking(move || server.terminate()).await.unwrap().success());
}

#[tokio::test]
async fn migrate_and_admin_work_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ops.db").display());
    admin_story(&url).await;
}

#[tokio::test]
async fn migrate_and_admin_work_on_postgres() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    admin_story(&db.url).await;
}

/// A therapist reads a shared entry; `admin verify-access-log` finds the chain intact, then names
/// the row someone edited behind the app's back.
async fn access_log_story(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &["--database-url", url]);
    let http = reqwest::Client::new();
    let api = |method: reqwest::Method, path: &str, token: &str, body: Option<Value>| {
        let mut req = http.request(method, format!("{}{path}", server.base)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let mut tokens = Vec::new();
    for (email, role) in [("t@example.org", "therapist"), ("c@example.org", "client")] {
        let body = json!({"email": email, "password": "a calm and long password", "display_name": "P", "role": role});
        assert_eq!(api(reqwest::Method::POST, "/api/v1/auth/register", "", Some(body)).await.0, 201);
        let body = json!({"email": email, "password": "a calm and long password", "name": "cli"});
        let (_, t) = api(reqwest::Method::POST, "/api/v1/auth/tokens", "", Some(body)).await;
        tokens.push(t["token"].as_str().unwrap().to_owned());
    }
    let (therapist, client) = (&tokens[0], &tokens[1]);
    let (_, invite) = api(reqwest::Method::POST, "/api/v1/invites", therapist, None).await;
    let (_, link) =
        api(reqwest::Method::POST, "/api/v1/connections", client, Some(json!({"code": invite["code"]}))).await;
    let (_, entry) = api(reqwest::Method::POST, "/api/v1/entries", client, Some(json!({"body": "Shared."}))).await;
    let entry = entry["id"].as_str().unwrap();
    let share = json!({"connection_id": link["id"]});
    assert_eq!(
        api(reqwest::Method::POST, &format!("/api/v1/entries/{entry}/shares"), client, Some(share)).await.0,
        201
    );
    let client_id = link["client"]["id"].as_str().unwrap();
    for _ in 0..2 {
        let (status, _) =
            api(reqwest::Method::GET, &format!("/api/v1/clients/{client_id}/entries/{entry}"), therapist, None).await;
        assert_eq!(status, 200);
    }
    assert!(tokio::task::spawn_blocking(move || server.terminate()).await.unwrap().success());

    let verify = run(dir.path(), &["admin", "--database-url", url, "verify-access-log"], None);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    // The client's new token, the share and the two reads.
    assert!(stdout(&verify).contains("access log intact: 4 rows"), "{}", stdout(&verify));

    // The client's export, from the command line.
    let export = run(
        dir.path(),
        &["export", "--database-url", url, "--email", "c@example.org"],
        Some("a calm and long password\n"),
    );
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let doc: Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(doc["format"], "therapy-journal-export");
    assert_eq!(doc["entries"][0]["body"], "Shared.");
    let log = doc["access_log"].as_array().unwrap();
    assert_eq!(log.iter().filter(|r| r["event"] == "read").count(), 2, "{log:?}");
    assert!(log.iter().any(|r| r["event"] == "exported"), "the export itself is recorded: {log:?}");
    // …and back in, into a new account, with a preview first and no duplicates after.
    let file = dir.path().join("export.json");
    std::fs::write(&file, &export.stdout).unwrap();
    let pw = Some("another calm long password\n");
    let made = run(
        dir.path(),
        &["admin", "--database-url", url, "create-user", "--email", "n@example.org", "--name", "N", "--password-stdin"],
        pw,
    );
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let f = file.to_str().unwrap();
    let import = |extra: &[&str]| {
        let mut args = vec!["import", "--database-url", url, "--email", "n@example.org", "--format", "therapy-journal"];
        args.extend_from_slice(extra);
        args.push(f);
        run(dir.path(), &args, pw)
    };
    let preview: Value = serde_json::from_slice(&import(&["--dry-run"]).stdout).unwrap();
    assert_eq!(preview["new"]["entries"], 1);
    let done: Value = serde_json::from_slice(&import(&[]).stdout).unwrap();
    assert_eq!(done["imported"]["entries"], 1);
    let again: Value = serde_json::from_slice(&import(&[]).stdout).unwrap();
    assert_eq!((again["imported"]["entries"].as_u64(), again["skipped"].as_u64()), (Some(0), Some(1)));
    let wrong = run(dir.path(), &["export", "--database-url", url, "--email", "c@example.org"], Some("not it\n"));
    assert!(!wrong.status.success() && wrong.stdout.is_empty(), "a wrong password exports nothing");

    use sqlx::Connection;
    let tamper = "UPDATE access_log SET at = at - 3600 WHERE seq = (SELECT MIN(seq) FROM access_log)";
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(tamper).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(tamper).execute(&mut c).await.unwrap();
    }
    let verify = run(dir.path(), &["admin", "--database-url", url, "verify-access-log"], None);
    assert!(!verify.status.success(), "an edited row fails the check");
    let err = String::from_utf8_lossy(&verify.stderr);
    assert!(err.contains("was edited") && err.contains("tampered"), "{err}");
}

#[tokio::test]
async fn the_access_log_is_verified_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("log.db").display());
    access_log_story(&url).await;
}

#[tokio::test]
async fn the_access_log_is_verified_on_postgres() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    access_log_story(&db.url).await;
}

// ---------------------------------------------------------------- tampering with the access log

async fn open_store(url: &str) -> std::sync::Arc<dyn journal_core::Store> {
    match journal_store_sqlite::path_from_url(url) {
        Some(path) => std::sync::Arc::new(journal_store_sqlite::SqliteStore::open(&path).await.unwrap()),
        None => std::sync::Arc::new(journal_store_postgres::PostgresStore::open(url).await.unwrap()),
    }
}

async fn execute(url: &str, statements: &[String]) {
    use sqlx::Connection;
    for sql in statements {
        let sql = sqlx::AssertSqlSafe(sql.clone());
        if url.starts_with("sqlite") {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        } else {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    }
}

fn bytes(url: &str, b: &[u8]) -> String {
    let hex: String = b.iter().map(|b| format!("{b:02x}")).collect();
    if url.starts_with("sqlite") { format!("X'{hex}'") } else { format!("decode('{hex}', 'hex')") }
}

/// What someone who can write the database but has no key file can do: rewrite `rows` as
/// unkeyed version-1 rows, chained again from the start, and point the head at the new end.
fn rechain_without_the_key(url: &str, client: &str, rows: &[journal_core::bridge::AccessRow]) -> Vec<String> {
    let mut prev = journal_core::bridge::GENESIS.to_vec();
    let mut sql = Vec::new();
    for r in rows {
        let hash = journal_core::bridge::row_hash(
            &prev,
            &r.client_id,
            &r.therapist_id,
            &r.therapist_name,
            &r.item_kind,
            &r.item_id,
            r.at,
        );
        sql.push(format!(
            "UPDATE access_log SET version = 1, prev_hash = {}, hash = {}, item_id = '{}', at = {} WHERE seq = {}",
            bytes(url, &prev),
            bytes(url, &hash),
            r.item_id,
            r.at,
            r.seq
        ));
        prev = hash;
    }
    sql.push(format!("UPDATE users SET access_log_head = {} WHERE id = '{client}'", bytes(url, &prev)));
    sql
}

/// Puts every row and the head back exactly as they were.
fn restore(
    url: &str,
    client: &str,
    rows: &[journal_core::bridge::AccessRow],
    head: &journal_core::bridge::Head,
) -> Vec<String> {
    let mut sql = vec![format!("DELETE FROM access_log WHERE client_id = '{client}'")];
    for r in rows {
        sql.push(format!(
            "INSERT INTO access_log (seq, client_id, therapist_id, therapist_name, item_kind, item_id, at, prev_hash, \
             hash, version, event, actor, detail) VALUES ({}, '{}', '{}', '{}', '{}', '{}', {}, {}, {}, {}, '{}', '{}', '{}')",
            r.seq,
            r.client_id,
            r.therapist_id,
            r.therapist_name,
            r.item_kind,
            r.item_id,
            r.at,
            bytes(url, &r.prev_hash),
            bytes(url, &r.hash),
            r.version,
            r.event,
            r.actor,
            r.detail
        ));
    }
    sql.push(format!(
        "UPDATE users SET access_log_head = {}, access_log_head_mac = {} WHERE id = '{client}'",
        bytes(url, head.head.as_deref().unwrap()),
        bytes(url, head.mac.as_deref().unwrap())
    ));
    sql
}

fn verify_fails(dir: &Path, url: &str, why: &str) -> String {
    let verify = run(dir, &["admin", "--database-url", url, "verify-access-log"], None);
    let err = String::from_utf8_lossy(&verify.stderr).into_owned();
    assert!(!verify.status.success() && err.contains("tampered"), "{why}: {err}");
    err
}

fn verify_passes(dir: &Path, url: &str) -> String {
    let verify = run(dir, &["admin", "--database-url", url, "verify-access-log"], None);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    stdout(&verify)
}

/// The chain is keyed under a key file the database does not hold: deleting, editing or cutting
/// off rows and recomputing the unkeyed chain and head no longer passes `verify-access-log`; an
/// administrator's reset keeps the log and is recorded in it.
async fn access_log_tampering_story(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &["--database-url", url]);
    let http = reqwest::Client::new();
    let post = |path: &str, token: &str, body: Value| {
        let req = http.post(format!("{}{path}", server.base)).bearer_auth(token).json(&body);
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let mut tokens = Vec::new();
    for (email, role) in [("t@example.org", "therapist"), ("c@example.org", "client")] {
        let body = json!({"email": email, "password": "a calm and long password", "display_name": "P", "role": role});
        assert_eq!(post("/api/v1/auth/register", "", body).await.0, 201);
        let body = json!({"email": email, "password": "a calm and long password", "name": "cli"});
        tokens.push(post("/api/v1/auth/tokens", "", body).await.1["token"].as_str().unwrap().to_owned());
    }
    let (therapist, client) = (&tokens[0], &tokens[1]);
    let (_, invite) = post("/api/v1/invites", therapist, json!({})).await;
    let (_, link) = post("/api/v1/connections", client, json!({"code": invite["code"]})).await;
    let (_, entry) = post("/api/v1/entries", client, json!({"body": "Shared."})).await;
    let entry = entry["id"].as_str().unwrap();
    assert_eq!(
        post(&format!("/api/v1/entries/{entry}/shares"), client, json!({"connection_id": link["id"]})).await.0,
        201
    );
    let client_id = link["client"]["id"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        let res = http
            .get(format!("{}/api/v1/clients/{client_id}/entries/{entry}", server.base))
            .bearer_auth(therapist)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    assert!(tokio::task::spawn_blocking(move || server.terminate()).await.unwrap().success());

    // The key file was made on first start, beside the SQLite file or in the working directory,
    // readable by its owner only.
    let key_file = match journal_store_sqlite::path_from_url(url) {
        Some(db) => std::path::PathBuf::from(format!("{}.access-log.key", db.display())),
        None => dir.path().join("therapy-journal.access-log.key"),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", key_file.display());
    }
    assert!(verify_passes(dir.path(), url).contains("access log intact: 5 rows"));

    let store = open_store(url).await;
    let rows = store.access_log(&client_id).await.unwrap();
    let head = store.access_log_head(&client_id).await.unwrap().unwrap();
    assert_eq!(rows.len(), 5, "the new token, the share and three reads");

    // Delete a row, then recompute the unkeyed chain and the head.
    let mut without = rows.clone();
    let gone = without.remove(3);
    let mut sql = vec![format!("DELETE FROM access_log WHERE seq = {}", gone.seq)];
    sql.extend(rechain_without_the_key(url, &client_id, &without));
    execute(url, &sql).await;
    verify_fails(dir.path(), url, "a deleted row, chain recomputed");
    execute(url, &restore(url, &client_id, &rows, &head)).await;
    verify_passes(dir.path(), url);

    // Edit a row (move a read an hour back), then recompute.
    let mut edited = rows.clone();
    edited[4].at -= 3600;
    execute(url, &rechain_without_the_key(url, &client_id, &edited)).await;
    verify_fails(dir.path(), url, "an edited row, chain recomputed");
    execute(url, &restore(url, &client_id, &rows, &head)).await;
    verify_passes(dir.path(), url);

    // Cut off the newest rows and move the head back to the row before.
    let kept = &rows[..4];
    let sql = vec![
        format!("DELETE FROM access_log WHERE seq > {}", kept[3].seq),
        format!("UPDATE users SET access_log_head = {} WHERE id = '{client_id}'", bytes(url, &kept[3].hash)),
    ];
    execute(url, &sql).await;
    verify_fails(dir.path(), url, "the newest rows cut off");
    execute(url, &restore(url, &client_id, &rows, &head)).await;
    verify_passes(dir.path(), url);

    // A different key file (say, a lost one replaced) does not verify the keyed rows.
    let other = dir.path().join("other.key");
    let verify = run(
        dir.path(),
        &["admin", "--database-url", url, "--access-log-key", other.to_str().unwrap(), "verify-access-log"],
        None,
    );
    assert!(!verify.status.success(), "rows keyed under another key fail");

    // An administrator's reset keeps the log and is recorded in it.
    let reset =
        run(dir.path(), &["admin", "--database-url", url, "reset-user", "--email", "c@example.org", "--yes"], None);
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    assert!(verify_passes(dir.path(), url).contains("access log intact: 6 rows"));
    let after = store.access_log(&client_id).await.unwrap();
    assert_eq!(&after[..5], &rows[..], "the log before the reset is untouched");
    assert_eq!((after[5].event.as_str(), after[5].actor.as_str()), ("admin_reset", "administrator"));
    store.close().await;
}

#[tokio::test]
async fn access_log_tampering_is_detected_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("tamper.db").display());
    access_log_tampering_story(&url).await;
}

#[tokio::test]
async fn access_log_tampering_is_detected_on_postgres() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    access_log_tampering_story(&db.url).await;
}

/// A database from before the key file: its unkeyed rows keep verifying once the key is made (it
/// seals their head), new rows build on them, and a rewrite of the old rows shows.
async fn unkeyed_rows_keep_verifying_story(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let scratch_key = dir.path().join("scratch.key");
    let made = run(
        dir.path(),
        &[
            "admin",
            "--database-url",
            url,
            "--access-log-key",
            scratch_key.to_str().unwrap(),
            "create-user",
            "--email",
            "c@example.org",
            "--name",
            "C",
            "--password-stdin",
        ],
        Some("a calm and long password\n"),
    );
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let store = open_store(url).await;
    let client = store.user_by_email("c@example.org").await.unwrap().unwrap().id;

    // Two reads as the old code wrote them: version 1, plain SHA-256, a head with no MAC.
    let mut prev = journal_core::bridge::GENESIS.to_vec();
    let mut sql = Vec::new();
    for (i, at) in [(1, 1_700_000_000_i64), (2, 1_700_000_600)] {
        let item = format!("e{i}");
        let hash = journal_core::bridge::row_hash(&prev, &client, "t1", "Dr T", "entry", &item, at);
        sql.push(format!(
            "INSERT INTO access_log (client_id, therapist_id, therapist_name, item_kind, item_id, at, prev_hash, hash) \
             VALUES ('{client}', 't1', 'Dr T', 'entry', '{item}', {at}, {}, {})",
            bytes(url, &prev),
            bytes(url, &hash)
        ));
        prev = hash;
    }
    sql.push(format!("UPDATE users SET access_log_head = {} WHERE id = '{client}'", bytes(url, &prev)));
    execute(url, &sql).await;

    // The first command with the real key file makes it and seals that head.
    assert!(verify_passes(dir.path(), url).contains("access log intact: 2 rows"));
    let server = serve(dir.path(), &["--database-url", url]);
    let body = json!({"email": "c@example.org", "password": "a calm and long password", "name": "cli"});
    let res =
        reqwest::Client::new().post(format!("{}/api/v1/auth/tokens", server.base)).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 201);
    assert!(tokio::task::spawn_blocking(move || server.terminate()).await.unwrap().success());
    assert!(verify_passes(dir.path(), url).contains("access log intact: 3 rows"));
    let rows = store.access_log(&client).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.version).collect::<Vec<_>>(), [1, 1, 2]);

    // Dropping an old row and re-chaining the old rows without the key breaks the keyed row.
    let mut sql = vec![format!("DELETE FROM access_log WHERE seq = {}", rows[0].seq)];
    let old = &rows[1..2];
    sql.extend(rechain_without_the_key(url, &client, old).into_iter().take(old.len()));
    execute(url, &sql).await;
    verify_fails(dir.path(), url, "an old row removed under a keyed one");
    store.close().await;
}

#[tokio::test]
async fn unkeyed_rows_keep_verifying_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    unkeyed_rows_keep_verifying_story(&url).await;
}

#[tokio::test]
async fn unkeyed_rows_keep_verifying_on_postgres() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    unkeyed_rows_keep_verifying_story(&db.url).await;
}

/// The demo accounts' password is published, so they are never added beside someone else's
/// account unless the operator forces it.
async fn demo_refusal_story(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = ["--database-url", url];
    let users = || stdout(&run(dir.path(), &["admin", db[0], db[1], "list-users"], None));

    let created = run(
        dir.path(),
        &["admin", db[0], db[1], "create-user", "--email", "kim@example.org", "--name", "Kim", "--password-stdin"],
        Some("kim's own long password\n"),
    );
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));

    let seeded = run(dir.path(), &["seed-demo", db[0], db[1]], None);
    assert!(!seeded.status.success(), "seed-demo beside another account is refused");
    let err = String::from_utf8_lossy(&seeded.stderr);
    assert!(err.contains("--force-demo") && err.contains("published password"), "{err}");

    let served = run(dir.path(), &["serve", "--listen", "127.0.0.1:0", "--demo", db[0], db[1]], None);
    assert!(!served.status.success(), "serve --demo beside another account is refused");
    let err = String::from_utf8_lossy(&served.stderr);
    assert!(err.contains("--force-demo"), "{err}");
    assert!(!stdout(&served).contains("listening on"), "the server did not start");
    assert!(!users().contains("demo@example.org"), "no demo account was added");

    let forced = run(dir.path(), &["seed-demo", "--force-demo", db[0], db[1]], None);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
    assert!(stdout(&forced).contains("demo accounts created"));
    let list = users();
    assert!(list.contains("demo@example.org") && list.contains("therapist@example.org") && list.contains("kim@"));

    // --force-demo means nothing without --demo, and says so rather than being ignored.
    let alone = run(dir.path(), &["serve", "--listen", "127.0.0.1:0", "--force-demo", db[0], db[1]], None);
    assert!(!alone.status.success());
    assert!(String::from_utf8_lossy(&alone.stderr).contains("--demo"));
}

#[tokio::test]
async fn demo_is_refused_beside_other_accounts_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("journal.db").display());
    demo_refusal_story(&url).await;
}

#[tokio::test]
async fn demo_is_refused_beside_other_accounts_on_postgres() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    demo_refusal_story(&db.url).await;
}

#[test]
fn the_demo_accounts_alone_can_be_seeded_again() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let first = run(dir.path(), &["seed-demo", "--database-url", &url], None);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout(&first).contains("demo accounts created"));
    let again = run(dir.path(), &["seed-demo", "--database-url", &url], None);
    assert!(again.status.success(), "only the demo accounts are there: {}", String::from_utf8_lossy(&again.stderr));
    assert!(stdout(&again).contains("already exist"));
}

/// Logs sent to a file (or a pipe, as under systemd) are plain text: no colour escape codes.
#[tokio::test]
async fn logs_written_to_a_file_carry_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("serve.log");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("THERAPY_JOURNAL_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(std::fs::File::create(&log_path).unwrap()))
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let server = Server { base: line.trim().strip_prefix("listening on ").unwrap().to_owned(), child };

    // Deleting an account is logged (without naming it), so a request writes a line.
    let http = reqwest::Client::new();
    let account = json!({"email": "a@example.org", "password": "a calm and long password", "display_name": "A", "role": "client"});
    let res = http.post(format!("{}/api/v1/auth/register", server.base)).json(&account).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let body = json!({"email": "a@example.org", "password": "a calm and long password", "name": "cli"});
    let token: Value = http
        .post(format!("{}/api/v1/auth/tokens", server.base))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = http
        .delete(format!("{}/api/v1/account", server.base))
        .bearer_auth(token["token"].as_str().unwrap())
        .json(&json!({"password": "a calm and long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let status = tokio::task::spawn_blocking(move || server.terminate()).await.unwrap();
    assert!(status.success());

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.contains("an account was deleted"), "the request was logged: {log}");
    assert!(log.contains("INFO"), "{log}");
    assert!(!log.contains("\x1b["), "no colour codes in a log file: {log:?}");
}
