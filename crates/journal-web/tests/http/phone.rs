//! On a phone: compression, long-lived assets, the installable app (manifest, service worker),
//! the offline crisis kit that never keeps anything private, and the tab bar.

use std::time::Duration;

use journal_testkit::browser::{Browser, Network};
use journal_testkit::{Backend, PASSWORD, TestApp, test_config};
use serde_json::{Value, json};

/// The address of the first file ending in `ext` that `html` links (`href` or `src`).
pub fn linked(html: &str, ext: &str) -> String {
    html.split(['"', '\''])
        .find(|part| part.starts_with('/') && (part.ends_with(ext) || part.contains(ext)))
        .unwrap_or_else(|| panic!("no {ext} linked in {html}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_styles_scripts_and_json_are_compressed() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let c = app.client();
    let page = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let (css, js) = (linked(&page, ".css"), linked(&page, ".js"));
    for path in ["/login", css.as_str(), js.as_str(), "/api/openapi.json", "/manifest.webmanifest"] {
        let plain = c.get(app.url(path)).send().await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none(), "{path}: nothing asked for, nothing compressed");
        let plain_len = plain.bytes().await.unwrap().len();
        for enc in ["br", "gzip"] {
            let res = c.get(app.url(path)).header("accept-encoding", enc).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            assert_eq!(res.headers().get("content-encoding").unwrap(), enc, "{path}");
            assert!(
                res.headers().get("vary").unwrap().to_str().unwrap().to_ascii_lowercase().contains("accept-encoding")
            );
            let len = res.bytes().await.unwrap().len();
            assert!(len < plain_len, "{path} {enc}: {len} >= {plain_len}");
        }
    }
    // Images are compressed already.
    let png = linked(&page, ".png");
    let res = c.get(app.url(&png)).header("accept-encoding", "br, gzip").send().await.unwrap();
    assert!(res.headers().get("content-encoding").is_none(), "{png}");
    // Downloads arrive whole and as they are.
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let res = c
        .post(app.url("/api/v1/account/export"))
        .bearer_auth(&t)
        .header("accept-encoding", "br, gzip")
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("content-encoding").is_none());
    let doc: Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(doc["format"], "therapy-journal-export");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_have_hashed_names_immutable_caching_and_etags() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let c = app.client();
    let page = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    for ext in [".css", ".js", ".svg", ".png"] {
        let url = linked(&page, ext);
        assert!(url.starts_with("/assets/"), "{url}");
        let hash = url.rsplit('.').nth(1).unwrap();
        assert_eq!(hash.len(), 16, "{url}: content hash in the name");
        let res = c.get(app.url(&url)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable", "{url}");
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.contains(hash), "{url}: {etag}");
        assert!(etag.starts_with("W/\""), "{etag}: weak, the same for each encoding");
        let again = c.get(app.url(&url)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{url}");
        assert_eq!(again.headers()["etag"], etag.as_str());
        assert!(again.bytes().await.unwrap().is_empty());
        let strong = c.get(app.url(&url)).header("if-none-match", etag.trim_start_matches("W/")).send().await.unwrap();
        assert_eq!(strong.status(), 304, "{url}: compared weakly");
        let other = c.get(app.url(&url)).header("if-none-match", "\"0000000000000000\"").send().await.unwrap();
        assert_eq!(other.status(), 200, "{url}: a different tag gets the file");
    }
    // A name from an earlier release still gets today's file, but only for now.
    let css = linked(&page, ".css");
    let stale = css.replace(css.rsplit('.').nth(1).unwrap(), "00000000000000aa");
    let res = c.get(app.url(&stale)).send().await.unwrap();
    assert_eq!((res.status().as_u16(), res.headers()["cache-control"].to_str().unwrap()), (200, "no-cache"));
    for missing in ["/assets/nothing.css", "/assets/app", "/assets/..%2Fapp.css", "/static/app.css"] {
        let res = c.get(app.url(missing)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{missing}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manifest_and_service_worker_make_it_installable() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let c = app.client();
    let page = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#), "{page}");
    assert!(page.contains(r##"name="theme-color" content="#fffdf9" media="(prefers-color-scheme: light)""##));
    assert!(page.contains(r##"name="theme-color" content="#1f2727" media="(prefers-color-scheme: dark)""##));
    assert!(page.contains("<title>Sign in · Therapy Journal</title>"));
    let res = c.get(app.url("/manifest.webmanifest")).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/manifest+json");
    let m: Value = res.json().await.unwrap();
    assert_eq!(
        (m["name"].as_str(), m["display"].as_str(), m["start_url"].as_str()),
        (Some("Therapy Journal"), Some("standalone"), Some("/"))
    );
    let icons = m["icons"].as_array().unwrap();
    let has = |size: &str, purpose: &str| icons.iter().any(|i| i["sizes"] == size && i["purpose"] == purpose);
    assert!(has("192x192", "any") && has("512x512", "any") && has("512x512", "maskable"), "{m}");
    for icon in icons {
        let src = icon["src"].as_str().unwrap();
        let res = c.get(app.url(src)).send().await.unwrap();
        assert_eq!((res.status().as_u16(), res.headers()["content-type"].to_str().unwrap()), (200, "image/png"));
        let bytes = res.bytes().await.unwrap();
        let side = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(format!("{side}x{side}"), icon["sizes"].as_str().unwrap(), "{src}: the PNG is the size it claims");
    }
    let apple = linked(&page, "apple-touch-icon.");
    let bytes = c.get(app.url(&apple)).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 180);

    let sw = c.get(app.url("/sw.js")).send().await.unwrap();
    assert_eq!(sw.status(), 200);
    let h = sw.headers().clone();
    assert!(h["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(h["cache-control"], "no-cache");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    let body = sw.text().await.unwrap();
    assert!(body.contains(&linked(&page, ".css")), "the worker keeps this release's files");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_neutral_name_and_icon_by_choice_or_for_everyone() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.register("a@example.org", "client").await;
    let s = app.login("a@example.org", PASSWORD).await;
    let res = s
        .client
        .post(app.url("/settings/app-name"))
        .form(&[("csrf_token", s.csrf.as_str()), ("app_name", "neutral")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let settings = s.client.get(app.url("/settings?notice=app-name")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("<title>Settings · Journal</title>"), "{settings}");
    assert!(settings.contains("<span>Journal</span>"), "the header says Journal");
    assert!(!settings.split("<main").next().unwrap().contains("Therapy Journal"), "and the head says nothing else");
    assert!(settings.contains(r#"href="/manifest.webmanifest?app=neutral""#));
    let m: Value =
        s.client.get(app.url("/manifest.webmanifest?app=neutral")).send().await.unwrap().json().await.unwrap();
    assert_eq!((m["name"].as_str(), m["short_name"].as_str()), (Some("Journal"), Some("Journal")));
    assert!(m["icons"].as_array().unwrap().iter().all(|i| i["src"].as_str().unwrap().contains("neutral-")), "{m}");
    // And back.
    s.client
        .post(app.url("/settings/app-name"))
        .form(&[("csrf_token", s.csrf.as_str()), ("app_name", "full")])
        .send()
        .await
        .unwrap();
    let home = s.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("<title>Home · Therapy Journal</title>"));
    // Without a session, no change.
    let res = app.client().post(app.url("/settings/app-name")).form(&[("app_name", "neutral")]).send().await.unwrap();
    assert!(res.status().is_client_error() || res.status().is_redirection(), "{}", res.status());
    assert!(res.headers().get("set-cookie").is_none_or(|v| !v.to_str().unwrap().contains("tj_app")));
    app.stop().await;

    let app =
        TestApp::spawn_with(Backend::Sqlite, journal_web::config::Config { neutral_app_name: true, ..test_config() })
            .await
            .unwrap();
    let login = app.client().get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(login.contains("<title>Sign in · Journal</title>"), "{login}");
    for path in ["/", "/login", "/register", "/crisis", "/offline"] {
        let page = app.client().get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("Therapy Journal"), "{path} names the app");
    }
    let m: Value = app.client().get(app.url("/manifest.webmanifest")).send().await.unwrap().json().await.unwrap();
    assert_eq!(m["name"], "Journal");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_therapists_home_is_their_caseload_and_the_more_page_lists_the_rest() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.register("t@example.org", "therapist").await;
    let s = app.login("t@example.org", PASSWORD).await;
    let home = s.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("<h1>Caseload</h1>") && home.contains("<title>Home · Therapy Journal</title>"), "{home}");
    assert!(!home.contains("Thank you for taking a moment for yourself"));
    assert!(home.contains(r#"<a href="/" aria-current="page">"#), "Home is the current tab");
    assert!(home.contains(r#"<a href="/connections">"#), "a therapist's tabs have their clients");
    let more = s.client.get(app.url("/more")).send().await.unwrap().text().await.unwrap();
    for link in ["/therapist", "/settings", "/toolbox", "/logout"] {
        assert!(more.contains(&format!("\"{link}\"")), "{link} on More");
    }
    let offline = app.client().get(app.url("/offline")).send().await.unwrap().text().await.unwrap();
    assert!(offline.contains("You're offline") && offline.contains(r#"href="/crisis""#));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_therapists_home_lists_flagged_clients_first() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.register("t@example.org", "therapist").await;
    let therapist = app.token("t@example.org", PASSWORD).await;
    let mut ids = vec![];
    for (i, item9) in [0, 2, 0].into_iter().enumerate() {
        let email = format!("c{i}@example.org");
        let id = app.register(&email, "client").await.id;
        let client = app.token(&email, PASSWORD).await;
        let (_, invite) = app.api(&therapist, "POST", "/api/v1/invites", None).await;
        let (status, c) =
            app.api(&client, "POST", "/api/v1/connections", Some(json!({"code": invite["code"].clone()}))).await;
        assert_eq!(status, 201, "{c}");
        let metrics = format!("/api/v1/connections/{}/metrics", c["id"].as_str().unwrap());
        assert_eq!(app.api(&client, "PUT", &metrics, Some(json!({"mood": true, "assessments": true}))).await.0, 200);
        let answers = json!([1, 1, 1, 1, 1, 1, 1, 1, item9]);
        let (status, _) = app
            .api(&client, "POST", "/api/v1/assessments", Some(json!({"instrument": "phq9", "answers": answers})))
            .await;
        assert_eq!(status, 201);
        ids.push(id);
    }
    let s = app.login("t@example.org", PASSWORD).await;
    let home = s.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let at = |id: &str| home.find(&format!("/therapist/clients/{id}")).unwrap_or_else(|| panic!("{id} listed"));
    assert!(at(&ids[1]) < at(&ids[0]) && at(&ids[1]) < at(&ids[2]), "the flagged client comes first");
    // The self-harm answer is said once: as the caseload alert, not also as the older flag.
    assert_eq!(home.matches("Needs attention:").count() + home.matches("Private flag").count(), 1);
    app.stop().await;
}

// ---------------------------------------------------------------- in the browser

async fn sign_in(b: &Browser, net: &Network, email: &str) {
    b.goto(&net.url("/login")).await;
    b.fill("#email", email).await;
    b.fill("#password", PASSWORD).await;
    b.click("form[action='/login'] button").await;
    b.wait_text("h1", "Good").await;
}

/// Waits until the service worker controls the page (it claims pages as soon as it is active).
async fn controlled(b: &Browser) {
    let r = b
        .eval_async(
            "await navigator.serviceWorker.ready;
             for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) await new Promise((r) => setTimeout(r, 100));
             return Boolean(navigator.serviceWorker.controller);",
        )
        .await;
    assert_eq!(r, json!(true), "a service worker controls the page");
}

/// Every cache the page's origin has, as (cache, path, body).
async fn cached(b: &Browser) -> Vec<(String, String, String)> {
    let v = b
        .eval_async(
            "const out = [];
             for (const name of await caches.keys()) {
               const cache = await caches.open(name);
               for (const req of await cache.keys()) {
                 const res = await cache.match(req);
                 const url = new URL(req.url);
                 out.push([name, url.pathname + url.search, await res.text()]);
               }
             }
             return out;",
        )
        .await;
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"))
}

async fn wait_cached(b: &Browser, cache: &str, paths: &[&str]) {
    let mut last = vec![];
    for _ in 0..100 {
        last = cached(b).await;
        if paths.iter().all(|p| last.iter().any(|(c, path, _)| c == cache && path == p)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let have: Vec<_> = last.iter().map(|(c, p, _)| format!("{c} {p}")).collect();
    panic!("{cache} never held {paths:?}; it has {have:?}");
}

async fn current_tab(b: &Browser) -> String {
    b.text("nav.tabbar a[aria-current=page]").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installable_with_a_tab_bar_and_a_crisis_kit_that_opens_offline_keeping_nothing_private() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let net = Network::to(&app.url("")).await;
    app.register("phone@example.org", "client").await;
    let t = app.token("phone@example.org", PASSWORD).await;
    let prefs = json!({"country": "ca", "week_start": 1});
    assert_eq!(app.api(&t, "PUT", "/api/v1/account/preferences", Some(prefs)).await.0, 200);
    const CANARY: &str = "wombat-canary-lighthouse";
    sign_in(&b, &net, "phone@example.org").await;

    // Install criteria: a manifest with 192 and 512 px icons, and a worker controlling the page.
    let m = b
        .eval_async(
            "const link = document.querySelector('link[rel=manifest]');
             const m = await (await fetch(link.href)).json();
             return m.icons.map((i) => i.sizes);",
        )
        .await;
    assert!(m.as_array().unwrap().contains(&json!("192x192")) && m.as_array().unwrap().contains(&json!("512x512")));
    controlled(&b).await;
    let reg = b
        .eval_async(
            "const r = await navigator.serviceWorker.getRegistration();
             return [new URL(r.scope).pathname, new URL(r.active.scriptURL).pathname];",
        )
        .await;
    assert_eq!(reg, json!(["/", "/sw.js"]), "one worker for the whole app");

    // The tab bar: at the bottom of a phone's screen, the current place marked.
    assert_eq!(current_tab(&b).await, "Home");
    let bottom = b
        .client
        .execute(
            "const r = document.querySelector('nav.tabbar').getBoundingClientRect(); return Math.round(innerHeight - r.bottom);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(bottom, json!(0), "the tab bar sits at the bottom");
    assert_eq!(b.text("header a.help-link").await, "Need help now?");
    b.click("nav.tabbar a[href='/journal/new']").await;
    b.wait_text("h1", "Write").await;
    assert_eq!(current_tab(&b).await, "Write");
    // Typing: the tab bar steps aside.
    b.fill("#body", &format!("The {CANARY} is my secret.")).await;
    let shown = b
        .client
        .execute("return getComputedStyle(document.querySelector('nav.tabbar')).display;", vec![])
        .await
        .unwrap();
    assert_eq!(shown, json!("none"), "hidden while typing");
    b.fill("#title", &format!("About the {CANARY}")).await;
    b.click("form.write-form button[type=submit]").await;
    b.wait_text("[role=status]", "Saved").await;
    assert_eq!(current_tab(&b).await, "Journal");
    b.click("nav.tabbar a[href='/mood']").await;
    b.wait_text("h1", "How are you").await;
    assert_eq!(current_tab(&b).await, "Check in");

    // Private things to browse: a check-in note, a questionnaire result, a thought record.
    let (s, _) =
        app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": 2, "note": format!("Mood note {CANARY}")}))).await;
    assert_eq!(s, 201);
    let (s, result) = app
        .api(&t, "POST", "/api/v1/assessments", Some(json!({"instrument": "gad7", "answers": [1, 2, 1, 0, 1, 2, 1]})))
        .await;
    assert_eq!(s, 201, "{result}");
    let plan = json!({"warning_signs": [format!("Plan {CANARY}")], "reasons_for_living": ["My dog"]});
    assert_eq!(app.api(&t, "PUT", "/api/v1/safety-plan", Some(plan)).await.0, 200);
    let result_page = format!("/assessments/results/{}", result["id"].as_str().unwrap());
    let pages = [
        "/",
        "/journal",
        "/journal/calendar",
        "/journal/on-this-day",
        "/search?q=wombat",
        "/mood",
        "/insights",
        "/assessments",
        result_page.as_str(),
        "/goals",
        "/prompts",
        "/thought-records",
        "/review",
        "/reminders",
        "/connections",
        "/summary",
        "/access-log",
        "/settings",
        "/settings/data",
        "/more",
        "/safety-plan",
        "/toolbox",
        "/crisis",
    ];
    for page in pages {
        b.goto(&net.url(page)).await;
        b.find("main h1").await;
    }
    let entry = b.eval_async("return (await (await fetch('/api/v1/entries')).json()).items[0].id;").await;
    b.goto(&net.url(&format!("/journal/{}", entry.as_str().unwrap()))).await;
    b.wait_text("main", CANARY).await;
    assert_eq!(current_tab(&b).await, "Journal");

    wait_cached(&b, "tj-kit", &["/crisis", "/toolbox"]).await;
    let all = cached(&b).await;
    for (cache, path, body) in &all {
        assert!(!body.contains(CANARY), "{cache} {path} holds private words");
        let allowed = path.starts_with("/assets/") || ["/offline", "/crisis", "/toolbox"].contains(&path.as_str());
        assert!(allowed, "{cache} keeps {path}, which is not on the list");
    }
    assert!(all.iter().any(|(c, p, _)| c.starts_with("tj-shell-") && p == "/offline"));

    // No connection: the kit opens; everything else says so and points to help.
    net.set_offline(true);
    b.goto(&net.url("/crisis")).await;
    b.wait_text("h1", "Help, right now").await;
    b.wait_text("main", "Showing lines for Canada first").await;
    b.goto(&net.url("/toolbox")).await;
    b.wait_text("h1", "Coping toolbox").await;
    let styled = b.client.execute("return getComputedStyle(document.body).display;", vec![]).await.unwrap();
    assert_eq!(styled, json!("flex"), "the stylesheet came from the cache too");
    for private in ["/journal", "/mood", "/safety-plan", result_page.as_str()] {
        b.goto(&net.url(private)).await;
        b.wait_text("h1", "You're offline").await;
        assert!(!b.text("main").await.contains(CANARY));
        b.find("main a[href='/crisis']").await;
    }
    net.set_offline(false);
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_safety_plan_is_kept_offline_only_with_consent_and_goes_on_sign_out() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let net = Network::to(&app.url("")).await;
    app.register("plan@example.org", "client").await;
    let t = app.token("plan@example.org", PASSWORD).await;
    let plan = json!({"warning_signs": ["Not sleeping for days"], "reasons_for_living": ["My dog, Biscuit"]});
    assert_eq!(app.api(&t, "PUT", "/api/v1/safety-plan", Some(plan)).await.0, 200);
    sign_in(&b, &net, "plan@example.org").await;
    controlled(&b).await;

    let offline_plan = |expect: &'static str| {
        let b = &b;
        let net = &net;
        async move {
            net.set_offline(true);
            b.goto(&net.url("/safety-plan")).await;
            b.wait_text("h1", expect).await;
            net.set_offline(false);
        }
    };

    b.goto(&net.url("/safety-plan")).await;
    b.wait_text("h1", "My safety plan").await;
    offline_plan("You're offline").await;

    // Consent: kept, and it opens offline.
    b.goto(&net.url("/safety-plan")).await;
    b.click("input[data-keep-plan]").await;
    b.wait_text("[data-keep-plan-status]", "Kept on this device").await;
    wait_cached(&b, "tj-plan", &["/safety-plan"]).await;
    offline_plan("My safety plan").await;
    assert!(b.text("main").await.contains("Biscuit"));

    // Withdrawn: gone.
    b.goto(&net.url("/safety-plan")).await;
    let checked = b.find("input[data-keep-plan]").await.prop("checked").await.unwrap();
    assert_eq!(checked.as_deref(), Some("true"), "the box remembers the choice");
    b.click("input[data-keep-plan]").await;
    b.wait_text("[data-keep-plan-status]", "Removed from this device").await;
    assert!(cached(&b).await.iter().all(|(c, _, _)| c != "tj-plan"));
    offline_plan("You're offline").await;

    // Kept again, then signing out removes it and the person's kit.
    b.goto(&net.url("/safety-plan")).await;
    b.click("input[data-keep-plan]").await;
    b.wait_text("[data-keep-plan-status]", "Kept on this device").await;
    wait_cached(&b, "tj-kit", &["/toolbox"]).await;
    b.click("nav a[href='/more']").await;
    b.click("form[action='/logout'] button").await;
    b.wait_text("[role=status]", "signed out").await;
    let mut left = vec![];
    for _ in 0..50 {
        left = cached(&b).await;
        if left.iter().all(|(c, p, _)| c != "tj-plan" && p != "/toolbox") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let kept: Vec<_> = left.iter().map(|(c, p, _)| format!("{c} {p}")).collect();
    assert!(left.iter().all(|(c, p, _)| c != "tj-plan" && p != "/toolbox" && p != "/safety-plan"), "{kept:?}");
    assert!(left.iter().all(|(_, _, body)| !body.contains("Biscuit")));
    offline_plan("You're offline").await;
    b.close().await;
    app.stop().await;
}
