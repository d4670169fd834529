//! `PageForm<T>`: axum's form extractor, with failures shown as a page instead of plain text.

use axum::extract::{FromRequest, Request};
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;

pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let theme = crate::auth::cookie::theme(req.headers());
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PageForm(v)),
            Err(rejection) => {
                let status = rejection.status();
                let err = if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::new(status, "too_large", "That is more than we can take at once.")
                } else {
                    AppError::new(
                        axum::http::StatusCode::BAD_REQUEST,
                        "bad_form",
                        "Some of the form didn't come through. Please go back and try again.",
                    )
                };
                Err(super::page::error_page(err, theme))
            }
        }
    }
}

/// A page's query string, read with the API's rules (`api::json::parse_query`), so a bad or
/// missing parameter gets a page that says what was wrong instead of axum's plain-text 400.
pub struct PageQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S> for PageQuery<T> {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        crate::api::json::parse_query(parts.uri.query().unwrap_or(""))
            .map(PageQuery)
            .map_err(|e| super::page::error_page(e, crate::auth::cookie::theme(&parts.headers)))
    }
}
