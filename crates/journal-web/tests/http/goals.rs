//! Goals, check-ins, streaks, achievements, the weekly review and the calendar feed, on both
//! backends.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::json;

async fn client(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("UTC").unwrap().date()
}

fn days_ago(n: i64) -> String {
    today().checked_sub(jiff::Span::new().days(n)).unwrap().to_string()
}

async fn goals_track_check_ins_streaks_and_pauses(app: &TestApp) {
    const CANARY: &str = "Walk to the canary bandstand";
    let t = client(app, "a@example.org").await;
    let (status, g) = app
        .api(
            &t,
            "POST",
            "/api/v1/goals",
            Some(json!({"title": CANARY, "category": "physical_activity",
            "cadence": {"times": 1, "per": "day"}, "why": "Fresh air helps my head.", "start_date": days_ago(10)})),
        )
        .await;
    assert_eq!(status, 201, "{g}");
    let id = g["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (g["status"].as_str(), g["progress"]["done"].as_u64(), g["streak"].as_u64()),
        (Some("active"), Some(0), Some(0))
    );

    // Backfill the last three days and today.
    for back in [3, 2, 1] {
        let (status, c) =
            app.api(&t, "POST", &format!("/api/v1/goals/{id}/checkins"), Some(json!({"date": days_ago(back)}))).await;
        assert_eq!(status, 201, "{c}");
    }
    let (_, c) =
        app.api(&t, "POST", &format!("/api/v1/goals/{id}/checkins"), Some(json!({"note": "Sunny, canary note"}))).await;
    assert_eq!((c["date"].as_str(), c["progress"]["done"].as_u64()), (Some(today().to_string().as_str()), Some(1)));
    assert_eq!(c["progress"]["current_streak"], 4);
    let (_, list) = app.api(&t, "GET", "/api/v1/goals", None).await;
    assert_eq!(
        (list["items"][0]["streak"].as_u64(), list["items"][0]["progress"]["unit"].as_str()),
        (Some(4), Some("day"))
    );

    // Undo today's: the run ending yesterday still counts, as today isn't over.
    let today_id = c["id"].as_str().unwrap();
    assert_eq!(app.api(&t, "DELETE", &format!("/api/v1/goals/{id}/checkins/{today_id}"), None).await.0, 204);
    let (_, after) = app.api(&t, "GET", &format!("/api/v1/goals/{id}"), None).await;
    assert_eq!((after["progress"]["done"].as_u64(), after["streak"].as_u64()), (Some(0), Some(3)));

    // Bad check-ins lose nothing and say why.
    for (body, field) in [
        (json!({"date": days_ago(8)}), "date"),
        (json!({"date": days_ago(-1)}), "date"),
        (json!({"date": "someday"}), "date"),
        (json!({"note": "x".repeat(1001)}), "note"),
    ] {
        let (status, e) = app.api(&t, "POST", &format!("/api/v1/goals/{id}/checkins"), Some(body)).await;
        assert_eq!((status, e["error"]["field"].as_str()), (422, Some(field)), "{e}");
    }

    // Paused: no check-ins, and the streak waits.
    let (status, paused) =
        app.api(&t, "POST", &format!("/api/v1/goals/{id}/status"), Some(json!({"action": "pause"}))).await;
    assert_eq!((status, paused["status"].as_str()), (200, Some("paused")));
    assert_eq!(app.api(&t, "POST", &format!("/api/v1/goals/{id}/checkins"), Some(json!({}))).await.0, 409);
    assert_eq!(
        app.api(&t, "POST", &format!("/api/v1/goals/{id}/status"), Some(json!({"action": "pause"}))).await.0,
        409
    );
    assert_eq!(app.api(&t, "POST", &format!("/api/v1/goals/{id}/status"), Some(json!({"action": "fly"}))).await.0, 422);
    let (_, resumed) =
        app.api(&t, "POST", &format!("/api/v1/goals/{id}/status"), Some(json!({"action": "resume"}))).await;
    assert_eq!((resumed["status"].as_str(), resumed["streak"].as_u64()), (Some("active"), Some(3)));

    // Weekly goals count in weeks.
    let (_, weekly) = app
        .api(
            &t,
            "POST",
            "/api/v1/goals",
            Some(json!({"title": "Call a friend", "category": "social_connection",
            "cadence": {"times": 2, "per": "week"}})),
        )
        .await;
    assert_eq!((weekly["progress"]["unit"].as_str(), weekly["progress"]["target"].as_u64()), (Some("week"), Some(2)));

    // Edits and refusals.
    let (status, edited) = app
        .api(&t, "PATCH", &format!("/api/v1/goals/{id}"), Some(json!({"cadence": {"times": 2, "per": "day"}})))
        .await;
    assert_eq!((status, edited["cadence"]["times"].as_u64(), edited["title"].as_str()), (200, Some(2), Some(CANARY)));
    for (body, field) in [
        (json!({"title": "x", "category": "chores", "cadence": {"times": 1, "per": "day"}}), "category"),
        (json!({"title": " ", "category": "joy", "cadence": {"times": 1, "per": "day"}}), "title"),
        (json!({"title": "x", "category": "joy", "cadence": {"times": 0, "per": "day"}}), "cadence"),
        (
            json!({"title": "x", "category": "joy", "cadence": {"times": 1, "per": "day"}, "start_date": "2026-01-05", "end_date": "2026-01-01"}),
            "end_date",
        ),
    ] {
        let (status, e) = app.api(&t, "POST", "/api/v1/goals", Some(body)).await;
        assert_eq!((status, e["error"]["field"].as_str()), (422, Some(field)), "{e}");
    }
    let (_, s) = app.api(&t, "GET", "/api/v1/goals/suggestions", None).await;
    assert_eq!(s.as_array().unwrap().len(), 9);

    // Milestones become achievements.
    let (_, achievements) = app.api(&t, "GET", "/api/v1/achievements", None).await;
    let first =
        achievements.as_array().unwrap().iter().find(|a| a["id"] == format!("goal-{id}-first")).unwrap().clone();
    assert_eq!(first["kind"], "goal");
    assert!(first["title"].as_str().unwrap().contains(CANARY) && !first["message"].as_str().unwrap().is_empty());
    assert_eq!(first["earned_at"], days_ago(3));

    // Nobody else can see or touch them.
    let other = client(app, "b@example.org").await;
    assert_eq!(app.api(&other, "GET", &format!("/api/v1/goals/{id}"), None).await.0, 404);
    assert_eq!(app.api(&other, "POST", &format!("/api/v1/goals/{id}/checkins"), Some(json!({}))).await.0, 404);
    assert_eq!(app.api(&other, "DELETE", &format!("/api/v1/goals/{id}"), None).await.0, 404);
    assert_eq!(app.api(&other, "GET", "/api/v1/goals", None).await.1["items"], json!([]));

    let raw = app.fixture.raw_bytes();
    for needle in [CANARY, "canary bandstand", "Fresh air", "canary note", "physical_activity"] {
        assert!(!raw.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} readable ({:?})", app.backend);
    }
    assert_eq!(app.api(&t, "DELETE", &format!("/api/v1/goals/{id}"), None).await.0, 204);
    assert_eq!(app.api(&t, "GET", &format!("/api/v1/goals/{id}"), None).await.0, 404);
}

async fn the_weekly_review_gathers_the_week_and_can_be_kept(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    app.api(&t, "POST", "/api/v1/entries", Some(json!({"body": "Wrote today."}))).await;
    app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": 4}))).await;
    let (_, g) = app
        .api(
            &t,
            "POST",
            "/api/v1/goals",
            Some(json!({"title": "Stretch", "category": "physical_activity",
            "cadence": {"times": 3, "per": "week"}})),
        )
        .await;
    app.api(&t, "POST", &format!("/api/v1/goals/{}/checkins", g["id"].as_str().unwrap()), Some(json!({}))).await;
    let (status, r) = app.api(&t, "GET", "/api/v1/review", None).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["entries"].as_u64(), r["mood_check_ins"].as_u64(), r["mood_average"].as_f64()),
        (Some(1), Some(1), Some(4.0))
    );
    assert_eq!((r["goals"][0]["done"].as_u64(), r["goals"][0]["target"].as_u64()), (Some(1), Some(3)));
    assert!(r["wins"].as_array().unwrap().iter().any(|w| w["id"] == "first-entry"));
    let from: jiff::civil::Date = r["from"].as_str().unwrap().parse().unwrap();
    assert_eq!(from.weekday(), jiff::civil::Weekday::Monday);
    // The person's own first day of the week.
    app.api(&t, "PUT", "/api/v1/account/preferences", Some(json!({"week_start": 7}))).await;
    let (_, sunday) = app.api(&t, "GET", "/api/v1/review", None).await;
    let from: jiff::civil::Date = sunday["from"].as_str().unwrap().parse().unwrap();
    assert_eq!(from.weekday(), jiff::civil::Weekday::Sunday);
    assert_eq!(app.api(&t, "GET", "/api/v1/review?week=notaday", None).await.0, 422);

    let (status, e) =
        app.api(&t, "POST", "/api/v1/review", Some(json!({"reflection": "Kinder mornings next week."}))).await;
    assert_eq!(status, 201, "{e}");
    assert!(e["title"].as_str().unwrap().starts_with("Weekly review"));
    assert!(
        e["body"].as_str().unwrap().contains("Kinder mornings next week.") && e["tags"] == json!(["weekly-review"])
    );
}

async fn the_calendar_feed_is_private_generic_and_revocable(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (status, r) = app
        .api(
            &t,
            "PUT",
            "/api/v1/reminders",
            Some(json!({"journal_time": "21:30", "checkin_time": "09:00", "goal_reminders": true})),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["goal_time"], "12:00", "goal reminders get a time of their own");
    let url = r["feed_url"].as_str().unwrap().to_owned();
    let path = url.split_once("/calendar/").map(|(_, p)| format!("/calendar/{p}")).unwrap();
    let res = app.client().get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = res.text().await.unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3);
    assert!(ics.contains("DTSTART:") && ics.contains("T213000\r\n") && ics.contains("RRULE:FREQ=DAILY"));
    for word in ["Therapy", "therapy", "mood", "goal", "Walk"] {
        assert!(!ics.contains(word), "'{word}' would be stored in the clear by calendar apps");
    }
    validate_with_python(&ics);
    let again = app.client().get(app.url(&path)).send().await.unwrap().text().await.unwrap();
    assert_eq!(again, ics, "calendar apps refetch the feed; unchanged settings give the same bytes");

    for bad in [json!({"journal_time": "25:00"}), json!({"checkin_time": "9am"})] {
        assert_eq!(app.api(&t, "PUT", "/api/v1/reminders", Some(bad)).await.0, 422);
    }
    let (status, rotated) = app.api(&t, "POST", "/api/v1/reminders/feed/rotate", None).await;
    assert_eq!(status, 200);
    assert_ne!(rotated["feed_url"], r["feed_url"]);
    assert_eq!(app.client().get(app.url(&path)).send().await.unwrap().status(), 404, "the old address is dead");
    assert_eq!(app.client().get(app.url("/calendar/nothing.ics")).send().await.unwrap().status(), 404);
    let (_, again) = app.api(&t, "GET", "/api/v1/reminders", None).await;
    assert_eq!(again["feed_url"], rotated["feed_url"], "the address can be shown again");
}

/// Parses the feed with Python's `icalendar` (a standard parser) when it is installed; CI
/// installs it and sets `TJ_REQUIRE_ICALENDAR=1`, so there a missing parser fails.
fn validate_with_python(ics: &str) {
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = [c for c in cal.walk('VEVENT')]
assert len(events) == 3, events
for e in events:
    assert str(e['SUMMARY']) == 'Time for you'
    assert e['RRULE']['FREQ'] == ['DAILY']
    assert e['DTSTART'].dt.tzinfo is None, 'a floating time'
    [alarm] = e.subcomponents
    assert alarm.name == 'VALARM' and str(alarm['ACTION']) == 'DISPLAY', alarm
    assert str(alarm['DESCRIPTION']) == 'Time for you'
print('ok')
"#;
    let run = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let required = std::env::var("TJ_REQUIRE_ICALENDAR").is_ok_and(|v| v == "1");
    let Ok(mut child) = run else {
        assert!(!required, "python3 is needed to validate the calendar feed");
        eprintln!("SKIPPED: no python3 to validate the calendar feed");
        return;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(ics.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'icalendar'") {
        assert!(!required, "pip install icalendar to validate the calendar feed");
        eprintln!("SKIPPED: Python's icalendar is not installed (pip install icalendar)");
        return;
    }
    assert!(out.status.success(), "icalendar rejected the feed: {stderr}\n{ics}");
}

backend_tests!(
    goals_track_check_ins_streaks_and_pauses,
    the_weekly_review_gathers_the_week_and_can_be_kept,
    the_calendar_feed_is_private_generic_and_revocable,
);
