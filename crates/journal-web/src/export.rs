//! The complete export: one versioned JSON document (described by `docs/export.schema.json`)
//! with everything a person wrote or recorded. It is written as a stream, a page of entries at a
//! time, so a ten-year journal never sits in memory whole.

use axum::body::Bytes;
use serde::Serialize;
use serde_json::{Value, json};

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

pub const FORMAT: &str = "therapy-journal-export";
pub const VERSION: u32 = 1;

type Tx = tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>;

async fn send(tx: &Tx, s: String) -> Result<(), ()> {
    tx.send(Ok(Bytes::from(s))).await.map_err(|_| ())
}

fn item<T: Serialize>(first: &mut bool, v: &T) -> String {
    let mut s = if *first { String::new() } else { ",".to_owned() };
    *first = false;
    s.push_str(&serde_json::to_string(v).unwrap_or_else(|_| "null".into()));
    s
}

/// Streams the export into `tx`; stops quietly if the reader goes away.
pub async fn write_json(state: AppState, who: CurrentUser, tx: Tx) {
    if let Err(e) = write_inner(&state, &who, &tx).await {
        let _ = tx.send(Err(std::io::Error::other(e.message))).await;
    }
}

async fn write_inner(state: &AppState, who: &CurrentUser, tx: &Tx) -> Result<(), AppError> {
    let gone = |_| AppError::internal();
    let u = &who.unlocked.user;
    let head = json!({
        "format": FORMAT,
        "version": VERSION,
        "exported_at": journal_core::time_util::rfc3339(journal_core::time_util::now()),
        "account": {
            "email": u.email, "display_name": u.display_name, "role": u.role.as_str(),
            "created_at": journal_core::time_util::rfc3339(u.created_at),
            "time_zone": u.time_zone, "country": u.country, "week_start": u.week_start,
        },
    });
    let head = head.to_string();
    send(tx, format!("{},\"entries\":[", &head[..head.len() - 1])).await.map_err(gone)?;

    // Entries, a page at a time, each with its comments.
    let mut first = true;
    let mut cursor = None;
    let shares = crate::bridge::shares_by_entry(state, who).await?;
    loop {
        let q = crate::journal::ListQuery {
            limit: Some(crate::journal::MAX_LIMIT),
            cursor: cursor.clone(),
            ..Default::default()
        };
        let page = crate::journal::list(state, who, &q).await?;
        let mut chunk = String::new();
        for e in &page.entries {
            let comments: Vec<Value> = if u.role == journal_core::Role::Client {
                crate::bridge::own_comments(state, who, &e.id)
                    .await?
                    .into_iter()
                    .map(|c| json!({"author": c.author_name, "mine": c.mine, "created_at": journal_core::time_util::rfc3339(c.created_at), "body": c.body}))
                    .collect()
            } else {
                Vec::new()
            };
            let v = json!({
                "id": e.id, "entry_date": e.entry_date, "title": e.content.title, "body": e.content.body,
                "tags": e.content.tags, "mood": e.content.mood, "prompt_id": e.content.prompt_id,
                "thought_record": e.content.thought_record,
                "created_at": journal_core::time_util::rfc3339(e.created_at),
                "updated_at": journal_core::time_util::rfc3339(e.updated_at),
                "shared_with": shares.get(&e.id).cloned().unwrap_or_default(),
                "comments": comments,
            });
            chunk.push_str(&item(&mut first, &v));
        }
        send(tx, chunk).await.map_err(gone)?;
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    send(tx, "]".into()).await.map_err(gone)?;

    // Mood check-ins and questionnaires.
    let moods = crate::moods::list(
        state,
        who,
        Some("1900-01-01"),
        Some(&journal_core::dates::today_in(&u.time_zone).to_string()),
    )
    .await?;
    let mut s = String::from(",\"moods\":[");
    let mut first = true;
    for m in &moods {
        s.push_str(&item(&mut first, &json!({"at": journal_core::time_util::rfc3339(m.at), "score": m.content.score, "emotions": m.content.emotions,
            "sleep_hours": m.content.sleep_hours, "activities": m.content.activities, "note": m.content.note})));
    }
    s.push(']');
    send(tx, s).await.map_err(gone)?;
    let key = crate::assessments::metrics_key(state, who).await?;
    let mut all = crate::assessments::history(state, who, &key, None).await?;
    all.reverse();
    let mut s = String::from(",\"assessments\":[");
    let mut first = true;
    for a in &all {
        s.push_str(&item(&mut first, &json!({"instrument": a.instrument.as_str(), "taken_at": journal_core::time_util::rfc3339(a.taken_at),
            "answers": a.content.answers, "total": a.content.total, "severity": a.content.severity, "self_harm": a.content.self_harm})));
    }
    s.push(']');
    send(tx, s).await.map_err(gone)?;

    // Goals and their check-ins, the safety plan, prompts, achievements, reminders.
    let goals: Vec<Value> = crate::goals::list(state, who)
        .await?
        .into_iter()
        .map(|g| {
            json!({"id": g.goal.id, "goal": g.goal.content,
                "checkins": g.checkins.iter().map(|c| json!({"date": c.day.to_string(), "note": c.note})).collect::<Vec<_>>()})
        })
        .collect();
    let (plan, _) = crate::coping::safety_plan(state, who).await?;
    let book = crate::prompts::load_book(state, who).await?;
    let achievements = crate::achievements::all(state, who).await?;
    let reminders = crate::reminders::get(state, who).await?;
    let rest = json!({
        "goals": goals,
        "safety_plan": plan,
        "prompts": {"custom": book.custom, "pinned": book.pinned, "answered": book.answered, "session_date": book.session_date},
        "achievements": achievements,
        "reminders": {"journal_time": reminders.journal_time, "checkin_time": reminders.checkin_time,
            "goal_time": reminders.goal_time, "goal_reminders": reminders.goal_reminders},
    })
    .to_string();
    send(tx, format!(",{}", &rest[1..rest.len() - 1])).await.map_err(gone)?;

    // Links, shares and the access log.
    let links: Vec<Value> = crate::bridge::links(state, who)
        .await?
        .into_iter()
        .map(|l| {
            json!({"id": l.record.id, "therapist": l.therapist.display_name, "client": l.client.display_name,
                "created_at": journal_core::time_util::rfc3339(l.record.created_at), "sharing": l.sharing()})
        })
        .collect();
    let log: Vec<Value> = if u.role == journal_core::Role::Client {
        crate::bridge::access_log(state, who)
            .await?
            .into_iter()
            .rev()
            .map(|r| json!({"therapist": r.therapist_name, "item_kind": r.item_kind, "item_id": r.item_id, "at": journal_core::time_util::rfc3339(r.at)}))
            .collect()
    } else {
        Vec::new()
    };
    let homework: Vec<Value> = crate::bridge::my_homework(state, who)
        .await?
        .into_iter()
        .map(|h| json!({"from": h.therapist_name, "text": h.text, "due_date": h.due_date, "answered": h.answered_at.is_some(), "answer_entry_id": h.answer_entry_id}))
        .collect();
    let tail = json!({"connections": links, "homework": homework, "access_log": log}).to_string();
    send(tx, format!(",{}}}\n", &tail[1..tail.len() - 1])).await.map_err(gone)?;
    Ok(())
}

/// The export as a streaming response body.
pub fn stream(state: AppState, who: CurrentUser) -> axum::body::Body {
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(write_json(state, who, tx));
    axum::body::Body::from_stream(futures_util::stream::unfold(
        rx,
        |mut rx| async move { rx.recv().await.map(|v| (v, rx)) },
    ))
}
