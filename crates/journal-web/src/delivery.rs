//! Reminders that are sent: the worker `serve` starts, and what people set up for it (channels and
//! scheduled reminders).
//!
//! Every few seconds each app server claims the jobs that are due (the store hands each one to
//! exactly one server: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the single writer on SQLite), sends
//! them, and stores each reminder's next due time. A failure is retried with backoff and counted
//! on the channel, which the reminders page shows. A job found more than an hour late (the server
//! was down) is not sent but moved on to its next occurrence, so a restart never sends a burst.
//!
//! Messages carry only a neutral line ([`NEUTRAL_LINE`]) unless the person chose specific
//! wording, and even then only the kind of moment: never journal text, goal titles, moods,
//! questionnaire names or the app's name. Nothing here reads anyone's data key.
//!
//! Channels today: webhooks (ntfy topics, Gotify, Home Assistant, Apprise API) over plain HTTP.
//! Web Push is meant to be a third `ChannelKind` with its own `send` arm; email needs an SMTP
//! transport that this build does not include yet, so email is not offered.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use jiff::tz::TimeZone;
use journal_core::reminder_delivery::{
    ChannelKind, ClaimedJob, delivery_key, link_key, link_token, link_token_matches, open_destination,
};
use journal_core::reminder_schedule::{NEUTRAL_LINE, Plan, next_due};
use journal_core::time_util::{Timestamp, now};

use crate::server::AppState;

/// How the worker paces itself.
#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// Run the worker at all (tests that never send turn it off to keep quiet).
    pub enabled: bool,
    /// How often each server looks for due jobs.
    pub poll: Duration,
    /// Jobs claimed per round trip.
    pub batch: i64,
    /// How long a claim holds before another server may take the job (a server that died
    /// mid-send): longer than any send can take.
    pub lease_secs: i64,
    /// Jobs later than this are skipped, not sent: after an outage, no burst of stale nudges.
    pub catch_up_secs: i64,
    /// Sends in flight at once per server.
    pub concurrency: usize,
    /// One send's time limit.
    pub timeout: Duration,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            enabled: true,
            poll: Duration::from_secs(15),
            batch: 200,
            lease_secs: 120,
            catch_up_secs: 3600,
            concurrency: 64,
            timeout: Duration::from_secs(10),
        }
    }
}

/// Attempts for one occurrence before it is given up and the next one is scheduled.
const MAX_ATTEMPTS: i64 = 4;

/// The wait before attempt `n + 1`: 30 s, 1 min, 2 min.
fn backoff(attempts: i64) -> i64 {
    30 << (attempts.clamp(1, 6) - 1)
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Starts the worker; it runs until the returned handle is aborted.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if !state.config.delivery.enabled {
            return;
        }
        let worker = format!("w{}", hex(&journal_crypto::random_bytes::<8>()));
        let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
        let mut tick = tokio::time::interval(state.config.delivery.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = deliver_due(&state, &client, &worker).await {
                tracing::warn!(error = %e, "reminder delivery round failed");
            }
        }
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Claims and sends every job due now, batch after batch; returns how many were handled.
pub async fn deliver_due(
    state: &AppState,
    client: &HttpClient,
    worker: &str,
) -> Result<usize, journal_core::StoreError> {
    let settings = &state.config.delivery;
    let limit = Arc::new(tokio::sync::Semaphore::new(settings.concurrency.max(1)));
    let mut handled = 0;
    loop {
        let at = now();
        let jobs = state.store.claim_reminder_jobs(worker, at, settings.lease_secs, settings.batch).await?;
        if jobs.is_empty() {
            return Ok(handled);
        }
        handled += jobs.len();
        let mut set = tokio::task::JoinSet::new();
        for job in jobs {
            let permit = Arc::clone(&limit).acquire_owned().await;
            let (state, client, worker) = (state.clone(), client.clone(), worker.to_owned());
            set.spawn(async move {
                let _permit = permit;
                handle(&state, &client, &worker, job).await;
            });
        }
        while set.join_next().await.is_some() {}
    }
}

/// What a message says and where its links go.
pub struct Message {
    pub line: &'static str,
    pub stop_url: String,
    pub snooze_url: String,
}

fn base_url(state: &AppState) -> String {
    state.config.public_url.clone().unwrap_or_else(|| "http://localhost".to_owned()).trim_end_matches('/').to_owned()
}

pub fn message(state: &AppState, job_id: &str, plan: &Plan, specific: bool) -> Message {
    let key = link_key(&state.config.access_log_key);
    let base = base_url(state);
    Message {
        line: if specific { plan.spec.specific_line() } else { NEUTRAL_LINE },
        stop_url: format!("{base}/reminders/stop/{job_id}/{}", link_token(&key, "stop", job_id)),
        snooze_url: format!("{base}/reminders/snooze/{job_id}/{}", link_token(&key, "snooze", job_id)),
    }
}

async fn handle(state: &AppState, client: &HttpClient, worker: &str, claimed: ClaimedJob) {
    let job = &claimed.job;
    let at = now();
    let tz = TimeZone::get(&claimed.time_zone).unwrap_or(TimeZone::UTC);
    let Ok(plan) = serde_json::from_str::<Plan>(&job.spec) else {
        tracing::error!(job = %job.id, "a reminder's plan could not be read; it stays off");
        let _ = state.store.finish_reminder_job(&job.id, worker, None, false).await;
        return;
    };
    let due = job.due_at.unwrap_or(at);
    let following = next_due(&plan.spec, &tz, plan.quiet, due.max(at));
    let late = at - due > state.config.delivery.catch_up_secs;
    if late || !claimed.channel_verified {
        if late {
            tracing::info!(job = %job.id, late_by = at - due, "a reminder was too late to send; moved on to the next");
        }
        let _ = state.store.finish_reminder_job(&job.id, worker, following, false).await;
        return;
    }
    let result = match claimed.channel_kind {
        ChannelKind::Webhook => {
            let key = delivery_key(&state.config.access_log_key);
            match open_destination(&key, &job.channel_id, &job.user_id, &claimed.destination_sealed) {
                Some(url) => {
                    let msg = message(state, &job.id, &plan, job.specific_wording);
                    post_webhook(client, &url, &msg, state.config.delivery.timeout).await
                }
                None => Err("unreadable".to_owned()),
            }
        }
        // Not offered by this server (see the module's note); a row can only come from elsewhere.
        ChannelKind::Email => Err("email_unavailable".to_owned()),
    };
    let stored = match result {
        Ok(()) => state.store.finish_reminder_job(&job.id, worker, following, true).await,
        Err(code) => {
            let attempts = job.attempts + 1;
            tracing::warn!(job = %job.id, attempts, error = %code, "a reminder could not be delivered");
            let retry_at =
                if attempts < MAX_ATTEMPTS && at + backoff(attempts) - due <= state.config.delivery.catch_up_secs {
                    Some(at + backoff(attempts))
                } else {
                    following
                };
            let attempts = if attempts < MAX_ATTEMPTS { attempts } else { 0 };
            state.store.fail_reminder_job(&job.id, worker, retry_at, attempts, &code, at).await
        }
    };
    if let Err(e) = stored {
        tracing::warn!(job = %job.id, error = %e, "a reminder's outcome could not be stored; its lease will run out");
    }
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

/// What a stop or snooze link may do, checked against its MAC.
pub fn link_is_valid(state: &AppState, action: &str, job_id: &str, token: &str) -> bool {
    link_token_matches(&link_key(&state.config.access_log_key), action, job_id, token)
}

/// Stop: the reminder is deleted (the channel stays). Unknown links answer `false`.
pub async fn stop(state: &AppState, job_id: &str, token: &str) -> Result<bool, crate::error::AppError> {
    if !link_is_valid(state, "stop", job_id, token) {
        return Ok(false);
    }
    let Some(job) = state.store.reminder_job(job_id).await? else { return Ok(false) };
    Ok(state.store.delete_reminder_job(&job.user_id, job_id).await?)
}

/// Snooze: the reminder comes again in an hour (its next occurrence after that is as before).
pub async fn snooze(state: &AppState, job_id: &str, token: &str) -> Result<bool, crate::error::AppError> {
    if !link_is_valid(state, "snooze", job_id, token) {
        return Ok(false);
    }
    if state.store.reminder_job(job_id).await?.is_none() {
        return Ok(false);
    }
    Ok(state.store.set_reminder_due(job_id, Some(now() + 3600)).await?)
}

/// Adds a webhook channel for `user_id`; returns its id.
pub async fn add_webhook(state: &AppState, user_id: &str, url: &str) -> Result<String, crate::error::AppError> {
    let url = url.trim();
    let parsed: Result<axum::http::Uri, _> = url.parse();
    let ok = parsed.as_ref().is_ok_and(|u| u.scheme_str() == Some("http") && u.host().is_some()) && url.len() <= 2048;
    if !ok {
        let message = if url.starts_with("https://") {
            "This server can only reach http:// addresses for now (for example a local ntfy or Home Assistant)."
        } else {
            "Use a full address starting with http://."
        };
        return Err(crate::error::AppError::invalid("destination", message));
    }
    let id = journal_core::ids::new_id();
    let key = delivery_key(&state.config.access_log_key);
    let channel = journal_core::reminder_delivery::ChannelRecord {
        id: id.clone(),
        user_id: user_id.to_owned(),
        kind: ChannelKind::Webhook,
        destination_sealed: journal_core::reminder_delivery::seal_destination(&key, &id, user_id, url),
        // The person typed their own URL: there is nobody else to confirm it.
        verified_at: Some(now()),
        verify_token_hash: None,
        verify_expires_at: None,
        failures: 0,
        last_error: None,
        last_failed_at: None,
        created_at: now(),
    };
    state.store.insert_reminder_channel(&channel).await?;
    Ok(id)
}

/// The destination as its owner typed it.
pub fn destination(state: &AppState, c: &journal_core::reminder_delivery::ChannelRecord) -> Option<String> {
    open_destination(&delivery_key(&state.config.access_log_key), &c.id, &c.user_id, &c.destination_sealed)
}

/// Schedules a reminder on one of the person's channels; returns its id and first due time.
pub async fn add_reminder(
    state: &AppState,
    user_id: &str,
    time_zone: &str,
    channel_id: &str,
    plan: &Plan,
    specific_wording: bool,
) -> Result<(String, Option<Timestamp>), crate::error::AppError> {
    let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    let due = next_due(&plan.spec, &tz, plan.quiet, now());
    let id = journal_core::ids::new_id();
    let job = journal_core::reminder_delivery::JobRecord {
        id: id.clone(),
        user_id: user_id.to_owned(),
        channel_id: channel_id.to_owned(),
        spec: serde_json::to_string(plan).map_err(|_| crate::error::AppError::internal())?,
        specific_wording,
        due_at: due,
        attempts: 0,
        last_error: None,
        claimed_by: None,
        claimed_until: None,
        created_at: now(),
    };
    match state.store.insert_reminder_job(&job).await {
        Ok(()) => Ok((id, due)),
        Err(journal_core::StoreError::Conflict(_)) => {
            Err(crate::error::AppError::invalid("channel_id", "Choose one of your channels."))
        }
        Err(e) => Err(e.into()),
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
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" \
         href=\"/static/app.css\"></head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
    );
    (status, axum::response::Html(page)).into_response()
}

async fn stop_link(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path((id, token)): axum::extract::Path<(String, String)>,
) -> axum::response::Response {
    use axum::http::StatusCode;
    match stop(&state, &id, &token).await {
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
    match snooze(&state, &id, &token).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_half_a_minute() {
        assert_eq!([1, 2, 3, 4].map(backoff), [30, 60, 120, 240]);
        assert_eq!(backoff(0), 30);
    }
}
