//! Signing in again after a session ended, and sign-in limits that bound guessing without
//! letting a stranger lock someone out.

use std::time::{Duration, Instant};

use journal_testkit::browser::Browser;
use journal_testkit::{Backend, PASSWORD, TestApp, backend_tests, test_config};
use journal_web::{Config, RateLimits};
use reqwest::Response;
use serde_json::{Value, json};

use crate::error_code;

/// A client that, unlike a browser, keeps no cookies: each request says which it sends.
fn bare(_app: &TestApp) -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The `name=value` part of the response's `Set-Cookie` for `name`, and the whole header.
fn set_cookie(res: &Response, name: &str) -> Option<(String, String)> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| (v.split(';').next().unwrap().to_owned(), v.to_owned()))
}

fn short_idle() -> Config {
    Config { session_idle: Duration::from_secs(2), ..test_config() }
}

/// Signs in through the form and returns the session cookie (`tj_session=…`).
async fn form_login(app: &TestApp, cookie: Option<&str>) -> Response {
    let mut req = bare(app).post(app.url("/login")).form(&[("email", "a@example.org"), ("password", PASSWORD)]);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.unwrap()
}

async fn a_dead_session_cookie_does_not_stand_in_the_way(app: &TestApp) {
    let account = app.register("a@example.org", "client").await;
    let res = form_login(app, None).await;
    assert_eq!(res.status(), 303);
    let (stale, _) = set_cookie(&res, "tj_session").expect("session cookie");
    tokio::time::sleep(Duration::from_millis(3200)).await;

    // The page sends the person to sign in and tells the browser to forget the dead cookie.
    let page = bare(app).get(app.url("/settings")).header("cookie", &stale).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/login?next=/settings");
    let (cleared, header) = set_cookie(&page, "tj_session").expect("the dead cookie is cleared");
    assert_eq!(cleared, "tj_session=");
    assert!(header.contains("Max-Age=0"), "{header}");
    // The sign-in page, reached with it, clears it too.
    let login_page = bare(app).get(app.url("/login")).header("cookie", &stale).send().await.unwrap();
    assert_eq!(login_page.status(), 200);
    assert!(set_cookie(&login_page, "tj_session").is_some_and(|(c, _)| c == "tj_session="));
    // So does an API call made with it (a 401 that says why, and the cookie to forget).
    let api = bare(app).get(app.url("/api/v1/session")).header("cookie", &stale).send().await.unwrap();
    assert_eq!(api.status(), 401);
    assert!(set_cookie(&api, "tj_session").is_some_and(|(c, _)| c == "tj_session="), "the API clears it too");

    // With the dead cookie still sent, every way in works: the form…
    let again = form_login(app, Some(&stale)).await;
    assert_eq!(again.status(), 303, "{}", again.text().await.unwrap());
    assert_eq!(again.headers()["location"], "/");
    let (fresh, _) = set_cookie(&again, "tj_session").expect("a new session");
    assert_ne!(fresh, stale);
    let home = bare(app).get(app.url("/settings")).header("cookie", &fresh).send().await.unwrap();
    assert_eq!(home.status(), 200);
    // …the JSON login…
    let json_login = bare(app)
        .post(app.url("/api/v1/auth/login"))
        .header("cookie", &stale)
        .json(&json!({"email": "a@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_login.status(), 200);
    // …sign-up…
    let register = bare(app)
        .post(app.url("/register"))
        .header("cookie", &stale)
        .form(&[("email", "b@example.org"), ("display_name", "B"), ("password", PASSWORD), ("role", "client")])
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), 200);
    assert!(register.text().await.unwrap().contains("recovery-code"));
    // …and recovery. A cookie that never named a session is just as harmless.
    let made_up = format!("tj_session={}", "A".repeat(43));
    let recover = bare(app)
        .post(app.url("/recover"))
        .header("cookie", &made_up)
        .form(&[
            ("email", "a@example.org"),
            ("recovery_code", account.recovery_code.as_str()),
            ("new_password", "a new and longer password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(recover.status(), 200, "{}", recover.text().await.unwrap());

    // Another site still cannot post a sign-in, dead cookie or not.
    for (name, value) in [("origin", "http://evil.example"), ("sec-fetch-site", "cross-site")] {
        let evil = bare(app)
            .post(app.url("/api/v1/auth/login"))
            .header("cookie", &stale)
            .header(name, value)
            .json(&json!({"email": "a@example.org", "password": "a new and longer password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(evil, 403).await, "cross_site_request");
        let evil_form = bare(app)
            .post(app.url("/login"))
            .header(name, value)
            .form(&[("email", "a@example.org"), ("password", "a new and longer password")])
            .send()
            .await
            .unwrap();
        assert_eq!(evil_form.status(), 403);
    }

    // A live session still needs its token.
    let live = bare(app)
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "b@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let (live, _) = set_cookie(&live, "tj_session").unwrap();
    let forged = bare(app)
        .post(app.url("/settings/theme"))
        .header("cookie", &live)
        .form(&[("theme", "dark")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let api = bare(app).post(app.url("/api/v1/auth/logout")).header("cookie", &live).send().await.unwrap();
    assert_eq!(error_code(api, 403).await, "csrf_failed");
}

async fn a_session_in_use_outlives_a_short_idle_timeout(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(6) {
        tokio::time::sleep(Duration::from_millis(600)).await;
        let res = s.client.get(app.url("/api/v1/session")).send().await.unwrap();
        assert_eq!(res.status(), 200, "still in use after {:?}", started.elapsed());
    }
}

backend_tests!(config = short_idle(); a_dead_session_cookie_does_not_stand_in_the_way, a_session_in_use_outlives_a_short_idle_timeout);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_again_after_the_session_expired_in_a_browser() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn_with(Backend::Sqlite, short_idle()).await.unwrap();
    app.register("alex@example.org", "client").await;
    let sign_in = async |lands_on: &str| {
        b.fill("#email", "alex@example.org").await;
        b.fill("#password", PASSWORD).await;
        b.click("form[action='/login'] button").await;
        b.wait_text("h1", lands_on).await;
    };
    b.goto(&app.url("/login")).await;
    sign_in("Good").await;

    // Away from the tab for longer than the idle timeout, then back to the settings page: the
    // sign-in page, and after it the settings page again.
    tokio::time::sleep(Duration::from_millis(3200)).await;
    b.goto(&app.url("/settings")).await;
    assert_eq!(b.path().await, "/login");
    sign_in("Settings").await;
    assert_eq!(b.path().await, "/settings");

    b.close().await;
    app.stop().await;
}

// ------------------------------------------------------------------ limits

fn limits(rate_limits: RateLimits) -> Config {
    Config { trust_proxy: true, rate_limits, ..test_config() }
}

fn strict() -> Config {
    limits(RateLimits {
        window: Duration::from_secs(60),
        login_per_ip: 5,
        login_per_account_ip: 3,
        login_per_device: 3,
        login_per_account: 1000,
        ..RateLimits::default()
    })
}

async fn attempt(app: &TestApp, base: &str, from: &str, password: &str, device: Option<&str>) -> Response {
    let mut req = bare(app)
        .post(format!("{base}/api/v1/auth/login"))
        .header("x-forwarded-for", from)
        .json(&json!({"email": "owner@example.org", "password": password}));
    if let Some(d) = device {
        req = req.header("cookie", d);
    }
    req.send().await.unwrap()
}

/// What the message must say for a `Retry-After` of `secs`.
fn wait_words(secs: u64) -> String {
    match secs {
        1 => "1 second".to_owned(),
        2..=59 => format!("{secs} seconds"),
        _ if secs.div_ceil(60) == 1 => "1 minute".to_owned(),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

/// A 429 whose message names the same wait as its `Retry-After`.
async fn assert_paused(res: Response) {
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains(&format!("try again in {}.", wait_words(retry))), "{message} / {retry}");
}

async fn a_strangers_guesses_do_not_lock_the_owner_out(app: &TestApp) {
    app.register("owner@example.org", "client").await;
    let first = attempt(app, &app.base, "10.0.0.1", PASSWORD, None).await;
    assert_eq!(first.status(), 200);
    let (device, header) = set_cookie(&first, "tj_device").expect("a device cookie at sign-in");
    for part in ["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=31536000"] {
        assert!(header.contains(part), "{header}");
    }

    // A stranger sharing the owner's address guesses until refused; the right password from
    // there, without the owner's browser, is refused too.
    for _ in 0..3 {
        assert_eq!(attempt(app, &app.base, "10.0.0.2", "a wrong guess here", None).await.status(), 401);
    }
    assert_paused(attempt(app, &app.base, "10.0.0.2", "a wrong guess here", None).await).await;
    assert_paused(attempt(app, &app.base, "10.0.0.2", PASSWORD, None).await).await;
    // The address limit is reached too now.
    assert_paused(attempt(app, &app.base, "10.0.0.2", PASSWORD, None).await).await;

    // The owner's browser still gets in, from that address or any other.
    let owner = attempt(app, &app.base, "10.0.0.2", PASSWORD, Some(&device)).await;
    assert_eq!(owner.status(), 200);
    let (device, _) = set_cookie(&owner, "tj_device").expect("renewed at each sign-in");
    // So does the owner on another address, even without it.
    assert_eq!(attempt(app, &app.base, "10.0.0.3", PASSWORD, None).await.status(), 200);

    // A forged cookie, or another account's, is no pass.
    let mut forged = device.clone();
    forged.pop();
    forged.push(if device.ends_with('A') { 'B' } else { 'A' });
    assert_paused(attempt(app, &app.base, "10.0.0.2", PASSWORD, Some(&forged)).await).await;
    app.register("other@example.org", "client").await;
    let other = bare(app)
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", "10.0.0.9")
        .json(&json!({"email": "other@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let (others, _) = set_cookie(&other, "tj_device").unwrap();
    assert_paused(attempt(app, &app.base, "10.0.0.2", PASSWORD, Some(&others)).await).await;

    // The browser's own count still bounds guessing from it.
    for _ in 0..3 {
        assert_eq!(attempt(app, &app.base, "10.0.0.2", "a wrong guess here", Some(&device)).await.status(), 401);
    }
    assert_paused(attempt(app, &app.base, "10.0.0.2", PASSWORD, Some(&device)).await).await;

    // The sign-in page says the same to a person.
    let page = bare(app)
        .post(app.url("/login"))
        .header("x-forwarded-for", "10.0.0.2")
        .form(&[("email", "owner@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 429);
    let retry: u64 = page.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("try again in {}.", wait_words(retry))), "{html}");
}

fn slow() -> Config {
    limits(RateLimits {
        window: Duration::from_secs(60),
        login_per_ip: 100,
        login_per_account_ip: 100,
        login_per_account: 2,
        login_slowdown_step: Duration::from_secs(5),
        login_slowdown_max: Duration::from_secs(5),
        ..RateLimits::default()
    })
}

async fn guesses_for_an_account_slow_it_down_without_blocking(app: &TestApp) {
    app.register("owner@example.org", "client").await;
    let first = attempt(app, &app.base, "10.0.1.1", PASSWORD, None).await;
    let (device, _) = set_cookie(&first, "tj_device").unwrap();
    // Guesses from addresses all over the place.
    assert_eq!(attempt(app, &app.base, "10.0.2.1", "a wrong guess here", None).await.status(), 401);

    let started = Instant::now();
    let slowed = attempt(app, &app.base, "10.0.3.1", PASSWORD, None).await;
    assert_eq!(slowed.status(), 200, "slowed down, not refused");
    assert!(started.elapsed() >= Duration::from_secs(5), "{:?}", started.elapsed());

    let started = Instant::now();
    let known = attempt(app, &app.base, "10.0.3.2", PASSWORD, Some(&device)).await;
    assert_eq!(known.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(5), "the owner's browser is not slowed: {:?}", started.elapsed());
}

async fn limits_hold_across_app_servers(app: &TestApp) {
    app.register("owner@example.org", "client").await;
    let other = app.sibling_with(strict()).await;
    for base in [&app.base, &other, &app.base] {
        assert_eq!(attempt(app, base, "10.0.4.1", "a wrong guess here", None).await.status(), 401);
    }
    assert_paused(attempt(app, &other, "10.0.4.1", PASSWORD, None).await).await;
    assert_paused(attempt(app, &app.base, "10.0.4.1", PASSWORD, None).await).await;
    // A device cookie from one server is good on the other: they share the secret.
    let signed = attempt(app, &app.base, "10.0.4.2", PASSWORD, None).await;
    let (device, _) = set_cookie(&signed, "tj_device").unwrap();
    assert_eq!(attempt(app, &other, "10.0.4.1", PASSWORD, Some(&device)).await.status(), 200);
}

backend_tests!(config = strict(); a_strangers_guesses_do_not_lock_the_owner_out, limits_hold_across_app_servers);
backend_tests!(config = slow(); guesses_for_an_account_slow_it_down_without_blocking);
