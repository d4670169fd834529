//! Prompts: the day's three (gathering the signals the engine in journal-core weighs), the
//! library, custom prompts, pins, skips, and the therapy session date. Everything personal lives
//! in the encrypted prompt book.

use std::collections::BTreeMap;

use jiff::ToSpan;
use journal_core::assessments::Direction;
use journal_core::dates::{parse_date, today_in};
use journal_core::ids::new_id;
use journal_core::prompts::{
    CustomPrompt, MAX_CUSTOM_PROMPT_CHARS, MAX_CUSTOM_PROMPTS, PromptBook, Signals, Suggestion, TrendSignal, category,
    choose,
};
use journal_core::records::{PROMPT_BOOK, open_document, seal_document};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

pub async fn load_book(state: &AppState, who: &CurrentUser) -> Result<PromptBook, AppError> {
    match state.store.document(who.id(), PROMPT_BOOK).await? {
        Some((blob, _)) => open_document(&who.unlocked, PROMPT_BOOK, &blob).map_err(|_| {
            tracing::error!("a prompt book failed to decrypt with its owner's key");
            AppError::internal()
        }),
        None => Ok(PromptBook::default()),
    }
}

async fn save_book(state: &AppState, who: &CurrentUser, book: &mut PromptBook) -> Result<(), AppError> {
    book.tidy(&today_in(&who.unlocked.user().time_zone).to_string());
    let blob = seal_document(&who.unlocked, PROMPT_BOOK, book);
    state.store.put_document(who.id(), PROMPT_BOOK, &blob, now()).await?;
    Ok(())
}

fn mean(v: &[u8]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().map(|x| f64::from(*x)).sum::<f64>() / v.len() as f64)
}

/// The day's prompts with the reason for each.
pub async fn today(state: &AppState, who: &CurrentUser) -> Result<Vec<Suggestion>, AppError> {
    let tz = who.unlocked.user().time_zone.clone();
    let today = today_in(&tz);
    let hour = journal_core::dates::hour_in(&tz);
    let book = load_book(state, who).await?;

    // Mood: the last 7 days against the 30 before.
    let week_start = today.checked_sub(6.days()).unwrap_or(today);
    let from = week_start.checked_sub(30.days()).unwrap_or(week_start);
    let moods = crate::moods::list(state, who, Some(&from.to_string()), Some(&today.to_string())).await?;
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
    let key = crate::assessments::metrics_key(state, who).await?;
    let history = crate::assessments::history(state, who, &key, None).await?;
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
    let recent_entries = crate::journal::list(
        state,
        who,
        &crate::journal::ListQuery {
            limit: Some(crate::journal::MAX_LIMIT),
            from: Some(today.checked_sub(30.days()).unwrap_or(today).to_string()),
            ..Default::default()
        },
    )
    .await?;
    let mut tag_counts: BTreeMap<String, usize> = BTreeMap::new();
    for e in &recent_entries.entries {
        for t in &e.content.tags {
            *tag_counts.entry(t.clone()).or_default() += 1;
        }
    }
    let mut recent_tags: Vec<(String, usize)> = tag_counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    recent_tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let goal_categories = crate::goals::active_categories(state, who).await?;
    let homework: Vec<journal_core::prompts::Homework> = crate::bridge::my_homework(state, who)
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

fn known(book: &PromptBook, id: &str) -> Result<(), AppError> {
    if book.lookup(id).is_some() { Ok(()) } else { Err(AppError::not_found()) }
}

pub async fn skip(state: &AppState, who: &CurrentUser, id: &str) -> Result<(), AppError> {
    let mut book = load_book(state, who).await?;
    known(&book, id)?;
    let today = today_in(&who.unlocked.user().time_zone).to_string();
    let list = book.skipped.entry(today).or_default();
    if !list.iter().any(|s| s == id) {
        list.push(id.to_owned());
    }
    book.pinned.retain(|p| p != id);
    save_book(state, who, &mut book).await
}

pub async fn set_pinned(state: &AppState, who: &CurrentUser, id: &str, pinned: bool) -> Result<(), AppError> {
    let mut book = load_book(state, who).await?;
    known(&book, id)?;
    book.pinned.retain(|p| p != id);
    if pinned {
        if book.pinned.len() >= 3 {
            return Err(ValidationError::new("id", "You can pin up to three prompts. Unpin one first.").into());
        }
        book.pinned.push(id.to_owned());
    }
    save_book(state, who, &mut book).await
}

pub async fn create_custom(
    state: &AppState,
    who: &CurrentUser,
    text: &str,
    category_id: &str,
) -> Result<CustomPrompt, AppError> {
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
    let mut book = load_book(state, who).await?;
    if book.custom.len() >= MAX_CUSTOM_PROMPTS {
        return Err(ValidationError::new("text", "You have 200 prompts of your own; delete one to add another.").into());
    }
    let prompt = CustomPrompt {
        id: format!("my-{}", &new_id()[..12]),
        text: text.to_owned(),
        category: category_id.to_owned(),
        created_on: today_in(&who.unlocked.user().time_zone).to_string(),
    };
    book.custom.push(prompt.clone());
    save_book(state, who, &mut book).await?;
    Ok(prompt)
}

pub async fn delete_custom(state: &AppState, who: &CurrentUser, id: &str) -> Result<(), AppError> {
    let mut book = load_book(state, who).await?;
    let before = book.custom.len();
    book.custom.retain(|c| c.id != id);
    if book.custom.len() == before {
        return Err(AppError::not_found());
    }
    book.pinned.retain(|p| p != id);
    save_book(state, who, &mut book).await
}

/// Sets (or clears, with an empty value) the therapy session date used by the prompts.
pub async fn set_session_date(state: &AppState, who: &CurrentUser, date: Option<&str>) -> Result<(), AppError> {
    let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(parse_date("session_date", d)?.to_string()),
        None => None,
    };
    let mut book = load_book(state, who).await?;
    book.session_date = date;
    save_book(state, who, &mut book).await
}

/// The text of a prompt by id: the library, your own, or homework from your therapist.
pub async fn text_of(state: &AppState, who: &CurrentUser, id: &str) -> Result<Option<String>, AppError> {
    if let Some(hw) = id.strip_prefix("hw-") {
        return Ok(crate::bridge::my_homework(state, who).await?.into_iter().find(|h| h.id == hw).map(|h| h.text));
    }
    Ok(load_book(state, who).await?.lookup(id).map(|(t, _)| t))
}

/// Remembers that a prompt was answered, so it rests for 30 days.
pub async fn mark_answered(state: &AppState, who: &CurrentUser, id: &str, day: &str) -> Result<(), AppError> {
    let mut book = load_book(state, who).await?;
    if book.lookup(id).is_none() {
        return Ok(());
    }
    book.answered.insert(id.to_owned(), day.to_owned());
    // A pin lasts until the prompt is answered.
    book.pinned.retain(|p| p != id);
    book.skipped.values_mut().for_each(|l| l.retain(|s| s != id));
    save_book(state, who, &mut book).await
}
