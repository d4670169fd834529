//! One rule for free text, everywhere: multi-line fields keep line breaks and tabs (CRLF and CR
//! become LF) and lose every other control character; single-line fields get a space for a line
//! break or tab and lose the rest. Nothing a person wrote is refused for an invisible character.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

/// A pasted paragraph: Windows and old-Mac line ends, NUL, BEL, an ANSI escape, DEL, a C1 control.
const MULTI: &str = "First line\r\nsecond\u{0} line\u{7}\u{1b}[2J\rthird\tend\u{7f}\u{9b}";
const MULTI_CLEAN: &str = "First line\nsecond line[2J\nthird\tend";
const SINGLE: &str = "Walk\r\nto the\u{0} park\u{1b}";
const SINGLE_CLEAN: &str = "Walk to the park";

fn assert_clean(v: &Value, want: &str, what: &str) {
    assert_eq!(v.as_str(), Some(want), "{what}");
}

async fn created(app: &TestApp, token: &str, method: &str, path: &str, body: Value) -> Value {
    let (status, v) = app.api(token, method, path, Some(body)).await;
    assert!(status == 200 || status == 201, "{method} {path}: {status} {v}");
    v
}

async fn every_free_text_field_loses_control_characters_and_keeps_the_words(app: &TestApp) {
    // Names: the display name of a new account.
    let res = app
        .client()
        .post(app.url("/api/v1/auth/register"))
        .json(&json!({"email": "a@example.org", "password": PASSWORD, "display_name": "Sam\u{0}\r\nLee\u{7}",
            "role": "client"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let t = app.token("a@example.org", PASSWORD).await;
    let (_, session) = app.api(&t, "GET", "/api/v1/session", None).await;
    assert_clean(&session["user"]["display_name"], "Sam Lee", "display name");

    // Journal entries: title, body, tags; and when edited.
    let e = created(
        app,
        &t,
        "POST",
        "/api/v1/entries",
        json!({"title": SINGLE, "body": MULTI, "tags": ["sle\u{7}ep", "hard\nday"]}),
    )
    .await;
    let id = e["id"].as_str().unwrap();
    let (_, e) = app.api(&t, "GET", &format!("/api/v1/entries/{id}"), None).await;
    assert_clean(&e["title"], SINGLE_CLEAN, "entry title");
    assert_clean(&e["body"], MULTI_CLEAN, "entry body");
    assert_eq!(e["tags"], json!(["sleep", "hard-day"]));
    created(
        app,
        &t,
        "PUT",
        &format!("/api/v1/entries/{id}"),
        json!({"title": "Edited\u{1b}", "body": "Again\u{0}\r\n"}),
    )
    .await;
    let (_, e) = app.api(&t, "GET", &format!("/api/v1/entries/{id}"), None).await;
    assert_eq!((e["title"].as_str(), e["body"].as_str()), (Some("Edited"), Some("Again\n")), "{e}");

    // Drafts keep to the same rule.
    created(app, &t, "PUT", "/api/v1/drafts/new", json!({"title": SINGLE, "body": MULTI})).await;
    let (_, d) = app.api(&t, "GET", "/api/v1/drafts/new", None).await;
    assert_clean(&d["title"], SINGLE_CLEAN, "draft title");
    assert_clean(&d["body"], MULTI_CLEAN, "draft body");

    // Mood check-ins: note, feelings in your own words, activities.
    let m = created(
        app,
        &t,
        "POST",
        "/api/v1/moods",
        json!({"score": 3, "note": MULTI, "emotions": ["cal\u{1b}m"], "activities": ["wa\u{0}lk"]}),
    )
    .await;
    assert_clean(&m["note"], MULTI_CLEAN, "mood note");
    let (_, moods) = app.api(&t, "GET", "/api/v1/moods", None).await;
    let m = &moods["items"][0];
    assert_clean(&m["note"], MULTI_CLEAN, "stored mood note");
    assert_eq!((m["emotions"].clone(), m["activities"].clone()), (json!(["calm"]), json!(["walk"])));

    // Your own prompts.
    let p = created(app, &t, "POST", "/api/v1/prompts", json!({"text": MULTI, "category": "joy"})).await;
    assert_clean(&p["text"], MULTI_CLEAN, "custom prompt");
    let (_, joy) = app.api(&t, "GET", "/api/v1/prompts?category=joy", None).await;
    let mine = joy["items"].as_array().unwrap().iter().find(|i| i["id"] == p["id"]).cloned().unwrap_or_default();
    assert_clean(&mine["text"], MULTI_CLEAN, "stored custom prompt");

    // Thought records: every text step and the feelings' names.
    let r = created(
        app,
        &t,
        "POST",
        "/api/v1/thought-records",
        json!({"situation": MULTI, "thoughts": MULTI, "emotions": [{"name": "anx\u{0}ious\n", "intensity": 70}],
            "evidence_for": MULTI, "evidence_against": MULTI, "balanced_thought": MULTI,
            "rerated": [{"name": "anx\u{0}ious", "intensity": 40}]}),
    )
    .await;
    let (_, r) = app.api(&t, "GET", &format!("/api/v1/thought-records/{}", r["id"].as_str().unwrap()), None).await;
    for field in ["situation", "thoughts", "evidence_for", "evidence_against", "balanced_thought"] {
        assert_clean(&r[field], MULTI_CLEAN, field);
    }
    assert_eq!(
        (r["emotions"][0]["name"].as_str(), r["rerated"][0]["name"].as_str()),
        (Some("anxious"), Some("anxious"))
    );

    // Goals: title, why, and a check-in's note.
    let g = created(
        app,
        &t,
        "POST",
        "/api/v1/goals",
        json!({"title": SINGLE, "why": MULTI, "category": "physical_activity", "cadence": {"times": 1, "per": "day"}}),
    )
    .await;
    assert_clean(&g["title"], SINGLE_CLEAN, "goal title");
    assert_clean(&g["why"], MULTI_CLEAN, "goal why");
    let gid = g["id"].as_str().unwrap();
    created(app, &t, "PATCH", &format!("/api/v1/goals/{gid}"), json!({"title": "Stretch\u{7}\tdaily"})).await;
    created(app, &t, "POST", &format!("/api/v1/goals/{gid}/checkins"), json!({"note": MULTI})).await;
    let (_, g) = app.api(&t, "GET", &format!("/api/v1/goals/{gid}"), None).await;
    assert_clean(&g["title"], "Stretch daily", "edited goal title");
    let (_, checkins) = app.api(&t, "GET", &format!("/api/v1/goals/{gid}/checkins"), None).await;
    assert_clean(&checkins["items"][0]["note"], MULTI_CLEAN, "check-in note");

    // The safety plan: lines, people and numbers, reasons for living.
    created(
        app,
        &t,
        "PUT",
        "/api/v1/safety-plan",
        json!({"warning_signs": [SINGLE], "reasons_for_living": ["My\u{0} cat\r\n"],
            "help_people": [{"name": "J\u{1b}o", "phone": "07700\n900456"}]}),
    )
    .await;
    let (_, plan) = app.api(&t, "GET", "/api/v1/safety-plan", None).await;
    assert_clean(&plan["warning_signs"][0], SINGLE_CLEAN, "warning sign");
    assert_clean(&plan["reasons_for_living"][0], "My cat", "reason for living");
    assert_eq!(
        (plan["help_people"][0]["name"].as_str(), plan["help_people"][0]["phone"].as_str()),
        (Some("Jo"), Some("07700 900456"))
    );

    // The weekly review's reflection, kept as an entry.
    let review = created(app, &t, "POST", "/api/v1/review", json!({"reflection": MULTI})).await;
    assert!(review["body"].as_str().unwrap().contains(MULTI_CLEAN), "{review}");
}

async fn comments_and_homework_lose_control_characters(app: &TestApp) {
    app.register("client@example.org", "client").await;
    app.register("therapist@example.org", "therapist").await;
    let client = app.token("client@example.org", PASSWORD).await;
    let therapist = app.token("therapist@example.org", PASSWORD).await;
    let (_, invite) = app.api(&therapist, "POST", "/api/v1/invites", None).await;
    let c = created(app, &client, "POST", "/api/v1/connections", json!({"code": invite["code"]})).await;
    let connection = c["id"].as_str().unwrap().to_owned();
    let e = created(app, &client, "POST", "/api/v1/entries", json!({"body": "Shared."})).await;
    let entry = e["id"].as_str().unwrap().to_owned();
    created(app, &client, "POST", &format!("/api/v1/entries/{entry}/shares"), json!({"connection_id": connection}))
        .await;
    let (_, clients) = app.api(&therapist, "GET", "/api/v1/clients", None).await;
    let client_id = clients[0]["client"]["id"].as_str().unwrap().to_owned();

    created(
        app,
        &therapist,
        "POST",
        &format!("/api/v1/clients/{client_id}/entries/{entry}/comments"),
        json!({"body": MULTI}),
    )
    .await;
    created(app, &client, "POST", &format!("/api/v1/entries/{entry}/comments"), json!({"body": MULTI})).await;
    let (_, thread) = app.api(&client, "GET", &format!("/api/v1/entries/{entry}/comments"), None).await;
    assert_clean(&thread[0]["body"], MULTI_CLEAN, "therapist's comment");
    assert_clean(&thread[1]["body"], MULTI_CLEAN, "client's reply");

    created(
        app,
        &therapist,
        "POST",
        &format!("/api/v1/clients/{client_id}/assignments"),
        json!({"prompt_text": MULTI}),
    )
    .await;
    let (_, assigned) = app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/assignments"), None).await;
    assert_clean(&assigned[0]["prompt_text"], MULTI_CLEAN, "homework");
}

async fn imported_text_follows_the_same_rule(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let jrnl = json!({"tags": {}, "entries": [{"title": SINGLE, "body": MULTI, "date": "2024-01-08", "time": "21:40",
        "tags": ["@wo\u{7}rk"], "starred": false}]});
    let res = app
        .client()
        .post(app.url("/api/v1/account/import?format=jrnl"))
        .bearer_auth(&t)
        .header("content-type", "application/octet-stream")
        .body(jrnl.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let (_, list) = app.api(&t, "GET", "/api/v1/entries?from=2024-01-08&to=2024-01-08", None).await;
    let id = list["items"][0]["id"].as_str().unwrap();
    let (_, e) = app.api(&t, "GET", &format!("/api/v1/entries/{id}"), None).await;
    assert_clean(&e["title"], SINGLE_CLEAN, "imported title");
    assert_clean(&e["body"], MULTI_CLEAN, "imported body");
    assert_eq!(e["tags"], json!(["work"]));
}

backend_tests!(
    every_free_text_field_loses_control_characters_and_keeps_the_words,
    comments_and_homework_lose_control_characters,
    imported_text_follows_the_same_rule,
);
