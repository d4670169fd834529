//! A therapist proposes a questionnaire schedule and a session date; the client accepts or
//! declines. On both backends; bad input and unlinked clients store nothing.

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

async fn schedule(app: &TestApp, client: &str) -> Value {
    app.api(client, "GET", "/api/v1/assessments/schedule", None).await.1["items"].clone()
}

async fn a_therapist_proposes_and_the_client_accepts_or_declines(app: &TestApp) {
    let (client, client_id) = person(app, "client@example.org", "client").await;
    let (therapist, _) = person(app, "therapist@example.org", "therapist").await;
    let (stranger, _) = person(app, "stranger@example.org", "therapist").await;
    let connection = link(app, &client, &therapist).await;
    let path = format!("/api/v1/clients/{client_id}/schedule-proposal");
    let mine = format!("/api/v1/connections/{connection}/schedule-proposal");
    let weekly_phq4 = json!({"instrument": "phq4", "every": "weeks", "weeks": 1});

    // A schedule needs the client to share questionnaires; nothing is stored till then.
    let (status, e) = app.api(&therapist, "POST", &path, Some(weekly_phq4.clone())).await;
    assert_eq!((status, e["error"]["field"].as_str()), (422, Some("schedule")), "{e}");
    assert_eq!(app.api(&client, "GET", &mine, None).await.0, 404, "nothing proposed");
    // A session date alone is fine.
    let (status, p) = app.api(&therapist, "POST", &path, Some(json!({"session_date": "2030-03-14"}))).await;
    assert_eq!(status, 201, "{p}");
    let (_, seen) = app.api(&client, "GET", &mine, None).await;
    assert_eq!((seen["session_date"].as_str(), seen["status"].as_str()), (Some("2030-03-14"), Some("pending")));
    let id = seen["id"].as_str().unwrap().to_owned();
    let (status, done) = app.api(&client, "POST", &format!("{mine}/{id}/accept"), None).await;
    assert_eq!((status, done["status"].as_str()), (200, Some("accepted")), "{done}");
    let (_, session) = app.api(&client, "GET", "/api/v1/prompts/session", None).await;
    assert!(session.to_string().contains("2030-03-14"), "the date is the client's now: {session}");
    assert_eq!(app.api(&client, "POST", &format!("{mine}/{id}/accept"), None).await.0, 404, "answered once");

    // With questionnaires shared: a weekly PHQ-4, declined, changes nothing; accepted, it's theirs.
    let body = json!({"mood": false, "assessments": true});
    assert_eq!(app.api(&client, "PUT", &format!("/api/v1/connections/{connection}/metrics"), Some(body)).await.0, 200);
    let (status, p) = app.api(&therapist, "POST", &path, Some(weekly_phq4.clone())).await;
    assert_eq!(status, 201, "{p}");
    let id = p["id"].as_str().unwrap().to_owned();
    let (status, d) = app.api(&client, "POST", &format!("{mine}/{id}/decline"), None).await;
    assert_eq!((status, d["status"].as_str()), (200, Some("declined")));
    assert_eq!(schedule(app, &client).await, json!([]));
    let (_, p) = app.api(&therapist, "POST", &path, Some(weekly_phq4.clone())).await;
    let id = p["id"].as_str().unwrap().to_owned();
    assert_eq!(app.api(&client, "POST", &format!("{mine}/{id}/accept"), None).await.0, 200);
    let items = schedule(app, &client).await;
    assert_eq!((items[0]["instrument"].as_str(), items[0]["weeks"].as_u64()), (Some("phq4"), Some(1)), "{items}");

    // Bad input: each a clear 4xx, nothing stored (the accepted proposal stays the current one).
    for (body, field) in [
        (json!({"instrument": "nope", "every": "weeks", "weeks": 1}), "instrument"),
        (json!({"instrument": "pss10", "every": "weeks", "weeks": 1}), "instrument"),
        (json!({"instrument": "phq9", "every": "weeks", "weeks": 40}), "weeks"),
        (json!({"instrument": "phq9", "every": "monthly"}), "every"),
        (json!({"instrument": "phq9"}), "every"),
        (json!({}), "schedule"),
        (json!({"session_date": "soon"}), "session_date"),
    ] {
        let (status, e) = app.api(&therapist, "POST", &path, Some(body.clone())).await;
        assert_eq!((status, e["error"]["field"].as_str()), (422, Some(field)), "{body}: {e}");
    }
    assert_eq!(app.api(&client, "GET", &mine, None).await.1["id"], id.as_str(), "nothing replaced it");

    // Not linked, or the wrong side: 404, and nothing stored.
    assert_eq!(app.api(&stranger, "POST", &path, Some(weekly_phq4.clone())).await.0, 404);
    assert_eq!(app.api(&client, "POST", &path, Some(weekly_phq4.clone())).await.0, 404);
    assert_eq!(app.api(&therapist, "GET", &mine, None).await.0, 404);
    assert_eq!(
        app.api(&stranger, "POST", "/api/v1/clients/not-an-id/schedule-proposal", Some(weekly_phq4)).await.0,
        404
    );
    assert_eq!(app.api(&client, "GET", &mine, None).await.1["id"], id.as_str());
    // The proposal is sealed: its instrument isn't readable in the database.
    let raw = app.fixture.raw_bytes();
    assert!(!raw.windows(6).any(|w| w == b"\"phq4\""), "sealed");
}

async fn the_pages_propose_and_accept(app: &TestApp) {
    let (client, client_id) = person(app, "client@example.org", "client").await;
    let (therapist, _) = person(app, "therapist@example.org", "therapist").await;
    let connection = link(app, &client, &therapist).await;
    let body = json!({"mood": false, "assessments": true});
    app.api(&client, "PUT", &format!("/api/v1/connections/{connection}/metrics"), Some(body)).await;

    let t = app.login("therapist@example.org", PASSWORD).await;
    let form = format!("/therapist/clients/{client_id}/schedule-proposal");
    let page = t.client.get(app.url(&form)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Before each session"), "{page}");
    let bad = [("csrf_token", t.csrf.as_str()), ("instrument", "phq9"), ("every", "often"), ("session_date", "")];
    let res = t.client.post(app.url(&form)).form(&bad).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("proposal-error"));
    let good =
        [("csrf_token", t.csrf.as_str()), ("instrument", "phq4"), ("every", "session"), ("session_date", "2030-03-14")];
    let res = t.client.post(app.url(&form)).form(&good).send().await.unwrap();
    assert_eq!(res.status(), 303);

    let c = app.login("client@example.org", PASSWORD).await;
    let mine = format!("/connections/{connection}/schedule-proposal");
    let page = c.client.get(app.url(&mine)).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("The PHQ-4 in the days before each session") && page.contains("Next session on 2030-03-14"),
        "{page}"
    );
    let (_, p) = app.api(&client, "GET", &format!("/api/v1{mine}"), None).await;
    let accept = format!("{mine}/{}/accept", p["id"].as_str().unwrap());
    let res = c.client.post(app.url(&accept)).form(&[("csrf_token", c.csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let page = c.client.get(app.url(&mine)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("You accepted this"), "{page}");
    assert_eq!(schedule(app, &client).await[0]["every"], "session");
    // A stranger's page is a 404.
    person(app, "stranger@example.org", "therapist").await;
    let s = app.login("stranger@example.org", PASSWORD).await;
    assert_eq!(s.client.get(app.url(&form)).send().await.unwrap().status(), 404);
}

backend_tests!(a_therapist_proposes_and_the_client_accepts_or_declines, the_pages_propose_and_accept);
