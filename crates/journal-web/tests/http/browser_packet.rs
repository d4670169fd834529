//! The pre-session packet in headless Chromium: the therapist opens it and sees the shared entry
//! and the score change; the client's preview shows the same.

use journal_testkit::browser::Browser;
use journal_testkit::{Backend, PASSWORD, TestApp};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_therapist_opens_the_packet_and_the_client_preview_matches() {
    let Some(t) = Browser::start(1280).await else { return };
    let Some(c) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.register("ada@example.org", "therapist").await;
    let client_id = app.register("robin@example.org", "client").await.id;
    let therapist = app.token("ada@example.org", PASSWORD).await;
    let client = app.token("robin@example.org", PASSWORD).await;

    // Linked, one entry shared, one kept private, two PHQ-9s shared.
    let (_, invite) = app.api(&therapist, "POST", "/api/v1/invites", None).await;
    let (_, link) = app.api(&client, "POST", "/api/v1/connections", Some(json!({"code": invite["code"]}))).await;
    let connection = link["id"].as_str().unwrap().to_owned();
    let (_, shared) = app
        .api(
            &client,
            "POST",
            "/api/v1/entries",
            Some(json!({"title": "Tea with my sister", "body": "It went better than I feared."})),
        )
        .await;
    app.api(&client, "POST", "/api/v1/entries", Some(json!({"title": "Just for me", "body": "a private canary"})))
        .await;
    let entry = shared["id"].as_str().unwrap();
    app.api(&client, "POST", &format!("/api/v1/entries/{entry}/shares"), Some(json!({"connection_id": connection})))
        .await;
    for answers in [json!([2, 2, 2, 2, 1, 1, 1, 1, 0]), json!([1, 1, 1, 1, 0, 0, 0, 0, 0])] {
        app.api(&client, "POST", "/api/v1/assessments", Some(json!({"instrument": "phq9", "answers": answers}))).await;
    }
    app.api(
        &client,
        "PUT",
        &format!("/api/v1/connections/{connection}/metrics"),
        Some(json!({"mood": false, "assessments": true})),
    )
    .await;

    // A therapist's home is their caseload; a client's greets them.
    for (b, email, heading) in [(&t, "ada@example.org", "Caseload"), (&c, "robin@example.org", "Good")] {
        b.goto(&app.url("/login")).await;
        b.fill("#email", email).await;
        b.fill("#password", PASSWORD).await;
        b.click("form[action='/login'] button").await;
        b.wait_text("h1", heading).await;
    }

    // The therapist goes from the client's page to the packet.
    t.goto(&app.url(&format!("/therapist/clients/{client_id}"))).await;
    t.click(&format!("a[href='/therapist/clients/{client_id}/packet']")).await;
    t.wait_text("h1", "Session packet").await;
    let therapist_scores = t.text(".packet-scores").await;
    assert!(therapist_scores.contains("PHQ-9 4") && therapist_scores.contains("-8 since the one before (12)"));
    assert!(therapist_scores.contains("a reliable change (improved)"), "{therapist_scores}");
    let therapist_entries = t.text("#p-entries-h + article").await;
    assert!(therapist_entries.contains("Tea with my sister") && therapist_entries.contains("better than I feared"));
    assert!(!t.text("main").await.contains("canary"));

    // The client previews it from the Therapist page and sees the same.
    c.goto(&app.url("/connections")).await;
    c.click(&format!("a[href='/connections/{connection}/packet']")).await;
    c.wait_text("h1", "What Test Person sees").await;
    assert_eq!(c.text(".packet-scores").await, therapist_scores);
    assert_eq!(
        c.text("#p-entries-h + article").await.replace("Open", ""),
        therapist_entries.replace("Open and comment", "")
    );
    assert!(!c.text("main").await.contains("canary"));

    t.close().await;
    c.close().await;
    app.stop().await;
}
