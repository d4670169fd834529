//! Headers on every response: a strict Content-Security-Policy (no inline script or style),
//! no framing, no sniffing, no referrer, no caching of private pages, HSTS over HTTPS. Also
//! makes sure every API error has the JSON error shape, including the ones axum produces itself
//! (404, 405, 413).

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; \
base-uri 'none'";

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    // A script or page that calls the API with a cookie from an ended session is told to drop it,
    // as the pages do on their redirect to the sign-in page.
    let cookie_token = match crate::auth::presented_token(req.headers(), state.config.session_cookie_name()) {
        Some((token, crate::auth::AuthVia::Cookie)) if is_api => Some(token),
        _ => None,
    };
    let mut res = next.run(req).await;
    if res.status() == axum::http::StatusCode::UNAUTHORIZED
        && !res.headers().contains_key(header::SET_COOKIE)
        && let Some(token) = cookie_token
        && matches!(crate::auth::names_live_session(&state, token).await, Ok(false))
    {
        res.headers_mut().append(header::SET_COOKIE, crate::auth::cookie::clear_session_cookie(&state.config));
    }
    if is_api && (res.status().is_client_error() || res.status().is_server_error()) {
        let is_json = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json"));
        if !is_json {
            res = normalise_api_error(res).await;
        }
    }
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    );
    if state.config.is_https() {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

async fn normalise_api_error(res: Response) -> Response {
    let status = res.status();
    let (parts, body) = res.into_parts();
    // The body of a framework error is a short plain-text reason; it is safe to read, never shown.
    let _ = to_bytes(body, 64 * 1024).await;
    let err = match status.as_u16() {
        404 => AppError::not_found(),
        405 => AppError::new(status, "method_not_allowed", "That method is not allowed here."),
        413 => AppError::new(status, "too_large", "That is more than we can take at once."),
        415 => AppError::new(status, "unsupported_media_type", "Please send JSON with Content-Type: application/json."),
        s if s >= 500 => AppError::internal(),
        _ => AppError::new(status, "bad_request", "That request could not be understood."),
    };
    let mut new = err.into_response();
    for (name, value) in parts.headers.iter() {
        if name == header::ALLOW || name == header::RETRY_AFTER || name == header::SET_COOKIE {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    new
}
