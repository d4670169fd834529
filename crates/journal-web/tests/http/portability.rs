//! The complete export, the FHIR bundle, and erasure that leaves no trace, on both backends.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

async fn client(app: &TestApp, email: &str) -> (String, String) {
    let r = app.register(email, "client").await;
    (app.token(email, PASSWORD).await, r.id)
}

/// Fills one account with a canary in every kind of record; returns the canaries.
async fn fill(app: &TestApp, t: &str, therapist: &str) -> Vec<String> {
    let c = |what: &str| format!("canary {what} zephyr");
    app.api(
        t,
        "POST",
        "/api/v1/entries",
        Some(json!({"title": c("title"), "body": c("entry body"), "tags": ["canarytag"]})),
    )
    .await;
    app.api(t, "PUT", "/api/v1/drafts/new", Some(json!({"body": c("draft")}))).await;
    app.api(t, "POST", "/api/v1/moods", Some(json!({"score": 3, "note": c("mood note"), "emotions": ["calm"]}))).await;
    app.api(
        t,
        "POST",
        "/api/v1/assessments",
        Some(json!({"instrument": "phq9", "answers": [1, 1, 1, 1, 1, 1, 1, 1, 0]})),
    )
    .await;
    app.api(t, "POST", "/api/v1/thought-records", Some(json!({"situation": c("situation"), "thoughts": c("thought")})))
        .await;
    app.api(t, "PUT", "/api/v1/safety-plan", Some(json!({"reasons_for_living": [c("reason")]}))).await;
    let (_, g) = app
        .api(
            t,
            "POST",
            "/api/v1/goals",
            Some(json!({"title": c("goal"), "category": "joy", "cadence": {"times": 1, "per": "day"}})),
        )
        .await;
    app.api(
        t,
        "POST",
        &format!("/api/v1/goals/{}/checkins", g["id"].as_str().unwrap()),
        Some(json!({"note": c("check-in note")})),
    )
    .await;
    app.api(t, "POST", "/api/v1/prompts", Some(json!({"text": c("own prompt"), "category": "joy"}))).await;
    app.api(t, "PUT", "/api/v1/reminders", Some(json!({"journal_time": "21:00"}))).await;
    // A link, a shared entry with a comment from the therapist, and homework.
    let (_, invite) = app.api(therapist, "POST", "/api/v1/invites", None).await;
    let (_, link) = app.api(t, "POST", "/api/v1/connections", Some(json!({"code": invite["code"]}))).await;
    let (_, e) = app.api(t, "POST", "/api/v1/entries", Some(json!({"body": c("shared entry")}))).await;
    let entry = e["id"].as_str().unwrap();
    app.api(t, "POST", &format!("/api/v1/entries/{entry}/shares"), Some(json!({"connection_id": link["id"]}))).await;
    let client_id = link["client"]["id"].as_str().unwrap();
    let (status, _) = app
        .api(
            therapist,
            "POST",
            &format!("/api/v1/clients/{client_id}/entries/{entry}/comments"),
            Some(json!({"body": c("comment")})),
        )
        .await;
    assert_eq!(status, 201);
    app.api(
        therapist,
        "POST",
        &format!("/api/v1/clients/{client_id}/assignments"),
        Some(json!({"prompt_text": c("homework")})),
    )
    .await;
    [
        "title",
        "entry body",
        "draft",
        "mood note",
        "situation",
        "thought",
        "reason",
        "goal",
        "check-in note",
        "own prompt",
        "shared entry",
        "comment",
        "homework",
    ]
    .iter()
    .map(|w| c(w))
    .collect()
}

async fn the_export_holds_everything_and_matches_its_schema(app: &TestApp) {
    let (t, _) = client(app, "a@example.org").await;
    app.register("t@example.org", "therapist").await;
    let therapist = app.token("t@example.org", PASSWORD).await;
    let canaries = fill(app, &t, &therapist).await;
    let (status, _) = app.api(&t, "POST", "/api/v1/account/export", Some(json!({"password": "not my password"}))).await;
    assert_eq!(status, 401, "the password is asked again");
    assert_eq!(
        app.api(&t, "POST", "/api/v1/account/export", Some(json!({"password": PASSWORD, "format": "xml"}))).await.0,
        422
    );
    let res = app
        .client()
        .post(app.url("/api/v1/account/export"))
        .bearer_auth(&t)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    let text = res.text().await.unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("valid JSON: {e}\n{text}"));
    assert_eq!((doc["format"].as_str(), doc["version"].as_u64()), (Some("therapy-journal-export"), Some(1)));
    for canary in &canaries {
        if canary.contains("draft") {
            continue; // a draft is not yet something written
        }
        assert!(text.contains(canary.as_str()), "{canary} is in the export");
    }
    assert_eq!(doc["entries"].as_array().unwrap().len(), 3);
    assert!(doc["entries"].as_array().unwrap().iter().any(|e| e["thought_record"].is_object()));
    assert_eq!(doc["assessments"][0]["answers"], json!([1, 1, 1, 1, 1, 1, 1, 1, 0]));
    assert_eq!(doc["goals"][0]["checkins"].as_array().unwrap().len(), 1);
    assert_eq!(doc["connections"].as_array().unwrap().len(), 1);
    validate_with_python(&text);

    // The same from the settings page, with a browser session.
    let s = app.login("a@example.org", PASSWORD).await;
    let form = [("csrf_token", s.csrf.as_str()), ("password", PASSWORD)];
    let page = s.client.post(app.url("/settings/export")).form(&form).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-disposition"].to_str().unwrap().contains(".json"));
    let again: Value = page.json().await.unwrap();
    assert_eq!(again["entries"], doc["entries"]);
    let wrong = [("csrf_token", s.csrf.as_str()), ("password", "not it at all")];
    let refused = s.client.post(app.url("/settings/export")).form(&wrong).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("role=\"alert\""), "the settings page says what went wrong");

    let (status, fhir) = app.api(&t, "GET", "/api/v1/account/export/fhir", None).await;
    assert_eq!(status, 200);
    assert_eq!(fhir["resourceType"], "Bundle");
    assert_eq!(fhir["entry"][0]["resource"]["resourceType"], "QuestionnaireResponse");
    assert_eq!(fhir["entry"][1]["resource"]["code"]["coding"][0]["code"], "44261-6");
    assert_eq!(fhir["entry"][1]["resource"]["valueQuantity"]["value"], 8);
}

/// Validates against `docs/export.schema.json` with Python's `jsonschema` when installed; CI
/// installs it and sets `TJ_REQUIRE_JSONSCHEMA=1`.
fn validate_with_python(doc: &str) {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/export.schema.json");
    let script = format!(
        "import sys, json, jsonschema\nschema = json.load(open('{schema}'))\n\
         jsonschema.Draft202012Validator(schema).validate(json.load(sys.stdin))\nprint('ok')"
    );
    let required = std::env::var("TJ_REQUIRE_JSONSCHEMA").is_ok_and(|v| v == "1");
    let run = std::process::Command::new("python3")
        .args(["-c", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = run else {
        assert!(!required, "python3 is needed to validate the export");
        eprintln!("SKIPPED: no python3 to validate the export against its schema");
        return;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(doc.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'jsonschema'") {
        assert!(!required, "pip install jsonschema to validate the export");
        eprintln!("SKIPPED: Python's jsonschema is not installed (pip install jsonschema)");
        return;
    }
    assert!(out.status.success(), "the export does not match its schema: {stderr}");
}

async fn deleting_an_account_leaves_no_trace(app: &TestApp) {
    const EMAIL: &str = "leaving-canary@example.org";
    let (t, id) = client(app, EMAIL).await;
    app.register("t@example.org", "therapist").await;
    let therapist = app.token("t@example.org", PASSWORD).await;
    let canaries = fill(app, &t, &therapist).await;
    // The therapist read the shared entry, so the access log has rows too.
    let (_, list) = app.api(&therapist, "GET", "/api/v1/clients", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    app.api(&therapist, "GET", &format!("/api/v1/clients/{id}/entries"), None).await;
    let raw = app.fixture.raw_bytes();
    assert!(raw.windows(EMAIL.len()).any(|w| w == EMAIL.as_bytes()), "the scan sees clear metadata before deletion");

    let (status, _) = app.api(&t, "DELETE", "/api/v1/account", Some(json!({"password": PASSWORD}))).await;
    assert_eq!(status, 204);
    let raw = app.fixture.raw_bytes();
    let mut needles: Vec<String> = canaries;
    needles.extend([EMAIL.to_owned(), id.clone(), "canarytag".to_owned()]);
    for needle in &needles {
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "'{needle}' is still in the database after deletion ({:?})",
            app.backend
        );
    }
    let (_, after) = app.api(&therapist, "GET", "/api/v1/clients", None).await;
    assert_eq!(after, json!([]), "the link went with the account");
}

backend_tests!(the_export_holds_everything_and_matches_its_schema, deleting_an_account_leaves_no_trace);
