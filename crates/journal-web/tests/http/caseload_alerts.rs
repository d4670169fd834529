//! Caseload alerts over HTTP, on both backends: a reliable deterioration or a newly positive
//! PHQ-9 item 9 in shared results puts the client first with the reason and date until the
//! therapist marks it seen; nothing appears while questionnaires are not shared.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

async fn person(app: &TestApp, email: &str, role: &str) -> (String, String) {
    let r = app.register(email, role).await;
    (app.token(email, PASSWORD).await, r.id)
}

async fn link(app: &TestApp, client: &str, therapist: &str) -> String {
    let (_, invite) = app.api(therapist, "POST", "/api/v1/invites", None).await;
    let (status, c) =
        app.api(client, "POST", "/api/v1/connections", Some(json!({"code": invite["code"].as_str().unwrap()}))).await;
    assert_eq!(status, 201, "{c}");
    c["id"].as_str().unwrap().to_owned()
}

async fn share(app: &TestApp, client: &str, connection: &str, mood: bool, assessments: bool) {
    let body = json!({"mood": mood, "assessments": assessments});
    let (status, r) = app.api(client, "PUT", &format!("/api/v1/connections/{connection}/metrics"), Some(body)).await;
    assert_eq!(status, 200, "{r}");
}

async fn take(app: &TestApp, t: &str, instrument: &str, answers: Value) {
    let body = json!({"instrument": instrument, "answers": answers});
    let (status, r) = app.api(t, "POST", "/api/v1/assessments", Some(body)).await;
    assert_eq!(status, 201, "{r}");
}

async fn caseload(app: &TestApp, therapist: &str) -> Vec<Value> {
    let (status, list) = app.api(therapist, "GET", "/api/v1/clients", None).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

fn row<'a>(list: &'a [Value], client_id: &str) -> &'a Value {
    list.iter().find(|r| r["client"]["id"] == client_id).unwrap()
}

async fn mark_seen(app: &TestApp, t: &str, client_id: &str) -> u16 {
    app.api(t, "POST", &format!("/api/v1/clients/{client_id}/alerts/seen"), None).await.0
}

async fn shared_deterioration_is_flagged_until_seen(app: &TestApp) {
    let (client, client_id) = person(app, "client@example.org", "client").await;
    let (other, other_id) = person(app, "other@example.org", "client").await;
    let (therapist, _) = person(app, "therapist@example.org", "therapist").await;
    let connection = link(app, &client, &therapist).await;
    let other_connection = link(app, &other, &therapist).await;

    // PHQ-9 4 → 12: a reliable deterioration, but not shared yet.
    take(app, &client, "phq9", json!([1, 1, 1, 1, 0, 0, 0, 0, 0])).await;
    take(app, &client, "phq9", json!([2, 2, 2, 2, 1, 1, 1, 1, 0])).await;
    // The other client deteriorates too and never shares questionnaires, only mood.
    take(app, &other, "gad7", json!([0, 0, 0, 0, 0, 0, 0])).await;
    take(app, &other, "gad7", json!([3, 3, 3, 3, 3, 3, 3])).await;
    share(app, &other, &other_connection, true, false).await;
    app.api(&other, "POST", "/api/v1/moods", Some(json!({"score": 3}))).await;
    let list = caseload(app, &therapist).await;
    assert!(list.iter().all(|r| r["alert"].is_null()), "nothing shared, nothing flagged: {list:?}");
    assert_eq!(mark_seen(app, &therapist, &client_id).await, 404, "not shared");

    // Shared: the client comes first, above the more recently active one, with reason and date.
    share(app, &client, &connection, false, true).await;
    let list = caseload(app, &therapist).await;
    assert_eq!(list[0]["client"]["id"], client_id.as_str(), "{list:?}");
    let alert = &list[0]["alert"];
    assert_eq!((alert["instrument"].as_str(), alert["kind"].as_str()), (Some("PHQ-9"), Some("reliable_deterioration")));
    assert!(alert["reason"].as_str().unwrap().contains("4 → 12: 8 points worse"), "{alert}");
    assert_eq!(alert["date"].as_str().unwrap().len(), 10);
    assert_eq!(alert["unseen"], 1);
    assert!(row(&list, &other_id)["alert"].is_null(), "the other client shares no questionnaires");

    // Only the therapist can mark it seen, and only for their own linked clients.
    assert_eq!(mark_seen(app, &client, &client_id).await, 404);
    assert_eq!(mark_seen(app, &therapist, "not-a-client").await, 404);
    assert_eq!(mark_seen(app, &therapist, &other_id).await, 404, "the other shares no questionnaires");
    assert_eq!(mark_seen(app, &therapist, &client_id).await, 204);
    let list = caseload(app, &therapist).await;
    assert!(row(&list, &client_id)["alert"].is_null(), "seen: {list:?}");

    // A newer result raises a new one: PHQ-9 item 9 newly above 0 (total 13, only 1 point up).
    take(app, &client, "phq9", json!([2, 2, 2, 2, 1, 1, 1, 1, 1])).await;
    let list = caseload(app, &therapist).await;
    let alert = &row(&list, &client_id)["alert"];
    assert_eq!(alert["kind"], "self_harm_newly_positive", "{alert}");
    assert!(alert["reason"].as_str().unwrap().contains("item 9"));

    // On the page, with a "Mark seen" button that works without JavaScript.
    let s = app.login("therapist@example.org", PASSWORD).await;
    let page = s.client.get(app.url("/therapist")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Needs attention:") && page.contains("newly above 0"), "{page}");
    let action = format!("/therapist/clients/{client_id}/alerts/seen");
    assert!(page.contains(&format!("action=\"{action}\"")));
    let res = s.client.post(app.url(&action)).form(&[("csrf_token", s.csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let page = s.client.get(app.url("/therapist")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Needs attention:"), "{page}");
    // Without the CSRF token nothing changes.
    let res = s.client.post(app.url(&action)).form(&[("x", "y")]).send().await.unwrap();
    assert!(res.status().is_client_error());

    // WHO-5 falling 60 % → 48 % is a deterioration: higher is better.
    take(app, &client, "who5", json!([3, 3, 3, 3, 3])).await;
    take(app, &client, "who5", json!([3, 3, 3, 3, 0])).await;
    let list = caseload(app, &therapist).await;
    let alert = &row(&list, &client_id)["alert"];
    assert_eq!((alert["instrument"].as_str(), alert["kind"].as_str()), (Some("WHO-5"), Some("reliable_deterioration")));
    assert!(alert["reason"].as_str().unwrap().contains("60 → 48"), "{alert}");

    // Sharing stops: the alert goes with it, and comes back only with sharing.
    share(app, &client, &connection, false, false).await;
    let list = caseload(app, &therapist).await;
    assert!(list.iter().all(|r| r["alert"].is_null()), "{list:?}");
    share(app, &client, &connection, false, true).await;
    assert_eq!(caseload(app, &therapist).await[0]["alert"]["instrument"], "WHO-5");

    // The seen marks are sealed: no client id or time in clear beside the document kind.
    let raw = app.fixture.raw_bytes();
    assert!(!raw.windows(9).any(|w| w == b"\"through\""), "nothing readable");
}

async fn the_client_is_told_before_linking(app: &TestApp) {
    let (_, _) = person(app, "therapist@example.org", "therapist").await;
    let therapist = app.token("therapist@example.org", PASSWORD).await;
    let (_, invite) = app.api(&therapist, "POST", "/api/v1/invites", None).await;
    app.register("client@example.org", "client").await;
    let s = app.login("client@example.org", PASSWORD).await;
    let page = s
        .client
        .post(app.url("/connections/preview"))
        .form(&[("csrf_token", s.csrf.as_str()), ("code", invite["code"].as_str().unwrap())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("a result shows things getting noticeably harder"), "{page}");
}

async fn a_newly_positive_item_nine_is_said_once(app: &TestApp) {
    let (client, _) = person(app, "client@example.org", "client").await;
    let (therapist, _) = person(app, "therapist@example.org", "therapist").await;
    let connection = link(app, &client, &therapist).await;
    share(app, &client, &connection, false, true).await;
    take(app, &client, "phq9", json!([1, 1, 1, 1, 0, 0, 0, 0, 1])).await;
    let list = caseload(app, &therapist).await;
    assert_eq!(list[0]["alert"]["kind"], "self_harm_newly_positive", "{list:?}");
    let s = app.login("therapist@example.org", PASSWORD).await;
    let page = s.client.get(app.url("/therapist")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Needs attention:") && page.contains("newly above 0"), "{page}");
    assert!(!page.contains("Private flag:"), "the same answer is not announced twice: {page}");
}

backend_tests!(
    shared_deterioration_is_flagged_until_seen,
    the_client_is_told_before_linking,
    a_newly_positive_item_nine_is_said_once
);
