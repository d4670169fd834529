//! Prompts: the day's three (gathering the signals the engine in journal-core weighs), the
//! library, custom prompts, pins, skips, and the therapy session date. Everything personal lives
//! in the encrypted prompt book.

use std::collections::BTreeMap;

use jiff::ToSpan;
use journal_core::assessments::Direction;
use journal_core::dates::{parse_date, today_in};
use journal_core::entries::{EntryQuery, open_entry};
use journal_core::ids::new_id;
use journal_core::prompts::{
    CustomPrompt, MAX_CUSTOM_PROMPT_CHARS, MAX_CUSTOM_PROMPTS, PromptBook, Signals, Suggestion, TrendSignal, category,
    choose,
};
use journal_core::records::{PROMPT_BOOK, open_document, seal_document};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

pub async fn load_book(app: &App, who: &UnlockedUser) -> Result<PromptBook, ServiceError> {
    match app.store.document(who.id(), PROMPT_BOOK).await? {
        Some((blob, _)) => open_document(who, PROMPT_BOOK, &blob).map_err(|_| {
            tracing::error!("a prompt book failed to decrypt with its owner's key");
            ServiceError::internal()
        }),
        None => Ok(PromptBook::default()),
    }
}

async fn save_book(app: &App, who: &UnlockedUser, book: &mut PromptBook) -> Result<(), ServiceError> {
    book.tidy(&today_in(&who.user().time_zone).to_string());
    let blob = seal_document(who, PROMPT_BOOK, book);
    app.store.put_document(who.id(), PROMPT_BOOK, &blob, now()).await?;
    Ok(())
}

fn mean(v: &[u8]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().map(|x| f64::from(*x)).sum::<f64>() / v.len() as f64)
}

/// How many of the last month's entries are read for their tags.
const RECENT_ENTRIES: u32 = 200;

/// The day's prompts with the reason for each.
pub async fn today(app: &App, who: &UnlockedUser) -> Result<Vec<Suggestion>, ServiceError> {
    let tz = who.user().time_zone.clone();
    let today = today_in(&tz);
    let hour = journal_core::dates::hour_in(&tz);
    let book = load_book(app, who).await?;

    // Mood: the last 7 days against the 30 before.
    let week_start = today.checked_sub(6.days()).unwrap_or(today);
    let from = week_start.checked_sub(30.days()).unwrap_or(week_start);
    let moods = crate::health::moods::list(app, who, Some(&from.to_string()), Some(&today.to_string())).await?;
    let zone = journal_core::dates::zone(&tz);
    let (mut recent, mut earlier) = (Vec::new(), Vec::new());
    for m in &moods {
        match journal_core::dates::local_date(m.at, &zone) {
            Some(d) if d >= week_start => recent.push(m.content.score),
            Some(_) => earlier.push(m.content.score),
            None => {}
        }
    }

    // The latest questionnaire in the last 30 days, if it changed reliably.
    let key = crate::health::metrics_key::key(app, who).await?;
    let history = crate::health::assessments::history(app, who, &key, None).await?;
    let month_ago = journal_core::time_util::now() - 30 * 86_400;
    let assessment = history.first().filter(|a| a.taken_at >= month_ago).and_then(|latest| {
        let earlier: Vec<_> = history[1..].iter().filter(|a| a.instrument == latest.instrument).cloned().collect();
        let change = latest.change_against(&earlier)?;
        match (change.reliable, change.direction) {
            (true, Direction::Improved) => Some((latest.instrument.short_name(), TrendSignal::Better)),
            (true, Direction::Worsened) => Some((latest.instrument.short_name(), TrendSignal::Harder)),
            _ => None,
        }
    });

    // Tags of the last 30 days' entries, most used first.
    let query = EntryQuery {
        from: Some(today.checked_sub(30.days()).unwrap_or(today).to_string()),
        to: None,
        after: None,
        limit: RECENT_ENTRIES,
    };
    let mut recent_entries = Vec::new();
    for r in app.store.list_entries(who.id(), &query).await? {
        match open_entry(who, &r) {
            Ok(e) => recent_entries.push(e),
            Err(_) => crate::damaged::note("entry", &r.id),
        }
    }
    let mut tag_counts: BTreeMap<String, usize> = BTreeMap::new();
    for e in &recent_entries {
        for t in &e.content.tags {
            *tag_counts.entry(t.clone()).or_default() += 1;
        }
    }
    let mut recent_tags: Vec<(String, usize)> = tag_counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    recent_tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let goal_categories = crate::goals::active_categories(app, who).await?;
    let homework: Vec<journal_core::prompts::Homework> = crate::bridge::my_homework(app, who)
        .await?
        .into_iter()
        .filter(|h| h.answered_at.is_none())
        .map(|h| journal_core::prompts::Homework { id: format!("hw-{}", h.id), text: h.text })
        .collect();
    let skipped_today = book.skipped.get(&today.to_string()).cloned().unwrap_or_default();
    let session_date = book.session_date.as_deref().and_then(|d| d.parse().ok());
    Ok(choose(&Signals {
        user_id: who.id(),
        today,
        hour,
        mood_recent: mean(&recent),
        mood_earlier: mean(&earlier),
        assessment,
        goal_categories: &goal_categories,
        recent_tags: &recent_tags,
        homework: &homework,
        answered: &book.answered,
        skipped_today: &skipped_today,
        pinned: &book.pinned,
        custom: &book.custom,
        session_date,
    }))
}

fn known(book: &PromptBook, id: &str) -> Result<(), ServiceError> {
    if book.lookup(id).is_some() { Ok(()) } else { Err(ServiceError::not_found()) }
}

pub async fn skip(app: &App, who: &UnlockedUser, id: &str) -> Result<(), ServiceError> {
    let mut book = load_book(app, who).await?;
    known(&book, id)?;
    let today = today_in(&who.user().time_zone).to_string();
    let list = book.skipped.entry(today).or_default();
    if !list.iter().any(|s| s == id) {
        list.push(id.to_owned());
    }
    book.pinned.retain(|p| p != id);
    save_book(app, who, &mut book).await
}

pub async fn set_pinned(app: &App, who: &UnlockedUser, id: &str, pinned: bool) -> Result<(), ServiceError> {
    let mut book = load_book(app, who).await?;
    known(&book, id)?;
    book.pinned.retain(|p| p != id);
    if pinned {
        if book.pinned.len() >= 3 {
            return Err(ValidationError::new("id", "You can pin up to three prompts. Unpin one first.").into());
        }
        book.pinned.push(id.to_owned());
    }
    save_book(app, who, &mut book).await
}

pub async fn create_custom(
    app: &App,
    who: &UnlockedUser,
    text: &str,
    category_id: &str,
) -> Result<CustomPrompt, ServiceError> {
    let text = journal_core::validate::multi_line(text);
    let text = text.trim();
    if text.is_empty() {
        return Err(ValidationError::new("text", "Please write your prompt.").into());
    }
    if text.chars().count() > MAX_CUSTOM_PROMPT_CHARS {
        return Err(ValidationError::new("text", "Please keep a prompt under 500 characters.").into());
    }
    if category(category_id).is_none() {
        return Err(ValidationError::new("category", "Please choose one of the categories.").into());
    }
    let mut book = load_book(app, who).await?;
    if book.custom.len() >= MAX_CUSTOM_PROMPTS {
        return Err(ValidationError::new("text", "You have 200 prompts of your own; delete one to add another.").into());
    }
    let prompt = CustomPrompt {
        id: format!("my-{}", &new_id()[..12]),
        text: text.to_owned(),
        category: category_id.to_owned(),
        created_on: today_in(&who.user().time_zone).to_string(),
    };
    book.custom.push(prompt.clone());
    save_book(app, who, &mut book).await?;
    Ok(prompt)
}

pub async fn delete_custom(app: &App, who: &UnlockedUser, id: &str) -> Result<(), ServiceError> {
    let mut book = load_book(app, who).await?;
    let before = book.custom.len();
    book.custom.retain(|c| c.id != id);
    if book.custom.len() == before {
        return Err(ServiceError::not_found());
    }
    book.pinned.retain(|p| p != id);
    save_book(app, who, &mut book).await
}

/// Sets (or clears, with an empty value) the therapy session date used by the prompts.
pub async fn set_session_date(app: &App, who: &UnlockedUser, date: Option<&str>) -> Result<(), ServiceError> {
    let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(parse_date("session_date", d)?.to_string()),
        None => None,
    };
    let mut book = load_book(app, who).await?;
    book.session_date = date;
    save_book(app, who, &mut book).await
}

/// The text of a prompt by id: the library, your own, or homework from your therapist.
pub async fn text_of(app: &App, who: &UnlockedUser, id: &str) -> Result<Option<String>, ServiceError> {
    if let Some(hw) = id.strip_prefix("hw-") {
        return Ok(crate::bridge::my_homework(app, who).await?.into_iter().find(|h| h.id == hw).map(|h| h.text));
    }
    Ok(load_book(app, who).await?.lookup(id).map(|(t, _)| t))
}

/// Remembers that a prompt was answered, so it rests for 30 days.
pub async fn mark_answered(app: &App, who: &UnlockedUser, id: &str, day: &str) -> Result<(), ServiceError> {
    let mut book = load_book(app, who).await?;
    if book.lookup(id).is_none() {
        return Ok(());
    }
    book.answered.insert(id.to_owned(), day.to_owned());
    // A pin lasts until the prompt is answered.
    book.pinned.retain(|p| p != id);
    book.skipped.values_mut().for_each(|l| l.retain(|s| s != id));
    save_book(app, who, &mut book).await
}
