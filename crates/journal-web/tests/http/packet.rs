//! The pre-session packet over HTTP, on both backends: only shared items ever appear, the
//! client's preview is the therapist's packet, and anyone not linked gets a 404.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

const ENTRY_CANARY: &str = "the unshared lighthouse canary";
const MOOD_CANARY: &str = "unshared mood canary";

async fn person(app: &TestApp, email: &str, role: &str) -> (String, String) {
    let r = app.register(email, role).await;
    (app.token(email, PASSWORD).await, r.id)
}

async fn link(app: &TestApp, client: &str, therapist: &str) -> String {
    let (_, invite) = app.api(therapist, "POST", "/api/v1/invites", None).await;
    let (status, c) =
        app.api(client, "POST", "/api/v1/connections", Some(json!({"code": invite["code"].as_str().unwrap()}))).await;
    assert_eq!(status, 201, "{c}");
    c["id"].as_str().unwrap().to_owned()
}

async fn write(app: &TestApp, token: &str, body: Value) -> String {
    let (status, e) = app.api(token, "POST", "/api/v1/entries", Some(body)).await;
    assert_eq!(status, 201, "{e}");
    e["id"].as_str().unwrap().to_owned()
}

async fn share(app: &TestApp, token: &str, entry: &str, connection: &str) {
    let (status, r) = app
        .api(token, "POST", &format!("/api/v1/entries/{entry}/shares"), Some(json!({"connection_id": connection})))
        .await;
    assert!(status == 201 || status == 200 || status == 204, "{status} {r}");
}

async fn metrics(app: &TestApp, token: &str, connection: &str, mood: bool, assessments: bool) {
    let body = json!({"mood": mood, "assessments": assessments});
    let (status, r) = app.api(token, "PUT", &format!("/api/v1/connections/{connection}/metrics"), Some(body)).await;
    assert_eq!(status, 200, "{r}");
}

async fn take(app: &TestApp, t: &str, instrument: &str, answers: Value) {
    let (status, r) =
        app.api(t, "POST", "/api/v1/assessments", Some(json!({"instrument": instrument, "answers": answers}))).await;
    assert_eq!(status, 201, "{r}");
}

async fn page(app: &TestApp, email: &str, path: &str) -> (u16, String) {
    let s = app.login(email, PASSWORD).await;
    let res = s.client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn the_packet_shows_shared_items_only(app: &TestApp) {
    let (client, client_id) = person(app, "client@example.org", "client").await;
    let (therapist, _) = person(app, "therapist@example.org", "therapist").await;
    let (stranger, _) = person(app, "stranger@example.org", "therapist").await;
    let connection = link(app, &client, &therapist).await;

    let shared = write(app, &client, json!({"title": "Sunday walk", "body": "The walk by the river helped."})).await;
    write(app, &client, json!({"title": "Private", "body": ENTRY_CANARY})).await;
    share(app, &client, &shared, &connection).await;
    let (status, tr) = app
        .api(
            &client,
            "POST",
            "/api/v1/thought-records",
            Some(json!({"situation": "The meeting at work", "thoughts": "They think I'm hopeless.",
                "emotions": [{"name": "anxious", "intensity": 80}], "balanced_thought": "One quiet meeting says little."})),
        )
        .await;
    assert_eq!(status, 201, "{tr}");
    share(app, &client, tr["id"].as_str().unwrap(), &connection).await;
    app.api(&client, "POST", "/api/v1/moods", Some(json!({"score": 2, "note": MOOD_CANARY}))).await;
    // PHQ-9 4 → 12: 8 points, past its reliable-change threshold of 6; GAD-7 3 → 5: 2 points, under its 4.
    take(app, &client, "phq9", json!([1, 1, 1, 1, 0, 0, 0, 0, 0])).await;
    take(app, &client, "phq9", json!([2, 2, 2, 2, 1, 1, 1, 1, 0])).await;
    take(app, &client, "gad7", json!([1, 1, 1, 0, 0, 0, 0])).await;
    take(app, &client, "gad7", json!([1, 1, 1, 1, 1, 0, 0])).await;

    // Nothing but the shared entries while mood and questionnaires are not shared.
    let path = format!("/api/v1/clients/{client_id}/packet");
    let (status, p) = app.api(&therapist, "GET", &path, None).await;
    assert_eq!(status, 200, "{p}");
    assert!(p["mood"].is_null() && p["scores"].is_null() && p["goals"].is_null(), "{p}");
    assert_eq!(p["entries"].as_array().unwrap().len(), 1, "{p}");
    assert_eq!(p["entries"][0]["id"], shared.as_str());
    assert_eq!(p["thought_records"].as_array().unwrap().len(), 1, "{p}");
    let text = p.to_string();
    assert!(!text.contains(ENTRY_CANARY) && !text.contains("canary"), "nothing unshared: {text}");
    let (status, html) = page(app, "therapist@example.org", &format!("/therapist/clients/{client_id}/packet")).await;
    assert_eq!(status, 200);
    assert!(html.contains("The walk by the river helped.") && html.contains("The meeting at work"), "{html}");
    assert!(!html.contains("canary") && !html.contains("packet-mood"), "no unshared entry or mood line");
    assert!(html.contains("Not shared."));

    // The preview is the same packet.
    let (status, preview) = app.api(&client, "GET", &format!("/api/v1/connections/{connection}/packet"), None).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview, p, "the client sees exactly what the therapist sees");
    let (status, html) = page(app, "client@example.org", &format!("/connections/{connection}/packet")).await;
    assert_eq!(status, 200);
    assert!(html.contains("exactly the packet") && html.contains("The walk by the river helped."));
    assert!(!html.contains("canary"));

    // Shared metrics: scores with change, said as reliable only where the threshold allows.
    metrics(app, &client, &connection, true, true).await;
    let (_, p) = app.api(&therapist, "GET", &path, None).await;
    let scores = p["scores"].as_array().unwrap();
    let phq9 = scores.iter().find(|s| s["instrument"] == "PHQ-9" && s["total"] == 12).unwrap();
    assert_eq!((phq9["delta"].as_i64(), phq9["reliable"].as_bool()), (Some(8), Some(true)), "{phq9}");
    assert!(phq9["change"].as_str().unwrap().contains("a reliable change (worsened)"), "{phq9}");
    let gad7 = scores.iter().find(|s| s["instrument"] == "GAD-7" && s["total"] == 5).unwrap();
    assert_eq!((gad7["delta"].as_i64(), gad7["reliable"].as_bool()), (Some(2), Some(false)), "{gad7}");
    assert!(gad7["change"].as_str().unwrap().contains("smaller than the 4 points"), "{gad7}");
    assert_eq!(p["mood"]["count"], 1);
    assert_eq!(p["mood"]["days"][0]["average"], 2.0);
    assert!(!p.to_string().contains(MOOD_CANARY), "mood notes never travel in the packet");
    let (_, preview) = app.api(&client, "GET", &format!("/api/v1/connections/{connection}/packet"), None).await;
    assert_eq!(preview, p);
    let (_, html) = page(app, "therapist@example.org", &format!("/therapist/clients/{client_id}/packet")).await;
    assert!(html.contains("packet-mood") && html.contains("+8 since the one before (4)"), "{html}");
    assert!(!html.contains("canary"));

    // The FHIR export holds the shared results of the period.
    let s = app.login("therapist@example.org", PASSWORD).await;
    let res = s.client.get(app.url(&format!("/therapist/clients/{client_id}/packet/fhir"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/fhir+json");
    let bundle: Value = res.json().await.unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert!(bundle["entry"].as_array().unwrap().len() >= 4, "{bundle}");

    // Not linked: 404 everywhere, for the stranger and for the wrong side.
    assert_eq!(app.api(&stranger, "GET", &path, None).await.0, 404);
    assert_eq!(app.api(&client, "GET", &path, None).await.0, 404);
    assert_eq!(app.api(&therapist, "GET", &format!("/api/v1/connections/{connection}/packet"), None).await.0, 404);
    assert_eq!(app.api(&therapist, "GET", "/api/v1/clients/not-an-id/packet", None).await.0, 404);
    let (status, _) = page(app, "stranger@example.org", &format!("/therapist/clients/{client_id}/packet")).await;
    assert_eq!(status, 404);
    let (status, _) = page(app, "stranger@example.org", &format!("/therapist/clients/{client_id}/packet/fhir")).await;
    assert_eq!(status, 404);
    // A bad range is a clear 422.
    assert_eq!(app.api(&therapist, "GET", &format!("{path}?from=yesterday"), None).await.0, 422);

    // Once sharing stops, the metrics leave the packet again.
    metrics(app, &client, &connection, false, false).await;
    let (_, p) = app.api(&therapist, "GET", &path, None).await;
    assert!(p["mood"].is_null() && p["scores"].is_null(), "{p}");
}

async fn the_schedule_address_lands_on_the_questionnaires_page(app: &TestApp) {
    app.register("client@example.org", "client").await;
    let s = app.login("client@example.org", PASSWORD).await;
    let res = s.client.get(app.url("/assessments/schedule")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/assessments#schedule-h");
}

async fn import_refuses_a_questionnaire_that_is_not_offered(app: &TestApp) {
    let (t, _) = person(app, "client@example.org", "client").await;
    let res = app
        .client()
        .post(app.url("/api/v1/account/export"))
        .bearer_auth(&t)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let mut doc: Value = res.json().await.unwrap();
    doc["assessments"] = json!([{"instrument": "pss10", "taken_at": "2026-01-05T10:00:00Z",
        "answers": [2, 3, 1, 1, 3, 2, 0, 4, 0, 4], "total": 20, "severity": "moderate", "self_harm": false}]);
    let bytes = serde_json::to_vec(&doc).unwrap();
    let upload = |query: &'static str, bytes: Vec<u8>| {
        let t = t.clone();
        async move {
            let res = app
                .client()
                .post(app.url(&format!("/api/v1/account/import?{query}")))
                .bearer_auth(&t)
                .header("content-type", "application/octet-stream")
                .body(bytes)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, preview) = upload("format=therapy-journal&dry_run=true", bytes.clone()).await;
    assert_eq!(status, 200, "{preview}");
    let problem = preview["problems"][0].as_str().unwrap_or_default();
    assert!(problem.contains("PSS-10") && problem.contains("not offered"), "{preview}");
    let (status, e) = upload("format=therapy-journal", bytes).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("Nothing was imported"), "{e}");
    let (_, list) = app.api(&t, "GET", "/api/v1/assessments", None).await;
    assert!(list.to_string().matches("pss10").count() == 0, "nothing stored: {list}");
}

backend_tests!(
    the_packet_shows_shared_items_only,
    the_schedule_address_lands_on_the_questionnaires_page,
    import_refuses_a_questionnaire_that_is_not_offered
);
