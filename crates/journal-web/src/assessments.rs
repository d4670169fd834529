//! Questionnaire results: scoring through `journal-core`, encryption under the user's metrics
//! key, and the change against earlier results.

use journal_core::assessments::{Change, InstrumentId, Score};
use journal_core::ids::new_id;
use journal_core::metrics::{
    Assessment, AssessmentContent, new_metrics_key, open_assessment, seal_assessment, unwrap_metrics_key,
};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;
use journal_crypto::SymmetricKey;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

/// The user's metrics key, created on first use.
pub async fn metrics_key(state: &AppState, who: &CurrentUser) -> Result<SymmetricKey, AppError> {
    // A link ended since the last time: replace the key before anything new is sealed under it.
    crate::bridge::rotate_metrics_if_pending(state, who).await?;
    let wrapped = match state.store.metrics_key(who.id()).await? {
        Some(w) => w,
        None => {
            let (_, wrapped) = new_metrics_key(&who.unlocked);
            state.store.create_metrics_key(who.id(), &wrapped, now()).await?
        }
    };
    unwrap_metrics_key(&who.unlocked, &wrapped).map_err(|_| {
        tracing::error!("a metrics key failed to unwrap with its owner's data key");
        AppError::internal()
    })
}

pub fn instrument(state: &AppState, id: &str) -> Result<InstrumentId, AppError> {
    match InstrumentId::parse(id) {
        Some(InstrumentId::Who5) if !state.config.who5_enabled => {
            Err(ValidationError::new("instrument", "The WHO-5 questionnaire is not offered on this journal.").into())
        }
        Some(i) => Ok(i),
        None => Err(ValidationError::new("instrument", "Choose phq9, gad7 or who5.").into()),
    }
}

pub struct Submitted {
    pub assessment: Assessment,
    pub score: Score,
    pub change: Option<Change>,
}

pub async fn submit(state: &AppState, who: &CurrentUser, id: &str, answers: &[i64]) -> Result<Submitted, AppError> {
    let instrument = instrument(state, id)?;
    let score = instrument.instrument().score(answers)?;
    let key = metrics_key(state, who).await?;
    let earlier = history(state, who, &key, Some(instrument)).await?;
    let content = AssessmentContent {
        answers: answers.iter().map(|&a| a as u8).collect(),
        total: score.total,
        severity: score.severity.to_owned(),
        self_harm: score.self_harm,
    };
    let record = seal_assessment(&who.unlocked, &key, &new_id(), instrument, now(), &content);
    state.store.insert_assessment(&record).await?;
    let assessment = open_assessment(&key, &record).map_err(|_| AppError::internal())?;
    let change = assessment.change_against(&earlier);
    Ok(Submitted { assessment, score, change })
}

/// Results, newest first, decrypted.
pub async fn history(
    state: &AppState,
    who: &CurrentUser,
    key: &SymmetricKey,
    instrument: Option<InstrumentId>,
) -> Result<Vec<Assessment>, AppError> {
    let records = state.store.list_assessments(who.id(), instrument.map(InstrumentId::as_str)).await?;
    records.iter().map(|r| open_assessment(key, r)).collect::<Result<_, _>>().map_err(|_| AppError::internal())
}
