//! A person's questionnaire schedules and what is due now. The schedules are one document sealed
//! under the records key; what is due is worked out from them, the session date in the prompt
//! book, and when each questionnaire was last taken (clear metadata, nothing decrypted).

use journal_core::assessments::InstrumentId;
use journal_core::assessments::schedule::{Cadence, Due, Schedule, due};
use journal_core::records::{QUESTIONNAIRE_SCHEDULE, open_document, seal_document};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

pub async fn load(state: &AppState, who: &CurrentUser) -> Result<Vec<Schedule>, AppError> {
    match state.store.document(who.id(), QUESTIONNAIRE_SCHEDULE).await? {
        Some((blob, _)) if !blob.is_empty() => {
            open_document(&who.unlocked, QUESTIONNAIRE_SCHEDULE, &blob).map_err(|_| {
                tracing::error!("a questionnaire schedule failed to open with its owner's key");
                AppError::internal()
            })
        }
        _ => Ok(Vec::new()),
    }
}

/// Replaces the schedules: one per questionnaire, each offered on this journal. A schedule kept
/// unchanged keeps the day it was set, so its weeks don't move.
pub async fn save(
    state: &AppState,
    who: &CurrentUser,
    wanted: &[(String, Cadence)],
) -> Result<Vec<Schedule>, AppError> {
    let today = journal_core::dates::today_in(&who.unlocked.user().time_zone);
    let before = load(state, who).await?;
    let mut out: Vec<Schedule> = Vec::new();
    for (id, cadence) in wanted {
        let instrument = crate::assessments::instrument(state, id)?;
        if out.iter().any(|s| s.instrument == instrument) {
            return Err(ValidationError::new(
                "items",
                format!("The {} has two schedules; keep one.", instrument.short_name()),
            )
            .into());
        }
        let since = before
            .iter()
            .find(|s| s.instrument == instrument && s.cadence == *cadence)
            .map(|s| s.since)
            .unwrap_or(today);
        let s = Schedule { instrument, cadence: *cadence, since };
        s.check()?;
        out.push(s);
    }
    let blob = seal_document(&who.unlocked, QUESTIONNAIRE_SCHEDULE, &out);
    state.store.put_document(who.id(), QUESTIONNAIRE_SCHEDULE, &blob, now()).await?;
    Ok(out)
}

/// Questionnaires due today, soonest-ending first; those no longer offered are left out.
pub async fn due_now(state: &AppState, who: &CurrentUser) -> Result<Vec<Due>, AppError> {
    let schedules: Vec<Schedule> =
        load(state, who).await?.into_iter().filter(|s| state.config.offers(s.instrument)).collect();
    if schedules.is_empty() {
        return Ok(Vec::new());
    }
    let tz = who.unlocked.user().time_zone.clone();
    let zone = journal_core::dates::zone(&tz);
    let today = journal_core::dates::today_in(&tz);
    let session = crate::prompts::load_book(state, who).await?.session_date.and_then(|d| d.parse().ok());
    let taken = state.store.list_assessments(who.id(), None).await?;
    let last = |id: InstrumentId| {
        taken
            .iter()
            .filter(|r| r.instrument == id.as_str())
            .map(|r| r.taken_at)
            .max()
            .and_then(|t| journal_core::dates::local_date(t, &zone))
    };
    Ok(due(&schedules, today, session, last))
}
