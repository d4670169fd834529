//! Wiring: the router with its middleware, and the server loop with graceful shutdown.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;

use crate::state::AppState;

pub fn build_router(state: AppState) -> Router {
    let (api, _) = crate::api::router().split_for_parts();
    let max_body = state.config.max_body_bytes;
    api.route("/api/openapi.json", axum::routing::get(openapi_json))
        .merge(crate::html::router())
        .merge(crate::delivery::routes())
        .merge(crate::html::reminder_delivery_routes())
        .fallback(crate::html::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::auth::csrf::guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::html::presentation))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::headers::security_headers))
        .layer(compression())
        .with_state(state)
}

/// Brotli or gzip, as the browser prefers, for text: pages, styles, scripts, JSON. Images are
/// compressed already. Downloads (exports: zip, age, JSON) are left as they are: they stream from
/// a temporary file, and a download's size should be the file's.
fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{Predicate, SizeAbove};
    let textual = |_: axum::http::StatusCode,
                   _: axum::http::Version,
                   headers: &axum::http::HeaderMap,
                   _: &axum::http::Extensions| {
        let ct = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        !headers.contains_key(axum::http::header::CONTENT_DISPOSITION)
            && [
                "text/html",
                "text/css",
                "text/javascript",
                "application/json",
                "application/manifest+json",
                "image/svg+xml",
            ]
            .iter()
            .any(|t| ct.starts_with(t))
    };
    tower_http::compression::CompressionLayer::new().br(true).gzip(true).compress_when(SizeAbove::new(256).and(textual))
}

/// The OpenAPI 3.1 document, generated from the handlers' annotations.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    crate::api::router().into_openapi()
}

/// The document as this server is configured: over HTTPS its cookie scheme names `__Host-tj_session`.
async fn openapi_json(axum::extract::State(state): axum::extract::State<AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut doc = openapi_document();
    if let Some(components) = doc.components.as_mut() {
        components.add_security_scheme(
            "session_cookie",
            crate::api::session_cookie_scheme(state.config.session_cookie_name()),
        );
    }
    let mut res = axum::Json(doc).into_response();
    res.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-cache"));
    res
}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = build_router(state.clone());
    let sweeper = tokio::spawn(sweep_expired_sessions(state.clone()));
    let delivery = crate::delivery::spawn(state);
    let result = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
    delivery.abort();
    result
}

/// Expired sessions are refused when presented anyway; this only keeps the table small.
async fn sweep_expired_sessions(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        tick.tick().await;
        journal_app::accounts::sweep_expired(&state.app).await;
    }
}
