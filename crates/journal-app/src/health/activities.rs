//! A person's own list of check-in activities: the defaults until they change it, then their
//! words in their order. One small document sealed under the records key, like the prompt book.

use journal_core::emotions::{DEFAULT_ACTIVITIES, MAX_ACTIVITIES, parse_activity};
use journal_core::records::{ACTIVITY_LIST as KIND, open_document, seal_document};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

/// The person's activities in their order; the defaults when they never changed them.
pub async fn list(app: &App, who: &UnlockedUser) -> Result<Vec<String>, ServiceError> {
    let defaults = || DEFAULT_ACTIVITIES.iter().map(|a| (*a).to_owned()).collect();
    match app.store.document(who.id(), KIND).await? {
        Some((blob, _)) => match open_document(who, KIND, &blob) {
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

async fn save(app: &App, who: &UnlockedUser, list: &[String]) -> Result<(), ServiceError> {
    let blob = seal_document(who, KIND, &list);
    app.store.put_document(who.id(), KIND, &blob, now()).await?;
    Ok(())
}

/// Adds an activity at the end (nothing changes when it is already there).
pub async fn add(app: &App, who: &UnlockedUser, name: &str) -> Result<(), ServiceError> {
    let name = parse_activity(name)?;
    let mut list = list(app, who).await?;
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
    save(app, who, &list).await
}

/// Moves an activity one place up or down; at either end it stays where it is.
pub async fn move_by_one(app: &App, who: &UnlockedUser, name: &str, up: bool) -> Result<(), ServiceError> {
    let mut list = list(app, who).await?;
    let Some(i) = list.iter().position(|a| a == name) else {
        return Err(ServiceError::not_found());
    };
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < list.len()) };
    if let Some(j) = j {
        list.swap(i, j);
        save(app, who, &list).await?;
    }
    Ok(())
}

/// Takes an activity off the list; past check-ins keep it.
pub async fn remove(app: &App, who: &UnlockedUser, name: &str) -> Result<(), ServiceError> {
    let mut list = list(app, who).await?;
    let before = list.len();
    list.retain(|a| a != name);
    if list.len() == before {
        return Err(ServiceError::not_found());
    }
    save(app, who, &list).await
}
