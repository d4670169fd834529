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
    let u = who.unlocked.user();
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
    let (plan, _) = crate::safety_plan::load(state, who).await?;
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
            .map(|r| json!({"therapist": r.therapist_name, "item_kind": r.item_kind, "item_id": r.item_id, "at": journal_core::time_util::rfc3339(r.at),
                "event": r.event, "actor": r.actor, "detail": r.detail}))
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

/// At least this long, so the file is not easier to open than the account.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// The JSON export written to a temporary file (to be encrypted whole).
async fn json_file(state: AppState, who: CurrentUser) -> Result<std::fs::File, AppError> {
    use std::io::{Seek, Write};
    let mut file = tempfile::tempfile().map_err(|_| AppError::internal())?;
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let writer = tokio::spawn(write_json(state, who, tx));
    while let Some(chunk) = rx.recv().await {
        let bytes = chunk.map_err(|_| AppError::internal())?;
        file.write_all(&bytes).map_err(|_| AppError::internal())?;
    }
    writer.await.map_err(|_| AppError::internal())?;
    file.rewind().map_err(|_| AppError::internal())?;
    Ok(file)
}

/// Encrypts a file with a passphrase in the age format (scrypt recipient), readable with the
/// standard `age -d` tool.
fn age_encrypt(mut plain: std::fs::File, passphrase: &str) -> Result<std::fs::File, AppError> {
    use std::io::{Seek, Write};
    let encryptor = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(passphrase.to_owned()));
    let out = tempfile::tempfile().map_err(|_| AppError::internal())?;
    let mut writer = encryptor.wrap_output(out).map_err(|_| AppError::internal())?;
    std::io::copy(&mut plain, &mut writer).map_err(|_| AppError::internal())?;
    writer.flush().map_err(|_| AppError::internal())?;
    let mut out = writer.finish().map_err(|_| AppError::internal())?;
    out.rewind().map_err(|_| AppError::internal())?;
    Ok(out)
}

pub fn check_passphrase(passphrase: Option<&str>) -> Result<Option<String>, AppError> {
    match passphrase.filter(|p| !p.is_empty()) {
        Some(p) if p.chars().count() < MIN_PASSPHRASE_CHARS => Err(AppError::invalid(
            "passphrase",
            format!("Please use a passphrase of at least {MIN_PASSPHRASE_CHARS} characters, or none."),
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

/// The export as a download: streamed JSON, or the Markdown zip; with a passphrase, either one
/// encrypted in the age format.
pub async fn download(
    state: AppState,
    who: CurrentUser,
    format: &str,
    passphrase: Option<String>,
) -> Result<axum::response::Response, AppError> {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let day = journal_core::dates::today_in(&who.unlocked.user().time_zone);
    let detail = format!(
        "{}{}",
        if format == "markdown" { "markdown" } else { "json" },
        if passphrase.is_some() { "+age" } else { "" }
    );
    crate::access_log::by_owner(&state, &who, journal_core::bridge::Event::Exported, "export", "account", detail)
        .await?;
    let (body, kind, name) = match (format, passphrase) {
        ("markdown", None) => {
            let file = markdown_zip(&state, &who).await?;
            (file_body(file), "application/zip", format!("therapy-journal-{day}.zip"))
        }
        ("markdown", Some(p)) => {
            let file = markdown_zip(&state, &who).await?;
            let sealed = tokio::task::spawn_blocking(move || age_encrypt(file, &p))
                .await
                .map_err(|_| AppError::internal())??;
            (file_body(sealed), "application/octet-stream", format!("therapy-journal-{day}.zip.age"))
        }
        (_, Some(p)) => {
            let file = json_file(state, who).await?;
            let sealed = tokio::task::spawn_blocking(move || age_encrypt(file, &p))
                .await
                .map_err(|_| AppError::internal())??;
            (file_body(sealed), "application/octet-stream", format!("therapy-journal-export-{day}.json.age"))
        }
        (_, None) => (stream(state, who), "application/json", format!("therapy-journal-export-{day}.json")),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

// ---------------------------------------------------------------- Markdown

/// `"…"` with YAML's double-quoted escapes.
fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn slug(title: &str) -> String {
    let s: String = title
        .chars()
        .flat_map(|c| if c.is_alphanumeric() { c.to_lowercase().collect::<Vec<_>>() } else { vec!['-'] })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    s.chars().take(60).collect()
}

/// One entry as Markdown with YAML front matter (date, title, tags, mood).
pub fn entry_markdown(e: &journal_core::entries::Entry) -> String {
    let c = &e.content;
    let mut md = String::from("---\n");
    md.push_str(&format!("date: {}\n", e.entry_date));
    if !c.title.is_empty() {
        md.push_str(&format!("title: {}\n", yaml_string(&c.title)));
    }
    let tags: Vec<String> = c.tags.iter().map(|t| yaml_string(t)).collect();
    md.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    if let Some(m) = c.mood {
        md.push_str(&format!("mood: {m}\n"));
    }
    if c.thought_record.is_some() {
        md.push_str("kind: thought_record\n");
    }
    md.push_str("---\n\n");
    md.push_str(&c.body);
    md.push('\n');
    md
}

/// Every entry as a Markdown file in a zip, written to a temporary file a page at a time (a zip
/// needs to seek), so memory stays small however long the journal.
pub async fn markdown_zip(state: &AppState, who: &CurrentUser) -> Result<std::fs::File, AppError> {
    use std::io::{Seek, Write};
    let file = tempfile::tempfile().map_err(|_| AppError::internal())?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut cursor = None;
    let mut used = std::collections::HashSet::new();
    loop {
        let q = crate::journal::ListQuery {
            limit: Some(crate::journal::MAX_LIMIT),
            cursor: cursor.clone(),
            ..Default::default()
        };
        let page = crate::journal::list(state, who, &q).await?;
        for e in &page.entries {
            let base = format!("entries/{}-{}", e.entry_date, slug(&e.content.display_title()));
            let mut name = format!("{base}.md");
            if !used.insert(name.clone()) {
                name = format!("{base}-{}.md", &e.id[..8]);
                used.insert(name.clone());
            }
            zip.start_file(name, options).map_err(|_| AppError::internal())?;
            zip.write_all(entry_markdown(e).as_bytes()).map_err(|_| AppError::internal())?;
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let mut file = zip.finish().map_err(|_| AppError::internal())?;
    file.rewind().map_err(|_| AppError::internal())?;
    Ok(file)
}

/// A file as a response body, read in 64 KiB pieces.
pub fn file_body(file: std::fs::File) -> axum::body::Body {
    let file = tokio::fs::File::from_std(file);
    axum::body::Body::from_stream(futures_util::stream::unfold(file, |mut f| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_yaml_and_names_are_safe() {
        let e = journal_core::entries::Entry {
            id: "0123456789abcdef".into(),
            entry_date: "2024-01-02".into(),
            content: journal_core::entries::EntryContent {
                title: "A \"hard\" day: notes\\".into(),
                body: "Body **text**.".into(),
                tags: vec!["work".into(), "sleep".into()],
                mood: Some(2),
                prompt_id: None,
                thought_record: None,
            },
            created_at: 0,
            updated_at: 0,
        };
        let md = entry_markdown(&e);
        assert!(md.starts_with("---\ndate: 2024-01-02\ntitle: \"A \\\"hard\\\" day: notes\\\\\"\ntags: [\"work\", \"sleep\"]\nmood: 2\n---\n\nBody **text**.\n"), "{md}");
        assert_eq!(slug("../../etc/passwd Évènement!"), "etc-passwd-évènement");
    }
}
