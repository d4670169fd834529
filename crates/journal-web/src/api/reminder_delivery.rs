//! Reminders that are sent: channels (where to) and scheduled reminders (what and when).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use journal_core::reminder_schedule::{EVERY_DAY, Plan, QuietHours, Spec, parse_time};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::json::ApiJson;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::reminders;

#[derive(Serialize, ToSchema)]
pub struct ChannelView {
    pub id: String,
    /// `webhook` (ntfy, Gotify, Home Assistant, Apprise API) or `email`.
    pub kind: String,
    /// The address or URL, as you gave it.
    pub destination: Option<String>,
    pub verified: bool,
    /// Deliveries that failed in a row; a delivery that succeeds resets it.
    pub failures: i64,
    /// Why the last one failed: `timeout`, `connect`, `http_404` and the like.
    pub last_error: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelRequest {
    /// `webhook`. Email is not offered by this server.
    pub kind: String,
    /// The URL to POST to (for ntfy: the topic's URL).
    pub destination: String,
}

/// Your reminder channels.
#[utoipa::path(get, path = "/api/v1/reminders/channels", operation_id = "listReminderChannels", tag = "goals",
    responses((status = 200, body = Vec<ChannelView>), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn list_channels(
    State(state): State<AppState>,
    who: CurrentUser,
) -> Result<Json<Vec<ChannelView>>, AppError> {
    let channels = reminders::channels(&state, &who).await?;
    Ok(Json(
        channels
            .iter()
            .map(|c| ChannelView {
                id: c.id.clone(),
                kind: c.kind.as_str().to_owned(),
                destination: reminders::destination(&state, c),
                verified: c.verified_at.is_some(),
                failures: c.failures,
                last_error: c.last_error.clone(),
            })
            .collect(),
    ))
}

/// Adds a channel. Messages say only "A moment for you" unless a reminder asks for more.
#[utoipa::path(post, path = "/api/v1/reminders/channels", operation_id = "createReminderChannel", tag = "goals",
    request_body = ChannelRequest,
    responses((status = 201, body = ChannelView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn create_channel(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<ChannelRequest>,
) -> Result<(StatusCode, Json<ChannelView>), AppError> {
    match req.kind.as_str() {
        "webhook" => {
            let id = reminders::add_webhook(&state, who.id(), &req.destination).await?;
            let view = ChannelView {
                id,
                kind: "webhook".to_owned(),
                destination: Some(req.destination.trim().to_owned()),
                verified: true,
                failures: 0,
                last_error: None,
            };
            Ok((StatusCode::CREATED, Json(view)))
        }
        "email" => Err(AppError::invalid("kind", "This server doesn't send email. A webhook or ntfy address works.")),
        _ => Err(AppError::invalid("kind", "Choose webhook.")),
    }
}

/// Removes a channel and the reminders that use it.
#[utoipa::path(delete, path = "/api/v1/reminders/channels/{id}", operation_id = "deleteReminderChannel", tag = "goals",
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn delete_channel(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if reminders::delete_channel(&state, &who, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found())
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScheduledView {
    #[serde(default)]
    pub id: String,
    pub channel_id: String,
    /// `nudge`, `goal_checkin`, `homework_due`, `session_eve` or `quiet_days`.
    pub kind: String,
    /// Local time, `HH:MM`.
    pub time: String,
    /// For `nudge` and `goal_checkin`: 1 = Monday … 7 = Sunday; empty or absent means every day.
    #[serde(default)]
    pub weekdays: Vec<u8>,
    /// For `homework_due` (the due date) and `session_eve` (the session's date): `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// For `quiet_days`: after this many days without writing.
    #[serde(default)]
    pub days: Option<u16>,
    /// No reminders from `quiet_start` to `quiet_end` (`HH:MM`, may run over midnight).
    #[serde(default)]
    pub quiet_start: Option<String>,
    #[serde(default)]
    pub quiet_end: Option<String>,
    /// Say what the moment is for ("A few minutes to note what you want to bring") instead of
    /// only "A moment for you". Never names a goal, a questionnaire or a mood.
    #[serde(default)]
    pub specific_wording: bool,
    /// The next time it comes, RFC 3339 (read only).
    #[serde(default)]
    pub next_due: Option<String>,
    /// Why the last attempt failed (read only).
    #[serde(default)]
    pub last_error: Option<String>,
}

pub(crate) fn plan_of(req: &ScheduledView) -> Result<Plan, AppError> {
    let time = parse_time(&req.time).ok_or_else(|| AppError::invalid("time", "Use a time like 08:30 or 21:00."))?;
    let mut weekdays = 0u8;
    for d in &req.weekdays {
        if !(1..=7).contains(d) {
            return Err(AppError::invalid("weekdays", "Days are 1 (Monday) to 7 (Sunday)."));
        }
        weekdays |= 1 << (d - 1);
    }
    if weekdays == 0 {
        weekdays = EVERY_DAY;
    }
    let date = || -> Result<jiff::civil::Date, AppError> {
        req.date
            .as_deref()
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| AppError::invalid("date", "Use a date like 2026-03-29."))
    };
    let spec = match req.kind.as_str() {
        "nudge" => Spec::Nudge { time, weekdays },
        "goal_checkin" => Spec::GoalCheckin { time, weekdays },
        "homework_due" => Spec::HomeworkDue { due: date()?, time },
        "session_eve" => Spec::SessionEve { session: date()?, time },
        "quiet_days" => Spec::QuietDays {
            days: req
                .days
                .filter(|d| (1..=60).contains(d))
                .ok_or_else(|| AppError::invalid("days", "Choose between 1 and 60 days."))?,
            time,
            last_activity: journal_core::time_util::now(),
        },
        _ => {
            return Err(AppError::invalid(
                "kind",
                "Choose nudge, goal_checkin, homework_due, session_eve or quiet_days.",
            ));
        }
    };
    let quiet = match (req.quiet_start.as_deref(), req.quiet_end.as_deref()) {
        (None, None) => None,
        (Some(s), Some(e)) => Some(QuietHours {
            start: parse_time(s).ok_or_else(|| AppError::invalid("quiet_start", "Use a time like 22:00."))?,
            end: parse_time(e).ok_or_else(|| AppError::invalid("quiet_end", "Use a time like 07:00."))?,
        }),
        _ => return Err(AppError::invalid("quiet_end", "Quiet hours need a start and an end.")),
    };
    Ok(Plan { spec, quiet })
}

pub(crate) fn view_of(job: &journal_core::reminder_delivery::JobRecord) -> Option<ScheduledView> {
    let plan: Plan = serde_json::from_str(&job.spec).ok()?;
    let hhmm = |t: jiff::civil::Time| format!("{:02}:{:02}", t.hour(), t.minute());
    let (kind, time, weekdays, date, days) = match &plan.spec {
        Spec::Nudge { time, weekdays } => ("nudge", *time, *weekdays, None, None),
        Spec::GoalCheckin { time, weekdays } => ("goal_checkin", *time, *weekdays, None, None),
        Spec::HomeworkDue { due, time } => ("homework_due", *time, 0, Some(due.to_string()), None),
        Spec::SessionEve { session, time } => ("session_eve", *time, 0, Some(session.to_string()), None),
        Spec::QuietDays { days, time, .. } => ("quiet_days", *time, 0, None, Some(*days)),
    };
    Some(ScheduledView {
        id: job.id.clone(),
        channel_id: job.channel_id.clone(),
        kind: kind.to_owned(),
        time: hhmm(time),
        weekdays: (1..=7u8).filter(|d| weekdays & (1 << (d - 1)) != 0).collect(),
        date,
        days,
        quiet_start: plan.quiet.map(|q| hhmm(q.start)),
        quiet_end: plan.quiet.map(|q| hhmm(q.end)),
        specific_wording: job.specific_wording,
        next_due: job.due_at.map(journal_core::time_util::rfc3339),
        last_error: job.last_error.clone(),
    })
}

/// Your scheduled reminders.
#[utoipa::path(get, path = "/api/v1/reminders/scheduled", operation_id = "listScheduledReminders", tag = "goals",
    responses((status = 200, body = Vec<ScheduledView>), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn list_scheduled(
    State(state): State<AppState>,
    who: CurrentUser,
) -> Result<Json<Vec<ScheduledView>>, AppError> {
    let jobs = reminders::jobs(&state, &who).await?;
    Ok(Json(jobs.iter().filter_map(view_of).collect()))
}

/// Schedules a reminder on one of your channels, in your time zone.
#[utoipa::path(post, path = "/api/v1/reminders/scheduled", operation_id = "createScheduledReminder", tag = "goals",
    request_body = ScheduledView,
    responses((status = 201, body = ScheduledView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn create_scheduled(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<ScheduledView>,
) -> Result<(StatusCode, Json<ScheduledView>), AppError> {
    let plan = plan_of(&req)?;
    let zone = who.unlocked.user().time_zone.clone();
    let (id, _) =
        reminders::add_reminder(&state, who.id(), &zone, &req.channel_id, &plan, req.specific_wording).await?;
    let job = reminders::job(&state, &who, &id).await?.ok_or_else(AppError::internal)?;
    let view = view_of(&job).ok_or_else(AppError::internal)?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Stops a scheduled reminder.
#[utoipa::path(delete, path = "/api/v1/reminders/scheduled/{id}", operation_id = "deleteScheduledReminder", tag = "goals",
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn delete_scheduled(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if reminders::delete_job(&state, &who, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found())
    }
}
