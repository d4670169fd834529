//! The challenge log: CBT thought records, each stored as an encrypted journal entry.

use journal_core::dates::{parse_date, today_in};
use journal_core::entries::{Entry, EntryContent, open_entry};
use journal_core::thought_records::ThoughtRecord;

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

fn content_of(record: &ThoughtRecord) -> Result<EntryContent, ServiceError> {
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

fn date_or_today(who: &UnlockedUser, date: Option<&str>) -> Result<jiff::civil::Date, ServiceError> {
    match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Ok(parse_date("date", d)?),
        None => Ok(today_in(&who.user().time_zone)),
    }
}

pub async fn create_record(
    app: &App,
    who: &UnlockedUser,
    record: &ThoughtRecord,
    date: Option<&str>,
) -> Result<Entry, ServiceError> {
    let content = content_of(record)?;
    let date = date_or_today(who, date)?;
    crate::journal::create_content(app, who, date, content).await
}

pub async fn update_record(
    app: &App,
    who: &UnlockedUser,
    id: &str,
    record: &ThoughtRecord,
    date: Option<&str>,
) -> Result<Entry, ServiceError> {
    let content = content_of(record)?;
    let date = match date {
        Some(_) => date_or_today(who, date)?,
        None => get_record(app, who, id).await?.entry_date.parse().map_err(|_| ServiceError::internal())?,
    };
    crate::journal::update_content(app, who, id, date, content, true).await
}

/// A thought record; any other entry answers 404 here.
pub async fn get_record(app: &App, who: &UnlockedUser, id: &str) -> Result<Entry, ServiceError> {
    let entry = crate::journal::get(app, who, id).await?;
    if entry.content.thought_record.is_none() {
        return Err(ServiceError::not_found());
    }
    Ok(entry)
}

/// Every thought record, newest first. The in-memory index knows which entries they are, so the
/// database holds nothing that tells them apart from other entries.
pub async fn list_records(app: &App, who: &UnlockedUser) -> Result<Vec<Entry>, ServiceError> {
    let index = crate::journal::index_for(app, who).await?;
    let ids = index.read().map_err(|_| ServiceError::internal())?.thought_record_ids();
    let records = app.store.entries_by_ids(who.id(), &ids).await?;
    let mut by_id: std::collections::HashMap<String, Entry> = records
        .iter()
        .filter_map(|r| open_entry(who, r).ok())
        .filter(|e| e.content.thought_record.is_some())
        .map(|e| (e.id.clone(), e))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}
