//! The web hardening rules of SECURITY.md, each one checked over HTTP.

use std::time::Duration;

use journal_testkit::{PASSWORD, TestApp, backend_tests, test_config};
use journal_web::{Config, RateLimits};
use serde_json::{Value, json};

use crate::error_code;

async fn csrf_token_is_required_for_cookie_authenticated_changes(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let body = json!({"current_password": PASSWORD, "new_password": "another long password"});
    let url = app.url("/api/v1/account/password");

    let missing = s.client.post(&url).json(&body).send().await.unwrap();
    assert_eq!(error_code(missing, 403).await, "csrf_failed");
    let wrong = s.client.post(&url).header("x-csrf-token", "forged").json(&body).send().await.unwrap();
    assert_eq!(error_code(wrong, 403).await, "csrf_failed");
    let logout = s.client.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    assert_eq!(error_code(logout, 403).await, "csrf_failed");
    assert_eq!(s.client.get(app.url("/api/v1/session")).send().await.unwrap().status(), 200, "nothing happened");

    // A form post needs the token as a field.
    let page = s.client.post(app.url("/settings/theme")).form(&[("theme", "dark")]).send().await.unwrap();
    assert_eq!(page.status(), 403);
    let ok = s
        .client
        .post(app.url("/settings/theme"))
        .form(&[("theme", "dark"), ("csrf_token", s.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);

    let right = s.client.post(&url).header("x-csrf-token", &s.csrf).json(&body).send().await.unwrap();
    assert_eq!(right.status(), 204);

    // Bearer tokens are exempt: a browser never attaches one by itself.
    let token = app.token("a@example.org", "another long password").await;
    let res = app.client().post(app.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 204);
}

async fn cross_site_requests_are_refused(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let login = json!({"email": "a@example.org", "password": PASSWORD});
    let evil = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .header("origin", "http://evil.example")
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(evil, 403).await, "cross_site_request");
    let fetch = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .header("sec-fetch-site", "cross-site")
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(fetch, 403).await, "cross_site_request");
    let form = app
        .client()
        .post(app.url("/login"))
        .header("origin", "null")
        .form(&[("email", "a@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 403);
    // Chromium sends `Origin: null` on same-origin posts under `Referrer-Policy: no-referrer`.
    let null_but_same = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(null_but_same.status(), 200);
    let same = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .header("origin", app.base.as_str())
        .header("sec-fetch-site", "same-origin")
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
}

async fn every_response_carries_the_security_headers(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    for path in ["/", "/login", "/settings", "/crisis", "/api/v1/session", "/api/v1/nothing-here", "/no-such-page"] {
        let res = s.client.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(csp.contains("script-src 'self'"), "{path}");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer", "{path}");
        assert_eq!(h.get("x-frame-options").unwrap(), "DENY", "{path}");
        assert_eq!(h.get("cache-control").unwrap(), "no-store", "{path}: private pages are never cached");
        assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    }
    let login = app.client().get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let css = crate::phone::linked(&login, ".css");
    let css = app.client().get(app.url(&css)).send().await.unwrap();
    assert!(css.headers().get("cache-control").unwrap().to_str().unwrap().starts_with("public"));
}

async fn oversized_bodies_get_413(app: &TestApp) {
    let huge = "x".repeat(2 * 1024 * 1024);
    let body = json!({"email": "a@example.org", "password": huge, "display_name": "A", "role": "client"});
    let res = app.client().post(app.url("/api/v1/auth/register")).json(&body).send().await.unwrap();
    assert_eq!(error_code(res, 413).await, "too_large");
    let form = app
        .client()
        .post(app.url("/login"))
        .form(&[("email", "a@example.org"), ("password", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 413);
    assert!(app.store.list_users().await.unwrap().is_empty());
}

async fn malformed_input_never_causes_a_server_error(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let token = app.token("a@example.org", PASSWORD).await;
    let bodies: [&[u8]; 9] = [
        b"",
        b"null",
        b"[]",
        b"{\"email\":[1,2]}",
        b"\xff\xfe\x00garbage",
        b"{\"password\":{}}",
        b"{\"email\":\"a@example.org\",\"password\":null}",
        b"\"just a string\"",
        b"{{{{",
    ];
    let posts = [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/tokens",
        "/api/v1/auth/recover",
        "/api/v1/account/password",
        "/api/v1/auth/logout",
    ];
    for path in posts {
        for body in bodies {
            for ct in ["application/json", "text/plain", "application/x-www-form-urlencoded"] {
                let res = app
                    .client()
                    .post(app.url(path))
                    .bearer_auth(&token)
                    .header("content-type", ct)
                    .body(body.to_vec())
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                assert!(status < 500, "{path} {ct} {:?} gave {status}", String::from_utf8_lossy(body));
                if status >= 400 {
                    error_code(res, status).await;
                }
            }
        }
    }
    for (method, path) in [
        ("PUT", "/api/v1/session"),
        ("GET", "/api/v1/auth/tokens/%00"),
        ("DELETE", "/api/v1/auth/tokens/..%2F..%2Fetc"),
    ] {
        let res =
            app.client().request(method.parse().unwrap(), app.url(path)).bearer_auth(&token).send().await.unwrap();
        let status = res.status().as_u16();
        assert!((400..500).contains(&status), "{method} {path}: {status}");
        error_code(res, status).await;
    }
    for page in ["/login", "/register", "/recover"] {
        let res = app
            .client()
            .post(app.url(page))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("%%%&&&=")
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{page}: {}", res.status());
    }
}

backend_tests!(
    csrf_token_is_required_for_cookie_authenticated_changes,
    cross_site_requests_are_refused,
    every_response_carries_the_security_headers,
    oversized_bodies_get_413,
    malformed_input_never_causes_a_server_error,
);

fn tight_limits() -> Config {
    Config {
        rate_limits: RateLimits {
            window: Duration::from_secs(60),
            login_per_ip: 100,
            login_per_account_ip: 3,
            register_per_ip: 2,
            recover_per_ip: 100,
            recover_per_account_ip: 2,
            ..RateLimits::default()
        },
        ..test_config()
    }
}

async fn sign_in_sign_up_and_recovery_are_rate_limited(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let login = json!({"email": "a@example.org", "password": "guessing a password"});
    for _ in 0..3 {
        let res = app.client().post(app.url("/api/v1/auth/login")).json(&login).send().await.unwrap();
        assert_eq!(res.status(), 401);
    }
    let limited = app.client().post(app.url("/api/v1/auth/login")).json(&login).send().await.unwrap();
    let retry: u64 = limited.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(error_code(limited, 429).await, "rate_limited");
    // Even the right password waits: the limit is on attempts, not failures.
    let right = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "a@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 429);
    // Another account is not locked out by someone guessing this one.
    app.register("b@example.org", "client").await;
    app.login("b@example.org", PASSWORD).await;

    let third = app
        .client()
        .post(app.url("/api/v1/auth/register"))
        .json(&json!({"email": "c@example.org", "password": PASSWORD, "display_name": "C", "role": "client"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(third, 429).await, "rate_limited");

    let recover = json!({"email": "b@example.org", "recovery_code": "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", "new_password": "whatever it may be"});
    for _ in 0..2 {
        let res = app.client().post(app.url("/api/v1/auth/recover")).json(&recover).send().await.unwrap();
        assert_eq!(res.status(), 401);
    }
    let res = app.client().post(app.url("/api/v1/auth/recover")).json(&recover).send().await.unwrap();
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(error_code(res, 429).await, "rate_limited");
    // The login page shows the same limit to a person.
    let page = app
        .client()
        .post(app.url("/login"))
        .form(&[("email", "a@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 429);
    assert!(page.headers().contains_key("retry-after"));
}

backend_tests!(config = tight_limits(); sign_in_sign_up_and_recovery_are_rate_limited);

fn short_idle() -> Config {
    Config { session_idle: Duration::from_secs(2), ..test_config() }
}

async fn idle_sessions_expire(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let token = app.token("a@example.org", PASSWORD).await;
    assert_eq!(s.client.get(app.url("/api/v1/session")).send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let res = s.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(error_code(res, 401).await, "session_expired");
    let page = s.client.get(app.url("/settings")).send().await.unwrap();
    assert_eq!(page.status(), 303, "pages send an expired session to sign in");
    let still = app.client().get(app.url("/api/v1/session")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(still.status(), 200, "API tokens have no idle expiry");
}

backend_tests!(config = short_idle(); idle_sessions_expire);

fn short_max() -> Config {
    Config { session_max: Duration::from_secs(4), ..test_config() }
}

async fn sessions_have_an_absolute_lifetime(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    // Timestamps are whole seconds, so a 4 s lifetime is at least 3 s: stay well inside it, busy.
    for _ in 0..2 {
        assert_eq!(s.client.get(app.url("/api/v1/session")).send().await.unwrap().status(), 200);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let res = s.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(error_code(res, 401).await, "session_expired");
}

backend_tests!(config = short_max(); sessions_have_an_absolute_lifetime);

fn https() -> Config {
    Config { public_url: Some("https://journal.example.org".to_owned()), ..test_config() }
}

async fn https_deployments_get_host_prefixed_secure_cookies_and_hsts(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let res = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .header("origin", "https://journal.example.org")
        .json(&json!({"email": "a@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.starts_with("__Host-tj_session="), "{cookie}");
    // The served contract names the cookie this server really sets.
    let doc: Value = app.client().get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["components"]["securitySchemes"]["session_cookie"]["name"], "__Host-tj_session");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"));
    assert!(res.headers().get("strict-transport-security").unwrap().to_str().unwrap().contains("max-age="));
    let wrong_origin = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .header("origin", app.base.as_str())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(wrong_origin, 403).await, "cross_site_request");
}

backend_tests!(config = https(); https_deployments_get_host_prefixed_secure_cookies_and_hsts);
