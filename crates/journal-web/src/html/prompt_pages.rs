//! `/prompts`: today's three with their reasons, the session date, your own prompts, and the
//! whole library by category. Skip, pin and write work as plain forms and links.

use crate::html::form::PageQuery;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::prompts::{PromptBook, Suggestion, library};
use serde::Deserialize;

use super::form::PageForm;
use super::page::{OrPage, PageError, error_page, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::prompts;

pub struct LibraryPrompt {
    pub id: String,
    pub text: String,
    pub pinned: bool,
    pub answered_on: Option<String>,
}

pub struct LibraryCategory {
    pub id: String,
    pub title: String,
    pub description: String,
    pub prompts: Vec<LibraryPrompt>,
}

#[derive(Template)]
#[template(path = "prompts.html")]
struct PromptsPage {
    shell: Shell,
    today: Vec<Suggestion>,
    /// Questionnaires due under the person's schedules: (id, title, label).
    due: Vec<(&'static str, &'static str, String)>,
    session_date: String,
    custom: Vec<LibraryPrompt>,
    categories: Vec<LibraryCategory>,
    category_choices: Vec<(String, String)>,
    notice: Option<&'static str>,
    error: Option<AppError>,
    error_form: &'static str,
}

#[derive(Deserialize)]
pub struct Notice {
    notice: Option<String>,
}

fn entries(book: &PromptBook, ids: impl Iterator<Item = (String, String)>) -> Vec<LibraryPrompt> {
    ids.map(|(id, text)| LibraryPrompt {
        pinned: book.pinned.contains(&id),
        answered_on: book.answered.get(&id).cloned(),
        id,
        text,
    })
    .collect()
}

async fn page(
    state: &AppState,
    user: &PageUser,
    notice: Option<&'static str>,
    error: Option<(AppError, &'static str)>,
) -> Result<Response, PageError> {
    let today = prompts::today(state, &user.current).await.or_page(user.theme)?;
    let book = prompts::load_book(state, &user.current).await.or_page(user.theme)?;
    let categories = library()
        .category
        .iter()
        .map(|c| LibraryCategory {
            id: c.id.clone(),
            title: c.title.clone(),
            description: c.description.clone(),
            prompts: entries(
                &book,
                library().prompt.iter().filter(|p| p.category == c.id).map(|p| (p.id.clone(), p.text.clone())),
            ),
        })
        .collect();
    let custom = entries(&book, book.custom.iter().map(|c| (c.id.clone(), c.text.clone())));
    // A schedule that can't be read never keeps the prompts away.
    let due = journal_app::health::schedules::due_now(state, &user.current)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|d| (d.instrument.as_str(), d.instrument.short_name(), d.label))
        .collect();
    let status = error.as_ref().map(|(e, _)| e.status);
    let (error, error_form) = match error {
        Some((e, f)) => (Some(e), f),
        None => (None, ""),
    };
    let mut res = render(&PromptsPage {
        shell: Shell::for_user("Prompts", user),
        today,
        due,
        session_date: book.session_date.clone().unwrap_or_default(),
        custom,
        categories,
        category_choices: library().category.iter().map(|c| (c.id.clone(), c.title.clone())).collect(),
        notice,
        error,
        error_form,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    Ok(res)
}

pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<Notice>,
) -> Result<Response, PageError> {
    let notice = match q.notice.as_deref() {
        Some("skipped") => Some("Skipped for today. Here's another one instead."),
        Some("pinned") => Some("Pinned. It stays with today's prompts until you answer it."),
        Some("unpinned") => Some("Unpinned."),
        Some("added") => Some("Your prompt is saved. Only you can read it."),
        Some("deleted") => Some("Your prompt is deleted."),
        Some("session") => Some("Saved. Your prompts will help you prepare for, and reflect on, your session."),
        _ => None,
    };
    page(&state, &user, notice, None).await
}

#[derive(Deserialize)]
pub struct Empty {}

fn back(result: Result<(), impl Into<AppError>>, notice: &str) -> Result<Response, AppError> {
    let result = result.map_err(Into::into);
    result.map(|()| Redirect::to(&format!("/prompts?notice={notice}")).into_response())
}

async fn or_page(state: &AppState, user: &PageUser, r: Result<Response, AppError>, form: &'static str) -> Response {
    match r {
        Ok(res) => res,
        Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => error_page(e, user.theme),
        Err(e) if e.status.is_client_error() => page(state, user, None, Some((e, form))).await.into_response(),
        Err(e) => error_page(e, user.theme),
    }
}

pub async fn skip(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(_): PageForm<Empty>,
) -> Response {
    let r = back(prompts::skip(&state, &user.current, &id).await, "skipped");
    or_page(&state, &user, r, "today").await
}

pub async fn pin(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(_): PageForm<Empty>,
) -> Response {
    let r = back(prompts::set_pinned(&state, &user.current, &id, true).await, "pinned");
    or_page(&state, &user, r, "today").await
}

pub async fn unpin(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(_): PageForm<Empty>,
) -> Response {
    let r = back(prompts::set_pinned(&state, &user.current, &id, false).await, "unpinned");
    or_page(&state, &user, r, "today").await
}

pub async fn delete(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(_): PageForm<Empty>,
) -> Response {
    let r = back(prompts::delete_custom(&state, &user.current, &id).await, "deleted");
    or_page(&state, &user, r, "custom").await
}

#[derive(Deserialize)]
pub struct CustomForm {
    text: String,
    category: String,
}

pub async fn create(State(state): State<AppState>, user: PageUser, PageForm(f): PageForm<CustomForm>) -> Response {
    let r = prompts::create_custom(&state, &user.current, &f.text, &f.category).await.map(|_| ());
    let r = back(r, "added");
    or_page(&state, &user, r, "custom").await
}

#[derive(Deserialize)]
pub struct SessionForm {
    session_date: String,
}

pub async fn session(State(state): State<AppState>, user: PageUser, PageForm(f): PageForm<SessionForm>) -> Response {
    let r = back(prompts::set_session_date(&state, &user.current, Some(&f.session_date)).await, "session");
    or_page(&state, &user, r, "session").await
}
