//! Imports: a preview first (counts, dates, samples, problems), then the import itself, which
//! adds only records it has not imported before (a sealed ledger of source keys), and adds
//! nothing at all if any record has a problem.

use std::collections::BTreeSet;

use journal_core::entries::{EntryContent, seal_entry};
use journal_core::goals::{CheckinRecord, GoalRecord};
use journal_core::ids::new_id;
use journal_core::import::{Batch, DaylioMapping, Format, parse};
use journal_core::metrics::{AssessmentContent, MoodContent, seal_assessment, seal_mood};
use journal_core::records::{IMPORT_LEDGER as LEDGER, RowTable, SAFETY_PLAN, open_document, seal_document, seal_row};
use journal_core::store::ImportWrite;
use journal_core::time_util::now;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub entries: usize,
    pub moods: usize,
    pub assessments: usize,
    pub goals: usize,
    pub custom_prompts: usize,
    pub safety_plan: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub imported: Counts,
    /// Records already imported before, left alone.
    pub skipped: usize,
}

fn bad(e: journal_core::import::ImportError) -> AppError {
    AppError::invalid("file", format!("{}: {}", e.location, e.message))
}

async fn ledger(state: &AppState, who: &CurrentUser) -> Result<BTreeSet<String>, AppError> {
    match state.store.document(who.id(), LEDGER).await? {
        Some((blob, _)) => open_document(&who.unlocked, LEDGER, &blob).map_err(|_| AppError::internal()),
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

fn problems(state: &AppState, batch: &Batch) -> Vec<String> {
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
        if !state.config.offers(a.instrument) {
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
    who: &CurrentUser,
    format: &str,
    bytes: &[u8],
    mood_map: Option<&str>,
) -> Result<(Format, Batch), AppError> {
    let format = Format::parse(format)
        .ok_or_else(|| AppError::invalid("format", "Choose therapy-journal, dayone, jrnl or daylio."))?;
    let mapping = match mood_map {
        Some(m) => DaylioMapping::parse(m).map_err(bad)?,
        None => DaylioMapping::default(),
    };
    let batch = parse(format, bytes, &who.unlocked.user().time_zone, &mapping).map_err(bad)?;
    Ok((format, batch))
}

pub async fn preview(state: &AppState, who: &CurrentUser, format: Format, batch: &Batch) -> Result<Preview, AppError> {
    let seen = ledger(state, who).await?;
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
        problems: problems(state, batch),
    })
}

pub async fn apply(state: &AppState, who: &CurrentUser, batch: Batch) -> Result<Imported, AppError> {
    let found = problems(state, &batch);
    if !found.is_empty() {
        return Err(AppError::invalid("file", format!("Nothing was imported. {}", found.join("; "))));
    }
    let mut seen = ledger(state, who).await?;
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
        let mut content =
            EntryContent::parse(Some(&e.title), &body, &e.tags, e.mood.map(i64::from), None).map_err(AppError::from)?;
        content.thought_record = e.thought_record;
        let date = e.date.parse().map_err(|_| AppError::invalid("file", "an entry has no date"))?;
        let created = e.created_at.unwrap_or(at);
        write.entries.push(seal_entry(&who.unlocked, &new_id(), date, &content, None, created, created));
        seen.insert(e.key);
        done.entries += 1;
    }

    let key = crate::assessments::metrics_key(state, who).await?;
    for m in batch.moods {
        if seen.contains(&m.key) {
            continue;
        }
        let content = MoodContent::parse(i64::from(m.score), &m.emotions, m.sleep_hours, &m.activities, Some(&m.note))?;
        write.moods.push(seal_mood(&who.unlocked, &key, &new_id(), m.at, &content));
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
        write.assessments.push(seal_assessment(&who.unlocked, &key, &new_id(), a.instrument, a.taken_at, &content));
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
            content: seal_row(&who.unlocked, RowTable::Goals, &id, &g.goal),
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
                note: if note.is_empty() {
                    Vec::new()
                } else {
                    seal_row(&who.unlocked, RowTable::GoalCheckins, &cid, note)
                },
            };
            write.checkins.push(c);
        }
        seen.insert(g.key);
        done.goals += 1;
    }
    if let Some(plan) = batch.safety_plan.filter(|p| !p.is_empty()) {
        // An existing plan is never overwritten by an import.
        if crate::safety_plan::load(state, who).await?.0.is_empty() {
            let plan = plan.validated()?;
            write.documents.push((SAFETY_PLAN.to_owned(), seal_document(&who.unlocked, SAFETY_PLAN, &plan)));
            done.safety_plan = true;
        }
    }
    if !batch.custom_prompts.is_empty() {
        let mut book = crate::prompts::load_book(state, who).await?;
        for p in batch.custom_prompts {
            if book.custom.iter().all(|c| c.id != p.id) && book.custom.len() < journal_core::prompts::MAX_CUSTOM_PROMPTS
            {
                book.custom.push(p);
                done.custom_prompts += 1;
            }
        }
        let blob = seal_document(&who.unlocked, journal_core::records::PROMPT_BOOK, &book);
        write.documents.push((journal_core::records::PROMPT_BOOK.to_owned(), blob));
    }
    write.documents.push((LEDGER.to_owned(), seal_document(&who.unlocked, LEDGER, &seen)));
    state.store.import(who.id(), &write).await?;
    let added = done.entries + done.moods + done.assessments + done.goals;
    let detail =
        format!("entries:{},moods:{},assessments:{},goals:{}", done.entries, done.moods, done.assessments, done.goals);
    crate::access_log::by_owner(state, who, journal_core::bridge::Event::Imported, "import", "account", detail).await?;
    Ok(Imported { imported: done, skipped: total - added })
}
