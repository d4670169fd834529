//! One error type for every service. Each case carries the stable `code` and the sentence that
//! clients see today; what it means in HTTP (a status, `Retry-After`) is decided only by the web
//! layer's `error.rs`, and the command line prints the code and message as they are.

use std::borrow::Cow;

use journal_core::StoreError;
use journal_core::validate::ValidationError;

#[derive(Debug)]
pub enum ServiceError {
    /// An input field is wrong (`invalid_field`).
    Invalid { field: Cow<'static, str>, message: String },
    /// The thing asked for does not exist, or is not this user's to see (`not_found`).
    NotFound,
    /// No usable credentials, or the wrong ones. `field` names the input at fault, if any.
    Unauthorized { code: &'static str, message: String, field: Option<&'static str> },
    /// Signed in, but this is not allowed.
    Forbidden { code: &'static str, message: String },
    /// The request clashes with what is already there.
    Conflict { code: &'static str, message: String },
    /// The request cannot be carried out as asked.
    BadRequest { code: &'static str, message: String },
    /// The input is larger than the service takes.
    TooLarge { code: &'static str, message: String },
    /// An item failed to decrypt with its owner's key (`item_damaged`).
    Damaged,
    /// Too many attempts; try again in this many seconds (at least one).
    RateLimited { retry_after: u64 },
    /// The database cannot be reached.
    Unavailable,
    /// The database has no room to save.
    StorageFull,
    /// A fault on the server's side; details are in the log, never in the answer.
    Internal,
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Invalid { field: Cow::Borrowed(field), message: message.into() }
    }

    pub fn not_found() -> Self {
        ServiceError::NotFound
    }

    /// No credentials, or ones that no longer work (`not_logged_in`).
    pub fn unauthorized() -> Self {
        Self::unauthorized_as("not_logged_in", "Please sign in to continue.")
    }

    pub fn unauthorized_as(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Unauthorized { code, message: message.into(), field: None }
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Forbidden { code, message: message.into() }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Conflict { code, message: message.into() }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::BadRequest { code, message: message.into() }
    }

    pub fn too_large(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::TooLarge { code, message: message.into() }
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        ServiceError::RateLimited { retry_after: retry_after.max(1) }
    }

    pub fn internal() -> Self {
        ServiceError::Internal
    }

    pub fn unavailable() -> Self {
        ServiceError::Unavailable
    }

    pub fn storage_full() -> Self {
        ServiceError::StorageFull
    }

    /// Names the input at fault on a refused credential (e.g. which password was wrong).
    pub fn with_field(self, at: &'static str) -> Self {
        match self {
            ServiceError::Unauthorized { code, message, .. } => {
                ServiceError::Unauthorized { code, message, field: Some(at) }
            }
            ServiceError::Invalid { message, .. } => ServiceError::Invalid { field: Cow::Borrowed(at), message },
            other => other,
        }
    }

    /// The stable snake_case code programs match on.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Invalid { .. } => "invalid_field",
            ServiceError::NotFound => "not_found",
            ServiceError::Unauthorized { code, .. }
            | ServiceError::Forbidden { code, .. }
            | ServiceError::Conflict { code, .. }
            | ServiceError::BadRequest { code, .. }
            | ServiceError::TooLarge { code, .. } => code,
            ServiceError::Damaged => "item_damaged",
            ServiceError::RateLimited { .. } => "rate_limited",
            ServiceError::Unavailable => "unavailable",
            ServiceError::StorageFull => "storage_full",
            ServiceError::Internal => "internal_error",
        }
    }

    /// The sentence for people.
    pub fn message(&self) -> Cow<'_, str> {
        match self {
            ServiceError::Invalid { message, .. }
            | ServiceError::Unauthorized { message, .. }
            | ServiceError::Forbidden { message, .. }
            | ServiceError::Conflict { message, .. }
            | ServiceError::BadRequest { message, .. }
            | ServiceError::TooLarge { message, .. } => Cow::Borrowed(message),
            ServiceError::NotFound => Cow::Borrowed("We couldn't find that."),
            ServiceError::Damaged => Cow::Borrowed(
                "This item can't be opened: it seems to have been damaged. Everything else is safe and works as usual.",
            ),
            ServiceError::RateLimited { retry_after } => Cow::Owned(format!(
                "There have been too many attempts, so we paused them to keep the account safe. \
                 Please try again in {}.",
                wait_in_words(*retry_after)
            )),
            ServiceError::Unavailable => Cow::Borrowed("The journal is not available right now."),
            ServiceError::StorageFull => Cow::Borrowed(
                "There's no room to save this right now, so it wasn't saved. Everything you already wrote is safe \
                 and you can still read it. Please keep a copy of this and try again a little later.",
            ),
            ServiceError::Internal => {
                Cow::Borrowed("Something went wrong on our side. Nothing you wrote was lost; please try again.")
            }
        }
    }

    /// The input field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ServiceError::Invalid { field, .. } => Some(field),
            ServiceError::Unauthorized { field, .. } => *field,
            _ => None,
        }
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ServiceError {}

impl From<ValidationError> for ServiceError {
    fn from(e: ValidationError) -> Self {
        ServiceError::Invalid { field: Cow::Borrowed(e.field), message: e.message }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => ServiceError::conflict("conflict", format!("That {what} is already taken.")),
            StoreError::Backend(msg) => {
                tracing::error!(error = %msg, "store failure");
                ServiceError::Unavailable
            }
            StoreError::Full(msg) => {
                tracing::error!(error = %msg, "storage full");
                ServiceError::StorageFull
            }
        }
    }
}

/// "12 seconds", "1 minute", "15 minutes": rounded up, so it is never shorter than `Retry-After`.
pub fn wait_in_words(secs: u64) -> String {
    match secs {
        0 | 1 => "1 second".to_owned(),
        2..=59 => format!("{secs} seconds"),
        _ => match secs.div_ceil(60) {
            1 => "1 minute".to_owned(),
            m => format!("{m} minutes"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_said_in_words_and_rounded_up() {
        assert_eq!(wait_in_words(1), "1 second");
        assert_eq!(wait_in_words(45), "45 seconds");
        assert_eq!(wait_in_words(60), "1 minute");
        assert_eq!(wait_in_words(61), "2 minutes");
        assert_eq!(wait_in_words(900), "15 minutes");
    }
}
