//! Real pages in headless Chromium: what a person sees and does.

use journal_testkit::browser::Browser;
use journal_testkit::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_shows_the_recovery_code_then_sign_out_and_back_in() {
    let Some(b) = Browser::start(390).await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();

    b.goto(&app.url("/register")).await;
    b.fill("#display_name", "Alex").await;
    b.fill("#email", "alex@example.org").await;
    b.fill("#password", "my quiet evening words").await;
    b.click("button[type=submit]").await;

    let code = b.text("#recovery-code").await;
    assert_eq!(code.len(), 29, "recovery code shown: {code}");
    let heading = b.text("h1").await;
    assert!(heading.contains("recovery code"), "{heading}");
    b.click("a.button[href='/']").await;
    assert!(b.text("h1").await.contains("Alex"));

    b.click("form[action='/logout'] button").await;
    assert_eq!(b.path().await, "/login");
    assert!(b.text("[role=status]").await.contains("signed out"));

    b.fill("#email", "alex@example.org").await;
    b.fill("#password", "not my password").await;
    b.click("form[action='/login'] button").await;
    assert!(b.text("[role=alert]").await.contains("don't match"));

    b.fill("#password", "my quiet evening words").await;
    b.click("form[action='/login'] button").await;
    assert!(b.text("h1").await.contains("Alex"));
    assert_eq!(b.text("a.help-link").await, "Need help now?");

    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_users_can_skip_to_the_content() {
    let Some(b) = Browser::start(1280).await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    b.goto(&app.url("/login")).await;
    let active = b
        .client
        .execute("document.querySelector('.skip-link').focus(); return document.activeElement.textContent;", vec![])
        .await
        .unwrap();
    assert_eq!(active.as_str().unwrap(), "Skip to main content");
    b.client.execute("document.activeElement.click();", vec![]).await.unwrap();
    let focused = b.client.execute("return document.activeElement.id;", vec![]).await.unwrap();
    assert_eq!(focused.as_str().unwrap(), "main");
    b.close().await;
    app.stop().await;
}

async fn signed_in(b: &Browser, app: &TestApp, email: &str) {
    app.register(email, "client").await;
    b.goto(&app.url("/login")).await;
    b.fill("#email", email).await;
    b.fill("#password", journal_testkit::PASSWORD).await;
    b.click("form[action='/login'] button").await;
    b.find("h1").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writing_autosaves_then_edit_search_and_delete_through_the_pages() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "writer@example.org").await;

    b.click("a.button[href='/journal/new']").await;
    b.fill("#title", "Night thoughts").await;
    b.fill("#body", "Couldn't sleep, so I listened to the rain and breathed slowly.").await;
    b.click("input[name=mood][value='2']").await;
    b.fill("#tags", "sleep, rain").await;
    // Autosave runs every few seconds and says so quietly.
    let mut status = String::new();
    for _ in 0..40 {
        status = b.text("[data-draft-status]").await;
        if status.contains("Draft saved") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(status.contains("Draft saved"), "autosave status: {status:?}");
    // The draft survives leaving the page without saving.
    b.goto(&app.url("/journal")).await;
    b.goto(&app.url("/journal/new")).await;
    assert!(b.text("[role=status]").await.contains("We kept what you were writing"));
    assert!(b.find("#body").await.prop("value").await.unwrap().unwrap().contains("listened to the rain"));

    b.click("form.write-form button[type=submit]").await;
    assert!(b.text("[role=status]").await.contains("Saved"));
    assert_eq!(b.text("h1").await, "Night thoughts");
    assert!(b.text(".entry").await.contains("Mood: Low"));

    b.click("a[href$='/edit']").await;
    b.fill("#body", "Couldn't sleep. Listening to the rain helped, and so did slow breathing.").await;
    b.click("form.write-form button[type=submit]").await;
    assert!(b.text(".prose").await.contains("so did slow breathing"));

    b.goto(&app.url("/search")).await;
    b.fill("#q", "breathe").await;
    b.click("form[role=search] button").await;
    assert!(b.text("#results-h").await.contains("One entry found"));
    let mark = b.text(".snippet mark").await;
    assert_eq!(mark, "breathing");

    b.click(".results a.entry-link").await;
    b.click("a[href$='/delete']").await;
    assert!(b.text("h1").await.contains("Delete this entry?"));
    b.click("form[action$='/delete'] button.danger").await;
    assert!(b.text("[role=status]").await.contains("deleted"));
    assert!(b.text("main").await.contains("Your journal is waiting"));

    b.close().await;
    app.stop().await;
}
