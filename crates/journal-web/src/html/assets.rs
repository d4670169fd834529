//! Static files, embedded in the binary so one file is the whole app.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::server::AppState;

const CSS: &str = include_str!("static/app.css");
const JS: &str = include_str!("static/app.js");
const ICON: &str = include_str!("static/icon.svg");
const MANIFEST: &str = include_str!("static/manifest.webmanifest");

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Short, so a new release shows within the hour without fingerprinted file names.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { asset(CSS, "text/css; charset=utf-8") }))
        .route("/static/app.js", get(|| async { asset(JS, "text/javascript; charset=utf-8") }))
        .route("/static/icon.svg", get(|| async { asset(ICON, "image/svg+xml") }))
        .route("/favicon.ico", get(|| async { asset(ICON, "image/svg+xml") }))
        .route("/manifest.webmanifest", get(|| async { asset(MANIFEST, "application/manifest+json") }))
}
