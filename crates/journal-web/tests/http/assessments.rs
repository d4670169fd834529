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
    assert_eq!(ids, vec!["phq9", "gad7", "who5", "phq4", "phq2", "gad2"], "PSS-10 waits for the operator");
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
        ("pss10", json!([0]), "not offered"),
        ("pcl5", json!([0]), "phq9, gad7, who5, phq4, phq2 or gad2"),
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
    assert_eq!(res.status(), 303);
    let step = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(step.starts_with("/assessments/results/") && step.ends_with("/support"), "{step}");
    let support = s.client.get(app.url(&step)).send().await.unwrap().text().await.unwrap();
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

/// The form as the page sends it: answers, and the random token from the page.
async fn phq9_page_form(app: &TestApp, s: &journal_testkit::Session, answers: &[&str]) -> Vec<(String, String)> {
    let page = s.client.get(app.url("/assessments/phq9")).send().await.unwrap().text().await.unwrap();
    let token = page.split("name=\"submission\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(token.len(), 32, "a random token in each form");
    let mut form = phq9_form(&s.csrf, answers);
    form.push(("submission".to_owned(), token));
    form
}

const ITEM_NINE: [&str; 9] = ["0", "1", "0", "0", "0", "0", "0", "0", "2"];

async fn the_support_step_survives_a_reload_and_a_form_sent_twice_stores_one_result(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let t = app.token("a@example.org", PASSWORD).await;
    let form = phq9_page_form(app, &s, &ITEM_NINE).await;
    let first = s.client.post(app.url("/assessments/phq9")).form(&form).send().await.unwrap();
    assert_eq!(first.status(), 303);
    let step = first.headers()["location"].to_str().unwrap().to_owned();

    // Reloading the step shows it again, not a blank questionnaire.
    for _ in 0..2 {
        let page = s.client.get(app.url(&step)).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("Are you safe right now?") && !page.contains("name=\"q1\""), "{page}");
    }

    // The same form again (a double click, "resend" after a reload): the same result, nothing new.
    let again = s.client.post(app.url("/assessments/phq9")).form(&form).send().await.unwrap();
    assert_eq!((again.status().as_u16(), again.headers()["location"].to_str().unwrap()), (303, step.as_str()));
    let (a, b) = tokio::join!(
        s.client.post(app.url("/assessments/phq9")).form(&form).send(),
        s.client.post(app.url("/assessments/phq9")).form(&form).send()
    );
    for r in [a.unwrap(), b.unwrap()] {
        assert_eq!(r.headers()["location"].to_str().unwrap(), step);
    }
    let (_, list) = app.api(&t, "GET", "/api/v1/assessments", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "one result: {list}");

    // Two clicks at once on a fresh form store one result too.
    let fresh = phq9_page_form(app, &s, &["1", "1", "1", "1", "1", "1", "1", "1", "0"]).await;
    let (a, b) = tokio::join!(
        s.client.post(app.url("/assessments/phq9")).form(&fresh).send(),
        s.client.post(app.url("/assessments/phq9")).form(&fresh).send()
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.headers()["location"], b.headers()["location"]);
    let (_, list) = app.api(&t, "GET", "/api/v1/assessments", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "{list}");

    // A new form is a new result; a damaged token is refused and stores nothing.
    let other = phq9_page_form(app, &s, &ITEM_NINE).await;
    let res = s.client.post(app.url("/assessments/phq9")).form(&other).send().await.unwrap();
    assert_ne!(res.headers()["location"].to_str().unwrap(), step);
    let mut bad = phq9_form(&s.csrf, &ITEM_NINE);
    bad.push(("submission".to_owned(), "<script>".repeat(20)));
    let res = s.client.post(app.url("/assessments/phq9")).form(&bad).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("This form is out of date"));
    let (_, list) = app.api(&t, "GET", "/api/v1/assessments", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 3);

    // Only a hash of the token is kept.
    let token = &form.iter().find(|(k, _)| k == "submission").unwrap().1;
    let raw = app.fixture.raw_bytes();
    assert!(!raw.windows(token.len()).any(|w| w == token.as_bytes()), "the token is stored in clear");

    // A calm result's support address shows its score; another person's is not found.
    let calm_step = format!("{}/support", a.headers()["location"].to_str().unwrap());
    let res = s.client.get(app.url(&calm_step)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    app.register("b@example.org", "client").await;
    let b = app.login("b@example.org", PASSWORD).await;
    assert_eq!(b.client.get(app.url(&step)).send().await.unwrap().status(), 404);
    let mut same_token = phq9_form(&b.csrf, &ITEM_NINE);
    same_token.push(("submission".to_owned(), token.clone()));
    let res = b.client.post(app.url("/assessments/phq9")).form(&same_token).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_ne!(res.headers()["location"].to_str().unwrap(), step, "tokens are per person");
}

async fn the_support_step_offers_to_make_a_safety_plan_when_there_is_none(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let t = app.token("a@example.org", PASSWORD).await;
    let form = phq9_page_form(app, &s, &ITEM_NINE).await;
    let res = s.client.post(app.url("/assessments/phq9")).form(&form).send().await.unwrap();
    let step = res.headers()["location"].to_str().unwrap().to_owned();
    let page = s.client.get(app.url(&step)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("href=\"/safety-plan/edit\">Make a safety plan</a>"), "{page}");
    assert!(!page.contains("The steps you wrote down"), "no plan to point to yet");
    let crisis = s.client.get(app.url("/crisis")).send().await.unwrap().text().await.unwrap();
    assert!(crisis.contains("Make a safety plan") && !crisis.contains("The steps you wrote down"));

    let (status, _) =
        app.api(&t, "PUT", "/api/v1/safety-plan", Some(json!({"internal_coping": ["A walk round the block"]}))).await;
    assert_eq!(status, 200);
    let page = s.client.get(app.url(&step)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("The steps you wrote down") && page.contains("Open my safety plan"), "{page}");
    assert!(!page.contains("Make a safety plan"));
}

async fn register_in(app: &TestApp, email: &str, time_zone: &str) {
    let res = app
        .client()
        .post(app.url("/api/v1/auth/register"))
        .json(&json!({"email": email, "password": PASSWORD, "display_name": "Sam", "role": "client",
            "time_zone": time_zone}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

async fn without_a_country_the_time_zone_suggests_one_and_no_country_comes_first_for_everyone(app: &TestApp) {
    // Signed up in London: British lines first, said to be a guess, changeable in settings.
    register_in(app, "london@example.org", "Europe/London").await;
    let s = app.login("london@example.org", PASSWORD).await;
    let t = app.token("london@example.org", PASSWORD).await;
    let (_, res) = app.api(&t, "GET", "/api/v1/crisis-resources", None).await;
    assert_eq!(res["country"], "GB");
    assert_eq!(res["lines"][0]["name"], "Samaritans");
    assert_eq!(res["emergency_numbers"][0]["number"], "999");
    let form = phq9_page_form(app, &s, &ITEM_NINE).await;
    let res = s.client.post(app.url("/assessments/phq9")).form(&form).send().await.unwrap();
    let step = s.client.get(app.url(res.headers()["location"].to_str().unwrap())).send().await.unwrap();
    let step = step.text().await.unwrap();
    assert!(step.contains("Lines for United Kingdom come first, going by your time zone"), "{step}");
    assert!(step.contains("tel:116123") && !step.contains("tel:988"), "{step}");
    let settings = s.client.get(app.url("/settings/profile")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("<option value=\"GB\" selected>"), "the guess is shown as the choice");
    assert!(settings.contains("going by your time zone: United Kingdom"));

    // Choosing "every country" on purpose sticks, even though the time zone suggests one.
    let res = s
        .client
        .post(app.url("/settings/preferences"))
        .form(&[("csrf_token", s.csrf.as_str()), ("country", ""), ("week_start", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, res) = app.api(&t, "GET", "/api/v1/crisis-resources", None).await;
    assert!(res["country"].is_null());
    assert_eq!(res["lines"][0]["name"], "Find A Helpline", "{res}");
    let settings = s.client.get(app.url("/settings/profile")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("<option value=\"\" selected>") && !settings.contains("going by your time zone"));
    app.api(&t, "PUT", "/api/v1/account/preferences", Some(json!({"country": "AU"}))).await;
    let (_, res) = app.api(&t, "GET", "/api/v1/crisis-resources", None).await;
    assert_eq!(res["lines"][0]["name"], "Lifeline");

    // A time zone that names no country: nobody's lines are put first, on any page.
    register_in(app, "utc@example.org", "UTC").await;
    let u = app.login("utc@example.org", PASSWORD).await;
    let ut = app.token("utc@example.org", PASSWORD).await;
    let (_, res) = app.api(&ut, "GET", "/api/v1/crisis-resources", None).await;
    assert!(res["country"].is_null());
    assert_eq!(res["lines"][0]["name"], "Find A Helpline", "{res}");
    let anonymous: Value =
        app.client().get(app.url("/api/v1/crisis-resources")).send().await.unwrap().json().await.unwrap();
    assert_eq!(anonymous["lines"][0]["name"], "Find A Helpline");
    let form = phq9_page_form(app, &u, &ITEM_NINE).await;
    let res = u.client.post(app.url("/assessments/phq9")).form(&form).send().await.unwrap();
    let step = u.client.get(app.url(res.headers()["location"].to_str().unwrap())).send().await.unwrap();
    let step = step.text().await.unwrap();
    assert!(step.contains("Showing every country's lines"), "{step}");
    let first_line = step.split("<h3>").nth(1).unwrap();
    assert!(first_line.starts_with("Find A Helpline"), "{first_line}");
}

backend_tests!(
    the_support_step_survives_a_reload_and_a_form_sent_twice_stores_one_result,
    the_support_step_offers_to_make_a_safety_plan_when_there_is_none,
    without_a_country_the_time_zone_suggests_one_and_no_country_comes_first_for_everyone,
);
