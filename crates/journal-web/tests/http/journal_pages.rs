//! The journal's pages over plain HTTP, without JavaScript.

use journal_testkit::{PASSWORD, TestApp, backend_tests};
use serde_json::json;

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

async fn writing_reading_editing_and_deleting_work_without_javascript(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let c = app.client();
    c.post(app.url("/login")).form(&[("email", "a@example.org"), ("password", PASSWORD)]).send().await.unwrap();
    let new = c.get(app.url("/journal/new")).send().await.unwrap().text().await.unwrap();
    assert!(new.contains("on your mind?"));
    let csrf = csrf_of(&new);

    let empty = c
        .post(app.url("/journal/new"))
        .form(&[("csrf_token", csrf.as_str()), ("title", "Kept"), ("body", "  "), ("entry_date", "2024-04-02")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
    let html = empty.text().await.unwrap();
    assert!(html.contains("nothing written yet") && html.contains("value=\"Kept\""), "the form keeps what was typed");

    let res = c
        .post(app.url("/journal/new"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("title", "A better afternoon"),
            ("body", "The *walk* helped.\n\n<img src=x onerror=alert(1)>"),
            ("tags", "walks, Calm "),
            ("entry_date", "2024-04-02"),
            ("mood", "4"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers().get("location").unwrap().to_str().unwrap().to_owned();
    let id = location.trim_start_matches("/journal/").split('?').next().unwrap().to_owned();
    let page = c.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<em>walk</em>"));
    assert!(!page.contains("<img src=x") && page.contains("&lt;img src=x"), "raw HTML is shown, not rendered");
    assert!(page.contains("Mood: Good"));
    assert!(page.contains("href=\"/journal/tags/calm\""));

    let timeline = c.get(app.url("/journal")).send().await.unwrap().text().await.unwrap();
    assert!(timeline.contains("Tuesday 2 April 2024") && timeline.contains("A better afternoon"));
    let tag = c.get(app.url("/journal/tags/calm")).send().await.unwrap().text().await.unwrap();
    assert!(tag.contains("A better afternoon"));
    let cal = c.get(app.url("/journal/calendar?month=2024-04")).send().await.unwrap().text().await.unwrap();
    assert!(cal.contains("href=\"/journal?from=2024-04-02&amp;to=2024-04-02\""));
    let bad_month = c.get(app.url("/journal/calendar?month=2024-13")).send().await.unwrap();
    assert_eq!(bad_month.status(), 422);
    let found = c.get(app.url("/search?q=walking")).send().await.unwrap().text().await.unwrap();
    assert!(found.contains("<mark>walk</mark>"), "{found}");

    let edit = c.get(app.url(&format!("/journal/{id}/edit"))).send().await.unwrap().text().await.unwrap();
    assert!(edit.contains("A better afternoon") && edit.contains("walks, calm"));
    let res = c
        .post(app.url(&format!("/journal/{id}/edit")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("title", "Changed title"),
            ("body", "New words."),
            ("entry_date", "2024-04-02"),
            ("mood", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = c.get(app.url(&format!("/journal/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Changed title") && !page.contains("Mood:"));

    let confirm = c.get(app.url(&format!("/journal/{id}/delete"))).send().await.unwrap().text().await.unwrap();
    assert!(confirm.contains("Delete this entry?") && confirm.contains("Keep it"));
    let res =
        c.post(app.url(&format!("/journal/{id}/delete"))).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(c.get(app.url(&format!("/journal/{id}"))).send().await.unwrap().status(), 404);
    let forged = c.post(app.url("/journal/new")).form(&[("body", "no token")]).send().await.unwrap();
    assert_eq!(forged.status(), 403);
}

async fn on_this_day_and_home_show_earlier_writing(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    let today = jiff::Timestamp::now().in_tz("UTC").unwrap().date();
    let last_year = today.saturating_sub(jiff::Span::new().years(1)).to_string();
    let (status, _) = app
        .api(
            &t,
            "POST",
            "/api/v1/entries",
            Some(json!({"title": "A year back", "body": "then", "entry_date": last_year})),
        )
        .await;
    assert_eq!(status, 201);
    let s = app.login("a@example.org", PASSWORD).await;
    let page = s.client.get(app.url("/journal/on-this-day")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("A year back") && page.contains("A year ago"), "{page}");
    let home = s.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("A year back") && home.contains("You wrote on this day before"));
}

async fn draft_is_restored_on_the_writing_page(app: &TestApp) {
    app.register("a@example.org", "client").await;
    let t = app.token("a@example.org", PASSWORD).await;
    app.api(&t, "PUT", "/api/v1/drafts/new", Some(json!({"title": "unfinished", "body": "where was I"}))).await;
    let s = app.login("a@example.org", PASSWORD).await;
    let page = s.client.get(app.url("/journal/new")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("We kept what you were writing") && page.contains("where was I"));
    let res = s
        .client
        .post(app.url("/journal/drafts/new/discard"))
        .form(&[("csrf_token", s.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = s.client.get(app.url("/journal/new")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("where was I"));
}

async fn journal_pages_need_a_sign_in(app: &TestApp) {
    for path in ["/journal", "/journal/new", "/journal/calendar", "/journal/on-this-day", "/search", "/journal/tags/x"]
    {
        let res = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        assert!(res.headers().get("location").unwrap().to_str().unwrap().starts_with("/login?next="));
    }
}

backend_tests!(
    writing_reading_editing_and_deleting_work_without_javascript,
    on_this_day_and_home_show_earlier_writing,
    draft_is_restored_on_the_writing_page,
    journal_pages_need_a_sign_in,
);
