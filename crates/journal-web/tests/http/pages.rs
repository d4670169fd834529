//! Pages over plain HTTP (no JavaScript): redirects, forms, and the public crisis page.

use journal_testkit::{PASSWORD, Session, TestApp, backend_tests};
use serde_json::Value;

async fn private_pages_send_visitors_to_sign_in(app: &TestApp) {
    for path in ["/settings", "/settings/profile", "/settings/security", "/settings/devices"] {
        let res = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(res.headers().get("location").unwrap(), &format!("/login?next={path}"));
    }
    let home = app.client().get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Create your journal"), "the anonymous home page explains the app");
}

async fn crisis_page_is_public_and_linked_from_every_page(app: &TestApp) {
    let res = app.client().get(app.url("/crisis")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("988"));
    assert!(html.contains("116 123"));
    assert!(html.contains("not an emergency service"));
    for path in ["/", "/login", "/register", "/recover", "/no-such-page"] {
        let html = app.client().get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("href=\"/crisis\">Need help now?"), "{path}");
        assert!(html.contains("class=\"skip-link\" href=\"#main\""), "{path}");
        assert!(html.contains("<main id=\"main\""), "{path}");
    }
}

async fn forms_work_without_javascript(app: &TestApp) {
    let c = app.client();
    let res = c
        .post(app.url("/register"))
        .form(&[("display_name", "Robin"), ("email", "robin@example.org"), ("password", PASSWORD), ("role", "client")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("set-cookie").is_some(), "signed in straight away");
    let html = res.text().await.unwrap();
    assert!(html.contains("recovery-code"));
    assert!(html.contains("only</strong> way back into your journal"));

    let settings = c.get(app.url("/settings")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("robin@example.org"));
    // The index only links to its sections; the password form is on the security page.
    let security = c.get(app.url("/settings/security")).send().await.unwrap().text().await.unwrap();
    let csrf = security.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();

    let bad = c
        .post(app.url("/settings/password"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("current_password", "wrong one!!"),
            ("new_password", "a different password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    assert!(bad.text().await.unwrap().contains("That password isn"));

    let token = c
        .post(app.url("/settings/tokens"))
        .form(&[("csrf_token", csrf.as_str()), ("name", "backup"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(token.contains("Here is your new token"));

    let out = c.post(app.url("/logout")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(c.get(app.url("/settings")).send().await.unwrap().status(), 303);

    let wrong = c
        .post(app.url("/login"))
        .form(&[("email", "robin@example.org"), ("password", "not the password")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.text().await.unwrap().contains("don&#39;t match"));
    let ok = c
        .post(app.url("/login"))
        .form(&[("email", "robin@example.org"), ("password", PASSWORD), ("next", "/settings")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    assert_eq!(ok.headers().get("location").unwrap(), "/settings");
    let offsite = app
        .client()
        .post(app.url("/login"))
        .form(&[("email", "robin@example.org"), ("password", PASSWORD), ("next", "//evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(offsite.headers().get("location").unwrap(), "/", "never redirect off-site");
}

async fn healthz_and_openapi_answer(app: &TestApp) {
    let health: Value = app.client().get(app.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let doc: Value = app.client().get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["components"]["securitySchemes"]["session_cookie"]["name"], "tj_session");
    for path in ["/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/session", "/api/v1/account"] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}

/// A page's query string that can't be read gets a page in the app's own words, not axum's
/// plain-text 400.
async fn a_bad_query_string_gets_a_page_that_says_so(app: &TestApp) {
    app.register("q@example.org", "client").await;
    let s = app.login("q@example.org", PASSWORD).await;
    for path in ["/insights?days=lots", "/journal?limit=abc&cursor=%ZZ", "/mood?saved=1&saved=2&days=x"] {
        let res = s.client.get(app.url(path)).send().await.unwrap();
        let status = res.status().as_u16();
        let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let html = res.text().await.unwrap();
        if status == 200 {
            continue; // a page may ignore a parameter it does not use
        }
        assert_eq!(status, 422, "{path}: {html}");
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        assert!(html.contains("<main") && !html.contains("Failed to deserialize"), "{path}: {html}");
    }
    let res = s.client.get(app.url("/insights?days=lots")).send().await.unwrap();
    assert_eq!(res.status(), 422, "a number that is not a number is named");
    assert!(res.text().await.unwrap().contains("days"));
}

backend_tests!(
    private_pages_send_visitors_to_sign_in,
    crisis_page_is_public_and_linked_from_every_page,
    forms_work_without_javascript,
    healthz_and_openapi_answer,
    a_bad_query_string_gets_a_page_that_says_so,
);

/// Settings are an index and a page for each section; every form posts where it always did and
/// comes back to its own section, with its message beside it when something needs correcting.
async fn settings_are_split_into_sections_that_forms_return_to(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let index = s.client.get(app.url("/settings")).send().await.unwrap().text().await.unwrap();
    for href in ["/settings/profile", "/settings/security", "/settings/devices", "/reminders", "/settings/data"] {
        assert!(index.contains(&format!("href=\"{href}\"")), "{href}");
    }
    assert!(!index.contains("name=\"current_password\"") && !index.contains("name=\"time_zone\""));
    let profile = s.client.get(app.url("/settings/profile")).send().await.unwrap().text().await.unwrap();
    assert!(profile.contains("action=\"/settings/theme\"") && profile.contains("action=\"/settings/time-zone\""));
    assert!(profile.contains("action=\"/settings/preferences\"") && !profile.contains("/settings/password"));
    let security = s.client.get(app.url("/settings/security")).send().await.unwrap().text().await.unwrap();
    assert!(security.contains("action=\"/settings/password\"") && !security.contains("action=\"/settings/tokens\""));
    assert!(security.contains("action=\"/settings/delete\"") && !security.contains("/settings/time-zone"));
    let devices = s.client.get(app.url("/settings/devices")).send().await.unwrap().text().await.unwrap();
    assert!(devices.contains("<h1>Devices</h1>") && devices.contains("Where you're signed in"));
    assert!(devices.contains("action=\"/settings/tokens\"") && !devices.contains("/settings/password"));

    async fn post_form(app: &TestApp, s: &Session, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut form = form.to_vec();
        form.push(("csrf_token", s.csrf.as_str()));
        s.client.post(app.url(path)).form(&form).send().await.unwrap()
    }
    let post = |path, form| post_form(app, &s, path, form);
    let res = post("/settings/time-zone", &[("time_zone", "Europe/Paris")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/settings/profile?notice=time-zone");
    let res = post("/settings/theme", &[("theme", "dark")]).await;
    assert_eq!(res.headers()["location"], "/settings/profile?notice=theme");
    let res = post("/settings/time-zone", &[("time_zone", "Mars/Olympus")]).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("<h1>Profile and preferences</h1>") && page.contains("role=\"alert\""), "{page}");
    let res = post("/settings/sessions/end-others", &[]).await;
    assert_eq!(res.headers()["location"], "/settings/devices?notice=signed-out-elsewhere");
    let res = post(
        "/settings/password",
        &[("current_password", "not the password"), ("new_password", "another long password")],
    )
    .await;
    assert_eq!(res.status(), 401);
    assert!(res.text().await.unwrap().contains("<h1>Security</h1>"));
    let notice =
        s.client.get(app.url("/settings/profile?notice=time-zone")).send().await.unwrap().text().await.unwrap();
    assert!(notice.contains("Your time zone is saved.") && notice.contains("value=\"Europe/Paris\""));
}

backend_tests!(settings_are_split_into_sections_that_forms_return_to);
