//! The therapist bridge end to end over HTTP, on both backends: linking, per-item sharing,
//! comments, homework, metrics sharing, the access log and its chain, revoking and unlinking, and
//! the authorization matrix.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

struct People {
    client: String,
    client_id: String,
    therapist: String,
    connection: String,
}

async fn person(app: &TestApp, email: &str, role: &str) -> (String, String) {
    let r = app.register(email, role).await;
    (app.token(email, PASSWORD).await, r.id)
}

async fn link(app: &TestApp, client: &str, therapist: &str) -> String {
    let (status, invite) = app.api(therapist, "POST", "/api/v1/invites", None).await;
    assert_eq!(status, 201, "{invite}");
    let code = invite["code"].as_str().unwrap();
    let (status, c) = app.api(client, "POST", "/api/v1/connections", Some(json!({"code": code}))).await;
    assert_eq!(status, 201, "{c}");
    c["id"].as_str().unwrap().to_owned()
}

async fn linked(app: &TestApp) -> People {
    let (client, client_id) = person(app, "client@example.org", "client").await;
    let (therapist, _) = person(app, "therapist@example.org", "therapist").await;
    let connection = link(app, &client, &therapist).await;
    People { client, client_id, therapist, connection }
}

async fn write(app: &TestApp, token: &str, body: Value) -> String {
    let (status, e) = app.api(token, "POST", "/api/v1/entries", Some(body)).await;
    assert_eq!(status, 201, "{e}");
    e["id"].as_str().unwrap().to_owned()
}

async fn chain_problems(app: &TestApp) -> Vec<journal_core::bridge::ChainProblem> {
    let (rows, heads) = app.store.access_log_all().await.unwrap();
    journal_core::bridge::verify(&rows, &heads, &app.state.config.access_log_key)
}

async fn a_client_links_shares_and_revokes(app: &TestApp) {
    const CANARY: &str = "the marmalade canary lighthouse sentence";
    let (client, _) = person(app, "client@example.org", "client").await;
    let (therapist, therapist_id) = person(app, "therapist@example.org", "therapist").await;

    // Invites: therapists make them, clients see who they're from before linking.
    assert_eq!(app.api(&client, "POST", "/api/v1/invites", None).await.0, 404, "clients don't make invites");
    let (_, invite) = app.api(&therapist, "POST", "/api/v1/invites", None).await;
    let code = invite["code"].as_str().unwrap().to_owned();
    let (status, preview) = app.api(&client, "GET", &format!("/api/v1/invites/{}", code.to_lowercase()), None).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["therapist"]["id"], therapist_id.as_str());
    assert_eq!(preview["fingerprint"].as_str().unwrap().len(), 24);
    assert_eq!(app.api(&therapist, "POST", "/api/v1/connections", Some(json!({"code": code}))).await.0, 404);
    let (status, c) = app.api(&client, "POST", "/api/v1/connections", Some(json!({"code": code}))).await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(
        (c["share_mood"].as_bool(), c["share_assessments"].as_bool()),
        (Some(false), Some(false)),
        "nothing by default"
    );
    let connection = c["id"].as_str().unwrap().to_owned();
    let (status, again) = app.api(&client, "POST", "/api/v1/connections", Some(json!({"code": code}))).await;
    assert_eq!((status, again["error"]["field"].as_str()), (422, Some("code")), "single use");
    let (_, theirs) = app.api(&therapist, "GET", "/api/v1/connections", None).await;
    assert_eq!(theirs["items"][0]["id"], connection.as_str());

    // Nothing is visible until shared; then exactly what was shared.
    let shared = write(app, &client, json!({"title": "For my session", "body": format!("Today {CANARY}.")})).await;
    let private = write(app, &client, json!({"body": "Just for me."})).await;
    let (_, list) = app.api(&therapist, "GET", "/api/v1/clients", None).await;
    assert_eq!(list[0]["shared_entries"], 0);
    assert_eq!(list[0]["inactive"], true, "quiet, gently");
    let (status, _) = app
        .api(&client, "POST", &format!("/api/v1/entries/{shared}/shares"), Some(json!({"connection_id": connection})))
        .await;
    assert_eq!(status, 201);
    let (_, own) = app.api(&client, "GET", &format!("/api/v1/entries/{shared}"), None).await;
    assert_eq!(own["shared_with"], json!([connection]), "the owner sees with whom");
    let client_id = list[0]["client"]["id"].as_str().unwrap().to_owned();
    let (status, entries) = app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/entries"), None).await;
    assert_eq!(status, 200);
    assert_eq!(entries["items"].as_array().unwrap().len(), 1);
    assert!(entries["items"][0]["body"].as_str().unwrap().contains(CANARY));
    assert_eq!(
        app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/entries/{private}"), None).await.0,
        404
    );

    // Comments both ways, encrypted under the entry's key.
    let (status, comment) = app
        .api(
            &therapist,
            "POST",
            &format!("/api/v1/clients/{client_id}/entries/{shared}/comments"),
            Some(json!({"body": "Thank you for sharing the canary comment."})),
        )
        .await;
    assert_eq!(status, 201, "{comment}");
    let (status, reply) = app
        .api(
            &client,
            "POST",
            &format!("/api/v1/entries/{shared}/comments"),
            Some(json!({"body": "It helped to write it."})),
        )
        .await;
    assert_eq!(status, 201, "{reply}");
    let (_, thread) = app.api(&client, "GET", &format!("/api/v1/entries/{shared}/comments"), None).await;
    assert_eq!(thread.as_array().unwrap().len(), 2);
    assert_eq!((thread[0]["mine"].as_bool(), thread[1]["mine"].as_bool()), (Some(false), Some(true)));
    assert_eq!(
        app.api(
            &therapist,
            "POST",
            &format!("/api/v1/clients/{client_id}/entries/{private}/comments"),
            Some(json!({"body": "x"}))
        )
        .await
        .0,
        404
    );
    assert_eq!(
        app.api(&client, "POST", &format!("/api/v1/entries/{shared}/comments"), Some(json!({"body": " "}))).await.0,
        422
    );

    // Homework comes first, and its answer is linked.
    let (status, hw) = app
        .api(
            &therapist,
            "POST",
            &format!("/api/v1/clients/{client_id}/assignments"),
            Some(json!({"prompt_text": "Notice one canary moment of calm.", "due_date": "2030-01-01"})),
        )
        .await;
    assert_eq!(status, 201, "{hw}");
    let (_, today) = app.api(&client, "GET", "/api/v1/prompts/today", None).await;
    assert_eq!(
        (today["prompts"][0]["reason"].as_str(), today["prompts"][0]["source"].as_str()),
        (Some("From your therapist"), Some("homework"))
    );
    let prompt_id = today["prompts"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(prompt_id, hw["prompt_id"].as_str().unwrap());
    let answer = write(app, &client, json!({"body": "Tea on the step.", "prompt_id": prompt_id})).await;
    let (_, assigned) = app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/assignments"), None).await;
    assert_eq!(
        (assigned[0]["answered"].as_bool(), assigned[0]["answer_entry_id"].as_str()),
        (Some(true), Some(answer.as_str()))
    );
    assert_eq!(
        app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/entries/{answer}"), None).await.0,
        404,
        "not shared"
    );
    let (_, after) = app.api(&client, "GET", "/api/v1/prompts/today", None).await;
    assert_ne!(after["prompts"][0]["source"], "homework", "answered homework steps aside");

    // Mood and questionnaires only with the switch on.
    app.api(&client, "POST", "/api/v1/moods", Some(json!({"score": 2, "note": "canary mood"}))).await;
    app.api(
        &client,
        "POST",
        "/api/v1/assessments",
        Some(json!({"instrument": "phq9", "answers": [1, 1, 1, 1, 1, 1, 1, 1, 1]})),
    )
    .await;
    assert_eq!(app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/moods"), None).await.0, 404);
    let (status, _) = app
        .api(
            &client,
            "PUT",
            &format!("/api/v1/connections/{connection}/metrics"),
            Some(json!({"mood": true, "assessments": true})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, moods) = app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/moods"), None).await;
    assert_eq!(moods[0]["score"], 2);
    let (_, caseload) = app.api(&therapist, "GET", "/api/v1/clients", None).await;
    assert!(caseload[0]["self_harm_flag"].is_string(), "a private flag for item 9: {caseload}");
    assert_eq!(caseload[0]["latest"][0]["instrument"], "PHQ-9");
    assert_eq!(caseload[0]["inactive"], false);
    let (status, summary) = app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/summary"), None).await;
    assert_eq!(status, 200, "{summary}");
    let (_, preview) = app.api(&client, "GET", &format!("/api/v1/summary?connection_id={connection}"), None).await;
    for key in ["entries", "mood", "assessments", "homework"] {
        assert_eq!(preview[key], summary[key], "the client sees exactly what the therapist sees: {key}");
    }

    // The access log: every read, in a chain that verifies.
    let (_, log) = app.api(&client, "GET", "/api/v1/access-log", None).await;
    let reads: Vec<&Value> = log.as_array().unwrap().iter().filter(|r| r["event"] == "read").collect();
    let kinds: Vec<&str> = reads.iter().map(|r| r["item_kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"entry") && kinds.contains(&"moods") && kinds.contains(&"assessments"), "{kinds:?}");
    assert!(reads.iter().all(|r| r["therapist"]["id"] == therapist_id.as_str()));
    assert_eq!(app.api(&therapist, "GET", "/api/v1/access-log", None).await.0, 404);
    assert!(chain_problems(app).await.is_empty());

    // Revoking one entry closes it at once.
    assert_eq!(app.api(&client, "DELETE", &format!("/api/v1/entries/{shared}/shares/{connection}"), None).await.0, 204);
    assert_eq!(app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/entries/{shared}"), None).await.0, 404);
    assert_eq!(
        app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/entries/{shared}/comments"), None).await.0,
        404
    );

    // Ending the link ends everything and replaces the metrics key.
    app.api(&client, "POST", &format!("/api/v1/entries/{shared}/shares"), Some(json!({"connection_id": connection})))
        .await;
    let before = app.store.metrics_key(&client_id).await.unwrap().unwrap();
    assert_eq!(app.api(&therapist, "DELETE", &format!("/api/v1/connections/{connection}"), None).await.0, 204);
    assert_eq!(app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/entries"), None).await.0, 404);
    assert_eq!(app.api(&therapist, "GET", &format!("/api/v1/clients/{client_id}/moods"), None).await.0, 404);
    assert_eq!(app.api(&therapist, "GET", "/api/v1/clients", None).await.1, json!([]));
    let (_, mine) = app.api(&client, "GET", "/api/v1/moods", None).await;
    assert_eq!(mine["items"][0]["note"], "canary mood", "the client's own data is untouched: {mine}");
    let after = app.store.metrics_key(&client_id).await.unwrap().unwrap();
    assert_ne!(before, after, "a new metrics key after the link ended");
    assert!(!app.store.metrics_rotation_pending(&client_id).await.unwrap());
    let (_, own) = app.api(&client, "GET", &format!("/api/v1/entries/{shared}"), None).await;
    assert_eq!(own["shared_with"], json!([]));

    let raw = app.fixture.raw_bytes();
    for needle in [CANARY, "canary comment", "canary moment", "canary mood", "It helped to write it"] {
        assert!(!raw.windows(needle.len()).any(|w| w == needle.as_bytes()), "'{needle}' readable ({:?})", app.backend);
    }
}

async fn the_access_log_shows_edits_and_deletions(app: &TestApp) {
    let p = linked(app).await;
    let e = write(app, &p.client, json!({"body": "Shared."})).await;
    app.api(&p.client, "POST", &format!("/api/v1/entries/{e}/shares"), Some(json!({"connection_id": p.connection})))
        .await;
    for _ in 0..3 {
        app.api(&p.therapist, "GET", &format!("/api/v1/clients/{}/entries/{e}", p.client_id), None).await;
    }
    assert!(chain_problems(app).await.is_empty());
    let edited = app
        .fixture
        .tamper("UPDATE access_log SET item_id = 'something else' WHERE seq = (SELECT MIN(seq) FROM access_log)")
        .await;
    assert_eq!(edited, 1);
    let problems = chain_problems(app).await;
    assert!(problems.iter().any(|p| p.what == "was edited"), "{problems:?}");
    let removed = app.fixture.tamper("DELETE FROM access_log WHERE seq = (SELECT MAX(seq) FROM access_log)").await;
    assert_eq!(removed, 1);
    let problems = chain_problems(app).await;
    assert!(problems.iter().any(|p| p.seq.is_none()), "a deleted newest row is noticed: {problems:?}");
}

async fn swapped_ciphertext_fails_to_decrypt_instead_of_leaking(app: &TestApp) {
    let (a, _) = person(app, "a@example.org", "client").await;
    let (b, _) = person(app, "b@example.org", "client").await;
    let ea = write(app, &a, json!({"body": "Alpha's own words."})).await;
    let eb = write(app, &b, json!({"body": "Bravo's secret canary words."})).await;
    // Someone with write access to the database moves b's ciphertext and key into a's row.
    app.fixture
        .tamper(&format!(
            "UPDATE entries SET content = (SELECT content FROM entries WHERE id = '{eb}'), \
             key_wrapped = (SELECT key_wrapped FROM entries WHERE id = '{eb}') WHERE id = '{ea}'"
        ))
        .await;
    let res = app.client().get(app.url(&format!("/api/v1/entries/{ea}"))).bearer_auth(&a).send().await.unwrap();
    assert_eq!(res.status(), 422, "the blob is bound to its row and owner, so it does not open");
    let body = res.text().await.unwrap();
    assert!(!body.contains("Bravo") && !body.contains("canary"), "{body}");
    let (status, theirs) = app.api(&b, "GET", &format!("/api/v1/entries/{eb}"), None).await;
    assert_eq!((status, theirs["body"].as_str()), (200, Some("Bravo's secret canary words.")));
}

/// Who may do what: every therapist-facing route and every route on a client's data, for the
/// owner, a linked therapist with the item shared, a linked therapist without it, an unlinked
/// therapist, another client and nobody.
async fn the_authorization_matrix_holds(app: &TestApp) {
    let (owner, owner_id) = person(app, "owner@example.org", "client").await;
    let (with_share, _) = person(app, "t1@example.org", "therapist").await;
    let (without_share, _) = person(app, "t2@example.org", "therapist").await;
    let (unlinked, _) = person(app, "t3@example.org", "therapist").await;
    let (other_client, _) = person(app, "other@example.org", "client").await;
    let c1 = link(app, &owner, &with_share).await;
    let c2 = link(app, &owner, &without_share).await;
    let entry = write(app, &owner, json!({"body": "Matrix entry."})).await;
    let another = write(app, &owner, json!({"body": "Shared by a cell of the matrix."})).await;
    app.api(&owner, "POST", &format!("/api/v1/entries/{entry}/shares"), Some(json!({"connection_id": c1}))).await;
    app.api(
        &owner,
        "PUT",
        &format!("/api/v1/connections/{c1}/metrics"),
        Some(json!({"mood": true, "assessments": true})),
    )
    .await;
    app.api(&owner, "POST", "/api/v1/moods", Some(json!({"score": 3}))).await;
    let (_, tr) =
        app.api(&owner, "POST", "/api/v1/thought-records", Some(json!({"situation": "s", "thoughts": "t"}))).await;
    let tr = tr["id"].as_str().unwrap().to_owned();
    let (_, goal) = app
        .api(
            &owner,
            "POST",
            "/api/v1/goals",
            Some(json!({"title": "g", "category": "joy", "cadence": {"times": 1, "per": "day"}})),
        )
        .await;
    let goal = goal["id"].as_str().unwrap().to_owned();
    let personas: [(&str, &str); 6] = [
        ("owner", &owner),
        ("therapist with share", &with_share),
        ("therapist without share", &without_share),
        ("unlinked therapist", &unlinked),
        ("other client", &other_client),
        ("anonymous", ""),
    ];
    let c = &owner_id;
    // (method, path, body, personas allowed)
    let routes: Vec<(&str, String, Option<Value>, &[&str])> = vec![
        ("GET", format!("/api/v1/entries/{entry}"), None, &["owner"]),
        ("GET", format!("/api/v1/entries/{entry}/comments"), None, &["owner"]),
        ("POST", format!("/api/v1/entries/{another}/shares"), Some(json!({"connection_id": c2})), &["owner"]),
        ("GET", format!("/api/v1/thought-records/{tr}"), None, &["owner"]),
        ("GET", format!("/api/v1/goals/{goal}"), None, &["owner"]),
        (
            "PUT",
            format!("/api/v1/connections/{c2}/metrics"),
            Some(json!({"mood": false, "assessments": false})),
            &["owner"],
        ),
        ("GET", "/api/v1/access-log".into(), None, &["owner", "other client"]),
        ("GET", format!("/api/v1/summary?connection_id={c1}"), None, &["owner"]),
        ("GET", format!("/api/v1/clients/{c}/entries"), None, &["therapist with share", "therapist without share"]),
        ("GET", format!("/api/v1/clients/{c}/entries/{entry}"), None, &["therapist with share"]),
        ("GET", format!("/api/v1/clients/{c}/entries/{entry}/comments"), None, &["therapist with share"]),
        (
            "POST",
            format!("/api/v1/clients/{c}/entries/{entry}/comments"),
            Some(json!({"body": "hi"})),
            &["therapist with share"],
        ),
        ("GET", format!("/api/v1/clients/{c}/moods"), None, &["therapist with share"]),
        ("GET", format!("/api/v1/clients/{c}/assessments"), None, &["therapist with share"]),
        (
            "POST",
            format!("/api/v1/clients/{c}/assignments"),
            Some(json!({"prompt_text": "p"})),
            &["therapist with share", "therapist without share"],
        ),
        ("GET", format!("/api/v1/clients/{c}/assignments"), None, &["therapist with share", "therapist without share"]),
        ("GET", format!("/api/v1/clients/{c}/summary"), None, &["therapist with share", "therapist without share"]),
        (
            "GET",
            "/api/v1/clients".into(),
            None,
            &["therapist with share", "therapist without share", "unlinked therapist"],
        ),
        (
            "POST",
            "/api/v1/invites".into(),
            None,
            &["therapist with share", "therapist without share", "unlinked therapist"],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, allowed) in &routes {
        for (who, token) in &personas {
            let (status, answer) = app.api(token, method, path, body.clone()).await;
            let expected_ok = allowed.contains(who);
            let ok = if expected_ok {
                (200..300).contains(&status)
            } else if *who == "anonymous" {
                status == 401
            } else {
                status == 404
            };
            if !ok {
                failures.push(format!("{method} {path} as {who}: {status} {answer}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} cells wrong:\n{}", failures.len(), failures.join("\n"));
}

backend_tests!(
    a_client_links_shares_and_revokes,
    the_access_log_shows_edits_and_deletions,
    swapped_ciphertext_fails_to_decrypt_instead_of_leaking,
    the_authorization_matrix_holds,
);
