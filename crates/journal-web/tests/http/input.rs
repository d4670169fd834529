//! Bad input, across the whole API: bodies that are not objects, wrong-typed fields, bad query
//! parameters. Every one is a 422 that names the field in words a person can read.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

/// Words that would mean a Rust type leaked into a message.
const RUST_WORDS: [&str; 9] = ["struct", "enum", "Request", "u8", "i64", "usize", "Option", "Vec", "line "];

fn assert_plain(message: &str, what: &str) {
    assert!(!message.is_empty(), "{what}: empty message");
    for word in RUST_WORDS {
        assert!(!message.contains(word), "{what}: {message:?} contains {word:?}");
    }
}

async fn every_json_body_must_be_an_object_with_fields_of_the_right_type(app: &TestApp) {
    app.register("a@example.org", "client").await;
    app.register("t@example.org", "therapist").await;
    let client = app.token("a@example.org", PASSWORD).await;
    let therapist = app.token("t@example.org", PASSWORD).await;
    let id = "0000000000000000";
    // (who, method, path, a body with one wrong-typed field, the field named in the error)
    let routes: Vec<(&str, &str, String, Value, &str)> = vec![
        (&client, "POST", "/api/v1/auth/register".into(), json!({"email": 1}), "email"),
        (&client, "POST", "/api/v1/auth/login".into(), json!({"password": []}), "password"),
        (&client, "POST", "/api/v1/auth/recover".into(), json!({"recovery_code": 5}), "recovery_code"),
        (&client, "POST", "/api/v1/auth/tokens".into(), json!({"name": false}), "name"),
        (&client, "POST", "/api/v1/account/password".into(), json!({"new_password": 1}), "new_password"),
        (&client, "DELETE", "/api/v1/account".into(), json!({"password": {}}), "password"),
        (&client, "PUT", "/api/v1/account/preferences".into(), json!({"week_start": 300}), "week_start"),
        (&client, "POST", "/api/v1/account/export".into(), json!({"passphrase": 1}), "passphrase"),
        (&client, "POST", "/api/v1/assessments".into(), json!({"answers": [0, "a"]}), "answers[1]"),
        (&client, "POST", "/api/v1/connections".into(), json!({"code": 1}), "code"),
        (&client, "PUT", format!("/api/v1/connections/{id}/metrics"), json!({"mood": "yes"}), "mood"),
        (&client, "POST", format!("/api/v1/entries/{id}/shares"), json!({"connection_id": 1}), "connection_id"),
        (&therapist, "POST", format!("/api/v1/clients/{id}/entries/{id}/comments"), json!({"body": 1}), "body"),
        (&client, "POST", format!("/api/v1/entries/{id}/comments"), json!({"body": [1]}), "body"),
        (&therapist, "POST", format!("/api/v1/clients/{id}/assignments"), json!({"due_date": 1}), "due_date"),
        (&client, "POST", "/api/v1/thought-records".into(), json!({"situation": 1}), "situation"),
        (&client, "PUT", format!("/api/v1/thought-records/{id}"), json!({"distortions": "x"}), "distortions"),
        (
            &client,
            "PUT",
            "/api/v1/safety-plan".into(),
            json!({"distraction_people": [{"name": 1}]}),
            "distraction_people[0].name",
        ),
        (&client, "POST", "/api/v1/entries".into(), json!({"tags": "a"}), "tags"),
        (&client, "PUT", format!("/api/v1/entries/{id}"), json!({"mood": "x"}), "mood"),
        (&client, "PUT", "/api/v1/drafts/new".into(), json!({"mood": 300}), "mood"),
        (&client, "POST", "/api/v1/goals".into(), json!({"cadence": 1}), "cadence"),
        (&client, "PATCH", format!("/api/v1/goals/{id}"), json!({"title": 1}), "title"),
        (&client, "POST", format!("/api/v1/goals/{id}/status"), json!({"action": 1}), "action"),
        (&client, "POST", format!("/api/v1/goals/{id}/checkins"), json!({"note": 1}), "note"),
        (&client, "PUT", "/api/v1/reminders".into(), json!({"goal_reminders": "yes"}), "goal_reminders"),
        (&client, "POST", "/api/v1/review".into(), json!({"reflection": 1}), "reflection"),
        (&client, "POST", "/api/v1/moods".into(), json!({"score": "good"}), "score"),
        (&client, "POST", "/api/v1/prompts".into(), json!({"text": 1}), "text"),
        (&client, "PUT", "/api/v1/prompts/session".into(), json!({"session_date": 1}), "session_date"),
    ];
    for (token, method, path, wrong, field) in &routes {
        for body in [json!([]), json!("x"), json!(1), json!(null), json!(["phq9", [0, 1]])] {
            let (status, err) = app.api(token, method, path, Some(body.clone())).await;
            let what = format!("{method} {path} {body}");
            assert_eq!(status, 422, "{what}: {err}");
            assert_eq!(err["error"]["code"], "invalid_body", "{what}: {err}");
            assert_plain(err["error"]["message"].as_str().unwrap_or(""), &what);
        }
        let (status, err) = app.api(token, method, path, Some(wrong.clone())).await;
        let what = format!("{method} {path} {wrong}");
        assert_eq!(status, 422, "{what}: {err}");
        assert_eq!(err["error"]["field"], *field, "{what}: {err}");
        assert_plain(err["error"]["message"].as_str().unwrap_or(""), &what);
    }
}

async fn an_assessment_sent_as_an_array_is_refused_and_nothing_is_stored(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let (status, err) =
        app.api(&t, "POST", "/api/v1/assessments", Some(json!(["phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1]]))).await;
    assert_eq!(status, 422, "{err}");
    assert_plain(err["error"]["message"].as_str().unwrap_or(""), "array body");
    let (_, list) = app.api(&t, "GET", "/api/v1/assessments", None).await;
    assert_eq!(list["items"], json!([]), "{list}");
    // The same answers as an object are welcome.
    let (status, _) = app
        .api(
            &t,
            "POST",
            "/api/v1/assessments",
            Some(json!({"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 0]})),
        )
        .await;
    assert_eq!(status, 201);
    // Nor is a struct inside a body filled from an array by position.
    let (status, err) =
        app.api(&t, "PUT", "/api/v1/safety-plan", Some(json!({"help_people": [["Jo", "07700 900456"]]}))).await;
    assert_eq!((status, err["error"]["field"].as_str()), (422, Some("help_people[0]")), "{err}");
    assert_plain(err["error"]["message"].as_str().unwrap_or(""), "nested array");
    let (_, plan) = app.api(&t, "GET", "/api/v1/safety-plan", None).await;
    assert_eq!(plan["help_people"], json!([]), "{plan}");
    // Missing and unknown values name the field too.
    let (status, err) = app.api(&t, "POST", "/api/v1/moods", Some(json!({"note": "hi"}))).await;
    assert_eq!((status, err["error"]["field"].as_str()), (422, Some("score")), "{err}");
    assert_plain(err["error"]["message"].as_str().unwrap_or(""), "missing score");
}

async fn bad_query_parameters_are_named(app: &TestApp) {
    app.register("a@example.org", "client").await;
    app.register("t@example.org", "therapist").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let therapist = app.token("t@example.org", PASSWORD).await;
    let cases = [
        (&t, "/api/v1/insights?days=abc", "days"),
        (&t, "/api/v1/insights?days=-3", "days"),
        (&t, "/api/v1/entries?limit=many", "limit"),
        (&t, "/api/v1/search?q=walk&limit=1.5", "limit"),
        (&t, "/api/v1/search", "q"),
        (&therapist, "/api/v1/clients/0000000000000000/moods?days=x", "days"),
    ];
    for (token, path, field) in cases {
        let (status, err) = app.api(token, "GET", path, None).await;
        assert_eq!(status, 422, "{path}: {err}");
        assert_eq!(err["error"]["field"], field, "{path}: {err}");
        assert_plain(err["error"]["message"].as_str().unwrap_or(""), path);
    }
    let res = app
        .client()
        .post(app.url("/api/v1/account/import?format=dayone&dry_run=maybe"))
        .bearer_auth(&t)
        .header("content-type", "application/octet-stream")
        .body(vec![0u8; 4])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["field"], "dry_run", "{err}");
}

fn day_one_zip(entries: Value) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("Journal.json", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(json!({"metadata": {"version": "1.0"}, "entries": entries}).to_string().as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

async fn import(app: &TestApp, token: &str, format: &str, bytes: Vec<u8>) -> Value {
    let res = app
        .client()
        .post(app.url(&format!("/api/v1/account/import?format={format}")))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

async fn day_one_imports_keep_the_words_not_the_escapes_or_dead_photo_links(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let text = "# Back at the clinic\\! \\(Tuesday\\)\n\
        I went to the clinic\\. On 2024\\-03\\-05 we talked about my\\_sleep\\_log \\[again\\]\\.\n\
        ![](dayone-moment://0A1B2C3D4E5F60718293A4B5C6D7E8F9)\n\
        \\*Not\\* emphasis, and `code\\.stays`\\.\n\
        1\\. not a list\n\
        ![](dayone-moment:/video/AB12CD34)";
    let zip = day_one_zip(json!([{
        "uuid": "C0FFEE00C0FFEE00C0FFEE00C0FFEE00",
        "creationDate": "2024-03-05T18:00:00Z",
        "timeZone": "Europe/London",
        "text": text,
        "photos": [{"identifier": "0A1B2C3D4E5F60718293A4B5C6D7E8F9", "md5": "aa", "type": "jpeg"}],
        "videos": [{"identifier": "AB12CD34", "md5": "bb", "type": "mp4"}]
    }]));
    let done = import(app, &t, "dayone", zip).await;
    assert_eq!(done["imported"]["entries"], 1, "{done}");
    let (_, list) = app.api(&t, "GET", "/api/v1/entries?from=2024-03-05&to=2024-03-05", None).await;
    let id = list["items"][0]["id"].as_str().unwrap();
    let (_, entry) = app.api(&t, "GET", &format!("/api/v1/entries/{id}"), None).await;
    assert_eq!(entry["title"], "Back at the clinic! (Tuesday)", "{entry}");
    assert_eq!(
        entry["body"],
        "I went to the clinic. On 2024-03-05 we talked about my_sleep_log [again].\n\
         (photo not imported)\n\
         \\*Not\\* emphasis, and `code\\.stays`.\n\
         1\\. not a list\n\
         (video not imported)",
        "{entry}"
    );
}

backend_tests!(
    every_json_body_must_be_an_object_with_fields_of_the_right_type,
    an_assessment_sent_as_an_array_is_refused_and_nothing_is_stored,
    bad_query_parameters_are_named,
    day_one_imports_keep_the_words_not_the_escapes_or_dead_photo_links,
);
