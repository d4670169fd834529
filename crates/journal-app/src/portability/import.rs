//! Imports: a preview first (counts, dates, samples, problems), then the import itself, which
//! adds only records it has not imported before (a sealed ledger of source keys), and adds
//! nothing at all if any record has a problem.

use std::collections::BTreeSet;

use journal_core::entries::{EntryContent, seal_entry};
use journal_core::goals::{CheckinRecord, GoalRecord};
use journal_core::ids::new_id;
use journal_core::import::{Batch, DaylioMapping, Format, parse};
use journal_core::metrics::{AssessmentContent, MoodContent, seal_assessment, seal_mood};
use journal_core::records::{
    IMPORT_LEDGER as LEDGER, IMPORT_PENDING as PENDING, RowTable, SAFETY_PLAN, open_document, open_document_bytes,
    seal_document, seal_document_bytes, seal_row,
};
use journal_core::store::ImportWrite;
use journal_core::time_util::now;
use serde::Serialize;

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub entries: usize,
    pub moods: usize,
    pub assessments: usize,
    pub goals: usize,
    pub custom_prompts: usize,
    pub safety_plan: bool,
}

#[derive(Debug, Serialize)]
pub struct Preview {
    pub format: String,
    /// Everything in the file.
    pub counts: Counts,
    /// What is new (not imported before).
    pub new: Counts,
    /// First and last day, `YYYY-MM-DD`.
    pub date_range: Option<(String, String)>,
    /// A few of the first records, shortened.
    pub samples: Vec<String>,
    /// Photos and other attachments that will be left out.
    pub skipped_attachments: usize,
    /// Records that can't be imported as they are; while any remain, nothing is imported.
    pub problems: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Imported {
    pub imported: Counts,
    /// Records already imported before, left alone.
    pub skipped: usize,
}

fn bad(e: journal_core::import::ImportError) -> ServiceError {
    ServiceError::invalid("file", format!("{}: {}", e.location, e.message))
}

async fn ledger(app: &App, who: &UnlockedUser) -> Result<BTreeSet<String>, ServiceError> {
    match app.store.document(who.id(), LEDGER).await? {
        Some((blob, _)) => open_document(who, LEDGER, &blob).map_err(|_| ServiceError::internal()),
        None => Ok(BTreeSet::new()),
    }
}

fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one.chars().take(80).collect();
    if one.chars().count() > 80 {
        out.push('…');
    }
    out
}

fn problems(app: &App, batch: &Batch) -> Vec<String> {
    let mut out = Vec::new();
    for (i, e) in batch.entries.iter().enumerate() {
        let body = if e.body.trim().is_empty() { e.title.clone() } else { e.body.clone() };
        if let Err(err) = EntryContent::parse(Some(&e.title), &body, &e.tags, e.mood.map(i64::from), None) {
            out.push(format!("entry {} ({}), {}: {}", i + 1, e.date, err.field, err.message));
        }
    }
    for (i, m) in batch.moods.iter().enumerate() {
        if let Err(err) =
            MoodContent::parse(i64::from(m.score), &m.emotions, m.sleep_hours, &m.activities, Some(&m.note))
        {
            out.push(format!("check-in {}, {}: {}", i + 1, err.field, err.message));
        }
    }
    for (i, a) in batch.assessments.iter().enumerate() {
        // A questionnaire this journal does not offer (PSS-10 until the operator turns it on)
        // is refused here too, not only on the form, so an import can't bring it in.
        if !app.settings.offers(a.instrument) {
            out.push(format!(
                "questionnaire {}: the {} questionnaire is not offered on this journal, so its results can't be imported",
                i + 1,
                a.instrument.short_name()
            ));
        } else if let Err(err) = a.instrument.instrument().score(&a.answers) {
            out.push(format!("questionnaire {}: {}", i + 1, err.message));
        }
    }
    for (i, g) in batch.goals.iter().enumerate() {
        if let Err(err) = g.goal.check() {
            out.push(format!("goal {}, {}: {}", i + 1, err.field, err.message));
        }
    }
    out.truncate(50);
    out
}

fn counts(batch: &Batch, keep: impl Fn(&str) -> bool) -> Counts {
    Counts {
        entries: batch.entries.iter().filter(|e| keep(&e.key)).count(),
        moods: batch.moods.iter().filter(|m| keep(&m.key)).count(),
        assessments: batch.assessments.iter().filter(|a| keep(&a.key)).count(),
        goals: batch.goals.iter().filter(|g| keep(&g.key)).count(),
        custom_prompts: batch.custom_prompts.len(),
        safety_plan: batch.safety_plan.as_ref().is_some_and(|p| !p.is_empty()),
    }
}

pub fn read(
    who: &UnlockedUser,
    format: &str,
    bytes: &[u8],
    mood_map: Option<&str>,
) -> Result<(Format, Batch), ServiceError> {
    let format = Format::parse(format)
        .ok_or_else(|| ServiceError::invalid("format", "Choose therapy-journal, dayone, jrnl or daylio."))?;
    let mapping = match mood_map {
        Some(m) => DaylioMapping::parse(m).map_err(bad)?,
        None => DaylioMapping::default(),
    };
    let batch = parse(format, bytes, &who.user().time_zone, &mapping).map_err(bad)?;
    Ok((format, batch))
}

pub async fn preview(app: &App, who: &UnlockedUser, format: Format, batch: &Batch) -> Result<Preview, ServiceError> {
    let seen = ledger(app, who).await?;
    let samples = batch
        .entries
        .iter()
        .take(3)
        .map(|e| format!("{}: {}", e.date, short(if e.title.is_empty() { &e.body } else { &e.title })))
        .chain(batch.moods.iter().take(3).map(|m| {
            format!(
                "{}: mood {}{}",
                &journal_core::time_util::rfc3339(m.at)[..10],
                m.score,
                if m.note.is_empty() { String::new() } else { format!(", {}", short(&m.note)) }
            )
        }))
        .take(5)
        .collect();
    Ok(Preview {
        format: format.as_str().to_owned(),
        counts: counts(batch, |_| true),
        new: counts(batch, |k| !seen.contains(k)),
        date_range: batch.date_range(),
        samples,
        skipped_attachments: batch.skipped_attachments,
        problems: problems(app, batch),
    })
}

pub async fn apply(app: &App, who: &UnlockedUser, batch: Batch) -> Result<Imported, ServiceError> {
    let found = problems(app, &batch);
    if !found.is_empty() {
        return Err(ServiceError::invalid("file", format!("Nothing was imported. {}", found.join("; "))));
    }
    let mut seen = ledger(app, who).await?;
    let total = batch.entries.len() + batch.moods.len() + batch.assessments.len() + batch.goals.len();
    let mut done = Counts::default();
    let at = now();
    // Everything is sealed first and written in one transaction, so a failure half-way (a full
    // disk, a lost database) leaves nothing behind and the same file can simply be sent again.
    let mut write = ImportWrite { at, ..ImportWrite::default() };

    for e in batch.entries {
        if seen.contains(&e.key) {
            continue;
        }
        let body = if e.body.trim().is_empty() { e.title.clone() } else { e.body.clone() };
        let mut content = EntryContent::parse(Some(&e.title), &body, &e.tags, e.mood.map(i64::from), None)
            .map_err(ServiceError::from)?;
        content.thought_record = e.thought_record;
        let date = e.date.parse().map_err(|_| ServiceError::invalid("file", "an entry has no date"))?;
        let created = e.created_at.unwrap_or(at);
        write.entries.push(seal_entry(who, &new_id(), date, &content, None, created, created));
        seen.insert(e.key);
        done.entries += 1;
    }

    let key = crate::health::metrics_key::key(app, who).await?;
    for m in batch.moods {
        if seen.contains(&m.key) {
            continue;
        }
        let content = MoodContent::parse(i64::from(m.score), &m.emotions, m.sleep_hours, &m.activities, Some(&m.note))?;
        write.moods.push(seal_mood(who, &key, &new_id(), m.at, &content));
        seen.insert(m.key);
        done.moods += 1;
    }
    for a in batch.assessments {
        if seen.contains(&a.key) {
            continue;
        }
        let score = a.instrument.instrument().score(&a.answers)?;
        let content = AssessmentContent {
            answers: a.answers.iter().map(|&v| v as u8).collect(),
            total: score.total,
            severity: score.severity.to_owned(),
            self_harm: score.self_harm,
        };
        write.assessments.push(seal_assessment(who, &key, &new_id(), a.instrument, a.taken_at, &content));
        seen.insert(a.key);
        done.assessments += 1;
    }
    for g in batch.goals {
        if seen.contains(&g.key) {
            continue;
        }
        let id = new_id();
        let record = GoalRecord {
            id: id.clone(),
            user_id: who.id().to_owned(),
            created_at: at,
            updated_at: at,
            content: seal_row(who, RowTable::Goals, &id, &g.goal),
        };
        write.goals.push(record);
        for (day, note) in &g.checkins {
            let cid = new_id();
            let c = CheckinRecord {
                id: cid.clone(),
                goal_id: id.clone(),
                user_id: who.id().to_owned(),
                day: day.clone(),
                created_at: at,
                note: if note.is_empty() { Vec::new() } else { seal_row(who, RowTable::GoalCheckins, &cid, note) },
            };
            write.checkins.push(c);
        }
        seen.insert(g.key);
        done.goals += 1;
    }
    if let Some(plan) = batch.safety_plan.filter(|p| !p.is_empty()) {
        // An existing plan is never overwritten by an import.
        if crate::coping::safety_plan::load(app, who).await?.0.is_empty() {
            let plan = plan.validated()?;
            write.documents.push((SAFETY_PLAN.to_owned(), seal_document(who, SAFETY_PLAN, &plan)));
            done.safety_plan = true;
        }
    }
    if let Some(list) = batch.activities.filter(|l| !l.is_empty()) {
        // Like the safety plan: a list the person already arranged here is never replaced.
        let kind = journal_core::records::ACTIVITY_LIST;
        if app.store.document(who.id(), kind).await?.is_none() {
            write.documents.push((kind.to_owned(), seal_document(who, kind, &list)));
        }
    }
    if !batch.custom_prompts.is_empty() {
        let mut book = crate::prompts::load_book(app, who).await?;
        for p in batch.custom_prompts {
            if book.custom.iter().all(|c| c.id != p.id) && book.custom.len() < journal_core::prompts::MAX_CUSTOM_PROMPTS
            {
                book.custom.push(p);
                done.custom_prompts += 1;
            }
        }
        let blob = seal_document(who, journal_core::records::PROMPT_BOOK, &book);
        write.documents.push((journal_core::records::PROMPT_BOOK.to_owned(), blob));
    }
    write.documents.push((LEDGER.to_owned(), seal_document(who, LEDGER, &seen)));
    app.store.import(who.id(), &write).await?;
    let added = done.entries + done.moods + done.assessments + done.goals;
    let detail =
        format!("entries:{},moods:{},assessments:{},goals:{}", done.entries, done.moods, done.assessments, done.goals);
    crate::accounts::access_log::by_owner(app, who, journal_core::bridge::Event::Imported, "import", "account", detail)
        .await?;
    Ok(Imported { imported: done, skipped: total - added })
}

// ---------------------------------------------------------------- the upload waiting for a go-ahead

/// An upload between its preview and the person's go-ahead, kept sealed under their records key.
struct Pending {
    format: String,
    mood_map: Option<String>,
    data: Vec<u8>,
}

impl Pending {
    /// Two length-prefixed strings, then the file's bytes as they came.
    fn encode(&self) -> Vec<u8> {
        let map = self.mood_map.clone().unwrap_or_default();
        let mut out = Vec::with_capacity(self.data.len() + 64);
        for s in [self.format.as_bytes(), map.as_bytes()] {
            out.extend_from_slice(&(s.len() as u32).to_be_bytes());
            out.extend_from_slice(s);
        }
        out.extend_from_slice(&self.data);
        out
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut rest = bytes;
        let mut take = || -> Option<String> {
            let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
            let s = String::from_utf8(rest.get(4..4 + len)?.to_vec()).ok()?;
            rest = &rest[4 + len..];
            Some(s)
        };
        let format = take()?;
        let map = take()?;
        Some(Self { format, mood_map: Some(map).filter(|m| !m.is_empty()), data: rest.to_vec() })
    }
}

/// Reads and checks an upload, keeps it (sealed) until `confirm`, and answers what it would add.
pub async fn stage(
    app: &App,
    who: &UnlockedUser,
    format: String,
    mood_map: Option<String>,
    data: Vec<u8>,
) -> Result<Preview, ServiceError> {
    let (fmt, batch) = read(who, &format, &data, mood_map.as_deref())?;
    let preview = preview(app, who, fmt, &batch).await?;
    let pending = Pending { format, mood_map, data };
    let blob = seal_document_bytes(who, PENDING, &pending.encode());
    app.store.put_document(who.id(), PENDING, &blob, now()).await?;
    Ok(preview)
}

/// Imports the upload that `stage` kept, then forgets it whatever the outcome.
pub async fn confirm(app: &App, who: &UnlockedUser) -> Result<Imported, ServiceError> {
    let pending = match app.store.document(who.id(), PENDING).await? {
        Some((blob, _)) if !blob.is_empty() => open_document_bytes(who, PENDING, &blob)
            .ok()
            .and_then(|b| Pending::decode(&b))
            .ok_or_else(ServiceError::internal)?,
        _ => {
            return Err(ServiceError::invalid(
                "file",
                "There's no file waiting to be imported. Please upload it again.",
            ));
        }
    };
    let result = match read(who, &pending.format, &pending.data, pending.mood_map.as_deref()) {
        Ok((_, batch)) => apply(app, who, batch).await,
        Err(e) => Err(e),
    };
    let _ = app.store.put_document(who.id(), PENDING, &[], now()).await;
    result
}
