//! Reminders that are sent, as far as HTTP goes: the webhook transport the worker in
//! `journal_app::reminders` sends through, the worker's start, and the stop and snooze links.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use journal_app::reminders::{self, Message, Transport};

use crate::state::AppState;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Webhooks over plain HTTP with the client axum's hyper already brings.
struct Webhooks(HttpClient);

impl Transport for Webhooks {
    fn post_webhook<'a>(
        &'a self,
        url: &'a str,
        msg: &'a Message,
        timeout: Duration,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(post_webhook(&self.0, url, msg, timeout))
    }
}

/// Starts the worker; it runs until the returned handle is aborted.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let settings = &state.settings.delivery;
        if !settings.enabled {
            return;
        }
        let worker = format!("w{}", hex(&journal_crypto::random_bytes::<8>()));
        let transport: Arc<dyn Transport> = Arc::new(Webhooks(Client::builder(TokioExecutor::new()).build_http()));
        let mut tick = tokio::time::interval(settings.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = reminders::deliver_due(&state, &transport, &worker).await {
                tracing::warn!(error = %e, "reminder delivery round failed");
            }
        }
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The body is plain text, which ntfy, Gotify's and Apprise's plain endpoints and Home Assistant
/// take as the message; ntfy also gets a click-through to stop and a snooze action.
async fn post_webhook(client: &HttpClient, url: &str, msg: &Message, timeout: Duration) -> Result<(), String> {
    let body =
        format!("{}\n\nSnooze for an hour: {}\nStop these reminders: {}\n", msg.line, msg.snooze_url, msg.stop_url);
    let request = axum::http::Request::post(url)
        .header(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header("Title", msg.line)
        .header(
            "Actions",
            format!("http, Snooze 1 hour, {}, method=POST; view, Stop, {}", msg.snooze_url, msg.stop_url),
        )
        .body(Full::new(Bytes::from(body)))
        .map_err(|_| "bad_url".to_owned())?;
    match tokio::time::timeout(timeout, client.request(request)).await {
        Err(_) => Err("timeout".to_owned()),
        Ok(Err(e)) if e.is_connect() => Err("connect".to_owned()),
        Ok(Err(_)) => Err("http_error".to_owned()),
        Ok(Ok(res)) if res.status().is_success() => Ok(()),
        Ok(Ok(res)) => Err(format!("http_{}", res.status().as_u16())),
    }
}

/// The stop and snooze links in messages. They work without signing in (the link carries its own
/// MAC) and with one click; POST does the same for ntfy's action buttons.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/reminders/stop/{id}/{token}", get(stop_link).post(stop_link))
        .route("/reminders/snooze/{id}/{token}", get(snooze_link).post(snooze_link))
}

fn small_page(status: axum::http::StatusCode, title: &str, text: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let css = crate::html::assets::url("app.css");
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" \
         href=\"{css}\"></head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
    );
    (status, axum::response::Html(page)).into_response()
}

async fn stop_link(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path((id, token)): axum::extract::Path<(String, String)>,
) -> axum::response::Response {
    use axum::http::StatusCode;
    match reminders::stop(&state, &id, &token).await {
        Ok(true) => small_page(
            StatusCode::OK,
            "Reminder stopped",
            "This reminder won't come again. You can set up reminders any time on the reminders page.",
        ),
        Ok(false) => small_page(
            StatusCode::NOT_FOUND,
            "Nothing to stop",
            "This reminder has already stopped, or the link is not complete.",
        ),
        Err(_) => small_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Please try again",
            "We couldn't stop the reminder just now. Please try the link again in a minute.",
        ),
    }
}

async fn snooze_link(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path((id, token)): axum::extract::Path<(String, String)>,
) -> axum::response::Response {
    use axum::http::StatusCode;
    match reminders::snooze(&state, &id, &token).await {
        Ok(true) => small_page(StatusCode::OK, "See you in an hour", "This reminder will come again in an hour."),
        Ok(false) => small_page(
            StatusCode::NOT_FOUND,
            "Nothing to snooze",
            "This reminder has stopped, is being sent right now, or the link is not complete.",
        ),
        Err(_) => small_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Please try again",
            "We couldn't snooze the reminder just now. Please try the link again in a minute.",
        ),
    }
}
