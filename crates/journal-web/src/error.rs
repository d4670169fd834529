//! One error type for the whole web layer. Each case has one status and one stable `code`; the
//! JSON form is `{"error":{"code":"…","message":"…"}}`. Internal details go to the log (without
//! user content) and never to the client.

use std::borrow::Cow;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use journal_app::ServiceError;
use journal_core::validate::ValidationError;
use serde::Serialize;

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<Cow<'static, str>>,
    pub retry_after: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable snake_case code for programs.
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), field: None, retry_after: None }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "not_logged_in", "Please sign in to continue.")
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "We couldn't find that.")
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: Some(Cow::Borrowed(field)),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message)
        }
    }

    /// Says how long to wait, in words that agree with `Retry-After`.
    pub fn rate_limited(retry_after: u64) -> Self {
        let secs = retry_after.max(1);
        Self {
            retry_after: Some(secs),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "There have been too many attempts, so we paused them to keep the account safe. \
                     Please try again in {}.",
                    journal_app::error::wait_in_words(secs)
                ),
            )
        }
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Something went wrong on our side. Nothing you wrote was lost; please try again.",
        )
    }

    pub fn unavailable() -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "The journal is not available right now.")
    }

    pub fn storage_full() -> Self {
        Self::new(
            StatusCode::INSUFFICIENT_STORAGE,
            "storage_full",
            "There's no room to save this right now, so it wasn't saved. Everything you already wrote is safe \
             and you can still read it. Please keep a copy of this and try again a little later.",
        )
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.clone(),
                field: self.field.as_deref().map(str::to_owned),
            },
        }
    }
}

impl From<ValidationError> for AppError {
    fn from(e: ValidationError) -> Self {
        AppError::invalid(e.field, e.message)
    }
}

/// The one place a service's error becomes an HTTP status. Codes and messages pass unchanged.
impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        let status = match &e {
            ServiceError::Invalid { .. } | ServiceError::Damaged => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceError::NotFound => StatusCode::NOT_FOUND,
            ServiceError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ServiceError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ServiceError::Conflict { .. } => StatusCode::CONFLICT,
            ServiceError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ServiceError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ServiceError::RateLimited { retry_after } => return AppError::rate_limited(*retry_after),
            ServiceError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ServiceError::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            ServiceError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let field = e.field().map(|f| Cow::Owned(f.to_owned()));
        AppError { status, code: e.code(), message: e.message().into_owned(), field, retry_after: None }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(self.body())).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

pub type ApiResult<T> = Result<T, AppError>;
