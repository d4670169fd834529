//! One row that fails to decrypt (here: another person's ciphertext copied into it, as someone
//! with write access to the database could) is marked as damaged; everything else still shows,
//! and the other person's words never do.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

const CANARY: &str = "Bravo's secret canary words";

async fn person(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    let (status, res) = app.api(token, "POST", path, Some(body)).await;
    assert_eq!(status, 201, "{res}");
    res["id"].as_str().unwrap().to_owned()
}

/// Moves `from`'s ciphertext (and, for entries, its wrapped key) into `to`'s row.
async fn swap(app: &TestApp, table: &str, from: &str, to: &str) {
    let key = if table == "entries" {
        format!(", key_wrapped = (SELECT key_wrapped FROM entries WHERE id = '{from}')")
    } else {
        String::new()
    };
    let n = app
        .fixture
        .tamper(&format!(
            "UPDATE {table} SET content = (SELECT content FROM {table} WHERE id = '{from}'){key} WHERE id = '{to}'"
        ))
        .await;
    assert_eq!(n, 1);
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    // Apostrophes in escaped values come as character references.
    (res.status().as_u16(), res.text().await.unwrap().replace("&#39;", "'").replace("&#x27;", "'"))
}

fn no_leak(text: &str) {
    assert!(!text.contains("Bravo") && !text.contains("canary"), "another person's words showed: {text}");
}

async fn a_damaged_entry_is_marked_and_every_other_entry_still_shows(app: &TestApp) {
    let a = person(app, "a@example.org").await;
    let b = person(app, "b@example.org").await;
    let damaged = post(app, &a, "/api/v1/entries", json!({"body": "Alpha one, soon damaged."})).await;
    let fine = post(app, &a, "/api/v1/entries", json!({"body": "Alpha two, still fine."})).await;
    let theirs = post(app, &b, "/api/v1/entries", json!({"body": CANARY})).await;
    // Indexed for search while it still opened.
    let (status, _) = app.api(&a, "GET", "/api/v1/search?q=alpha", None).await;
    assert_eq!(status, 200);
    swap(app, "entries", &theirs, &damaged).await;

    let (status, list) = app.api(&a, "GET", "/api/v1/entries", None).await;
    assert_eq!(status, 200, "{list}");
    let ids: Vec<&str> = list["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [fine.as_str()]);
    assert_eq!(list["damaged"][0]["id"], damaged.as_str(), "{list}");
    assert!(list["damaged"][0]["date"].as_str().is_some_and(|d| d.len() == 10), "{list}");
    no_leak(&list.to_string());

    let (status, err) = app.api(&a, "GET", &format!("/api/v1/entries/{damaged}"), None).await;
    assert_eq!((status, err["error"]["code"].as_str()), (422, Some("item_damaged")), "{err}");
    no_leak(&err.to_string());
    let (status, theirs_still) = app.api(&b, "GET", &format!("/api/v1/entries/{theirs}"), None).await;
    assert_eq!((status, theirs_still["body"].as_str()), (200, Some(CANARY)));

    // Search: the index built before the damage, then a fresh one on another server.
    let (status, found) = app.api(&a, "GET", "/api/v1/search?q=alpha", None).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["items"][0]["entry"]["id"], fine.as_str());
    assert_eq!(found["damaged"][0]["id"], damaged.as_str(), "{found}");
    no_leak(&found.to_string());
    let other = app.sibling().await;
    let res = app.client().get(format!("{other}/api/v1/search?q=alpha")).bearer_auth(&a).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let found: Value = res.json().await.unwrap();
    assert_eq!(found["items"][0]["entry"]["id"], fine.as_str(), "{found}");
    assert_eq!(found["damaged"][0]["id"], damaged.as_str(), "{found}");

    // The pages.
    let s = app.login("a@example.org", PASSWORD).await;
    let (status, journal) = page(&s.client, app, "/journal").await;
    assert_eq!(status, 200);
    assert!(journal.contains("This entry can't be opened") && journal.contains("Alpha two"), "{journal}");
    no_leak(&journal);
    let (status, one) = page(&s.client, app, &format!("/journal/{damaged}")).await;
    assert_eq!(status, 422);
    assert!(one.contains("can't be opened"), "{one}");
    no_leak(&one);
    let (status, search) = page(&s.client, app, "/search?q=alpha").await;
    assert_eq!(status, 200);
    assert!(search.contains("Alpha two") && search.contains("can't be opened"), "{search}");
    no_leak(&search);
}

async fn a_damaged_check_in_is_marked_and_every_other_one_still_counts(app: &TestApp) {
    let a = person(app, "a@example.org").await;
    let b = person(app, "b@example.org").await;
    let damaged = post(app, &a, "/api/v1/moods", json!({"score": 2, "note": "Soon damaged."})).await;
    let fine = post(app, &a, "/api/v1/moods", json!({"score": 4, "note": "Still fine."})).await;
    let theirs = post(app, &b, "/api/v1/moods", json!({"score": 5, "note": CANARY})).await;
    swap(app, "moods", &theirs, &damaged).await;

    let (status, list) = app.api(&a, "GET", "/api/v1/moods", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["items"][0]["id"], fine.as_str());
    assert_eq!(list["damaged"][0]["id"], damaged.as_str(), "{list}");
    no_leak(&list.to_string());

    let (status, insights) = app.api(&a, "GET", "/api/v1/insights", None).await;
    assert_eq!(status, 200, "{insights}");
    assert_eq!(insights["damaged"], 1, "{insights}");
    assert_eq!(insights["mood"]["count"], 1, "only the check-in that opens counts: {insights}");
    no_leak(&insights.to_string());
    let (status, err) = app.api(&a, "PATCH", &format!("/api/v1/moods/{damaged}"), Some(json!({"score": 3}))).await;
    assert_eq!((status, err["error"]["code"].as_str()), (422, Some("item_damaged")), "{err}");
    no_leak(&err.to_string());

    let s = app.login("a@example.org", PASSWORD).await;
    let (status, mood) = page(&s.client, app, "/mood").await;
    assert_eq!(status, 200);
    assert!(mood.contains("This check-in can't be opened") && mood.contains("Still fine."), "{mood}");
    no_leak(&mood);
    let (status, insights) = page(&s.client, app, "/insights").await;
    assert_eq!(status, 200);
    assert!(insights.contains("One check-in can't be opened"), "{insights}");
    no_leak(&insights);

    // A damaged check-in can still be deleted, and then nothing is marked any more.
    let (status, _) = app.api(&a, "DELETE", &format!("/api/v1/moods/{damaged}"), None).await;
    assert_eq!(status, 204);
    let (_, list) = app.api(&a, "GET", "/api/v1/moods", None).await;
    assert_eq!((list["items"].as_array().unwrap().len(), list.get("damaged")), (1, None), "{list}");
}

async fn a_damaged_goal_is_left_out_and_every_other_goal_still_shows(app: &TestApp) {
    let a = person(app, "a@example.org").await;
    let b = person(app, "b@example.org").await;
    let goal =
        |title: &str| json!({"title": title, "category": "physical_activity", "cadence": {"times": 1, "per": "day"}});
    let damaged = post(app, &a, "/api/v1/goals", goal("Soon damaged walk")).await;
    let fine = post(app, &a, "/api/v1/goals", goal("Still fine stretch")).await;
    let theirs = post(app, &b, "/api/v1/goals", goal(CANARY)).await;
    swap(app, "goals", &theirs, &damaged).await;

    let (status, list) = app.api(&a, "GET", "/api/v1/goals", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["items"][0]["id"], fine.as_str());
    assert_eq!(list["damaged"][0]["id"], damaged.as_str(), "{list}");
    no_leak(&list.to_string());
    let (status, err) = app.api(&a, "GET", &format!("/api/v1/goals/{damaged}"), None).await;
    assert_eq!((status, err["error"]["code"].as_str()), (422, Some("item_damaged")), "{err}");

    let s = app.login("a@example.org", PASSWORD).await;
    let (status, goals) = page(&s.client, app, "/goals").await;
    assert_eq!(status, 200);
    assert!(goals.contains("One goal can't be opened") && goals.contains("Still fine stretch"), "{goals}");
    no_leak(&goals);
}

/// Questionnaire results: the person's list, the page, a linked therapist's view of shared
/// results and moods, and the metrics key's replacement after the link ends all carry on past one
/// damaged result and one damaged check-in.
async fn a_damaged_result_is_left_out_everywhere_results_are_read(app: &TestApp) {
    let a = person(app, "a@example.org").await;
    let b = person(app, "b@example.org").await;
    let phq9 = |last: u8| json!({"instrument": "phq9", "answers": [1, 1, 1, 0, 0, 0, 0, 0, last]});
    let damaged = post(app, &a, "/api/v1/assessments", phq9(0)).await;
    let fine = post(app, &a, "/api/v1/assessments", phq9(0)).await;
    let theirs = post(app, &b, "/api/v1/assessments", phq9(0)).await;
    swap(app, "assessments", &theirs, &damaged).await;
    let bad_mood = post(app, &a, "/api/v1/moods", json!({"score": 2})).await;
    post(app, &a, "/api/v1/moods", json!({"score": 4})).await;
    let their_mood = post(app, &b, "/api/v1/moods", json!({"score": 5, "note": CANARY})).await;
    swap(app, "moods", &their_mood, &bad_mood).await;

    let (status, list) = app.api(&a, "GET", "/api/v1/assessments", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["items"][0]["id"], fine.as_str());
    assert_eq!(list["damaged"][0]["id"], damaged.as_str(), "{list}");
    let s = app.login("a@example.org", PASSWORD).await;
    for path in ["/assessments", "/insights", "/prompts", "/"] {
        let (status, html) = page(&s.client, app, path).await;
        assert_eq!(status, 200, "{path}: {html}");
        no_leak(&html);
    }

    // A therapist the person shares results and mood with still sees the rest.
    app.register("t@example.org", "therapist").await;
    let t = app.token("t@example.org", PASSWORD).await;
    let (_, invite) = app.api(&t, "POST", "/api/v1/invites", None).await;
    let (status, link) =
        app.api(&a, "POST", "/api/v1/connections", Some(json!({"code": invite["code"].as_str().unwrap()}))).await;
    assert_eq!(status, 201, "{link}");
    let connection = link["id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .api(
            &a,
            "PUT",
            &format!("/api/v1/connections/{connection}/metrics"),
            Some(json!({"mood": true, "assessments": true})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, me) = app.api(&a, "GET", "/api/v1/session", None).await;
    let client_id = me["user"]["id"].as_str().unwrap().to_owned();
    for what in ["assessments", "moods"] {
        let (status, seen) = app.api(&t, "GET", &format!("/api/v1/clients/{client_id}/{what}"), None).await;
        assert_eq!(status, 200, "{what}: {seen}");
        let items = seen.get("items").unwrap_or(&seen);
        assert_eq!(items.as_array().map(Vec::len), Some(1), "{what}: {seen}");
        no_leak(&seen.to_string());
    }
    let (status, caseload) = app.api(&t, "GET", "/api/v1/clients", None).await;
    assert_eq!(status, 200, "{caseload}");

    // Shared entries: one damaged after it was shared is left out of the list, and its own
    // address says it can't be opened.
    let entry = |title: &str| json!({"title": title, "body": "Words for my therapist."});
    let spoiled = post(app, &a, "/api/v1/entries", entry("Soon damaged")).await;
    let kept = post(app, &a, "/api/v1/entries", entry("Still fine")).await;
    for id in [&spoiled, &kept] {
        let (status, _) = app
            .api(&a, "POST", &format!("/api/v1/entries/{id}/shares"), Some(json!({"connection_id": connection})))
            .await;
        assert_eq!(status, 201);
    }
    let their_entry = post(app, &b, "/api/v1/entries", json!({"title": CANARY, "body": CANARY})).await;
    swap(app, "entries", &their_entry, &spoiled).await;
    let (status, shared) = app.api(&t, "GET", &format!("/api/v1/clients/{client_id}/entries"), None).await;
    assert_eq!(status, 200, "{shared}");
    assert_eq!(shared["items"].as_array().map(Vec::len), Some(1), "{shared}");
    assert_eq!(shared["items"][0]["id"], kept.as_str());
    no_leak(&shared.to_string());
    let (status, err) = app.api(&t, "GET", &format!("/api/v1/clients/{client_id}/entries/{spoiled}"), None).await;
    assert_eq!((status, err["error"]["code"].as_str()), (422, Some("item_damaged")), "{err}");

    // Ending the link replaces the metrics key; the damaged rows stay damaged, the rest re-seal.
    assert_eq!(app.api(&a, "DELETE", &format!("/api/v1/connections/{connection}"), None).await.0, 204);
    let (status, list) = app.api(&a, "GET", "/api/v1/assessments", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        (list["items"][0]["id"].as_str(), list["damaged"][0]["id"].as_str()),
        (Some(fine.as_str()), Some(damaged.as_str()))
    );
    let (status, moods) = app.api(&a, "GET", "/api/v1/moods", None).await;
    assert_eq!((status, moods["items"].as_array().map(Vec::len)), (200, Some(1)), "{moods}");
}

backend_tests!(
    a_damaged_entry_is_marked_and_every_other_entry_still_shows,
    a_damaged_check_in_is_marked_and_every_other_one_still_counts,
    a_damaged_goal_is_left_out_and_every_other_goal_still_shows,
    a_damaged_result_is_left_out_everywhere_results_are_read,
);
