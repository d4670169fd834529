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
