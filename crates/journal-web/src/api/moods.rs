//! Mood check-ins: `/api/v1/moods`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use journal_core::metrics::Mood;
use journal_core::time_util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::json::{ApiJson, ApiQuery};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::health::moods::{self, MoodChange, MoodInput};

#[derive(Deserialize, ToSchema)]
pub struct MoodRequest {
    /// 1 (very low) to 5 (very good).
    pub score: i64,
    /// Named feelings (up to 20), e.g. from the app's list or your own words.
    pub emotions: Option<Vec<String>>,
    /// 0–24.
    pub sleep_hours: Option<f64>,
    /// Up to 20, e.g. "walk", "friends".
    pub activities: Option<Vec<String>>,
    /// Up to 2,000 characters.
    pub note: Option<String>,
    /// RFC 3339; now when left out. Backdating is fine; the future is not.
    pub at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MoodView {
    pub id: String,
    pub at: String,
    pub score: u8,
    pub emotions: Vec<String>,
    pub sleep_hours: Option<f32>,
    pub activities: Vec<String>,
    pub note: String,
}

impl From<Mood> for MoodView {
    fn from(m: Mood) -> Self {
        MoodView {
            id: m.id,
            at: rfc3339(m.at),
            score: m.content.score,
            emotions: m.content.emotions,
            sleep_hours: m.content.sleep_hours,
            activities: m.content.activities,
            note: m.content.note,
        }
    }
}

/// Records a mood check-in (encrypted; only its time is in clear).
#[utoipa::path(post, path = "/api/v1/moods", operation_id = "createMood", tag = "moods", request_body = MoodRequest,
    responses((status = 201, body = MoodView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn check_in(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<MoodRequest>,
) -> Result<(StatusCode, Json<MoodView>), AppError> {
    let input = MoodInput {
        score: req.score,
        emotions: req.emotions.unwrap_or_default(),
        sleep_hours: req.sleep_hours,
        activities: req.activities.unwrap_or_default(),
        note: req.note,
        at: req.at,
    };
    let mood = moods::check_in(&state, &who, &input).await?;
    Ok((StatusCode::CREATED, Json(mood.into())))
}

/// A correction: only the fields given change.
#[derive(Deserialize, ToSchema)]
pub struct MoodPatch {
    /// 1 (very low) to 5 (very good).
    pub score: Option<i64>,
    /// Replaces the named feelings.
    pub emotions: Option<Vec<String>>,
    /// 0–24, or null to clear.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<f64>)]
    pub sleep_hours: Option<Option<f64>>,
    /// Replaces the activities.
    pub activities: Option<Vec<String>>,
    /// Replaces the note; an empty string clears it.
    pub note: Option<String>,
    /// RFC 3339; not in the future.
    pub at: Option<String>,
}

/// Tells a null (`Some(None)`: clear it) from a missing field (`None`: leave it).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<f64>>, D::Error> {
    Option::<f64>::deserialize(d).map(Some)
}

/// Corrects a check-in (a mis-tap, a wrong time). It is encrypted again, and a therapist it is
/// shared with sees the corrected value.
#[utoipa::path(patch, path = "/api/v1/moods/{id}", operation_id = "updateMood", tag = "moods", params(("id" = String, Path)), request_body = MoodPatch,
    responses((status = 200, body = MoodView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<MoodPatch>,
) -> Result<Json<MoodView>, AppError> {
    let change = MoodChange {
        score: req.score,
        emotions: req.emotions,
        sleep_hours: req.sleep_hours,
        activities: req.activities,
        note: req.note,
        at: req.at,
    };
    Ok(Json(moods::update(&state, &who, &id, change).await?.into()))
}

/// Deletes a check-in for good: it leaves insights, streaks and any therapist's chart.
#[utoipa::path(delete, path = "/api/v1/moods/{id}", operation_id = "deleteMood", tag = "moods", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    moods::delete(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MoodParams {
    /// First day, `YYYY-MM-DD` in your time zone (default: 89 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive (default: today).
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MoodList {
    pub items: Vec<MoodView>,
    pub next_cursor: Option<String>,
    /// Check-ins in the range that can't be opened (damaged), left out of `items`. Absent when
    /// there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<crate::api::schema::DamagedItem>)]
    pub damaged: Vec<journal_app::damaged::DamagedItem>,
}

/// Check-ins in a date range, oldest first.
#[utoipa::path(get, path = "/api/v1/moods", operation_id = "listMoods", tag = "moods", params(MoodParams),
    responses((status = 200, body = MoodList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<MoodParams>,
) -> Result<Json<MoodList>, AppError> {
    let (moods, damaged) = moods::list_checked(&state, &who, p.from.as_deref(), p.to.as_deref()).await?;
    Ok(Json(MoodList { items: moods.into_iter().map(MoodView::from).collect(), next_cursor: None, damaged }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InsightParams {
    /// The period in days, ending today (1–3660, default 90).
    pub days: Option<u32>,
    /// How `over_time` is grouped: `day` (default), `week` (starting Monday) or `month`.
    pub by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OverTimePoint {
    /// First day of the day, week or month, `YYYY-MM-DD`.
    pub start: String,
    /// Average mood of the check-ins in it (each check-in counts once).
    pub average: f64,
    pub count: usize,
}

#[derive(Serialize, ToSchema)]
pub struct OverTime {
    pub by: String,
    pub points: Vec<OverTimePoint>,
}

#[derive(Serialize, ToSchema)]
pub struct InsightsView {
    /// Averages, trend (last 7 days against the 30 before), by weekday, by activity (with and
    /// without, with counts) and by hours of sleep.
    #[schema(value_type = Object)]
    pub mood: journal_core::insights::MoodInsights,
    /// Days in a row with a check-in or an entry.
    #[schema(value_type = Object)]
    pub streaks: journal_core::insights::Streaks,
    #[schema(value_type = Vec<crate::api::schema::Achievement>)]
    pub achievements: Vec<journal_app::health::moods::Achievement>,
    /// Mood over time, grouped as asked.
    pub over_time: OverTime,
    /// How many check-ins can't be opened (damaged) and are left out of every figure. Absent
    /// when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub damaged: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What your own check-ins show over a period, your streaks, and the milestones you reached.
#[utoipa::path(get, path = "/api/v1/insights", operation_id = "getInsights", tag = "moods", params(InsightParams),
    responses((status = 200, body = InsightsView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn insights(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<InsightParams>,
) -> Result<Json<InsightsView>, AppError> {
    use journal_core::insights::{Grouping, group};
    let by = match p.by.as_deref() {
        None => Grouping::Day,
        Some(b) => Grouping::parse(b)
            .ok_or_else(|| journal_core::validate::ValidationError::new("by", "by must be day, week or month."))?,
    };
    let r = moods::insights(&state, &who, p.days.unwrap_or(90)).await?;
    let points = group(&r.per_day, by, jiff::civil::Weekday::Monday)
        .into_iter()
        .map(|b| OverTimePoint { start: b.start.to_string(), average: b.average, count: b.count })
        .collect();
    Ok(Json(InsightsView {
        mood: r.mood,
        streaks: r.streaks,
        achievements: r.achievements,
        over_time: OverTime { by: by.as_str().to_owned(), points },
        damaged: r.damaged,
    }))
}
