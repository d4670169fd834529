//! `/reminders/sent`: where reminders go (webhook or ntfy addresses, with their failures) and
//! which reminders are sent there. The calendar feed stays on `/reminders`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::form::PageForm;
use super::form::PageQuery;
use super::page::{error_page, render};
use super::shell::{PageUser, Shell};
use crate::api::reminder_delivery::{ScheduledView, plan_of, view_of};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::reminders;

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/reminders/sent", get(page))
        .route("/reminders/sent/channels", post(add_channel))
        .route("/reminders/sent/channels/{id}/delete", post(delete_channel))
        .route("/reminders/sent/scheduled", post(add_scheduled))
        .route("/reminders/sent/scheduled/{id}/delete", post(delete_scheduled))
}

struct ChannelRow {
    id: String,
    destination: String,
    failures: i64,
    last_error: String,
}

struct ScheduledRow {
    id: String,
    what: &'static str,
    time: String,
    next_due: String,
    last_error: String,
}

#[derive(Template)]
#[template(path = "reminders_sent.html")]
struct SentPage {
    shell: Shell,
    channels: Vec<ChannelRow>,
    scheduled: Vec<ScheduledRow>,
    notice: Option<&'static str>,
    error: Option<AppError>,
}

fn kind_name(kind: &str) -> &'static str {
    match kind {
        "nudge" => "A time to write",
        "goal_checkin" => "A goal check-in",
        "homework_due" => "Homework (the day before and on the day)",
        "session_eve" => "The evening before a session",
        _ => "After a few quiet days",
    }
}

async fn show(state: &AppState, user: &PageUser, notice: Option<&'static str>, error: Option<AppError>) -> Response {
    let (channels, jobs) =
        match tokio::try_join!(reminders::channels(state, &user.current), reminders::jobs(state, &user.current)) {
            Ok(v) => v,
            Err(e) => return error_page(e, user.theme),
        };
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&SentPage {
        shell: Shell::for_user("Sent reminders", user),
        channels: channels
            .iter()
            .map(|c| ChannelRow {
                id: c.id.clone(),
                destination: reminders::destination(state, c).unwrap_or_else(|| "(can't be opened)".to_owned()),
                failures: c.failures,
                last_error: c.last_error.clone().unwrap_or_default(),
            })
            .collect(),
        scheduled: jobs
            .iter()
            .filter_map(view_of)
            .map(|v| ScheduledRow {
                what: kind_name(&v.kind),
                time: v.time,
                next_due: v.next_due.unwrap_or_else(|| "not again".to_owned()),
                last_error: v.last_error.unwrap_or_default(),
                id: v.id,
            })
            .collect(),
        notice,
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

#[derive(Deserialize)]
pub struct Notice {
    notice: Option<String>,
}

async fn page(State(state): State<AppState>, user: PageUser, PageQuery(q): PageQuery<Notice>) -> Response {
    let notice = match q.notice.as_deref() {
        Some("saved") => Some("Saved."),
        Some("removed") => Some("Removed."),
        _ => None,
    };
    show(&state, &user, notice, None).await
}

#[derive(Deserialize)]
pub struct ChannelForm {
    #[serde(default)]
    destination: String,
}

async fn add_channel(State(state): State<AppState>, user: PageUser, PageForm(f): PageForm<ChannelForm>) -> Response {
    match reminders::add_webhook(&state, user.current.id(), &f.destination).await.map_err(AppError::from) {
        Ok(_) => Redirect::to("/reminders/sent?notice=saved").into_response(),
        Err(e) if e.status.is_client_error() => show(&state, &user, None, Some(e)).await,
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

async fn delete_channel(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(_): PageForm<Empty>,
) -> Response {
    match reminders::delete_channel(&state, &user.current, &id).await {
        Ok(_) => Redirect::to("/reminders/sent?notice=removed").into_response(),
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize)]
pub struct ScheduledForm {
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    quiet_start: String,
    #[serde(default)]
    quiet_end: String,
    #[serde(default)]
    specific_wording: Option<String>,
}

async fn add_scheduled(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(f): PageForm<ScheduledForm>,
) -> Response {
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let days = match some(&f.days).map(|d| d.parse::<u16>()) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => Some(0),
    };
    let view = ScheduledView {
        id: String::new(),
        channel_id: f.channel_id,
        kind: f.kind,
        time: f.time,
        weekdays: Vec::new(),
        date: some(&f.date),
        days,
        quiet_start: some(&f.quiet_start),
        quiet_end: some(&f.quiet_end),
        specific_wording: f.specific_wording.is_some(),
        next_due: None,
        last_error: None,
    };
    let result = async {
        let plan = plan_of(&view)?;
        let zone = user.current.unlocked.user().time_zone.clone();
        reminders::add_reminder(&state, user.current.id(), &zone, &view.channel_id, &plan, view.specific_wording)
            .await
            .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/reminders/sent?notice=saved").into_response(),
        Err(e) if e.status.is_client_error() => show(&state, &user, None, Some(e)).await,
        Err(e) => error_page(e, user.theme),
    }
}

async fn delete_scheduled(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(_): PageForm<Empty>,
) -> Response {
    match reminders::delete_job(&state, &user.current, &id).await {
        Ok(_) => Redirect::to("/reminders/sent?notice=removed").into_response(),
        Err(e) => error_page(e, user.theme),
    }
}
