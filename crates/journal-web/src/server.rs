//! Wiring: the state every handler shares, the router with its middleware, and the server loop
//! with graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use journal_core::Store;
use journal_core::search::cache::SearchCache;
use tokio::net::TcpListener;

use crate::auth::kdf::KdfWorkers;
use crate::auth::rate_limit::ServerKeys;
use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    /// Derived from the database's server secret on first use.
    pub server_keys: Arc<tokio::sync::OnceCell<ServerKeys>>,
    pub kdf: KdfWorkers,
    pub search: Arc<SearchCache>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        let search = Arc::new(SearchCache::new(config.search_cache_bytes));
        Self { store, config: Arc::new(config), server_keys: Arc::default(), kdf: KdfWorkers::default(), search }
    }

    /// CPU-heavy work that is not Argon2 (decrypting and indexing a journal) on a blocking thread.
    pub async fn run_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, crate::error::AppError> {
        tokio::task::spawn_blocking(work).await.map_err(|_| crate::error::AppError::internal())
    }
}

pub fn build_router(state: AppState) -> Router {
    let (api, _) = crate::api::router().split_for_parts();
    let max_body = state.config.max_body_bytes;
    api.route("/api/openapi.json", axum::routing::get(openapi_json))
        .merge(crate::html::router())
        .merge(crate::delivery::routes())
        .merge(crate::html::reminder_delivery_routes())
        .fallback(crate::html::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::auth::csrf::guard))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::headers::security_headers))
        .with_state(state)
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
        let now = journal_core::time_util::now();
        let idle = i64::try_from(state.config.session_idle.as_secs()).unwrap_or(i64::MAX / 2);
        if let Err(e) = state.store.delete_expired_sessions(now, now - idle).await {
            tracing::warn!(error = %e, "could not sweep expired sessions");
        }
        if let Err(e) = state.store.delete_expired_counters(now).await {
            tracing::warn!(error = %e, "could not sweep sign-in attempt counters");
        }
        // Decrypted search indexes do not outlive the sessions that could use them.
        state.search.evict_idle(state.config.session_idle);
    }
}
