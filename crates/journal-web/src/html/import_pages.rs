//! "Your data" (`/settings/data`): export, and importing with an upload, a preview to check, then
//! the import itself. The uploaded file waits between the two steps sealed under the person's
//! records key. A refused export or import shows its error next to its own form, with the field
//! focused, so it is on screen without JavaScript.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use journal_core::records::{IMPORT_PENDING as PENDING, open_document_bytes, seal_document_bytes};
use journal_core::time_util::now;
use serde::Deserialize;

use super::{PageForm, PageUser, Shell, error_page, render};
use crate::error::AppError;
use crate::import::{Imported, Preview};
use crate::server::AppState;

struct Pending {
    format: String,
    mood_map: Option<String>,
    data: Vec<u8>,
}

impl Pending {
    /// Two length-prefixed strings, then the file's bytes as they came.
    fn encode(&self) -> Vec<u8> {
        let map = self.mood_map.clone().unwrap_or_default();
        let mut out = Vec::with_capacity(self.data.len() + 64);
        for s in [self.format.as_bytes(), map.as_bytes()] {
            out.extend_from_slice(&(s.len() as u32).to_be_bytes());
            out.extend_from_slice(s);
        }
        out.extend_from_slice(&self.data);
        out
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut rest = bytes;
        let mut take = || -> Option<String> {
            let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
            let s = String::from_utf8(rest.get(4..4 + len)?.to_vec()).ok()?;
            rest = &rest[4 + len..];
            Some(s)
        };
        let format = take()?;
        let map = take()?;
        Some(Self { format, mood_map: Some(map).filter(|m| !m.is_empty()), data: rest.to_vec() })
    }
}

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
pub fn data_page(user: &PageUser, error: Option<(AppError, DataForm)>) -> Response {
    let error = match error {
        Some((e, _)) if !e.status.is_client_error() => return error_page(e, user.theme),
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
    res
}

pub async fn show(user: PageUser) -> Response {
    data_page(&user, None)
}

fn refused(user: &PageUser, e: AppError) -> Response {
    data_page(user, Some((e, DataForm::Import)))
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
    let (fmt, batch) = match crate::import::read(&user.current, &format, &data, mood_map.as_deref()) {
        Ok(x) => x,
        Err(e) => return refused(&user, e),
    };
    let preview = match crate::import::preview(&state, &user.current, fmt, &batch).await {
        Ok(p) => p,
        Err(e) => return refused(&user, e),
    };
    let pending = Pending { format, mood_map, data };
    let blob = seal_document_bytes(&user.current.unlocked, PENDING, &pending.encode());
    if let Err(e) = state.store.put_document(user.current.id(), PENDING, &blob, now()).await {
        return error_page(e.into(), user.theme);
    }
    render(&PreviewPage { shell: Shell::for_user("Check your import", &user), p: preview })
}

#[derive(Deserialize)]
pub struct Confirm {}

pub async fn confirm(State(state): State<AppState>, user: PageUser, PageForm(_): PageForm<Confirm>) -> Response {
    let pending: Pending = match state.store.document(user.current.id(), PENDING).await {
        Ok(Some((blob, _))) if !blob.is_empty() => {
            match open_document_bytes(&user.current.unlocked, PENDING, &blob).ok().and_then(|b| Pending::decode(&b)) {
                Some(p) => p,
                None => return error_page(AppError::internal(), user.theme),
            }
        }
        Ok(_) => {
            return refused(&user, invalid("There's no file waiting to be imported. Please upload it again."));
        }
        Err(e) => return error_page(e.into(), user.theme),
    };
    let result = match crate::import::read(&user.current, &pending.format, &pending.data, pending.mood_map.as_deref()) {
        Ok((_, batch)) => crate::import::apply(&state, &user.current, batch).await,
        Err(e) => Err(e),
    };
    let _ = state.store.put_document(user.current.id(), PENDING, &[], now()).await;
    match result {
        Ok(done) => render(&DonePage { shell: Shell::for_user("Imported", &user), done }),
        Err(e) => refused(&user, e),
    }
}
