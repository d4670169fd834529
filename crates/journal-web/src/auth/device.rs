//! The device cookie (see `journal_app::accounts::device` for what its value proves): issued on
//! sign-in, read back on the next attempt.

use axum::http::{HeaderMap, HeaderValue};

use crate::auth::cookie;
use crate::error::AppError;
use crate::state::AppState;

use journal_app::accounts::device::MAX_AGE;

/// A fresh device cookie for `email`, issued now.
pub async fn issue(state: &AppState, email: &str) -> Result<HeaderValue, AppError> {
    let value = journal_app::accounts::device::issue(state, email).await?;
    let secure = if state.config.is_https() { "; Secure" } else { "" };
    let text = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE}{secure}",
        state.config.device_cookie_name()
    );
    HeaderValue::from_str(&text).map_err(|_| AppError::internal())
}

/// The device cookie's value, when the browser sent one.
pub fn presented<'a>(state: &AppState, headers: &'a HeaderMap) -> Option<&'a str> {
    cookie::find(headers, state.config.device_cookie_name())
}
