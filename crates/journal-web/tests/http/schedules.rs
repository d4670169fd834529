//! Questionnaire schedules over HTTP, on both backends: set them, see what is due (on the API,
//! the home page and the questionnaires page), answer it and it is no longer due; bad schedules
//! are refused with nothing stored.

use jiff::ToSpan;
use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

fn today() -> jiff::civil::Date {
    journal_core::dates::today_in("UTC")
}

async fn due(app: &TestApp, t: &str) -> Vec<Value> {
    let (status, list) = app.api(t, "GET", "/api/v1/assessments/due", None).await;
    assert_eq!(status, 200, "{list}");
    list["items"].as_array().unwrap().clone()
}

async fn schedules_say_what_is_due_until_it_is_answered(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    assert!(due(app, &t).await.is_empty(), "nothing scheduled, nothing due");
    let body = json!({"items": [
        {"instrument": "phq4", "every": "session"},
        {"instrument": "who5", "every": "weeks", "weeks": 1},
    ]});
    let (status, saved) = app.api(&t, "PUT", "/api/v1/assessments/schedule", Some(body)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        saved["items"][0],
        json!({"instrument": "phq4", "every": "session", "weeks": null, "since": today().to_string()})
    );
    let (_, got) = app.api(&t, "GET", "/api/v1/assessments/schedule", None).await;
    assert_eq!(got, saved);

    // No session date yet: only the weekly WHO-5.
    let list = due(app, &t).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!((list[0]["instrument"].as_str(), list[0]["label"].as_str()), (Some("who5"), Some("This week")));

    // A session in two days: the PHQ-4 is due before it, soonest first.
    let session = today().checked_add(2.days()).unwrap();
    let (status, _) =
        app.api(&t, "PUT", "/api/v1/prompts/session", Some(json!({"session_date": session.to_string()}))).await;
    assert_eq!(status, 200);
    let list = due(app, &t).await;
    let weekday = jiff::fmt::strtime::format("%A", session).unwrap();
    assert_eq!(list[0]["instrument"], "phq4", "{list:?}");
    assert_eq!(list[0]["label"], format!("Before {weekday}'s session"));
    assert_eq!(list[0]["until"], session.to_string());

    // First on the home page, and on the questionnaires page.
    let s = app.login("a@example.org", PASSWORD).await;
    let home = s.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("href=\"/assessments/phq4\">Before") && home.contains("s session: the PHQ-4</a>"), "{home}");
    assert!(home.contains("Questionnaires for you"), "two are due");
    assert!(home.find("id=\"due-h\"").unwrap() < home.find("How are you, right now?").unwrap());
    let prompts = s.client.get(app.url("/prompts")).send().await.unwrap().text().await.unwrap();
    assert!(prompts.contains("s session: the PHQ-4</a>") && prompts.contains("This week: the WHO-5</a>"), "{prompts}");
    let page = s.client.get(app.url("/assessments")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Due now") && page.contains("<option value=\"session\" selected>"), "{page}");

    // Answered: no longer due.
    let (status, _) =
        app.api(&t, "POST", "/api/v1/assessments", Some(json!({"instrument": "phq4", "answers": [0, 1, 0, 1]}))).await;
    assert_eq!(status, 201);
    let list = due(app, &t).await;
    assert!(list.iter().all(|d| d["instrument"] != "phq4"), "{list:?}");

    // The page form replaces the schedules; weeks already counted keep their start.
    let res = s
        .client
        .post(app.url("/assessments/schedule"))
        .form(&[("csrf_token", s.csrf.as_str()), ("s-who5", "1"), ("s-gad7", "2"), ("s-phq4", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, got) = app.api(&t, "GET", "/api/v1/assessments/schedule", None).await;
    let ids: Vec<&str> = got["items"].as_array().unwrap().iter().map(|i| i["instrument"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"who5") && ids.contains(&"gad7"));
    let res = s
        .client
        .post(app.url("/assessments/schedule"))
        .form(&[("csrf_token", s.csrf.as_str()), ("s-who5", "daily")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let (status, _) = app.api(&t, "PUT", "/api/v1/assessments/schedule", Some(json!({"items": []}))).await;
    assert_eq!(status, 200);
    assert!(due(app, &t).await.is_empty());
}

async fn bad_schedules_are_refused_and_nothing_is_stored(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let (_, before) = app
        .api(
            &t,
            "PUT",
            "/api/v1/assessments/schedule",
            Some(json!({"items": [{"instrument": "phq9", "every": "session"}]})),
        )
        .await;
    let cases = [
        (json!([{"instrument": "ors", "every": "session"}]), "Choose phq9"),
        (json!([{"instrument": "pss10", "every": "session"}]), "not offered"),
        (json!([{"instrument": "phq9", "every": "weeks", "weeks": 0}]), "1 to 12 weeks"),
        (json!([{"instrument": "phq9", "every": "weeks", "weeks": 13}]), "1 to 12 weeks"),
        (json!([{"instrument": "phq9", "every": "weeks"}]), "1 to 12 weeks"),
        (json!([{"instrument": "phq9", "every": "session", "weeks": 2}]), "takes no weeks"),
        (json!([{"instrument": "phq9", "every": "daily"}]), "session or weeks"),
        (
            json!([{"instrument": "gad7", "every": "session"}, {"instrument": "gad7", "every": "weeks", "weeks": 1}]),
            "two schedules",
        ),
        (json!("weekly"), ""),
    ];
    for (items, needle) in cases {
        let (status, err) = app.api(&t, "PUT", "/api/v1/assessments/schedule", Some(json!({"items": items}))).await;
        assert_eq!(status, 422, "{items} -> {err}");
        assert!(err["error"]["message"].as_str().unwrap().contains(needle), "{err}");
    }
    let (_, after) = app.api(&t, "GET", "/api/v1/assessments/schedule", None).await;
    assert_eq!(after, before, "nothing stored");
    // Schedules are sealed: the instrument names are not readable in the database.
    let raw = app.fixture.raw_bytes();
    assert!(!raw.windows(9).any(|w| w == b"\"session\""), "nothing readable");
}

backend_tests!(schedules_say_what_is_due_until_it_is_answered, bad_schedules_are_refused_and_nothing_is_stored);
