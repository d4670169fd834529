//! The challenge log (thought records) through the JSON API, on both backends.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

async fn client(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

fn assert_not_in_database(app: &TestApp, needles: &[&str]) {
    let raw = app.fixture.raw_bytes();
    assert!(raw.len() > 1000, "the scan read the database");
    for needle in needles {
        let n = needle.as_bytes();
        assert!(!raw.windows(n.len()).any(|w| w == n), "'{needle}' is readable in the database ({:?})", app.backend);
    }
}

fn record(situation: &str) -> Value {
    json!({
        "situation": situation,
        "thoughts": "They all think I'm hopeless at this.",
        "emotions": [{"name": "anxious", "intensity": 80}, {"name": "ashamed", "intensity": 60}],
        "distortions": ["mind-reading", "labeling"],
        "evidence_for": "Nobody replied to my question.",
        "evidence_against": "Two people thanked me last week.",
        "balanced_thought": "A quiet chat doesn't mean they think badly of me.",
        "rerated": [{"name": "anxious", "intensity": 40}]
    })
}

async fn thought_records_are_encrypted_listed_and_searchable(app: &TestApp) {
    const CANARY: &str = "the quartermaster canary presentation wobbled";
    let t = client(app, "a@example.org").await;
    let (status, r) = app.api(&t, "POST", "/api/v1/thought-records", Some(record(CANARY))).await;
    assert_eq!(status, 201, "{r}");
    let id = r["id"].as_str().unwrap().to_owned();
    assert_eq!((r["emotions"][0]["intensity"].as_u64(), r["rerated"][0]["intensity"].as_u64()), (Some(80), Some(40)));
    assert_eq!(r["distortions"], json!(["mind-reading", "labeling"]));
    app.api(&t, "POST", "/api/v1/entries", Some(json!({"body": "A plain entry, not a record."}))).await;

    let (_, list) = app.api(&t, "GET", "/api/v1/thought-records", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "only thought records: {list}");
    let (_, found) = app.api(&t, "GET", "/api/v1/search?q=quartermaster", None).await;
    assert_eq!(found["items"][0]["entry"]["id"], id.as_str(), "search finds thought records: {found}");
    assert_eq!(found["items"][0]["entry"]["kind"], "thought_record");

    let mut changed = record(CANARY);
    changed["balanced_thought"] = json!("Maybe they were busy.");
    let (status, updated) = app.api(&t, "PUT", &format!("/api/v1/thought-records/{id}"), Some(changed)).await;
    assert_eq!((status, updated["balanced_thought"].as_str()), (200, Some("Maybe they were busy.")));
    assert_eq!(updated["date"], r["date"], "the date stays when not given");
    let (status, _) = app.api(&t, "PUT", &format!("/api/v1/entries/{id}"), Some(json!({"body": "flattened"}))).await;
    assert_eq!(status, 409, "a record is not overwritten as plain text");

    let mut bad = record("x");
    bad["distortions"] = json!(["doom"]);
    let (status, body) = app.api(&t, "POST", "/api/v1/thought-records", Some(bad)).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("distortions")));
    let mut hot = record("x");
    hot["emotions"] = json!([{"name": "sad", "intensity": 101}]);
    assert_eq!(app.api(&t, "POST", "/api/v1/thought-records", Some(hot)).await.0, 422);
    assert_eq!(
        app.api(&t, "POST", "/api/v1/thought-records", Some(json!({"situation": "", "thoughts": "x"}))).await.0,
        422
    );
    let (_, traps) = app.api(&t, "GET", "/api/v1/thought-records/thinking-traps", None).await;
    assert_eq!(traps.as_array().unwrap().len(), 13);

    let other = client(app, "b@example.org").await;
    assert_eq!(app.api(&other, "GET", &format!("/api/v1/thought-records/{id}"), None).await.0, 404);
    assert_eq!(app.api(&other, "DELETE", &format!("/api/v1/thought-records/{id}"), None).await.0, 404);
    assert_not_in_database(app, &[CANARY, "quartermaster", "hopeless at this", "mind-reading"]);

    assert_eq!(app.api(&t, "DELETE", &format!("/api/v1/thought-records/{id}"), None).await.0, 204);
    let (_, list) = app.api(&t, "GET", "/api/v1/thought-records", None).await;
    assert_eq!(list["items"], json!([]));
}

backend_tests!(thought_records_are_encrypted_listed_and_searchable);
