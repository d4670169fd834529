//! Mood check-ins through the JSON API, on both backends.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

async fn client(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

async fn check_ins_are_recorded_backdated_and_listed_by_day(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (status, now) = app
        .api(
            &t,
            "POST",
            "/api/v1/moods",
            Some(json!({"score": 4, "emotions": ["Calm", "hopeful"], "sleep_hours": 7.5,
            "activities": ["walk"], "note": "A gentle day."})),
        )
        .await;
    assert_eq!(status, 201, "{now}");
    assert_eq!((now["score"].as_u64(), now["sleep_hours"].as_f64()), (Some(4), Some(7.5)));
    assert_eq!(now["emotions"], json!(["calm", "hopeful"]));
    let (status, old) =
        app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": 2, "at": "2024-03-10T22:15:00+00:00"}))).await;
    assert_eq!(status, 201);
    assert_eq!(old["at"], "2024-03-10T22:15:00Z");
    let (_, march) = app.api(&t, "GET", "/api/v1/moods?from=2024-03-01&to=2024-03-31", None).await;
    assert_eq!(march["items"].as_array().unwrap().len(), 1);
    assert_eq!(march["items"][0]["score"], 2);
    let (_, recent) = app.api(&t, "GET", "/api/v1/moods", None).await;
    assert_eq!(recent["items"].as_array().unwrap().len(), 1, "the default range is the last 90 days");
    let other = client(app, "b@example.org").await;
    let (_, none) = app.api(&other, "GET", "/api/v1/moods?from=2024-01-01", None).await;
    assert_eq!(none["items"], json!([]));
}

async fn bad_check_ins_are_refused(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let cases = [
        (json!({"score": 0}), Some("score")),
        (json!({"score": 6}), Some("score")),
        (json!({"score": "good"}), None),
        (json!({"score": 3, "sleep_hours": 30}), Some("sleep_hours")),
        (json!({"score": 3, "at": "2999-01-01T00:00:00Z"}), Some("at")),
        (json!({"score": 3, "at": "last night"}), Some("at")),
        (json!({"score": 3, "emotions": [""]}), Some("emotions")),
        (json!({"score": 3, "note": "n".repeat(2001)}), Some("note")),
    ];
    for (body, field) in cases {
        let (status, err): (u16, Value) = app.api(&t, "POST", "/api/v1/moods", Some(body.clone())).await;
        assert_eq!(status, 422, "{body}");
        if let Some(f) = field {
            assert_eq!(err["error"]["field"], f, "{body}");
        }
    }
    let (status, _) = app.api(&t, "GET", "/api/v1/moods?from=2024-02-30", None).await;
    assert_eq!(status, 422);
    let (status, _) = app.api(&t, "GET", "/api/v1/moods?from=2024-05-02&to=2024-05-01", None).await;
    assert_eq!(status, 422);
    let (_, list) = app.api(&t, "GET", "/api/v1/moods?from=1990-01-01", None).await;
    assert_eq!(list["items"], json!([]));
}

async fn check_in_notes_never_reach_the_database_in_clear(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    app.api(
        &t,
        "POST",
        "/api/v1/moods",
        Some(json!({"score": 1, "emotions": ["canaryfeeling"], "note": "canary mood note zebra"})),
    )
    .await;
    let raw = app.fixture.raw_bytes();
    for needle in ["canaryfeeling", "canary mood note zebra"] {
        assert!(!raw.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} is readable");
    }
}

backend_tests!(
    check_ins_are_recorded_backdated_and_listed_by_day,
    bad_check_ins_are_refused,
    check_in_notes_never_reach_the_database_in_clear,
);

async fn the_check_in_page_works_without_javascript(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let page = s.client.get(app.url("/mood")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("How are you, right now?") && page.contains("overwhelmed"));
    let form = [
        ("csrf_token", s.csrf.as_str()),
        ("score", "2"),
        ("emotion", "tired"),
        ("emotion", "worried"),
        ("other_emotions", "homesick, a bit flat"),
        ("sleep_hours", "5.5"),
        ("activity", "walk"),
        ("note", "Long day."),
    ];
    let res = s.client.post(app.url("/mood")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let saved = res.headers()["location"].to_str().unwrap().to_owned();
    let page = s.client.get(app.url(&saved)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Saved. Thank you for checking in."), "{page}");
    assert!(page.contains("tired, worried, homesick, a bit flat"), "{page}");
    assert!(page.contains("Slept 5.5 hours") && page.contains("Long day."));
    let res = s
        .client
        .post(app.url("/mood"))
        .form(&[("csrf_token", s.csrf.as_str()), ("sleep_hours", "7")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Please choose how you"));
    let res = s
        .client
        .post(app.url("/mood"))
        .form(&[("csrf_token", s.csrf.as_str()), ("score", "3"), ("sleep_hours", "lots")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let t = app.token("a@example.org", PASSWORD).await;
    let (_, list) = app.api(&t, "GET", "/api/v1/moods", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "failed forms saved nothing");
}

backend_tests!(the_check_in_page_works_without_javascript);

async fn insights_show_averages_streaks_and_milestones(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let today = jiff::Timestamp::now().in_tz("UTC").unwrap().date();
    // Eight days in a row of check-ins, walks on the good days.
    for back in 0..8i64 {
        let day = today.checked_sub(jiff::Span::new().days(back)).unwrap();
        let (score, activities) = if back % 2 == 0 { (4, json!(["walk"])) } else { (2, json!([])) };
        let at = format!("{day}T08:00:00Z");
        let (status, body) = app
            .api(&t, "POST", "/api/v1/moods", Some(json!({"score": score, "activities": activities, "at": at})))
            .await;
        assert!(status == 201 || (back == 0 && status == 422), "{body}");
    }
    app.api(&t, "POST", "/api/v1/entries", Some(json!({"body": "first", "entry_date": "2024-01-01"}))).await;
    app.api(&t, "POST", "/api/v1/assessments", Some(json!({"instrument": "gad7", "answers": [3, 3, 2, 2, 1, 1, 1]})))
        .await;
    app.api(&t, "POST", "/api/v1/assessments", Some(json!({"instrument": "gad7", "answers": [1, 1, 1, 1, 1, 1, 1]})))
        .await;

    let (status, i) = app.api(&t, "GET", "/api/v1/insights?days=30", None).await;
    assert_eq!(status, 200, "{i}");
    let walk = i["mood"]["by_activity"].as_array().unwrap().iter().find(|a| a["activity"] == "walk").unwrap().clone();
    assert_eq!(walk["average_with"], 4.0);
    assert_eq!(walk["average_without"], 2.0);
    assert!(walk["count_with"].as_u64().unwrap() >= 3);
    assert!(i["streaks"]["longest"].as_u64().unwrap() >= 7, "{}", i["streaks"]);
    let ids: Vec<_> =
        i["achievements"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect();
    for expected in ["first-entry", "first-check-in", "seven-days", "reliable-improvement"] {
        assert!(ids.iter().any(|id| id == expected), "{expected} in {ids:?}");
    }
    let first_entry = i["achievements"].as_array().unwrap().iter().find(|a| a["id"] == "first-entry").unwrap().clone();
    assert_eq!(first_entry["earned_at"], "2024-01-01");
    assert_eq!(app.api(&t, "GET", "/api/v1/insights?days=0", None).await.0, 422);
    assert_eq!(app.api(&t, "GET", "/api/v1/insights?by=year", None).await.0, 422);
    let (_, daily) = app.api(&t, "GET", "/api/v1/insights?days=30", None).await;
    assert_eq!(daily["over_time"]["by"], "day");
    let per_day = daily["over_time"]["points"].as_array().unwrap();
    assert!(per_day.len() >= 7, "{per_day:?}");
    let (_, weekly) = app.api(&t, "GET", "/api/v1/insights?days=30&by=week", None).await;
    let weeks = weekly["over_time"]["points"].as_array().unwrap();
    assert!((2..=3).contains(&weeks.len()), "eight days span two or three weeks: {weeks:?}");
    let counted: u64 = weeks.iter().map(|w| w["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, daily["mood"]["count"].as_u64().unwrap(), "every check-in lands in one week");
    let first_start: jiff::civil::Date = weeks[0]["start"].as_str().unwrap().parse().unwrap();
    assert_eq!(first_start.weekday(), jiff::civil::Weekday::Monday);
    let (_, monthly) = app.api(&t, "GET", "/api/v1/insights?days=30&by=month", None).await;
    assert!(monthly["over_time"]["points"][0]["start"].as_str().unwrap().ends_with("-01"));
    let other = client(app, "b@example.org").await;
    let (_, empty) = app.api(&other, "GET", "/api/v1/insights", None).await;
    assert_eq!((empty["mood"]["count"].as_u64(), empty["achievements"].as_array().unwrap().len()), (Some(0), 0));
}

backend_tests!(insights_show_averages_streaks_and_milestones);

async fn the_insights_page_draws_charts_and_says_what_they_show(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let s = app.login("a@example.org", PASSWORD).await;
    let empty = s.client.get(app.url("/insights")).send().await.unwrap().text().await.unwrap();
    assert!(empty.contains("Insights appear once you have a few check-ins"));
    for (score, activity) in [(4, "walk"), (2, "work"), (5, "walk")] {
        app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": score, "activities": [activity]}))).await;
    }
    let page = s.client.get(app.url("/insights?days=30")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<svg class=\"chart\"") && page.contains("role=\"img\""));
    assert!(page.contains("3 check-ins on 1 day in the last 30 days; the average was 3.7 out of 5."), "{page}");
    assert!(page.contains("<th scope=\"row\">walk</th><td>4.5"), "{page}");
    assert!(page.contains("Your first check-in"));
}

backend_tests!(the_insights_page_draws_charts_and_says_what_they_show);

async fn check_ins_can_be_corrected_and_deleted(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (_, m) = app
        .api(
            &t,
            "POST",
            "/api/v1/moods",
            Some(json!({"score": 1, "emotions": ["sad"], "sleep_hours": 6, "note": "oops"})),
        )
        .await;
    let id = m["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/moods/{id}");

    // Only the fields given change; null clears sleep.
    let (status, fixed) = app.api(&t, "PATCH", &path, Some(json!({"score": 4}))).await;
    assert_eq!(status, 200, "{fixed}");
    assert_eq!((fixed["score"].as_u64(), fixed["note"].as_str()), (Some(4), Some("oops")));
    assert_eq!((fixed["emotions"].clone(), fixed["sleep_hours"].as_f64()), (json!(["sad"]), Some(6.0)));
    assert_eq!(fixed["at"], m["at"]);
    let (status, fixed) = app
        .api(
            &t,
            "PATCH",
            &path,
            Some(json!({"emotions": ["Calm"], "activities": ["walk"], "sleep_hours": null, "note": "",
                "at": "2024-03-10T22:15:00Z"})),
        )
        .await;
    assert_eq!(status, 200, "{fixed}");
    assert_eq!(fixed["score"], 4);
    assert_eq!((fixed["emotions"].clone(), fixed["activities"].clone()), (json!(["calm"]), json!(["walk"])));
    assert!(fixed["sleep_hours"].is_null() && fixed["note"] == "", "{fixed}");
    let (_, march) = app.api(&t, "GET", "/api/v1/moods?from=2024-03-10&to=2024-03-10", None).await;
    assert_eq!(march["items"][0]["id"], id.as_str(), "the corrected time is where it is listed");
    assert_eq!(march["items"][0]["score"], 4);

    // Bad corrections change nothing.
    for (body, field) in [
        (json!({"score": 0}), "score"),
        (json!({"score": 9}), "score"),
        (json!({"sleep_hours": 25}), "sleep_hours"),
        (json!({"emotions": [""]}), "emotions"),
        (json!({"note": "n".repeat(2001)}), "note"),
        (json!({"at": "2999-01-01T00:00:00Z"}), "at"),
        (json!({"at": "yesterday"}), "at"),
    ] {
        let (status, err) = app.api(&t, "PATCH", &path, Some(body.clone())).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(err["error"]["field"], field, "{body}");
    }
    let (status, _) = app.api(&t, "PATCH", &path, Some(json!({"score": "good"}))).await;
    assert_eq!(status, 422);
    let (_, still) = app.api(&t, "GET", "/api/v1/moods?from=2024-03-10&to=2024-03-10", None).await;
    assert_eq!(still["items"][0]["score"], 4, "refused corrections left it as it was");

    // Someone else's check-in is not found, for reading, correcting and deleting alike.
    let other = client(app, "b@example.org").await;
    let (status, err) = app.api(&other, "PATCH", &path, Some(json!({"score": 5}))).await;
    assert_eq!((status, err["error"]["code"].as_str()), (404, Some("not_found")));
    assert_eq!(app.api(&other, "DELETE", &path, None).await.0, 404);
    assert_eq!(app.api(&t, "PATCH", "/api/v1/moods/nope", Some(json!({"score": 5}))).await.0, 404);

    let (status, _) = app.api(&t, "DELETE", &path, None).await;
    assert_eq!(status, 204);
    assert_eq!(app.api(&t, "DELETE", &path, None).await.0, 404);
    assert_eq!(app.api(&t, "PATCH", &path, Some(json!({"score": 5}))).await.0, 404);
    let (_, all) = app.api(&t, "GET", "/api/v1/moods?from=1990-01-01", None).await;
    assert_eq!(all["items"], json!([]));
}

async fn a_therapist_sees_the_corrected_check_in(app: &TestApp) {
    let client_id = app.register("client@example.org", "client").await.id;
    let c = app.token("client@example.org", PASSWORD).await;
    app.register("therapist@example.org", "therapist").await;
    let th = app.token("therapist@example.org", PASSWORD).await;
    let (_, invite) = app.api(&th, "POST", "/api/v1/invites", None).await;
    let (status, link) =
        app.api(&c, "POST", "/api/v1/connections", Some(json!({"code": invite["code"].as_str().unwrap()}))).await;
    assert_eq!(status, 201, "{link}");
    let connection = link["id"].as_str().unwrap();
    let (status, _) = app
        .api(
            &c,
            "PUT",
            &format!("/api/v1/connections/{connection}/metrics"),
            Some(json!({"mood": true, "assessments": false})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, m) = app.api(&c, "POST", "/api/v1/moods", Some(json!({"score": 1}))).await;
    let (_, kept) = app.api(&c, "POST", "/api/v1/moods", Some(json!({"score": 3}))).await;
    let shared = format!("/api/v1/clients/{client_id}/moods");
    let scores = |v: &Value| v.as_array().unwrap().iter().map(|m| m["score"].as_u64().unwrap()).collect::<Vec<_>>();
    let (status, before) = app.api(&th, "GET", &shared, None).await;
    assert_eq!(status, 200, "{before}");
    assert!(scores(&before).contains(&1), "{before}");

    let (status, _) =
        app.api(&c, "PATCH", &format!("/api/v1/moods/{}", m["id"].as_str().unwrap()), Some(json!({"score": 5}))).await;
    assert_eq!(status, 200);
    let (_, after) = app.api(&th, "GET", &shared, None).await;
    let mut s = scores(&after);
    s.sort();
    assert_eq!(s, [3, 5], "the therapist reads the corrected value: {after}");

    // A therapist can't correct or delete a client's check-in.
    let kept_path = format!("/api/v1/moods/{}", kept["id"].as_str().unwrap());
    assert_eq!(app.api(&th, "PATCH", &kept_path, Some(json!({"score": 1}))).await.0, 404);
    assert_eq!(app.api(&th, "DELETE", &kept_path, None).await.0, 404);
    assert_eq!(app.api(&c, "DELETE", &format!("/api/v1/moods/{}", m["id"].as_str().unwrap()), None).await.0, 204);
    let (_, gone) = app.api(&th, "GET", &shared, None).await;
    assert_eq!(scores(&gone), [3], "a deleted check-in leaves the therapist's view: {gone}");
}

backend_tests!(check_ins_can_be_corrected_and_deleted, a_therapist_sees_the_corrected_check_in);

async fn check_ins_are_corrected_undone_and_deleted_on_the_page(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let res =
        s.client.post(app.url("/mood")).form(&[("csrf_token", s.csrf.as_str()), ("score", "1")]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let id = to.strip_prefix("/mood?saved=").expect("redirected to the saved check-in").to_owned();
    let page = s.client.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Saved. Thank you for checking in."), "{page}");
    assert!(page.contains(&format!("action=\"/mood/{id}/delete\"")) && page.contains(">Undo<"), "{page}");
    assert!(page.contains(&format!("href=\"/mood/{id}/edit\"")), "{page}");

    let edit = s.client.get(app.url(&format!("/mood/{id}/edit"))).send().await.unwrap();
    assert_eq!(edit.status(), 200);
    assert!(edit.text().await.unwrap().contains("value=\"1\" required checked"));
    let form = [("csrf_token", s.csrf.as_str()), ("score", "4"), ("other_emotions", "calm, hopeful"), ("note", "Fine")];
    let res = s.client.post(app.url(&format!("/mood/{id}/edit"))).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let page = s.client.get(app.url("/mood?notice=updated")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("calm, hopeful") && page.contains("Fine"), "{page}");
    let bad = [("csrf_token", s.csrf.as_str()), ("score", "4"), ("sleep_hours", "99")];
    let res = s.client.post(app.url(&format!("/mood/{id}/edit"))).form(&bad).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Sleep is a number of hours"));

    app.register("b@example.org", "client").await;
    let b = app.login("b@example.org", PASSWORD).await;
    assert_eq!(b.client.get(app.url(&format!("/mood/{id}/edit"))).send().await.unwrap().status(), 404);
    let res = b
        .client
        .post(app.url(&format!("/mood/{id}/delete")))
        .form(&[("csrf_token", b.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let confirm = s.client.get(app.url(&format!("/mood/{id}/delete"))).send().await.unwrap().text().await.unwrap();
    assert!(confirm.contains("Delete this check-in?"), "{confirm}");
    let res = s
        .client
        .post(app.url(&format!("/mood/{id}/delete")))
        .form(&[("csrf_token", s.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let t = app.token("a@example.org", PASSWORD).await;
    let (_, list) = app.api(&t, "GET", "/api/v1/moods", None).await;
    assert_eq!(list["items"], json!([]));
}

backend_tests!(check_ins_are_corrected_undone_and_deleted_on_the_page);

/// A form that needs correcting comes back with the message and everything that was sent, so
/// nothing has to be chosen or typed twice; a saved check-in offers something from the toolbox
/// that fits the feelings named, and the person's own activities come back as chips.
async fn the_check_in_form_keeps_what_was_sent_and_suggests_something_after(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let page = s.client.get(app.url("/mood")).send().await.unwrap().text().await.unwrap();
    // One picker: five faces with words; the feelings on two axes, each with its meaning.
    assert_eq!(page.matches("class=\"mood-choice mood-").count(), 5, "{page}");
    assert!(page.contains("High energy, unpleasant") && page.contains("Low energy, pleasant"));
    assert!(page.contains("Too much at once to cope with."), "overwhelmed has its meaning");
    assert!(page.contains("data-feeling-search hidden"), "the search box waits for the script");
    // Home's one-tap check-in shows the same faces, each a button of its own.
    let home = s.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert_eq!(home.matches("<button type=\"submit\" name=\"score\" value=\"").count(), 5);
    assert_eq!(home.matches("class=\"mood-choice mood-").count(), 5);

    let form = [
        ("csrf_token", s.csrf.as_str()),
        ("emotion", "lonely"),
        ("other_emotions", "homesick"),
        ("activity", "walk"),
        ("other_activities", "pottery"),
        ("sleep_hours", "6.5"),
        ("note", "The evening was long."),
    ];
    let res = s.client.post(app.url("/mood")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let again = res.text().await.unwrap();
    assert!(again.contains("id=\"mood-error\"") && again.contains("Please choose how you"), "{again}");
    assert!(again.contains("value=\"lonely\" checked"), "the feeling is still ticked");
    assert!(again.contains("value=\"walk\" checked"), "the activity is still ticked");
    assert!(
        again.contains("value=\"homesick\"") && again.contains("value=\"pottery\"") && again.contains("value=\"6.5\"")
    );
    assert!(again.contains(">The evening was long.</textarea>"));

    // Two taps' worth: a face and Save. Then the feelings decide the suggestion.
    let res =
        s.client.post(app.url("/mood")).form(&[("csrf_token", s.csrf.as_str()), ("score", "4")]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let mut form = form.to_vec();
    form.push(("score", "2"));
    form.retain(|(k, v)| *k != "emotion" || *v == "lonely");
    form.push(("emotion", "worried"));
    form.push(("emotion", "panicky"));
    let res = s.client.post(app.url("/mood")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let saved = res.headers()["location"].to_str().unwrap().to_owned();
    let page = s.client.get(app.url(&saved)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Something to try: Breathing") && page.contains("href=\"/toolbox#breathing-h\""), "{page}");
    assert!(page.contains("value=\"pottery\""), "the person's own activity is now a chip");
    assert!(!page.contains("value=\"pottery\" checked"));
    let res = s
        .client
        .post(app.url("/mood"))
        .form(&[("csrf_token", s.csrf.as_str()), ("score", "2"), ("emotion", "tired")])
        .send()
        .await
        .unwrap();
    let page =
        s.client.get(app.url(res.headers()["location"].to_str().unwrap())).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Something to try: Self-compassion"), "{page}");

    // A correction that needs correcting keeps what was typed too.
    let id = saved.split("saved=").nth(1).unwrap();
    let res = s
        .client
        .post(app.url(&format!("/mood/{id}/edit")))
        .form(&[("csrf_token", s.csrf.as_str()), ("score", "3"), ("sleep_hours", "lots"), ("note", "kept words")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains(">kept words</textarea>") && page.contains("value=\"lots\""), "{page}");
    assert!(page.contains("value=\"3\" required checked"));
}

backend_tests!(the_check_in_form_keeps_what_was_sent_and_suggests_something_after);

/// The year in pixels colours a day with check-ins; the best weekday is named only with enough
/// check-ins to compare.
async fn insights_show_the_year_in_pixels_and_compare_weekdays_only_with_enough(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let s = app.login("a@example.org", PASSWORD).await;
    app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": 5}))).await;
    app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": 4}))).await;
    let page = s.client.get(app.url("/insights")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Your year in pixels"));
    assert_eq!(page.matches("<td class=\"px m5\"").count(), 1, "today, average 4.5: {page}");
    assert!(page.contains("Very good (4.5)</span>"));
    assert!(page.contains("Not enough check-ins yet to compare days."), "{page}");
    assert!(!page.contains("highest average"));

    // Three weeks of check-ins, every day: now each weekday has three.
    let today = jiff::Timestamp::now().in_tz("UTC").unwrap().date();
    for back in 1..=21i64 {
        let day = today.checked_sub(jiff::Span::new().days(back)).unwrap();
        let score = if day.weekday() == jiff::civil::Weekday::Saturday { 5 } else { 3 };
        let at = format!("{day}T12:00:00Z");
        let (status, _) = app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": score, "at": at}))).await;
        assert_eq!(status, 201);
    }
    let page = s.client.get(app.url("/insights")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("your highest average is on Saturdays ("), "{page}");
    // Points on the chart are dated and can be focused.
    assert!(page.contains("class=\"pt\" tabindex=\"0\" role=\"img\" aria-label=\""));
}

backend_tests!(insights_show_the_year_in_pixels_and_compare_weekdays_only_with_enough);

/// A person's own activities: added, moved up and down, removed; kept encrypted; a bad name is
/// refused beside the form that sent it.
async fn activities_can_be_added_reordered_and_removed(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let post = |path: &'static str, form: Vec<(&'static str, &'static str)>| {
        let mut form = form;
        form.push(("csrf_token", s.csrf.as_str()));
        s.client.post(app.url(path)).form(&form).send()
    };
    let chips = |page: &str| -> Vec<String> {
        page.split("<label class=\"chip activity-chip\"><input type=\"checkbox\" name=\"activity\" value=\"")
            .skip(1)
            .filter_map(|p| p.split('"').next().map(str::to_owned))
            .collect()
    };
    let page = s.client.get(app.url("/mood")).send().await.unwrap().text().await.unwrap();
    assert_eq!(chips(&page)[..2], ["walk", "exercise"]);

    let res = post("/mood/activities", vec![("name", "  Pottery Class ")]).await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/mood?notice=activities#your-activities");
    let res = post("/mood/activities/move", vec![("name", "pottery class"), ("direction", "up")]).await.unwrap();
    assert_eq!(res.status(), 303);
    post("/mood/activities/move", vec![("name", "walk"), ("direction", "down")]).await.unwrap();
    // Moving the first one up changes nothing.
    post("/mood/activities/move", vec![("name", "exercise"), ("direction", "up")]).await.unwrap();
    post("/mood/activities/remove", vec![("name", "screens")]).await.unwrap();
    let page = s.client.get(app.url("/mood?notice=activities")).send().await.unwrap().text().await.unwrap();
    let list = chips(&page);
    assert_eq!(list[0], "exercise");
    assert_eq!(list[1], "walk");
    assert_eq!(list[list.len() - 2..], ["pottery class", "therapy"], "added last, then one up: {list:?}");
    assert!(!list.contains(&"screens".to_owned()) && list.len() == 12);
    assert!(page.contains("Your activities are updated.") && page.contains("id=\"your-activities\" open"));

    // A bad name: 422, the message beside the add form, the check-in form without an error.
    let res = post("/mood/activities", vec![("name", "walk, run")]).await.unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("id=\"activity-error\" role=\"alert\">An activity is a word or two"), "{page}");
    assert!(!page.contains("id=\"mood-error\""));
    for (path, form) in [
        ("/mood/activities/move", vec![("name", "nothing like it"), ("direction", "up")]),
        ("/mood/activities/move", vec![("name", "walk"), ("direction", "sideways")]),
        ("/mood/activities/remove", vec![("name", "nothing like it")]),
    ] {
        let status = post(path, form).await.unwrap().status();
        assert!(status.is_client_error(), "{path}: {status}");
    }
    let raw = app.fixture.raw_bytes();
    assert!(!raw.windows(13).any(|w| w == b"pottery class"), "the list is stored encrypted");
}

backend_tests!(activities_can_be_added_reordered_and_removed);
