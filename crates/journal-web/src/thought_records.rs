//! The challenge log: CBT thought records, each stored as an encrypted journal entry.

use journal_core::dates::{parse_date, today_in};
use journal_core::entries::{Entry, EntryContent, open_entry};
use journal_core::thought_records::ThoughtRecord;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

fn content_of(record: &ThoughtRecord) -> Result<EntryContent, AppError> {
    let record = record.validated()?;
    Ok(EntryContent {
        title: record.title(),
        body: record.to_markdown(),
        tags: Vec::new(),
        mood: None,
        prompt_id: None,
        thought_record: Some(record),
    })
}

fn date_or_today(who: &CurrentUser, date: Option<&str>) -> Result<jiff::civil::Date, AppError> {
    match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Ok(parse_date("date", d)?),
        None => Ok(today_in(&who.unlocked.user().time_zone)),
    }
}

pub async fn create_record(
    state: &AppState,
    who: &CurrentUser,
    record: &ThoughtRecord,
    date: Option<&str>,
) -> Result<Entry, AppError> {
    let content = content_of(record)?;
    let date = date_or_today(who, date)?;
    crate::journal::create_content(state, who, date, content).await
}

pub async fn update_record(
    state: &AppState,
    who: &CurrentUser,
    id: &str,
    record: &ThoughtRecord,
    date: Option<&str>,
) -> Result<Entry, AppError> {
    let content = content_of(record)?;
    let date = match date {
        Some(_) => date_or_today(who, date)?,
        None => get_record(state, who, id).await?.entry_date.parse().map_err(|_| AppError::internal())?,
    };
    crate::journal::update_content(state, who, id, date, content, true).await
}

/// A thought record; any other entry answers 404 here.
pub async fn get_record(state: &AppState, who: &CurrentUser, id: &str) -> Result<Entry, AppError> {
    let entry = crate::journal::get(state, who, id).await?;
    if entry.content.thought_record.is_none() {
        return Err(AppError::not_found());
    }
    Ok(entry)
}

/// Every thought record, newest first. The in-memory index knows which entries they are, so the
/// database holds nothing that tells them apart from other entries.
pub async fn list_records(state: &AppState, who: &CurrentUser) -> Result<Vec<Entry>, AppError> {
    let index = crate::journal::index_for(state, who).await?;
    let ids = index.read().map_err(|_| AppError::internal())?.thought_record_ids();
    let records = state.store.entries_by_ids(who.id(), &ids).await?;
    let mut by_id: std::collections::HashMap<String, Entry> = records
        .iter()
        .filter_map(|r| open_entry(&who.unlocked, r).ok())
        .filter(|e| e.content.thought_record.is_some())
        .map(|e| (e.id.clone(), e))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}
