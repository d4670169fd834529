//! Journal operations shared by the JSON API and the pages: validation, encryption through
//! `journal-core`, the store, and keeping this server's search index in step.

use std::sync::Arc;

use journal_core::dates::{parse_date, today_in};
use journal_core::entries::{Entry, EntryContent, EntryCursor, EntryQuery, entry_key, open_entry, seal_entry};
use journal_core::ids::{looks_like_id, new_id};
use journal_core::search::UserIndex;
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::App;
use crate::UnlockedUser;
pub use crate::damaged::DamagedItem;
use crate::error::ServiceError;

/// What a person sends to write or edit an entry.
#[derive(Debug, Default, Clone)]
pub struct EntryInput {
    pub title: Option<String>,
    pub body: String,
    pub tags: Vec<String>,
    pub entry_date: Option<String>,
    pub prompt_id: Option<String>,
    pub mood: Option<i64>,
}

fn parse_input(who: &UnlockedUser, input: &EntryInput) -> Result<(jiff::civil::Date, EntryContent), ServiceError> {
    let content =
        EntryContent::parse(input.title.as_deref(), &input.body, &input.tags, input.mood, input.prompt_id.as_deref())?;
    let date = match input.entry_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_date("entry_date", d)?,
        None => today_in(&who.user().time_zone),
    };
    Ok((date, content))
}

fn decrypt_failed(id: &str) -> ServiceError {
    crate::damaged::error("entry", id)
}

fn damaged_entry(record: &journal_core::entries::EntryRecord) -> DamagedItem {
    crate::damaged::note("entry", &record.id);
    DamagedItem { id: record.id.clone(), date: record.entry_date.clone() }
}

pub async fn create(app: &App, who: &UnlockedUser, input: &EntryInput) -> Result<Entry, ServiceError> {
    let (date, content) = parse_input(who, input)?;
    let entry = create_content(app, who, date, content).await?;
    if let Some(prompt) = &entry.content.prompt_id {
        crate::prompts::mark_answered(app, who, prompt, &entry.entry_date).await?;
        crate::bridge::homework_answered(app, who, prompt, &entry.id).await?;
    }
    Ok(entry)
}

/// Stores already-checked content as a new entry (a written entry or a thought record).
pub async fn create_content(
    app: &App,
    who: &UnlockedUser,
    date: jiff::civil::Date,
    content: EntryContent,
) -> Result<Entry, ServiceError> {
    let id = new_id();
    let now = now();
    let record = seal_entry(who, &id, date, &content, None, now, now);
    let version = app.store.insert_entry(&record).await?;
    let entry = Entry { id, entry_date: record.entry_date, content, created_at: now, updated_at: now };
    app.search.after_write(who.id(), version, |index| index.upsert(&entry));
    // A saved entry no longer needs the autosaved draft it came from. Looking first keeps the
    // common case (no draft) to a single commit.
    if app.store.draft(who.id(), "new").await?.is_some() {
        app.store.delete_draft(who.id(), "new").await?;
    }
    Ok(entry)
}

pub async fn get(app: &App, who: &UnlockedUser, id: &str) -> Result<Entry, ServiceError> {
    if !looks_like_id(id) {
        return Err(ServiceError::not_found());
    }
    let record = app.store.entry(who.id(), id).await?.ok_or_else(ServiceError::not_found)?;
    open_entry(who, &record).map_err(|_| decrypt_failed(id))
}

pub async fn update(app: &App, who: &UnlockedUser, id: &str, input: &EntryInput) -> Result<Entry, ServiceError> {
    let (date, content) = parse_input(who, input)?;
    update_content(app, who, id, date, content, false).await
}

/// Replaces an entry's content. A thought record is only replaced by a thought record, so its
/// structure is never lost to a plain-text edit.
pub async fn update_content(
    app: &App,
    who: &UnlockedUser,
    id: &str,
    date: jiff::civil::Date,
    content: EntryContent,
    thought_record: bool,
) -> Result<Entry, ServiceError> {
    if !looks_like_id(id) {
        return Err(ServiceError::not_found());
    }
    let old = app.store.entry(who.id(), id).await?.ok_or_else(ServiceError::not_found)?;
    // Keep the entry's key: anything already shared with a therapist stays readable to them.
    let cek = entry_key(who, &old).map_err(|_| decrypt_failed(id))?;
    let was_record = journal_core::entries::open_with_key(&old, &cek)
        .map_err(|_| decrypt_failed(id))?
        .content
        .thought_record
        .is_some();
    if was_record != thought_record {
        return Err(if was_record {
            ServiceError::conflict(
                "thought_record",
                "This is a thought record. Edit it from the challenge log (PUT /api/v1/thought-records/{id}).",
            )
        } else {
            ServiceError::not_found()
        });
    }
    let now = now();
    let record = seal_entry(who, id, date, &content, Some(cek), old.created_at, now);
    let version = app.store.update_entry(&record).await?.ok_or_else(ServiceError::not_found)?;
    let entry = Entry {
        id: id.to_owned(),
        entry_date: record.entry_date,
        content,
        created_at: old.created_at,
        updated_at: now,
    };
    app.search.after_write(who.id(), version, |index| index.upsert(&entry));
    if app.store.draft(who.id(), id).await?.is_some() {
        app.store.delete_draft(who.id(), id).await?;
    }
    Ok(entry)
}

pub async fn delete(app: &App, who: &UnlockedUser, id: &str) -> Result<(), ServiceError> {
    if !looks_like_id(id) {
        return Err(ServiceError::not_found());
    }
    let version = app.store.delete_entry(who.id(), id).await?.ok_or_else(ServiceError::not_found)?;
    app.search.after_write(who.id(), version, |index| index.remove(id));
    Ok(())
}

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

#[derive(Debug, Default, Clone)]
pub struct ListQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub tag: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

pub struct Page {
    pub entries: Vec<Entry>,
    /// Entries of this page that can't be opened, left out of `entries`.
    pub damaged: Vec<DamagedItem>,
    pub next_cursor: Option<String>,
}

/// Newest `entry_date` first, with a cursor that never repeats or skips an entry.
pub async fn list(app: &App, who: &UnlockedUser, q: &ListQuery) -> Result<Page, ServiceError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ValidationError::new("limit", "limit must be between 1 and 200.").into());
    }
    let from = q.from.as_deref().map(|d| parse_date("from", d)).transpose()?.map(|d| d.to_string());
    let to = q.to.as_deref().map(|d| parse_date("to", d)).transpose()?.map(|d| d.to_string());
    let after = q.cursor.as_deref().map(EntryCursor::parse).transpose()?;
    let tag = match q.tag.as_deref() {
        Some(t) => Some(
            journal_core::entries::normalize_tag(t)
                .ok_or_else(|| ValidationError::new("tag", "That is not a tag we could look for."))?,
        ),
        None => None,
    };
    if let Some(tag) = tag {
        // Tags are encrypted, so filtering by one means reading the user's entries.
        let all = app.store.all_entries(who.id()).await?;
        let mut picked = Vec::new();
        for record in all {
            if from.as_ref().is_some_and(|f| &record.entry_date < f)
                || to.as_ref().is_some_and(|t| &record.entry_date > t)
            {
                continue;
            }
            if let Some(a) = &after {
                let key = (&record.entry_date, record.created_at, &record.id);
                if key >= (&a.entry_date, a.created_at, &a.id) {
                    continue;
                }
            }
            // A damaged entry's tags can't be read, so it can't be said to have this one.
            let Ok(entry) = open_entry(who, &record) else {
                damaged_entry(&record);
                continue;
            };
            if entry.content.tags.contains(&tag) {
                picked.push((EntryCursor::of(&record), entry));
                if picked.len() > limit as usize {
                    break;
                }
            }
        }
        let next_cursor = (picked.len() > limit as usize).then(|| picked[limit as usize - 1].0.encode());
        picked.truncate(limit as usize);
        return Ok(Page { entries: picked.into_iter().map(|(_, e)| e).collect(), damaged: Vec::new(), next_cursor });
    }
    let query = EntryQuery { from, to, after, limit: limit + 1 };
    let mut records = app.store.list_entries(who.id(), &query).await?;
    let next_cursor = (records.len() > limit as usize).then(|| EntryCursor::of(&records[limit as usize - 1]).encode());
    records.truncate(limit as usize);
    let mut entries = Vec::with_capacity(records.len());
    let mut damaged = Vec::new();
    for r in &records {
        match open_entry(who, r) {
            Ok(e) => entries.push(e),
            Err(_) => damaged.push(damaged_entry(r)),
        }
    }
    Ok(Page { entries, damaged, next_cursor })
}

/// The user's index at their current content version, built from their decrypted entries when
/// this server has none (first search, or another server wrote since). Pages of entries are read
/// from the database while a blocking thread decrypts and indexes the previous page, so a long
/// journal is never in memory twice and both cores work.
pub(crate) async fn index_for(
    app: &App,
    who: &UnlockedUser,
) -> Result<Arc<std::sync::RwLock<UserIndex>>, ServiceError> {
    const PAGE: u32 = 500;
    let version = who.user().content_version;
    if let Some(index) = app.search.get(who.id(), version) {
        return Ok(index);
    }
    let (pages, mut inbox) = tokio::sync::mpsc::channel::<(Vec<Entry>, Vec<DamagedItem>)>(2);
    // Three stages run at once: reading a page, decrypting the previous one, indexing the one
    // before that.
    let builder = app.run_blocking(move || {
        let mut index = UserIndex::new(version);
        while let Some((entries, damaged)) = inbox.blocking_recv() {
            for entry in &entries {
                index.add(entry);
            }
            for d in &damaged {
                index.mark_damaged(&d.id, &d.date);
            }
        }
        index.shrink();
        index
    });
    let feeder = async move {
        let mut query = EntryQuery { limit: PAGE, ..EntryQuery::default() };
        let mut decrypting: Option<tokio::task::JoinHandle<(Vec<Entry>, Vec<DamagedItem>)>> = None;
        loop {
            let records = app.store.list_entries(who.id(), &query).await?;
            if let Some(previous) = decrypting.take() {
                let docs = previous.await.map_err(|_| ServiceError::internal())?;
                if pages.send(docs).await.is_err() {
                    break;
                }
            }
            let Some(last) = records.last() else { break };
            query.after = Some(EntryCursor::of(last));
            let full = records.len() == PAGE as usize;
            let owner = who.without_session();
            decrypting = Some(tokio::task::spawn_blocking(move || {
                let mut opened = Vec::with_capacity(records.len());
                let mut damaged = Vec::new();
                for r in &records {
                    match open_entry(&owner, r) {
                        Ok(e) => opened.push(e),
                        Err(_) => damaged.push(damaged_entry(r)),
                    }
                }
                (opened, damaged)
            }));
            if !full {
                if let Some(previous) = decrypting.take() {
                    let docs = previous.await.map_err(|_| ServiceError::internal())?;
                    let _ = pages.send(docs).await;
                }
                break;
            }
        }
        drop(pages);
        Ok::<(), ServiceError>(())
    };
    let started = std::time::Instant::now();
    let (fed, built) = tokio::join!(feeder, builder);
    fed?;
    let built = built?;
    tracing::debug!(
        entries = built.len(),
        bytes = built.approx_bytes(),
        ms = started.elapsed().as_millis() as u64,
        "built a search index"
    );
    Ok(app.search.insert(who.id(), built))
}

pub const MAX_QUERY_CHARS: usize = 500;

/// One search result: the entry, decrypted again for this answer, and where the words matched.
pub struct Hit {
    pub entry: Entry,
    pub score: f32,
    /// HTML: text around the first match, escaped, with matching words in `<mark>`.
    pub snippet: String,
}

/// Search results, and the entries that could not be looked through because they can't be opened.
pub struct Found {
    pub hits: Vec<Hit>,
    pub damaged: Vec<DamagedItem>,
}

pub async fn search(app: &App, who: &UnlockedUser, q: &str, limit: u32) -> Result<Found, ServiceError> {
    if q.trim().is_empty() {
        return Err(ValidationError::new("q", "Please type a word or two to look for.").into());
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ValidationError::new("q", "Please search for fewer words.").into());
    }
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ValidationError::new("limit", "limit must be between 1 and 200.").into());
    }
    let index = index_for(app, who).await?;
    let (terms, ranked, mut damaged) = {
        let guard = index.read().map_err(|_| ServiceError::internal())?;
        let terms = guard.query_terms(q);
        let ranked = guard.rank(&terms, limit as usize);
        let damaged: Vec<DamagedItem> = guard
            .damaged()
            .iter()
            .map(|(id, date)| DamagedItem { id: id.to_string(), date: date.to_string() })
            .collect();
        (terms, ranked, damaged)
    };
    let ids: Vec<String> = ranked.iter().map(|r| r.id.clone()).collect();
    let records = app.store.entries_by_ids(who.id(), &ids).await?;
    let mut entries = std::collections::HashMap::new();
    for r in &records {
        match open_entry(who, r) {
            Ok(e) => {
                entries.insert(e.id.clone(), e);
            }
            // Indexed while it could still be opened, damaged since.
            Err(_) => damaged.push(damaged_entry(r)),
        }
    }
    let guard = index.read().map_err(|_| ServiceError::internal())?;
    // An entry deleted since ranking is simply left out.
    let hits = ranked
        .into_iter()
        .filter_map(|r| {
            let entry = entries.remove(&r.id)?;
            let snippet = guard.snippet(&terms, &entry.content.body);
            Some(Hit { entry, score: r.score, snippet })
        })
        .collect();
    Ok(Found { hits, damaged })
}

// ---------------------------------------------------------------- drafts

fn draft_key(key: &str) -> Result<&str, ServiceError> {
    if key == "new" || looks_like_id(key) { Ok(key) } else { Err(ServiceError::not_found()) }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Default)]
pub struct Draft {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub entry_date: String,
    #[serde(default)]
    pub mood: Option<u8>,
    #[serde(default)]
    pub prompt_id: Option<String>,
}

const MAX_DRAFT_BYTES: usize = 400_000;

pub async fn save_draft(app: &App, who: &UnlockedUser, key: &str, draft: &Draft) -> Result<i64, ServiceError> {
    let key = draft_key(key)?;
    if key != "new" && app.store.entry(who.id(), key).await?.is_none() {
        return Err(ServiceError::not_found());
    }
    // A draft becomes an entry; it keeps to the same free-text rule from the first keystroke.
    let draft = &Draft {
        title: journal_core::validate::single_line(&draft.title),
        body: journal_core::validate::multi_line(&draft.body),
        tags: journal_core::validate::single_line(&draft.tags),
        entry_date: journal_core::validate::single_line(&draft.entry_date),
        mood: draft.mood,
        prompt_id: draft.prompt_id.as_deref().map(journal_core::validate::single_line),
    };
    let json = zeroize::Zeroizing::new(serde_json::to_vec(draft).map_err(|_| ServiceError::internal())?);
    if json.len() > MAX_DRAFT_BYTES {
        return Err(ServiceError::too_large("too_large", "That draft is too long to keep."));
    }
    let blob = journal_core::drafts::seal_draft(who, key, &json);
    let at = now();
    app.store.put_draft(who.id(), key, &blob, at).await?;
    Ok(at)
}

pub async fn load_draft(app: &App, who: &UnlockedUser, key: &str) -> Result<Option<(Draft, i64)>, ServiceError> {
    let key = draft_key(key)?;
    let Some((blob, at)) = app.store.draft(who.id(), key).await? else { return Ok(None) };
    let json = journal_core::drafts::open_draft(who, key, &blob).map_err(|_| crate::damaged::error("draft", key))?;
    Ok(serde_json::from_slice(&json).ok().map(|d| (d, at)))
}

pub async fn discard_draft(app: &App, who: &UnlockedUser, key: &str) -> Result<(), ServiceError> {
    let key = draft_key(key)?;
    app.store.delete_draft(who.id(), key).await?;
    Ok(())
}

/// How many entries each day of a period has (`YYYY-MM-DD`, inclusive), for the calendar.
pub async fn entry_days(
    app: &App,
    who: &UnlockedUser,
    from: &str,
    to: &str,
) -> Result<Vec<(String, i64)>, ServiceError> {
    Ok(app.store.entry_days(who.id(), from, to).await?)
}

/// Entries from the same day of the year, or of the month, before `today`; one that fails to
/// open is given as damaged.
pub async fn on_this_day(
    app: &App,
    who: &UnlockedUser,
    today: jiff::civil::Date,
) -> Result<Vec<Result<Entry, DamagedItem>>, ServiceError> {
    let md = format!("{:02}-{:02}", today.month(), today.day());
    let dd = format!("{:02}", today.day());
    let records = app.store.entries_on_month_day(who.id(), &md, &dd, &today.to_string()).await?;
    Ok(records.into_iter().map(|r| open_entry(who, &r).map_err(|_| damaged_entry(&r))).collect())
}
