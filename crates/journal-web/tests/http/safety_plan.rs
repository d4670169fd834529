//! The safety plan through the JSON API, on both backends.

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

backend_tests!(the_safety_plan_is_kept_encrypted);
