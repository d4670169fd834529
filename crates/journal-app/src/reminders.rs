//! Reminders that are sent: the worker each app server runs, and what people set up for it
//! (channels and scheduled reminders).
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
//! How a message travels is the caller's [`Transport`] (the server gives an HTTP client), so this
//! layer knows no network protocol. Channels today: webhooks (ntfy topics, Gotify, Home
//! Assistant, Apprise API) over plain HTTP. Web Push is meant to be a third `ChannelKind` with its
//! own transport method; email needs an SMTP transport that this build does not include yet, so
//! email is not offered.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use jiff::tz::TimeZone;
use journal_core::reminder_delivery::{
    ChannelKind, ChannelRecord, ClaimedJob, JobRecord, delivery_key, link_key, link_token, link_token_matches,
    open_destination,
};
use journal_core::reminder_schedule::{NEUTRAL_LINE, Plan, next_due};
use journal_core::time_util::{Timestamp, now};

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

/// How messages leave the server; one method per kind of channel.
pub trait Transport: Send + Sync + 'static {
    /// POSTs the message to a webhook; an error is a short code kept on the channel
    /// (`timeout`, `connect`, `http_500`, …), never the address or the message.
    fn post_webhook<'a>(
        &'a self,
        url: &'a str,
        msg: &'a Message,
        timeout: Duration,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

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

/// Claims and sends every job due now, batch after batch; returns how many were handled.
pub async fn deliver_due(
    app: &App,
    transport: &Arc<dyn Transport>,
    worker: &str,
) -> Result<usize, journal_core::StoreError> {
    let settings = &app.settings.delivery;
    let limit = Arc::new(tokio::sync::Semaphore::new(settings.concurrency.max(1)));
    let mut handled = 0;
    loop {
        let at = now();
        let jobs = app.store.claim_reminder_jobs(worker, at, settings.lease_secs, settings.batch).await?;
        if jobs.is_empty() {
            return Ok(handled);
        }
        handled += jobs.len();
        let mut set = tokio::task::JoinSet::new();
        for job in jobs {
            let permit = Arc::clone(&limit).acquire_owned().await;
            let (app, transport, worker) = (app.clone(), Arc::clone(transport), worker.to_owned());
            set.spawn(async move {
                let _permit = permit;
                handle(&app, transport.as_ref(), &worker, job).await;
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

fn base_url(app: &App) -> String {
    app.settings.public_url.clone().unwrap_or_else(|| "http://localhost".to_owned()).trim_end_matches('/').to_owned()
}

pub fn message(app: &App, job_id: &str, plan: &Plan, specific: bool) -> Message {
    let key = link_key(&app.settings.access_log_key);
    let base = base_url(app);
    Message {
        line: if specific { plan.spec.specific_line() } else { NEUTRAL_LINE },
        stop_url: format!("{base}/reminders/stop/{job_id}/{}", link_token(&key, "stop", job_id)),
        snooze_url: format!("{base}/reminders/snooze/{job_id}/{}", link_token(&key, "snooze", job_id)),
    }
}

async fn handle(app: &App, transport: &dyn Transport, worker: &str, claimed: ClaimedJob) {
    let job = &claimed.job;
    let at = now();
    let tz = TimeZone::get(&claimed.time_zone).unwrap_or(TimeZone::UTC);
    let Ok(plan) = serde_json::from_str::<Plan>(&job.spec) else {
        tracing::error!(job = %job.id, "a reminder's plan could not be read; it stays off");
        let _ = app.store.finish_reminder_job(&job.id, worker, None, false).await;
        return;
    };
    let due = job.due_at.unwrap_or(at);
    let following = next_due(&plan.spec, &tz, plan.quiet, due.max(at));
    let late = at - due > app.settings.delivery.catch_up_secs;
    if late || !claimed.channel_verified {
        if late {
            tracing::info!(job = %job.id, late_by = at - due, "a reminder was too late to send; moved on to the next");
        }
        let _ = app.store.finish_reminder_job(&job.id, worker, following, false).await;
        return;
    }
    let result = match claimed.channel_kind {
        ChannelKind::Webhook => {
            let key = delivery_key(&app.settings.access_log_key);
            match open_destination(&key, &job.channel_id, &job.user_id, &claimed.destination_sealed) {
                Some(url) => {
                    let msg = message(app, &job.id, &plan, job.specific_wording);
                    transport.post_webhook(&url, &msg, app.settings.delivery.timeout).await
                }
                None => Err("unreadable".to_owned()),
            }
        }
        // Not offered by this server (see the module's note); a row can only come from elsewhere.
        ChannelKind::Email => Err("email_unavailable".to_owned()),
    };
    let stored = match result {
        Ok(()) => app.store.finish_reminder_job(&job.id, worker, following, true).await,
        Err(code) => {
            let attempts = job.attempts + 1;
            tracing::warn!(job = %job.id, attempts, error = %code, "a reminder could not be delivered");
            let retry_at =
                if attempts < MAX_ATTEMPTS && at + backoff(attempts) - due <= app.settings.delivery.catch_up_secs {
                    Some(at + backoff(attempts))
                } else {
                    following
                };
            let attempts = if attempts < MAX_ATTEMPTS { attempts } else { 0 };
            app.store.fail_reminder_job(&job.id, worker, retry_at, attempts, &code, at).await
        }
    };
    if let Err(e) = stored {
        tracing::warn!(job = %job.id, error = %e, "a reminder's outcome could not be stored; its lease will run out");
    }
}

/// What a stop or snooze link may do, checked against its MAC.
pub fn link_is_valid(app: &App, action: &str, job_id: &str, token: &str) -> bool {
    link_token_matches(&link_key(&app.settings.access_log_key), action, job_id, token)
}

/// Stop: the reminder is deleted (the channel stays). Unknown links answer `false`.
pub async fn stop(app: &App, job_id: &str, token: &str) -> Result<bool, ServiceError> {
    if !link_is_valid(app, "stop", job_id, token) {
        return Ok(false);
    }
    let Some(job) = app.store.reminder_job(job_id).await? else { return Ok(false) };
    Ok(app.store.delete_reminder_job(&job.user_id, job_id).await?)
}

/// Snooze: the reminder comes again in an hour (its next occurrence after that is as before).
pub async fn snooze(app: &App, job_id: &str, token: &str) -> Result<bool, ServiceError> {
    if !link_is_valid(app, "snooze", job_id, token) {
        return Ok(false);
    }
    if app.store.reminder_job(job_id).await?.is_none() {
        return Ok(false);
    }
    Ok(app.store.set_reminder_due(job_id, Some(now() + 3600)).await?)
}

/// Adds a webhook channel for `user_id`; returns its id.
pub async fn add_webhook(app: &App, user_id: &str, url: &str) -> Result<String, ServiceError> {
    let url = url.trim();
    let host = url.strip_prefix("http://").map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    let ok = host.is_some_and(|h| !h.is_empty() && !h.starts_with(':'))
        && url.len() <= 2048
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        let message = if url.starts_with("https://") {
            "This server can only reach http:// addresses for now (for example a local ntfy or Home Assistant)."
        } else {
            "Use a full address starting with http://."
        };
        return Err(ServiceError::invalid("destination", message));
    }
    let id = journal_core::ids::new_id();
    let key = delivery_key(&app.settings.access_log_key);
    let channel = ChannelRecord {
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
    app.store.insert_reminder_channel(&channel).await?;
    Ok(id)
}

/// The destination as its owner typed it.
pub fn destination(app: &App, c: &ChannelRecord) -> Option<String> {
    open_destination(&delivery_key(&app.settings.access_log_key), &c.id, &c.user_id, &c.destination_sealed)
}

/// Schedules a reminder on one of the person's channels; returns its id and first due time.
pub async fn add_reminder(
    app: &App,
    user_id: &str,
    time_zone: &str,
    channel_id: &str,
    plan: &Plan,
    specific_wording: bool,
) -> Result<(String, Option<Timestamp>), ServiceError> {
    let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    let due = next_due(&plan.spec, &tz, plan.quiet, now());
    let id = journal_core::ids::new_id();
    let job = JobRecord {
        id: id.clone(),
        user_id: user_id.to_owned(),
        channel_id: channel_id.to_owned(),
        spec: serde_json::to_string(plan).map_err(|_| ServiceError::internal())?,
        specific_wording,
        due_at: due,
        attempts: 0,
        last_error: None,
        claimed_by: None,
        claimed_until: None,
        created_at: now(),
    };
    match app.store.insert_reminder_job(&job).await {
        Ok(()) => Ok((id, due)),
        Err(journal_core::StoreError::Conflict(_)) => {
            Err(ServiceError::invalid("channel_id", "Choose one of your channels."))
        }
        Err(e) => Err(e.into()),
    }
}

/// The person's channels.
pub async fn channels(app: &App, who: &UnlockedUser) -> Result<Vec<ChannelRecord>, ServiceError> {
    Ok(app.store.reminder_channels(who.id()).await?)
}

/// Removes one of the person's channels; `false` when they have no such channel.
pub async fn delete_channel(app: &App, who: &UnlockedUser, id: &str) -> Result<bool, ServiceError> {
    Ok(app.store.delete_reminder_channel(who.id(), id).await?)
}

/// The person's scheduled reminders.
pub async fn jobs(app: &App, who: &UnlockedUser) -> Result<Vec<JobRecord>, ServiceError> {
    Ok(app.store.reminder_jobs(who.id()).await?)
}

/// One of the person's scheduled reminders.
pub async fn job(app: &App, who: &UnlockedUser, id: &str) -> Result<Option<JobRecord>, ServiceError> {
    Ok(app.store.reminder_job(id).await?.filter(|j| j.user_id == who.id()))
}

/// Removes one of the person's scheduled reminders; `false` when they have no such reminder.
pub async fn delete_job(app: &App, who: &UnlockedUser, id: &str) -> Result<bool, ServiceError> {
    Ok(app.store.delete_reminder_job(who.id(), id).await?)
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
