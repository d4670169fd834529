//! A person's questionnaire schedules and what is due now. The schedules are one document sealed
//! under the records key; what is due is worked out from them, the session date in the prompt
//! book, and when each questionnaire was last taken (clear metadata, nothing decrypted).

use journal_core::assessments::InstrumentId;
use journal_core::assessments::schedule::{Cadence, Due, Schedule, due};
use journal_core::records::{QUESTIONNAIRE_SCHEDULE, open_document, seal_document};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

pub async fn load(app: &App, who: &UnlockedUser) -> Result<Vec<Schedule>, ServiceError> {
    match app.store.document(who.id(), QUESTIONNAIRE_SCHEDULE).await? {
        Some((blob, _)) if !blob.is_empty() => open_document(who, QUESTIONNAIRE_SCHEDULE, &blob).map_err(|_| {
            tracing::error!("a questionnaire schedule failed to open with its owner's key");
            ServiceError::internal()
        }),
        _ => Ok(Vec::new()),
    }
}

/// Replaces the schedules: one per questionnaire, each offered on this journal. A schedule kept
/// unchanged keeps the day it was set, so its weeks don't move.
pub async fn save(app: &App, who: &UnlockedUser, wanted: &[(String, Cadence)]) -> Result<Vec<Schedule>, ServiceError> {
    let today = journal_core::dates::today_in(&who.user().time_zone);
    let before = load(app, who).await?;
    let mut out: Vec<Schedule> = Vec::new();
    for (id, cadence) in wanted {
        let instrument = crate::health::assessments::instrument(app, id)?;
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
    let blob = seal_document(who, QUESTIONNAIRE_SCHEDULE, &out);
    app.store.put_document(who.id(), QUESTIONNAIRE_SCHEDULE, &blob, now()).await?;
    Ok(out)
}

/// Questionnaires due today, soonest-ending first; those no longer offered are left out.
pub async fn due_now(app: &App, who: &UnlockedUser) -> Result<Vec<Due>, ServiceError> {
    let schedules: Vec<Schedule> =
        load(app, who).await?.into_iter().filter(|s| app.settings.offers(s.instrument)).collect();
    if schedules.is_empty() {
        return Ok(Vec::new());
    }
    let tz = who.user().time_zone.clone();
    let zone = journal_core::dates::zone(&tz);
    let today = journal_core::dates::today_in(&tz);
    let session = crate::prompts::load_book(app, who).await?.session_date.and_then(|d| d.parse().ok());
    let taken = app.store.list_assessments(who.id(), None).await?;
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
