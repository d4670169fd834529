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
    b.wait_text("h1", "recovery code").await;
    b.click("a.button[href='/']").await;
    b.wait_text("h1", "Alex").await;

    // On a phone, signing out is under More in the tab bar.
    b.click("nav a[href='/more']").await;
    b.wait_text("h1", "More").await;
    b.click("form[action='/logout'] button").await;
    b.wait_text("[role=status]", "signed out").await;
    assert_eq!(b.path().await, "/login");

    b.fill("#email", "alex@example.org").await;
    b.fill("#password", "not my password").await;
    b.click("form[action='/login'] button").await;
    b.wait_text("[role=alert]", "don't match").await;

    b.fill("#password", "my quiet evening words").await;
    b.click("form[action='/login'] button").await;
    b.wait_text("h1", "Alex").await;
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
    b.wait_text("h1", "Good").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writing_autosaves_then_edit_search_and_delete_through_the_pages() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "writer@example.org").await;

    b.click("a.button[href='/journal/new']").await;
    b.wait_text("h1", "Write").await;
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
    b.wait_text("[role=status]", "We kept what you were writing").await;
    assert!(b.find("#body").await.prop("value").await.unwrap().unwrap().contains("listened to the rain"));

    b.click("form.write-form button[type=submit]").await;
    b.wait_text("[role=status]", "Saved").await;
    assert_eq!(b.text("h1").await, "Night thoughts");
    assert!(b.text(".entry").await.contains("Mood: Low"));

    b.click("a[href$='/edit']").await;
    b.wait_text("h1", "Edit entry").await;
    b.fill("#body", "Couldn't sleep. Listening to the rain helped, and so did slow breathing.").await;
    b.click("form.write-form button[type=submit]").await;
    b.wait_text(".prose", "so did slow breathing").await;

    b.goto(&app.url("/search")).await;
    b.fill("#q", "breathe").await;
    b.click("form[role=search] button").await;
    b.wait_text("#results-h", "One entry found").await;
    let mark = b.text(".snippet mark").await;
    assert_eq!(mark, "breathing");

    b.click(".results a.entry-link").await;
    b.wait_text("h1", "Night thoughts").await;
    b.click("a[href$='/delete']").await;
    b.wait_text("h1", "Delete this entry?").await;
    b.click("form[action$='/delete'] button.danger").await;
    b.wait_text("[role=status]", "deleted").await;
    b.wait_text("main", "Your journal is waiting").await;

    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_positive_item_nine_shows_the_support_step_before_the_score() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "answers@example.org").await;
    b.goto(&app.url("/assessments")).await;
    b.click("a[href='/assessments/phq9']").await;
    b.wait_text("h1", "PHQ-9").await;
    for q in 1..=8 {
        b.click(&format!("input[name=q{q}][value='0']")).await;
    }
    b.click("input[name=q9][value='2']").await;
    b.click("form.questionnaire button[type=submit]").await;
    b.wait_text("h1", "Thank you for answering honestly").await;
    assert!(b.text("main").await.contains("Are you safe right now?"));
    assert_eq!(b.text("main a[href='/safety-plan/edit']").await, "Make a safety plan", "no plan yet: offer one");
    assert!(b.client.find(fantoccini::Locator::Css(".score-number")).await.is_err(), "no score yet");
    // Reloading keeps the step, and stores nothing new.
    b.client.refresh().await.unwrap();
    b.wait_text("h1", "Thank you for answering honestly").await;
    let t = app.token("answers@example.org", journal_testkit::PASSWORD).await;
    assert_eq!(app.api(&t, "GET", "/api/v1/assessments", None).await.1["items"].as_array().unwrap().len(), 1);
    b.click("summary.button").await;
    assert!(b.text(".not-safe").await.contains("Call 911"));
    b.click("a[href^='/assessments/results/']").await;
    b.wait_text("h1", "Your PHQ-9 result").await;
    assert_eq!(b.text(".score-number").await, "2");

    // An impatient double click sends the form twice: one result.
    b.goto(&app.url("/assessments/phq9")).await;
    for q in 1..=9 {
        b.click(&format!("input[name=q{q}][value='1']")).await;
    }
    b.client
        .execute(
            "const f = document.querySelector('form.questionnaire'); \
             f.requestSubmit(); setTimeout(() => f.requestSubmit(), 0);",
            vec![],
        )
        .await
        .unwrap();
    b.wait_text("h1", "Thank you for answering honestly").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.api(&t, "GET", "/api/v1/assessments", None).await.1["items"].as_array().unwrap().len(), 2);
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_positive_short_form_leads_to_the_full_questionnaire() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "short@example.org").await;
    b.goto(&app.url("/assessments")).await;
    b.click("a[href='/assessments/phq2']").await;
    b.wait_text("h1", "PHQ-2").await;
    b.click("input[name=q1][value='2']").await;
    b.click("input[name=q2][value='1']").await;
    b.click("form.questionnaire button[type=submit]").await;
    b.wait_text("h1", "Your PHQ-2 result").await;
    assert_eq!(b.text(".score-number").await, "3");
    assert!(b.text("main").await.contains("At or above the screening cut-off"));
    // The offer opens the full PHQ-9, which is answered like any other.
    b.click("main a[href='/assessments/phq9']").await;
    b.wait_text("h1", "PHQ-9").await;
    for q in 1..=9 {
        b.click(&format!("input[name=q{q}][value='{}']", if q < 5 { 1 } else { 0 })).await;
    }
    b.click("form.questionnaire button[type=submit]").await;
    b.wait_text("h1", "Your PHQ-9 result").await;
    assert_eq!(b.text(".score-number").await, "4");
    assert!(b.client.find(fantoccini::Locator::Css("main a[href='/assessments/phq9']")).await.is_err());

    // A PHQ-4 whose depression items reach 3 offers the PHQ-9 as well.
    b.goto(&app.url("/assessments/phq4")).await;
    b.wait_text("h1", "PHQ-4").await;
    for (q, v) in [(1, 0), (2, 1), (3, 2), (4, 1)] {
        b.click(&format!("input[name=q{q}][value='{v}']")).await;
    }
    b.click("form.questionnaire button[type=submit]").await;
    b.wait_text("h1", "Your PHQ-4 result").await;
    assert!(b.text("main").await.contains("Depression: 3 of 6, at or above the screening cut-off of 3"));
    b.click("main a[href='/assessments/phq9']").await;
    b.wait_text("h1", "PHQ-9").await;
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_phq4_comes_first_at_home_and_leads_to_the_phq9() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "rhythm@example.org").await;
    b.goto(&app.url("/assessments")).await;
    b.find("#s-phq4").await.select_by_value("1").await.unwrap();
    b.click("form[action='/assessments/schedule'] button[type=submit]").await;
    b.wait_text("h2#due-h", "Due now").await;

    // Home: the questionnaire comes first, and opens the form.
    b.goto(&app.url("/")).await;
    b.wait_text("h2#due-h", "A questionnaire for you").await;
    assert_eq!(b.text("#due-h + ul a").await, "This week: the PHQ-4");
    b.click("#due-h + ul a[href='/assessments/phq4']").await;
    b.wait_text("h1", "PHQ-4").await;
    for (q, v) in [(1, 1), (2, 0), (3, 2), (4, 2)] {
        b.click(&format!("input[name=q{q}][value='{v}']")).await;
    }
    b.click("form.questionnaire button[type=submit]").await;
    b.wait_text("h1", "Your PHQ-4 result").await;
    assert!(b.text("main").await.contains("Depression: 4 of 6, at or above the screening cut-off of 3"));
    b.click("main a[href='/assessments/phq9']").await;
    b.wait_text("h1", "PHQ-9").await;
    for q in 1..=9 {
        b.click(&format!("input[name=q{q}][value='{}']", if q < 3 { 2 } else { 0 })).await;
    }
    b.click("form.questionnaire button[type=submit]").await;
    b.wait_text("h1", "Your PHQ-9 result").await;
    assert_eq!(b.text(".score-number").await, "4");

    // Answered for this week: home no longer asks.
    b.goto(&app.url("/")).await;
    b.wait_text("h1", "Good").await;
    assert!(b.client.find(fantoccini::Locator::Css("#due-h")).await.is_err());
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mood_check_in_takes_two_taps() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "mood@example.org").await;
    b.click("a[href='/mood']").await;
    b.wait_text("h1", "How are you, right now?").await;
    // The face (anywhere on it, not only the radio), then the Save button right below the faces.
    b.click("label.mood-4 .face").await;
    b.click("form.mood-form button.save-now").await;
    b.wait_text("[role=status]", "Saved. Thank you for checking in.").await;
    assert!(b.text("#recent-moods-h + ul").await.contains("Good"));
    assert!(b.text(".suggestion").await.contains("Something to try"));
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feelings_are_found_by_search_or_by_a_corner_of_the_grid() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "feelings@example.org").await;
    b.goto(&app.url("/mood")).await;
    let shown = || async {
        b.client
            .execute(
                "return [...document.querySelectorAll('#feeling-list li')].filter(li => !li.hidden && li.offsetParent !== null).map(li => li.querySelector('input').value);",
                vec![],
            )
            .await
            .unwrap()
    };
    assert_eq!(shown().await.as_array().unwrap().len(), 56, "every feeling before searching");
    b.fill("#feeling-q", "lonel").await;
    b.wait_text("#feeling-count", "1 feeling shown").await;
    assert_eq!(shown().await, serde_json::json!(["lonely"]));
    // Meanings are searched too: "trust" finds betrayed.
    b.fill("#feeling-q", "trust").await;
    b.wait_text("#feeling-count", "shown").await;
    assert_eq!(shown().await, serde_json::json!(["betrayed"]));
    b.click("#feeling-list li[data-feeling^='betrayed'] input").await;
    b.fill("#feeling-q", "").await;
    b.click(".feeling-grid a[data-quadrant='low-pleasant']").await;
    let corner = shown().await;
    let corner: Vec<&str> = corner.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(corner.contains(&"calm") && corner.contains(&"betrayed") && !corner.contains(&"anxious"), "{corner:?}");
    assert_eq!(
        b.find(".feeling-grid a[data-quadrant='low-pleasant']").await.attr("aria-pressed").await.unwrap().as_deref(),
        Some("true")
    );
    b.click("label.mood-3").await;
    b.click("form.mood-form button.save-now").await;
    b.wait_text("#saved-check-in", "Saved").await;
    assert!(b.text("#recent-moods-h + ul").await.contains("betrayed"));
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insights_colour_the_day_and_read_out_a_chart_point_on_focus() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "pixels@example.org").await;
    b.goto(&app.url("/mood")).await;
    b.click("label.mood-5").await;
    b.click("form.mood-form button.save-now").await;
    b.wait_text("#saved-check-in", "Saved").await;
    b.goto(&app.url("/insights")).await;
    b.wait_text("h1", "Insights").await;
    let colour = b
        .client
        .execute(
            "const td = document.querySelector('.year-pixels td.px.m5'); return td && getComputedStyle(td).backgroundColor;",
            vec![],
        )
        .await
        .unwrap();
    let colour = colour.as_str().unwrap_or("none").to_owned();
    assert!(colour.starts_with("rgb(") && colour != "rgba(0, 0, 0, 0)", "coloured: {colour}");
    let label =
        b.client.execute("return document.querySelector('.year-pixels td.px.m5').textContent;", vec![]).await.unwrap();
    assert_eq!(label, serde_json::json!("Very good (5.0)"), "a screen reader hears the mood");

    // The point is reached with the keyboard, and its date and value appear.
    let read = b
        .client
        .execute(
            "const p = document.querySelector('#time-h ~ svg .pt'); p.focus(); \
             const v = p.querySelector('.val'); \
             return [document.activeElement === p, p.getAttribute('aria-label'), getComputedStyle(v).visibility, v.textContent];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(read[0], serde_json::json!(true));
    assert!(read[1].as_str().unwrap().ends_with(": 5.0 of 5, very good"), "{read}");
    assert_eq!(read[2], serde_json::json!("visible"));
    assert!(read[3].as_str().unwrap().ends_with(" · 5.0"), "{read}");
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mis_tapped_check_in_is_undone_corrected_or_deleted() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "mistap@example.org").await;
    let t = app.token("mistap@example.org", journal_testkit::PASSWORD).await;
    let count = |v: serde_json::Value| v["items"].as_array().map(Vec::len).unwrap_or(0);

    // Check in, then undo straight from the confirmation.
    b.goto(&app.url("/mood")).await;
    b.click("input[name=score][value='1']").await;
    b.click("form.mood-form button[type=submit]").await;
    b.wait_text("#saved-check-in", "Saved. Thank you for checking in.").await;
    b.click("#saved-check-in button").await;
    b.wait_text("[role=status]", "Undone").await;
    assert_eq!(count(app.api(&t, "GET", "/api/v1/moods", None).await.1), 0);

    // Check in, correct it, then delete it after the confirmation.
    b.click("input[name=score][value='1']").await;
    b.click("form.mood-form button[type=submit]").await;
    b.wait_text("#saved-check-in", "Saved").await;
    b.click("#recent-moods-h + ul a.mood-edit").await;
    b.wait_text("h1", "Correct a check-in").await;
    b.click("input[name=score][value='4']").await;
    b.fill("#note", "I meant good").await;
    b.click("form.mood-form button[type=submit]").await;
    b.wait_text("[role=status]", "corrected").await;
    let list = b.text("#recent-moods-h + ul").await;
    assert!(list.contains("Good") && list.contains("I meant good"), "{list}");
    assert_eq!(app.api(&t, "GET", "/api/v1/moods", None).await.1["items"][0]["score"], 4);
    b.click("#recent-moods-h + ul a.mood-delete").await;
    b.wait_text("h1", "Delete this check-in?").await;
    b.click("form button.danger").await;
    b.wait_text("[role=status]", "deleted").await;
    assert_eq!(count(app.api(&t, "GET", "/api/v1/moods", None).await.1), 0);
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answering_a_daily_prompt_links_the_entry_to_it() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "prompts@example.org").await;
    let first = b.text("#prompts-h + ul .prompt-text").await;
    assert!(!b.text("#prompts-h + ul .prompt-reason").await.is_empty(), "each prompt says why");
    b.click("#prompts-h + ul .prompt-card a.button").await;
    b.wait_text("h1", "Write").await;
    assert_eq!(b.text("#prompt-text").await, first, "the prompt is shown above the writing");
    b.fill("#body", "Answering today's prompt, slowly.").await;
    b.click("form.write-form button[type=submit]").await;
    b.wait_text("[role=status]", "Thank you for writing").await;
    b.goto(&app.url("/prompts")).await;
    b.wait_text("h1", "Prompts").await;
    let today = b.text("#today-h + ul").await;
    assert!(!today.contains(&first), "an answered prompt rests: {today}");
    let library = b.client.execute("return document.querySelector('main').textContent;", vec![]).await.unwrap();
    assert!(library.as_str().unwrap().contains("(answered "), "the library marks it answered");
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thought_record_is_written_one_step_at_a_time() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "records@example.org").await;
    b.goto(&app.url("/thought-records")).await;
    b.click("a[href='/thought-records/new']").await;
    b.wait_text(".step-count", "Step 1 of 7").await;
    // Moving on without the situation is refused, kindly.
    b.click("button[value=next]").await;
    b.wait_text(".step-count", "Step 1 of 7").await;
    b.fill("#situation", "My friend cancelled our plans at the last minute.").await;
    b.click("button[value=next]").await;
    b.wait_text("h1", "What did you feel?").await;
    b.fill("#f1_name", "hurt").await;
    b.fill("#f1_level", "70").await;
    b.click("button[value=next]").await;
    b.wait_text("h1", "What went through your mind?").await;
    b.fill("#thoughts", "She doesn't really want to see me.").await;
    b.click("button[value=next]").await;
    b.wait_text("h1", "Any thinking traps?").await;
    b.click("input[value='mind-reading']").await;
    b.click("button[value=next]").await;
    b.wait_text("h1", "Looking at the evidence").await;
    b.click("button[value=back]").await;
    b.wait_text("h1", "Any thinking traps?").await;
    let checked = b
        .client
        .execute("return document.querySelector(\"input[value='mind-reading']\").checked;", vec![])
        .await
        .unwrap();
    assert_eq!(checked, serde_json::Value::Bool(true), "going back keeps what was chosen");
    b.click("button[value=next]").await;
    b.wait_text("h1", "Looking at the evidence").await;
    b.fill("#evidence_against", "She rebooked straight away.").await;
    b.click("button[value=next]").await;
    b.wait_text("h1", "A more balanced thought").await;
    b.fill("#balanced_thought", "Plans change; she still wants to meet.").await;
    b.click("button[value=next]").await;
    b.wait_text("h1", "How do you feel now?").await;
    assert!(b.text("label[for=r1_level]").await.contains("it was 70"));
    b.fill("#r1_level", "30").await;
    b.click("button[value=save]").await;
    b.wait_text("[role=status]", "Saved").await;
    let page = b.text("main").await;
    for expected in ["My friend cancelled", "Mind reading", "She rebooked", "Plans change", "70", "30"] {
        assert!(page.contains(expected), "{expected} in {page}");
    }
    b.goto(&app.url("/thought-records")).await;
    assert!(b.text(".record-list").await.contains("My friend cancelled"));
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_safety_plan_is_written_viewed_and_reachable_from_the_crisis_page() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "plan@example.org").await;
    b.click("footer a[href='/safety-plan']").await;
    b.wait_text("h1", "My safety plan").await;
    b.click("a[href='/safety-plan/edit']").await;
    b.wait_text("h1", "Edit my safety plan").await;
    b.fill("#warning_signs", "Staying in bed all day").await;
    b.fill("#help_people-name-1", "Jo").await;
    b.fill("#help_people-phone-1", "07700 900456").await;
    b.fill("#reasons_for_living", "My niece's laugh").await;
    b.click("form[action='/safety-plan/edit'] button[type=submit]").await;
    b.wait_text("[role=status]", "saved").await;
    let plan = b.text("main").await;
    for expected in ["Staying in bed all day", "Jo: 07700 900456", "My niece's laugh", "Crisis lines"] {
        assert!(plan.contains(expected), "{expected} in {plan}");
    }
    b.goto(&app.url("/crisis")).await;
    b.click("main a[href='/safety-plan']").await;
    b.wait_text("h1", "My safety plan").await;
    b.click("a[href='/safety-plan/edit']").await;
    b.wait_text("h1", "Edit my safety plan").await;
    assert_eq!(b.text("#warning_signs").await.trim(), "Staying in bed all day", "the form holds the saved plan");
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_goal_from_a_suggestion_is_checked_in_and_celebrated() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "goals@example.org").await;
    b.click("nav a[href='/more']").await;
    b.click("main a[href='/goals']").await;
    b.wait_text("h1", "Goals").await;
    b.click("#ideas-physical_activity summary").await;
    b.click("#ideas-physical_activity form button").await;
    b.wait_text("[role=status]", "Your goal is set").await;
    assert!(b.text(".goal-card").await.contains("Ten minutes outside"));
    b.click(".goal-card form button.button").await;
    b.wait_text(".celebration", "First check-in").await;
    let card = b.text(".goal-card").await;
    assert!(card.contains("Done today") && card.contains("1 day in a row"), "{card}");
    // Shown once: the next visit has no banner, and the achievements page keeps it.
    b.goto(&app.url("/goals")).await;
    b.wait_text("h1", "Goals").await;
    assert!(b.client.find(fantoccini::Locator::Css(".celebration")).await.is_err(), "celebrated once");
    b.goto(&app.url("/achievements")).await;
    assert!(b.text("main").await.contains("First check-in: Ten minutes outside"));
    b.goto(&app.url("/review")).await;
    b.wait_text("h1", "Weekly review").await;
    assert!(b.text("main").await.contains("Ten minutes outside: 1 of 7"));
    b.fill("#reflection", "Getting outside helped.").await;
    b.click("form[action='/review'] button").await;
    b.wait_text("[role=status]", "Thank you for writing").await;
    assert!(b.text("main").await.contains("Getting outside helped."));
    b.goto(&app.url("/reminders")).await;
    // Time inputs take keys in the browser's locale format; setting the value is what a picker does.
    b.client.execute("document.querySelector('#journal_time').value = '21:30';", vec![]).await.unwrap();
    b.click("form[action='/reminders'] button").await;
    b.wait_text("[role=status]", "Saved").await;
    let url = b.text("#feed-url").await;
    assert!(url.contains("/calendar/") && url.ends_with(".ics"), "{url}");
    assert!(b.text("main").await.contains("Google Calendar") || b.text("details").await.contains("How to add it"));
    let ics = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(ics.contains("SUMMARY:Time for you"));
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_therapist_reads_what_was_shared_and_nothing_after_it_is_revoked() {
    let Some(t) = Browser::start(1280).await else { return };
    let Some(c) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.register("ada@example.org", "therapist").await;
    app.register("robin@example.org", "client").await;
    // A therapist's home is their caseload.
    for (b, email, home) in [(&t, "ada@example.org", "Caseload"), (&c, "robin@example.org", "Good")] {
        b.goto(&app.url("/login")).await;
        b.fill("#email", email).await;
        b.fill("#password", journal_testkit::PASSWORD).await;
        b.click("form[action='/login'] button").await;
        b.wait_text("h1", home).await;
    }

    // The therapist makes a code; the client checks who it's from, then links.
    t.goto(&app.url("/connections")).await;
    t.click("form[action='/connections/invite'] button").await;
    let code = t.text("#invite-code").await;
    c.click("nav a[href='/more']").await;
    c.click("main a[href='/connections']").await;
    c.wait_text("h1", "Your therapist").await;
    c.fill("#code", &code).await;
    c.click("form[action='/connections/preview'] button").await;
    c.wait_text("h1", "Link with").await;
    assert_eq!(c.text("#fingerprint").await.len(), 24);
    c.click("form[action='/connections/confirm'] button").await;
    c.wait_text("[role=status]", "Nothing is shared").await;

    // The client writes and shares one entry.
    c.goto(&app.url("/journal/new")).await;
    c.fill("#body", "The talk with my sister went better than I feared.").await;
    c.click("form.write-form button[type=submit]").await;
    c.wait_text("[role=status]", "Thank you for writing").await;
    let entry_path = c.path().await;
    c.click("form[action$='/share'] button").await;
    c.wait_text("[role=status]", "Shared").await;
    assert!(c.text(".share-panel").await.contains("Shared with"));

    // The therapist reads it and comments.
    t.goto(&app.url("/therapist")).await;
    t.click(".case h2 a").await;
    t.click("#shared-h + ul a").await;
    t.wait_text("h1", "The talk with my sister").await;
    t.fill("#body", "That sounds like a real step. Let's talk about it on Thursday.").await;
    t.click("form[action$='/comments'] button").await;
    t.wait_text(".comment-list", "real step").await;

    // The client sees the comment and the access log.
    c.goto(&app.url(&entry_path)).await;
    c.wait_text(".comment-list", "real step").await;
    c.goto(&app.url("/access-log")).await;
    c.wait_text("h1", "Access log").await;
    assert!(c.text(".access-log").await.contains("read your entry"));

    // Revoked: the therapist can no longer open it.
    c.goto(&app.url(&entry_path)).await;
    c.click("form[action$='/unshare'] button").await;
    c.wait_text("[role=status]", "no longer shared").await;
    let entry_id = entry_path.trim_start_matches("/journal/").to_owned();
    t.goto(&app.url("/therapist")).await;
    t.click(".case h2 a").await;
    t.wait_text("#shared-h + p", "Nothing shared yet").await;
    let client_page = t.path().await;
    t.goto(&app.url(&format!("{client_page}/entries/{entry_id}"))).await;
    t.wait_text("h1", "We couldn't find that page").await;
    t.close().await;
    c.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_on_export_is_shown_by_the_form_and_the_right_one_downloads() {
    let Some(b) = Browser::start(390).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    signed_in(&b, &app, "export@example.org").await;
    b.goto(&app.url("/settings")).await;
    b.click("a[href='/settings/data']").await;
    b.wait_text("h1", "Your data").await;

    b.fill("#export_password", "not my password at all").await;
    b.click("form[action^='/settings/export'] button[type=submit]").await;
    b.wait_text("#export-error", "isn't right").await;
    let on_screen = b
        .client
        .execute(
            "const r = document.getElementById('export-error').getBoundingClientRect(); \
             return r.top >= 0 && r.bottom <= window.innerHeight;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(on_screen, serde_json::json!(true), "the error is on screen, not far below");
    let focused = b.client.execute("return document.activeElement.id;", vec![]).await.unwrap();
    assert_eq!(focused, serde_json::json!("export_password"));

    b.fill("#export_password", journal_testkit::PASSWORD).await;
    b.click("form[action^='/settings/export'] button[type=submit]").await;
    let (name, bytes) = b.wait_download().await;
    assert!(name.ends_with(".json"), "{name}");
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert!(doc.get("entries").is_some(), "the whole export arrived");
    b.close().await;
    app.stop().await;
}
