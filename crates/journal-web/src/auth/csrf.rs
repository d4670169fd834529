//! CSRF defence for every unsafe request (POST, PUT, PATCH, DELETE):
//!
//! 1. the browser must not say the request came from another site (`Sec-Fetch-Site`, `Origin`);
//! 2. when the caller is authenticated by cookie, the request must carry the session's CSRF token,
//!    in `X-CSRF-Token` or, for HTML forms, a `csrf_token` field. A cookie whose session has
//!    ended authenticates no one, so it demands no token either.
//!
//! Bearer-token calls are exempt from (2): a browser never attaches a bearer token on its own.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use journal_crypto::{SessionToken, constant_time_eq};

use crate::error::AppError;
use crate::state::AppState;

pub const HEADER: &str = "x-csrf-token";
pub const FORM_FIELD: &str = "csrf_token";

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Modern browsers say where a request came from in `Sec-Fetch-Site`, and that is decisive: with
/// `Referrer-Policy: no-referrer` they send `Origin: null` even on same-origin form posts. Older
/// clients fall back to comparing `Origin` with our own address.
fn cross_site(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site != "same-origin" && site != "none";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if let Some(public) = public_url {
        return origin != public.trim_end_matches('/');
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    authority != Some(host)
}

fn forbidden(path: &str, code: &'static str, message: &str) -> Response {
    let err = AppError::forbidden(code, message);
    if path.starts_with("/api/") { err.into_response() } else { crate::html::page::error_page(err, "system") }
}

const EXPIRED_FORM: &str = "This form has expired. Please reload the page and try again.";

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !is_unsafe(req.method()) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    if cross_site(req.headers(), state.config.public_url.as_deref()) {
        return forbidden(&path, "cross_site_request", "This request came from another site, so we refused it.");
    }
    let headers = req.headers();
    if headers.contains_key(header::AUTHORIZATION) {
        return next.run(req).await;
    }
    let Some(token) =
        crate::auth::cookie::find(headers, state.config.session_cookie_name()).and_then(SessionToken::parse)
    else {
        return next.run(req).await;
    };
    let expected = token.csrf_token();
    // A cookie left behind by a session that has ended protects nothing, so a request without
    // the token goes on as if there were no cookie (it is then simply not signed in). Looking
    // the session up only when the token is wrong keeps the usual request free of that query.
    let refuse = |message: &str| {
        let (state, path, message) = (state.clone(), path.clone(), message.to_owned());
        async move {
            match crate::auth::names_live_session(&state, token).await {
                Ok(true) => Some(forbidden(&path, "csrf_failed", &message)),
                Ok(false) => None,
                Err(e) if path.starts_with("/api/") => Some(e.into_response()),
                Err(e) => Some(crate::html::page::error_page(e, "system")),
            }
        }
    };
    if let Some(sent) = headers.get(HEADER).and_then(|v| v.to_str().ok()) {
        if constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
            return next.run(req).await;
        }
        return match refuse(EXPIRED_FORM).await {
            Some(res) => res,
            None => next.run(req).await,
        };
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    // A file upload can't be read here without buffering it, so its form carries the token in
    // its action's query string instead (never sent on as a Referer: Referrer-Policy is no-referrer).
    if content_type.starts_with("multipart/form-data") {
        let sent = req.uri().query().and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .ok()
                .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == FORM_FIELD).map(|(_, v)| v))
        });
        if sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), expected.as_bytes())) {
            return next.run(req).await;
        }
        return match refuse(EXPIRED_FORM).await {
            Some(res) => res,
            None => next.run(req).await,
        };
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form {
        return match refuse("The X-CSRF-Token header is missing. Get it from GET /api/v1/session.").await {
            Some(res) => res,
            None => next.run(req).await,
        };
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, state.config.max_body_bytes).await else {
        return AppError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "That is more than we can take at once.",
        )
        .into_response();
    };
    let sent = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == FORM_FIELD).map(|(_, v)| v));
    if sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), expected.as_bytes())) {
        return next.run(Request::from_parts(parts, Body::from(bytes))).await;
    }
    match refuse(EXPIRED_FORM).await {
        Some(res) => res,
        None => next.run(Request::from_parts(parts, Body::from(bytes))).await,
    }
}
