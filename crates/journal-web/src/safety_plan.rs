//! The safety plan: one encrypted document per person, empty until they write it.

use journal_core::records::{SAFETY_PLAN, open_document, seal_document};
use journal_core::safety_plan::SafetyPlan;
use journal_core::time_util::{Timestamp, now};

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

pub async fn load(state: &AppState, who: &CurrentUser) -> Result<(SafetyPlan, Option<Timestamp>), AppError> {
    match state.store.document(who.id(), SAFETY_PLAN).await? {
        Some((blob, at)) => {
            let plan = open_document(&who.unlocked, SAFETY_PLAN, &blob).map_err(|_| {
                tracing::error!("a safety plan failed to decrypt with its owner's key");
                AppError::internal()
            })?;
            Ok((plan, Some(at)))
        }
        None => Ok((SafetyPlan::default(), None)),
    }
}

pub async fn save(state: &AppState, who: &CurrentUser, plan: &SafetyPlan) -> Result<SafetyPlan, AppError> {
    let plan = plan.validated()?;
    let blob = seal_document(&who.unlocked, SAFETY_PLAN, &plan);
    state.store.put_document(who.id(), SAFETY_PLAN, &blob, now()).await?;
    Ok(plan)
}
