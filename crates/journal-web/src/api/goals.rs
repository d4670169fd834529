//! Goals, achievements, reminders and the weekly review.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use journal_core::goals::{CATEGORIES, Per, Progress};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::json::{ApiJson, ApiQuery};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::goals::{self, Goal, GoalInput, GoalWithProgress};

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
pub struct CadenceView {
    pub times: i64,
    /// `day` or `week`.
    #[schema(value_type = String)]
    pub per: PerView,
}

#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PerView {
    Day,
    Week,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressView {
    /// Check-ins in the current day or week.
    pub done: u32,
    pub target: u32,
    pub current_streak: u32,
    pub longest_streak: u32,
    /// `day` or `week`: what the streaks count.
    pub unit: String,
    /// Share of periods that met the target, 0–100.
    pub rate_4_weeks: Option<u8>,
    pub rate_12_weeks: Option<u8>,
}

impl From<&Progress> for ProgressView {
    fn from(p: &Progress) -> Self {
        ProgressView {
            done: p.done,
            target: p.target,
            current_streak: p.current_streak,
            longest_streak: p.longest_streak,
            unit: p.unit.to_owned(),
            rate_4_weeks: p.rate_4_weeks,
            rate_12_weeks: p.rate_12_weeks,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GoalView {
    pub id: String,
    pub title: String,
    pub why: String,
    pub category: String,
    pub cadence: CadenceView,
    pub start_date: String,
    pub end_date: Option<String>,
    /// `active`, `paused`, `completed` or `archived`.
    pub status: String,
    pub progress: Option<ProgressView>,
    /// The current streak, in `progress.unit`s.
    pub streak: Option<u32>,
}

fn view(g: &Goal, p: Option<&Progress>) -> GoalView {
    let c = &g.content;
    GoalView {
        id: g.id.clone(),
        title: c.title.clone(),
        why: c.why.clone(),
        category: c.category.clone(),
        cadence: CadenceView {
            times: i64::from(c.cadence.times),
            per: if c.cadence.per == Per::Day { PerView::Day } else { PerView::Week },
        },
        start_date: c.start_date.clone(),
        end_date: c.end_date.clone(),
        status: c.status.as_str().to_owned(),
        progress: p.map(ProgressView::from),
        streak: p.map(|p| p.current_streak),
    }
}

fn full(g: &GoalWithProgress) -> GoalView {
    view(&g.goal, Some(&g.progress))
}

#[derive(Deserialize, ToSchema)]
pub struct GoalRequest {
    pub title: Option<String>,
    /// One of the nine categories of `GET /api/v1/goals/suggestions`.
    pub category: Option<String>,
    pub cadence: Option<CadenceView>,
    /// Why it matters to you (encrypted, like the title).
    pub why: Option<String>,
    /// `YYYY-MM-DD`; today when left out.
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`, or null for none.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub end_date: Option<Option<String>>,
}

/// Tells a null (`Some(None)`: clear it) from a missing field (`None`: leave it).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl GoalRequest {
    fn input(&self) -> GoalInput {
        GoalInput {
            title: self.title.clone(),
            why: self.why.clone(),
            category: self.category.clone(),
            times: self.cadence.map(|c| c.times),
            per: self.cadence.map(|c| if c.per == PerView::Day { "day".into() } else { "week".into() }),
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
        }
    }
}

async fn with_progress(state: &AppState, who: &CurrentUser, id: &str) -> Result<GoalView, AppError> {
    let all = goals::list(state, who).await?;
    all.iter().find(|g| g.goal.id == id).map(full).ok_or_else(AppError::not_found)
}

/// Creates a self-care goal. Title, why and category are encrypted.
#[utoipa::path(post, path = "/api/v1/goals", operation_id = "createGoal", tag = "goals", request_body = GoalRequest,
    responses((status = 201, body = GoalView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<GoalRequest>,
) -> Result<(StatusCode, Json<GoalView>), AppError> {
    if req.title.is_none() || req.category.is_none() {
        return Err(AppError::invalid("title", "A goal needs a title and a category."));
    }
    let g = goals::create(&state, &who, &req.input()).await?;
    Ok((StatusCode::CREATED, Json(with_progress(&state, &who, &g.id).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct GoalList {
    pub items: Vec<GoalView>,
    /// Goals that can't be opened (damaged), left out of `items`; `date` is when the goal was
    /// made. Absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<crate::api::schema::DamagedItem>)]
    pub damaged: Vec<journal_app::damaged::DamagedItem>,
}

/// Your goals, each with progress for the current day or week and its streak.
#[utoipa::path(get, path = "/api/v1/goals", operation_id = "listGoals", tag = "goals",
    responses((status = 200, body = GoalList), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn list(State(state): State<AppState>, who: CurrentUser) -> Result<Json<GoalList>, AppError> {
    let (list, damaged) = goals::list_checked(&state, &who).await?;
    Ok(Json(GoalList { items: list.iter().map(full).collect(), damaged }))
}

#[derive(Serialize, ToSchema)]
pub struct Suggestion {
    pub category: String,
    pub name: String,
    /// Starter goals that can be adopted as they are.
    pub goals: Vec<String>,
}

/// The nine categories with starter goals.
#[utoipa::path(get, path = "/api/v1/goals/suggestions", operation_id = "listGoalSuggestions", tag = "goals", responses((status = 200, body = Vec<Suggestion>)))]
pub async fn suggestions() -> Json<Vec<Suggestion>> {
    Json(
        CATEGORIES
            .iter()
            .map(|(c, n, g)| Suggestion {
                category: (*c).to_owned(),
                name: (*n).to_owned(),
                goals: g.iter().map(|s| (*s).to_owned()).collect(),
            })
            .collect(),
    )
}

/// One goal with its progress.
#[utoipa::path(get, path = "/api/v1/goals/{id}", operation_id = "getGoal", tag = "goals", params(("id" = String, Path)),
    responses((status = 200, body = GoalView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<GoalView>, AppError> {
    goals::get(&state, &who, &id).await?;
    Ok(Json(with_progress(&state, &who, &id).await?))
}

/// Changes any of a goal's fields; those left out stay.
#[utoipa::path(patch, path = "/api/v1/goals/{id}", operation_id = "updateGoal", tag = "goals", params(("id" = String, Path)), request_body = GoalRequest,
    responses((status = 200, body = GoalView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<GoalRequest>,
) -> Result<Json<GoalView>, AppError> {
    goals::update(&state, &who, &id, &req.input()).await?;
    Ok(Json(with_progress(&state, &who, &id).await?))
}

/// Deletes a goal and its check-ins.
#[utoipa::path(delete, path = "/api/v1/goals/{id}", operation_id = "deleteGoal", tag = "goals", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    goals::delete(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct StatusRequest {
    /// `pause`, `resume`, `complete`, `archive` or `restore`. A paused goal keeps its streak.
    pub action: String,
}

/// Pauses, resumes, completes, archives or restores a goal.
#[utoipa::path(post, path = "/api/v1/goals/{id}/status", operation_id = "setGoalStatus", tag = "goals", params(("id" = String, Path)), request_body = StatusRequest,
    responses((status = 200, body = GoalView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn status(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<StatusRequest>,
) -> Result<Json<GoalView>, AppError> {
    goals::set_status(&state, &who, &id, &req.action).await?;
    Ok(Json(with_progress(&state, &who, &id).await?))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct CheckinRequest {
    /// `YYYY-MM-DD`: today by default; up to seven days back.
    pub date: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckinView {
    pub id: String,
    pub goal_id: String,
    pub date: String,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct CheckinCreated {
    #[serde(flatten)]
    pub checkin: CheckinView,
    /// The goal's progress after this check-in.
    pub progress: ProgressView,
}

/// Marks a goal done for a day (today, or up to a week back), with an optional note. Send `{}`
/// for today.
#[utoipa::path(post, path = "/api/v1/goals/{id}/checkins", operation_id = "checkInGoal", tag = "goals", params(("id" = String, Path)), request_body = CheckinRequest,
    responses((status = 201, body = CheckinCreated), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn check_in(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CheckinRequest>,
) -> Result<(StatusCode, Json<CheckinCreated>), AppError> {
    let c = goals::check_in(&state, &who, &id, req.date.as_deref(), req.note.as_deref()).await?;
    let all = goals::list(&state, &who).await?;
    let g = all.iter().find(|g| g.goal.id == id).ok_or_else(AppError::not_found)?;
    Ok((
        StatusCode::CREATED,
        Json(CheckinCreated {
            checkin: CheckinView { id: c.id, goal_id: c.goal_id, date: c.day.to_string(), note: c.note },
            progress: ProgressView::from(&g.progress),
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CheckinList {
    pub items: Vec<CheckinView>,
}

/// A goal's check-ins, newest first.
#[utoipa::path(get, path = "/api/v1/goals/{id}/checkins", operation_id = "listGoalCheckins", tag = "goals", params(("id" = String, Path)),
    responses((status = 200, body = CheckinList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn checkins(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CheckinList>, AppError> {
    let all = goals::list(&state, &who).await?;
    let g = all.into_iter().find(|g| g.goal.id == id).ok_or_else(AppError::not_found)?;
    let mut items: Vec<CheckinView> = g
        .checkins
        .into_iter()
        .map(|c| CheckinView { id: c.id, goal_id: c.goal_id, date: c.day.to_string(), note: c.note })
        .collect();
    items.reverse();
    Ok(Json(CheckinList { items }))
}

/// Undoes a check-in.
#[utoipa::path(delete, path = "/api/v1/goals/{id}/checkins/{checkin_id}", operation_id = "deleteGoalCheckin", tag = "goals",
    params(("id" = String, Path), ("checkin_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn undo(
    State(state): State<AppState>,
    who: CurrentUser,
    Path((id, checkin_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    goals::undo(&state, &who, &id, &checkin_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct AchievementView {
    pub id: String,
    /// `journal`, `mood`, `streak`, `assessment` or `goal`.
    pub kind: String,
    pub title: String,
    /// A warm sentence about it.
    pub message: String,
    /// `YYYY-MM-DD`
    pub earned_at: String,
}

impl From<journal_app::health::moods::Achievement> for AchievementView {
    fn from(a: journal_app::health::moods::Achievement) -> Self {
        AchievementView {
            message: journal_app::goals::achievements::message(&a),
            id: a.id,
            kind: a.kind,
            title: a.title,
            earned_at: a.earned_at,
        }
    }
}

/// Every milestone you've reached, newest first.
#[utoipa::path(get, path = "/api/v1/achievements", operation_id = "listAchievements", tag = "goals",
    responses((status = 200, body = Vec<AchievementView>), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn achievements(
    State(state): State<AppState>,
    who: CurrentUser,
) -> Result<Json<Vec<AchievementView>>, AppError> {
    let all = journal_app::goals::achievements::all(&state, &who).await?;
    Ok(Json(all.into_iter().map(AchievementView::from).collect()))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct RemindersView {
    /// `HH:MM`, 24-hour, or null for none.
    pub journal_time: Option<String>,
    pub checkin_time: Option<String>,
    /// When goal reminders come (default 12:00).
    pub goal_time: Option<String>,
    #[serde(default)]
    pub goal_reminders: bool,
    /// Your private calendar (ICS) address (read only). Anyone with it sees your reminder times,
    /// nothing else; rotate it if it leaks.
    #[serde(default)]
    pub feed_url: Option<String>,
}

fn reminders_view(state: &AppState, headers: &HeaderMap, s: journal_app::goals::reminders::Settings) -> RemindersView {
    RemindersView {
        feed_url: Some(journal_app::goals::reminders::feed_url(
            state,
            crate::html::page::request_host(headers),
            &s.token,
        )),
        journal_time: s.journal_time,
        checkin_time: s.checkin_time,
        goal_time: s.goal_time,
        goal_reminders: s.goal_reminders,
    }
}

/// Your reminder times and private calendar address.
#[utoipa::path(get, path = "/api/v1/reminders", operation_id = "getReminders", tag = "goals",
    responses((status = 200, body = RemindersView), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn get_reminders(
    State(state): State<AppState>,
    headers: HeaderMap,
    who: CurrentUser,
) -> Result<Json<RemindersView>, AppError> {
    let s = journal_app::goals::reminders::get(&state, &who).await?;
    Ok(Json(reminders_view(&state, &headers, s)))
}

/// Sets the reminder times. Calendar events only ever say "Time for you".
#[utoipa::path(put, path = "/api/v1/reminders", operation_id = "updateReminders", tag = "goals", request_body = RemindersView,
    responses((status = 200, body = RemindersView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn put_reminders(
    State(state): State<AppState>,
    headers: HeaderMap,
    who: CurrentUser,
    ApiJson(req): ApiJson<RemindersView>,
) -> Result<Json<RemindersView>, AppError> {
    let s = journal_app::goals::reminders::update(
        &state,
        &who,
        req.journal_time.as_deref(),
        req.checkin_time.as_deref(),
        req.goal_time.as_deref(),
        req.goal_reminders,
    )
    .await?;
    Ok(Json(reminders_view(&state, &headers, s)))
}

/// Gives the calendar feed a new secret address; the old one answers 404 from now on.
#[utoipa::path(post, path = "/api/v1/reminders/feed/rotate", operation_id = "rotateReminderFeed", tag = "goals",
    responses((status = 200, body = RemindersView), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn rotate(
    State(state): State<AppState>,
    headers: HeaderMap,
    who: CurrentUser,
) -> Result<Json<RemindersView>, AppError> {
    let s = journal_app::goals::reminders::rotate(&state, &who).await?;
    Ok(Json(reminders_view(&state, &headers, s)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekParam {
    /// Any day of the week to review, `YYYY-MM-DD` (default: this week).
    pub week: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GoalWeekView {
    pub id: String,
    pub title: String,
    pub done: u32,
    pub target: u32,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    pub from: String,
    pub to: String,
    pub entries: usize,
    pub mood_check_ins: usize,
    pub mood_average: Option<f64>,
    pub previous_mood_average: Option<f64>,
    /// In words, e.g. "a little higher than the week before"; empty without data.
    pub mood_trend: String,
    pub goals: Vec<GoalWeekView>,
    pub goal_check_ins: usize,
    pub wins: Vec<AchievementView>,
    pub reflection_prompt: String,
}

fn review_view(r: journal_app::goals::review::Review) -> ReviewView {
    ReviewView {
        from: r.from.to_string(),
        to: r.to.to_string(),
        entries: r.entries,
        mood_check_ins: r.check_ins,
        mood_average: r.mood_average,
        previous_mood_average: r.previous_mood_average,
        mood_trend: r.trend().to_owned(),
        goals: r
            .goals
            .iter()
            .map(|g| GoalWeekView { id: g.id.clone(), title: g.title.clone(), done: g.done, target: g.target })
            .collect(),
        goal_check_ins: r.goal_check_ins,
        wins: r.wins.into_iter().map(AchievementView::from).collect(),
        reflection_prompt: r.reflection_prompt.to_owned(),
    }
}

/// A look back over one week: entries, mood and its trend, goals, wins, and a reflection prompt.
#[utoipa::path(get, path = "/api/v1/review", operation_id = "getWeeklyReview", tag = "goals", params(WeekParam),
    responses((status = 200, body = ReviewView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn review(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<WeekParam>,
) -> Result<Json<ReviewView>, AppError> {
    Ok(Json(review_view(journal_app::goals::review::review(&state, &who, p.week.as_deref()).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct SaveReviewRequest {
    pub week: Option<String>,
    /// Your answer to the reflection prompt.
    #[serde(default)]
    pub reflection: String,
}

/// Keeps the week's review, with your reflection, as a journal entry.
#[utoipa::path(post, path = "/api/v1/review", operation_id = "saveWeeklyReview", tag = "goals", request_body = SaveReviewRequest,
    responses((status = 201, body = crate::api::entries::EntryView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn save_review(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<SaveReviewRequest>,
) -> Result<(StatusCode, Json<crate::api::entries::EntryView>), AppError> {
    let e = journal_app::goals::review::save(&state, &who, req.week.as_deref(), &req.reflection).await?;
    Ok((StatusCode::CREATED, Json(crate::api::entries::EntryView::new(e, true))))
}
