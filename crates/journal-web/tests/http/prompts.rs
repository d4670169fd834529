//! Today's prompts, skipping, pinning and your own prompts through the JSON API, on both backends.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

async fn client(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

fn ids(today: &Value) -> Vec<String> {
    today["prompts"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
}

fn assert_not_in_database(app: &TestApp, needles: &[&str]) {
    let raw = app.fixture.raw_bytes();
    assert!(raw.len() > 1000, "the scan read the database");
    for needle in needles {
        let n = needle.as_bytes();
        assert!(!raw.windows(n.len()).any(|w| w == n), "'{needle}' is readable in the database ({:?})", app.backend);
    }
}

async fn daily_prompts_can_be_skipped_pinned_answered_and_written(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (status, today) = app.api(&t, "GET", "/api/v1/prompts/today", None).await;
    assert_eq!(status, 200, "{today}");
    let first = ids(&today);
    assert_eq!(first.len(), 3);
    for p in today["prompts"].as_array().unwrap() {
        assert!(!p["reason"].as_str().unwrap().is_empty() && !p["text"].as_str().unwrap().is_empty(), "{p}");
    }
    let (_, again) = app.api(&t, "GET", "/api/v1/prompts/today", None).await;
    assert_eq!(ids(&again), first, "the same prompts all day");

    // Skip one: another takes its place, the other two stay.
    let (status, _) = app.api(&t, "POST", &format!("/api/v1/prompts/{}/skip", first[0]), None).await;
    assert_eq!(status, 204);
    let (_, after_skip) = app.api(&t, "GET", "/api/v1/prompts/today", None).await;
    let after_skip = ids(&after_skip);
    assert!(!after_skip.contains(&first[0]) && after_skip.len() == 3, "{after_skip:?}");

    // Pin: it comes first with its reason; three pins at most.
    assert_eq!(app.api(&t, "PUT", "/api/v1/prompts/values-03/pin", None).await.0, 204);
    let (_, pinned) = app.api(&t, "GET", "/api/v1/prompts/today", None).await;
    assert_eq!(
        (pinned["prompts"][0]["id"].as_str(), pinned["prompts"][0]["reason"].as_str()),
        (Some("values-03"), Some("You pinned this prompt"))
    );
    for id in ["joy-01", "joy-02"] {
        assert_eq!(app.api(&t, "PUT", &format!("/api/v1/prompts/{id}/pin"), None).await.0, 204);
    }
    let (status, body) = app.api(&t, "PUT", "/api/v1/prompts/joy-03/pin", None).await;
    assert_eq!(status, 422, "{body}");
    for id in ["joy-01", "joy-02"] {
        assert_eq!(app.api(&t, "DELETE", &format!("/api/v1/prompts/{id}/pin"), None).await.0, 204);
    }
    assert_eq!(app.api(&t, "PUT", "/api/v1/prompts/no-such-prompt/pin", None).await.0, 404);

    // Answering links the entry to the prompt, and the prompt rests.
    let (status, entry) =
        app.api(&t, "POST", "/api/v1/entries", Some(json!({"body": "An answer.", "prompt_id": "values-03"}))).await;
    assert_eq!(status, 201, "{entry}");
    assert_eq!(entry["prompt_id"], "values-03");
    let (_, after_answer) = app.api(&t, "GET", "/api/v1/prompts/today", None).await;
    assert!(!ids(&after_answer).contains(&"values-03".to_owned()), "answered today, so not offered again");
    let (_, values) = app.api(&t, "GET", "/api/v1/prompts?category=values", None).await;
    let answered = values["items"].as_array().unwrap().iter().find(|p| p["id"] == "values-03").unwrap().clone();
    assert!(answered["answered_on"].is_string() && answered["pinned"] == false, "answering ends the pin: {answered}");

    // A prompt of your own, encrypted.
    const CANARY: &str = "What would the canary lighthouse say to me";
    let (status, mine) = app.api(&t, "POST", "/api/v1/prompts", Some(json!({"text": CANARY, "category": "joy"}))).await;
    assert_eq!(status, 201, "{mine}");
    let my_id = mine["id"].as_str().unwrap().to_owned();
    assert!(my_id.starts_with("my-"));
    let (_, joy) = app.api(&t, "GET", "/api/v1/prompts?category=joy", None).await;
    assert!(joy["items"].as_array().unwrap().iter().any(|p| p["id"] == my_id && p["custom"] == true));
    assert_eq!(joy["categories"].as_array().unwrap().len(), 1);
    for bad in [
        json!({"text": " ", "category": "joy"}),
        json!({"text": "x", "category": "nope"}),
        json!({"text": "x".repeat(501), "category": "joy"}),
    ] {
        assert_eq!(app.api(&t, "POST", "/api/v1/prompts", Some(bad)).await.0, 422);
    }
    assert_eq!(app.api(&t, "GET", "/api/v1/prompts?category=nope", None).await.0, 422);

    // The session date brings preparation.
    let tomorrow = jiff::Timestamp::now().in_tz("UTC").unwrap().date().tomorrow().unwrap().to_string();
    let (status, s) = app.api(&t, "PUT", "/api/v1/prompts/session", Some(json!({"session_date": tomorrow}))).await;
    assert_eq!((status, s["session_date"].as_str()), (200, Some(tomorrow.as_str())));
    let (_, prepared) = app.api(&t, "GET", "/api/v1/prompts/today", None).await;
    let reasons: Vec<&str> =
        prepared["prompts"].as_array().unwrap().iter().map(|p| p["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"Your therapy session is tomorrow"), "{reasons:?}");
    assert_eq!(app.api(&t, "PUT", "/api/v1/prompts/session", Some(json!({"session_date": "soon"}))).await.0, 422);
    assert_eq!(
        app.api(&t, "PUT", "/api/v1/prompts/session", Some(json!({"session_date": null}))).await.1["session_date"],
        Value::Null
    );

    // Nobody else sees or touches them.
    let other = client(app, "b@example.org").await;
    assert_eq!(app.api(&other, "POST", &format!("/api/v1/prompts/{my_id}/skip"), None).await.0, 404);
    assert_eq!(app.api(&other, "DELETE", &format!("/api/v1/prompts/{my_id}"), None).await.0, 404);
    let (_, theirs) = app.api(&other, "GET", "/api/v1/prompts?category=joy", None).await;
    assert!(!theirs["items"].as_array().unwrap().iter().any(|p| p["id"] == my_id));
    assert_eq!(app.api(&t, "DELETE", &format!("/api/v1/prompts/{my_id}"), None).await.0, 204);
    app.api(&t, "POST", "/api/v1/prompts", Some(json!({"text": CANARY, "category": "joy"}))).await;
    assert_not_in_database(app, &[CANARY, "canary lighthouse", &tomorrow]);
}

backend_tests!(daily_prompts_can_be_skipped_pinned_answered_and_written);
