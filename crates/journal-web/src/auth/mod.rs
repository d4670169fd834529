//! Who is asking: a session cookie (browsers) or a bearer token (scripts), each turned into an
//! `UnlockedUser` whose data key was unwrapped with the token the client presented.

pub mod client_ip;
pub mod cookie;
pub mod csrf;
pub mod device;
pub mod kdf;
pub mod rate_limit;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use journal_core::accounts::unlock_session;
use journal_core::time_util::now;
use journal_core::{SessionKind, UnlockedUser};
use journal_crypto::SessionToken;

use crate::error::AppError;
use crate::server::AppState;

/// How the credential arrived; only cookies need CSRF protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVia {
    Cookie,
    Bearer,
}

pub struct CurrentUser {
    pub unlocked: UnlockedUser,
    pub token: SessionToken,
    pub via: AuthVia,
}

impl CurrentUser {
    pub fn csrf_token(&self) -> String {
        self.token.csrf_token()
    }

    pub fn id(&self) -> &str {
        self.unlocked.id()
    }
}

/// Finds the presented credential without touching the database.
pub fn presented_token(headers: &HeaderMap, cookie_name: &str) -> Option<(SessionToken, AuthVia)> {
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?;
        return SessionToken::parse(token.trim()).map(|t| (t, AuthVia::Bearer));
    }
    let value = cookie::find(headers, cookie_name)?;
    SessionToken::parse(value).map(|t| (t, AuthVia::Cookie))
}

/// Looks the token up, applies idle and absolute expiry, and unwraps the data key.
pub async fn authenticate(state: &AppState, token: SessionToken, via: AuthVia) -> Result<CurrentUser, AppError> {
    let store = &state.store;
    let (session, user) = store.session_and_user(&token.hash()).await?.ok_or_else(AppError::unauthorized)?;
    let now = now();
    let idle = i64::try_from(state.config.session_idle.as_secs()).unwrap_or(i64::MAX);
    let expired = session.expires_at.is_some_and(|at| at <= now)
        || (session.kind == SessionKind::Browser && now.saturating_sub(session.last_seen_at) > idle);
    if expired {
        store.delete_session(&session.user_id, &session.id).await?;
        return Err(AppError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "session_expired",
            "You were signed out to keep your journal private. Please sign in again.",
        ));
    }
    let dek = unlock_session(&session, &token).ok_or_else(AppError::unauthorized)?;
    if user.disabled {
        return Err(AppError::unauthorized());
    }
    // Recording activity costs a write; once a minute is precise enough for a 30-minute timeout,
    // and a shorter timeout is recorded at least twice per timeout so use keeps it alive.
    if now - session.last_seen_at >= (idle / 2).min(60) {
        store.touch_session(&session.id, now).await?;
    }
    Ok(CurrentUser { unlocked: UnlockedUser::in_session(user, dek, session.id, session.kind), token, via })
}

/// Whether a session cookie names a session that can still be used. A dead one (expired,
/// signed out, unknown) counts as no session at all: it must not stand in the way of signing in.
pub async fn names_live_session(state: &AppState, token: SessionToken) -> Result<bool, AppError> {
    match authenticate(state, token, AuthVia::Cookie).await {
        Ok(_) => Ok(true),
        Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => Ok(false),
        Err(e) => Err(e),
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let (token, via) =
            presented_token(&parts.headers, state.config.session_cookie_name()).ok_or_else(AppError::unauthorized)?;
        authenticate(state, token, via).await
    }
}

/// The same, but absent credentials are not an error (pages that anyone may see).
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some((token, via)) = presented_token(&parts.headers, state.config.session_cookie_name()) else {
            return Ok(MaybeUser(None));
        };
        match authenticate(state, token, via).await {
            Ok(user) => Ok(MaybeUser(Some(user))),
            Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => Ok(MaybeUser(None)),
            Err(e) => Err(e),
        }
    }
}
