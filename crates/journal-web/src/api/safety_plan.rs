//! The safety plan: `/api/v1/safety-plan` (OpenAPI tag `coping`, shared with the challenge log).

use axum::Json;
use axum::extract::State;
use journal_core::safety_plan::SafetyPlan;
use journal_core::time_util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::json::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::coping::safety_plan;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactView {
    pub name: String,
    #[serde(default)]
    pub phone: String,
}

/// The six steps of a safety plan and reasons for living; every list may be empty.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SafetyPlanView {
    #[serde(default)]
    pub warning_signs: Vec<String>,
    #[serde(default)]
    pub internal_coping: Vec<String>,
    #[serde(default)]
    pub distraction_people: Vec<ContactView>,
    #[serde(default)]
    pub distraction_places: Vec<String>,
    #[serde(default)]
    pub help_people: Vec<ContactView>,
    #[serde(default)]
    pub professionals: Vec<ContactView>,
    #[serde(default)]
    pub means_safety: Vec<String>,
    #[serde(default)]
    pub reasons_for_living: Vec<String>,
    /// When it was last saved (read only).
    #[serde(default)]
    pub updated_at: Option<String>,
}

fn contacts_in(l: &[ContactView]) -> Vec<journal_core::safety_plan::Contact> {
    l.iter().map(|c| journal_core::safety_plan::Contact { name: c.name.clone(), phone: c.phone.clone() }).collect()
}

fn contacts_out(l: Vec<journal_core::safety_plan::Contact>) -> Vec<ContactView> {
    l.into_iter().map(|c| ContactView { name: c.name, phone: c.phone }).collect()
}

fn plan_view(p: SafetyPlan, at: Option<i64>) -> SafetyPlanView {
    SafetyPlanView {
        warning_signs: p.warning_signs,
        internal_coping: p.internal_coping,
        distraction_people: contacts_out(p.distraction_people),
        distraction_places: p.distraction_places,
        help_people: contacts_out(p.help_people),
        professionals: contacts_out(p.professionals),
        means_safety: p.means_safety,
        reasons_for_living: p.reasons_for_living,
        updated_at: at.map(rfc3339),
    }
}

/// Your safety plan (empty lists until you write one).
#[utoipa::path(get, path = "/api/v1/safety-plan", operation_id = "getSafetyPlan", tag = "coping",
    responses((status = 200, body = SafetyPlanView), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn get_plan(State(state): State<AppState>, who: CurrentUser) -> Result<Json<SafetyPlanView>, AppError> {
    let (plan, at) = safety_plan::load(&state, &who).await?;
    Ok(Json(plan_view(plan, at)))
}

/// Replaces your safety plan. Encrypted; nobody else can read it.
#[utoipa::path(put, path = "/api/v1/safety-plan", operation_id = "updateSafetyPlan", tag = "coping", request_body = SafetyPlanView,
    responses((status = 200, body = SafetyPlanView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn put_plan(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<SafetyPlanView>,
) -> Result<Json<SafetyPlanView>, AppError> {
    let plan = SafetyPlan {
        warning_signs: req.warning_signs,
        internal_coping: req.internal_coping,
        distraction_people: contacts_in(&req.distraction_people),
        distraction_places: req.distraction_places,
        help_people: contacts_in(&req.help_people),
        professionals: contacts_in(&req.professionals),
        means_safety: req.means_safety,
        reasons_for_living: req.reasons_for_living,
    };
    let saved = safety_plan::save(&state, &who, &plan).await?;
    Ok(Json(plan_view(saved, Some(journal_core::time_util::now()))))
}
