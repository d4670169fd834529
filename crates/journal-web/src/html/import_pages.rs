//! "Your data" (`/settings/data`): export, and importing with an upload, a preview to check, then
//! the import itself. The uploaded file waits between the two steps sealed under the person's
//! records key. A refused export or import shows its error next to its own form, with the field
//! focused, so it is on screen without JavaScript.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::form::PageForm;
use super::page::{PageError, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::portability::import::{Imported, Preview};

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    shell: Shell,
    p: Preview,
}

#[derive(Template)]
#[template(path = "import_done.html")]
struct DonePage {
    shell: Shell,
    done: Imported,
}

fn invalid(message: &str) -> AppError {
    AppError::invalid("file", message.to_owned())
}

#[derive(Template)]
#[template(path = "data.html")]
struct DataPage {
    shell: Shell,
    export_error: Option<AppError>,
    /// Which export field to focus: `password`, `passphrase` or none.
    export_focus: &'static str,
    import_error: Option<AppError>,
}

/// Which form a refused request came from.
pub enum DataForm {
    Export,
    Import,
}

/// The page, with a refused request's error next to its form (server errors get the error page).
pub fn data_page(user: &PageUser, error: Option<(AppError, DataForm)>) -> Result<Response, PageError> {
    let error = match error {
        Some((e, _)) if !e.status.is_client_error() => return Err(PageError::new(e, user.theme)),
        other => other,
    };
    let status = error.as_ref().map(|(e, _)| e.status);
    let (export_error, import_error) = match error {
        Some((e, DataForm::Export)) => (Some(e), None),
        Some((e, DataForm::Import)) => (None, Some(e)),
        None => (None, None),
    };
    let export_focus = match export_error.as_ref().map(|e| e.field.as_deref()) {
        Some(Some("passphrase")) => "passphrase",
        Some(_) => "password",
        None => "",
    };
    let mut res =
        render(&DataPage { shell: Shell::for_user("Your data", user), export_error, export_focus, import_error });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    Ok(res)
}

pub async fn show(user: PageUser) -> Response {
    data_page(&user, None).into_response()
}

fn refused(user: &PageUser, e: impl Into<AppError>) -> Response {
    let e = e.into();
    data_page(user, Some((e, DataForm::Import))).into_response()
}

pub async fn upload(State(state): State<AppState>, user: PageUser, mut form: Multipart) -> Response {
    let (mut format, mut mood_map, mut data) = (String::new(), None, Vec::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                match field.bytes().await {
                    Ok(bytes) => match name.as_str() {
                        "format" => format = String::from_utf8_lossy(&bytes).into_owned(),
                        "mood_map" => {
                            mood_map =
                                Some(String::from_utf8_lossy(&bytes).into_owned()).filter(|m| !m.trim().is_empty())
                        }
                        "file" => data = bytes.to_vec(),
                        _ => {}
                    },
                    Err(_) => {
                        return refused(
                            &user,
                            invalid("The file didn't arrive whole. Files up to 50 MB can be imported."),
                        );
                    }
                }
            }
            Ok(None) => break,
            Err(_) => return refused(&user, invalid("The upload didn't come through. Please try again.")),
        }
    }
    if data.is_empty() {
        return refused(&user, invalid("Please choose a file to import."));
    }
    match journal_app::portability::import::stage(&state, &user.current, format, mood_map, data).await {
        Ok(preview) => render(&PreviewPage { shell: Shell::for_user("Check your import", &user), p: preview }),
        Err(e) => refused(&user, e),
    }
}

#[derive(Deserialize)]
pub struct Confirm {}

pub async fn confirm(State(state): State<AppState>, user: PageUser, PageForm(_): PageForm<Confirm>) -> Response {
    let result = journal_app::portability::import::confirm(&state, &user.current).await;
    match result {
        Ok(done) => render(&DonePage { shell: Shell::for_user("Imported", &user), done }),
        Err(e) => refused(&user, e),
    }
}
