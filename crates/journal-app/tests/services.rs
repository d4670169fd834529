//! The services on a fresh store of each backend, without HTTP: what a person does, called the
//! way the web layer and the command line call it. Accounts use a cheap Argon2 setting, so the
//! logic is tested without the cost of real sign-ins (the HTTP tests keep the real one).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic is a test failure

use std::sync::Arc;

use journal_app::journal::{EntryInput, ListQuery};
use journal_app::{App, ServiceError, Settings, UnlockedUser};
use journal_core::Role;
use journal_core::bridge::Sharing;
use journal_core::validate::{DisplayName, Email, Password};
use journal_crypto::KdfParams;
use journal_testkit::{Backend, PASSWORD, fresh_store};

/// Cheap enough that a sign-in costs milliseconds; never used outside tests.
const FAST_KDF: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };

async fn app_on(backend: Backend) -> Option<(App, journal_testkit::Fixture)> {
    let (store, fixture) = fresh_store(backend).await?;
    Some((App::new(Arc::clone(&store), Settings { kdf: FAST_KDF, ..Settings::default() }), fixture))
}

/// Creates an account, then signs in to it as the command line does.
async fn person(app: &App, email: &str, role: Role) -> UnlockedUser {
    journal_app::accounts::create_account(
        app,
        Email::parse(email).unwrap(),
        DisplayName::parse("Sam").unwrap(),
        role,
        Password::parse("password", PASSWORD).unwrap(),
        "Europe/London".to_owned(),
    )
    .await
    .unwrap();
    app.sign_in(email, PASSWORD).await.unwrap()
}

fn entry(title: &str, body: &str, tags: &[&str]) -> EntryInput {
    EntryInput {
        title: Some(title.to_owned()),
        body: body.to_owned(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        ..EntryInput::default()
    }
}

/// Runs `story` on SQLite, and on PostgreSQL when it is there (or required).
macro_rules! on_both_backends {
    ($sqlite:ident, $postgres:ident, $story:ident) => {
        #[tokio::test(flavor = "multi_thread")]
        async fn $sqlite() {
            let (app, _db) = app_on(Backend::Sqlite).await.unwrap();
            $story(&app).await;
        }

        #[tokio::test(flavor = "multi_thread")]
        async fn $postgres() {
            let Some((app, _db)) = app_on(Backend::Postgres).await else { return };
            $story(&app).await;
        }
    };
}

async fn journal_story(app: &App) {
    let me = person(app, "writer@example.org", Role::Client).await;
    let first = journal_app::journal::create(app, &me, &entry("Harbour walk", "The gulls were loud today.", &["walk"]))
        .await
        .unwrap();
    journal_app::journal::create(app, &me, &entry("Work", "A long meeting about budgets.", &["work"])).await.unwrap();

    let page = journal_app::journal::list(app, &me, &ListQuery::default()).await.unwrap();
    assert_eq!(page.entries.len(), 2);
    assert!(page.damaged.is_empty());
    let walks = journal_app::journal::list(app, &me, &ListQuery { tag: Some("walk".into()), ..ListQuery::default() })
        .await
        .unwrap();
    assert_eq!(walks.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [first.id.as_str()]);

    let found = journal_app::journal::search(app, &me, "gulls", 10).await.unwrap();
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].entry.id, first.id);
    assert!(found.hits[0].snippet.contains("<mark>gulls</mark>"), "{}", found.hits[0].snippet);

    // Someone else's journal is not there for them, whatever the id.
    let other = person(app, "other@example.org", Role::Client).await;
    assert!(matches!(journal_app::journal::get(app, &other, &first.id).await, Err(ServiceError::NotFound)));
    assert!(journal_app::journal::search(app, &other, "gulls", 10).await.unwrap().hits.is_empty());

    // Bad input is a field error, not a failure.
    let empty = journal_app::journal::create(app, &me, &entry("", "", &[])).await;
    assert!(matches!(empty, Err(ServiceError::Invalid { .. })), "{empty:?}");
}
on_both_backends!(journal_on_sqlite, journal_on_postgres, journal_story);

async fn mood_story(app: &App) {
    let me = person(app, "moods@example.org", Role::Client).await;
    let input = journal_app::health::moods::MoodInput {
        score: 4,
        emotions: vec!["calm".into()],
        sleep_hours: Some(7.5),
        activities: vec!["walk".into()],
        note: Some("Slept well.".into()),
        at: None,
    };
    let saved = journal_app::health::moods::check_in(app, &me, &input).await.unwrap();
    assert_eq!(saved.content.score, 4);
    let back = journal_app::health::moods::get(app, &me, &saved.id).await.unwrap();
    assert_eq!(back.content.note, "Slept well.");
    assert_eq!(back.content.emotions, ["calm"]);

    let too_high = journal_app::health::moods::MoodInput { score: 9, ..input };
    let refused = journal_app::health::moods::check_in(app, &me, &too_high).await;
    assert!(matches!(&refused, Err(ServiceError::Invalid { field, .. }) if field == "score"), "{refused:?}");
}
on_both_backends!(mood_on_sqlite, mood_on_postgres, mood_story);

async fn share_story(app: &App) {
    let client = person(app, "client@example.org", Role::Client).await;
    let therapist = person(app, "therapist@example.org", Role::Therapist).await;
    let shared =
        journal_app::journal::create(app, &client, &entry("For Thursday", "I managed the bus.", &[])).await.unwrap();
    let private = journal_app::journal::create(app, &client, &entry("Mine", "Only for me.", &[])).await.unwrap();

    // Only a therapist makes invites; only a client accepts them.
    assert!(matches!(journal_app::bridge::create_invite(app, &client).await, Err(ServiceError::NotFound)));
    let invite = journal_app::bridge::create_invite(app, &therapist).await.unwrap();
    let link = journal_app::bridge::accept_invite(app, &client, &invite.code).await.unwrap();
    journal_app::bridge::set_sharing(app, &client, &link.id, Sharing { mood: false, assessments: false, goals: false })
        .await
        .unwrap();
    journal_app::bridge::share_entry(app, &client, &shared.id, &link.id).await.unwrap();

    let (_, entries) = journal_app::bridge::client_entries(app, &therapist, client.id()).await.unwrap();
    assert_eq!(entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [shared.id.as_str()]);
    let (_, read, _) = journal_app::bridge::client_entry(app, &therapist, client.id(), &shared.id).await.unwrap();
    assert_eq!(read.content.body, "I managed the bus.");
    let hidden = journal_app::bridge::client_entry(app, &therapist, client.id(), &private.id).await;
    assert!(matches!(hidden, Err(ServiceError::NotFound)), "an unshared entry is not there");

    // The read is in the client's access log.
    let log = journal_app::accounts::access_log::for_owner(app, &client, false).await.unwrap();
    assert!(log.iter().any(|s| s.row.event == "read" && s.row.item_id == shared.id), "{log:?}");
}
on_both_backends!(share_on_sqlite, share_on_postgres, share_story);

async fn portability_story(app: &App) {
    let me = person(app, "leaving@example.org", Role::Client).await;
    for n in 0..3 {
        journal_app::journal::create(app, &me, &entry(&format!("Day {n}"), "Some words.", &["daily"])).await.unwrap();
    }
    let mood = journal_app::health::moods::MoodInput {
        score: 3,
        emotions: vec![],
        sleep_hours: None,
        activities: vec![],
        note: None,
        at: None,
    };
    journal_app::health::moods::check_in(app, &me, &mood).await.unwrap();

    let mut rx = journal_app::portability::export::stream(app.clone(), me.without_session());
    let mut bytes = Vec::new();
    while let Some(chunk) = rx.recv().await {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["format"], "therapy-journal-export");
    assert_eq!(doc["entries"].as_array().unwrap().len(), 3);

    let next = person(app, "arriving@example.org", Role::Client).await;
    let (format, batch) = journal_app::portability::import::read(&next, "therapy-journal", &bytes, None).unwrap();
    let preview = journal_app::portability::import::preview(app, &next, format, &batch).await.unwrap();
    assert_eq!((preview.new.entries, preview.new.moods), (3, 1));
    assert!(preview.problems.is_empty(), "{:?}", preview.problems);
    let done = journal_app::portability::import::apply(app, &next, batch).await.unwrap();
    assert_eq!((done.imported.entries, done.imported.moods, done.skipped), (3, 1, 0));
    let page = journal_app::journal::list(app, &next, &ListQuery::default()).await.unwrap();
    assert_eq!(page.entries.len(), 3);

    // The same file again adds nothing.
    let (_, again) = journal_app::portability::import::read(&next, "therapy-journal", &bytes, None).unwrap();
    let done = journal_app::portability::import::apply(app, &next, again).await.unwrap();
    assert_eq!((done.imported.entries, done.imported.moods), (0, 0));
    assert!(done.skipped >= 4, "{done:?}");
}
on_both_backends!(portability_on_sqlite, portability_on_postgres, portability_story);

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_is_refused_with_its_code() {
    let (app, _db) = app_on(Backend::Sqlite).await.unwrap();
    person(&app, "someone@example.org", Role::Client).await;
    let wrong = app.sign_in("someone@example.org", "not the password at all").await.err();
    assert!(matches!(wrong, Some(ServiceError::Unauthorized { code: "invalid_credentials", .. })), "{wrong:?}");
    let unknown = app.sign_in("nobody@example.org", PASSWORD).await;
    assert_eq!(unknown.err().map(|e| e.code()), Some("invalid_credentials"));
}
