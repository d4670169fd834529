//! The store conformance suite: what every `Store` must do, run against each backend by
//! `tests/conformance.rs`. Records are built with random bytes where keys would be, because the
//! store must neither know nor care what they are.

use journal_core::store::{PasswordCredentials, RecoveryCredentials};
use journal_core::{Role, SessionKind, SessionRecord, Store, StoreError, UserRecord};
use journal_crypto::{KdfParams, random_bytes};

pub fn user(email: &str) -> UserRecord {
    UserRecord {
        id: journal_core::ids::new_id(),
        email: email.to_owned(),
        display_name: "Someone".to_owned(),
        role: Role::Client,
        created_at: 1_700_000_000,
        disabled: false,
        time_zone: "UTC".to_owned(),
        country: None,
        week_start: 1,
        content_version: 0,
        password: PasswordCredentials {
            kdf: KdfParams::DEFAULT,
            salt: random_bytes::<16>().to_vec(),
            verifier: random_bytes::<32>().to_vec(),
            dek_wrapped: random_bytes::<73>().to_vec(),
        },
        recovery: RecoveryCredentials {
            kdf: KdfParams::DEFAULT,
            salt: random_bytes::<16>().to_vec(),
            dek_wrapped: random_bytes::<73>().to_vec(),
        },
        public_key: random_bytes::<32>().to_vec(),
        secret_key_wrapped: random_bytes::<73>().to_vec(),
    }
}

pub fn session(user_id: &str, kind: SessionKind, last_seen: i64, expires_at: Option<i64>) -> SessionRecord {
    SessionRecord {
        id: journal_core::ids::new_id(),
        user_id: user_id.to_owned(),
        token_hash: random_bytes::<32>().to_vec(),
        kind,
        name: (kind == SessionKind::Api).then(|| "script".to_owned()),
        dek_wrapped: random_bytes::<73>().to_vec(),
        created_at: last_seen,
        last_seen_at: last_seen,
        expires_at,
    }
}

pub async fn users_round_trip(store: &dyn Store) {
    let u = user("a@example.org");
    store.insert_user(&u).await.unwrap();
    let by_email = store.user_by_email("a@example.org").await.unwrap().unwrap();
    let by_id = store.user_by_id(&u.id).await.unwrap().unwrap();
    for got in [&by_email, &by_id] {
        assert_eq!(got.id, u.id);
        assert_eq!(got.role, Role::Client);
        assert_eq!(got.password.kdf, KdfParams::DEFAULT);
        assert_eq!(got.password.salt, u.password.salt);
        assert_eq!(got.password.verifier, u.password.verifier);
        assert_eq!(got.password.dek_wrapped, u.password.dek_wrapped);
        assert_eq!(got.recovery.dek_wrapped, u.recovery.dek_wrapped);
        assert_eq!(got.public_key, u.public_key);
        assert_eq!(got.secret_key_wrapped, u.secret_key_wrapped);
        assert!(!got.disabled);
    }
    assert!(store.user_by_email("nobody@example.org").await.unwrap().is_none());
    assert!(store.user_by_id("0000").await.unwrap().is_none());
}

pub async fn duplicate_email_is_a_conflict(store: &dyn Store) {
    store.insert_user(&user("dup@example.org")).await.unwrap();
    let err = store.insert_user(&user("dup@example.org")).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(store.list_users().await.unwrap().len(), 1);
}

pub async fn sessions_are_scoped_to_their_owner(store: &dyn Store) {
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    let s = session(&a.id, SessionKind::Browser, 100, Some(10_000));
    store.insert_session(&s).await.unwrap();
    let found = store.session_by_token_hash(&s.token_hash).await.unwrap().unwrap();
    assert_eq!(found.user_id, a.id);
    assert_eq!(found.kind, SessionKind::Browser);
    assert_eq!(found.expires_at, Some(10_000));
    assert_eq!(found.dek_wrapped, s.dek_wrapped);
    store.touch_session(&s.id, 200).await.unwrap();
    assert_eq!(store.session_by_token_hash(&s.token_hash).await.unwrap().unwrap().last_seen_at, 200);
    assert!(!store.delete_session(&b.id, &s.id).await.unwrap(), "b must not end a's session");
    assert!(store.session_by_token_hash(&s.token_hash).await.unwrap().is_some());
    assert!(store.list_sessions(&b.id).await.unwrap().is_empty());
    assert!(store.delete_session(&a.id, &s.id).await.unwrap());
    assert!(store.session_by_token_hash(&s.token_hash).await.unwrap().is_none());
}

pub async fn replacing_credentials_ends_other_sessions(store: &dyn Store) {
    let mut a = user("a@example.org");
    store.insert_user(&a).await.unwrap();
    let keep = session(&a.id, SessionKind::Browser, 1, None);
    let other = session(&a.id, SessionKind::Browser, 1, None);
    let token = session(&a.id, SessionKind::Api, 1, None);
    for s in [&keep, &other, &token] {
        store.insert_session(s).await.unwrap();
    }
    a.password.verifier = random_bytes::<32>().to_vec();
    store.replace_credentials(&a.id, &a.password, None, Some(&keep.id)).await.unwrap();
    let left: Vec<_> = store.list_sessions(&a.id).await.unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(left, vec![keep.id.clone()]);
    assert_eq!(store.user_by_id(&a.id).await.unwrap().unwrap().password.verifier, a.password.verifier);

    a.recovery.dek_wrapped = random_bytes::<73>().to_vec();
    store.replace_credentials(&a.id, &a.password, Some(&a.recovery), None).await.unwrap();
    assert!(store.list_sessions(&a.id).await.unwrap().is_empty());
    assert_eq!(store.user_by_id(&a.id).await.unwrap().unwrap().recovery.dek_wrapped, a.recovery.dek_wrapped);
}

pub async fn disabling_ends_sessions(store: &dyn Store) {
    let a = user("a@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_session(&session(&a.id, SessionKind::Api, 1, None)).await.unwrap();
    assert!(store.set_user_disabled(&a.id, true).await.unwrap());
    assert!(store.user_by_id(&a.id).await.unwrap().unwrap().disabled);
    assert!(store.list_sessions(&a.id).await.unwrap().is_empty());
    assert!(store.set_user_disabled(&a.id, false).await.unwrap());
    assert!(!store.user_by_id(&a.id).await.unwrap().unwrap().disabled);
    assert!(!store.set_user_disabled("missing", true).await.unwrap());
}

pub async fn reset_replaces_keys_and_erases_sessions(store: &dyn Store) {
    let a = user("a@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_session(&session(&a.id, SessionKind::Browser, 1, None)).await.unwrap();
    let mut fresh = user("a@example.org");
    fresh.id = a.id.clone();
    assert!(store.reset_user(&fresh).await.unwrap());
    let got = store.user_by_id(&a.id).await.unwrap().unwrap();
    assert_eq!(got.secret_key_wrapped, fresh.secret_key_wrapped);
    assert_ne!(got.secret_key_wrapped, a.secret_key_wrapped);
    assert!(store.list_sessions(&a.id).await.unwrap().is_empty());
    let mut stranger = user("s@example.org");
    stranger.id = journal_core::ids::new_id();
    assert!(!store.reset_user(&stranger).await.unwrap());
    assert!(store.user_by_email("s@example.org").await.unwrap().is_none());
}

pub async fn deleting_a_user_removes_every_row(store: &dyn Store) {
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    let s = session(&a.id, SessionKind::Browser, 1, None);
    store.insert_session(&s).await.unwrap();
    store.insert_session(&session(&b.id, SessionKind::Browser, 1, None)).await.unwrap();
    assert!(store.delete_user(&a.id).await.unwrap());
    assert!(store.user_by_id(&a.id).await.unwrap().is_none());
    assert!(store.session_by_token_hash(&s.token_hash).await.unwrap().is_none());
    assert_eq!(store.list_sessions(&b.id).await.unwrap().len(), 1, "other users are untouched");
    assert!(!store.delete_user(&a.id).await.unwrap());
    store.purge_freed_space().await.unwrap();
}

pub async fn expired_sessions_are_swept(store: &dyn Store) {
    let a = user("a@example.org");
    store.insert_user(&a).await.unwrap();
    let idle = session(&a.id, SessionKind::Browser, 10, None);
    let past_max = session(&a.id, SessionKind::Browser, 1000, Some(500));
    let live = session(&a.id, SessionKind::Browser, 1000, Some(5000));
    let old_token = session(&a.id, SessionKind::Api, 10, None);
    for s in [&idle, &past_max, &live, &old_token] {
        store.insert_session(s).await.unwrap();
    }
    let removed = store.delete_expired_sessions(1000, 500).await.unwrap();
    assert_eq!(removed, 2);
    let mut left: Vec<_> = store.list_sessions(&a.id).await.unwrap().into_iter().map(|s| s.id).collect();
    left.sort();
    let mut want = vec![live.id, old_token.id];
    want.sort();
    assert_eq!(left, want, "API tokens have no idle expiry");
}

pub async fn attempt_counters_count_in_windows(store: &dyn Store) {
    let (a, b) = (random_bytes::<32>(), random_bytes::<32>());
    assert_eq!(store.hit_counter(&a, 60, 1000).await.unwrap(), (1, 1060));
    assert_eq!(store.hit_counter(&a, 60, 1030).await.unwrap(), (2, 1060), "the window does not move");
    assert_eq!(store.hit_counter(&b, 60, 1030).await.unwrap(), (1, 1090), "each key counts alone");
    assert_eq!(store.hit_counter(&a, 60, 1060).await.unwrap(), (1, 1120), "a new window starts afresh");
    store.clear_counter(&a).await.unwrap();
    assert_eq!(store.hit_counter(&a, 60, 1061).await.unwrap(), (1, 1121));
    assert_eq!(store.delete_expired_counters(1100).await.unwrap(), 1, "only b's window has ended");
    assert_eq!(store.hit_counter(&a, 60, 1062).await.unwrap(), (2, 1121));
}

pub async fn attempts_at_once_are_each_counted(store: &dyn Store) {
    let key = random_bytes::<32>();
    // Polled together, so the statements overlap on the connection pool.
    let hits = (0..20).map(|_| store.hit_counter(&key, 60, 1000));
    let mut counts: Vec<u32> = futures_util::future::join_all(hits).await.into_iter().map(|r| r.unwrap().0).collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<u32>>());
}

pub async fn the_server_secret_is_created_once(store: &dyn Store) {
    let first = random_bytes::<32>();
    assert_eq!(store.server_secret(&first, 1000).await.unwrap(), first.to_vec());
    let second = random_bytes::<32>();
    assert_eq!(store.server_secret(&second, 2000).await.unwrap(), first.to_vec(), "the first one stays");
}

pub async fn ping_answers(store: &dyn Store) {
    store.ping().await.unwrap();
}

fn entry(user_id: &str, date: &str, created_at: i64) -> journal_core::entries::EntryRecord {
    journal_core::entries::EntryRecord {
        id: journal_core::ids::new_id(),
        user_id: user_id.to_owned(),
        entry_date: date.to_owned(),
        key_wrapped: random_bytes::<73>().to_vec(),
        content: random_bytes::<120>().to_vec(),
        created_at,
        updated_at: created_at,
    }
}

pub async fn entries_are_scoped_and_versioned(store: &dyn Store) {
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    let e = entry(&a.id, "2024-03-01", 10);
    assert_eq!(store.insert_entry(&e).await.unwrap(), 1);
    assert_eq!(store.user_by_id(&a.id).await.unwrap().unwrap().content_version, 1);
    let got = store.entry(&a.id, &e.id).await.unwrap().unwrap();
    assert_eq!((got.content.clone(), got.key_wrapped.clone()), (e.content.clone(), e.key_wrapped.clone()));
    assert!(store.entry(&b.id, &e.id).await.unwrap().is_none(), "another user's id answers nothing");
    let some = store.entries_by_ids(&a.id, &[e.id.clone(), "0".repeat(32)]).await.unwrap();
    assert_eq!(some.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec![e.id.as_str()]);
    assert!(store.entries_by_ids(&b.id, std::slice::from_ref(&e.id)).await.unwrap().is_empty());
    assert!(store.entries_by_ids(&a.id, &[]).await.unwrap().is_empty());

    let mut stolen = e.clone();
    stolen.user_id = b.id.clone();
    assert_eq!(store.update_entry(&stolen).await.unwrap(), None);
    assert_eq!(store.delete_entry(&b.id, &e.id).await.unwrap(), None);
    assert_eq!(store.user_by_id(&b.id).await.unwrap().unwrap().content_version, 0);

    let mut changed = e.clone();
    changed.content = random_bytes::<64>().to_vec();
    changed.entry_date = "2024-03-02".into();
    changed.updated_at = 20;
    assert_eq!(store.update_entry(&changed).await.unwrap(), Some(2));
    let got = store.entry(&a.id, &e.id).await.unwrap().unwrap();
    assert_eq!(
        (got.content, got.entry_date, got.updated_at, got.created_at),
        (changed.content, "2024-03-02".into(), 20, 10)
    );
    store.put_draft(&a.id, &e.id, b"draft", 5).await.unwrap();
    assert_eq!(store.delete_entry(&a.id, &e.id).await.unwrap(), Some(3));
    assert!(store.entry(&a.id, &e.id).await.unwrap().is_none());
    assert!(store.draft(&a.id, &e.id).await.unwrap().is_none(), "an entry's draft goes with it");
}

pub async fn entry_pages_never_repeat_or_skip(store: &dyn Store) {
    use journal_core::entries::{EntryCursor, EntryQuery};
    let a = user("a@example.org");
    store.insert_user(&a).await.unwrap();
    let mut all = Vec::new();
    for i in 0..23 {
        // Several entries share a day; created_at breaks ties, then id.
        let e = entry(&a.id, &format!("2024-01-{:02}", 1 + i / 3), 100 + i64::from(i % 2));
        store.insert_entry(&e).await.unwrap();
        all.push(e);
    }
    let mut expected = all.clone();
    expected.sort_by(|x, y| (&y.entry_date, y.created_at, &y.id).cmp(&(&x.entry_date, x.created_at, &x.id)));

    let mut seen = Vec::new();
    let mut after = None;
    let mut round = 0;
    loop {
        let page = store
            .list_entries(&a.id, &EntryQuery { after: after.clone(), limit: 5, ..Default::default() })
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        // Writing between pages must not disturb the pages still to come.
        if round == 1 {
            store.insert_entry(&entry(&a.id, "2025-06-01", 1)).await.unwrap();
        }
        round += 1;
        after = page.last().map(EntryCursor::of);
        seen.extend(page.into_iter().map(|e| e.id));
    }
    assert_eq!(seen, expected.iter().map(|e| e.id.clone()).collect::<Vec<_>>());

    let ranged = store
        .list_entries(
            &a.id,
            &EntryQuery {
                from: Some("2024-01-02".into()),
                to: Some("2024-01-03".into()),
                limit: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ranged.len(), 6);
    assert!(ranged.iter().all(|e| e.entry_date.as_str() >= "2024-01-02" && e.entry_date.as_str() <= "2024-01-03"));
    assert_eq!(store.all_entries(&a.id).await.unwrap().len(), 24);
    let days = store.entry_days(&a.id, "2024-01-01", "2024-01-31").await.unwrap();
    assert_eq!(days.first().unwrap(), &("2024-01-01".to_owned(), 3));
    assert_eq!(days.len(), 8);
}

pub async fn on_this_day_finds_earlier_years_and_months(store: &dyn Store) {
    let a = user("a@example.org");
    store.insert_user(&a).await.unwrap();
    for date in ["2022-05-14", "2023-05-14", "2024-04-14", "2024-05-13", "2024-05-14"] {
        store.insert_entry(&entry(&a.id, date, 1)).await.unwrap();
    }
    let found = store.entries_on_month_day(&a.id, "05-14", "14", "2024-05-14").await.unwrap();
    let dates: Vec<_> = found.iter().map(|e| e.entry_date.as_str()).collect();
    assert_eq!(dates, vec!["2024-04-14", "2023-05-14", "2022-05-14"]);
}

pub async fn drafts_are_kept_per_user_and_key(store: &dyn Store) {
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    store.put_draft(&a.id, "new", b"one", 1).await.unwrap();
    store.put_draft(&a.id, "new", b"two", 2).await.unwrap();
    assert_eq!(store.draft(&a.id, "new").await.unwrap(), Some((b"two".to_vec(), 2)));
    assert_eq!(store.draft(&b.id, "new").await.unwrap(), None);
    store.delete_draft(&a.id, "new").await.unwrap();
    assert_eq!(store.draft(&a.id, "new").await.unwrap(), None);
    store.set_time_zone(&a.id, "Europe/Lisbon").await.unwrap();
    assert_eq!(store.user_by_id(&a.id).await.unwrap().unwrap().time_zone, "Europe/Lisbon");
    store.set_preferences(&a.id, Some("GB"), 7).await.unwrap();
    let prefs = store.user_by_id(&a.id).await.unwrap().unwrap();
    assert_eq!((prefs.country.as_deref(), prefs.week_start), (Some("GB"), 7));
    store.set_preferences(&a.id, None, 1).await.unwrap();
    assert_eq!(store.user_by_id(&a.id).await.unwrap().unwrap().country, None);
}

pub async fn documents_are_replaced_whole_and_leave_with_their_owner(store: &dyn Store) {
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    assert_eq!(store.document(&a.id, "safety_plan").await.unwrap(), None);
    store.put_document(&a.id, "safety_plan", b"first", 1).await.unwrap();
    store.put_document(&a.id, "safety_plan", b"second", 2).await.unwrap();
    store.put_document(&a.id, "prompt_book", b"book", 3).await.unwrap();
    assert_eq!(store.document(&a.id, "safety_plan").await.unwrap(), Some((b"second".to_vec(), 2)));
    assert_eq!(store.document(&b.id, "safety_plan").await.unwrap(), None, "scoped to the owner");
    assert!(store.delete_user(&a.id).await.unwrap());
    assert_eq!(store.document(&a.id, "prompt_book").await.unwrap(), None, "deleted with the account");
}

pub async fn health_data_is_scoped_and_ordered(store: &dyn Store) {
    use journal_core::metrics::AssessmentRecord;
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    assert!(store.metrics_key(&a.id).await.unwrap().is_none());
    let first = store.create_metrics_key(&a.id, b"key one", 1).await.unwrap();
    let second = store.create_metrics_key(&a.id, b"key two", 2).await.unwrap();
    assert_eq!((first.as_slice(), second.as_slice()), (&b"key one"[..], &b"key one"[..]), "the first key stays");
    let record = |id: &str, instrument: &str, at: i64| AssessmentRecord {
        id: id.to_owned(),
        user_id: a.id.clone(),
        instrument: instrument.to_owned(),
        taken_at: at,
        content: random_bytes::<40>().to_vec(),
    };
    // Two in the same second keep the order they were taken in.
    for (id, instrument, at) in [("z1", "phq9", 10), ("a2", "phq9", 10), ("m3", "gad7", 11)] {
        store.insert_assessment(&record(id, instrument, at)).await.unwrap();
    }
    let all: Vec<_> = store.list_assessments(&a.id, None).await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(all, vec!["m3", "a2", "z1"]);
    let phq: Vec<_> = store.list_assessments(&a.id, Some("phq9")).await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(phq, vec!["a2", "z1"]);
    assert!(store.list_assessments(&b.id, None).await.unwrap().is_empty());
    store.delete_user(&a.id).await.unwrap();
    assert!(store.metrics_key(&a.id).await.unwrap().is_none());
}

pub async fn check_ins_are_corrected_and_deleted_only_by_their_owner(store: &dyn Store) {
    use journal_core::metrics::MoodRecord;
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    let mood = MoodRecord { id: "m1".into(), user_id: a.id.clone(), at: 100, content: b"first".to_vec() };
    store.insert_mood(&mood).await.unwrap();
    assert!(store.mood(&b.id, "m1").await.unwrap().is_none(), "not someone else's");
    let moved = MoodRecord { at: 50, content: b"corrected".to_vec(), ..mood.clone() };
    assert!(store.update_mood(&moved).await.unwrap());
    let theirs = MoodRecord { user_id: b.id.clone(), content: b"taken".to_vec(), ..mood.clone() };
    assert!(!store.update_mood(&theirs).await.unwrap(), "another user can't overwrite it");
    let got = store.mood(&a.id, "m1").await.unwrap().unwrap();
    assert_eq!((got.at, got.content.as_slice()), (50, &b"corrected"[..]));
    assert_eq!(store.list_moods(&a.id, 0, 60).await.unwrap().len(), 1, "listed at its corrected time");
    assert!(!store.delete_mood(&b.id, "m1").await.unwrap());
    assert!(store.delete_mood(&a.id, "m1").await.unwrap());
    assert!(!store.delete_mood(&a.id, "m1").await.unwrap());
    assert!(store.mood(&a.id, "m1").await.unwrap().is_none());
    assert!(!store.update_mood(&moved).await.unwrap(), "a deleted check-in can't be brought back by an edit");
}

pub async fn a_submission_token_stores_one_result(store: &dyn Store) {
    use journal_core::metrics::AssessmentRecord;
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    let record = |id: &str, user_id: &str, at: i64| AssessmentRecord {
        id: id.to_owned(),
        user_id: user_id.to_owned(),
        instrument: "phq9".to_owned(),
        taken_at: at,
        content: random_bytes::<40>().to_vec(),
    };
    let token = random_bytes::<32>();
    assert_eq!(store.insert_assessment_once(&record("r1", &a.id, 1000), &token, 0).await.unwrap(), "r1");
    assert_eq!(store.insert_assessment_once(&record("r2", &a.id, 1001), &token, 0).await.unwrap(), "r1");
    assert_eq!(store.list_assessments(&a.id, None).await.unwrap().len(), 1, "the second copy stored nothing");
    assert_eq!(store.insert_assessment_once(&record("r3", &b.id, 1002), &token, 0).await.unwrap(), "r3", "per user");
    // Once forgotten, the token counts as new.
    assert_eq!(store.insert_assessment_once(&record("r4", &a.id, 5000), &[1; 32], 2000).await.unwrap(), "r4");
    assert_eq!(store.insert_assessment_once(&record("r5", &a.id, 5001), &token, 2000).await.unwrap(), "r5");
    assert_eq!(store.list_assessments(&a.id, None).await.unwrap().len(), 3);
}

pub async fn goals_and_check_ins_stay_with_their_owner(store: &dyn Store) {
    use journal_core::goals::{CheckinRecord, GoalRecord, ReminderRecord};
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    let goal = GoalRecord {
        id: "g1".into(),
        user_id: a.id.clone(),
        created_at: 1,
        updated_at: 1,
        content: b"sealed".to_vec(),
    };
    store.insert_goal(&goal).await.unwrap();
    let checkin = |id: &str, user: &str, day: &str| CheckinRecord {
        id: id.into(),
        goal_id: "g1".into(),
        user_id: user.into(),
        day: day.into(),
        created_at: 2,
        note: vec![],
    };
    assert!(store.insert_checkin(&checkin("c2", &a.id, "2026-01-02")).await.unwrap());
    assert!(store.insert_checkin(&checkin("c1", &a.id, "2026-01-01")).await.unwrap());
    assert!(!store.insert_checkin(&checkin("c3", &b.id, "2026-01-01")).await.unwrap(), "not b's goal");
    let days: Vec<String> = store.checkins(&a.id).await.unwrap().into_iter().map(|c| c.day).collect();
    assert_eq!(days, ["2026-01-01", "2026-01-02"], "oldest first");
    assert!(store.checkins(&b.id).await.unwrap().is_empty());
    assert!(!store.delete_checkin(&b.id, "g1", "c1").await.unwrap());
    assert!(store.delete_checkin(&a.id, "g1", "c1").await.unwrap());
    let moved = GoalRecord { user_id: b.id.clone(), content: b"stolen".to_vec(), ..goal.clone() };
    assert!(!store.update_goal(&moved).await.unwrap(), "b cannot overwrite a's goal");
    assert!(!store.delete_goal(&b.id, "g1").await.unwrap());
    assert_eq!(store.goals(&a.id).await.unwrap(), std::slice::from_ref(&goal));

    let r = ReminderRecord {
        user_id: a.id.clone(),
        feed_token_hash: vec![7; 32],
        feed_token_sealed: b"sealed token".to_vec(),
        journal_time: Some("21:00".into()),
        checkin_time: None,
        goal_time: None,
        goal_reminders: true,
        updated_at: 3,
    };
    store.put_reminders(&r).await.unwrap();
    assert_eq!(store.reminders_by_feed(&[7; 32]).await.unwrap(), Some(r.clone()));
    let rotated = ReminderRecord { feed_token_hash: vec![8; 32], ..r.clone() };
    store.put_reminders(&rotated).await.unwrap();
    assert_eq!(store.reminders_by_feed(&[7; 32]).await.unwrap(), None, "the old address is gone");
    assert_eq!(store.reminders(&a.id).await.unwrap(), Some(rotated));

    assert!(store.delete_goal(&a.id, "g1").await.unwrap());
    assert!(store.checkins(&a.id).await.unwrap().is_empty(), "check-ins go with their goal");
    assert!(store.delete_user(&a.id).await.unwrap());
    assert_eq!(store.reminders_by_feed(&[8; 32]).await.unwrap(), None, "and reminders with their owner");
}

// ---- the therapist bridge

fn therapist(email: &str) -> UserRecord {
    UserRecord { role: Role::Therapist, ..user(email) }
}

fn link(therapist_id: &str, client_id: &str, created_at: i64) -> journal_core::bridge::ConnectionRecord {
    journal_core::bridge::ConnectionRecord {
        id: journal_core::ids::new_id(),
        therapist_id: therapist_id.to_owned(),
        client_id: client_id.to_owned(),
        created_at,
        share_mood: false,
        share_assessments: false,
        share_goals: false,
        metrics_box: None,
    }
}

fn invite(therapist_id: &str, created_at: i64) -> journal_core::bridge::InviteRecord {
    journal_core::bridge::InviteRecord {
        code_hash: random_bytes::<32>().to_vec(),
        therapist_id: therapist_id.to_owned(),
        created_at,
        expires_at: created_at + 100,
        used_at: None,
    }
}

/// Links `t` and `c` through an invite, as the bridge does.
async fn linked(store: &dyn Store, t: &UserRecord, c: &UserRecord, at: i64) -> journal_core::bridge::ConnectionRecord {
    let i = invite(&t.id, at);
    store.create_invite(&i).await.unwrap();
    let l = link(&t.id, &c.id, at);
    assert!(store.redeem_invite(&i.code_hash, &l, at).await.unwrap());
    l
}

fn share(entry_id: &str, connection_id: &str, key_box: &[u8]) -> journal_core::bridge::ShareRecord {
    journal_core::bridge::ShareRecord {
        entry_id: entry_id.to_owned(),
        connection_id: connection_id.to_owned(),
        key_box: key_box.to_vec(),
        created_at: 5,
    }
}

pub async fn an_invite_links_two_people_once(store: &dyn Store) {
    let t = therapist("t@example.org");
    let c = user("c@example.org");
    let stranger = user("s@example.org");
    for u in [&t, &c, &stranger] {
        store.insert_user(u).await.unwrap();
    }
    let i = invite(&t.id, 1000);
    store.create_invite(&i).await.unwrap();
    assert_eq!(store.invite(&i.code_hash).await.unwrap(), Some(i.clone()));
    assert_eq!(store.invite(&[0; 32]).await.unwrap(), None);

    let l = link(&t.id, &c.id, 1010);
    assert!(store.redeem_invite(&i.code_hash, &l, 1010).await.unwrap());
    assert_eq!(store.invite(&i.code_hash).await.unwrap().unwrap().used_at, Some(1010));
    let again = link(&t.id, &stranger.id, 1020);
    assert!(!store.redeem_invite(&i.code_hash, &again, 1020).await.unwrap(), "an invite is used once");

    let late = invite(&t.id, 1000);
    store.create_invite(&late).await.unwrap();
    assert!(!store.redeem_invite(&late.code_hash, &again, 1100).await.unwrap(), "an expired invite is gone");
    assert!(store.connections(&stranger.id).await.unwrap().is_empty(), "a refused invite links nobody");

    let second = invite(&t.id, 1030);
    store.create_invite(&second).await.unwrap();
    let twice = link(&t.id, &c.id, 1030);
    assert!(
        matches!(store.redeem_invite(&second.code_hash, &twice, 1030).await, Err(StoreError::Conflict(_))),
        "two people are linked once"
    );
    assert_eq!(store.invite(&second.code_hash).await.unwrap().unwrap().used_at, None, "the refusal used nothing");

    let later = linked(store, &t, &stranger, 1040).await;
    let of_therapist: Vec<_> = store.connections(&t.id).await.unwrap().into_iter().map(|l| l.id).collect();
    assert_eq!(of_therapist, [l.id.clone(), later.id.clone()], "oldest first");
    assert_eq!(
        store.connections(&c.id).await.unwrap(),
        std::slice::from_ref(&l),
        "the client sees their own link only"
    );
}

pub async fn shares_are_the_clients_and_end_with_the_link(store: &dyn Store) {
    use journal_core::bridge::Sharing;
    use journal_core::metrics::{AssessmentRecord, MoodRecord};
    let t = therapist("t@example.org");
    let other = therapist("o@example.org");
    let c = user("c@example.org");
    for u in [&t, &other, &c] {
        store.insert_user(u).await.unwrap();
    }
    let l = linked(store, &t, &c, 10).await;
    let kept = linked(store, &other, &c, 11).await;
    let older = entry(&c.id, "2026-01-01", 1);
    let newer = entry(&c.id, "2026-02-01", 2);
    let theirs = entry(&t.id, "2026-02-01", 3);
    for e in [&older, &newer, &theirs] {
        store.insert_entry(e).await.unwrap();
    }

    assert!(store.put_share(&c.id, &share(&older.id, &l.id, b"box 1")).await.unwrap());
    assert!(store.put_share(&c.id, &share(&newer.id, &l.id, b"box 2")).await.unwrap());
    assert!(store.put_share(&c.id, &share(&older.id, &l.id, b"box 3")).await.unwrap(), "sharing again replaces");
    assert!(!store.put_share(&c.id, &share(&theirs.id, &l.id, b"x")).await.unwrap(), "not the client's entry");
    assert!(!store.put_share(&t.id, &share(&theirs.id, &l.id, b"x")).await.unwrap(), "not the therapist's link");
    assert!(store.put_share(&c.id, &share(&older.id, &kept.id, b"box 4")).await.unwrap());

    let shared = store.shared_entries(&t.id, &c.id).await.unwrap();
    let got: Vec<_> = shared.iter().map(|(e, s)| (e.id.as_str(), s.key_box.as_slice())).collect();
    assert_eq!(got, [(newer.id.as_str(), &b"box 2"[..]), (older.id.as_str(), &b"box 3"[..])], "newest first");
    let (e, s) = &shared[0];
    assert_eq!((&e.key_wrapped, &e.content, e.created_at), (&newer.key_wrapped, &newer.content, 2), "whole");
    assert_eq!((s.connection_id.as_str(), s.created_at), (l.id.as_str(), 5));
    assert!(store.shared_entries(&t.id, &t.id).await.unwrap().is_empty());
    assert_eq!(store.shares_of_client(&c.id).await.unwrap().len(), 3);
    assert!(store.shares_of_client(&t.id).await.unwrap().is_empty());

    assert!(!store.delete_share(&t.id, &newer.id, &l.id).await.unwrap(), "only the client unshares");
    assert!(store.delete_share(&c.id, &newer.id, &l.id).await.unwrap());
    assert!(!store.delete_share(&c.id, &newer.id, &l.id).await.unwrap());

    let sharing = Sharing { mood: true, assessments: false, goals: true };
    assert!(!store.set_metrics_sharing(&t.id, &l.id, sharing, Some(b"mk")).await.unwrap(), "only the client");
    assert!(store.set_metrics_sharing(&c.id, &l.id, sharing, Some(b"mk")).await.unwrap());
    let now = store.connections(&t.id).await.unwrap().remove(0);
    assert_eq!(
        (now.share_mood, now.share_assessments, now.share_goals, now.metrics_box.as_deref()),
        (true, false, true, Some(&b"mk"[..]))
    );

    store.create_metrics_key(&c.id, b"old key", 1).await.unwrap();
    assert!(!store.metrics_rotation_pending(&c.id).await.unwrap());
    assert!(store.delete_connection(&c.id, "no such link").await.unwrap().is_none());
    assert!(store.delete_connection(&other.id, &l.id).await.unwrap().is_none(), "not a party to it");
    assert_eq!(store.delete_connection(&t.id, &l.id).await.unwrap().map(|e| e.id), Some(l.id.clone()));
    assert!(store.shared_entries(&t.id, &c.id).await.unwrap().is_empty(), "its shares went with it");
    assert_eq!(store.shares_of_client(&c.id).await.unwrap().len(), 1, "the other link keeps its share");
    assert!(store.metrics_rotation_pending(&c.id).await.unwrap(), "the therapist held the metrics key");

    let mood = MoodRecord { id: "m1".into(), user_id: c.id.clone(), at: 5, content: b"under old".to_vec() };
    store.insert_mood(&mood).await.unwrap();
    let result = AssessmentRecord {
        id: "a1".into(),
        user_id: c.id.clone(),
        instrument: "phq9".into(),
        taken_at: 5,
        content: b"old".to_vec(),
    };
    store.insert_assessment(&result).await.unwrap();
    let moods = [MoodRecord { content: b"under new".to_vec(), ..mood.clone() }];
    let results = [AssessmentRecord { content: b"new".to_vec(), ..result.clone() }];
    let boxes = [(kept.id.clone(), b"new box".to_vec()), (l.id.clone(), b"ended".to_vec())];
    store.rotate_metrics(&c.id, b"new key", &moods, &results, &boxes).await.unwrap();
    assert!(!store.metrics_rotation_pending(&c.id).await.unwrap());
    assert_eq!(store.metrics_key(&c.id).await.unwrap().as_deref(), Some(&b"new key"[..]));
    assert_eq!(store.mood(&c.id, "m1").await.unwrap().unwrap().content, b"under new");
    assert_eq!(store.list_assessments(&c.id, None).await.unwrap()[0].content, b"new");
    let links = store.connections(&c.id).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].metrics_box.as_deref(), Some(&b"new box"[..]));

    store.delete_entry(&c.id, &older.id).await.unwrap();
    assert!(store.shares_of_client(&c.id).await.unwrap().is_empty(), "a deleted entry is unshared everywhere");
}

pub async fn comments_and_homework_stay_on_their_link(store: &dyn Store) {
    use journal_core::bridge::{AssignmentRecord, CommentRecord};
    let t = therapist("t@example.org");
    let c = user("c@example.org");
    let stranger = user("s@example.org");
    for u in [&t, &c, &stranger] {
        store.insert_user(u).await.unwrap();
    }
    let l = linked(store, &t, &c, 10).await;
    let e = entry(&c.id, "2026-01-01", 1);
    let elsewhere = entry(&stranger.id, "2026-01-01", 1);
    store.insert_entry(&e).await.unwrap();
    store.insert_entry(&elsewhere).await.unwrap();

    let comment = |id: &str, author: &str, at: i64| CommentRecord {
        id: id.into(),
        entry_id: e.id.clone(),
        author_id: author.into(),
        created_at: at,
        body: random_bytes::<24>().to_vec(),
    };
    // Two in the same second keep the order they were written in.
    for (id, author, at) in [("z", &t.id, 20), ("a", &c.id, 20), ("m", &t.id, 19)] {
        store.insert_comment(&comment(id, author, at)).await.unwrap();
    }
    let ids: Vec<_> = store.comments(&e.id).await.unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(ids, ["m", "z", "a"]);
    assert!(store.comments(&elsewhere.id).await.unwrap().is_empty());

    let homework = |id: &str, at: i64| AssignmentRecord {
        id: id.into(),
        connection_id: l.id.clone(),
        created_at: at,
        due_date: Some("2026-01-08".into()),
        content: random_bytes::<40>().to_vec(),
        key_box: random_bytes::<80>().to_vec(),
        answered_at: None,
        answer_entry_id: None,
    };
    let first = homework("h1", 30);
    store.insert_assignment(&first).await.unwrap();
    store.insert_assignment(&homework("h2", 40)).await.unwrap();
    assert!(store.assignments(&[]).await.unwrap().is_empty());
    assert!(store.assignments(&["no such link".into()]).await.unwrap().is_empty());
    let got = store.assignments(&[l.id.clone(), "no such link".into()]).await.unwrap();
    assert_eq!(got.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["h2", "h1"], "newest first");
    assert_eq!(got[1], first, "stored whole");

    assert!(!store.answer_assignment(&c.id, "h1", &elsewhere.id, 50).await.unwrap(), "not the client's entry");
    assert!(!store.answer_assignment(&stranger.id, "h1", &elsewhere.id, 50).await.unwrap(), "not their homework");
    assert!(!store.answer_assignment(&t.id, "h1", &e.id, 50).await.unwrap(), "only the client answers");
    assert!(store.answer_assignment(&c.id, "h1", &e.id, 50).await.unwrap());
    let answered = store.assignments(std::slice::from_ref(&l.id)).await.unwrap().pop().unwrap();
    assert_eq!((answered.answered_at, answered.answer_entry_id.as_deref()), (Some(50), Some(e.id.as_str())));

    store.delete_connection(&c.id, &l.id).await.unwrap();
    assert!(store.assignments(std::slice::from_ref(&l.id)).await.unwrap().is_empty(), "homework ends with the link");
    store.delete_entry(&c.id, &e.id).await.unwrap();
    assert!(store.comments(&e.id).await.unwrap().is_empty(), "comments go with their entry");
}

pub async fn the_access_log_is_one_chain_that_outlives_a_reset(store: &dyn Store) {
    use journal_core::bridge::{NewAccess, verify};
    let key = journal_crypto::SymmetricKey::generate();
    let t = therapist("t@example.org");
    let c = user("c@example.org");
    let quiet = user("q@example.org");
    for u in [&t, &c, &quiet] {
        store.insert_user(u).await.unwrap();
    }
    let event = |client_id: &str, item: &str, at: i64| NewAccess {
        client_id: client_id.into(),
        therapist_id: t.id.clone(),
        therapist_name: "Dr T".into(),
        item_kind: "entry".into(),
        item_id: item.into(),
        at,
        event: "read".into(),
        actor: "therapist".into(),
        detail: String::new(),
    };
    store.append_access(&key, &event(&c.id, "e1", 1)).await.unwrap();
    // Appended together, so the statements overlap on the connection pool; the chain must not fork.
    let many = (0..8).map(|i| event(&c.id, "e2", 2 + i)).collect::<Vec<_>>();
    let appends = many.iter().map(|a| store.append_access(&key, a));
    for r in futures_util::future::join_all(appends).await {
        r.unwrap();
    }
    store.append_access(&key, &event("no such user", "e3", 3)).await.unwrap();

    let rows = store.access_log(&c.id).await.unwrap();
    assert_eq!(rows.len(), 9);
    assert_eq!(rows[0].item_id, "e1", "oldest first");
    assert!(rows.windows(2).all(|w| w[0].seq < w[1].seq && w[1].prev_hash == w[0].hash), "one unbroken chain");
    assert!(store.access_log(&quiet.id).await.unwrap().is_empty());
    let head = store.access_log_head(&c.id).await.unwrap().unwrap();
    assert_eq!(head.head.as_deref(), Some(rows[8].hash.as_slice()));
    assert!(store.access_log_head("no such user").await.unwrap().is_none());
    let (all, heads) = store.access_log_all().await.unwrap();
    assert_eq!(all, rows);
    assert_eq!(heads.len(), 3, "every user's head, empty ones too");
    assert!(verify(&all, &heads, &key).is_empty());

    assert!(!store.set_access_log_head_mac(&c.id, &rows[0].hash, b"stale").await.unwrap(), "only the current head");
    let mac = head.mac.clone().unwrap();
    assert!(store.set_access_log_head_mac(&c.id, &rows[8].hash, &mac).await.unwrap());

    let fresh = UserRecord { id: c.id.clone(), email: c.email.clone(), ..user("ignored@example.org") };
    assert!(store.reset_user(&fresh).await.unwrap());
    assert_eq!(store.access_log(&c.id).await.unwrap(), rows, "a reset keeps who saw what");
    let kept = store.access_log_head(&c.id).await.unwrap().unwrap();
    assert_eq!((kept.head, kept.mac), (head.head, head.mac));
    let (all, heads) = store.access_log_all().await.unwrap();
    assert!(verify(&all, &heads, &key).is_empty(), "the chain still verifies");
    store.append_access(&key, &event(&c.id, "e4", 20)).await.unwrap();
    assert_eq!(store.access_log(&c.id).await.unwrap().len(), 10, "and goes on after it");

    assert!(store.delete_user(&c.id).await.unwrap());
    assert!(store.access_log(&c.id).await.unwrap().is_empty(), "deleting the account deletes its log");
}

pub async fn a_session_is_found_with_its_user(store: &dyn Store) {
    let a = user("a@example.org");
    store.insert_user(&a).await.unwrap();
    store.set_preferences(&a.id, Some("NZ"), 7).await.unwrap();
    store.set_time_zone(&a.id, "Pacific/Auckland").await.unwrap();
    let s = session(&a.id, SessionKind::Api, 100, Some(200));
    store.insert_session(&s).await.unwrap();
    let (got, owner) = store.session_and_user(&s.token_hash).await.unwrap().unwrap();
    assert_eq!(
        (got.id, got.kind, got.name, got.expires_at),
        (s.id.clone(), SessionKind::Api, s.name.clone(), Some(200))
    );
    assert_eq!(got.dek_wrapped, s.dek_wrapped);
    assert_eq!((owner.id.as_str(), owner.country.as_deref(), owner.week_start), (a.id.as_str(), Some("NZ"), 7));
    assert_eq!((owner.time_zone.as_str(), owner.password.verifier), ("Pacific/Auckland", a.password.verifier));
    assert!(store.session_and_user(&[0; 32]).await.unwrap().is_none());
    store.set_preferences(&a.id, None, 1).await.unwrap();
    let (_, owner) = store.session_and_user(&s.token_hash).await.unwrap().unwrap();
    assert_eq!((owner.country, owner.week_start), (None, 1));
}

pub async fn an_import_is_written_whole_or_not_at_all(store: &dyn Store) {
    use journal_core::goals::{CheckinRecord, GoalRecord};
    use journal_core::metrics::{AssessmentRecord, MoodRecord};
    use journal_core::store::ImportWrite;
    let a = user("a@example.org");
    let b = user("b@example.org");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    let many = [entry(&a.id, "2025-01-01", 1), entry(&a.id, "2025-01-02", 2), entry(&b.id, "2025-01-03", 3)];
    assert_eq!(store.insert_entries(&a.id, &many).await.unwrap(), 1, "one version for the whole batch");
    assert_eq!(store.all_entries(&a.id).await.unwrap().len(), 2, "only the named user's rows");
    assert!(store.all_entries(&b.id).await.unwrap().is_empty());

    let mood = |id: &str, user_id: &str| MoodRecord { id: id.into(), user_id: user_id.into(), at: 5, content: vec![1] };
    let goal = GoalRecord { id: "g1".into(), user_id: a.id.clone(), created_at: 5, updated_at: 5, content: vec![2] };
    let batch = ImportWrite {
        entries: vec![entry(&a.id, "2025-02-01", 10)],
        moods: vec![mood("m1", &a.id), mood("m2", &b.id)],
        assessments: vec![AssessmentRecord {
            id: "r1".into(),
            user_id: a.id.clone(),
            instrument: "gad7".into(),
            taken_at: 5,
            content: vec![3],
        }],
        checkins: vec![CheckinRecord {
            id: "c1".into(),
            goal_id: goal.id.clone(),
            user_id: a.id.clone(),
            day: "2025-02-01".into(),
            created_at: 5,
            note: vec![],
        }],
        goals: vec![goal],
        documents: vec![("safety_plan".into(), b"plan".to_vec())],
        at: 7,
    };
    assert_eq!(store.import(&a.id, &batch).await.unwrap(), 2);
    assert_eq!(store.all_entries(&a.id).await.unwrap().len(), 3);
    assert_eq!(store.list_moods(&a.id, 0, 10).await.unwrap().len(), 1);
    assert!(store.list_moods(&b.id, 0, 10).await.unwrap().is_empty(), "another user's rows are left out");
    assert_eq!(store.list_assessments(&a.id, Some("gad7")).await.unwrap().len(), 1);
    assert_eq!(store.goals(&a.id).await.unwrap().len(), 1);
    assert_eq!(store.checkins(&a.id).await.unwrap().len(), 1);
    assert_eq!(store.document(&a.id, "safety_plan").await.unwrap(), Some((b"plan".to_vec(), 7)));

    // The same entry again breaks the batch half-way: nothing of it stays.
    let broken = ImportWrite {
        entries: vec![entry(&a.id, "2025-03-01", 20), batch.entries[0].clone()],
        moods: vec![mood("m3", &a.id)],
        ..ImportWrite::default()
    };
    assert!(store.import(&a.id, &broken).await.is_err());
    assert_eq!(store.all_entries(&a.id).await.unwrap().len(), 3);
    assert_eq!(store.list_moods(&a.id, 0, 10).await.unwrap().len(), 1);
    assert_eq!(store.user_by_id(&a.id).await.unwrap().unwrap().content_version, 2);
}

/// Reminder channels and jobs: scoped to their owner, verified by token, and each due job claimed
/// by exactly one of several claimers at once, and only the claim's holder may finish it.
pub async fn reminder_jobs_are_claimed_once(store: &dyn Store) {
    use journal_core::reminder_delivery::{ChannelKind, ChannelRecord, JobRecord};
    let a = user("remind-a@example.com");
    let b = user("remind-b@example.com");
    store.insert_user(&a).await.unwrap();
    store.insert_user(&b).await.unwrap();
    let channel = |id: &str, owner: &str, kind: ChannelKind, verify: Option<Vec<u8>>| ChannelRecord {
        id: id.into(),
        user_id: owner.into(),
        kind,
        destination_sealed: random_bytes::<48>().to_vec(),
        verified_at: verify.is_none().then_some(10),
        verify_token_hash: verify,
        verify_expires_at: Some(1_000),
        failures: 0,
        last_error: None,
        last_failed_at: None,
        created_at: 10,
    };
    store.insert_reminder_channel(&channel("ca", &a.id, ChannelKind::Webhook, None)).await.unwrap();
    store.insert_reminder_channel(&channel("ce", &a.id, ChannelKind::Email, Some(vec![7; 32]))).await.unwrap();
    store.insert_reminder_channel(&channel("cb", &b.id, ChannelKind::Webhook, None)).await.unwrap();
    assert_eq!(store.reminder_channels(&a.id).await.unwrap().len(), 2);
    assert_eq!(store.verify_reminder_channel(&[7; 32], 2_000).await.unwrap(), None, "expired");
    assert_eq!(store.verify_reminder_channel(&[7; 32], 500).await.unwrap().as_deref(), Some("ce"));
    assert_eq!(store.verify_reminder_channel(&[7; 32], 500).await.unwrap(), None, "used once");
    let job = |id: &str, owner: &str, channel: &str, due: i64| JobRecord {
        id: id.into(),
        user_id: owner.into(),
        channel_id: channel.into(),
        spec: "{}".into(),
        specific_wording: false,
        due_at: Some(due),
        attempts: 0,
        last_error: None,
        claimed_by: None,
        claimed_until: None,
        created_at: 10,
    };
    assert!(store.insert_reminder_job(&job("x", &a.id, "cb", 100)).await.is_err(), "not a's channel");
    for n in 0..40 {
        store.insert_reminder_job(&job(&format!("j{n:02}"), &a.id, "ca", 100 + n)).await.unwrap();
    }
    store.insert_reminder_job(&job("later", &b.id, "cb", 5_000)).await.unwrap();
    assert_eq!(store.reminder_jobs(&a.id).await.unwrap().len(), 40);
    assert!(!store.delete_reminder_job(&b.id, "j00").await.unwrap(), "only the owner deletes");

    // Four claimers at once, each taking up to 15: every due job once, none twice.
    let (w, x, y, z) = tokio::join!(
        store.claim_reminder_jobs("w", 200, 600, 15),
        store.claim_reminder_jobs("x", 200, 600, 15),
        store.claim_reminder_jobs("y", 200, 600, 15),
        store.claim_reminder_jobs("z", 200, 600, 15),
    );
    let mut ids: Vec<String> = [w, x, y, z].into_iter().flat_map(|c| c.unwrap()).map(|c| c.job.id).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "no job claimed twice");
    assert_eq!(ids.len(), 40, "every due job claimed, the later one not");
    assert!(store.claim_reminder_jobs("v", 200, 60, 100).await.unwrap().is_empty(), "leases hold");

    let held = store.reminder_job("j00").await.unwrap().unwrap();
    let holder = held.claimed_by.unwrap();
    assert!(!store.finish_reminder_job("j00", "nobody", Some(900), true).await.unwrap(), "only the holder");
    assert!(store.fail_reminder_job("j00", &holder, Some(300), 1, "timeout", 250).await.unwrap());
    let ca = store.reminder_channels(&a.id).await.unwrap().into_iter().find(|c| c.id == "ca").unwrap();
    assert_eq!((ca.failures, ca.last_error.as_deref()), (1, Some("timeout")));
    // A lease that ran out is free again; the retry is claimed at its time, with what sending needs.
    let again = store.claim_reminder_jobs("v", 300, 1_000, 100).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].job.id.as_str(), again[0].job.attempts), ("j00", 1));
    assert!(again[0].channel_verified && again[0].channel_kind == ChannelKind::Webhook);
    assert_eq!(again[0].time_zone, "UTC");
    let stolen = store.claim_reminder_jobs("late", 1_000, 60, 100).await.unwrap();
    assert_eq!(stolen.len(), 39, "leases of 600 s have run out by then");
    assert!(store.finish_reminder_job("j00", "v", Some(86_500), true).await.unwrap());
    let ca = store.reminder_channels(&a.id).await.unwrap().into_iter().find(|c| c.id == "ca").unwrap();
    assert_eq!(ca.failures, 0, "a delivery clears the failures");
    let done = store.reminder_job("j00").await.unwrap().unwrap();
    assert_eq!((done.due_at, done.attempts, done.claimed_by), (Some(86_500), 0, None));
    assert!(store.set_reminder_due("j00", Some(90_000)).await.unwrap());
    assert!(!store.set_reminder_due("j01", Some(90_000)).await.unwrap(), "a claimed job is left alone");

    // A channel takes its reminders with it; so does its owner.
    assert!(!store.delete_reminder_channel(&b.id, "ca").await.unwrap());
    assert!(store.delete_reminder_channel(&a.id, "ca").await.unwrap());
    assert!(store.reminder_jobs(&a.id).await.unwrap().is_empty());
    store.delete_user(&b.id).await.unwrap();
    assert!(store.reminder_job("later").await.unwrap().is_none());
}
