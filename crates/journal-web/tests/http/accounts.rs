//! Sign-up, sign-in, sessions, tokens, password change, recovery and deletion.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::{Value, json};

use crate::error_code;

async fn post(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.client().post(app.url(path)).json(&body).send().await.unwrap()
}

async fn register_returns_user_and_recovery_code(app: &TestApp) {
    let res = post(
        app,
        "/api/v1/auth/register",
        json!({"email": " Sam@Example.org ", "password": PASSWORD, "display_name": "Sam", "role": "client"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["email"], "sam@example.org");
    assert_eq!(body["user"]["display_name"], "Sam");
    assert_eq!(body["user"]["role"], "client");
    assert_eq!(body["user"]["id"].as_str().unwrap().len(), 32);
    assert!(body["user"]["created_at"].as_str().unwrap().ends_with('Z'));
    let code = body["recovery_code"].as_str().unwrap();
    assert_eq!(code.len(), 29, "six groups of four: {code}");
    let therapist = app.register("t@example.org", "therapist").await;
    let user = app.store.user_by_id(&therapist.id).await.unwrap().unwrap();
    assert_eq!(user.role, journal_core::Role::Therapist);
    assert_eq!(user.password.kdf, journal_crypto::KdfParams::DEFAULT, "Argon2id 64 MiB, t=3, p=1");
}

async fn registration_rejects_bad_input_without_creating_anything(app: &TestApp) {
    let good = json!({"email": "a@example.org", "password": PASSWORD, "display_name": "A", "role": "client"});
    let cases = [
        (
            json!({"email": "a@example.org", "password": "short", "display_name": "A", "role": "client"}),
            422,
            "password",
        ),
        (json!({"email": "not-an-email", "password": PASSWORD, "display_name": "A", "role": "client"}), 422, "email"),
        (
            json!({"email": "a@example.org", "password": PASSWORD, "display_name": " ", "role": "client"}),
            422,
            "display_name",
        ),
        (json!({"email": "a@example.org", "password": PASSWORD, "display_name": "A", "role": "admin"}), 422, "role"),
    ];
    for (body, status, field) in cases {
        let res = post(app, "/api/v1/auth/register", body).await;
        assert_eq!(res.status(), status);
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field);
    }
    let missing = post(app, "/api/v1/auth/register", json!({"email": "a@example.org"})).await;
    assert_eq!(error_code(missing, 422).await, "invalid_field");
    let wrong_type = post(
        app,
        "/api/v1/auth/register",
        json!({"email": 5, "password": PASSWORD, "display_name": "A", "role": "client"}),
    )
    .await;
    assert_eq!(error_code(wrong_type, 422).await, "invalid_field");
    let broken = app
        .client()
        .post(app.url("/api/v1/auth/register"))
        .header("content-type", "application/json")
        .body("{\"email\":")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(broken, 400).await, "invalid_json");
    let not_json = app.client().post(app.url("/api/v1/auth/register")).body(good.to_string()).send().await.unwrap();
    assert_eq!(error_code(not_json, 415).await, "unsupported_media_type");
    assert!(app.store.list_users().await.unwrap().is_empty(), "nothing was created");

    assert_eq!(post(app, "/api/v1/auth/register", good.clone()).await.status(), 201);
    let again = post(app, "/api/v1/auth/register", good).await;
    assert_eq!(error_code(again, 409).await, "email_taken");
}

async fn login_sets_a_hardened_cookie_and_a_fresh_token_each_time(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let mut cookies = Vec::new();
    for _ in 0..2 {
        let res = post(app, "/api/v1/auth/login", json!({"email": "a@example.org", "password": PASSWORD})).await;
        assert_eq!(res.status(), 200);
        let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.starts_with("tj_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly"));
        assert!(cookie.contains("SameSite=Lax"));
        assert!(cookie.contains("Path=/"));
        assert!(!cookie.contains("Secure"), "plain HTTP cannot carry Secure cookies");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["user"]["email"], "a@example.org");
        cookies.push(cookie);
    }
    assert_ne!(cookies[0], cookies[1], "a new session token at every login");
}

async fn unknown_email_and_wrong_password_get_the_same_answer(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let mut answers = Vec::new();
    for email in ["a@example.org", "nobody@example.org"] {
        let started = std::time::Instant::now();
        let res = post(app, "/api/v1/auth/login", json!({"email": email, "password": "wrong password here"})).await;
        let elapsed = started.elapsed();
        let status = res.status();
        let body = res.text().await.unwrap();
        answers.push((status, body, elapsed));
    }
    assert_eq!(answers[0].0, 401);
    assert_eq!((answers[0].0, &answers[0].1), (answers[1].0, &answers[1].1));
    // Both ran Argon2id: an unknown email is not answered faster.
    let (known, unknown) = (answers[0].2.as_secs_f64(), answers[1].2.as_secs_f64());
    assert!(unknown > known / 3.0, "known {known:.3}s, unknown {unknown:.3}s");
}

async fn session_endpoint_gives_user_and_csrf_token(app: &TestApp) {
    let anonymous = app.client().get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(error_code(anonymous, 401).await, "not_logged_in");
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let body: Value = s.client.get(app.url("/api/v1/session")).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["user"]["email"], "a@example.org");
    assert_eq!(body["csrf_token"].as_str().unwrap(), s.csrf);
    assert!(s.csrf.len() >= 40);
}

async fn api_tokens_are_created_listed_used_and_revoked(app: &TestApp) {
    let a = app.register("a@example.org", "client").await;
    app.register("b@example.org", "client").await;
    let res = post(app, "/api/v1/auth/tokens", json!({"email": a.email, "password": PASSWORD, "name": "backup"})).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_owned();
    let id = body["id"].as_str().unwrap().to_owned();
    let bearer = |path: &str| app.client().get(app.url(path)).bearer_auth(&token);
    let me: Value = bearer("/api/v1/session").send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["id"], a.id);
    let list: Value = bearer("/api/v1/auth/tokens").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["name"], "backup");
    assert!(!list.to_string().contains(&token), "the token itself is never shown again");
    assert!(list["next_cursor"].is_null());

    // Another user cannot revoke it, and learns nothing about it.
    let b_token = app.token("b@example.org", PASSWORD).await;
    let res =
        app.client().delete(app.url(&format!("/api/v1/auth/tokens/{id}"))).bearer_auth(&b_token).send().await.unwrap();
    assert_eq!(error_code(res, 404).await, "not_found");
    assert_eq!(bearer("/api/v1/session").send().await.unwrap().status(), 200);

    let res =
        app.client().delete(app.url(&format!("/api/v1/auth/tokens/{id}"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(bearer("/api/v1/session").send().await.unwrap().status(), 401);

    let bad_name = post(app, "/api/v1/auth/tokens", json!({"email": a.email, "password": PASSWORD, "name": ""})).await;
    assert_eq!(error_code(bad_name, 422).await, "invalid_field");
    let wrong =
        post(app, "/api/v1/auth/tokens", json!({"email": a.email, "password": "not the password", "name": "x"})).await;
    assert_eq!(error_code(wrong, 401).await, "invalid_credentials");
    let garbage = app.client().get(app.url("/api/v1/session")).bearer_auth("not-a-token").send().await.unwrap();
    assert_eq!(error_code(garbage, 401).await, "not_logged_in");
}

async fn logout_ends_the_session(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let res = s.client.post(app.url("/api/v1/auth/logout")).header("x-csrf-token", &s.csrf).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert!(res.headers().get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
    let after = s.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(after.status(), 401);
}

async fn password_change_rewraps_and_ends_other_sessions(app: &TestApp) {
    let a = app.register("a@example.org", "client").await;
    let here = app.login(&a.email, PASSWORD).await;
    let elsewhere = app.login(&a.email, PASSWORD).await;
    let token = app.token(&a.email, PASSWORD).await;
    let before = app.store.user_by_id(&a.id).await.unwrap().unwrap();

    let change = |current: &str, new: &str| {
        here.client
            .post(app.url("/api/v1/account/password"))
            .header("x-csrf-token", &here.csrf)
            .json(&json!({"current_password": current, "new_password": new}))
    };
    let wrong = change("not my password", "a brand new password").send().await.unwrap();
    assert_eq!(error_code(wrong, 401).await, "wrong_password");
    let short = change(PASSWORD, "short").send().await.unwrap();
    assert_eq!(error_code(short, 422).await, "invalid_field");
    assert_eq!(elsewhere.client.get(app.url("/api/v1/session")).send().await.unwrap().status(), 200);

    assert_eq!(change(PASSWORD, "a brand new password").send().await.unwrap().status(), 204);
    assert_eq!(here.client.get(app.url("/api/v1/session")).send().await.unwrap().status(), 200, "this session stays");
    assert_eq!(elsewhere.client.get(app.url("/api/v1/session")).send().await.unwrap().status(), 401);
    assert_eq!(app.client().get(app.url("/api/v1/session")).bearer_auth(&token).send().await.unwrap().status(), 401);
    let old = post(app, "/api/v1/auth/login", json!({"email": a.email, "password": PASSWORD})).await;
    assert_eq!(old.status(), 401);
    app.login(&a.email, "a brand new password").await;

    // Only the password wrapping changed: same key pair, same recovery wrapping.
    let after = app.store.user_by_id(&a.id).await.unwrap().unwrap();
    assert_ne!(after.password.dek_wrapped, before.password.dek_wrapped);
    assert_ne!(after.password.salt, before.password.salt);
    assert_eq!(after.secret_key_wrapped, before.secret_key_wrapped);
    assert_eq!(after.recovery.dek_wrapped, before.recovery.dek_wrapped);
}

async fn recovery_code_sets_a_new_password_once(app: &TestApp) {
    let a = app.register("a@example.org", "client").await;
    let s = app.login(&a.email, PASSWORD).await;
    let recover = |code: &str| {
        post(
            app,
            "/api/v1/auth/recover",
            json!({"email": a.email, "recovery_code": code, "new_password": "found my way back in"}),
        )
    };
    let wrong = recover("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA").await;
    assert_eq!(error_code(wrong, 401).await, "invalid_recovery");
    let nonsense = recover("12").await;
    assert_eq!(error_code(nonsense, 401).await, "invalid_recovery");

    let typed = a.recovery_code.to_lowercase().replace('-', " ");
    let res = recover(&typed).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let new_code = body["recovery_code"].as_str().unwrap().to_owned();
    assert_ne!(new_code, a.recovery_code);

    assert_eq!(s.client.get(app.url("/api/v1/session")).send().await.unwrap().status(), 401, "sessions end");
    app.login(&a.email, "found my way back in").await;
    let reused = recover(&a.recovery_code).await;
    assert_eq!(error_code(reused, 401).await, "invalid_recovery");
    let unknown = post(
        app,
        "/api/v1/auth/recover",
        json!({"email": "nobody@example.org", "recovery_code": new_code, "new_password": "found my way back in"}),
    )
    .await;
    assert_eq!(error_code(unknown, 401).await, "invalid_recovery");
    let again = post(
        app,
        "/api/v1/auth/recover",
        json!({"email": a.email, "recovery_code": new_code, "new_password": "and once more again"}),
    )
    .await;
    assert_eq!(again.status(), 200);
}

async fn deleting_the_account_removes_every_row(app: &TestApp) {
    let a = app.register("erase-me-canary@example.org", "client").await;
    let b = app.register("b@example.org", "client").await;
    let s = app.login(&a.email, PASSWORD).await;
    app.token(&a.email, PASSWORD).await;
    let delete = |pw: &str| {
        s.client.delete(app.url("/api/v1/account")).header("x-csrf-token", &s.csrf).json(&json!({"password": pw}))
    };
    let wrong = delete("not my password").send().await.unwrap();
    assert_eq!(error_code(wrong, 401).await, "wrong_password");
    assert!(app.store.user_by_id(&a.id).await.unwrap().is_some());

    assert_eq!(delete(PASSWORD).send().await.unwrap().status(), 204);
    assert!(app.store.user_by_id(&a.id).await.unwrap().is_none());
    assert!(app.store.list_sessions(&a.id).await.unwrap().is_empty());
    assert!(app.store.user_by_id(&b.id).await.unwrap().is_some(), "nobody else is touched");
    assert_eq!(s.client.get(app.url("/api/v1/session")).send().await.unwrap().status(), 401);
    let login = post(app, "/api/v1/auth/login", json!({"email": a.email, "password": PASSWORD})).await;
    assert_eq!(login.status(), 401);

    let raw = app.fixture.raw_bytes();
    for needle in [a.email.as_bytes(), a.id.as_bytes()] {
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle),
            "{} survives in the database files",
            String::from_utf8_lossy(needle)
        );
    }
}

async fn disabled_accounts_cannot_sign_in(app: &TestApp) {
    let a = app.register("a@example.org", "client").await;
    let s = app.login(&a.email, PASSWORD).await;
    app.store.set_user_disabled(&a.id, true).await.unwrap();
    assert_eq!(s.client.get(app.url("/api/v1/session")).send().await.unwrap().status(), 401);
    let res = post(app, "/api/v1/auth/login", json!({"email": a.email, "password": PASSWORD})).await;
    assert_eq!(error_code(res, 403).await, "account_disabled");
}

backend_tests!(
    register_returns_user_and_recovery_code,
    registration_rejects_bad_input_without_creating_anything,
    login_sets_a_hardened_cookie_and_a_fresh_token_each_time,
    unknown_email_and_wrong_password_get_the_same_answer,
    session_endpoint_gives_user_and_csrf_token,
    api_tokens_are_created_listed_used_and_revoked,
    logout_ends_the_session,
    password_change_rewraps_and_ends_other_sessions,
    recovery_code_sets_a_new_password_once,
    deleting_the_account_removes_every_row,
    disabled_accounts_cannot_sign_in,
);

fn closed() -> journal_web::Config {
    journal_web::Config { registration_open: false, ..journal_testkit::test_config() }
}

async fn closed_registration_refuses_sign_up(app: &TestApp) {
    let res = post(
        app,
        "/api/v1/auth/register",
        json!({"email": "a@example.org", "password": PASSWORD, "display_name": "A", "role": "client"}),
    )
    .await;
    assert_eq!(error_code(res, 403).await, "registration_closed");
    let page = app.client().get(app.url("/register")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("created by the people who run it"));
    assert!(!page.contains("<form method=\"post\" action=\"/register\""));
    assert!(app.store.list_users().await.unwrap().is_empty());
}

backend_tests!(config = closed(); closed_registration_refuses_sign_up);
