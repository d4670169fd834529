//! "My therapy blueprint" (`/blueprint`): a draft from the person's own records to edit, print
//! and keep as a journal entry.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::form::PageForm;
use super::page::{error_page, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "blueprint.html")]
struct BlueprintPage {
    shell: Shell,
    body: String,
    error: Option<String>,
}

pub async fn show(State(state): State<AppState>, user: PageUser) -> Response {
    match journal_app::coping::blueprint::draft(&state, &user.current).await {
        Ok(body) => render(&BlueprintPage { shell: Shell::for_user("My therapy blueprint", &user), body, error: None }),
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize)]
pub struct BlueprintForm {
    body: String,
}

pub async fn save(State(state): State<AppState>, user: PageUser, PageForm(f): PageForm<BlueprintForm>) -> Response {
    match journal_app::coping::blueprint::save(&state, &user.current, &f.body).await.map_err(AppError::from) {
        Ok(entry) => Redirect::to(&format!("/journal/{}", entry.id)).into_response(),
        Err(e) if e.status.is_client_error() => {
            let mut res = render(&BlueprintPage {
                shell: Shell::for_user("My therapy blueprint", &user),
                body: f.body,
                error: Some(e.message),
            });
            *res.status_mut() = e.status;
            res
        }
        Err(e) => error_page(e, user.theme),
    }
}
