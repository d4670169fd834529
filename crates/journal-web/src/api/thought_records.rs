//! The challenge log: `/api/v1/thought-records` (OpenAPI tag `coping`, shared with the safety plan).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use journal_core::entries::Entry;
use journal_core::thought_records::{DISTORTIONS, Feeling, ThoughtRecord};
use journal_core::time_util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::json::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::coping::thought_records;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct FeelingView {
    pub name: String,
    /// 0–100
    pub intensity: u8,
}

#[derive(Deserialize, ToSchema)]
pub struct ThoughtRecordRequest {
    /// `YYYY-MM-DD`; today when left out (on update: unchanged).
    pub date: Option<String>,
    /// What happened: who, what, when, where.
    pub situation: String,
    /// The automatic thoughts that came up.
    pub thoughts: String,
    /// Feelings and how strong they were, 0–100.
    #[serde(default)]
    pub emotions: Vec<FeelingView>,
    /// Thinking-trap slugs from `GET /api/v1/thought-records/thinking-traps`.
    #[serde(default)]
    pub distortions: Vec<String>,
    #[serde(default)]
    pub evidence_for: String,
    #[serde(default)]
    pub evidence_against: String,
    #[serde(default)]
    pub balanced_thought: String,
    /// The same feelings, rated again at the end.
    #[serde(default)]
    pub rerated: Vec<FeelingView>,
}

impl ThoughtRecordRequest {
    fn record(&self) -> ThoughtRecord {
        let feelings =
            |l: &[FeelingView]| l.iter().map(|f| Feeling { name: f.name.clone(), intensity: f.intensity }).collect();
        ThoughtRecord {
            situation: self.situation.clone(),
            thoughts: self.thoughts.clone(),
            emotions: feelings(&self.emotions),
            distortions: self.distortions.clone(),
            evidence_for: self.evidence_for.clone(),
            evidence_against: self.evidence_against.clone(),
            balanced_thought: self.balanced_thought.clone(),
            rerated: feelings(&self.rerated),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ThoughtRecordView {
    /// Also the id of the journal entry that holds it.
    pub id: String,
    pub date: String,
    pub situation: String,
    pub thoughts: String,
    pub emotions: Vec<FeelingView>,
    pub distortions: Vec<String>,
    pub evidence_for: String,
    pub evidence_against: String,
    pub balanced_thought: String,
    pub rerated: Vec<FeelingView>,
    pub created_at: String,
    pub updated_at: String,
}

fn view(e: Entry) -> Result<ThoughtRecordView, AppError> {
    let r = e.content.thought_record.ok_or_else(AppError::not_found)?;
    let feelings =
        |l: Vec<Feeling>| l.into_iter().map(|f| FeelingView { name: f.name, intensity: f.intensity }).collect();
    Ok(ThoughtRecordView {
        id: e.id,
        date: e.entry_date,
        situation: r.situation,
        thoughts: r.thoughts,
        emotions: feelings(r.emotions),
        distortions: r.distortions,
        evidence_for: r.evidence_for,
        evidence_against: r.evidence_against,
        balanced_thought: r.balanced_thought,
        rerated: feelings(r.rerated),
        created_at: rfc3339(e.created_at),
        updated_at: rfc3339(e.updated_at),
    })
}

/// Saves a thought record (encrypted as a journal entry, so search finds it too).
#[utoipa::path(post, path = "/api/v1/thought-records", operation_id = "createThoughtRecord", tag = "coping", request_body = ThoughtRecordRequest,
    responses((status = 201, body = ThoughtRecordView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<ThoughtRecordRequest>,
) -> Result<(StatusCode, Json<ThoughtRecordView>), AppError> {
    let entry = thought_records::create_record(&state, &who, &req.record(), req.date.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(view(entry)?)))
}

#[derive(Serialize, ToSchema)]
pub struct ThoughtRecordList {
    pub items: Vec<ThoughtRecordView>,
}

/// Your thought records, newest first.
#[utoipa::path(get, path = "/api/v1/thought-records", operation_id = "listThoughtRecords", tag = "coping",
    responses((status = 200, body = ThoughtRecordList), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn list(State(state): State<AppState>, who: CurrentUser) -> Result<Json<ThoughtRecordList>, AppError> {
    let items = thought_records::list_records(&state, &who).await?.into_iter().map(view).collect::<Result<_, _>>()?;
    Ok(Json(ThoughtRecordList { items }))
}

/// One thought record.
#[utoipa::path(get, path = "/api/v1/thought-records/{id}", operation_id = "getThoughtRecord", tag = "coping", params(("id" = String, Path)),
    responses((status = 200, body = ThoughtRecordView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ThoughtRecordView>, AppError> {
    Ok(Json(view(thought_records::get_record(&state, &who, &id).await?)?))
}

/// Replaces a thought record.
#[utoipa::path(put, path = "/api/v1/thought-records/{id}", operation_id = "updateThoughtRecord", tag = "coping", params(("id" = String, Path)),
    request_body = ThoughtRecordRequest,
    responses((status = 200, body = ThoughtRecordView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ThoughtRecordRequest>,
) -> Result<Json<ThoughtRecordView>, AppError> {
    Ok(Json(view(thought_records::update_record(&state, &who, &id, &req.record(), req.date.as_deref()).await?)?))
}

/// Deletes a thought record.
#[utoipa::path(delete, path = "/api/v1/thought-records/{id}", operation_id = "deleteThoughtRecord", tag = "coping", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    thought_records::get_record(&state, &who, &id).await?;
    journal_app::journal::delete(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ThinkingTrap {
    pub slug: String,
    pub name: String,
    pub definition: String,
    pub example: String,
}

/// The thinking traps a record can name, with their definitions (docs/CLINICAL.md §9b).
#[utoipa::path(get, path = "/api/v1/thought-records/thinking-traps", operation_id = "listThinkingTraps", tag = "coping",
    responses((status = 200, body = Vec<ThinkingTrap>)))]
pub async fn thinking_traps() -> Json<Vec<ThinkingTrap>> {
    Json(
        DISTORTIONS
            .iter()
            .map(|d| ThinkingTrap {
                slug: d.slug.to_owned(),
                name: d.name.to_owned(),
                definition: d.definition.to_owned(),
                example: d.example.to_owned(),
            })
            .collect(),
    )
}
