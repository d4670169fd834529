//! Who is asking: a session cookie (browsers) or a bearer token (scripts), each turned into an
//! `UnlockedUser` whose data key was unwrapped with the token the client presented.

pub mod client_ip;
pub mod cookie;
pub mod csrf;
pub mod device;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use journal_app::ServiceError;
use journal_core::UnlockedUser;
use journal_crypto::SessionToken;

use crate::error::AppError;
use crate::state::AppState;

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

/// Services take the unlocked user; how it arrived matters only here.
impl std::ops::Deref for CurrentUser {
    type Target = UnlockedUser;

    fn deref(&self) -> &UnlockedUser {
        &self.unlocked
    }
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
    let unlocked = journal_app::accounts::authenticate(state, &token).await?;
    Ok(CurrentUser { unlocked, token, via })
}

/// Whether a session cookie names a session that can still be used. A dead one (expired,
/// signed out, unknown) counts as no session at all: it must not stand in the way of signing in.
pub async fn names_live_session(state: &AppState, token: SessionToken) -> Result<bool, AppError> {
    match journal_app::accounts::authenticate(state, &token).await {
        Ok(_) => Ok(true),
        Err(ServiceError::Unauthorized { .. }) => Ok(false),
        Err(e) => Err(e.into()),
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
        match journal_app::accounts::authenticate(state, &token).await {
            Ok(unlocked) => Ok(MaybeUser(Some(CurrentUser { unlocked, token, via }))),
            Err(ServiceError::Unauthorized { .. }) => Ok(MaybeUser(None)),
            Err(e) => Err(e.into()),
        }
    }
}
