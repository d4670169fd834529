//! The short forms and the PSS-10 through the API and the pages, on both backends: scored as
//! published, a positive screen offering the full questionnaire, the PSS-10 only when the
//! operator turns it on, and bad input refused with nothing stored.

use journal_core::assessments::InstrumentId;
use journal_testkit::{PASSWORD, TestApp, backend_tests, test_config};
use serde_json::{Value, json};

async fn client(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

async fn submit(app: &TestApp, t: &str, instrument: &str, answers: Value) -> (u16, Value) {
    app.api(t, "POST", "/api/v1/assessments", Some(json!({"instrument": instrument, "answers": answers}))).await
}

async fn stored(app: &TestApp, t: &str) -> usize {
    let (_, list) = app.api(t, "GET", "/api/v1/assessments", None).await;
    list["items"].as_array().unwrap().len()
}

async fn short_forms_score_and_offer_the_full_questionnaire(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (_, list) = app.api(&t, "GET", "/api/v1/assessments/instruments", None).await;
    let phq4 = list.as_array().unwrap().iter().find(|i| i["id"] == "phq4").unwrap();
    assert_eq!(phq4["items"][0]["text"], "Feeling nervous, anxious or on edge");
    assert_eq!(
        phq4["screens"][1],
        json!({"key": "depression", "label": "Depression", "items": [3, 4], "positive_at": 3, "follow_up": "phq9"})
    );
    assert_eq!(phq4["bands"][3]["min"], 9);
    assert!(phq4["copyright"].as_str().unwrap().starts_with("Copyright © Pfizer Inc."));
    let phq2 = list.as_array().unwrap().iter().find(|i| i["id"] == "phq2").unwrap();
    assert_eq!((phq2["panel_loinc"].as_str(), phq2["total_loinc"].as_str()), (Some("55757-9"), Some("55758-7")));

    // PHQ-2 at 3 offers the PHQ-9; at 2 nothing.
    let (status, r) = submit(app, &t, "phq2", json!([1, 2])).await;
    assert_eq!(status, 201, "{r}");
    assert_eq!((r["total"].as_u64(), r["severity"].as_str()), (Some(3), Some("positive")));
    assert_eq!(r["next"], json!(["phq9"]));
    assert_eq!(r["screens"], json!([{"key": "depression", "total": 3, "positive": true}]));
    let (_, r) = submit(app, &t, "phq2", json!([1, 1])).await;
    assert_eq!((r["severity"].as_str(), r["next"].clone()), (Some("negative"), json!([])));
    assert_eq!(r["change"]["reliable"], false, "no published threshold for the PHQ-2");
    // GAD-2 at 3 offers the GAD-7.
    let (_, r) = submit(app, &t, "gad2", json!([3, 0])).await;
    assert_eq!(r["next"], json!(["gad7"]));
    // PHQ-4 by hand: anxiety 0 + 1, depression 3 + 2; total 6, moderate; offers the PHQ-9.
    let (_, r) = submit(app, &t, "phq4", json!([0, 1, 3, 2])).await;
    assert_eq!((r["total"].as_u64(), r["severity"].as_str()), (Some(6), Some("moderate")));
    assert_eq!(r["screens"][0], json!({"key": "anxiety", "total": 1, "positive": false}));
    assert_eq!(r["screens"][1], json!({"key": "depression", "total": 5, "positive": true}));
    assert_eq!(r["next"], json!(["phq9"]));
    assert_eq!(r["flags"]["self_harm"], false);
    // The full forms carry no offer and an empty screen list.
    let (_, r) = submit(app, &t, "phq9", json!([1, 1, 1, 1, 1, 1, 1, 1, 0])).await;
    assert_eq!((r["next"].clone(), r["screens"].clone()), (json!([]), json!([])));
    assert_eq!(stored(app, &t).await, 5);
    // The FHIR export carries the PHQ-2 with its LOINC codes.
    let (status, fhir) = app.api(&t, "GET", "/api/v1/account/export/fhir", None).await;
    assert_eq!(status, 200);
    assert!(fhir.to_string().contains("http://loinc.org/q/55757-9"));
}

async fn bad_short_form_input_is_refused_and_nothing_is_stored(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let cases = [
        ("phq4", json!([0, 0, 0]), "PHQ-4 needs 4 answers; 3 were given."),
        ("phq4", json!([0, 0, 0, 0, 0]), "PHQ-4 needs 4 answers; 5 were given."),
        ("phq2", json!([0, 4]), "Question 2 needs an answer from 0 to 3."),
        ("gad2", json!([-1, 0]), "Question 1 needs an answer from 0 to 3."),
        ("pss10", json!([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), "The PSS-10 questionnaire is not offered on this journal."),
        ("ors", json!([0]), "Choose phq9, gad7, who5, phq4, phq2 or gad2."),
        ("PHQ4", json!([0, 0, 0, 0]), "Choose phq9"),
    ];
    for (instrument, answers, message) in cases {
        let (status, err) = submit(app, &t, instrument, answers).await;
        assert_eq!(status, 422, "{instrument}: {err}");
        assert!(err["error"]["message"].as_str().unwrap().contains(message), "{err}");
    }
    let (status, _) = app.api(&t, "GET", "/api/v1/assessments?instrument=pss10", None).await;
    assert_eq!(status, 422);
    assert_eq!(stored(app, &t).await, 0, "nothing stored");
    // The page of a questionnaire that is not offered does not exist.
    app.register("p@example.org", "client").await;
    let s = app.login("p@example.org", PASSWORD).await;
    let res = s.client.get(app.url("/assessments/pss10")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let index = s.client.get(app.url("/assessments")).send().await.unwrap().text().await.unwrap();
    assert!(index.contains("Answer the PHQ-4") && !index.contains("PSS-10"));
}

backend_tests!(
    short_forms_score_and_offer_the_full_questionnaire,
    bad_short_form_input_is_refused_and_nothing_is_stored
);

fn with_pss10() -> journal_web::Config {
    journal_web::Config { enabled_instruments: vec![InstrumentId::Pss10], ..test_config() }
}

async fn operators_can_turn_pss10_on(app: &TestApp) {
    let t = client(app, "a@example.org").await;
    let (_, list) = app.api(&t, "GET", "/api/v1/assessments/instruments", None).await;
    let pss = list.as_array().unwrap().iter().find(|i| i["id"] == "pss10").expect("offered");
    assert_eq!(pss["reverse_scored"], json!([4, 5, 7, 8]));
    assert_eq!(pss["options"][4]["label"], "Very often");
    // By hand: forward items 2 + 3 + 1 + 2 + 0 + 4 = 12; items 4, 5, 7, 8 answered 1, 3, 0, 4
    // count 3, 1, 4, 0 = 8; total 20, moderate.
    let (status, r) = submit(app, &t, "pss10", json!([2, 3, 1, 1, 3, 2, 0, 4, 0, 4])).await;
    assert_eq!(status, 201, "{r}");
    assert_eq!((r["total"].as_u64(), r["severity"].as_str()), (Some(20), Some("moderate")));
    assert_eq!(r["answers"], json!([2, 3, 1, 1, 3, 2, 0, 4, 0, 4]), "answers kept as given");
    let (status, err) = submit(app, &t, "pss10", json!([0, 0, 0, 5, 0, 0, 0, 0, 0, 0])).await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["message"], "Question 4 needs an answer from 0 to 4.");
    assert_eq!(stored(app, &t).await, 1);
}

backend_tests!(config = with_pss10(); operators_can_turn_pss10_on);

async fn a_positive_phq2_page_offers_the_phq9(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let page = s.client.get(app.url("/assessments/phq2")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Little interest or pleasure in doing things") && !page.contains("name=\"q3\""));
    let form = |a: &str, b: &str| {
        vec![
            ("csrf_token".to_owned(), s.csrf.clone()),
            ("q1".to_owned(), a.to_owned()),
            ("q2".to_owned(), b.to_owned()),
        ]
    };
    let res = s.client.post(app.url("/assessments/phq2")).form(&form("2", "1")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let result = s.client.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(result.contains("At or above the screening cut-off"), "{result}");
    assert!(result.contains("href=\"/assessments/phq9\">Answer the PHQ-9</a>"), "{result}");
    let res = s.client.post(app.url("/assessments/phq2")).form(&form("1", "0")).send().await.unwrap();
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let result = s.client.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(result.contains("Below the screening cut-off") && !result.contains("Answer the PHQ-9"));
    // PHQ-4 shows both subscales.
    let res = s
        .client
        .post(app.url("/assessments/phq4"))
        .form(&[("csrf_token", s.csrf.as_str()), ("q1", "3"), ("q2", "0"), ("q3", "0"), ("q4", "0")])
        .send()
        .await
        .unwrap();
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let result = s.client.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(result.contains("Anxiety: 3 of 6, at or above the screening cut-off of 3"), "{result}");
    assert!(result.contains("Depression: 0 of 6") && result.contains("Answer the GAD-7"));
}

backend_tests!(a_positive_phq2_page_offers_the_phq9);
