//! Signing in again after a session ended.

use std::time::{Duration, Instant};

use journal_testkit::browser::Browser;
use journal_testkit::{Backend, PASSWORD, TestApp, backend_tests, test_config};
use journal_web::Config;
use reqwest::Response;
use serde_json::json;

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
