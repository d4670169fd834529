//! The complete export: one versioned JSON document (described by `docs/export.schema.json`)
//! with everything a person wrote or recorded. It is written as a stream, a page of entries at a
//! time, so a ten-year journal never sits in memory whole.

use serde::Serialize;
use serde_json::{Value, json};

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

pub const FORMAT: &str = "therapy-journal-export";
pub const VERSION: u32 = 1;

/// A piece of the export as it is written, or why the writing stopped.
pub type Chunk = Result<Vec<u8>, std::io::Error>;
type Tx = tokio::sync::mpsc::Sender<Chunk>;

async fn send(tx: &Tx, s: String) -> Result<(), ()> {
    tx.send(Ok(s.into_bytes())).await.map_err(|_| ())
}

fn item<T: Serialize>(first: &mut bool, v: &T) -> String {
    let mut s = if *first { String::new() } else { ",".to_owned() };
    *first = false;
    s.push_str(&serde_json::to_string(v).unwrap_or_else(|_| "null".into()));
    s
}

/// Streams the export into `tx`; stops quietly if the reader goes away.
pub async fn write_json(app: App, who: UnlockedUser, tx: Tx) {
    if let Err(e) = write_inner(&app, &who, &tx).await {
        let _ = tx.send(Err(std::io::Error::other(e.message().into_owned()))).await;
    }
}

async fn write_inner(app: &App, who: &UnlockedUser, tx: &Tx) -> Result<(), ServiceError> {
    let gone = |_| ServiceError::internal();
    let u = who.user();
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
    let shares = crate::bridge::shares_by_entry(app, who).await?;
    loop {
        let q = crate::journal::ListQuery {
            limit: Some(crate::journal::MAX_LIMIT),
            cursor: cursor.clone(),
            ..Default::default()
        };
        let page = crate::journal::list(app, who, &q).await?;
        let mut chunk = String::new();
        for e in &page.entries {
            let comments: Vec<Value> = if u.role == journal_core::Role::Client {
                crate::bridge::own_comments(app, who, &e.id)
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
    let moods = crate::health::moods::list(
        app,
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
    let key = crate::health::metrics_key::key(app, who).await?;
    let mut all = crate::health::assessments::history(app, who, &key, None).await?;
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
    let goals: Vec<Value> = crate::goals::list(app, who)
        .await?
        .into_iter()
        .map(|g| {
            json!({"id": g.goal.id, "goal": g.goal.content,
                "checkins": g.checkins.iter().map(|c| json!({"date": c.day.to_string(), "note": c.note})).collect::<Vec<_>>()})
        })
        .collect();
    let (plan, _) = crate::coping::safety_plan::load(app, who).await?;
    let activities = crate::health::activities::list(app, who).await?;
    let book = crate::prompts::load_book(app, who).await?;
    let achievements = crate::goals::achievements::all(app, who).await?;
    let reminders = crate::goals::reminders::get(app, who).await?;
    let rest = json!({
        "goals": goals,
        "safety_plan": plan,
        "activities": activities,
        "prompts": {"custom": book.custom, "pinned": book.pinned, "answered": book.answered, "session_date": book.session_date},
        "achievements": achievements,
        "reminders": {"journal_time": reminders.journal_time, "checkin_time": reminders.checkin_time,
            "goal_time": reminders.goal_time, "goal_reminders": reminders.goal_reminders},
    })
    .to_string();
    send(tx, format!(",{}", &rest[1..rest.len() - 1])).await.map_err(gone)?;

    // Links, shares and the access log.
    let links: Vec<Value> = crate::bridge::links(app, who)
        .await?
        .into_iter()
        .map(|l| {
            json!({"id": l.record.id, "therapist": l.therapist.display_name, "client": l.client.display_name,
                "created_at": journal_core::time_util::rfc3339(l.record.created_at), "sharing": l.sharing()})
        })
        .collect();
    let log: Vec<Value> = if u.role == journal_core::Role::Client {
        crate::bridge::access_log(app, who)
            .await?
            .into_iter()
            .rev()
            .map(|r| json!({"therapist": r.therapist_name, "item_kind": r.item_kind, "item_id": r.item_id, "at": journal_core::time_util::rfc3339(r.at),
                "event": r.event, "actor": r.actor, "detail": r.detail}))
            .collect()
    } else {
        Vec::new()
    };
    let homework: Vec<Value> = crate::bridge::my_homework(app, who)
        .await?
        .into_iter()
        .map(|h| json!({"from": h.therapist_name, "text": h.text, "due_date": h.due_date, "answered": h.answered_at.is_some(), "answer_entry_id": h.answer_entry_id}))
        .collect();
    let tail = json!({"connections": links, "homework": homework, "access_log": log}).to_string();
    send(tx, format!(",{}}}\n", &tail[1..tail.len() - 1])).await.map_err(gone)?;
    Ok(())
}

/// The JSON export as a byte stream, written while it is read.
pub fn stream(app: App, who: UnlockedUser) -> tokio::sync::mpsc::Receiver<Chunk> {
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(write_json(app, who, tx));
    rx
}

/// What a download carries: bytes as they are written, or a finished temporary file.
pub enum Body {
    Stream(tokio::sync::mpsc::Receiver<Chunk>),
    File(std::fs::File),
}

/// A download, with the type and file name to offer it under.
pub struct Download {
    pub body: Body,
    pub content_type: &'static str,
    pub file_name: String,
}

/// At least this long, so the file is not easier to open than the account.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// The JSON export written to a temporary file (to be encrypted whole).
async fn json_file(app: App, who: UnlockedUser) -> Result<std::fs::File, ServiceError> {
    use std::io::{Seek, Write};
    let mut file = tempfile::tempfile().map_err(|_| ServiceError::internal())?;
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let writer = tokio::spawn(write_json(app, who, tx));
    while let Some(chunk) = rx.recv().await {
        let bytes = chunk.map_err(|_| ServiceError::internal())?;
        file.write_all(&bytes).map_err(|_| ServiceError::internal())?;
    }
    writer.await.map_err(|_| ServiceError::internal())?;
    file.rewind().map_err(|_| ServiceError::internal())?;
    Ok(file)
}

/// Encrypts a file with a passphrase in the age format (scrypt recipient), readable with the
/// standard `age -d` tool.
fn age_encrypt(mut plain: std::fs::File, passphrase: &str) -> Result<std::fs::File, ServiceError> {
    use std::io::{Seek, Write};
    let encryptor = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(passphrase.to_owned()));
    let out = tempfile::tempfile().map_err(|_| ServiceError::internal())?;
    let mut writer = encryptor.wrap_output(out).map_err(|_| ServiceError::internal())?;
    std::io::copy(&mut plain, &mut writer).map_err(|_| ServiceError::internal())?;
    writer.flush().map_err(|_| ServiceError::internal())?;
    let mut out = writer.finish().map_err(|_| ServiceError::internal())?;
    out.rewind().map_err(|_| ServiceError::internal())?;
    Ok(out)
}

pub fn check_passphrase(passphrase: Option<&str>) -> Result<Option<String>, ServiceError> {
    match passphrase.filter(|p| !p.is_empty()) {
        Some(p) if p.chars().count() < MIN_PASSPHRASE_CHARS => Err(ServiceError::invalid(
            "passphrase",
            format!("Please use a passphrase of at least {MIN_PASSPHRASE_CHARS} characters, or none."),
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

/// The export as a download: streamed JSON, or the Markdown zip; with a passphrase, either one
/// encrypted in the age format.
pub async fn download(
    app: App,
    who: UnlockedUser,
    format: &str,
    passphrase: Option<String>,
) -> Result<Download, ServiceError> {
    let day = journal_core::dates::today_in(&who.user().time_zone);
    let detail = format!(
        "{}{}",
        if format == "markdown" { "markdown" } else { "json" },
        if passphrase.is_some() { "+age" } else { "" }
    );
    crate::accounts::access_log::by_owner(
        &app,
        &who,
        journal_core::bridge::Event::Exported,
        "export",
        "account",
        detail,
    )
    .await?;
    let (body, kind, name) = match (format, passphrase) {
        ("markdown", None) => {
            let file = markdown_zip(&app, &who).await?;
            (Body::File(file), "application/zip", format!("therapy-journal-{day}.zip"))
        }
        ("markdown", Some(p)) => {
            let file = markdown_zip(&app, &who).await?;
            let sealed = tokio::task::spawn_blocking(move || age_encrypt(file, &p))
                .await
                .map_err(|_| ServiceError::internal())??;
            (Body::File(sealed), "application/octet-stream", format!("therapy-journal-{day}.zip.age"))
        }
        (_, Some(p)) => {
            let file = json_file(app, who).await?;
            let sealed = tokio::task::spawn_blocking(move || age_encrypt(file, &p))
                .await
                .map_err(|_| ServiceError::internal())??;
            (Body::File(sealed), "application/octet-stream", format!("therapy-journal-export-{day}.json.age"))
        }
        (_, None) => (Body::Stream(stream(app, who)), "application/json", format!("therapy-journal-export-{day}.json")),
    };
    Ok(Download { body, content_type: kind, file_name: name })
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
pub async fn markdown_zip(app: &App, who: &UnlockedUser) -> Result<std::fs::File, ServiceError> {
    use std::io::{Seek, Write};
    let file = tempfile::tempfile().map_err(|_| ServiceError::internal())?;
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
        let page = crate::journal::list(app, who, &q).await?;
        for e in &page.entries {
            let base = format!("entries/{}-{}", e.entry_date, slug(&e.content.display_title()));
            let mut name = format!("{base}.md");
            if !used.insert(name.clone()) {
                name = format!("{base}-{}.md", &e.id[..8]);
                used.insert(name.clone());
            }
            zip.start_file(name, options).map_err(|_| ServiceError::internal())?;
            zip.write_all(entry_markdown(e).as_bytes()).map_err(|_| ServiceError::internal())?;
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let mut file = zip.finish().map_err(|_| ServiceError::internal())?;
    file.rewind().map_err(|_| ServiceError::internal())?;
    Ok(file)
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
