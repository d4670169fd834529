//! "My therapy blueprint" through the pages, on both backends: a draft from the person's own
//! records (honest counts, nothing below the minimum), edited and saved as a journal entry.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::json;

async fn draft(app: &TestApp, email: &str) -> String {
    let s = app.login(email, PASSWORD).await;
    let res = s.client.get(app.url("/blueprint")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

async fn checkins(app: &TestApp, t: &str, days: i64) {
    let today = jiff::Timestamp::now().in_tz("UTC").unwrap().date();
    for back in 1..=days {
        let day = today.checked_sub(jiff::Span::new().days(back)).unwrap();
        // Walks on the even days, with better moods.
        let (score, activities) = if back % 2 == 0 { (4, json!(["walk"])) } else { (2, json!(["screens"])) };
        let body = json!({"score": score, "activities": activities, "at": format!("{day}T08:00:00Z")});
        let (status, r) = app.api(t, "POST", "/api/v1/moods", Some(body)).await;
        assert_eq!(status, 201, "{r}");
    }
}

async fn the_blueprint_is_drafted_from_own_records_and_saved_as_an_entry(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;

    // Too few check-ins: said plainly, no comparison made.
    checkins(app, &t, 4).await;
    let page = draft(app, "a@example.org").await;
    assert!(page.contains("Not enough check-ins yet") && page.contains("4 so far"), "{page}");
    assert!(!page.contains("mood averaged"));

    // Enough: the activity that went with better days, with its counts; the other is not praised.
    checkins(app, &t, 16).await;
    let plan = json!({"warning_signs": ["Staying in bed past noon"], "internal_coping": ["Cold water on my face"]});
    assert_eq!(app.api(&t, "PUT", "/api/v1/safety-plan", Some(plan)).await.0, 200);
    for answers in [json!([2, 2, 2, 2, 1, 1, 1, 1, 0]), json!([1, 1, 1, 1, 0, 0, 0, 0, 0])] {
        let body = json!({"instrument": "phq9", "answers": answers});
        assert_eq!(app.api(&t, "POST", "/api/v1/assessments", Some(body)).await.0, 201);
    }
    let page = draft(app, "a@example.org").await;
    assert!(
        page.contains("walk: on the 10 check-ins that noted it, mood averaged 4.0 out of 5; on the other 10, 2.0."),
        "{page}"
    );
    assert!(!page.contains("screens: on the"), "only activities that went with better days");
    assert!(page.contains("Staying in bed past noon") && page.contains("Cold water on my face"));
    assert!(page.contains("PHQ-9: 12 on") && page.contains("(2 results: 12, 4)"), "{page}");

    // Saved as a journal entry, tagged, with the person's edits.
    let s = app.login("a@example.org", PASSWORD).await;
    let body = "## What helps\n\n- Walking by the river\n\nMy own words at the end.";
    let res = s
        .client
        .post(app.url("/blueprint"))
        .form(&[("csrf_token", s.csrf.as_str()), ("body", body)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let id = location.strip_prefix("/journal/").unwrap();
    let (status, entry) = app.api(&t, "GET", &format!("/api/v1/entries/{id}"), None).await;
    assert_eq!(status, 200, "{entry}");
    assert_eq!((entry["title"].as_str(), entry["tags"].clone()), (Some("My therapy blueprint"), json!(["blueprint"])));
    assert!(entry["body"].as_str().unwrap().contains("My own words at the end."));

    // An empty blueprint is a clear 4xx on the form, and nothing is stored.
    let (_, before) = app.api(&t, "GET", "/api/v1/entries", None).await;
    let res = s
        .client
        .post(app.url("/blueprint"))
        .form(&[("csrf_token", s.csrf.as_str()), ("body", "  ")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("blueprint-error"));
    let (_, after) = app.api(&t, "GET", "/api/v1/entries", None).await;
    assert_eq!(before["items"].as_array().unwrap().len(), after["items"].as_array().unwrap().len());
    // Without the CSRF token nothing is saved either.
    let res = s.client.post(app.url("/blueprint")).form(&[("body", "x")]).send().await.unwrap();
    assert!(res.status().is_client_error());
}

backend_tests!(the_blueprint_is_drafted_from_own_records_and_saved_as_an_entry);
