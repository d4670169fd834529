//! Mood check-ins: validation, encryption under the metrics key, date ranges in the person's
//! own time zone.

use jiff::ToSpan;
use journal_core::dates::{parse_date, parse_moment, start_of_day, today_in};
use journal_core::ids::new_id;
use journal_core::metrics::{Mood, MoodContent, open_mood, seal_mood};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::assessments::metrics_key;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

pub struct MoodInput {
    pub score: i64,
    pub emotions: Vec<String>,
    pub sleep_hours: Option<f64>,
    pub activities: Vec<String>,
    pub note: Option<String>,
    pub at: Option<String>,
}

/// A check-in may be backdated, but not placed in the future (five minutes of clock slack).
pub async fn check_in(state: &AppState, who: &CurrentUser, input: &MoodInput) -> Result<Mood, AppError> {
    let content =
        MoodContent::parse(input.score, &input.emotions, input.sleep_hours, &input.activities, input.note.as_deref())?;
    let now = now();
    let at = match input.at.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => parse_moment("at", a)?,
        None => now,
    };
    if at > now + 300 {
        return Err(ValidationError::new("at", "A check-in can't be in the future.").into());
    }
    if at < -2_208_988_800 {
        return Err(ValidationError::new("at", "Please choose a time after 1900.").into());
    }
    let key = metrics_key(state, who).await?;
    let record = seal_mood(&who.unlocked, &key, &new_id(), at, &content);
    state.store.insert_mood(&record).await?;
    Ok(Mood { id: record.id, at, content })
}

/// Check-ins from the start of `from` to the end of `to` (dates where the person is), oldest
/// first. Without dates: the last 90 days.
pub async fn list(
    state: &AppState,
    who: &CurrentUser,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<Mood>, AppError> {
    let tz = who.unlocked.user.time_zone.clone();
    let to = match to {
        Some(t) => parse_date("to", t)?,
        None => today_in(&tz),
    };
    let from = match from {
        Some(f) => parse_date("from", f)?,
        None => to.checked_sub(89.days()).unwrap_or(to),
    };
    if from > to {
        return Err(ValidationError::new("from", "The start date is after the end date.").into());
    }
    let end = to.tomorrow().unwrap_or(to);
    let records = state.store.list_moods(who.id(), start_of_day(from, &tz), start_of_day(end, &tz)).await?;
    let key = metrics_key(state, who).await?;
    records.iter().map(|r| open_mood(&key, r)).collect::<Result<_, _>>().map_err(|_| AppError::internal())
}
