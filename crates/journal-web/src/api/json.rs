//! `ApiJson<T>`: axum's JSON extractor with our error shape. Malformed JSON is 400, a body that
//! is well-formed but has wrong or missing fields is 422 (serde's message names the field), a
//! missing content type is 415 and an oversized body 413.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_error(rejection)),
        }
    }
}

fn json_error(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::JsonDataError(e) => {
            AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", clean(&e.body_text()))
        }
        JsonRejection::JsonSyntaxError(_) => {
            AppError::bad_request("invalid_json", "The request body is not valid JSON.")
        }
        JsonRejection::MissingJsonContentType(_) => AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Please send JSON with Content-Type: application/json.",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "That is more than we can take at once.")
        }
        _ => AppError::bad_request("bad_request", "The request body could not be read."),
    }
}

/// serde's messages are good ("missing field `email`") but carry a prefix about the body.
fn clean(text: &str) -> String {
    let text = text.strip_prefix("Failed to deserialize the JSON body into the target type: ").unwrap_or(text);
    let mut out = String::with_capacity(text.len() + 1);
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.extend(chars);
    }
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
