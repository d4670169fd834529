//! What every page's layout needs (title, who is signed in, the CSRF token for forms, the theme),
//! and `PageUser`, which sends anonymous visitors to the sign-in page.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::Role;

use crate::auth::{CurrentUser, authenticate, cookie, presented_token};
use crate::server::AppState;

pub struct Shell {
    pub title: String,
    pub user_name: Option<String>,
    pub is_therapist: bool,
    pub csrf: String,
    pub theme: &'static str,
}

impl Shell {
    pub fn anonymous(title: &str, theme: &'static str) -> Self {
        Self { title: title.to_owned(), user_name: None, is_therapist: false, csrf: String::new(), theme }
    }

    pub fn for_user(title: &str, user: &PageUser) -> Self {
        Self {
            title: title.to_owned(),
            user_name: Some(user.current.unlocked.user().display_name.clone()),
            is_therapist: user.current.unlocked.user().role == Role::Therapist,
            csrf: user.current.csrf_token(),
            theme: user.theme,
        }
    }
}

pub struct PageUser {
    pub current: CurrentUser,
    pub theme: &'static str,
}

/// Where to send someone after they sign in: only paths on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let theme = cookie::theme(&parts.headers);
        let cookie_name = state.config.session_cookie_name();
        let to_login = || {
            let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let next: String = url_encode(path);
            let mut res = Redirect::to(&format!("/login?next={next}")).into_response();
            // A cookie that got someone sent here names no live session; the browser can drop it.
            if cookie::find(&parts.headers, cookie_name).is_some() {
                res.headers_mut().append(header::SET_COOKIE, cookie::clear_session_cookie(&state.config));
            }
            res
        };
        let Some((token, via)) = presented_token(&parts.headers, state.config.session_cookie_name()) else {
            return Err(to_login());
        };
        match authenticate(state, token, via).await {
            Ok(current) => Ok(PageUser { current, theme }),
            Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => Err(to_login()),
            Err(e) => Err(super::error_page(e, theme)),
        }
    }
}

pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
