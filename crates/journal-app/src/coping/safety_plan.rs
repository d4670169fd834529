//! The safety plan: one encrypted document per person, empty until they write it.

use journal_core::records::{SAFETY_PLAN, open_document, seal_document};
use journal_core::safety_plan::SafetyPlan;
use journal_core::time_util::{Timestamp, now};

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

pub async fn load(app: &App, who: &UnlockedUser) -> Result<(SafetyPlan, Option<Timestamp>), ServiceError> {
    match app.store.document(who.id(), SAFETY_PLAN).await? {
        Some((blob, at)) => {
            let plan = open_document(who, SAFETY_PLAN, &blob).map_err(|_| {
                tracing::error!("a safety plan failed to decrypt with its owner's key");
                ServiceError::internal()
            })?;
            Ok((plan, Some(at)))
        }
        None => Ok((SafetyPlan::default(), None)),
    }
}

pub async fn save(app: &App, who: &UnlockedUser, plan: &SafetyPlan) -> Result<SafetyPlan, ServiceError> {
    let plan = plan.validated()?;
    let blob = seal_document(who, SAFETY_PLAN, &plan);
    app.store.put_document(who.id(), SAFETY_PLAN, &blob, now()).await?;
    Ok(plan)
}
