//! A person's own list of check-in activities: the defaults until they change it, then their
//! words in their order. One small document sealed under the records key, like the prompt book.

use journal_core::emotions::{DEFAULT_ACTIVITIES, MAX_ACTIVITIES, parse_activity};
use journal_core::records::{ACTIVITY_LIST as KIND, open_document, seal_document};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

/// The person's activities in their order; the defaults when they never changed them.
pub async fn list(state: &AppState, who: &CurrentUser) -> Result<Vec<String>, AppError> {
    let defaults = || DEFAULT_ACTIVITIES.iter().map(|a| (*a).to_owned()).collect();
    match state.store.document(who.id(), KIND).await? {
        Some((blob, _)) => match open_document(&who.unlocked, KIND, &blob) {
            Ok(list) => Ok(list),
            // A list that can't be opened must not keep anyone from checking in: the defaults
            // stand in, and the next change replaces it.
            Err(_) => {
                crate::damaged::note(KIND, KIND);
                Ok(defaults())
            }
        },
        None => Ok(defaults()),
    }
}

async fn save(state: &AppState, who: &CurrentUser, list: &[String]) -> Result<(), AppError> {
    let blob = seal_document(&who.unlocked, KIND, &list);
    state.store.put_document(who.id(), KIND, &blob, now()).await?;
    Ok(())
}

/// Adds an activity at the end (nothing changes when it is already there).
pub async fn add(state: &AppState, who: &CurrentUser, name: &str) -> Result<(), AppError> {
    let name = parse_activity(name)?;
    let mut list = list(state, who).await?;
    if list.contains(&name) {
        return Ok(());
    }
    if list.len() >= MAX_ACTIVITIES {
        return Err(ValidationError::new(
            "activity_name",
            "Your list is full (40 activities). Remove one you no longer use to make room.",
        )
        .into());
    }
    list.push(name);
    save(state, who, &list).await
}

/// Moves an activity one place up or down; at either end it stays where it is.
pub async fn move_by_one(state: &AppState, who: &CurrentUser, name: &str, up: bool) -> Result<(), AppError> {
    let mut list = list(state, who).await?;
    let Some(i) = list.iter().position(|a| a == name) else {
        return Err(AppError::not_found());
    };
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < list.len()) };
    if let Some(j) = j {
        list.swap(i, j);
        save(state, who, &list).await?;
    }
    Ok(())
}

/// Takes an activity off the list; past check-ins keep it.
pub async fn remove(state: &AppState, who: &CurrentUser, name: &str) -> Result<(), AppError> {
    let mut list = list(state, who).await?;
    let before = list.len();
    list.retain(|a| a != name);
    if list.len() == before {
        return Err(AppError::not_found());
    }
    save(state, who, &list).await
}
