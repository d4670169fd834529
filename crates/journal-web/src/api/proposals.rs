//! Questionnaire-schedule proposals: a therapist proposes (`/api/v1/clients/{client_id}/schedule-proposal`),
//! the client reads, accepts or declines (`/api/v1/connections/{connection_id}/schedule-proposal`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use journal_core::assessments::schedule::Cadence;
use journal_core::time_util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::json::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::bridge::proposals::{self, Open, Proposal};

#[derive(Deserialize, ToSchema)]
pub struct ProposalRequest {
    /// A questionnaire this journal offers; with `every`.
    pub instrument: Option<String>,
    /// `session` (the days before each session date) or `weeks`.
    pub every: Option<String>,
    /// With `weeks`: 1–12.
    pub weeks: Option<i64>,
    /// `YYYY-MM-DD`: a session date to propose.
    pub session_date: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ProposalView {
    pub id: String,
    pub created_at: String,
    pub instrument: Option<String>,
    /// `session` or `weeks`, with `instrument`.
    pub every: Option<String>,
    pub weeks: Option<u8>,
    pub session_date: Option<String>,
    /// `pending`, `accepted` or `declined`; the therapist always sees `pending`.
    pub status: String,
}

fn view(o: Open) -> ProposalView {
    let (instrument, every, weeks) = match o.proposal.schedule {
        Some((i, Cadence::Session)) => (Some(i), Some("session".to_owned()), None),
        Some((i, Cadence::Weeks { weeks })) => (Some(i), Some("weeks".to_owned()), Some(weeks)),
        None => (None, None, None),
    };
    ProposalView {
        id: o.id,
        created_at: rfc3339(o.created_at),
        instrument,
        every,
        weeks,
        session_date: o.proposal.session_date,
        status: o.status.to_owned(),
    }
}

fn proposal(r: ProposalRequest) -> Result<Proposal, AppError> {
    let schedule = match (r.instrument.filter(|i| !i.trim().is_empty()), r.every.as_deref()) {
        (None, None) => None,
        (Some(i), Some("session")) => Some((i, Cadence::Session)),
        (Some(i), Some("weeks")) => {
            let weeks = r.weeks.and_then(|w| u8::try_from(w).ok()).unwrap_or(0);
            Some((i, Cadence::Weeks { weeks }))
        }
        (Some(_), None) => return Err(AppError::invalid("every", "Choose how often: session or weeks.")),
        (None, Some(_)) => return Err(AppError::invalid("instrument", "Choose a questionnaire.")),
        (Some(_), Some(_)) => return Err(AppError::invalid("every", "`every` is session or weeks.")),
    };
    Ok(Proposal { schedule, session_date: r.session_date })
}

/// Propose a questionnaire schedule and/or a session date to a linked client (therapists). A
/// schedule needs the client to share questionnaires. Replaces any earlier proposal to them.
#[utoipa::path(post, path = "/api/v1/clients/{client_id}/schedule-proposal", operation_id = "proposeSchedule", tag = "bridge",
    params(("client_id" = String, Path)), request_body = ProposalRequest,
    responses((status = 201, body = ProposalView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn propose(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(client_id): Path<String>,
    ApiJson(r): ApiJson<ProposalRequest>,
) -> Result<(StatusCode, Json<ProposalView>), AppError> {
    let p = proposal(r)?;
    Ok((StatusCode::CREATED, Json(view(proposals::propose(&state, &who, &client_id, &p).await?))))
}

/// Your therapist's current proposal on one link (clients); 404 when there is none.
#[utoipa::path(get, path = "/api/v1/connections/{connection_id}/schedule-proposal", operation_id = "getScheduleProposal", tag = "bridge",
    params(("connection_id" = String, Path)),
    responses((status = 200, body = ProposalView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn current(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(connection_id): Path<String>,
) -> Result<Json<ProposalView>, AppError> {
    Ok(Json(view(proposals::current(&state, &who, &connection_id).await?.ok_or_else(AppError::not_found)?)))
}

/// Accept a pending proposal: the schedule joins yours and the session date becomes yours.
#[utoipa::path(post, path = "/api/v1/connections/{connection_id}/schedule-proposal/{proposal_id}/accept", operation_id = "acceptScheduleProposal", tag = "bridge",
    params(("connection_id" = String, Path), ("proposal_id" = String, Path)),
    responses((status = 200, body = ProposalView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn accept(
    State(state): State<AppState>,
    who: CurrentUser,
    Path((connection_id, proposal_id)): Path<(String, String)>,
) -> Result<Json<ProposalView>, AppError> {
    Ok(Json(view(proposals::answer(&state, &who, &connection_id, &proposal_id, true).await?)))
}

/// Decline a pending proposal; nothing of yours changes.
#[utoipa::path(post, path = "/api/v1/connections/{connection_id}/schedule-proposal/{proposal_id}/decline", operation_id = "declineScheduleProposal", tag = "bridge",
    params(("connection_id" = String, Path), ("proposal_id" = String, Path)),
    responses((status = 200, body = ProposalView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn decline(
    State(state): State<AppState>,
    who: CurrentUser,
    Path((connection_id, proposal_id)): Path<(String, String)>,
) -> Result<Json<ProposalView>, AppError> {
    Ok(Json(view(proposals::answer(&state, &who, &connection_id, &proposal_id, false).await?)))
}
