//! The person's access log over HTTP, on both backends: every event they need to see, each
//! therapist read logged once per view, titles named for the owner but never stored, local times,
//! grouping, and the sign-in check that notices a rolled-back log.

use journal_testkit::{Backend, PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

const TITLE: &str = "Walking by the quince canal";

async fn log(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (status, log) = app.api(token, "GET", &format!("/api/v1/access-log{query}"), None).await;
    assert_eq!(status, 200, "{log}");
    log.as_array().unwrap().clone()
}

fn count(log: &[Value], event: &str, kind: &str) -> usize {
    log.iter().filter(|r| r["event"] == event && r["item_kind"] == kind).count()
}

struct Linked {
    client: String,
    recovery_code: String,
    client_id: String,
    therapist: String,
    therapist_id: String,
    connection: String,
    entry: String,
}

async fn linked_with_a_shared_entry(app: &TestApp) -> Linked {
    let registered = app.register("client@example.org", "client").await;
    let (client_id, recovery_code) = (registered.id, registered.recovery_code);
    let therapist_id = app.register("therapist@example.org", "therapist").await.id;
    let client = app.token("client@example.org", PASSWORD).await;
    let therapist = app.token("therapist@example.org", PASSWORD).await;
    let (_, invite) = app.api(&therapist, "POST", "/api/v1/invites", None).await;
    let (status, c) = app.api(&client, "POST", "/api/v1/connections", Some(json!({"code": invite["code"]}))).await;
    assert_eq!(status, 201, "{c}");
    let connection = c["id"].as_str().unwrap().to_owned();
    let (status, e) =
        app.api(&client, "POST", "/api/v1/entries", Some(json!({"title": TITLE, "body": "A quiet afternoon."}))).await;
    assert_eq!(status, 201, "{e}");
    let entry = e["id"].as_str().unwrap().to_owned();
    let share = json!({"connection_id": connection});
    assert_eq!(app.api(&client, "POST", &format!("/api/v1/entries/{entry}/shares"), Some(share)).await.0, 201);
    Linked { client, recovery_code, client_id, therapist, therapist_id, connection, entry }
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let res = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

async fn every_event_the_owner_needs_is_recorded(app: &TestApp) {
    let p = linked_with_a_shared_entry(app).await;
    let zone = json!({"time_zone": "Asia/Kolkata"});
    assert_eq!(app.api(&p.client, "PUT", "/api/v1/account/preferences", Some(zone)).await.0, 200);

    // One view of the therapist's client page: one row for the titles it shows, and no entry
    // counted as read, since none was opened.
    let therapist = app.login("therapist@example.org", PASSWORD).await;
    page(app, &therapist.client, &format!("/therapist/clients/{}", p.client_id)).await;
    let after_page = log(app, &p.client, "").await;
    assert_eq!(count(&after_page, "read", "entry_list"), 1, "{after_page:?}");
    assert_eq!(count(&after_page, "read", "entry"), 0, "nothing was opened");
    assert_eq!(after_page[0]["detail"], "1", "one title shown");

    // One view of the entry page (entry and its comments): exactly one read.
    page(app, &therapist.client, &format!("/therapist/clients/{}/entries/{}", p.client_id, p.entry)).await;
    assert_eq!(count(&log(app, &p.client, "").await, "read", "entry"), 1, "one view, one row");
    for _ in 0..2 {
        page(app, &therapist.client, &format!("/therapist/clients/{}/entries/{}", p.client_id, p.entry)).await;
    }

    // What the owner does, and what is done to the account.
    let unshare = format!("/api/v1/entries/{}/shares/{}", p.entry, p.connection);
    assert_eq!(app.api(&p.client, "DELETE", &unshare, None).await.0, 204);
    let metrics = json!({"mood": true, "assessments": false});
    let (status, _) =
        app.api(&p.client, "PUT", &format!("/api/v1/connections/{}/metrics", p.connection), Some(metrics)).await;
    assert_eq!(status, 200);
    let export = json!({"password": PASSWORD, "format": "markdown", "passphrase": "a long export passphrase"});
    let res =
        app.client().post(app.url("/api/v1/account/export")).bearer_auth(&p.client).json(&export).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.bytes().await.unwrap();
    let res = app.client().get(app.url("/api/v1/account/export/fhir")).bearer_auth(&p.client).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let daylio = "full_date,time,mood\n2026-01-02,09:00,good\n";
    let res = app
        .client()
        .post(app.url("/api/v1/account/import?format=daylio"))
        .bearer_auth(&p.client)
        .body(daylio)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let new_password = "a different calm password";
    let change = json!({"current_password": PASSWORD, "new_password": new_password});
    assert_eq!(app.api(&p.client, "POST", "/api/v1/account/password", Some(change)).await.0, 204);
    assert_eq!(app.api(&p.therapist, "DELETE", &format!("/api/v1/connections/{}", p.connection), None).await.0, 204);
    let newest = "a third calm password, after recovery";
    let recover = json!({"email": "client@example.org", "recovery_code": p.recovery_code, "new_password": newest});
    let (status, body) = app.api("", "POST", "/api/v1/auth/recover", Some(recover)).await;
    assert_eq!(status, 200, "{body}");
    let client = app.token("client@example.org", newest).await;
    let browser = app.login("client@example.org", newest).await;
    let _second_browser = app.login("client@example.org", newest).await;

    let all = log(app, &client, "").await;
    for (event, kind) in [
        ("token_created", "api_token"),
        ("signed_in", "session"),
        ("shared", "entry"),
        ("unshared", "entry"),
        ("shared", "moods"),
        ("exported", "export"),
        ("imported", "import"),
        ("password_changed", "account"),
        ("recovered", "account"),
        ("link_ended", "connection"),
    ] {
        assert!(count(&all, event, kind) >= 1, "{event} {kind} missing: {all:?}");
    }
    assert_eq!(count(&all, "read", "entry"), 3, "three views, three rows");
    let shared = all.iter().find(|r| r["event"] == "shared" && r["item_kind"] == "entry").unwrap();
    assert_eq!(
        (shared["therapist"]["id"].as_str(), shared["actor"].as_str()),
        (Some(p.therapist_id.as_str()), Some("owner"))
    );
    assert_eq!(shared["item_title"], TITLE, "the owner's API names the entry");
    let ended = all.iter().find(|r| r["event"] == "link_ended").unwrap();
    assert_eq!(ended["actor"], "therapist", "who ended it");
    let exports: Vec<&str> =
        all.iter().filter(|r| r["event"] == "exported").map(|r| r["detail"].as_str().unwrap()).collect();
    assert!(exports.contains(&"markdown+age") && exports.contains(&"fhir"), "{exports:?}");
    assert!(all.iter().all(|r| r["local_at"].as_str().unwrap().ends_with("+05:30")), "times in the person's zone");
    assert!(all.iter().all(|r| r["count"] == 1), "not grouped unless asked");

    // Grouped, the three reads of one entry on one day are one item.
    let grouped = log(app, &client, "?grouped=true").await;
    let reads: Vec<&Value> = grouped.iter().filter(|r| r["event"] == "read" && r["item_kind"] == "entry").collect();
    assert_eq!((reads.len(), reads[0]["count"].as_u64()), (1, Some(3)), "{grouped:?}");
    let sign_ins = grouped.iter().find(|r| r["event"] == "signed_in").unwrap();
    assert_eq!(sign_ins["count"], 2, "two sign-ins in a row on one day are one line: {grouped:?}");
    let bad =
        app.client().get(app.url("/api/v1/access-log?grouped=perhaps")).bearer_auth(&client).send().await.unwrap();
    assert!(!crate::error_code(bad, 422).await.is_empty());

    // The page: short lines, named items, local times, grouped reads.
    let html = page(app, &browser.client, "/access-log").await;
    assert!(html.contains(&format!("read your entry \u{201c}{TITLE}\u{201d}")), "{html}");
    assert!(html.contains("(3 times"), "{html}");
    assert!(html.contains("<h2 class=\"access-day\">Today</h2>"), "{html}");
    assert!(html.contains("You downloaded your journal as Markdown files, locked with a passphrase"), "{html}");
    assert!(html.contains("ended your link"), "{html}");
    assert!(html.contains("opened with your recovery code"), "{html}");
    assert!(!html.contains("Something in this log has changed"), "no false alarm");

    // Titles are decrypted for the page, never stored with the log.
    let raw = app.fixture.raw_bytes();
    assert!(!raw.windows(TITLE.len()).any(|w| w == TITLE.as_bytes()), "the title is in clear ({:?})", app.backend);
    let (rows, heads) = app.store.access_log_all().await.unwrap();
    assert!(journal_core::bridge::verify(&rows, &heads, &app.state.config.access_log_key).is_empty());
    assert!(rows.iter().all(|r| r.version == 2));
}

fn bytes_literal(backend: Backend, b: &[u8]) -> String {
    let hex: String = b.iter().map(|b| format!("{b:02x}")).collect();
    match backend {
        Backend::Sqlite => format!("X'{hex}'"),
        Backend::Postgres => format!("decode('{hex}', 'hex')"),
    }
}

async fn the_sign_in_check_notices_a_rolled_back_log(app: &TestApp) {
    let p = linked_with_a_shared_entry(app).await;
    let read = format!("/api/v1/clients/{}/entries/{}", p.client_id, p.entry);
    app.api(&p.therapist, "GET", &read, None).await;

    // Someone keeps a copy of the log as it is now…
    let old_head = app.store.access_log_head(&p.client_id).await.unwrap().unwrap();
    let old_seq = app.store.access_log(&p.client_id).await.unwrap().last().unwrap().seq;
    // …the person signs in (sealing what they saw), the therapist reads again…
    app.login("client@example.org", PASSWORD).await;
    app.api(&p.therapist, "GET", &read, None).await;
    let fine = app.login("client@example.org", PASSWORD).await;
    assert!(!page(app, &fine.client, "/access-log").await.contains("Something in this log has changed"));

    // …and then the log is put back to the copy: the rows since are gone, the old head (with its
    // valid MAC) is back. The server key alone cannot tell this from the past.
    app.fixture.tamper(&format!("DELETE FROM access_log WHERE seq > {old_seq}")).await;
    let restore = format!(
        "UPDATE users SET access_log_head = {}, access_log_head_mac = {} WHERE id = '{}'",
        bytes_literal(app.backend, old_head.head.as_deref().unwrap()),
        bytes_literal(app.backend, old_head.mac.as_deref().unwrap()),
        p.client_id
    );
    assert_eq!(app.fixture.tamper(&restore).await, 1);
    let (rows, heads) = app.store.access_log_all().await.unwrap();
    assert!(journal_core::bridge::verify(&rows, &heads, &app.state.config.access_log_key).is_empty());

    // The next sign-in notices; the person is told plainly and can still use their journal.
    let after = app.login("client@example.org", PASSWORD).await;
    let html = page(app, &after.client, "/access-log").await;
    assert!(html.contains("Something in this log has changed since you last signed in"), "{html}");
    let (status, _) = app.api(&p.client, "GET", "/api/v1/entries", None).await;
    assert_eq!(status, 200, "not locked out");
    // It stays said at later sign-ins.
    let later = app.login("client@example.org", PASSWORD).await;
    assert!(page(app, &later.client, "/access-log").await.contains("Something in this log has changed"));
}

async fn the_sign_in_check_notices_a_rewrite_made_with_the_key_file(app: &TestApp) {
    use journal_core::bridge::{GENESIS, NewAccess, head_mac, row_mac};
    let p = linked_with_a_shared_entry(app).await;
    let read = format!("/api/v1/clients/{}/entries/{}", p.client_id, p.entry);
    for _ in 0..2 {
        app.api(&p.therapist, "GET", &read, None).await;
    }
    app.login("client@example.org", PASSWORD).await;

    // Someone with the database and the stolen key file removes the first read and re-keys the
    // rest of the chain and the head: the server's own check passes.
    let key = &app.state.config.access_log_key;
    let mut rows = app.store.access_log(&p.client_id).await.unwrap();
    let gone = rows.iter().position(|r| r.event == "read").unwrap();
    let removed = rows.remove(gone);
    let mut sql = vec![format!("DELETE FROM access_log WHERE seq = {}", removed.seq)];
    let mut prev = GENESIS.to_vec();
    for r in &rows {
        let a = NewAccess {
            client_id: r.client_id.clone(),
            therapist_id: r.therapist_id.clone(),
            therapist_name: r.therapist_name.clone(),
            item_kind: r.item_kind.clone(),
            item_id: r.item_id.clone(),
            at: r.at,
            event: r.event.clone(),
            actor: r.actor.clone(),
            detail: r.detail.clone(),
        };
        let hash = row_mac(key, &prev, &a);
        sql.push(format!(
            "UPDATE access_log SET prev_hash = {}, hash = {} WHERE seq = {}",
            bytes_literal(app.backend, &prev),
            bytes_literal(app.backend, &hash),
            r.seq
        ));
        prev = hash;
    }
    sql.push(format!(
        "UPDATE users SET access_log_head = {}, access_log_head_mac = {} WHERE id = '{}'",
        bytes_literal(app.backend, &prev),
        bytes_literal(app.backend, &head_mac(key, &p.client_id, &prev)),
        p.client_id
    ));
    for statement in &sql {
        app.fixture.tamper(statement).await;
    }
    let (all, heads) = app.store.access_log_all().await.unwrap();
    assert!(journal_core::bridge::verify(&all, &heads, key).is_empty(), "the key holder's rewrite verifies");

    // The person's own sealed head is gone from the chain, so their next sign-in notices.
    let after = app.login("client@example.org", PASSWORD).await;
    let html = page(app, &after.client, "/access-log").await;
    assert!(html.contains("Something in this log has changed since you last signed in"), "{html}");
}

backend_tests!(
    every_event_the_owner_needs_is_recorded,
    the_sign_in_check_notices_a_rolled_back_log,
    the_sign_in_check_notices_a_rewrite_made_with_the_key_file,
);
