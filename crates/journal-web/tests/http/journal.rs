//! Journal entries, listing, search and drafts through the JSON API, on both backends.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

async fn client_token(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

async fn write(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, entry) = app.api(token, "POST", "/api/v1/entries", Some(body)).await;
    assert_eq!(status, 201, "{entry}");
    entry
}

async fn entries_can_be_written_read_edited_and_deleted(app: &TestApp) {
    let t = client_token(app, "a@example.org").await;
    let entry = write(
        app,
        &t,
        json!({"title": "After therapy", "body": "Talked about **boundaries**.\n\n<script>alert(1)</script> [x](javascript:alert(1))",
               "tags": ["#Therapy", "boundaries"], "entry_date": "2024-02-29", "mood": 3}),
    )
    .await;
    let id = entry["id"].as_str().unwrap();
    assert_eq!(entry["title"], "After therapy");
    assert_eq!(entry["tags"], json!(["therapy", "boundaries"]));
    assert_eq!(entry["entry_date"], "2024-02-29");
    assert_eq!(entry["mood"], 3);
    assert_eq!(entry["shared_with"], json!([]));
    let html = entry["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>boundaries</strong>"));
    assert!(!html.contains("<script") && !html.contains("href=\"javascript"), "{html}");

    let (status, got) = app.api(&t, "GET", &format!("/api/v1/entries/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(got["body"], entry["body"]);

    let (status, updated) = app
        .api(
            &t,
            "PUT",
            &format!("/api/v1/entries/{id}"),
            Some(json!({"body": "Rewritten calmly.", "entry_date": "2024-03-01"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(updated["body"], "Rewritten calmly.");
    assert_eq!(updated["title"], "");
    assert_eq!(updated["tags"], json!([]));
    assert_eq!(updated["mood"], Value::Null);
    assert_eq!(updated["created_at"], entry["created_at"]);

    assert_eq!(app.api(&t, "DELETE", &format!("/api/v1/entries/{id}"), None).await.0, 204);
    assert_eq!(app.api(&t, "GET", &format!("/api/v1/entries/{id}"), None).await.0, 404);
    assert_eq!(app.api(&t, "DELETE", &format!("/api/v1/entries/{id}"), None).await.0, 404);
}

async fn other_peoples_entries_answer_404(app: &TestApp) {
    let a = client_token(app, "a@example.org").await;
    let b = client_token(app, "b@example.org").await;
    let entry = write(app, &a, json!({"body": "only mine"})).await;
    let path = format!("/api/v1/entries/{}", entry["id"].as_str().unwrap());
    assert_eq!(app.api(&b, "GET", &path, None).await.0, 404);
    assert_eq!(app.api(&b, "PUT", &path, Some(json!({"body": "hijacked"}))).await.0, 404);
    assert_eq!(app.api(&b, "DELETE", &path, None).await.0, 404);
    assert_eq!(
        app.api(&b, "PUT", &format!("/api/v1/drafts/{}", entry["id"].as_str().unwrap()), Some(json!({"body": "x"})))
            .await
            .0,
        404
    );
    let (_, list) = app.api(&b, "GET", "/api/v1/entries", None).await;
    assert_eq!(list["items"], json!([]));
    let (_, found) = app.api(&b, "GET", "/api/v1/search?q=mine", None).await;
    assert_eq!(found["items"], json!([]));
    let (_, mine) = app.api(&a, "GET", &path, None).await;
    assert_eq!(mine["body"], "only mine", "nothing changed");
    assert_eq!(app.api(&a, "GET", "/api/v1/entries/not-an-id", None).await.0, 404);
}

async fn bad_entries_are_refused_and_nothing_is_saved(app: &TestApp) {
    let t = client_token(app, "a@example.org").await;
    let cases = [
        (json!({"body": "x", "entry_date": "2023-02-30"}), 422, Some("entry_date")),
        (json!({"body": "x", "entry_date": "tomorrow"}), 422, Some("entry_date")),
        (json!({"body": "x", "mood": 6}), 422, Some("mood")),
        (json!({"body": "x", "mood": 0}), 422, Some("mood")),
        (json!({"body": "x", "mood": "high"}), 422, None),
        (json!({"body": "x", "tags": "not-a-list"}), 422, None),
        (json!({"body": "x", "tags": [1, 2]}), 422, None),
        (json!({"body": "   "}), 422, Some("body")),
        (json!({"title": "t"}), 422, None),
        (json!({"body": "x", "title": "t".repeat(201)}), 422, Some("title")),
        (json!({"body": "x".repeat(100_001)}), 422, Some("body")),
        (json!({"body": "x", "tags": (0..21).map(|i| format!("t{i}")).collect::<Vec<_>>()}), 422, Some("tags")),
        (json!({"body": "x".repeat(1_100_000)}), 413, None),
    ];
    for (body, status, field) in cases {
        let (got, err) = app.api(&t, "POST", "/api/v1/entries", Some(body.clone())).await;
        assert_eq!(got, status, "{}", &body.to_string()[..body.to_string().len().min(80)]);
        assert!(err["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        if let Some(f) = field {
            assert_eq!(err["error"]["field"], f);
        }
    }
    let (_, list) = app.api(&t, "GET", "/api/v1/entries", None).await;
    assert_eq!(list["items"], json!([]));
}

async fn entry_date_defaults_to_today_where_the_person_is(app: &TestApp) {
    let res = app
        .client()
        .post(app.url("/api/v1/auth/register"))
        .json(&json!({"email": "far@example.org", "password": PASSWORD, "display_name": "F", "role": "client", "time_zone": "Pacific/Kiritimati"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let t = app.token("far@example.org", PASSWORD).await;
    let entry = write(app, &t, json!({"body": "it's already tomorrow here"})).await;
    let today = jiff::Timestamp::now().in_tz("Pacific/Kiritimati").unwrap().date().to_string();
    assert_eq!(entry["entry_date"], today.as_str());
    let bad = app
        .client()
        .post(app.url("/api/v1/auth/register"))
        .json(&json!({"email": "x@example.org", "password": PASSWORD, "display_name": "X", "role": "client", "time_zone": "Moon/Base"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}

async fn listing_pages_newest_first_and_filters(app: &TestApp) {
    let t = client_token(app, "a@example.org").await;
    for day in 1..=12 {
        let tags = if day % 3 == 0 { json!(["sleep"]) } else { json!(["work"]) };
        write(app, &t, json!({"body": format!("day {day}"), "entry_date": format!("2024-05-{day:02}"), "tags": tags}))
            .await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/entries?limit=5&cursor={c}"),
            None => "/api/v1/entries?limit=5".to_owned(),
        };
        let (status, page) = app.api(&t, "GET", &path, None).await;
        assert_eq!(status, 200);
        let items = page["items"].as_array().unwrap();
        assert!(items.iter().all(|i| i.get("body_html").is_none()), "lists carry no rendered HTML");
        seen.extend(items.iter().map(|i| i["entry_date"].as_str().unwrap().to_owned()));
        pages += 1;
        if pages == 1 {
            // Written between pages: newest, so it belongs before the cursor and must not appear later.
            write(app, &t, json!({"body": "late", "entry_date": "2024-06-01"})).await;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let expected: Vec<String> = (1..=12).rev().map(|d| format!("2024-05-{d:02}")).collect();
    assert_eq!(seen, expected, "no entry repeated or skipped");

    let (_, tagged) = app.api(&t, "GET", "/api/v1/entries?tag=%23Sleep&limit=2", None).await;
    let dates: Vec<_> = tagged["items"].as_array().unwrap().iter().map(|i| i["entry_date"].as_str().unwrap()).collect();
    assert_eq!(dates, vec!["2024-05-12", "2024-05-09"]);
    let next = tagged["next_cursor"].as_str().unwrap();
    let (_, more) = app.api(&t, "GET", &format!("/api/v1/entries?tag=sleep&limit=2&cursor={next}"), None).await;
    let dates: Vec<_> = more["items"].as_array().unwrap().iter().map(|i| i["entry_date"].as_str().unwrap()).collect();
    assert_eq!(dates, vec!["2024-05-06", "2024-05-03"]);
    assert!(more["next_cursor"].is_null());

    let (_, ranged) = app.api(&t, "GET", "/api/v1/entries?from=2024-05-03&to=2024-05-05", None).await;
    assert_eq!(ranged["items"].as_array().unwrap().len(), 3);
    for bad in ["limit=0", "limit=500", "cursor=garbage", "from=2024-13-01", "limit=abc"] {
        let (status, err) = app.api(&t, "GET", &format!("/api/v1/entries?{bad}"), None).await;
        assert!(status == 422 || status == 400, "{bad}: {status}");
        assert!(err["error"]["code"].is_string(), "{bad}");
    }
}

async fn search_ranks_stems_highlights_and_follows_writes(app: &TestApp) {
    let t = client_token(app, "a@example.org").await;
    let walk = write(
        app,
        &t,
        json!({"title": "Evening", "body": "I walked along the canal and my chest felt lighter.", "tags": ["outside"]}),
    )
    .await;
    write(app, &t, json!({"body": "Walking, walking, walking: the walk helped with anxiety."})).await;
    write(app, &t, json!({"body": "Stayed in and read a book."})).await;

    let (status, res) = app.api(&t, "GET", "/api/v1/search?q=walking", None).await;
    assert_eq!(status, 200);
    let items = res["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items[0]["entry"]["body"].as_str().unwrap().starts_with("Walking"), "most matches ranks first");
    assert!(items[0]["score"].as_f64().unwrap() > items[1]["score"].as_f64().unwrap());
    assert!(items[1]["snippet"].as_str().unwrap().contains("<mark>walked</mark>"));
    assert_eq!(app.state.search.usage().0, 1, "an index is in memory now");

    // Writes on this server update the index.
    let id = walk["id"].as_str().unwrap();
    app.api(&t, "PUT", &format!("/api/v1/entries/{id}"), Some(json!({"body": "A quiet swim instead."}))).await;
    let (_, res) = app.api(&t, "GET", "/api/v1/search?q=walked", None).await;
    assert_eq!(res["items"].as_array().unwrap().len(), 1);
    let (_, res) = app.api(&t, "GET", "/api/v1/search?q=swimming", None).await;
    assert_eq!(res["items"][0]["entry"]["id"], id);
    app.api(&t, "DELETE", &format!("/api/v1/entries/{id}"), None).await;
    let (_, res) = app.api(&t, "GET", "/api/v1/search?q=swim", None).await;
    assert_eq!(res["items"], json!([]));

    // A write through another server makes this one rebuild.
    let other = app.sibling().await;
    let res = app
        .client()
        .post(format!("{other}/api/v1/entries"))
        .bearer_auth(&t)
        .json(&json!({"body": "Written elsewhere about gardening."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let (_, res) = app.api(&t, "GET", "/api/v1/search?q=garden", None).await;
    assert_eq!(res["items"].as_array().unwrap().len(), 1);

    for bad in ["q=", "q=%20%20", "q=a&limit=0"] {
        assert_eq!(app.api(&t, "GET", &format!("/api/v1/search?{bad}"), None).await.0, 422, "{bad}");
    }
    let (status, err) = app.api(&t, "GET", "/api/v1/search", None).await;
    assert_eq!((status, err["error"]["field"].as_str()), (422, Some("q")), "a missing parameter is named");

    // Signing out drops the decrypted index from memory.
    let s = app.login("a@example.org", PASSWORD).await;
    s.client.get(app.url("/api/v1/search?q=garden")).send().await.unwrap();
    assert_eq!(app.state.search.usage().0, 1);
    s.client.post(app.url("/api/v1/auth/logout")).header("x-csrf-token", &s.csrf).send().await.unwrap();
    assert_eq!(app.state.search.usage().0, 0);
}

async fn drafts_are_saved_encrypted_and_cleared_by_saving(app: &TestApp) {
    let t = client_token(app, "a@example.org").await;
    assert_eq!(app.api(&t, "GET", "/api/v1/drafts/new", None).await.0, 404);
    let (status, saved) = app
        .api(&t, "PUT", "/api/v1/drafts/new", Some(json!({"title": "half", "body": "I started to say", "mood": 2})))
        .await;
    assert_eq!(status, 200);
    assert!(saved["saved_at"].is_string());
    let (_, got) = app.api(&t, "GET", "/api/v1/drafts/new", None).await;
    assert_eq!(
        (got["title"].as_str(), got["body"].as_str(), got["mood"].as_i64()),
        (Some("half"), Some("I started to say"), Some(2))
    );
    write(app, &t, json!({"body": "I started to say something and finished it."})).await;
    assert_eq!(app.api(&t, "GET", "/api/v1/drafts/new", None).await.0, 404, "saving the entry clears its draft");
    assert_eq!(app.api(&t, "PUT", "/api/v1/drafts/../etc", Some(json!({"body": "x"}))).await.0, 404);
    assert_eq!(
        app.api(&t, "PUT", "/api/v1/drafts/0123456789abcdef0123456789abcdef", Some(json!({"body": "x"}))).await.0,
        404
    );
    app.api(&t, "PUT", "/api/v1/drafts/new", Some(json!({"body": "again"}))).await;
    assert_eq!(app.api(&t, "DELETE", "/api/v1/drafts/new", None).await.0, 204);
    assert_eq!(app.api(&t, "GET", "/api/v1/drafts/new", None).await.0, 404);
}

/// SECURITY.md: nothing a person wrote may appear in the database files or a backup.
async fn canary_sentences_and_tags_never_reach_the_database(app: &TestApp) {
    const SENTENCE: &str = "the lighthouse keeper whispered canary sentence nine";
    const TAG: &str = "canarytagzebra";
    const TITLE: &str = "Canary title marmalade";
    let t = client_token(app, "a@example.org").await;
    let e = write(app, &t, json!({"title": TITLE, "body": format!("Today {SENTENCE}."), "tags": [TAG]})).await;
    write(app, &t, json!({"body": format!("Another {SENTENCE} with more words."), "tags": [TAG, "second"]})).await;
    app.api(&t, "PUT", "/api/v1/drafts/new", Some(json!({"body": format!("draft {SENTENCE}"), "tags": TAG}))).await;
    let id = e["id"].as_str().unwrap();
    app.api(
        &t,
        "PUT",
        &format!("/api/v1/entries/{id}"),
        Some(json!({"title": TITLE, "body": format!("Edited: {SENTENCE}"), "tags": [TAG]})),
    )
    .await;
    // The search index is built, so plaintext is in memory; it must still not be on disk.
    let (_, found) = app.api(&t, "GET", "/api/v1/search?q=lighthouse", None).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 2);
    app.store.purge_freed_space().await.ok();
    let raw = app.fixture.raw_bytes();
    assert!(raw.len() > 1000, "the scan read the database");
    for needle in [SENTENCE, TAG, TITLE, "lighthouse", "marmalade"] {
        let n = needle.as_bytes();
        assert!(!raw.windows(n.len()).any(|w| w == n), "'{needle}' is readable in the database ({:?})", app.backend);
    }
}

backend_tests!(
    entries_can_be_written_read_edited_and_deleted,
    other_peoples_entries_answer_404,
    bad_entries_are_refused_and_nothing_is_saved,
    entry_date_defaults_to_today_where_the_person_is,
    listing_pages_newest_first_and_filters,
    search_ranks_stems_highlights_and_follows_writes,
    drafts_are_saved_encrypted_and_cleared_by_saving,
    canary_sentences_and_tags_never_reach_the_database,
);
