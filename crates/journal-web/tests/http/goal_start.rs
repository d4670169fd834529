//! A check-in dated before a goal's start counts: the start moves back to meet it, through the
//! API and through the goal page's form, on both backends.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::json;

fn days_ago(n: i64) -> String {
    let today = jiff::Timestamp::now().in_tz("UTC").unwrap().date();
    today.checked_sub(jiff::Span::new().days(n)).unwrap().to_string()
}

async fn new_goal(app: &TestApp, t: &str, start: &str) -> String {
    let (status, g) = app
        .api(
            t,
            "POST",
            "/api/v1/goals",
            Some(json!({"title": "Walk after lunch", "category": "physical_activity",
                "cadence": {"times": 1, "per": "day"}, "start_date": start})),
        )
        .await;
    assert_eq!(status, 201, "{g}");
    g["id"].as_str().unwrap().to_owned()
}

async fn a_check_in_before_the_start_moves_the_start_back_and_counts(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let id = new_goal(app, &t, &days_ago(0)).await;

    // Set up today, then log yesterday's and the day before's walks.
    for back in [2, 1] {
        let (status, c) =
            app.api(&t, "POST", &format!("/api/v1/goals/{id}/checkins"), Some(json!({"date": days_ago(back)}))).await;
        assert_eq!(status, 201, "{c}");
    }
    let (_, g) = app.api(&t, "GET", &format!("/api/v1/goals/{id}"), None).await;
    assert_eq!(g["start_date"], days_ago(2), "{g}");
    assert_eq!(g["streak"], 2, "yesterday and the day before count: {g}");
    let (_, c) = app.api(&t, "POST", &format!("/api/v1/goals/{id}/checkins"), Some(json!({}))).await;
    assert_eq!(c["progress"]["current_streak"], 3, "{c}");
    assert_eq!(c["progress"]["longest_streak"], 3, "{c}");
    let (_, list) = app.api(&t, "GET", &format!("/api/v1/goals/{id}/checkins"), None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 3);

    // A goal planned for next week, started early, counts from today.
    let later = new_goal(app, &t, &days_ago(-5)).await;
    let (status, c) = app.api(&t, "POST", &format!("/api/v1/goals/{later}/checkins"), Some(json!({}))).await;
    assert_eq!((status, c["progress"]["done"].as_u64()), (201, Some(1)), "{c}");
    let (_, g) = app.api(&t, "GET", &format!("/api/v1/goals/{later}"), None).await;
    assert_eq!((g["start_date"].as_str(), g["streak"].as_u64()), (Some(days_ago(0).as_str()), Some(1)), "{g}");

    // More than a week back is still refused, and the start stays where it was.
    let (status, e) =
        app.api(&t, "POST", &format!("/api/v1/goals/{later}/checkins"), Some(json!({"date": days_ago(8)}))).await;
    assert_eq!((status, e["error"]["field"].as_str()), (422, Some("date")), "{e}");
    let (_, g) = app.api(&t, "GET", &format!("/api/v1/goals/{later}"), None).await;
    assert_eq!(g["start_date"], days_ago(0));
}

async fn the_goal_page_form_counts_a_check_in_before_the_start(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let id = new_goal(app, &t, &days_ago(0)).await;
    let s = app.login("a@example.org", PASSWORD).await;
    let res = s
        .client
        .post(app.url(&format!("/goals/{id}/check-in")))
        .form(&[
            ("date", days_ago(3).as_str()),
            ("note", "Round the park"),
            ("back", "goal"),
            ("csrf_token", s.csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/goals/{id}").as_str());
    let (_, g) = app.api(&t, "GET", &format!("/api/v1/goals/{id}"), None).await;
    assert_eq!(g["start_date"], days_ago(3), "{g}");
    let page = s.client.get(app.url(&format!("/goals/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Round the park"), "the check-in shows on the goal page");
}

backend_tests!(
    a_check_in_before_the_start_moves_the_start_back_and_counts,
    the_goal_page_form_counts_a_check_in_before_the_start,
);
