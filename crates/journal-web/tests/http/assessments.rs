//! Questionnaires through the JSON API, on both backends.

use journal_testkit::{PASSWORD, TestApp, backend_tests, test_config};
use serde_json::{Value, json};

async fn client(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

async fn submit(app: &TestApp, t: &str, instrument: &str, answers: Value) -> (u16, Value) {
    app.api(t, "POST", "/api/v1/assessments", Some(json!({"instrument": instrument, "answers": answers}))).await
}

async fn instruments_are_listed_with_their_exact_wording(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (status, list) = app.api(&t, "GET", "/api/v1/assessments/instruments", None).await;
    assert_eq!(status, 200);
    let ids: Vec<_> = list.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["phq9", "gad7", "who5"]);
    assert_eq!(
        list[0]["items"][8]["text"],
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    );
    assert_eq!(list[0]["items"][8]["loinc"], "44260-8");
    assert_eq!(list[0]["options"][2]["label"], "More than half the days");
    assert_eq!(list[0]["extra_options"][2]["loinc"], "LA6575-0");
    assert!(list[2]["copyright"].as_str().unwrap().contains("CC BY-NC-SA 3.0 IGO"));
}

async fn results_are_scored_flagged_and_compared(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (status, first) = submit(app, &t, "phq9", json!([3, 3, 2, 2, 2, 2, 2, 2, 0, 2])).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!((first["total"].as_u64(), first["severity"].as_str()), (Some(18), Some("moderately_severe")));
    assert_eq!(first["flags"]["self_harm"], false);
    assert!(first["change"].is_null());
    assert!(first.get("crisis_resources").is_none());

    // Item 9 positive with a low total still raises the flag and carries crisis resources.
    let (_, second) = submit(app, &t, "phq9", json!([1, 0, 0, 0, 0, 0, 0, 0, 1])).await;
    assert_eq!((second["total"].as_u64(), second["severity"].as_str()), (Some(2), Some("minimal")));
    assert_eq!(second["flags"]["self_harm"], true);
    assert!(second["crisis_resources"]["lines"].as_array().unwrap().iter().any(|l| l["name"] == "Samaritans"));
    let change = &second["change"];
    assert_eq!(change["previous_total"], 18);
    assert_eq!(change["delta"], -16);
    assert_eq!((change["reliable"].as_bool(), change["direction"].as_str()), (Some(true), Some("improved")));
    assert_eq!((change["response"].as_bool(), change["remission"].as_bool()), (Some(true), Some(true)));

    let (_, who) = submit(app, &t, "who5", json!([3, 3, 2, 2, 3])).await;
    assert_eq!((who["total"].as_u64(), who["severity"].as_str()), (Some(52), Some("adequate")));
    let (_, gad) = submit(app, &t, "gad7", json!([1, 1, 1, 1, 1, 0, 0])).await;
    assert_eq!((gad["total"].as_u64(), gad["severity"].as_str()), (Some(5), Some("mild")));
    assert!(gad["change"].is_null(), "the first GAD-7 has nothing to compare with");

    let (_, list) = app.api(&t, "GET", "/api/v1/assessments?instrument=phq9", None).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["total"], 2, "newest first");
    assert_eq!(items[0]["change"]["delta"], -16);
    assert_eq!(items[0]["answers"], json!([1, 0, 0, 0, 0, 0, 0, 0, 1]));
    let (_, all) = app.api(&t, "GET", "/api/v1/assessments", None).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 4);

    let other = client(app, "b@example.org").await;
    let (_, theirs) = app.api(&other, "GET", "/api/v1/assessments", None).await;
    assert_eq!(theirs["items"], json!([]), "nobody else sees them");
}

async fn bad_answers_are_refused_naming_the_question(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let cases = [
        ("phq9", json!([0, 0, 0, 0, 0, 0, 0, 0]), "9 answers"),
        ("phq9", json!([0, 0, 4, 0, 0, 0, 0, 0, 0]), "Question 3"),
        ("gad7", json!([0, 0, 0, 0, 0, 0, -1]), "Question 7"),
        ("who5", json!([5, 5, 5, 5, 6]), "Question 5"),
        ("pss10", json!([0]), "phq9, gad7 or who5"),
    ];
    for (instrument, answers, needle) in cases {
        let (status, err) = submit(app, &t, instrument, answers).await;
        assert_eq!(status, 422);
        assert!(err["error"]["message"].as_str().unwrap().contains(needle), "{err}");
    }
    let (status, _) = submit(app, &t, "phq9", json!("nine")).await;
    assert_eq!(status, 422);
    let (_, list) = app.api(&t, "GET", "/api/v1/assessments", None).await;
    assert_eq!(list["items"], json!([]));
}

async fn answers_never_reach_the_database_in_clear(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    submit(app, &t, "phq9", json!([3, 3, 3, 3, 3, 3, 3, 3, 3])).await;
    let raw = app.fixture.raw_bytes();
    for needle in ["moderately_severe", "\"severe\"", "self_harm", "answers"] {
        assert!(!raw.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} is readable");
    }
}

async fn crisis_resources_are_public(app: &TestApp) {
    let res: Value = app.client().get(app.url("/api/v1/crisis-resources")).send().await.unwrap().json().await.unwrap();
    assert!(res["lines"].as_array().unwrap().iter().any(|l| l["name"] == "988 Suicide & Crisis Lifeline"));
    assert!(res["note"].as_str().unwrap().contains("not an emergency service"));
    assert!(res["country"].is_null());
}

async fn crisis_lines_follow_the_country_setting(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (_, prefs) = app.api(&t, "GET", "/api/v1/account/preferences", None).await;
    assert_eq!((prefs["country"].as_str(), prefs["week_start"].as_u64()), (Some(""), Some(1)));
    let (status, prefs) =
        app.api(&t, "PUT", "/api/v1/account/preferences", Some(json!({"country": "gb", "week_start": 7}))).await;
    assert_eq!(status, 200, "{prefs}");
    assert_eq!((prefs["country"].as_str(), prefs["week_start"].as_u64()), (Some("GB"), Some(7)));
    assert_eq!(prefs["time_zone"], "UTC", "left out, so left alone");
    let (_, res) = app.api(&t, "GET", "/api/v1/crisis-resources", None).await;
    let names: Vec<&str> = res["lines"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Samaritans", "Shout", "Find A Helpline"]);
    assert_eq!(res["emergency_numbers"][0]["number"], "999");
    assert_eq!(res["country"], "GB");
    // The support step after a PHQ-9 uses the same list.
    let (_, r) = submit(app, &t, "phq9", json!([0, 0, 0, 0, 0, 0, 0, 0, 2])).await;
    assert_eq!(r["crisis_resources"]["lines"][0]["name"], "Samaritans");
    let page = app.client().get(app.url("/crisis")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("988"), "anonymous visitors see every country's lines");

    for bad in [
        json!({"country": "XX"}),
        json!({"week_start": 0}),
        json!({"week_start": 8}),
        json!({"time_zone": "Mars/Base"}),
    ] {
        let (status, body) = app.api(&t, "PUT", "/api/v1/account/preferences", Some(bad.clone())).await;
        assert_eq!(status, 422, "{bad} -> {body}");
    }
    let (_, prefs) = app.api(&t, "PUT", "/api/v1/account/preferences", Some(json!({"country": ""}))).await;
    assert_eq!((prefs["country"].as_str(), prefs["week_start"].as_u64()), (Some(""), Some(7)));
    let (_, res) = app.api(&t, "GET", "/api/v1/crisis-resources", None).await;
    assert!(res["lines"].as_array().unwrap().len() >= 7, "no country: every line");
}

fn operator_lines() -> journal_web::Config {
    let own = r#"{"emergency_numbers":[{"countries":["NZ"],"region":"New Zealand","number":"111"}],
        "lines":[{"countries":["NZ"],"region":"New Zealand","name":"Need to talk?","how":"Call or text 1737.","href":"tel:1737"}],
        "last_reviewed":"2026-11-01"}"#;
    journal_web::Config { crisis: journal_core::crisis::Directory::from_json(own).unwrap(), ..test_config() }
}

async fn operators_can_replace_the_crisis_lines(app: &TestApp) {
    let res: Value = app.client().get(app.url("/api/v1/crisis-resources")).send().await.unwrap().json().await.unwrap();
    assert_eq!(res["lines"].as_array().unwrap().len(), 1);
    assert_eq!(res["lines"][0]["name"], "Need to talk?");
    let page = app.client().get(app.url("/crisis")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Need to talk?") && page.contains("Call 111") && !page.contains("Samaritans"));
}

backend_tests!(
    instruments_are_listed_with_their_exact_wording,
    results_are_scored_flagged_and_compared,
    bad_answers_are_refused_naming_the_question,
    answers_never_reach_the_database_in_clear,
    crisis_resources_are_public,
    crisis_lines_follow_the_country_setting,
);

backend_tests!(config = operator_lines(); operators_can_replace_the_crisis_lines);

fn without_who5() -> journal_web::Config {
    journal_web::Config { who5_enabled: false, ..test_config() }
}

async fn operators_can_turn_who5_off(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (_, list) = app.api(&t, "GET", "/api/v1/assessments/instruments", None).await;
    assert!(list.as_array().unwrap().iter().all(|i| i["id"] != "who5"));
    let (status, err) = submit(app, &t, "who5", json!([1, 1, 1, 1, 1])).await;
    assert_eq!(status, 422);
    assert!(err["error"]["message"].as_str().unwrap().contains("not offered"));
}

backend_tests!(config = without_who5(); operators_can_turn_who5_off);

fn phq9_form(csrf: &str, answers: &[&str]) -> Vec<(String, String)> {
    let mut form = vec![("csrf_token".to_owned(), csrf.to_owned())];
    for (i, a) in answers.iter().enumerate() {
        form.push((format!("q{}", i + 1), (*a).to_owned()));
    }
    form
}

async fn the_support_step_comes_before_the_score_without_javascript(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let page = s.client.get(app.url("/assessments/phq9")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Thoughts that you would be better off dead or of hurting yourself in some way"));
    assert!(page.contains("Copyright © Pfizer Inc."));

    let missing =
        s.client.post(app.url("/assessments/phq9")).form(&phq9_form(&s.csrf, &["1", "1"])).send().await.unwrap();
    assert_eq!(missing.status(), 422);
    assert!(missing.text().await.unwrap().contains("Please answer question 3"));

    let calm_answers = ["1", "1", "1", "1", "1", "1", "1", "1", "0"];
    let calm =
        s.client.post(app.url("/assessments/phq9")).form(&phq9_form(&s.csrf, &calm_answers)).send().await.unwrap();
    assert_eq!(calm.status(), 303, "no support step when item 9 is 0");

    let answers = ["0", "0", "0", "0", "0", "0", "0", "0", "1"];
    let res = s.client.post(app.url("/assessments/phq9")).form(&phq9_form(&s.csrf, &answers)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let support = res.text().await.unwrap();
    assert!(support.contains("Are you safe right now?"));
    assert!(support.contains("Nobody reads these answers as you give them"));
    assert!(support.contains("tel:988") && support.contains("tel:116123"));
    assert!(!support.contains("score-number"), "the score comes after the support step");
    let href = support.split("href=\"/assessments/results/").nth(1).unwrap().split('"').next().unwrap();
    let result =
        s.client.get(app.url(&format!("/assessments/results/{href}"))).send().await.unwrap().text().await.unwrap();
    assert!(result.contains("score-number\">1<"), "{result}");
    assert!(result.contains("None to minimal"));
    let index = s.client.get(app.url("/assessments")).send().await.unwrap().text().await.unwrap();
    assert!(index.contains("PHQ-9") && index.contains("None to minimal"));
    assert!(index.contains("<title id=\"phq9-t\">PHQ-9 totals over time</title>"));
    assert!(index.contains("2 PHQ-9 results so far; the latest is 1 (None to minimal)."), "{index}");
}

backend_tests!(the_support_step_comes_before_the_score_without_javascript);
