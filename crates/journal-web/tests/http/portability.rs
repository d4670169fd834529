//! The complete export, the FHIR bundle, and erasure that leaves no trace, on both backends.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

async fn client(app: &TestApp, email: &str) -> (String, String) {
    let r = app.register(email, "client").await;
    (app.token(email, PASSWORD).await, r.id)
}

/// Fills one account with a canary in every kind of record; returns the canaries.
async fn fill(app: &TestApp, t: &str, therapist: &str) -> Vec<String> {
    let c = |what: &str| format!("canary {what} zephyr");
    app.api(
        t,
        "POST",
        "/api/v1/entries",
        Some(json!({"title": c("title"), "body": c("entry body"), "tags": ["canarytag"]})),
    )
    .await;
    app.api(t, "PUT", "/api/v1/drafts/new", Some(json!({"body": c("draft")}))).await;
    app.api(t, "POST", "/api/v1/moods", Some(json!({"score": 3, "note": c("mood note"), "emotions": ["calm"]}))).await;
    app.api(
        t,
        "POST",
        "/api/v1/assessments",
        Some(json!({"instrument": "phq9", "answers": [1, 1, 1, 1, 1, 1, 1, 1, 0]})),
    )
    .await;
    app.api(t, "POST", "/api/v1/thought-records", Some(json!({"situation": c("situation"), "thoughts": c("thought")})))
        .await;
    app.api(t, "PUT", "/api/v1/safety-plan", Some(json!({"reasons_for_living": [c("reason")]}))).await;
    let (_, g) = app
        .api(
            t,
            "POST",
            "/api/v1/goals",
            Some(json!({"title": c("goal"), "category": "joy", "cadence": {"times": 1, "per": "day"}})),
        )
        .await;
    app.api(
        t,
        "POST",
        &format!("/api/v1/goals/{}/checkins", g["id"].as_str().unwrap()),
        Some(json!({"note": c("check-in note")})),
    )
    .await;
    app.api(t, "POST", "/api/v1/prompts", Some(json!({"text": c("own prompt"), "category": "joy"}))).await;
    app.api(t, "PUT", "/api/v1/reminders", Some(json!({"journal_time": "21:00"}))).await;
    // A link, a shared entry with a comment from the therapist, and homework.
    let (_, invite) = app.api(therapist, "POST", "/api/v1/invites", None).await;
    let (_, link) = app.api(t, "POST", "/api/v1/connections", Some(json!({"code": invite["code"]}))).await;
    let (_, e) = app.api(t, "POST", "/api/v1/entries", Some(json!({"body": c("shared entry")}))).await;
    let entry = e["id"].as_str().unwrap();
    app.api(t, "POST", &format!("/api/v1/entries/{entry}/shares"), Some(json!({"connection_id": link["id"]}))).await;
    let client_id = link["client"]["id"].as_str().unwrap();
    let (status, _) = app
        .api(
            therapist,
            "POST",
            &format!("/api/v1/clients/{client_id}/entries/{entry}/comments"),
            Some(json!({"body": c("comment")})),
        )
        .await;
    assert_eq!(status, 201);
    app.api(
        therapist,
        "POST",
        &format!("/api/v1/clients/{client_id}/assignments"),
        Some(json!({"prompt_text": c("homework")})),
    )
    .await;
    [
        "title",
        "entry body",
        "draft",
        "mood note",
        "situation",
        "thought",
        "reason",
        "goal",
        "check-in note",
        "own prompt",
        "shared entry",
        "comment",
        "homework",
    ]
    .iter()
    .map(|w| c(w))
    .collect()
}

async fn the_export_holds_everything_and_matches_its_schema(app: &TestApp) {
    let (t, _) = client(app, "a@example.org").await;
    app.register("t@example.org", "therapist").await;
    let therapist = app.token("t@example.org", PASSWORD).await;
    let canaries = fill(app, &t, &therapist).await;
    let (status, _) = app.api(&t, "POST", "/api/v1/account/export", Some(json!({"password": "not my password"}))).await;
    assert_eq!(status, 401, "the password is asked again");
    assert_eq!(
        app.api(&t, "POST", "/api/v1/account/export", Some(json!({"password": PASSWORD, "format": "xml"}))).await.0,
        422
    );
    let res = app
        .client()
        .post(app.url("/api/v1/account/export"))
        .bearer_auth(&t)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    let text = res.text().await.unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("valid JSON: {e}\n{text}"));
    assert_eq!((doc["format"].as_str(), doc["version"].as_u64()), (Some("therapy-journal-export"), Some(1)));
    for canary in &canaries {
        if canary.contains("draft") {
            continue; // a draft is not yet something written
        }
        assert!(text.contains(canary.as_str()), "{canary} is in the export");
    }
    assert_eq!(doc["entries"].as_array().unwrap().len(), 3);
    assert!(doc["entries"].as_array().unwrap().iter().any(|e| e["thought_record"].is_object()));
    assert_eq!(doc["assessments"][0]["answers"], json!([1, 1, 1, 1, 1, 1, 1, 1, 0]));
    assert_eq!(doc["goals"][0]["checkins"].as_array().unwrap().len(), 1);
    assert_eq!(doc["connections"].as_array().unwrap().len(), 1);
    validate_with_python(&text);

    // Markdown: a zip with one file per entry and YAML front matter.
    let res = app
        .client()
        .post(app.url("/api/v1/account/export"))
        .bearer_auth(&t)
        .json(&json!({"password": PASSWORD, "format": "markdown"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/zip");
    let bytes = res.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(zip.len(), 3);
    let mut found = false;
    for i in 0..zip.len() {
        use std::io::Read;
        let mut f = zip.by_index(i).unwrap();
        assert!(f.name().starts_with("entries/") && f.name().ends_with(".md"), "{}", f.name());
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        assert!(text.starts_with("---\ndate: "), "{text}");
        if text.contains("tags: [\"canarytag\"]") {
            assert!(
                text.contains("title: \"canary title zephyr\"") && text.contains("canary entry body zephyr"),
                "{text}"
            );
            found = true;
        }
    }
    assert!(found, "the tagged entry is in the zip");

    // With a passphrase: the age format, which the age tool (and crate) open.
    let res = app
        .client()
        .post(app.url("/api/v1/account/export"))
        .bearer_auth(&t)
        .json(&json!({"password": PASSWORD, "passphrase": "a long canary passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let sealed = res.bytes().await.unwrap().to_vec();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n-> scrypt "), "an age file with a passphrase stanza");
    assert!(!sealed.windows(12).any(|w| w == b"canary title"), "nothing readable without the passphrase");
    let decryptor = age::Decryptor::new(&sealed[..]).unwrap();
    let identity = age::scrypt::Identity::new(age::secrecy::SecretString::from("a long canary passphrase".to_owned()));
    let mut reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).unwrap();
    let mut plain = String::new();
    std::io::Read::read_to_string(&mut reader, &mut plain).unwrap();
    let opened: Value = serde_json::from_str(&plain).unwrap();
    assert_eq!(opened["entries"], doc["entries"]);
    let (status, e) =
        app.api(&t, "POST", "/api/v1/account/export", Some(json!({"password": PASSWORD, "passphrase": "short"}))).await;
    assert_eq!((status, e["error"]["field"].as_str()), (422, Some("passphrase")));

    // The same from the settings page, with a browser session.
    let s = app.login("a@example.org", PASSWORD).await;
    let form = [("csrf_token", s.csrf.as_str()), ("password", PASSWORD)];
    let page = s.client.post(app.url("/settings/export")).form(&form).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-disposition"].to_str().unwrap().contains(".json"));
    let again: Value = page.json().await.unwrap();
    assert_eq!(again["entries"], doc["entries"]);
    let wrong = [("csrf_token", s.csrf.as_str()), ("password", "not it at all")];
    let refused = s.client.post(app.url("/settings/export")).form(&wrong).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    let page = refused.text().await.unwrap();
    let form = page.find("action=\"/settings/export\"").expect("the export form");
    let alert = page.find("id=\"export-error\"").expect("the error is shown");
    let input = page.find("id=\"export_password\"").unwrap();
    assert!(form < alert && alert < input && !page[form..alert].contains("</form>"), "the error sits by its field");
    assert!(page.contains("autocomplete=\"current-password\" required autofocus aria-describedby=\"export-error\""));
    let short = [("csrf_token", s.csrf.as_str()), ("password", PASSWORD), ("passphrase", "short")];
    let refused = s.client.post(app.url("/settings/export")).form(&short).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("id=\"export-error\"") && page.contains("passphrase-hint export-error\" autofocus"));

    let (status, fhir) = app.api(&t, "GET", "/api/v1/account/export/fhir", None).await;
    assert_eq!(status, 200);
    assert_eq!(fhir["resourceType"], "Bundle");
    assert_eq!(fhir["entry"][0]["resource"]["resourceType"], "QuestionnaireResponse");
    assert_eq!(fhir["entry"][1]["resource"]["code"]["coding"][0]["code"], "44261-6");
    assert_eq!(fhir["entry"][1]["resource"]["valueQuantity"]["value"], 8);
}

/// Validates against `docs/export.schema.json` with Python's `jsonschema` when installed; CI
/// installs it and sets `TJ_REQUIRE_JSONSCHEMA=1`.
fn validate_with_python(doc: &str) {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/export.schema.json");
    let script = format!(
        "import sys, json, jsonschema\nschema = json.load(open('{schema}'))\n\
         jsonschema.Draft202012Validator(schema).validate(json.load(sys.stdin))\nprint('ok')"
    );
    let required = std::env::var("TJ_REQUIRE_JSONSCHEMA").is_ok_and(|v| v == "1");
    let run = std::process::Command::new("python3")
        .args(["-c", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = run else {
        assert!(!required, "python3 is needed to validate the export");
        eprintln!("SKIPPED: no python3 to validate the export against its schema");
        return;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(doc.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'jsonschema'") {
        assert!(!required, "pip install jsonschema to validate the export");
        eprintln!("SKIPPED: Python's jsonschema is not installed (pip install jsonschema)");
        return;
    }
    assert!(out.status.success(), "the export does not match its schema: {stderr}");
}

async fn deleting_an_account_leaves_no_trace(app: &TestApp) {
    const EMAIL: &str = "leaving-canary@example.org";
    let (t, id) = client(app, EMAIL).await;
    app.register("t@example.org", "therapist").await;
    let therapist = app.token("t@example.org", PASSWORD).await;
    let canaries = fill(app, &t, &therapist).await;
    // The therapist read the shared entry, so the access log has rows too.
    let (_, list) = app.api(&therapist, "GET", "/api/v1/clients", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    app.api(&therapist, "GET", &format!("/api/v1/clients/{id}/entries"), None).await;
    let raw = app.fixture.raw_bytes();
    assert!(raw.windows(EMAIL.len()).any(|w| w == EMAIL.as_bytes()), "the scan sees clear metadata before deletion");

    let (status, _) = app.api(&t, "DELETE", "/api/v1/account", Some(json!({"password": PASSWORD}))).await;
    assert_eq!(status, 204);
    let raw = app.fixture.raw_bytes();
    let mut needles: Vec<String> = canaries;
    needles.extend([EMAIL.to_owned(), id.clone(), "canarytag".to_owned()]);
    for needle in &needles {
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "'{needle}' is still in the database after deletion ({:?})",
            app.backend
        );
    }
    let (_, after) = app.api(&therapist, "GET", "/api/v1/clients", None).await;
    assert_eq!(after, json!([]), "the link went with the account");
}

async fn upload(app: &TestApp, token: &str, query: &str, bytes: Vec<u8>) -> (u16, Value) {
    let res = app
        .client()
        .post(app.url(&format!("/api/v1/account/import?{query}")))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

async fn export_of(app: &TestApp, token: &str) -> Value {
    let res = app
        .client()
        .post(app.url("/api/v1/account/export"))
        .bearer_auth(token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    res.json().await.unwrap()
}

async fn an_export_imports_into_a_fresh_account_unchanged(app: &TestApp) {
    let (t, _) = client(app, "a@example.org").await;
    app.register("t@example.org", "therapist").await;
    let therapist = app.token("t@example.org", PASSWORD).await;
    fill(app, &t, &therapist).await;
    let mut first = export_of(app, &t).await;
    assert!(first["activities"].as_array().is_some_and(|a| !a.is_empty()), "the activity list is exported");
    // The person's own activities travel in their order (a damaged name would be refused).
    first["activities"] = json!(["choir practice", "walk", "tea with mum"]);
    let (fresh, _) = client(app, "b@example.org").await;
    let bytes = serde_json::to_vec(&first).unwrap();
    let (status, preview) = upload(app, &fresh, "format=therapy-journal&dry_run=true", bytes.clone()).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["counts"]["entries"], 3);
    assert_eq!(preview["problems"], json!([]));
    assert_eq!(app.api(&fresh, "GET", "/api/v1/entries", None).await.1["items"], json!([]), "a preview saves nothing");
    let (status, done) = upload(app, &fresh, "format=therapy-journal", bytes.clone()).await;
    assert_eq!(status, 201, "{done}");
    let (_, again) = upload(app, &fresh, "format=therapy-journal", bytes).await;
    assert_eq!(
        (again["imported"]["entries"].as_u64(), again["skipped"].as_u64()),
        (Some(0), Some(3 + 1 + 1 + 1)),
        "{again}"
    );
    let second = export_of(app, &fresh).await;
    let strip = |doc: &Value, section: &str, drop: &[&str]| -> Vec<Value> {
        let mut items: Vec<Value> = doc[section]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let mut i = i.clone();
                for d in drop {
                    i.as_object_mut().unwrap().remove(*d);
                }
                i
            })
            .collect();
        items.sort_by_key(|i| i.to_string());
        items
    };
    // Ids are new and links aren't carried over; everything the person wrote is the same.
    let entry_drop = ["id", "shared_with", "comments", "updated_at"];
    assert_eq!(strip(&second, "entries", &entry_drop), strip(&first, "entries", &entry_drop));
    assert_eq!(strip(&second, "moods", &[]), strip(&first, "moods", &[]));
    assert_eq!(strip(&second, "assessments", &[]), strip(&first, "assessments", &[]));
    let goal = |d: &Value| (d["goals"][0]["goal"].clone(), d["goals"][0]["checkins"].clone());
    assert_eq!(goal(&second), goal(&first));
    assert_eq!(second["safety_plan"], first["safety_plan"]);
    assert_eq!(second["prompts"]["custom"], first["prompts"]["custom"]);
    assert_eq!(second["activities"], first["activities"]);
}

async fn day_one_jrnl_and_daylio_files_import_once(app: &TestApp) {
    let (t, _) = client(app, "a@example.org").await;
    let (_, p) = upload(app, &t, "format=dayone&dry_run=true", fixture("dayone.zip")).await;
    assert_eq!((p["counts"]["entries"].as_u64(), p["skipped_attachments"].as_u64()), (Some(2), Some(1)), "{p}");
    assert_eq!(p["date_range"], json!(["2024-02-03", "2024-02-05"]));
    assert!(p["samples"][0].as_str().unwrap().contains("Snow day"));
    let (status, d) = upload(app, &t, "format=dayone", fixture("dayone.zip")).await;
    assert_eq!((status, d["imported"]["entries"].as_u64()), (201, Some(2)), "{d}");
    let (_, list) = app.api(&t, "GET", "/api/v1/entries?tag=starred", None).await;
    assert_eq!(list["items"][0]["title"], "Snow day");

    let (status, j) = upload(app, &t, "format=jrnl", fixture("jrnl.json")).await;
    assert_eq!((status, j["imported"]["entries"].as_u64()), (201, Some(2)), "{j}");
    let (_, work) = app.api(&t, "GET", "/api/v1/entries?tag=work", None).await;
    assert_eq!(work["items"][0]["title"], "Monday again");

    // Daylio: an unknown mood label is a problem until it is mapped.
    let (status, e) = upload(app, &t, "format=daylio&dry_run=true", fixture("daylio.csv")).await;
    assert_eq!(status, 422);
    assert!(e["error"]["message"].as_str().unwrap().contains("line 4"), "names the row: {e}");
    let (status, p) = upload(app, &t, "format=daylio&dry_run=true&mood_map=tired:2", fixture("daylio.csv")).await;
    assert_eq!((status, p["counts"]["moods"].as_u64()), (200, Some(3)), "{p}");
    let (_, d) = upload(app, &t, "format=daylio&mood_map=tired:2", fixture("daylio.csv")).await;
    assert_eq!(d["imported"]["moods"], 3);
    let (_, old) = upload(app, &t, "format=daylio", fixture("daylio_old.csv")).await;
    assert_eq!(old["imported"]["moods"], 2, "older exports without note_title, 12-hour times");
    let (_, moods) = app.api(&t, "GET", "/api/v1/moods?from=2023-10-01&to=2024-03-31", None).await;
    let notes: Vec<&str> = moods["items"].as_array().unwrap().iter().map(|m| m["note"].as_str().unwrap()).collect();
    assert!(notes.iter().any(|n| n.contains("then \"tea\" with Sam")), "{notes:?}");
    let (_, again) = upload(app, &t, "format=daylio&mood_map=tired:2", fixture("daylio.csv")).await;
    assert_eq!((again["imported"]["moods"].as_u64(), again["skipped"].as_u64()), (Some(0), Some(3)), "no duplicates");
    let (_, all) = app.api(&t, "GET", "/api/v1/entries", None).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 4, "Day One and jrnl once each");
}

async fn broken_and_hostile_files_import_nothing(app: &TestApp) {
    let (t, _) = client(app, "a@example.org").await;
    for (query, bytes, place) in [
        ("format=dayone", fixture("bomb.zip"), "Journal.json"),
        ("format=jrnl", b"\xff\xfe not text".to_vec(), "line 1"),
        ("format=jrnl", b"{\"entries\": [{\"date\": \"someday\"}]}".to_vec(), "entries[0].date"),
        ("format=daylio", b"full_date,time,mood\n2024-01-01,25:99,good\n".to_vec(), "line 2"),
        ("format=therapy-journal", fixture("jrnl.json"), "format"),
        ("format=csv", b"x".to_vec(), "format"),
    ] {
        let (status, e) = upload(app, &t, query, bytes).await;
        assert_eq!(status, 422, "{query}: {e}");
        let message =
            e["error"]["message"].as_str().unwrap_or_default().to_owned() + e["error"]["field"].as_str().unwrap_or("");
        assert!(message.contains(place), "{query}: the error names {place}: {e}");
    }
    let huge =
        json!({"entries": [{"title": "big", "body": "x".repeat(100_001), "date": "2024-01-01", "time": "10:00"}]});
    let (status, p) = upload(app, &t, "format=jrnl&dry_run=true", serde_json::to_vec(&huge).unwrap()).await;
    assert_eq!(status, 200);
    assert!(p["problems"][0].as_str().unwrap().contains("entry 1"), "{p}");
    let (status, _) = upload(app, &t, "format=jrnl", serde_json::to_vec(&huge).unwrap()).await;
    assert_eq!(status, 422, "a file with problems imports nothing");
    assert_eq!(app.api(&t, "GET", "/api/v1/entries", None).await.1["items"], json!([]));
}

/// The settings page: upload, see the preview, confirm.
async fn the_settings_page_previews_then_imports(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let settings = s.client.get(app.url("/settings")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("href=\"/settings/data\"") && !settings.contains("Bring your journal here"));
    let data = s.client.get(app.url("/settings/data")).send().await.unwrap().text().await.unwrap();
    assert!(data.contains("Bring your journal here") && data.contains("enctype=\"multipart/form-data\""));
    assert!(data.contains("Take your journal with you"));
    let boundary = "----tjboundary7";
    let mut body = Vec::new();
    for (name, value) in [("format", "jrnl"), ("mood_map", "")] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jrnl.json\"\r\nContent-Type: application/json\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(&fixture("jrnl.json"));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let send = |url: String, body: Vec<u8>| {
        s.client.post(url).header("content-type", format!("multipart/form-data; boundary={boundary}")).body(body).send()
    };
    let refused = send(app.url("/settings/import"), body.clone()).await.unwrap();
    assert_eq!(refused.status(), 403, "a file upload needs its CSRF token too");
    let url = app.url(&format!("/settings/import?csrf_token={}", s.csrf));
    let preview = send(url, body).await.unwrap();
    assert_eq!(preview.status(), 200);
    let page = preview.text().await.unwrap();
    assert!(
        page.contains("Check your import") && page.contains("2 entries (2 new)") && page.contains("Monday again"),
        "{page}"
    );
    let (_, none) = app.api(&app.token("a@example.org", PASSWORD).await, "GET", "/api/v1/entries", None).await;
    assert_eq!(none["items"], json!([]), "nothing saved before confirming");
    let form = [("csrf_token", s.csrf.as_str())];
    let done = s.client.post(app.url("/settings/import/confirm")).form(&form).send().await.unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("Imported 2 entries"));
    let again = s.client.post(app.url("/settings/import/confirm")).form(&form).send().await.unwrap();
    assert_eq!(again.status(), 422, "the waiting file is gone once imported");
    let page = again.text().await.unwrap();
    let alert = page.find("id=\"import-error\"").expect("the error is next to the import form");
    assert!(page[alert..].contains("no file waiting") && alert > page.find("id=\"import-h\"").unwrap(), "{page}");

    // A file that can't be read: the data page again, the reason next to the import form.
    let mut broken = Vec::new();
    broken.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\njrnl\r\n").as_bytes(),
    );
    broken.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.json\"\r\n\r\nnot json\r\n--{boundary}--\r\n")
            .as_bytes(),
    );
    let res = send(app.url(&format!("/settings/import?csrf_token={}", s.csrf)), broken).await.unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("<h1>Your data</h1>") && page.contains("id=\"import-error\""), "{page}");
}

backend_tests!(
    the_settings_page_previews_then_imports,
    the_export_holds_everything_and_matches_its_schema,
    deleting_an_account_leaves_no_trace,
    an_export_imports_into_a_fresh_account_unchanged,
    day_one_jrnl_and_daylio_files_import_once,
    broken_and_hostile_files_import_nothing,
);
