//! Prompts: `/api/v1/prompts`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use journal_core::prompts::{TimeOfDay, library};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::json::{ApiJson, ApiQuery};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::prompts;

#[derive(Serialize, ToSchema)]
pub struct TodayPrompt {
    pub id: String,
    pub text: String,
    /// A category id, or `homework` for a therapist's assignment.
    pub category: String,
    /// Why this prompt today, in words a person understands.
    pub reason: String,
    /// `homework`, `pinned`, `custom` or `library`.
    pub source: String,
}

#[derive(Serialize, ToSchema)]
pub struct TodayPrompts {
    /// `YYYY-MM-DD` in your time zone.
    pub date: String,
    pub prompts: Vec<TodayPrompt>,
}

/// Three prompts for today, chosen from your recent mood, questionnaires, tags, session date and
/// what you haven't answered lately, each with its reason. The same all day (the time-of-day
/// prompt turns to reflection in the evening).
#[utoipa::path(get, path = "/api/v1/prompts/today", operation_id = "listTodayPrompts", tag = "prompts",
    responses((status = 200, body = TodayPrompts), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn today(State(state): State<AppState>, who: CurrentUser) -> Result<Json<TodayPrompts>, AppError> {
    let list = prompts::today(&state, &who).await?;
    Ok(Json(TodayPrompts {
        date: journal_core::dates::today_in(&who.unlocked.user().time_zone).to_string(),
        prompts: list
            .into_iter()
            .map(|s| TodayPrompt {
                id: s.id,
                text: s.text,
                category: s.category,
                reason: s.reason,
                source: s.source.to_owned(),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CategoryView {
    pub id: String,
    pub title: String,
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub struct PromptView {
    pub id: String,
    pub text: String,
    pub category: String,
    /// `any`, `morning` or `evening`.
    pub time: String,
    /// Written by you (encrypted); otherwise from the library.
    pub custom: bool,
    pub pinned: bool,
    /// The last day you answered it, `YYYY-MM-DD`.
    pub answered_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PromptList {
    pub categories: Vec<CategoryView>,
    pub items: Vec<PromptView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PromptParams {
    /// Only this category.
    pub category: Option<String>,
}

/// The prompt library and your own prompts.
#[utoipa::path(get, path = "/api/v1/prompts", operation_id = "listPrompts", tag = "prompts", params(PromptParams),
    responses((status = 200, body = PromptList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<PromptParams>,
) -> Result<Json<PromptList>, AppError> {
    if let Some(c) = &p.category
        && journal_core::prompts::category(c).is_none()
    {
        return Err(AppError::invalid("category", "Unknown category."));
    }
    let book = prompts::load_book(&state, &who).await?;
    let wanted = |c: &str| p.category.as_deref().is_none_or(|w| w == c);
    let time = |t: TimeOfDay| match t {
        TimeOfDay::Any => "any",
        TimeOfDay::Morning => "morning",
        TimeOfDay::Evening => "evening",
    };
    let view = |id: &str, text: &str, category: &str, t: TimeOfDay, custom: bool| PromptView {
        id: id.to_owned(),
        text: text.to_owned(),
        category: category.to_owned(),
        time: time(t).to_owned(),
        custom,
        pinned: book.pinned.iter().any(|p| p == id),
        answered_on: book.answered.get(id).cloned(),
    };
    let mut items: Vec<PromptView> = book
        .custom
        .iter()
        .filter(|c| wanted(&c.category))
        .map(|c| view(&c.id, &c.text, &c.category, TimeOfDay::Any, true))
        .collect();
    items.extend(
        library()
            .prompt
            .iter()
            .filter(|p| wanted(&p.category))
            .map(|p| view(&p.id, &p.text, &p.category, p.time, false)),
    );
    let categories = library()
        .category
        .iter()
        .filter(|c| wanted(&c.id))
        .map(|c| CategoryView { id: c.id.clone(), title: c.title.clone(), description: c.description.clone() })
        .collect();
    Ok(Json(PromptList { categories, items }))
}

#[derive(Deserialize, ToSchema)]
pub struct CustomPromptRequest {
    pub text: String,
    /// One of the library's category ids.
    pub category: String,
}

#[derive(Serialize, ToSchema)]
pub struct CustomPromptView {
    pub id: String,
    pub text: String,
    pub category: String,
    pub created_on: String,
}

/// Adds a prompt of your own (encrypted, like everything you write).
#[utoipa::path(post, path = "/api/v1/prompts", operation_id = "createPrompt", tag = "prompts", request_body = CustomPromptRequest,
    responses((status = 201, body = CustomPromptView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<CustomPromptRequest>,
) -> Result<(StatusCode, Json<CustomPromptView>), AppError> {
    let c = prompts::create_custom(&state, &who, &req.text, &req.category).await?;
    Ok((
        StatusCode::CREATED,
        Json(CustomPromptView { id: c.id, text: c.text, category: c.category, created_on: c.created_on }),
    ))
}

/// Deletes a prompt of your own.
#[utoipa::path(delete, path = "/api/v1/prompts/{id}", operation_id = "deletePrompt", tag = "prompts", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    prompts::delete_custom(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Not today: another prompt takes this one's place until tomorrow.
#[utoipa::path(post, path = "/api/v1/prompts/{id}/skip", operation_id = "skipPrompt", tag = "prompts", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn skip(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    prompts::skip(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pins a prompt (up to three) so it stays among today's until answered.
#[utoipa::path(put, path = "/api/v1/prompts/{id}/pin", operation_id = "pinPrompt", tag = "prompts", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn pin(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    prompts::set_pinned(&state, &who, &id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unpins a prompt.
#[utoipa::path(delete, path = "/api/v1/prompts/{id}/pin", operation_id = "unpinPrompt", tag = "prompts", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn unpin(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    prompts::set_pinned(&state, &who, &id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SessionDate {
    /// Your next (or latest) therapy session, `YYYY-MM-DD`; null clears it. Encrypted.
    pub session_date: Option<String>,
}

/// The therapy session date the prompts prepare for and reflect on.
#[utoipa::path(get, path = "/api/v1/prompts/session", operation_id = "getPromptSession", tag = "prompts",
    responses((status = 200, body = SessionDate), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn get_session(State(state): State<AppState>, who: CurrentUser) -> Result<Json<SessionDate>, AppError> {
    Ok(Json(SessionDate { session_date: prompts::load_book(&state, &who).await?.session_date }))
}

/// Sets or clears the therapy session date.
#[utoipa::path(put, path = "/api/v1/prompts/session", operation_id = "updatePromptSession", tag = "prompts", request_body = SessionDate,
    responses((status = 200, body = SessionDate), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn put_session(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<SessionDate>,
) -> Result<Json<SessionDate>, AppError> {
    prompts::set_session_date(&state, &who, req.session_date.as_deref()).await?;
    get_session(State(state), who).await
}
