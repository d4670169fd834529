//! Prompts, the challenge log and the safety plan through the JSON API, on both backends.

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

async fn the_safety_plan_is_kept_encrypted(app: &TestApp) {
    const CANARY: &str = "call my canary sister Marigold";
    let t = client(app, "a@example.org").await;
    let (status, empty) = app.api(&t, "GET", "/api/v1/safety-plan", None).await;
    assert_eq!((status, empty["warning_signs"].clone(), empty["updated_at"].clone()), (200, json!([]), Value::Null));
    let plan = json!({
        "warning_signs": ["Not sleeping for days", "  "],
        "internal_coping": ["Cold water on my face", "Box breathing"],
        "distraction_people": [{"name": "Neighbour Ana"}],
        "distraction_places": ["The library"],
        "help_people": [{"name": CANARY, "phone": "07700 900123"}],
        "professionals": [{"name": "My therapist", "phone": "020 7946 0000"}],
        "means_safety": ["Ask Sam to keep my medication"],
        "reasons_for_living": ["My dog, Biscuit"]
    });
    let (status, saved) = app.api(&t, "PUT", "/api/v1/safety-plan", Some(plan)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["warning_signs"], json!(["Not sleeping for days"]), "blank lines dropped");
    let (_, back) = app.api(&t, "GET", "/api/v1/safety-plan", None).await;
    assert_eq!(back["help_people"][0]["name"], CANARY);
    assert_eq!(back["distraction_people"][0]["phone"], "");
    assert!(back["updated_at"].is_string());
    let (status, body) =
        app.api(&t, "PUT", "/api/v1/safety-plan", Some(json!({"professionals": [{"name": "", "phone": "111"}]}))).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("professionals")));
    let (_, unchanged) = app.api(&t, "GET", "/api/v1/safety-plan", None).await;
    assert_eq!(unchanged["help_people"][0]["name"], CANARY, "a refused save loses nothing");
    let other = client(app, "b@example.org").await;
    let (_, theirs) = app.api(&other, "GET", "/api/v1/safety-plan", None).await;
    assert_eq!(theirs["help_people"], json!([]));
    assert_not_in_database(app, &[CANARY, "Marigold", "Biscuit", "medication"]);
}

backend_tests!(
    daily_prompts_can_be_skipped_pinned_answered_and_written,
    thought_records_are_encrypted_listed_and_searchable,
    the_safety_plan_is_kept_encrypted,
);
